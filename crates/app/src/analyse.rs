//! `labgraph analyse`: builds a network — a projection of the database or a plain edge-list
//! file — runs one algorithm of labgraph-analytics on it, and writes the result as a table,
//! JSON or CSV; optionally writes the network itself as an edge list for other tools.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use labgraph_analytics::projection::{self, Filter, Weighting};
use labgraph_analytics::{EdgeListError, Network, PathWeights, algo};
use labgraph_domain::{Graph, Id};
use labgraph_store::StoreError;
use serde_json::json;

use crate::commands::{BadInput, open_service};
use crate::config::StoreLocation;
use crate::progress::Progress;

/// The algorithms of labgraph-analytics, by the name the command line uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Degree,
    Strength,
    Betweenness,
    EdgeBetweenness,
    Closeness,
    Harmonic,
    Pagerank,
    Components,
    Bridges,
    ArticulationPoints,
    CoreNumber,
    Clustering,
}

impl Algorithm {
    /// The name on the command line and in the output.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Degree => "degree",
            Algorithm::Strength => "strength",
            Algorithm::Betweenness => "betweenness",
            Algorithm::EdgeBetweenness => "edge-betweenness",
            Algorithm::Closeness => "closeness",
            Algorithm::Harmonic => "harmonic",
            Algorithm::Pagerank => "pagerank",
            Algorithm::Components => "components",
            Algorithm::Bridges => "bridges",
            Algorithm::ArticulationPoints => "articulation-points",
            Algorithm::CoreNumber => "core-number",
            Algorithm::Clustering => "clustering",
        }
    }

    /// Measures that follow shortest paths, where a weight is a length.
    fn follows_paths(self) -> bool {
        matches!(
            self,
            Algorithm::Betweenness
                | Algorithm::EdgeBetweenness
                | Algorithm::Closeness
                | Algorithm::Harmonic
        )
    }

    /// Whether `--weighted` changes anything: path measures (lengths), PageRank and strength
    /// (strengths). The others only ask whether a tie exists.
    fn reads_weights(self) -> bool {
        self.follows_paths() || matches!(self, Algorithm::Pagerank | Algorithm::Strength)
    }

    /// The default of `--normalized/--raw` where the choice exists: NetworkX's defaults
    /// (`betweenness_centrality` normalises; `G.degree` does not), so figures compare as they are.
    fn default_normalized(self) -> Option<bool> {
        match self {
            Algorithm::Betweenness | Algorithm::EdgeBetweenness => Some(true),
            Algorithm::Degree => Some(false),
            _ => None,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which projection of the database to analyse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Projection {
    /// Institutions tied by shared labs, collaboration and talent links.
    #[default]
    Institutions,
    /// People tied by collaboration.
    People,
    /// The bipartite institution–lab network.
    InstitutionLabs,
}

/// Where the network comes from.
#[derive(Debug, Clone)]
pub enum NetworkSource {
    /// A projection of the database at `db`, filtered.
    Database {
        db: PathBuf,
        projection: Projection,
        as_of: Option<i32>,
        verified_only: bool,
        cross_border_only: bool,
    },
    /// A plain edge list, `u v [w]` per line (see `labgraph_analytics::read_edge_list`).
    EdgeList(PathBuf),
}

/// What `labgraph analyse` is asked to do.
#[derive(Debug, Clone)]
pub struct AnalyseRequest {
    pub source: NetworkSource,
    /// The algorithm; `None` only builds (and exports) the network.
    pub algorithm: Option<Algorithm>,
    /// Read the weights: as lengths for path measures on an edge list (NetworkX's and igraph's
    /// meaning), as strengths turned into lengths `1 / s` on a projection, as strengths for
    /// PageRank and strength. Without it every tie counts 1.
    pub weighted: bool,
    /// `--normalized` (`Some(true)`) or `--raw` (`Some(false)`); `None` takes the algorithm's
    /// default.
    pub normalized: Option<bool>,
    /// Also write the network as an edge list to this file.
    pub export_edges: Option<PathBuf>,
}

/// How to write an [`Analysis`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// The top rows with their rank, aligned for reading.
    Table,
    /// Every node (or tie, or component), for programs.
    Json,
    /// Every node (or tie), one per line with a header.
    Csv,
}

/// The result of one algorithm.
#[derive(Debug, Clone)]
enum Outcome {
    /// A score per node, best first (ties broken by id).
    Scores(Vec<(Id, f64)>),
    /// A score per tie, best first.
    TieScores(Vec<(Id, Id, f64)>),
    /// Components, largest first.
    Components(Vec<Vec<Id>>),
    /// Ties, in the network's order.
    Ties(Vec<(Id, Id)>),
    /// Nodes, in the network's order.
    Nodes(Vec<Id>),
}

/// What `labgraph analyse` found, with the time it took to load and to compute.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Nodes and ties of the network analysed.
    pub nodes: usize,
    pub ties: usize,
    /// Opening the database and projecting, or reading the edge list.
    pub load_time: Duration,
    /// The algorithm call alone (no ranking, no output): what benchmarks compare.
    pub algorithm_time: Option<Duration>,
    algorithm: Option<Algorithm>,
    weights: &'static str,
    normalized: Option<bool>,
    outcome: Option<Outcome>,
}

/// `labgraph analyse`: loads the network, exports it when asked, runs the algorithm.
///
/// A missing database is [`StoreError::Unavailable`] (nothing is created: analysing is a
/// read); an unreadable edge list, a bad line (named `file:line`) or a flag that does not
/// apply to the algorithm is [`BadInput`].
pub async fn analyse(request: &AnalyseRequest, progress: &Progress) -> Result<Analysis> {
    let algorithm = request.algorithm;
    if let Some(alg) = algorithm
        && request.normalized.is_some()
        && alg.default_normalized().is_none()
    {
        return Err(BadInput(format!(
            "--normalized/--raw do not apply to {alg}: it has a single scale"
        ))
        .into());
    }

    let started = Instant::now();
    let graph = match &request.source {
        NetworkSource::Database { db, .. } => Some(load_graph(db, progress).await?),
        NetworkSource::EdgeList(_) => None,
    };
    let source = request.source.clone();
    let bar = progress.spinner(match &source {
        NetworkSource::Database { projection, .. } => format!("projecting {projection:?}"),
        NetworkSource::EdgeList(path) => format!("reading {}", path.display()),
    });
    // Projections and edge lists are CPU-bound: keep them off the async workers.
    let network = tokio::task::spawn_blocking(move || build_network(&source, graph.as_deref()))
        .await
        .context("the network-building task failed")??;
    bar.finish_and_clear();
    let load_time = started.elapsed();

    if let Some(path) = &request.export_edges {
        export_edges(&network, path)?;
    }

    let weights = match (request.weighted, &request.source) {
        (false, _) => PathWeights::Hops,
        (true, NetworkSource::EdgeList(_)) => PathWeights::Length,
        (true, NetworkSource::Database { .. }) => PathWeights::InverseStrength,
    };
    let normalized = algorithm.and_then(|a| request.normalized.or(a.default_normalized()));
    let (nodes, ties) = (network.node_count(), network.edge_count());
    let (outcome, algorithm_time) = match algorithm {
        None => (None, None),
        Some(alg) => {
            let bar = progress.spinner(format!("{alg} on {nodes} nodes, {ties} ties"));
            let weighted = request.weighted;
            // The network moves into the task (no copy of a 1M-tie CSR) and is dropped there.
            let (outcome, took) = tokio::task::spawn_blocking(move || {
                run(
                    alg,
                    &network,
                    weights,
                    weighted,
                    normalized.unwrap_or(false),
                )
            })
            .await
            .context("the analysis task failed")??;
            bar.finish_and_clear();
            (Some(outcome), Some(took))
        }
    };

    let described_weights = match algorithm {
        Some(a) if a.reads_weights() && request.weighted => {
            if a.follows_paths() {
                match weights {
                    PathWeights::Length => "length",
                    _ => "inverse-strength",
                }
            } else {
                "strength"
            }
        }
        _ => "none",
    };
    Ok(Analysis {
        nodes,
        ties,
        load_time,
        algorithm_time,
        algorithm,
        weights: described_weights,
        normalized,
        outcome,
    })
}

async fn load_graph(db: &Path, progress: &Progress) -> Result<Arc<Graph>> {
    // Opening would create an empty database: refuse instead, analysing is a read.
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

fn build_network(source: &NetworkSource, graph: Option<&Graph>) -> Result<Network> {
    match (source, graph) {
        (NetworkSource::EdgeList(path), _) => {
            // A bad line or an unreadable file names the file (and the line): the user's
            // input, exit code 3, as `import` treats its files.
            labgraph_analytics::read_edge_list(path)
                .map_err(|e: EdgeListError| anyhow::Error::new(BadInput(e.to_string())))
        }
        (
            NetworkSource::Database {
                projection,
                as_of,
                verified_only,
                cross_border_only,
                ..
            },
            Some(graph),
        ) => {
            let filter = Filter {
                as_of: *as_of,
                verified_only: *verified_only,
                cross_border_only: *cross_border_only,
                ..Filter::default()
            };
            Ok(match projection {
                Projection::Institutions => {
                    projection::institution_network(graph, &filter, Weighting::default())?
                }
                Projection::People => projection::person_network(graph, &filter),
                Projection::InstitutionLabs => projection::institution_lab_network(graph, &filter),
            })
        }
        (NetworkSource::Database { .. }, None) => {
            anyhow::bail!("internal: a database source needs the loaded graph")
        }
    }
}

fn export_edges(network: &Network, path: &Path) -> Result<()> {
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    labgraph_analytics::write_edge_list(network, &mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Runs `alg` and times the call alone; ranking the result happens after the clock stops.
fn run(
    alg: Algorithm,
    net: &Network,
    weights: PathWeights,
    weighted: bool,
    normalized: bool,
) -> Result<(Outcome, Duration)> {
    let started = Instant::now();
    let mut took = None;
    let mut stop = || *took.get_or_insert_with(|| started.elapsed());
    let ranked = |scores: labgraph_analytics::Scores, scale: f64| -> Outcome {
        Outcome::Scores(
            scores
                .top(scores.len())
                .into_iter()
                .map(|(id, s)| (id.clone(), s * scale))
                .collect(),
        )
    };
    let outcome = match alg {
        Algorithm::Degree => {
            let d = algo::degree(net);
            stop();
            // NetworkX's `degree_centrality`: the share of the other nodes a node is tied to.
            let scale = match (normalized, net.node_count()) {
                (true, n) if n > 1 => 1.0 / (n - 1) as f64,
                _ => 1.0,
            };
            ranked(d, scale)
        }
        // Without weights every tie counts 1, so strength is the degree (NetworkX's
        // `G.degree(weight=None)`).
        Algorithm::Strength => {
            let s = if weighted {
                algo::strength(net)
            } else {
                algo::degree(net)
            };
            stop();
            ranked(s, 1.0)
        }
        Algorithm::Betweenness => {
            let b = algo::betweenness(net, weights, normalized);
            stop();
            ranked(b, 1.0)
        }
        Algorithm::EdgeBetweenness => {
            let mut eb = algo::edge_betweenness(net, weights, normalized);
            stop();
            eb.sort_by(|x, y| {
                y.2.total_cmp(&x.2)
                    .then_with(|| (&x.0, &x.1).cmp(&(&y.0, &y.1)))
            });
            Outcome::TieScores(eb)
        }
        Algorithm::Closeness => {
            let c = algo::closeness(net, weights);
            stop();
            ranked(c, 1.0)
        }
        Algorithm::Harmonic => {
            let h = algo::harmonic(net, weights);
            stop();
            ranked(h, 1.0)
        }
        Algorithm::Pagerank => {
            let params = algo::PageRankParams {
                weighted,
                ..algo::PageRankParams::default()
            };
            let pr = algo::pagerank(net, &params)?;
            stop();
            ranked(pr, 1.0)
        }
        Algorithm::Components => {
            let c = algo::connected_components(net);
            stop();
            Outcome::Components(c)
        }
        Algorithm::Bridges => {
            let b = algo::bridges(net);
            stop();
            Outcome::Ties(b)
        }
        Algorithm::ArticulationPoints => {
            let a = algo::articulation_points(net);
            stop();
            Outcome::Nodes(a)
        }
        Algorithm::CoreNumber => {
            let c = algo::core_number(net);
            stop();
            ranked(c, 1.0)
        }
        Algorithm::Clustering => {
            let c = algo::clustering(net);
            stop();
            ranked(c, 1.0)
        }
    };
    Ok((outcome, stop()))
}

impl Analysis {
    /// Writes the result: `Table` shows the first `top` rows with their rank, `Json` and `Csv`
    /// everything. Writes nothing when no algorithm ran.
    pub fn write(&self, format: OutputFormat, top: usize, out: &mut dyn Write) -> io::Result<()> {
        let (Some(alg), Some(outcome)) = (self.algorithm, &self.outcome) else {
            return Ok(());
        };
        match format {
            OutputFormat::Table => self.write_table(alg, outcome, top, out),
            OutputFormat::Csv => write_csv(alg, outcome, out),
            OutputFormat::Json => {
                let mut doc = json!({
                    "algorithm": alg.name(),
                    "nodes": self.nodes,
                    "ties": self.ties,
                    "weights": self.weights,
                    "normalized": self.normalized,
                });
                let (key, value) = outcome_json(outcome);
                doc[key] = value;
                serde_json::to_writer(&mut *out, &doc)?;
                writeln!(out)
            }
        }
    }

    fn write_table(
        &self,
        alg: Algorithm,
        outcome: &Outcome,
        top: usize,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let scale = match self.normalized {
            Some(true) => ", normalized",
            Some(false) => ", raw",
            None => "",
        };
        writeln!(
            out,
            "{alg} (weights: {}{scale}) on {} nodes, {} ties",
            self.weights, self.nodes, self.ties
        )?;
        let width =
            |ids: &mut dyn Iterator<Item = &Id>| ids.map(|i| i.as_str().len()).max().unwrap_or(2);
        let sw = alg.name().len().max(14);
        match outcome {
            Outcome::Scores(rows) => {
                let w = width(&mut rows.iter().take(top).map(|r| &r.0)).max(2);
                writeln!(out, "{:>5}  {:<w$}  {:>sw$}", "rank", "id", alg.name())?;
                for (rank, (id, score)) in rows.iter().take(top).enumerate() {
                    // `as_str`: `Id`'s Display writes the text as is, ignoring the width.
                    let id = id.as_str();
                    writeln!(out, "{:>5}  {id:<w$}  {score:>sw$.6}", rank + 1)?;
                }
            }
            Outcome::TieScores(rows) => {
                let wa = width(&mut rows.iter().take(top).map(|r| &r.0)).max(1);
                let wb = width(&mut rows.iter().take(top).map(|r| &r.1)).max(1);
                writeln!(
                    out,
                    "{:>5}  {:<wa$}  {:<wb$}  {:>sw$}",
                    "rank",
                    "a",
                    "b",
                    alg.name()
                )?;
                for (rank, (a, b, score)) in rows.iter().take(top).enumerate() {
                    let (a, b) = (a.as_str(), b.as_str());
                    writeln!(out, "{:>5}  {a:<wa$}  {b:<wb$}  {score:>sw$.6}", rank + 1)?;
                }
            }
            Outcome::Components(parts) => {
                writeln!(out, "{} components", parts.len())?;
                writeln!(out, "{:>5}  {:>9}  members", "rank", "size")?;
                for (rank, part) in parts.iter().take(top).enumerate() {
                    // A component of 100k people does not fit a line: name the first few.
                    let shown: Vec<&str> = part.iter().take(5).map(|id| id.as_str()).collect();
                    let more = part.len().saturating_sub(shown.len());
                    let tail = if more > 0 {
                        format!(" … (+{more})")
                    } else {
                        String::new()
                    };
                    writeln!(
                        out,
                        "{:>5}  {:>9}  {}{tail}",
                        rank + 1,
                        part.len(),
                        shown.join(" ")
                    )?;
                }
            }
            Outcome::Ties(ties) => {
                writeln!(out, "{} bridges", ties.len())?;
                for (a, b) in ties.iter().take(top) {
                    writeln!(out, "{a}  {b}")?;
                }
            }
            Outcome::Nodes(nodes) => {
                writeln!(out, "{} articulation points", nodes.len())?;
                for id in nodes.iter().take(top) {
                    writeln!(out, "{id}")?;
                }
            }
        }
        Ok(())
    }
}

fn outcome_json(outcome: &Outcome) -> (&'static str, serde_json::Value) {
    match outcome {
        Outcome::Scores(rows) => (
            "scores",
            rows.iter()
                .enumerate()
                .map(|(i, (id, s))| json!({"rank": i + 1, "id": id.as_str(), "score": s}))
                .collect(),
        ),
        Outcome::TieScores(rows) => (
            "ties",
            rows.iter()
                .enumerate()
                .map(|(i, (a, b, s))| {
                    json!({"rank": i + 1, "a": a.as_str(), "b": b.as_str(), "score": s})
                })
                .collect(),
        ),
        Outcome::Components(parts) => (
            "components",
            parts
                .iter()
                .map(|p| p.iter().map(|id| id.as_str()).collect::<Vec<_>>())
                .collect(),
        ),
        Outcome::Ties(ties) => (
            "bridges",
            ties.iter()
                .map(|(a, b)| json!([a.as_str(), b.as_str()]))
                .collect(),
        ),
        Outcome::Nodes(nodes) => (
            "articulation_points",
            nodes.iter().map(|id| id.as_str()).collect(),
        ),
    }
}

/// CSV needs no quoting: domain ids hold only `[a-z0-9._-]`, and scores are plain numbers
/// (Rust's shortest round-trip form, so a reader gets the same `f64`).
fn write_csv(alg: Algorithm, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    match outcome {
        Outcome::Scores(rows) => {
            writeln!(out, "id,{}", alg.name())?;
            for (id, s) in rows {
                writeln!(out, "{id},{s}")?;
            }
        }
        Outcome::TieScores(rows) => {
            writeln!(out, "a,b,{}", alg.name())?;
            for (a, b, s) in rows {
                writeln!(out, "{a},{b},{s}")?;
            }
        }
        Outcome::Components(parts) => {
            writeln!(out, "id,component")?;
            for (i, part) in parts.iter().enumerate() {
                for id in part {
                    writeln!(out, "{id},{}", i + 1)?;
                }
            }
        }
        Outcome::Ties(ties) => {
            writeln!(out, "a,b")?;
            for (a, b) in ties {
                writeln!(out, "{a},{b}")?;
            }
        }
        Outcome::Nodes(nodes) => {
            writeln!(out, "id")?;
            for id in nodes {
                writeln!(out, "{id}")?;
            }
        }
    }
    out.flush()
}
