//! Shared by the end-to-end tests of the answer commands: a seeded database per test, the real
//! binary run on it, and its output read as text or JSON.

// Each test binary that includes this module uses a subset of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_labgraph");

/// A fresh directory per test (`labgraph-<family>-<pid>-<name>`, wiped first) with the seed
/// loaded into `seed.db`; the path of that database.
pub fn seeded(family: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("labgraph-{family}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create work dir");
    let db = dir.join("seed.db");
    ok(&run(&db, &["seed"]));
    db
}

/// `labgraph --quiet --db DB ARGS...`.
pub fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--quiet")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run labgraph")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Its standard output, after asserting it succeeded (the failure shows its standard error).
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "labgraph failed ({:?}): {}",
        out.status.code(),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Its standard output as one JSON document, after asserting it succeeded.
pub fn json(out: &Output) -> Value {
    serde_json::from_str(&ok(out)).expect("one JSON document")
}
