//! Analytics results are computed once per graph version and parameters, and a write gives
//! a new version, a new computation and a new `freshness.graphVersion`.

use std::sync::Arc;

use labgraph_api::schema::{SchemaConfig, build_schema};
use labgraph_domain::ChangeSet;

use super::support::{data, institution, lab, path_changes, service_with, synthetic_changes};

const QUERY: &str = "{ centrality(kind: BETWEENNESS) { edges { node { id } score }
    freshness { graphVersion computedAt parameters exact errorBound } } }";

#[tokio::test]
async fn repeats_are_cached_and_a_write_recomputes() {
    let service = service_with(path_changes()).await;
    let schema = build_schema(Arc::clone(&service), &SchemaConfig::default());
    let first = data(&schema, QUERY).await;
    let second = data(&schema, QUERY).await;
    assert_eq!(
        schema.computations(),
        1,
        "the repeat is served from the cache"
    );
    assert_eq!(
        first, second,
        "the same result and freshness, computedAt included"
    );
    let freshness = &first["centrality"]["freshness"];
    let version = freshness["graphVersion"].as_u64().expect("a version");
    assert_eq!(version, service.snapshot().version());
    assert_eq!(freshness["exact"], true);
    assert!(freshness["errorBound"].is_null());
    let parameters: serde_json::Value =
        serde_json::from_str(freshness["parameters"].as_str().expect("text")).expect("JSON");
    assert_eq!(parameters["kind"], "BETWEENNESS");
    assert_eq!(parameters["projection"], "INSTITUTIONS");
    assert_eq!(parameters["weighted"], true);

    // Other arguments: another computation; the same arguments spelled with their defaults:
    // the same one.
    data(
        &schema,
        "{ centrality(kind: BETWEENNESS, weighted: false) { totalCount } }",
    )
    .await;
    data(
        &schema,
        "{ centrality(kind: BETWEENNESS, projection: INSTITUTIONS, weighted: true) { totalCount } }",
    )
    .await;
    assert_eq!(schema.computations(), 2);

    // A write: e joins through a new lab with d.
    let mut changes = ChangeSet::new();
    institution(&mut changes, "e", "macao");
    lab(&mut changes, "lab-de", "macao", 2022, &["d", "e"]);
    service.apply(changes).await.expect("a valid change");
    let third = data(&schema, QUERY).await;
    assert_eq!(schema.computations(), 3);
    assert_eq!(
        third["centrality"]["freshness"]["graphVersion"].as_u64(),
        Some(version + 1)
    );
    let ids: Vec<&str> = third["centrality"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 5, "the new institution is ranked: {ids:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_concurrent_requests_compute_once() {
    let schema = build_schema(service_with(path_changes()).await, &SchemaConfig::default());
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let schema = schema.clone();
        tasks.push(tokio::spawn(async move {
            data(&schema, "{ centrality(kind: CLOSENESS) { totalCount } }").await
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("ran")["centrality"]["totalCount"], 4);
    }
    assert_eq!(schema.computations(), 1);
}

#[tokio::test]
async fn a_computation_longer_than_the_timeout_answers_timeout() {
    // Exact betweenness of 1,500 people with ~7,500 ties: far more than a millisecond.
    let config = SchemaConfig {
        compute_timeout_ms: 1,
        ..SchemaConfig::default()
    };
    let schema = build_schema(service_with(synthetic_changes()).await, &config);
    let response = schema
        .execute("{ centrality(kind: BETWEENNESS, projection: PEOPLE) { totalCount } }")
        .await;
    assert_eq!(response.errors.len(), 1, "{:?}", response.errors);
    assert_eq!(
        response.errors[0]
            .extensions
            .as_ref()
            .and_then(|e| e.get("code")),
        Some(&async_graphql::Value::from("TIMEOUT"))
    );
}

/// A root field that waits for a computation still comes back in the query's place, before
/// the fields that answered at once (async-graphql inserts root fields as they complete; see
/// `schema/order.rs`). Each request is on a fresh schema, so the computation always waits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_root_field_keeps_its_place_in_the_response() {
    for (first, second) in [("a", "b"), ("z", "y")] {
        let (schema, _) = super::support::seed().await;
        let query = format!(
            "{{ {first}: centrality(kind: BETWEENNESS, projection: PEOPLE) {{ totalCount }} \
             {second}: stats {{ nodes {{ kind count }} }} }}"
        );
        let response = schema.execute(query.as_str()).await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let text = serde_json::to_string(&response.data).expect("the data serialises");
        let (at_first, at_second) = (
            text.find(&format!("\"{first}\""))
                .expect("first key present"),
            text.find(&format!("\"{second}\""))
                .expect("second key present"),
        );
        assert!(at_first < at_second, "keys out of query order: {text}");
    }
}
