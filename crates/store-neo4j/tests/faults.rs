//! Transient failures on the real server: the bridge breaks a connection mid-request, and the
//! store's retries (bounded exponential backoff with jitter) ride it out — reads simply again,
//! commits after checking whether the lost answer hid a success. Each test has its own graph.

mod support;

use std::time::Duration;

use labgraph_bolt_bridge::{Bridge, DropPoint};
use labgraph_domain::{Diff, Graph};
use labgraph_store::{GraphStore, StoreError};
use labgraph_store_conformance::sample;
use labgraph_store_neo4j::{Neo4jConfig, Neo4jStore, RetryPolicy};

/// A store on a wiped graph `faults_<test>` behind `bridge`, retrying with `retry`.
async fn fresh(bridge: &Bridge, test: &str, retry: RetryPolicy) -> Neo4jStore {
    let graph = format!("faults_{test}");
    support::connect(bridge, &graph)
        .await
        .run(neo4rs::query("MATCH (n) DETACH DELETE n"))
        .await
        .expect("wiping the test graph");
    let mut config = Neo4jConfig::new(bridge.uri(), "neo4j", "unused");
    config.database = Some(graph);
    config.retry = retry;
    // Small pages: a load is several statements, so a fault can hit one in the middle.
    config.page_size = 7;
    Neo4jStore::connect(config).await.expect("connecting")
}

/// Quick retries, so the tests take milliseconds, not seconds.
fn quick() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        initial_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
    }
}

/// The rich sample as the diff that creates it, and the graph it makes.
fn sample_diff() -> (Graph, Diff) {
    Graph::default()
        .apply(&sample::rich())
        .expect("the sample applies to an empty graph")
}

/// Both graphs hold the same nodes and edges, compared whole (as JSON, in id order).
fn assert_same(actual: &Graph, expected: &Graph) {
    let as_json = |g: &Graph| {
        let mut nodes: Vec<String> = g
            .nodes()
            .map(|n| serde_json::to_string(&**n).expect("nodes encode"))
            .collect();
        let mut edges: Vec<String> = g
            .edges()
            .map(|e| serde_json::to_string(&**e).expect("edges encode"))
            .collect();
        nodes.sort();
        edges.sort();
        (nodes, edges)
    };
    assert!(expected.node_count() > 10 && expected.edge_count() > 10);
    assert_eq!(as_json(actual), as_json(expected));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_that_meets_a_dropped_connection_succeeds_after_a_retry() {
    let bridge = support::bridge().await;
    let store = fresh(&bridge, "read_retry", quick()).await;
    let (expected, diff) = sample_diff();
    store.commit(0, &diff).await.expect("committing the sample");

    bridge.drop_connections("WHERE n.id > $after", DropPoint::BeforeRunning, 1);
    let loaded = store
        .load()
        .await
        .expect("the load retries the dropped page");
    assert_eq!(bridge.dropped(), 1, "the fault was never injected");
    assert_eq!(loaded.version(), 1);
    assert_same(&loaded, &expected);

    // A version read too.
    bridge.drop_connections("RETURN m.version AS version", DropPoint::AfterRunning, 1);
    assert_eq!(store.version().await.expect("the version read retries"), 1);
    assert_eq!(bridge.dropped(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_retries_the_same_drop_fails_naming_the_server() {
    // The control for the test above: the drop really breaks the read.
    let bridge = support::bridge().await;
    let store = fresh(&bridge, "no_retry", RetryPolicy::never()).await;
    let (_, diff) = sample_diff();
    store.commit(0, &diff).await.expect("committing the sample");

    bridge.drop_connections("WHERE n.id > $after", DropPoint::BeforeRunning, 1);
    match store.load().await {
        Err(StoreError::Unavailable(message)) => {
            assert!(message.contains(&bridge.uri()), "{message}");
            assert!(message.contains("faults_no_retry"), "{message}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert_eq!(bridge.dropped(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_that_keeps_failing_gives_up_after_the_policy_s_tries() {
    let bridge = support::bridge().await;
    let store = fresh(&bridge, "gives_up", quick()).await;
    bridge.drop_connections("RETURN m.version AS version", DropPoint::BeforeRunning, 100);
    let started = std::time::Instant::now();
    let result = store.version().await;
    assert!(
        matches!(result, Err(StoreError::Unavailable(_))),
        "expected Unavailable, got {result:?}"
    );
    assert_eq!(bridge.dropped(), 4, "four tries in all");
    // Three waits of at least 10, 20 and 40 ms (half of 20, 40, 80 ms at the least).
    assert!(started.elapsed() >= Duration::from_millis(70));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_whose_answer_was_lost_is_not_applied_twice() {
    let bridge = support::bridge().await;
    let store = fresh(&bridge, "lost_answer", quick()).await;
    let (expected, diff) = sample_diff();
    // The version moved to 1 on the server, but the client never heard so.
    bridge.drop_connections("SET m.version = $next", DropPoint::AfterRunning, 1);
    store
        .commit(0, &diff)
        .await
        .expect("the retry finds its own commit");
    assert_eq!(bridge.dropped(), 1, "the fault was never injected");
    assert_eq!(store.version().await.expect("version"), 1, "committed once");
    assert_same(&store.load().await.expect("loading"), &expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_broken_midway_is_repeated_whole() {
    let bridge = support::bridge().await;
    let store = fresh(&bridge, "midway", quick()).await;
    let (expected, diff) = sample_diff();
    // Nodes written (FalkorDB commits each statement), then the connection breaks before the
    // first edge batch: the version is still 0, so the retry repeats the idempotent batches.
    bridge.drop_connections("MERGE (a)-[r:", DropPoint::BeforeRunning, 1);
    store
        .commit(0, &diff)
        .await
        .expect("the retry completes it");
    assert_eq!(bridge.dropped(), 1, "the fault was never injected");
    assert_eq!(store.version().await.expect("version"), 1);
    assert_same(&store.load().await.expect("loading"), &expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commit_retry_that_finds_another_writer_conflicts() {
    let bridge = support::bridge().await;
    let store = fresh(&bridge, "other_writer", quick()).await;
    let other = {
        let mut config = store.config().clone();
        config.retry = RetryPolicy::never();
        Neo4jStore::connect(config).await.expect("a second store")
    };
    let (_, diff) = sample_diff();
    // This commit's edge batch breaks; before its retry, the other store commits the same base.
    bridge.drop_connections("MERGE (a)-[r:", DropPoint::BeforeRunning, 1);
    let slow = tokio::spawn({
        let config = store.config().clone();
        let diff = diff.clone();
        async move {
            let mut config = config;
            // A long first wait, so the other writer surely commits in between.
            config.retry = RetryPolicy {
                attempts: 2,
                initial_delay: Duration::from_millis(1500),
                max_delay: Duration::from_millis(1500),
            };
            let store = Neo4jStore::connect(config).await.expect("a third store");
            store.commit(0, &diff).await
        }
    });
    // Wait until the first commit has met its fault, then commit in its place.
    for _ in 0..200 {
        if bridge.dropped() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(bridge.dropped(), 1, "the fault was never injected");
    other
        .commit(0, &diff)
        .await
        .expect("the other writer commits");
    match slow.await.expect("the commit task") {
        Err(StoreError::Conflict { base: 0, actual: 1 }) => {}
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(store.version().await.expect("version"), 1);
}
