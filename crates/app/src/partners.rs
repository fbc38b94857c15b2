//! `labgraph partners`, `labgraph paths` and `labgraph partners-evaluate`: the liaison office's
//! partner finder and introduction paths of labgraph-insights on the database, and the
//! held-out evaluation of the finder's ranking, written as a table to read or as JSON.
//! Bad arguments (unknown ids, `k` or `--first` out of range, empty lists, years out of range)
//! are [`BadInput`]: exit code 3, as everywhere in the CLI.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use labgraph_domain::{Graph, Id, InstitutionKind, Jurisdiction, TieClass};
use labgraph_insights::evaluate::{self, Evaluation};
use labgraph_insights::partners::{self, PartnerQuery, Suggestions, WEIGHTS};
use labgraph_insights::paths::{
    self as paths_mod, Actors, ConnectorKind, Cooperation, Hop, IntroPath,
};
use labgraph_store::StoreError;
use serde_json::{Value, json};

use crate::answers::AnswerFormat;
use crate::commands::{BadInput, open_service};
use crate::config::StoreLocation;
use crate::progress::Progress;

/// The graph of the database at `db`, which must exist (reading never creates one).
async fn load(db: &Path, progress: &Progress) -> Result<Arc<Graph>> {
    if !db.exists() {
        return Err(StoreError::Unavailable(format!(
            "{}: no such database (create one with `labgraph seed` or `labgraph import`)",
            db.display()
        ))
        .into());
    }
    let service = open_service(&StoreLocation::Embedded(db.to_path_buf()), false, progress).await?;
    Ok(service.snapshot())
}

fn bad(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(BadInput(error.to_string()))
}

/// Reads `--jurisdiction`: `hk` (Hong Kong), `mo` or `macao`, `mainland`.
pub fn parse_jurisdiction(text: &str) -> Result<Jurisdiction> {
    match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
        "hk" | "hong-kong" | "hongkong" => Ok(Jurisdiction::HongKong),
        "mo" | "macao" | "macau" => Ok(Jurisdiction::Macao),
        "mainland" | "gd" => Ok(Jurisdiction::Mainland),
        _ => Err(bad(format!(
            "--jurisdiction {text:?}: expected hk, mo (macao) or mainland"
        ))),
    }
}

/// Reads `--kind`: an institution kind as the seed format writes it (`university`, ...).
pub fn parse_institution_kind(text: &str) -> Result<InstitutionKind> {
    use InstitutionKind::*;
    let all = [
        ("university", University),
        ("research_institute", ResearchInstitute),
        ("enterprise", Enterprise),
        ("hospital", Hospital),
        ("government", Government),
        ("lab_platform", LabPlatform),
    ];
    let wanted = text.trim().to_ascii_lowercase().replace('-', "_");
    all.iter()
        .find(|(code, _)| *code == wanted)
        .map(|&(_, kind)| kind)
        .ok_or_else(|| {
            let codes: Vec<&str> = all.iter().map(|(c, _)| *c).collect();
            bad(format!(
                "--kind {text:?}: expected one of {}",
                codes.join(", ")
            ))
        })
}

/// What `labgraph partners` is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnersRequest {
    /// The institution or person asking.
    pub for_id: String,
    /// Only candidates working on one of these fields (or a sub-field); any when empty.
    pub fields: Vec<String>,
    /// Only candidates in this jurisdiction (`hk`, `mo`, `mainland`).
    pub jurisdiction: Option<String>,
    /// Only institutions of these kinds; any when empty.
    pub kinds: Vec<String>,
    /// How many suggestions.
    pub first: usize,
}

/// What `labgraph partners` found.
#[derive(Debug, Clone)]
pub struct PartnersReport {
    /// The graph read, for names.
    graph: Arc<Graph>,
    /// The answer.
    pub answer: Suggestions,
}

/// `labgraph partners`: ranked partner suggestions with their explanations.
pub async fn partners(
    db: &Path,
    request: &PartnersRequest,
    progress: &Progress,
) -> Result<PartnersReport> {
    let query = PartnerQuery {
        for_id: request.for_id.trim().to_owned(),
        fields: (!request.fields.is_empty()).then(|| request.fields.clone()),
        target_jurisdiction: request
            .jurisdiction
            .as_deref()
            .map(parse_jurisdiction)
            .transpose()?,
        kinds: if request.kinds.is_empty() {
            None
        } else {
            Some(
                request
                    .kinds
                    .iter()
                    .map(|k| parse_institution_kind(k))
                    .collect::<Result<_>>()?,
            )
        },
        first: request.first,
    };
    let graph = load(db, progress).await?;
    let bar = progress.spinner("ranking partners");
    let g = Arc::clone(&graph);
    let answer = tokio::task::spawn_blocking(move || partners::partner_suggestions(&g, &query))
        .await
        .context("the partner finder task failed")?
        .map_err(bad)?;
    bar.finish_and_clear();
    Ok(PartnersReport { graph, answer })
}

/// `id (short name or name)` for reading.
fn label(graph: &Graph, id: &Id) -> String {
    match graph.node(id.as_str()) {
        Some(node) => {
            let name = node
                .names
                .short
                .as_deref()
                .or(node.names.display())
                .unwrap_or("");
            if name.is_empty() {
                id.to_string()
            } else {
                format!("{id} ({name})")
            }
        }
        None => id.to_string(),
    }
}

fn name(graph: &Graph, id: &Id) -> Option<String> {
    graph
        .node(id.as_str())
        .and_then(|n| n.names.display().map(str::to_owned))
}

fn jurisdictions(graph: &Graph, id: &Id) -> String {
    let j: Vec<String> = graph
        .jurisdictions_of(id.as_str())
        .into_iter()
        .map(|j| j.to_string())
        .collect();
    if j.is_empty() {
        "location unknown".into()
    } else {
        j.join(", ")
    }
}

fn class_code(class: Option<TieClass>) -> &'static str {
    match class {
        Some(TieClass::Domestic) => "domestic",
        Some(TieClass::MainlandHk) => "mainland_hk",
        Some(TieClass::MainlandMacao) => "mainland_macao",
        Some(TieClass::HkMacao) => "hk_macao",
        Some(TieClass::TriParty) => "tri_party",
        None => "unknown",
    }
}

fn years(since: Option<i32>, until: Option<i32>) -> String {
    match (since, until) {
        (Some(s), Some(u)) => format!("{s}–{u}"),
        (Some(s), None) => format!("since {s}"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "years unknown".into(),
    }
}

fn hop_json(graph: &Graph, hop: &Hop) -> Value {
    json!({
        "kind": if hop.is_lab_hop() { "lab" } else { "tie" },
        "from": hop.from.as_str(), "to": hop.to.as_str(),
        "strength": hop.strength, "length": hop.length,
        "class": class_code(hop.class), "since": hop.since, "until": hop.until,
        "via": hop.connectors.iter().map(|c| json!({
            "kind": c.kind.code(),
            "id": c.via.as_ref().map(Id::as_str),
            "name": c.via.as_ref().and_then(|v| name(graph, v)),
            "since": c.since, "until": c.until, "weight": c.weight, "verified": c.verified,
        })).collect::<Vec<_>>(),
        "membership": hop.membership.as_ref().map(|m| json!({
            "lab": m.lab.as_str(), "labName": name(graph, &m.lab),
            "member": m.member.as_str(), "role": m.role.map(|r| r.code()),
            "since": m.since, "until": m.until,
            "source": m.provenance.source, "verified": m.provenance.verified,
        })),
    })
}

fn path_json(graph: &Graph, path: &IntroPath) -> Value {
    json!({
        "nodes": path.nodes.iter().map(Id::as_str).collect::<Vec<_>>(),
        "length": path.length,
        "hops": path.hops.iter().map(|h| hop_json(graph, h)).collect::<Vec<_>>(),
    })
}

/// How many ties a path has, and whether it enters or leaves a lab: "2 ties + the lab".
fn hop_count(path: &IntroPath) -> String {
    let ties = path.hops.iter().filter(|h| !h.is_lab_hop()).count();
    let ties = if ties == 1 {
        "1 tie".to_owned()
    } else {
        format!("{ties} ties")
    };
    if path.hops.iter().any(Hop::is_lab_hop) {
        format!("{ties} + the lab")
    } else {
        ties
    }
}

/// Writes a path as indented lines: each node, and under it the tie to the next.
fn write_path(
    graph: &Graph,
    path: &IntroPath,
    indent: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    for (i, node) in path.nodes.iter().enumerate() {
        writeln!(
            out,
            "{indent}{} [{}]",
            label(graph, node),
            jurisdictions(graph, node)
        )?;
        if let Some(hop) = path.hops.get(i) {
            if let Some(m) = &hop.membership {
                // The lab hop: which lab, through which member, in what role, on whose word.
                let role = m.role.map_or("member, role unknown", |r| r.code());
                let (member, lab) = (label(graph, &m.member), label(graph, &m.lab));
                let how = if hop.to == m.lab {
                    format!("{member} is {role} of lab {lab}")
                } else {
                    format!("lab {lab}, whose {role} is {member}")
                };
                let source = m.provenance.source.as_deref().unwrap_or("no source");
                let checked = if m.provenance.verified {
                    "verified"
                } else {
                    "not verified"
                };
                writeln!(
                    out,
                    "{indent}  > {how}, {}; {checked}; source: {source}",
                    years(m.since, m.until)
                )?;
                continue;
            }
            let via: Vec<String> = hop
                .connectors
                .iter()
                .map(|c| {
                    let what = match (c.kind, &c.via) {
                        (ConnectorKind::SharedLab, Some(lab)) => {
                            format!("lab {}", label(graph, lab))
                        }
                        (ConnectorKind::TalentLink, Some(p)) => {
                            format!("talent link of {}", label(graph, p))
                        }
                        (ConnectorKind::Collaboration, _) => {
                            format!("collaboration ({} joint works)", c.weight)
                        }
                        (_, None) => c.kind.code().to_owned(),
                    };
                    format!("{what}, {}", years(c.since, c.until))
                })
                .collect();
            writeln!(
                out,
                "{indent}  | {}; strength {}, {}",
                via.join("; "),
                hop.strength,
                class_code(hop.class)
            )?;
        }
    }
    Ok(())
}

impl PartnersReport {
    /// Writes the answer as a table or as JSON.
    pub fn write(&self, format: AnswerFormat, out: &mut dyn Write) -> io::Result<()> {
        let (g, a) = (&*self.graph, &self.answer);
        match format {
            AnswerFormat::Json => {
                let doc = json!({
                    "graphVersion": g.version(),
                    "for": a.for_id.as_str(),
                    "existingPartners": a.existing_partners.iter().map(Id::as_str).collect::<Vec<_>>(),
                    "fields": a.fields.iter().map(Id::as_str).collect::<Vec<_>>(),
                    "candidates": a.candidates,
                    "suggestions": a.suggestions.iter().map(|s| json!({
                        "rank": s.rank, "id": s.id.as_str(), "name": name(g, &s.id),
                        "score": s.score, "distance": s.distance,
                        "commonNeighbours": s.signals.link.common_neighbours,
                        "jaccard": s.signals.link.jaccard,
                        "adamicAdar": s.signals.link.adamic_adar,
                        "resourceAllocation": s.signals.link.resource_allocation,
                        "preferentialAttachment": s.signals.link.preferential_attachment,
                        "fieldOverlap": s.signals.field_overlap,
                        "sharedPartners": s.shared_partners.iter().map(Id::as_str).collect::<Vec<_>>(),
                        "sharedFields": s.shared_fields.iter().map(Id::as_str).collect::<Vec<_>>(),
                        "paths": s.paths.iter().map(|p| path_json(g, p)).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                });
                serde_json::to_writer_pretty(&mut *out, &doc)?;
                writeln!(out)
            }
            AnswerFormat::Table => {
                writeln!(
                    out,
                    "Partner suggestions for {} [{}], graph version {}",
                    label(g, &a.for_id),
                    jurisdictions(g, &a.for_id),
                    g.version()
                )?;
                let list = |ids: &[Id]| -> String {
                    if ids.is_empty() {
                        "none".into()
                    } else {
                        ids.iter()
                            .map(|i| label(g, i))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                };
                writeln!(out, "existing partners: {}", list(&a.existing_partners))?;
                writeln!(out, "fields: {}", list(&a.fields))?;
                let [ra, aa, cn, j, f, pa] = WEIGHTS;
                writeln!(
                    out,
                    "{} candidates pass the constraints; score = {ra} RA' + {aa} AA' + {cn} CN' + {j} Jaccard + {f} field overlap + {pa} PA'",
                    a.candidates
                )?;
                if a.suggestions.is_empty() {
                    writeln!(out, "no candidate shares a partner or a field")?;
                }
                for s in &a.suggestions {
                    writeln!(out)?;
                    let hops = s
                        .distance
                        .map_or("not connected".to_owned(), |d| format!("{d} hops away"));
                    writeln!(
                        out,
                        "{:>2}. {} [{}]  score {:.3}, {hops}",
                        s.rank,
                        label(g, &s.id),
                        jurisdictions(g, &s.id),
                        s.score
                    )?;
                    writeln!(out, "    shared partners: {}", list(&s.shared_partners))?;
                    writeln!(out, "    shared fields: {}", list(&s.shared_fields))?;
                    let l = &s.signals.link;
                    writeln!(
                        out,
                        "    RA {:.3}  AA {:.3}  CN {}  Jaccard {:.3}  PA {}  field overlap {:.3}",
                        l.resource_allocation,
                        l.adamic_adar,
                        l.common_neighbours,
                        l.jaccard,
                        l.preferential_attachment,
                        s.signals.field_overlap
                    )?;
                    for (i, p) in s.paths.iter().enumerate() {
                        writeln!(
                            out,
                            "    introduction {} (length {:.2}, {} hops):",
                            i + 1,
                            p.length,
                            p.hops.len()
                        )?;
                        write_path(g, p, "      ", out)?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// What `labgraph paths` is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathsRequest {
    /// Where the paths start (an institution, a person or a lab).
    pub from: String,
    /// Where they end (an institution or person of the same kind, or a lab).
    pub to: String,
    /// How many paths, 1..=20.
    pub k: usize,
    /// Only ties joining two jurisdictions.
    pub cross_border_only: bool,
    /// The most hops of a path, 1..=8.
    pub max_hops: usize,
}

/// What `labgraph paths` found.
#[derive(Debug, Clone)]
pub struct PathsReport {
    graph: Arc<Graph>,
    request: PathsRequest,
    /// The paths, shortest first.
    pub paths: Vec<IntroPath>,
}

/// `labgraph paths`: the k shortest introduction paths between two nodes; either may be a lab,
/// reached through any of its members (the path then ends with the lab hop).
pub async fn paths(db: &Path, request: &PathsRequest, progress: &Progress) -> Result<PathsReport> {
    let graph = load(db, progress).await?;
    let g = Arc::clone(&graph);
    let r = request.clone();
    let paths = tokio::task::spawn_blocking(move || {
        // The ends pick the network (a lab goes with either); a refused pair is refused here.
        let actors = paths_mod::check_path_args(&g, r.from.trim(), r.to.trim(), r.k, r.max_hops)?;
        Cooperation::new(&g, actors, r.cross_border_only).paths(
            r.from.trim(),
            r.to.trim(),
            r.k,
            r.max_hops,
        )
    })
    .await
    .context("the path search task failed")?
    .map_err(bad)?;
    Ok(PathsReport {
        graph,
        request: request.clone(),
        paths,
    })
}

impl PathsReport {
    /// Writes the paths as a table or as JSON.
    pub fn write(&self, format: AnswerFormat, out: &mut dyn Write) -> io::Result<()> {
        let g = &*self.graph;
        let r = &self.request;
        match format {
            AnswerFormat::Json => {
                let doc = json!({
                    "graphVersion": g.version(),
                    "from": r.from.trim(), "to": r.to.trim(), "k": r.k,
                    "crossBorderOnly": r.cross_border_only, "maxHops": r.max_hops,
                    "alreadyMember": self.paths.first().is_some_and(IntroPath::already_member),
                    "paths": self.paths.iter().map(|p| path_json(g, p)).collect::<Vec<_>>(),
                });
                serde_json::to_writer_pretty(&mut *out, &doc)?;
                writeln!(out)
            }
            AnswerFormat::Table => {
                writeln!(
                    out,
                    "Introduction paths from {} to {} (k {}, at most {} hops{}), graph version {}",
                    r.from.trim(),
                    r.to.trim(),
                    r.k,
                    r.max_hops,
                    if r.cross_border_only {
                        ", cross-border ties only"
                    } else {
                        ""
                    },
                    g.version()
                )?;
                writeln!(
                    out,
                    "length of a tie = (1 / strength) x (1 + 0.25 x years since it last held)"
                )?;
                if self.paths.is_empty() {
                    writeln!(out, "no path within {} hops", r.max_hops)?;
                }
                if let Some(first) = self.paths.first().filter(|p| p.already_member()) {
                    let roles: Vec<String> = first
                        .hops
                        .iter()
                        .filter_map(|h| h.membership.as_ref())
                        .map(|m| {
                            let role = m.role.map_or("a member", |r| r.code());
                            format!("{} is {role} of {}", m.member, m.lab)
                        })
                        .collect();
                    writeln!(
                        out,
                        "already a member: {}; no introduction is needed",
                        roles.join(" and ")
                    )?;
                }
                for (i, p) in self.paths.iter().enumerate() {
                    writeln!(out)?;
                    writeln!(out, "{}. length {:.2}, {}", i + 1, p.length, hop_count(p))?;
                    write_path(g, p, "   ", out)?;
                }
                Ok(())
            }
        }
    }
}

/// Which graph `labgraph partners-evaluate` measures on.
#[derive(Debug, Clone, PartialEq)]
pub enum EvaluationGraph {
    /// The database file.
    Database(PathBuf),
    /// graph-seed/, built into the binary.
    Seed,
    /// The synthetic generator's graph with these parameters.
    Synthetic(labgraph_io::synthetic::Params),
}

/// What `labgraph partners-evaluate` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluateRequest {
    /// The graph.
    pub graph: EvaluationGraph,
    /// Rank people instead of institutions.
    pub people: bool,
    /// The held-out year; the latest that makes a tie when `None`.
    pub year: Option<i32>,
    /// The cut-offs.
    pub ks: Vec<usize>,
}

/// What `labgraph partners-evaluate` measured.
#[derive(Debug, Clone)]
pub struct EvaluateReport {
    /// Which graph, for the header.
    pub graph: String,
    /// The measurement.
    pub evaluation: Evaluation,
}

/// `labgraph partners-evaluate`: precision@k and recall@k of the partner finder on held-out
/// ties, beside preferential attachment and a random order.
pub async fn partners_evaluate(
    request: &EvaluateRequest,
    progress: &Progress,
) -> Result<EvaluateReport> {
    let (graph, what) = match &request.graph {
        EvaluationGraph::Database(db) => (load(db, progress).await?, db.display().to_string()),
        EvaluationGraph::Seed => {
            let parsed = crate::seed_data::parse()?;
            let (g, _) = parsed
                .apply_to(&Graph::new())
                .context("the built-in seed is invalid")?;
            (Arc::new(g), "graph-seed (built in)".to_owned())
        }
        EvaluationGraph::Synthetic(params) => {
            let bar = progress.spinner("generating the synthetic graph");
            let mut bytes = Vec::new();
            labgraph_io::synthetic::write_synthetic(params, &mut bytes)?;
            let text = String::from_utf8(bytes).context("the synthetic graph is not UTF-8")?;
            let parsed =
                labgraph_io::read_str("synthetic.jsonl", &text, labgraph_io::Format::Jsonl)?;
            let (g, _) = parsed.apply_to(&Graph::new())?;
            bar.finish_and_clear();
            (
                Arc::new(g),
                format!(
                    "synthetic: {} institutions, {} people, seed {}",
                    params.institutions, params.people, params.seed
                ),
            )
        }
    };
    let actors = if request.people {
        Actors::People
    } else {
        Actors::Institutions
    };
    let (year, ks) = (request.year, request.ks.clone());
    let bar = progress.spinner("ranking held-out ties");
    let evaluation =
        tokio::task::spawn_blocking(move || evaluate::evaluate(&graph, actors, year, &ks))
            .await
            .context("the evaluation task failed")?
            .map_err(bad)?;
    bar.finish_and_clear();
    let network = if request.people {
        "people"
    } else {
        "institutions"
    };
    Ok(EvaluateReport {
        graph: format!("{what}; {network}"),
        evaluation,
    })
}

impl EvaluateReport {
    /// Writes the table (or JSON).
    pub fn write(&self, format: AnswerFormat, out: &mut dyn Write) -> io::Result<()> {
        let e = &self.evaluation;
        match format {
            AnswerFormat::Json => {
                let doc = json!({
                    "graph": self.graph, "year": e.year, "skippedYears": e.skipped_years,
                    "heldOutEdges": e.held_out_edges, "trainingTies": e.training_ties,
                    "newTies": e.new_ties.iter().map(|(a, b)| [a.as_str(), b.as_str()]).collect::<Vec<_>>(),
                    "sources": e.sources, "meanCandidates": e.mean_candidates,
                    "results": e.results.iter().map(|r| json!({
                        "method": r.method.name(),
                        "at": r.at.iter().map(|a| json!({"k": a.k, "precision": a.precision, "recall": a.recall})).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                });
                serde_json::to_writer_pretty(&mut *out, &doc)?;
                writeln!(out)
            }
            AnswerFormat::Table => {
                writeln!(out, "Partner finder, held-out evaluation on {}", self.graph)?;
                if !e.skipped_years.is_empty() {
                    let y: Vec<String> = e.skipped_years.iter().map(i32::to_string).collect();
                    writeln!(out, "skipped (their edges make no tie): {}", y.join(", "))?;
                }
                writeln!(
                    out,
                    "held-out year {}: {} edges start then, {} new ties among {} sources; training ties {}, {:.1} candidates per source",
                    e.year,
                    e.held_out_edges,
                    e.new_ties.len(),
                    e.sources,
                    e.training_ties,
                    e.mean_candidates
                )?;
                let ks: Vec<usize> = e
                    .results
                    .first()
                    .map(|r| r.at.iter().map(|a| a.k).collect())
                    .unwrap_or_default();
                write!(out, "{:<26}", "method")?;
                for k in &ks {
                    write!(out, " {:>8} {:>8}", format!("P@{k}"), format!("R@{k}"))?;
                }
                writeln!(out)?;
                for r in &e.results {
                    write!(out, "{:<26}", r.method.name())?;
                    for a in &r.at {
                        write!(out, " {:>8.4} {:>8.4}", a.precision, a.recall)?;
                    }
                    writeln!(out)?;
                }
                if e.new_ties.len() < 10 {
                    writeln!(
                        out,
                        "only {} held-out ties: too few to tell the methods apart",
                        e.new_ties.len()
                    )?;
                }
                Ok(())
            }
        }
    }
}
