//! Runs every document in queries/ against the seeded graph over real HTTP and compares the
//! answer with the committed snapshot beside it (`NAME.graphql` → `NAME.json`).
//! Both backends answer from the same snapshots: the embedded store, and the Neo4j store on the
//! FalkorDB test server (`scripts/falkordb start DIR`, named by `LABGRAPH_FALKORDB_DIR`; the test
//! fails, never skips, without it) reached through the Bolt version bridge.
//! `UPDATE_SNAPSHOTS=1` rewrites the snapshots; review the diff before committing.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use labgraph_app::{Neo4jConfig, StoreLocation};
use labgraph_bolt_bridge::Bridge;
use labgraph_tests::TestServer;
use serde_json::Value;

#[test]
fn every_query_document_answers_as_committed() {
    answers_as_committed(&TestServer::start("queries"));
}

#[test]
fn every_query_document_answers_as_committed_from_neo4j() {
    let upstream = falkordb();
    let runtime = tokio::runtime::Runtime::new().expect("start a tokio runtime");
    let bridge = runtime
        .block_on(Bridge::start(upstream))
        .unwrap_or_else(|e| panic!("starting the Bolt bridge to {upstream}: {e}"));
    // A graph no other run has used: new, so `serve` seeds it from graph-seed/.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut config = Neo4jConfig::new(bridge.uri(), "neo4j", "unused");
    config.database = Some(format!("labgraph-queries-{}-{nanos}", std::process::id()));
    let server = TestServer::start_in(
        runtime,
        StoreLocation::Neo4j(config),
        Some(Box::new(bridge)),
    );
    answers_as_committed(&server);
}

/// The variable `scripts/test` sets to the directory `scripts/falkordb start` wrote.
const SERVER_DIR_VAR: &str = "LABGRAPH_FALKORDB_DIR";

/// FalkorDB's Bolt address, from the directory named by [`SERVER_DIR_VAR`]. Panics with what
/// to do when it is not set: this test needs the real server and never skips silently.
fn falkordb() -> SocketAddr {
    let dir = std::env::var_os(SERVER_DIR_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!(
                "{SERVER_DIR_VAR} is not set: the Neo4j backend's queries/ test needs a running \
             FalkorDB. Run it through scripts/test, or: scripts/falkordb start DIR && \
             {SERVER_DIR_VAR}=DIR cargo nextest run -p labgraph-tests; scripts/falkordb stop DIR"
            )
        });
    let file = dir.join("bolt-port");
    let port: u16 = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (is FalkorDB started there?)", file.display()))
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{}: not a port: {e}", file.display()));
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// Posts every document in queries/ to `server` and compares each answer with its snapshot.
fn answers_as_committed(server: &TestServer) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../queries");
    let mut docs: Vec<_> = std::fs::read_dir(&dir)
        .expect("queries/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .collect();
    docs.sort();
    assert!(
        docs.len() >= 12,
        "queries/ should hold at least 12 documents, found {}",
        docs.len()
    );

    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for doc in &docs {
        let query = std::fs::read_to_string(doc).expect("read the document");
        let vars_path = doc.with_extension("variables.json");
        let variables: Option<Value> = vars_path.exists().then(|| {
            serde_json::from_str(&std::fs::read_to_string(&vars_path).expect("read variables"))
                .expect("variables are JSON")
        });
        let answer = server.post(&query, variables.as_ref());
        let name = doc
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if answer.get("errors").is_some() {
            failures.push(format!("{name}: answered errors: {answer}"));
            continue;
        }
        let snapshot = doc.with_extension("json");
        let pretty = serde_json::to_string_pretty(&answer).expect("serialise") + "\n";
        if update {
            std::fs::write(&snapshot, &pretty).expect("write the snapshot");
            continue;
        }
        match std::fs::read_to_string(&snapshot) {
            Ok(expected) if expected == pretty => {}
            Ok(_) => failures.push(format!(
                "{name}: answer differs from {} (run with UPDATE_SNAPSHOTS=1 and review the diff)\n{pretty}",
                snapshot.display()
            )),
            Err(_) => failures.push(format!("{name}: no snapshot {}", snapshot.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
