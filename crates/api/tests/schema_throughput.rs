//! Where the time of the benchmark's typical queries goes, in process: each query of
//! `labgraph-bench` (and variants that leave out one part of it) executed many times with
//! `schema.execute` on the synthetic benchmark graph, printing microseconds per query, next to
//! the search index's own time for the same text.
//!
//! Ignored by default: it builds a graph of a million edges and is only meaningful in release
//! mode. Run it with
//! `cargo test -p labgraph-api --release --test schema_throughput -- --ignored --nocapture`.
//! It asserts answers, never times: speed targets are held by the benchmark binary (see
//! docs/benchmarks.md); this is the tool to find out which part of a query to make faster.

use std::sync::Arc;
use std::time::Instant;

use labgraph_api::schema::{LabgraphSchema, SchemaConfig, build_schema};
use labgraph_io::synthetic::{Params, write_synthetic};
use labgraph_search::SearchIndex;
use labgraph_store::{GraphService, MemoryStore};

/// Executions of each query after the warm-up, unless `THROUGHPUT_RUNS` says otherwise (more
/// under a profiler, so that the loop outweighs building the graph).
fn runs() -> u32 {
    std::env::var("THROUGHPUT_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// The synthetic benchmark graph, applied to a fresh memory store.
async fn service() -> Arc<GraphService> {
    let mut buf = Vec::new();
    write_synthetic(&Params::default(), &mut buf).expect("the generator writes to memory");
    let text = String::from_utf8(buf).expect("the generator writes UTF-8");
    let parsed = labgraph_io::read_str("synthetic.jsonl", &text, labgraph_io::Format::Jsonl)
        .expect("the synthetic graph parses");
    let service = GraphService::open(Arc::new(MemoryStore::new()))
        .await
        .expect("a memory store opens");
    service
        .apply(parsed.changes)
        .await
        .expect("the synthetic graph is valid");
    Arc::new(service)
}

/// Executes `query` once to warm up and check it, then [`runs`] times; prints and returns the
/// mean time per execution in microseconds.
async fn per_query(schema: &LabgraphSchema, label: &str, query: &str) -> f64 {
    let response = schema.execute(query).await;
    assert!(
        response.errors.is_empty(),
        "{label}: {:?}\n{query}",
        response.errors
    );
    let expected = response.data;
    let runs = runs();
    let started = Instant::now();
    for _ in 0..runs {
        let response = schema.execute(query).await;
        assert!(response.errors.is_empty(), "{label}: {:?}", response.errors);
        // Serialising is part of what a server does with every answer.
        std::hint::black_box(serde_json::to_vec(&response).expect("responses serialise"));
    }
    let us = started.elapsed().as_secs_f64() * 1e6 / f64::from(runs);
    let again = schema.execute(query).await.data;
    assert_eq!(again, expected, "{label}: the answer changed between runs");
    println!("{label:<48} {us:>9.2} µs/query");
    us
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "builds the million-edge benchmark graph; run in release with --ignored"]
async fn where_the_time_of_typical_queries_goes() {
    let service = service().await;
    let graph = service.snapshot();
    let schema = build_schema(Arc::clone(&service), &SchemaConfig::default());
    // The benchmark's choices: the first institution and its English name.
    let first = schema
        .execute("{ institutions(first: 1) { edges { node { id names { en } } } } }")
        .await
        .data
        .into_json()
        .expect("data converts to JSON");
    let node = &first["institutions"]["edges"][0]["node"];
    let id = node["id"].as_str().expect("an institution id").to_owned();
    let name = node["names"]["en"]
        .as_str()
        .expect("an English name")
        .to_owned();

    let page = "institutions(first: 20, where: { region: [GD_PRD], crossBorder: true })";
    let queries = [
        ("trivial", "{ __typename }".to_owned()),
        (
            "node",
            format!(
                r#"{{ node(id: "{id}") {{ id ... on Institution {{ names {{ en zhHans }} institutionKind city {{ id }} }} }} }}"#
            ),
        ),
        (
            "node: id only",
            format!(r#"{{ node(id: "{id}") {{ id }} }}"#),
        ),
        (
            "filtered_page",
            format!(
                "{{ {page} {{ totalCount edges {{ cursor node {{ id names {{ en }} }} }} }} }}"
            ),
        ),
        (
            "filtered_page: totalCount only",
            format!("{{ {page} {{ totalCount }} }}"),
        ),
        (
            "filtered_page: without totalCount",
            format!("{{ {page} {{ edges {{ cursor node {{ id names {{ en }} }} }} }} }}"),
        ),
        (
            "filtered_page: cursors only",
            format!("{{ {page} {{ edges {{ cursor }} }} }}"),
        ),
        (
            "search",
            format!(r#"{{ search(text: "{name}", first: 10) {{ score node {{ id }} }} }}"#),
        ),
        (
            "search: score only",
            format!(r#"{{ search(text: "{name}", first: 10) {{ score }} }}"#),
        ),
    ];
    // THROUGHPUT_ONLY=search (a label prefix) runs only those queries: one at a time under
    // a profiler.
    let only = std::env::var("THROUGHPUT_ONLY").unwrap_or_default();
    for (label, query) in queries.iter().filter(|(l, _)| l.starts_with(only.as_str())) {
        per_query(&schema, label, query).await;
    }

    // The index alone, without GraphQL: what the resolver adds is the difference.
    if !"search".starts_with(only.as_str()) {
        return;
    }
    let index = SearchIndex::build(&graph);
    let hits = index.search(&name, &[], 10);
    assert_eq!(hits.len(), 10, "the benchmark's search fills its page");
    let runs = runs();
    let started = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(index.search(std::hint::black_box(&name), &[], 10));
    }
    let us = started.elapsed().as_secs_f64() * 1e6 / f64::from(runs);
    println!("{:<48} {us:>9.2} µs/query", "SearchIndex::search alone");
}
