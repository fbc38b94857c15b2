//! `labgraph gaps`, `labgraph what-if`, `labgraph evolution` and `labgraph rollup`: the policy
//! staff's answers of labgraph-insights (and the API's roll-ups) on the database, written as a
//! table to read or as JSON for programs.
//! Bad arguments (unknown ids, `k` out of range, years out of range, a malformed `--add-lab`)
//! are [`BadInput`]: exit code 3, as everywhere in the CLI.

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use labgraph_domain::{EdgeKind, Graph, Id};
use labgraph_insights::InsightError;
use labgraph_insights::evolution::{self, TieChanges, YearFigures};
use labgraph_insights::gaps::{self, AreaLevel, AtRisk, GapParams, Gaps, WeakPoint};
use labgraph_insights::whatif::{self, Proposal, ProposedLab, ProposedTie, WhatIf};
use labgraph_store::{GraphService, StoreError};
use serde_json::{Value, json};

use crate::commands::{BadInput, open_service};
use crate::config::StoreLocation;
use crate::progress::Progress;

/// How an answer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnswerFormat {
    /// Aligned tables for reading.
    #[default]
    Table,
    /// One JSON document, everything included.
    Json,
}

/// The service over the database at `db`, which must exist (reading never creates one).
async fn open(db: &Path, progress: &Progress) -> Result<Arc<GraphService>> {
    if !db.exists() {
        return Err(StoreError::Unavailable(format!(
            "{}: no such database (create one with `labgraph seed` or `labgraph import`)",
            db.display()
        ))
        .into());
    }
    open_service(&StoreLocation::Embedded(db.to_path_buf()), false, progress).await
}

/// The graph of the database at `db`, which must exist.
async fn load(db: &Path, progress: &Progress) -> Result<Arc<Graph>> {
    Ok(open(db, progress).await?.snapshot())
}

/// An argument error of labgraph-insights as the CLI's bad input (exit code 3).
fn bad(error: InsightError) -> anyhow::Error {
    anyhow::Error::new(BadInput(error.to_string()))
}

/// Runs CPU-bound `work` off the async workers.
async fn blocking<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .with_context(|| format!("the {what} task failed"))?
}

/// What `labgraph gaps` found: the gaps and the bridges at risk, on one graph version.
#[derive(Debug, Clone)]
pub struct GapsReport {
    /// The graph version read.
    pub version: u64,
    /// The arguments.
    pub params: GapParams,
    /// Matrix, reach, fields without a cross-border lab.
    pub gaps: Gaps,
    /// Bridges and articulation points whose loss cuts Mainland institutions off.
    pub at_risk: Vec<AtRisk>,
}

/// What `labgraph gaps` is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapsRequest {
    /// Rows of the matrix: cities or regions.
    pub level: AreaLevel,
    /// Columns of the matrix (field ids); every field when empty.
    pub fields: Vec<String>,
    /// Longest path (in ties) that counts as reaching Hong Kong or Macao.
    pub k: u32,
    /// The network as it stood in this year.
    pub as_of: Option<i32>,
}

/// Reads an id given on the command line by `flag`.
fn id_arg(flag: &str, text: &str) -> Result<Id> {
    Id::new(text.trim()).map_err(|e| anyhow::Error::new(BadInput(format!("{flag} {text:?}: {e}"))))
}

/// `labgraph gaps`: the gap matrix, paths to Hong Kong and Macao, fields without a
/// cross-border lab and the bridges at risk, on the database at `db`.
pub async fn gaps(db: &Path, request: &GapsRequest, progress: &Progress) -> Result<GapsReport> {
    let params = GapParams {
        level: request.level,
        fields: if request.fields.is_empty() {
            None
        } else {
            Some(
                request
                    .fields
                    .iter()
                    .map(|f| id_arg("--field", f))
                    .collect::<Result<_>>()?,
            )
        },
        k: request.k,
        as_of: request.as_of,
    };
    let graph = load(db, progress).await?;
    params.check(&graph).map_err(bad)?;
    let bar = progress.spinner("finding gaps");
    let report = blocking("gaps", move || {
        Ok(GapsReport {
            version: graph.version(),
            gaps: gaps::gaps(&graph, &params).map_err(bad)?,
            at_risk: gaps::bridges_at_risk(&graph, params.as_of).map_err(bad)?,
            params,
        })
    })
    .await?;
    bar.finish_and_clear();
    Ok(report)
}

fn opt<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn ratio(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}"))
}

fn ids(list: &[Id]) -> Vec<&str> {
    list.iter().map(Id::as_str).collect()
}

fn point(p: &WeakPoint) -> (&'static str, Vec<&str>) {
    match p {
        WeakPoint::Tie(a, b) => ("tie", vec![a.as_str(), b.as_str()]),
        WeakPoint::Institution(a) => ("institution", vec![a.as_str()]),
    }
}

impl GapsReport {
    /// Writes the report: the gap cells, regions, unreached cities and institutions, fields
    /// without a cross-border lab and bridges at risk as tables; or everything as JSON.
    pub fn write(&self, format: AnswerFormat, out: &mut dyn Write) -> io::Result<()> {
        let k = self.gaps.reach.k;
        match format {
            AnswerFormat::Json => {
                let doc = json!({
                    "graphVersion": self.version,
                    "k": k,
                    "asOf": self.params.as_of,
                    "matrix": self.gaps.matrix.iter().map(|c| json!({
                        "area": c.area.key(), "field": c.field.as_str(),
                        "institutions": c.institutions, "observed": c.observed,
                        "expected": c.expected, "ratio": c.ratio, "gap": c.is_gap(),
                    })).collect::<Vec<_>>(),
                    "regions": self.gaps.reach.regions.iter().map(|r| json!({
                        "region": r.region.code(), "institutions": r.institutions,
                        "withinKOfHk": r.within_k_of_hk, "withinKOfMacao": r.within_k_of_macao,
                        "unreached": r.unreached,
                    })).collect::<Vec<_>>(),
                    "cities": self.gaps.reach.cities.iter().map(|c| json!({
                        "city": c.city.as_str(), "region": c.region.code(),
                        "institutions": c.institutions, "toHk": c.to_hk, "toMacao": c.to_macao,
                    })).collect::<Vec<_>>(),
                    "institutions": self.gaps.reach.institutions.iter().map(|r| json!({
                        "id": r.id.as_str(), "city": r.city.as_ref().map(Id::as_str),
                        "toHk": r.to_hk, "toMacao": r.to_macao, "withinK": r.within(k),
                    })).collect::<Vec<_>>(),
                    "fieldsWithoutCrossBorderLab": self.gaps.fields_without_cross_border_lab.iter()
                        .map(|f| json!({"field": f.field.as_str(), "labs": f.labs}))
                        .collect::<Vec<_>>(),
                    "communities": self.gaps.communities.communities.iter().map(|c| json!({
                        "index": c.index, "members": ids(&c.members),
                    })).collect::<Vec<_>>(),
                    "communityPairsWithoutTie": self.gaps.communities.untied,
                    "bridgesAtRisk": self.at_risk.iter().map(|r| {
                        let (kind, ends) = point(&r.point);
                        json!({"kind": kind, "ends": ends,
                               "cutOffFromHk": ids(&r.cut_off_from_hk),
                               "cutOffFromMacao": ids(&r.cut_off_from_macao)})
                    }).collect::<Vec<_>>(),
                });
                serde_json::to_writer(&mut *out, &doc)?;
                writeln!(out)
            }
            AnswerFormat::Table => {
                let level = match self.params.level {
                    AreaLevel::City => "city",
                    AreaLevel::Region => "region",
                };
                writeln!(
                    out,
                    "gaps on graph version {} ({level} × field, k = {k}, as of {})",
                    self.version,
                    self.params
                        .as_of
                        .map_or_else(|| "today".to_owned(), |y| y.to_string())
                )?;
                let cells: Vec<_> = self.gaps.matrix.iter().filter(|c| c.is_gap()).collect();
                writeln!(
                    out,
                    "\n{} gap cells (institutions that could hold a cross-border tie, none does):",
                    cells.len()
                )?;
                writeln!(
                    out,
                    "{:<22} {:<36} {:>12} {:>8} {:>8}",
                    level, "field", "institutions", "observed", "expected"
                )?;
                for c in cells {
                    writeln!(
                        out,
                        "{:<22} {:<36} {:>12} {:>8} {:>8.2}",
                        c.area.key(),
                        c.field.as_str(),
                        c.institutions,
                        c.observed,
                        c.expected
                    )?;
                }
                writeln!(out, "\ncells with cross-border ties (observed / expected):")?;
                for c in self.gaps.matrix.iter().filter(|c| c.observed > 0) {
                    writeln!(
                        out,
                        "{:<22} {:<36} {:>12} {:>8} {:>8.2}  ratio {}",
                        c.area.key(),
                        c.field.as_str(),
                        c.institutions,
                        c.observed,
                        c.expected,
                        ratio(c.ratio)
                    )?;
                }
                writeln!(
                    out,
                    "\nGuangdong regions, institutions within {k} ties of HK / Macao:"
                )?;
                writeln!(
                    out,
                    "{:<10} {:>12} {:>8} {:>8} {:>10}",
                    "region", "institutions", "HK", "Macao", "unreached"
                )?;
                for r in &self.gaps.reach.regions {
                    writeln!(
                        out,
                        "{:<10} {:>12} {:>8} {:>8} {:>10}",
                        r.region.code(),
                        r.institutions,
                        r.within_k_of_hk,
                        r.within_k_of_macao,
                        r.unreached
                    )?;
                }
                let cities: Vec<String> = self
                    .gaps
                    .reach
                    .unreached_cities()
                    .map(|c| format!("{} ({})", c.city, c.institutions))
                    .collect();
                writeln!(
                    out,
                    "\ncities with no path of ≤ {k} ties to HK or Macao (institutions): {}",
                    cities.join(", ")
                )?;
                writeln!(
                    out,
                    "institutions with no path of ≤ {k} ties to HK or Macao:"
                )?;
                for r in self.gaps.reach.unreached_institutions() {
                    writeln!(
                        out,
                        "  {:<36} {:<12} to HK {:>2}  to Macao {:>2}",
                        r.id.as_str(),
                        opt(r.city.as_ref()),
                        opt(r.to_hk),
                        opt(r.to_macao)
                    )?;
                }
                let fields: Vec<String> = self
                    .gaps
                    .fields_without_cross_border_lab
                    .iter()
                    .map(|f| format!("{} ({} labs)", f.field, f.labs))
                    .collect();
                writeln!(
                    out,
                    "\nfields without a cross-border lab: {}",
                    fields.join(", ")
                )?;
                writeln!(out, "\ncommunities (Louvain, two or more institutions):")?;
                for c in &self.gaps.communities.communities {
                    writeln!(out, "  {:>3}  {}", c.index, ids(&c.members).join(", "))?;
                }
                let pairs: Vec<String> = self
                    .gaps
                    .communities
                    .untied
                    .iter()
                    .map(|(a, b)| format!("{a}–{b}"))
                    .collect();
                writeln!(
                    out,
                    "pairs of communities with no tie: {}",
                    pairs.join(", ")
                )?;
                writeln!(
                    out,
                    "\n{} bridges at risk (their loss cuts Mainland institutions off):",
                    self.at_risk.len()
                )?;
                for r in &self.at_risk {
                    let (kind, ends) = point(&r.point);
                    writeln!(
                        out,
                        "  {kind:<11} {:<40} from HK: [{}]  from Macao: [{}]",
                        ends.join(" – "),
                        ids(&r.cut_off_from_hk).join(", "),
                        ids(&r.cut_off_from_macao).join(", ")
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// Parses `--add-lab PARTNER,PARTNER[,...][:FIELD[,FIELD...][:CITY]]`.
pub fn parse_lab(text: &str) -> Result<ProposedLab> {
    let bad_lab =
        |reason: String| anyhow::Error::new(BadInput(format!("--add-lab {text:?}: {reason}")));
    let list = |part: &str, what: &str| -> Result<Vec<Id>> {
        part.split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| Id::new(s.trim()).map_err(|e| bad_lab(format!("{what}: {e}"))))
            .collect()
    };
    let mut parts = text.split(':');
    let partners = list(parts.next().unwrap_or_default(), "partner")?;
    let fields = match parts.next() {
        Some(p) => list(p, "field")?,
        None => Vec::new(),
    };
    let city = match parts.next() {
        Some(c) if !c.trim().is_empty() => {
            Some(Id::new(c.trim()).map_err(|e| bad_lab(format!("city: {e}")))?)
        }
        _ => None,
    };
    if parts.next().is_some() {
        return Err(bad_lab(
            "expected PARTNER,PARTNER[,...][:FIELD[,FIELD...][:CITY]]".to_owned(),
        ));
    }
    Ok(ProposedLab {
        partners,
        fields,
        city,
        ..ProposedLab::default()
    })
}

/// Parses `--add-tie A,B[,STRENGTH]` (a collaboration between two institutions).
pub fn parse_tie(text: &str) -> Result<ProposedTie> {
    let bad_tie =
        |reason: String| anyhow::Error::new(BadInput(format!("--add-tie {text:?}: {reason}")));
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let (a, b, strength) = match parts.as_slice() {
        [a, b] => (*a, *b, None),
        [a, b, s] => (
            *a,
            *b,
            Some(
                s.parse::<f64>()
                    .map_err(|_| bad_tie(format!("strength {s:?} is not a number")))?,
            ),
        ),
        _ => return Err(bad_tie("expected A,B or A,B,STRENGTH".to_owned())),
    };
    let id = |s: &str| Id::new(s).map_err(|e| bad_tie(e.to_string()));
    Ok(ProposedTie {
        a: id(a)?,
        b: id(b)?,
        kind: EdgeKind::CollaboratesWith,
        strength,
    })
}

/// What `labgraph what-if` found.
#[derive(Debug, Clone)]
pub struct WhatIfReport {
    /// The graph version read (and left as it was).
    pub version: u64,
    /// Before, after and delta.
    pub answer: WhatIf,
}

/// What `labgraph what-if` is asked, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WhatIfRequest {
    /// `--add-lab` values (see [`parse_lab`]).
    pub labs: Vec<String>,
    /// `--add-tie` values (see [`parse_tie`]).
    pub ties: Vec<String>,
    /// `--remove` ids.
    pub remove: Vec<String>,
    /// The network as it stood in this year.
    pub as_of: Option<i32>,
}

/// `labgraph what-if`: the institution network with the proposal applied to a copy of the
/// database's graph; nothing is written.
pub async fn what_if(
    db: &Path,
    request: &WhatIfRequest,
    progress: &Progress,
) -> Result<WhatIfReport> {
    let proposal = Proposal {
        labs: request
            .labs
            .iter()
            .map(|l| parse_lab(l))
            .collect::<Result<_>>()?,
        ties: request
            .ties
            .iter()
            .map(|t| parse_tie(t))
            .collect::<Result<_>>()?,
        remove: request
            .remove
            .iter()
            .map(|r| id_arg("--remove", r))
            .collect::<Result<_>>()?,
        as_of: request.as_of,
    };
    let graph = load(db, progress).await?;
    whatif::check(&graph, &proposal).map_err(bad)?;
    blocking("what-if", move || {
        Ok(WhatIfReport {
            version: graph.version(),
            answer: whatif::what_if(&graph, &proposal).map_err(bad)?,
        })
    })
    .await
}

impl WhatIfReport {
    /// Writes before, after and what changes.
    pub fn write(&self, format: AnswerFormat, out: &mut dyn Write) -> io::Result<()> {
        let w = &self.answer;
        let summary = |s: &whatif::Summary| {
            json!({"institutions": s.institutions, "ties": s.ties,
                   "crossBorderTies": s.cross_border_ties, "components": s.components,
                   "isolated": s.isolated, "largestComponent": s.largest_component})
        };
        let changes = |list: &[whatif::ComponentChange]| -> Vec<Value> {
            list.iter()
                .map(|c| {
                    json!({"size": c.size, "parts": c.parts.iter()
                        .map(|p| json!({"first": p.first.as_str(), "size": p.size}))
                        .collect::<Vec<_>>()})
                })
                .collect()
        };
        let gap_changes = |list: &[whatif::GapChange]| -> Vec<Value> {
            list.iter()
                .map(|g| {
                    json!({"city": g.area.key(), "field": g.field.as_str(),
                           "observedBefore": g.observed_before, "observedAfter": g.observed_after})
                })
                .collect()
        };
        match format {
            AnswerFormat::Json => {
                let doc = json!({
                    "graphVersion": self.version,
                    "before": summary(&w.before),
                    "after": summary(&w.after),
                    "delta": {
                        "joined": changes(&w.delta.joined),
                        "split": changes(&w.delta.split),
                        "distances": w.delta.distances.iter().map(|d| json!({
                            "id": d.id.as_str(), "toHkBefore": d.to_hk_before,
                            "toHkAfter": d.to_hk_after, "toMacaoBefore": d.to_macao_before,
                            "toMacaoAfter": d.to_macao_after, "shortened": d.shortens(),
                        })).collect::<Vec<_>>(),
                        "betweenness": w.delta.betweenness.iter().map(|b| json!({
                            "id": b.id.as_str(), "before": b.before, "after": b.after,
                            "rankBefore": b.rank_before, "rankAfter": b.rank_after,
                        })).collect::<Vec<_>>(),
                        "gapsClosed": gap_changes(&w.delta.gaps_closed),
                        "gapsOpened": gap_changes(&w.delta.gaps_opened),
                    },
                });
                serde_json::to_writer(&mut *out, &doc)?;
                writeln!(out)
            }
            AnswerFormat::Table => {
                writeln!(
                    out,
                    "what-if on graph version {} (nothing stored)",
                    self.version
                )?;
                writeln!(
                    out,
                    "{:<20} {:>8} {:>8}",
                    "institution network", "before", "after"
                )?;
                for (label, b, a) in [
                    ("institutions", w.before.institutions, w.after.institutions),
                    ("ties", w.before.ties, w.after.ties),
                    (
                        "cross-border ties",
                        w.before.cross_border_ties,
                        w.after.cross_border_ties,
                    ),
                    ("components", w.before.components, w.after.components),
                    ("isolated", w.before.isolated, w.after.isolated),
                    (
                        "largest component",
                        w.before.largest_component,
                        w.after.largest_component,
                    ),
                ] {
                    writeln!(out, "{label:<20} {b:>8} {a:>8}")?;
                }
                for (label, list) in [("joined", &w.delta.joined), ("split", &w.delta.split)] {
                    for c in list {
                        let parts: Vec<String> = c
                            .parts
                            .iter()
                            .map(|p| format!("{} ({})", p.first, p.size))
                            .collect();
                        writeln!(
                            out,
                            "components {label}: {} → {}",
                            parts.join(" + "),
                            c.size
                        )?;
                    }
                }
                writeln!(out, "\ndistances to HK / Macao that change (ties):")?;
                for d in &w.delta.distances {
                    writeln!(
                        out,
                        "  {:<36} HK {:>2} → {:<2}  Macao {:>2} → {:<2}",
                        d.id.as_str(),
                        opt(d.to_hk_before),
                        opt(d.to_hk_after),
                        opt(d.to_macao_before),
                        opt(d.to_macao_after)
                    )?;
                }
                writeln!(out, "\ntop brokers (normalised betweenness, rank):")?;
                for b in &w.delta.betweenness {
                    writeln!(
                        out,
                        "  {:<36} {:>8} → {:<8} rank {:>3} → {}",
                        b.id.as_str(),
                        b.before
                            .map_or_else(|| "-".to_owned(), |v| format!("{v:.4}")),
                        b.after
                            .map_or_else(|| "-".to_owned(), |v| format!("{v:.4}")),
                        opt(b.rank_before),
                        opt(b.rank_after)
                    )?;
                }
                for (label, list) in [
                    ("gap cells closed", &w.delta.gaps_closed),
                    ("gap cells opened", &w.delta.gaps_opened),
                ] {
                    let cells: Vec<String> = list
                        .iter()
                        .map(|g| format!("{} × {}", g.area.key(), g.field))
                        .collect();
                    writeln!(out, "\n{label}: {}", cells.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

/// What `labgraph evolution` found.
#[derive(Debug, Clone)]
pub struct EvolutionReport {
    /// The graph version read.
    pub version: u64,
    /// One entry per year.
    pub years: Vec<YearFigures>,
    /// Ties new and ended between the first and the last year.
    pub changes: TieChanges,
}

/// `labgraph evolution`: the institution network every year from `from` to `to`, and the ties
/// that began and ended in between.
pub async fn evolution(
    db: &Path,
    from: i32,
    to: i32,
    progress: &Progress,
) -> Result<EvolutionReport> {
    evolution::check_years(from, to).map_err(bad)?;
    let graph = load(db, progress).await?;
    blocking("evolution", move || {
        Ok(EvolutionReport {
            version: graph.version(),
            years: evolution::evolution(&graph, from, to).map_err(bad)?,
            changes: evolution::tie_changes(&graph, from, to).map_err(bad)?,
        })
    })
    .await
}

impl EvolutionReport {
    /// Writes the yearly series and the tie changes.
    pub fn write(&self, format: AnswerFormat, out: &mut dyn Write) -> io::Result<()> {
        let change = |c: &evolution::TieChange| {
            json!({"a": c.a.as_str(), "b": c.b.as_str(),
                   "tieClass": c.class.map(|t| format!("{t:?}")), "year": c.year})
        };
        match format {
            AnswerFormat::Json => {
                let doc = json!({
                    "graphVersion": self.version,
                    "years": self.years.iter().map(|y| json!({
                        "year": y.year, "institutions": y.institutions, "labs": y.labs,
                        "ties": y.ties, "crossBorderTies": y.cross_border_ties,
                        "crossBorderShare": y.cross_border_share, "density": y.density,
                        "components": y.components,
                        "topBrokers": y.top_brokers.iter()
                            .map(|(id, s)| json!({"id": id.as_str(), "betweenness": s}))
                            .collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "newTies": self.changes.new.iter().map(change).collect::<Vec<_>>(),
                    "endedTies": self.changes.ended.iter().map(change).collect::<Vec<_>>(),
                });
                serde_json::to_writer(&mut *out, &doc)?;
                writeln!(out)
            }
            AnswerFormat::Table => {
                writeln!(out, "evolution on graph version {}", self.version)?;
                writeln!(
                    out,
                    "{:>4} {:>12} {:>5} {:>5} {:>12} {:>6} {:>8} {:>10}  top brokers",
                    "year",
                    "institutions",
                    "labs",
                    "ties",
                    "cross-border",
                    "share",
                    "density",
                    "components"
                )?;
                for y in &self.years {
                    let brokers: Vec<String> = y
                        .top_brokers
                        .iter()
                        .map(|(id, s)| format!("{id} {s:.3}"))
                        .collect();
                    writeln!(
                        out,
                        "{:>4} {:>12} {:>5} {:>5} {:>12} {:>6} {:>8} {:>10}  {}",
                        y.year,
                        y.institutions,
                        y.labs,
                        y.ties,
                        y.cross_border_ties,
                        ratio(y.cross_border_share),
                        y.density
                            .map_or_else(|| "-".to_owned(), |d| format!("{d:.4}")),
                        y.components,
                        brokers.join(", ")
                    )?;
                }
                for (label, list) in [
                    ("new ties (first year)", &self.changes.new),
                    ("ended ties (last year)", &self.changes.ended),
                ] {
                    writeln!(out, "\n{label}: {}", list.len())?;
                    for c in list {
                        writeln!(
                            out,
                            "  {} {:<36} {:<36} {}",
                            c.year,
                            c.a.as_str(),
                            c.b.as_str(),
                            c.class.map_or_else(|| "-".to_owned(), |t| format!("{t:?}"))
                        )?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// The levels of `labgraph rollup`: lab → institution → city → region → jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollupLevel {
    /// Each institution with the labs it is a partner in.
    Institution,
    /// Each city.
    City,
    /// Each region.
    Region,
    /// Each jurisdiction.
    Jurisdiction,
}

impl RollupLevel {
    /// The GraphQL value.
    fn value(self) -> &'static str {
        match self {
            RollupLevel::Institution => "INSTITUTION",
            RollupLevel::City => "CITY",
            RollupLevel::Region => "REGION",
            RollupLevel::Jurisdiction => "JURISDICTION",
        }
    }
}

/// What `labgraph rollup` found: one row per group.
#[derive(Debug, Clone)]
pub struct RollupReport {
    /// The graph version read.
    pub version: u64,
    /// The level.
    pub level: RollupLevel,
    /// The rows as the API answers them (`key`, `name`, `labs`, `institutions`,
    /// `crossBorderLabs`, `ties`, `crossBorderTies`).
    pub rows: Vec<Value>,
}

/// `labgraph rollup`: the roll-up of every lab (or only joint labs) at `level`, counting
/// each tie once. Runs the API's own `rollup` field in-process, so the CLI and GraphQL can
/// never count differently.
pub async fn rollup(
    db: &Path,
    level: RollupLevel,
    joint_labs_only: bool,
    progress: &Progress,
) -> Result<RollupReport> {
    let service = open(db, progress).await?;
    let version = service.snapshot().version();
    let schema =
        labgraph_api::schema::build_schema(service, &labgraph_api::schema::SchemaConfig::default());
    let filter = if joint_labs_only {
        ", where: { kind: [JOINT_LAB] }"
    } else {
        ""
    };
    let query = format!(
        "{{ rollup(level: {}{filter}) {{ key name labs institutions crossBorderLabs ties crossBorderTies }} }}",
        level.value()
    );
    let response = schema.execute(query.as_str()).await;
    if let Some(error) = response.errors.first() {
        anyhow::bail!("rollup: {}", error.message);
    }
    let data = response
        .data
        .into_json()
        .context("rollup: the answer is not JSON")?;
    let rows = data["rollup"].as_array().cloned().unwrap_or_default();
    Ok(RollupReport {
        version,
        level,
        rows,
    })
}

impl RollupReport {
    /// Writes the rows as a table, or as one JSON document.
    pub fn write(&self, format: AnswerFormat, out: &mut dyn Write) -> io::Result<()> {
        match format {
            AnswerFormat::Json => {
                let doc = json!({
                    "graphVersion": self.version,
                    "level": self.level.value(),
                    "rows": self.rows,
                });
                serde_json::to_writer(&mut *out, &doc)?;
                writeln!(out)
            }
            AnswerFormat::Table => {
                writeln!(
                    out,
                    "roll-up by {} on graph version {} (each tie counted once)",
                    self.level.value().to_lowercase(),
                    self.version
                )?;
                writeln!(
                    out,
                    "{:<36} {:>5} {:>12} {:>13} {:>5} {:>13}",
                    "key", "labs", "institutions", "x-border labs", "ties", "x-border ties"
                )?;
                for row in &self.rows {
                    let n = |key: &str| row[key].as_u64().unwrap_or(0);
                    writeln!(
                        out,
                        "{:<36} {:>5} {:>12} {:>13} {:>5} {:>13}",
                        row["key"].as_str().unwrap_or_default(),
                        n("labs"),
                        n("institutions"),
                        n("crossBorderLabs"),
                        n("ties"),
                        n("crossBorderTies")
                    )?;
                }
                Ok(())
            }
        }
    }
}
