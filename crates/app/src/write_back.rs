//! `labgraph analyse --write-back`: the scores of an analysis of a Neo4j store written back
//! onto its nodes as properties (`labgraph_pagerank`, ...), as Neo4j's Graph Data Science
//! library does in its write mode, so Cypher users can query and order by them.
//!
//! Only the Neo4j store takes them: the embedded store keeps the domain graph and nothing
//! else, so asking for it there is bad input, refused before any work is done.

use anyhow::Result;
use labgraph_domain::Id;
use labgraph_store_neo4j::{Neo4jStore, NodeScore};

use crate::analyse::{Algorithm, AnalyseRequest, NetworkSource};
use crate::commands::BadInput;
use crate::config::StoreLocation;
use crate::progress::Progress;

/// What `--write-back` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenBack {
    /// The node property written.
    pub property: &'static str,
    /// Nodes that received it.
    pub nodes: usize,
    /// Where: the server and database (never the password).
    pub store: String,
}

/// The stored score of an algorithm with one number per node; `None` for the others.
fn score_of(algorithm: Algorithm) -> Option<NodeScore> {
    Some(match algorithm {
        Algorithm::Degree => NodeScore::Degree,
        Algorithm::Strength => NodeScore::Strength,
        Algorithm::Betweenness => NodeScore::Betweenness,
        Algorithm::Closeness => NodeScore::Closeness,
        Algorithm::Harmonic => NodeScore::Harmonic,
        Algorithm::Pagerank => NodeScore::Pagerank,
        Algorithm::CoreNumber => NodeScore::CoreNumber,
        Algorithm::Clustering => NodeScore::Clustering,
        Algorithm::Eigenvector => NodeScore::Eigenvector,
        Algorithm::Katz => NodeScore::Katz,
        _ => return None,
    })
}

/// Refuses a `--write-back` that cannot be done, before anything is loaded: no algorithm, one
/// without a score per node, an edge list or an embedded store as the source.
pub(crate) fn check(request: &AnalyseRequest) -> Result<NodeScore, BadInput> {
    let Some(algorithm) = request.algorithm else {
        return Err(BadInput(
            "--write-back needs an algorithm to write the scores of".into(),
        ));
    };
    let score = score_of(algorithm).ok_or_else(|| {
        let names: Vec<&str> = ALGORITHMS_WITH_SCORES.iter().map(|a| a.name()).collect();
        BadInput(format!(
            "--write-back writes one score per node; {algorithm} does not give one (these do: {})",
            names.join(", ")
        ))
    })?;
    match &request.source {
        NetworkSource::Database {
            store: StoreLocation::Neo4j(_),
            ..
        } => Ok(score),
        NetworkSource::Database {
            store: StoreLocation::Embedded(path),
            ..
        } => Err(BadInput(format!(
            "--write-back stores scores as node properties of a Neo4j store (--store \
             bolt://HOST:PORT); the embedded store {} keeps no properties beside the graph \
             (use --format json or csv to keep the scores)",
            path.display()
        ))),
        NetworkSource::EdgeList(path) => Err(BadInput(format!(
            "--write-back writes to the store the network came from; {} is an edge list",
            path.display()
        ))),
    }
}

/// The algorithms `--write-back` takes, for messages.
const ALGORITHMS_WITH_SCORES: [Algorithm; 10] = [
    Algorithm::Degree,
    Algorithm::Strength,
    Algorithm::Betweenness,
    Algorithm::Closeness,
    Algorithm::Harmonic,
    Algorithm::Pagerank,
    Algorithm::CoreNumber,
    Algorithm::Clustering,
    Algorithm::Eigenvector,
    Algorithm::Katz,
];

/// Writes `scores` onto the nodes of the request's Neo4j store, in batched, parameterised
/// `UNWIND` statements.
pub(crate) async fn write(
    request: &AnalyseRequest,
    scores: &[(Id, f64)],
    progress: &Progress,
) -> Result<WrittenBack> {
    let score = check(request)?;
    let NetworkSource::Database {
        store: StoreLocation::Neo4j(config),
        ..
    } = &request.source
    else {
        unreachable!("check accepts Neo4j sources only")
    };
    let bar = progress.spinner(format!(
        "writing {} on {} nodes",
        score.property(),
        scores.len()
    ));
    let store = Neo4jStore::connect(config.clone()).await?;
    let nodes = store.write_scores(score, scores).await?;
    bar.finish_and_clear();
    Ok(WrittenBack {
        property: score.property(),
        nodes,
        store: config.location(),
    })
}
