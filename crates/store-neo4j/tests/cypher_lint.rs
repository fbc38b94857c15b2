//! Every Cypher statement the backend can send, checked offline with Neo4j's own parser and
//! semantic analysis (`.ci/cypher-lint`, npm `@neo4j-cypher/language-support`) as Neo4j 5
//! reads it: FalkorDB, the server the other tests run on, accepts Cypher a real Neo4j 5
//! refuses. Needs Node and `npm ci --prefix .ci/cypher-lint` (scripts/test runs it); without
//! them the test fails rather than passing unchecked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use labgraph_store_neo4j::cypher_statements;

/// The workspace root, where `.ci/cypher-lint` lives.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// Runs the linter on `statements` (name, text) written as JSON to a fresh temporary file.
fn lint(label: &str, statements: &[(String, String)]) -> Output {
    let json = serde_json::Value::Array(
        statements
            .iter()
            .map(|(name, text)| serde_json::json!({ "name": name, "text": text }))
            .collect(),
    );
    // One file per test and process: nextest runs tests in parallel processes.
    let file = std::env::temp_dir().join(format!(
        "labgraph-cypher-lint-{label}-{}.json",
        std::process::id()
    ));
    std::fs::write(&file, json.to_string()).expect("writing the statements file");
    let root = root();
    let lint = root.join(".ci/cypher-lint");
    assert!(
        lint.join("node_modules/@neo4j-cypher/language-support")
            .is_dir(),
        "the Cypher linter is not installed: run `npm ci --prefix .ci/cypher-lint` in {}",
        root.display()
    );
    let output = Command::new("node")
        .arg(".ci/cypher-lint/lint.mjs")
        .arg(&file)
        .current_dir(&root)
        .output()
        .expect("running node (is Node.js installed?)");
    let _ = std::fs::remove_file(&file);
    output
}

fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn every_statement_the_backend_sends_is_valid_neo4j_5_cypher() {
    let statements = cypher_statements();
    let output = lint("backend", &statements);
    assert!(
        output.status.success(),
        "Neo4j's parser rejects statements of the backend:\n{}",
        describe(&output)
    );
    // The linter's closing line counts what it read, so a short or empty file shows here.
    let expected = format!("cypher-lint: {} statements accepted", statements.len());
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&expected),
        "the linter did not check all {} statements:\n{}",
        statements.len(),
        describe(&output)
    );
}

#[test]
fn the_linter_rejects_cypher_neo4j_5_refuses() {
    // Neo4j 4 syntax FalkorDB still runs: if these pass, the check above proves nothing.
    for (name, text) in [
        ("exists_function", "MATCH (n) WHERE exists(n.p) RETURN n"),
        ("old_index_syntax", "CREATE INDEX ON :Node(id)"),
    ] {
        let output = lint(name, &[(name.to_owned(), text.to_owned())]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "`{text}` was not flagged:\n{}",
            describe(&output)
        );
        assert!(
            String::from_utf8_lossy(&output.stdout).contains(name),
            "the report does not name the statement:\n{}",
            describe(&output)
        );
    }
}

#[test]
fn every_edge_kind_has_its_statements() {
    // Statements built per edge kind must each appear once per kind, or a kind goes unchecked.
    let statements = cypher_statements();
    for kind in labgraph_domain::EdgeKind::ALL {
        let rel = kind.code().to_ascii_uppercase();
        for what in ["delete_edges", "upsert_edges"] {
            let name = format!("{what}/{rel}");
            assert!(
                statements
                    .iter()
                    .any(|(n, t)| *n == name && t.contains(&format!(":{rel}]"))),
                "{name} is missing"
            );
        }
    }
}
