//! Runs every document in queries/ against the seeded graph over real HTTP and compares the
//! answer with the committed snapshot beside it (`NAME.graphql` → `NAME.json`).
//! `UPDATE_SNAPSHOTS=1` rewrites the snapshots; review the diff before committing.

use std::path::Path;

use labgraph_tests::TestServer;
use serde_json::Value;

#[test]
fn every_query_document_answers_as_committed() {
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

    let server = TestServer::start("queries");
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
