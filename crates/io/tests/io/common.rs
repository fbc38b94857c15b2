//! Helpers shared by the integration tests: the committed seed, scratch directories, and graph
//! comparison.

use std::path::PathBuf;

use labgraph_domain::{Edge, Graph, Node, NodeKind};
use labgraph_io::read_files;

/// The committed `graph-seed/` directory.
pub fn seed_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../graph-seed"))
}

/// The committed seed, read and applied to an empty graph.
pub fn seed_graph() -> Graph {
    let parsed = read_files(&[seed_dir()]).expect("the committed seed reads");
    let (graph, _) = parsed
        .apply_to(&Graph::new())
        .expect("the committed seed applies to an empty graph");
    graph
}

/// A fresh, empty scratch directory for one test (wiped first, so reruns start clean).
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("labgraph-io-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Every node (by kind, then id) and every edge (by key): two graphs are the same graph when
/// these are equal.
pub fn contents(graph: &Graph) -> (Vec<Node>, Vec<Edge>) {
    let nodes = NodeKind::ALL
        .into_iter()
        .flat_map(|k| graph.nodes_of(k, None).map(|n| Node::clone(n)))
        .collect();
    let mut edges: Vec<Edge> = graph.edges().map(|e| Edge::clone(e)).collect();
    edges.sort_by_key(Edge::key);
    (nodes, edges)
}
