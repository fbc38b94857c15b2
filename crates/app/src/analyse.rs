//! `labgraph analyse`: builds a network — a projection of the database or a plain edge-list
//! file — runs one algorithm of labgraph-analytics on it, and writes the result as a table,
//! JSON or CSV; optionally writes the network itself as an edge list for other tools.

use std::collections::HashMap;
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
use crate::write_back::{self, WrittenBack};

mod structure;

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
    Eigenvector,
    Katz,
    Transitivity,
    Communities,
    Leiden,
    LabelPropagation,
    /// Burt's constraint, effective size, efficiency and hierarchy, one row per node.
    StructuralHoles,
    /// Gould & Fernandez brokerage roles by the groups of `AlgorithmOptions::groups`.
    Brokerage,
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
            Algorithm::Eigenvector => "eigenvector",
            Algorithm::Katz => "katz",
            Algorithm::Transitivity => "transitivity",
            Algorithm::Communities => "communities",
            Algorithm::Leiden => "leiden",
            Algorithm::LabelPropagation => "label-propagation",
            Algorithm::StructuralHoles => "structural-holes",
            Algorithm::Brokerage => "brokerage",
        }
    }

    /// Community searches that optimise modularity (take `--resolution` and `--seed`).
    fn is_modularity_search(self) -> bool {
        matches!(self, Algorithm::Communities | Algorithm::Leiden)
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
        self.follows_paths()
            || matches!(
                self,
                Algorithm::Pagerank
                    | Algorithm::Strength
                    | Algorithm::Eigenvector
                    | Algorithm::Katz
                    | Algorithm::Communities
                    | Algorithm::Leiden
                    | Algorithm::StructuralHoles
            )
    }

    /// The default of `--normalized/--raw` where the choice exists: NetworkX's defaults
    /// (`betweenness_centrality` normalises; `G.degree` does not), so figures compare as they are.
    fn default_normalized(self) -> Option<bool> {
        match self {
            Algorithm::Betweenness | Algorithm::EdgeBetweenness => Some(true),
            Algorithm::Degree => Some(false),
            // katz_centrality_numpy's default.
            Algorithm::Katz => Some(true),
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
    /// A projection of the graph in `store` (an embedded file or a Neo4j server), filtered.
    Database {
        store: StoreLocation,
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
    /// Parameters of single algorithms (`--resolution`, `--seed`, `--alpha`).
    pub options: AlgorithmOptions,
    /// Store each node's score as a property of its node in the Neo4j store analysed
    /// (`--write-back`; see `write_back.rs`).
    pub write_back: bool,
}

/// Parameters that only some algorithms take; `None` takes the algorithm's default. Giving one
/// to an algorithm that does not take it is [`BadInput`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlgorithmOptions {
    /// `communities`, `leiden`: the resolution γ of the modularity optimised (default 1).
    pub resolution: Option<f64>,
    /// `communities`, `leiden`: the seed of the random choices (default 0); same seed, same
    /// partition.
    pub seed: Option<u64>,
    /// `leiden`: runs of the whole algorithm, each from the last partition (default 2,
    /// igraph's); more can only keep or raise the modularity.
    pub iterations: Option<usize>,
    /// `katz`: the attenuation factor, below 1/λmax (default 0.1).
    pub alpha: Option<f64>,
    /// `brokerage` (required there): the group of each node.
    pub groups: Option<Groups>,
    /// `betweenness`, `edge-betweenness`: worker threads (default 1). A general knob: other
    /// algorithms may take it later.
    pub threads: Option<usize>,
    /// `betweenness`: sample instead of computing exactly, every normalised score within this ε
    /// of the exact one (Riondato & Kornaropoulos); `seed` then seeds the sampling.
    pub error: Option<f64>,
    /// `betweenness` with `error`: the probability δ allowed of missing ε (default 0.1).
    pub delta: Option<f64>,
}

/// The guarantee of a sampled betweenness: with probability at least `1 − delta` every score
/// is within `epsilon` of the exact one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleBound {
    pub epsilon: f64,
    pub delta: f64,
    /// Node pairs sampled.
    pub samples: usize,
    /// The bound on the vertex diameter the sample size was computed from.
    pub vertex_diameter_bound: usize,
}

/// Where `brokerage` takes the group of each node from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Groups {
    /// The region of a node of a projection (`labgraph_analytics::algo::region_group`).
    Region,
    /// The jurisdiction of a node of a projection (Mainland, Hong Kong, Macao).
    Jurisdiction,
    /// A file of `node group` lines (`labgraph_analytics::algo::read_groups`).
    File(PathBuf),
}

impl AlgorithmOptions {
    /// Refuses an option the algorithm does not take, or a value out of its range, naming the
    /// flag: the user's input, exit code 3.
    fn check(&self, alg: Algorithm) -> Result<()> {
        let takes = |flag: &str, ok: bool| -> Result<()> {
            if ok {
                Ok(())
            } else {
                Err(BadInput(format!("{flag} does not apply to {alg}")).into())
            }
        };
        if let Some(r) = self.resolution {
            takes("--resolution", alg.is_modularity_search())?;
            if !(r.is_finite() && r >= 0.0) {
                return Err(
                    BadInput(format!("--resolution {r}: must be finite and not negative")).into(),
                );
            }
        }
        if self.seed.is_some() {
            let sampled = alg == Algorithm::Betweenness && self.error.is_some();
            takes("--seed", alg.is_modularity_search() || sampled)?;
        }
        if let Some(i) = self.iterations {
            takes("--iterations", alg == Algorithm::Leiden)?;
            if i == 0 {
                return Err(BadInput("--iterations 0: at least 1".into()).into());
            }
        }
        if let Some(t) = self.threads {
            takes(
                "--threads",
                matches!(alg, Algorithm::Betweenness | Algorithm::EdgeBetweenness),
            )?;
            if t == 0 {
                return Err(BadInput("--threads 0: at least 1 (1 = sequential)".into()).into());
            }
        }
        for (flag, value) in [("--error", self.error), ("--delta", self.delta)] {
            if let Some(v) = value {
                takes(flag, alg == Algorithm::Betweenness)?;
                // Written so that NaN is refused too.
                if !(v > 0.0 && v < 1.0) {
                    return Err(BadInput(format!("{flag} {v}: must be between 0 and 1")).into());
                }
            }
        }
        if self.delta.is_some() && self.error.is_none() {
            return Err(BadInput("--delta needs --error (sampled betweenness)".into()).into());
        }
        if let Some(a) = self.alpha {
            takes("--alpha", alg == Algorithm::Katz)?;
            if !(a.is_finite() && a > 0.0) {
                return Err(BadInput(format!("--alpha {a}: must be finite and positive")).into());
            }
        }
        match &self.groups {
            Some(_) => takes("--groups", alg == Algorithm::Brokerage)?,
            None if alg == Algorithm::Brokerage => {
                return Err(BadInput(
                    "brokerage needs --groups region, jurisdiction or a FILE of `node group` lines"
                        .into(),
                )
                .into());
            }
            None => {}
        }
        Ok(())
    }
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
    /// Bridges or articulation points with the sizes of what each cuts off.
    Cuts(structure::CutRows),
    /// Burt's structural holes per node.
    Holes(structure::HoleRows),
    /// Brokerage roles per node.
    Brokers(structure::BrokerRows),
    /// One number for the whole network.
    Value(f64),
    /// Communities, largest first, and the partition's modularity.
    Communities {
        parts: Vec<Vec<Id>>,
        modularity: f64,
    },
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
    /// What `--write-back` wrote to the store.
    pub written_back: Option<WrittenBack>,
    /// The guarantee of sampled betweenness (`--error`).
    pub sampled: Option<SampleBound>,
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
    if let Some(alg) = algorithm {
        request.options.check(alg)?;
        structure::check_groups(request.options.groups.as_ref(), &request.source)?;
    }

    if request.write_back {
        // Refused before the load: a write-back that cannot happen must not cost a projection.
        write_back::check(request)?;
    }

    let started = Instant::now();
    let graph = match &request.source {
        NetworkSource::Database { store, .. } => Some(load_graph(store, progress).await?),
        NetworkSource::EdgeList(_) => None,
    };
    let source = request.source.clone();
    // Brokerage's regions and jurisdictions are read from the graph after the projection.
    let kept_graph = graph.clone();
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
    let groups = match algorithm {
        Some(Algorithm::Brokerage) => structure::resolve_groups(
            request.options.groups.as_ref(),
            kept_graph.as_deref(),
            &network,
        )?,
        _ => None,
    };
    drop(kept_graph);

    let weights = match (request.weighted, &request.source) {
        (false, _) => PathWeights::Hops,
        (true, NetworkSource::EdgeList(_)) => PathWeights::Length,
        (true, NetworkSource::Database { .. }) => PathWeights::InverseStrength,
    };
    let normalized = algorithm.and_then(|a| request.normalized.or(a.default_normalized()));
    let (nodes, ties) = (network.node_count(), network.edge_count());
    let (outcome, algorithm_time, sampled) = match algorithm {
        None => (None, None, None),
        Some(alg) => {
            let bar = progress.spinner(format!("{alg} on {nodes} nodes, {ties} ties"));
            let weighted = request.weighted;
            let options = request.options.clone();
            // The network moves into the task (no copy of a 1M-tie CSR) and is dropped there.
            let (outcome, took, sampled) = tokio::task::spawn_blocking(move || {
                run(
                    alg,
                    &network,
                    weights,
                    weighted,
                    normalized.unwrap_or(false),
                    &options,
                    groups,
                )
            })
            .await
            .context("the analysis task failed")??;
            bar.finish_and_clear();
            (Some(outcome), Some(took), sampled)
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
    let written_back = match (&outcome, request.write_back) {
        (Some(Outcome::Scores(scores)), true) => {
            Some(write_back::write(request, scores, progress).await?)
        }
        _ => None,
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
        written_back,
        sampled,
    })
}

async fn load_graph(store: &StoreLocation, progress: &Progress) -> Result<Arc<Graph>> {
    // Opening would create an empty database: refuse instead, analysing is a read.
    if let StoreLocation::Embedded(db) = store
        && !db.exists()
    {
        return Err(StoreError::Unavailable(format!(
            "{}: no such database (create one with `labgraph seed` or `labgraph import`)",
            db.display()
        ))
        .into());
    }
    // A Neo4j store is read in keyset pages of `page_size` nodes, each fetched `fetch_size`
    // rows per PULL: never one giant result.
    let service = open_service(store, false, progress).await?;
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
    options: &AlgorithmOptions,
    groups: Option<HashMap<Id, String>>,
) -> Result<(Outcome, Duration, Option<SampleBound>)> {
    let started = Instant::now();
    let mut took = None;
    // Set by sampled betweenness only.
    let mut sampled = None;
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
        Algorithm::Betweenness if options.error.is_some() => {
            // Flags that cannot hold for a sample: named, as the user's input.
            if weighted {
                return Err(
                    BadInput("--error samples hop-shortest paths: drop --weighted".into()).into(),
                );
            }
            if !normalized {
                return Err(
                    BadInput("--error estimates normalised scores: drop --raw".into()).into(),
                );
            }
            let defaults = algo::SampledParams::default();
            let params = algo::SampledParams {
                epsilon: options.error.unwrap_or(defaults.epsilon),
                delta: options.delta.unwrap_or(defaults.delta),
                seed: options.seed.unwrap_or(defaults.seed),
                threads: options.threads.unwrap_or(1),
            };
            let b = algo::betweenness_sampled(net, &params)?;
            stop();
            sampled = Some(SampleBound {
                epsilon: b.epsilon,
                delta: b.delta,
                samples: b.samples,
                vertex_diameter_bound: b.vertex_diameter_bound,
            });
            ranked(b.scores, 1.0)
        }
        Algorithm::Betweenness => {
            let params = algo::BetweennessParams {
                weights,
                normalized,
                threads: options.threads.unwrap_or(1),
            };
            let b = algo::betweenness_with(net, &params)?;
            stop();
            ranked(b, 1.0)
        }
        Algorithm::EdgeBetweenness => {
            let params = algo::BetweennessParams {
                weights,
                normalized,
                threads: options.threads.unwrap_or(1),
            };
            let mut eb = algo::edge_betweenness_with(net, &params)?;
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
        // Timed: the labelling, the unit of work igraph's and NetworkKit's calls do; the id
        // lists are output.
        Algorithm::Components => {
            let c = algo::Components::of(net);
            stop();
            Outcome::Components(c.into_ids(net))
        }
        // The sizes of the pieces come with the search (one pass): timed with it.
        Algorithm::Bridges => {
            let c = algo::cuts(net);
            stop();
            Outcome::Cuts(structure::CutRows::bridges(&c))
        }
        Algorithm::ArticulationPoints => {
            let c = algo::cuts(net);
            stop();
            Outcome::Cuts(structure::CutRows::points(&c))
        }
        Algorithm::StructuralHoles => {
            let h = algo::structural_holes(net, weighted);
            stop();
            Outcome::Holes(structure::HoleRows::new(&h))
        }
        Algorithm::Brokerage => {
            let groups = groups.unwrap_or_default();
            let b = algo::brokerage(net, |id| groups.get(id).map(String::as_str));
            stop();
            Outcome::Brokers(structure::BrokerRows::new(&b, &groups))
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
        Algorithm::Eigenvector => {
            let params = algo::EigenvectorParams {
                weighted,
                ..algo::EigenvectorParams::default()
            };
            let x = algo::eigenvector(net, &params)?;
            stop();
            ranked(x, 1.0)
        }
        Algorithm::Katz => {
            let defaults = algo::KatzParams::default();
            let params = algo::KatzParams {
                alpha: options.alpha.unwrap_or(defaults.alpha),
                weighted,
                normalized,
                ..defaults
            };
            // Only --alpha can put α beyond 1/λmax: the user's input, named by the error.
            let x = algo::katz(net, &params).map_err(|e| BadInput(format!("katz: {e}")))?;
            stop();
            ranked(x, 1.0)
        }
        Algorithm::Transitivity => {
            let t = algo::transitivity(net);
            stop();
            Outcome::Value(t)
        }
        Algorithm::Communities => {
            let defaults = algo::LouvainParams::default();
            let params = algo::LouvainParams {
                resolution: options.resolution.unwrap_or(defaults.resolution),
                weighted,
                seed: options.seed.unwrap_or(defaults.seed),
            };
            let p = algo::louvain(net, &params)?;
            stop();
            Outcome::Communities {
                parts: p.communities(),
                modularity: p.modularity(),
            }
        }
        Algorithm::Leiden => {
            let defaults = algo::LeidenParams::default();
            let params = algo::LeidenParams {
                resolution: options.resolution.unwrap_or(defaults.resolution),
                weighted,
                seed: options.seed.unwrap_or(defaults.seed),
                iterations: options.iterations.unwrap_or(defaults.iterations),
                ..defaults
            };
            let p = algo::leiden(net, &params)?;
            stop();
            Outcome::Communities {
                parts: p.communities(),
                modularity: p.modularity(),
            }
        }
        Algorithm::LabelPropagation => {
            let p = algo::label_propagation(net)?;
            stop();
            Outcome::Communities {
                parts: p.communities(),
                modularity: p.modularity(),
            }
        }
    };
    Ok((outcome, stop(), sampled))
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
                if let Some(b) = &self.sampled {
                    doc["sampled"] = json!({
                        "epsilon": b.epsilon,
                        "delta": b.delta,
                        "samples": b.samples,
                        "vertex_diameter_bound": b.vertex_diameter_bound,
                    });
                }
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
            Outcome::Cuts(rows) => rows.write_table(top, out)?,
            Outcome::Holes(rows) => rows.write_table(top, out)?,
            Outcome::Brokers(rows) => rows.write_table(top, out)?,
            Outcome::Value(value) => writeln!(out, "{value:.6}")?,
            Outcome::Communities { parts, modularity } => {
                // "N communities" first, the count benchmarks compare across tools.
                writeln!(
                    out,
                    "{} communities, modularity {modularity:.6}",
                    parts.len()
                )?;
                writeln!(out, "{:>5}  {:>9}  members", "id", "size")?;
                for (c, part) in parts.iter().enumerate().take(top) {
                    let shown: Vec<&str> = part.iter().take(5).map(|id| id.as_str()).collect();
                    let more = part.len().saturating_sub(shown.len());
                    let tail = if more > 0 {
                        format!(" … (+{more})")
                    } else {
                        String::new()
                    };
                    writeln!(out, "{c:>5}  {:>9}  {}{tail}", part.len(), shown.join(" "))?;
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
        Outcome::Cuts(rows) => rows.json(),
        Outcome::Holes(rows) => rows.json(),
        Outcome::Brokers(rows) => rows.json(),
        Outcome::Value(value) => ("value", json!(value)),
        Outcome::Communities { parts, modularity } => (
            "communities",
            json!({
                "count": parts.len(),
                "modularity": modularity,
                "members": parts
                    .iter()
                    .map(|p| p.iter().map(|id| id.as_str()).collect::<Vec<_>>())
                    .collect::<Vec<_>>(),
            }),
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
        Outcome::Cuts(rows) => rows.write_csv(&mut out)?,
        Outcome::Holes(rows) => rows.write_csv(&mut out)?,
        Outcome::Brokers(rows) => rows.write_csv(&mut out)?,
        Outcome::Value(value) => {
            writeln!(out, "{}", alg.name())?;
            writeln!(out, "{value}")?;
        }
        // The community ids of the table and JSON (0 = largest); the modularity is in those.
        Outcome::Communities { parts, .. } => {
            writeln!(out, "id,community")?;
            for (c, part) in parts.iter().enumerate() {
                for id in part {
                    writeln!(out, "{id},{c}")?;
                }
            }
        }
    }
    out.flush()
}
