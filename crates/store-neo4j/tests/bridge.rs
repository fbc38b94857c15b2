//! The test path itself, checked: values survive neo4rs → bridge (parameters inlined as
//! literals) → FalkorDB and back exactly, graph elements arrive in Bolt 4 shape, a failed
//! query leaves the connection usable, and an unreachable server is `Unavailable`.

mod support;

use labgraph_store::StoreError;
use labgraph_store_neo4j::{Neo4jConfig, Neo4jStore};
use neo4rs::query;

/// The start of `s`, for messages.
fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_strings_and_numbers_round_trip_through_inlined_parameters() {
    let bridge = support::bridge().await;
    let graph = support::connect(&bridge, "bridge_values").await;
    let strings = [
        String::new(),
        "plain".to_owned(),
        "double \" quote".to_owned(),
        "single ' quote".to_owned(),
        "back\\slash \\\" mixed \\'".to_owned(),
        "trailing backslash \\".to_owned(),
        "new\nline\r\ttab".to_owned(),
        "澳門大學 Universidade de Macau — “smart” quotes".to_owned(),
        "$param {map: 1} `tick` */ // CYPHER x=1 RETURN".to_owned(),
        // Far above the ~4 KB of parameters that crash FalkorDB when sent as parameters. (One
        // 100 KB string hung the server in a RETURN: big values stay inside rows of batches.)
        "x".repeat(30_000),
    ];
    for s in &strings {
        let mut rows = graph
            .execute(query("RETURN $s AS s").param("s", s.as_str()))
            .await
            .unwrap_or_else(|e| panic!("RETURN of {:?}: {e}", short(s)));
        let row = rows.next().await.expect("a row").expect("one row");
        let back: String = row.get("s").expect("a string");
        assert_eq!(&back, s, "string changed on the way");
    }
    for f in [0.1 + 0.2, 1e-300, -1.5, 1e300, std::f64::consts::PI, 2.0] {
        let mut rows = graph
            .execute(query("RETURN $f AS f").param("f", f))
            .await
            .expect("RETURN of a float");
        let row = rows.next().await.expect("a row").expect("one row");
        let back: f64 = row.get("f").expect("a float");
        assert_eq!(back.to_bits(), f.to_bits(), "float {f} changed to {back}");
    }
    // Not -16..=-1: FalkorDB 4.16.3 returns those as 240..=255 (measured with `RETURN -1`, no
    // parameter involved) — a server bug the bridge cannot undo. The store keeps no negative
    // integers (years live inside the JSON data).
    for i in [
        0i64,
        15,
        -17,
        128,
        -40_000,
        i64::from(i32::MAX) + 1,
        i64::MIN + 1,
    ] {
        let mut rows = graph
            .execute(query("RETURN $i AS i").param("i", i))
            .await
            .expect("RETURN of an integer");
        let row = rows.next().await.expect("a row").expect("one row");
        assert_eq!(row.get::<i64>("i").expect("an integer"), i);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_arrive_in_bolt_4_shape_and_failures_reset() {
    let bridge = support::bridge().await;
    let graph = support::connect(&bridge, "bridge_shapes").await;
    graph
        .run(query("MATCH (n) DETACH DELETE n"))
        .await
        .expect("wiping");
    let mut rows = graph
        .execute(query("CREATE (n:T {name: $name}) RETURN n").param("name", "hku"))
        .await
        .expect("creating a node");
    let row = rows.next().await.expect("a row").expect("one row");
    let node: neo4rs::Node = row.get("n").expect("a node (element id dropped)");
    assert_eq!(node.get::<String>("name").expect("name"), "hku");
    drop(rows);

    // A syntax error, then a good query: the pool's next connection (or the same one after
    // RESET) must work.
    for _ in 0..3 {
        assert!(graph.run(query("THIS IS NOT CYPHER")).await.is_err());
        let mut rows = graph
            .execute(query("MATCH (n:T) RETURN count(n) AS c"))
            .await
            .expect("a query after a failure");
        let row = rows.next().await.expect("a row").expect("one row");
        assert_eq!(row.get::<i64>("c").expect("a count"), 1);
    }

    // More rows than one PULL asks for: the bridge pages its buffer with has_more.
    let mut rows = graph
        .execute(query("UNWIND range(1, 5000) AS i RETURN i"))
        .await
        .expect("a long result");
    let mut seen = 0i64;
    while let Some(row) = rows.next().await.expect("a page") {
        seen += 1;
        assert_eq!(row.get::<i64>("i").expect("i"), seen);
    }
    assert_eq!(seen, 5000);
}

#[tokio::test]
async fn an_unreachable_server_is_unavailable_naming_the_uri() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let uri = format!("bolt://127.0.0.1:{port}");
    match Neo4jStore::connect(Neo4jConfig::new(uri.as_str(), "neo4j", "secret")).await {
        Err(StoreError::Unavailable(message)) => {
            assert!(message.contains(&uri), "message must name {uri}: {message}");
            assert!(!message.contains("secret"), "message leaks the password");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}
