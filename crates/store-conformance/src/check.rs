//! Helpers the promises share: unwrapping with a message that says what the suite was doing,
//! exact graph comparison, and "read it back from the store" in every way the backend allows.

use std::collections::BTreeMap;
use std::sync::Arc;

use labgraph_domain::{ChangeSet, Edge, EdgeKey, Graph, Node};
use labgraph_store::{Applied, GraphService, GraphStore, StoreError};

use crate::StoreHarness;

/// The value of a store call the promise needs to succeed, or a panic naming the step.
pub(crate) fn ok<T>(result: Result<T, StoreError>, doing: &str) -> T {
    result.unwrap_or_else(|e| panic!("{doing}: unexpected store error ({}): {e}", e.code()))
}

/// A fresh empty store for `test`.
pub(crate) async fn fresh(harness: &dyn StoreHarness, test: &str) -> Arc<dyn GraphStore> {
    ok(harness.fresh(test).await, "creating a fresh store")
}

/// A service over `store`.
pub(crate) async fn serve(store: &Arc<dyn GraphStore>) -> GraphService {
    ok(
        GraphService::open(Arc::clone(store)).await,
        "opening a GraphService",
    )
}

/// Applies a change set that must succeed.
pub(crate) async fn apply(service: &GraphService, changes: ChangeSet, doing: &str) -> Arc<Applied> {
    ok(service.apply(changes).await, doing)
}

/// Reads the whole graph back from the store (not from any service's snapshot).
pub(crate) async fn load(store: &Arc<dyn GraphStore>, doing: &str) -> Graph {
    let graph = ok(store.load().await, doing);
    let version = ok(store.version().await, doing);
    assert_eq!(
        graph.version(),
        version,
        "{doing}: load() says version {} but version() says {version}",
        graph.version()
    );
    graph
}

/// Drops `store` and opens the same data anew when the backend can be reopened; otherwise
/// gives `store` back. The caller must hold no other handle (services included).
pub(crate) async fn reopen(
    harness: &dyn StoreHarness,
    test: &str,
    store: Arc<dyn GraphStore>,
) -> Arc<dyn GraphStore> {
    if !store.capabilities().reopenable {
        return store;
    }
    assert_eq!(
        Arc::strong_count(&store),
        1,
        "suite bug: a handle on the store is still alive before reopening it"
    );
    drop(store);
    ok(harness.reopen(test).await, "reopening the store")
}

/// Checks that the store holds exactly `expected`: by a fresh load, then (where the backend
/// can be reopened) by a load through a new handle. Returns the handle to go on with.
pub(crate) async fn assert_stored(
    harness: &dyn StoreHarness,
    test: &str,
    store: Arc<dyn GraphStore>,
    expected: &Graph,
    context: &str,
) -> Arc<dyn GraphStore> {
    let loaded = load(&store, context).await;
    assert_same_graph(expected, &loaded, &format!("{context} (fresh load)"));
    let store = reopen(harness, test, store).await;
    let loaded = load(&store, context).await;
    assert_same_graph(expected, &loaded, &format!("{context} (after reopen)"));
    store
}

/// Asserts two graphs are equal: version, every node and every edge, attribute by attribute,
/// with f64 values compared bit for bit (so that -0.0, rounding or a lossy encoding shows).
pub(crate) fn assert_same_graph(expected: &Graph, actual: &Graph, context: &str) {
    assert_eq!(
        expected.version(),
        actual.version(),
        "{context}: version differs"
    );
    let nodes = |g: &Graph| -> BTreeMap<String, Node> {
        g.nodes()
            .map(|n| (n.id.to_string(), Node::clone(n)))
            .collect()
    };
    let edges = |g: &Graph| -> BTreeMap<EdgeKey, Edge> {
        g.edges().map(|e| (e.key(), Edge::clone(e))).collect()
    };
    let (want, got) = (nodes(expected), nodes(actual));
    let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{context}: node ids differ: missing {} (first {:?}), unexpected {} (first {:?})",
        missing.len(),
        missing.iter().take(5).collect::<Vec<_>>(),
        extra.len(),
        extra.iter().take(5).collect::<Vec<_>>()
    );
    for (id, node) in &want {
        let stored = &got[id];
        assert_eq!(node, stored, "{context}: node {id} differs");
        // Debug shows f64 values exactly (shortest round-trip form, sign of zero included).
        assert_eq!(
            format!("{node:?}"),
            format!("{stored:?}"),
            "{context}: node {id} differs in an f64 bit"
        );
    }
    let (want, got) = (edges(expected), edges(actual));
    let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{context}: edges differ: missing {} (first {:?}), unexpected {} (first {:?})",
        missing.len(),
        missing
            .iter()
            .take(5)
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        extra.len(),
        extra
            .iter()
            .take(5)
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    );
    for (key, edge) in &want {
        let stored = &got[key];
        assert_eq!(edge, stored, "{context}: edge {key} differs");
        assert_eq!(
            edge.weight.map(f64::to_bits),
            stored.weight.map(f64::to_bits),
            "{context}: edge {key}: weight differs in its bits"
        );
        assert_eq!(
            (&stored.from, &stored.to),
            (&key.from, &key.to),
            "{context}: edge {key} is stored with its ends out of key order"
        );
    }
    assert_eq!(
        expected.stats(),
        actual.stats(),
        "{context}: per-kind counts differ"
    );
}
