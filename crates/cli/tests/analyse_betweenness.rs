//! `labgraph analyse betweenness|edge-betweenness` with `--threads` and sampled betweenness
//! (`--error`, `--delta`, `--seed`), with the real binary: same scores on any thread count,
//! the sample's bound reported, the same seed giving the same answer, bad values refused (3).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_labgraph");

/// A fresh directory per test, wiped at the start.
fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "labgraph-betweenness-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create work dir");
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--quiet")
        .args(args)
        .output()
        .expect("run labgraph")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "labgraph failed: {}",
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// A star c–{a, b, d, e}, a path c–p–q, a separate pair x–y and a lone node z: 10 nodes.
fn edges(dir: &Path) -> String {
    let path = dir.join("g.edges");
    std::fs::write(&path, "c a\nc b\nc d\nc e\nc p\np q\nx y\nz\n").expect("write edges");
    path.to_str().expect("utf-8 path").to_owned()
}

fn score(doc: &Value, id: &str) -> f64 {
    doc["scores"]
        .as_array()
        .expect("scores")
        .iter()
        .find(|r| r["id"] == id)
        .and_then(|r| r["score"].as_f64())
        .unwrap_or_else(|| panic!("no score for {id}"))
}

#[test]
fn threads_give_the_same_scores() {
    let dir = workdir("threads");
    let file = edges(&dir);
    for alg in ["betweenness", "edge-betweenness"] {
        let base = ["analyse", alg, "--edges", &file, "--format", "json"];
        let one = json(&run(&base));
        for threads in ["1", "2", "3"] {
            let many = json(&run(&[&base[..], &["--threads", threads]].concat()));
            assert_eq!(one, many, "{alg} on {threads} threads");
        }
    }
    // c is inside every path between its 5 neighbours' sides: pairs among {a, b, d, e, p}
    // (10) and each of those with q but p (4), over (10 − 1)(10 − 2)/2 = 36 pairs.
    let doc = json(&run(&[
        "analyse",
        "betweenness",
        "--edges",
        &file,
        "--format",
        "json",
    ]));
    assert!((score(&doc, "c") - 14.0 / 36.0).abs() < 1e-12);
}

#[test]
fn sampled_betweenness_reports_its_bound_and_depends_on_the_seed_alone() {
    let dir = workdir("sampled");
    let file = edges(&dir);
    let args = |seed: &'static str, threads: &'static str| {
        let mut a = vec![
            "analyse",
            "betweenness",
            "--edges",
            &file,
            "--format",
            "json",
        ];
        a.extend([
            "--error",
            "0.05",
            "--delta",
            "0.2",
            "--seed",
            seed,
            "--threads",
            threads,
        ]);
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let call = |a: Vec<String>| json(&run(&a.iter().map(String::as_str).collect::<Vec<_>>()));
    let doc = call(args("5", "1"));
    let bound = &doc["sampled"];
    assert_eq!(bound["epsilon"], 0.05);
    assert_eq!(bound["delta"], 0.2);
    assert!(
        bound["samples"].as_u64().expect("samples") > 1000,
        "{bound}"
    );
    // From c (the first node) the two largest distances are 2 (q) and 1: at most 2 + 1 + 1
    // nodes on a shortest path (a–c–p–q has 4).
    assert_eq!(bound["vertex_diameter_bound"], 4);
    assert!((score(&doc, "c") - 14.0 / 36.0).abs() <= 0.05, "{doc}");
    assert!((score(&doc, "p") - 4.0 / 36.0).abs() <= 0.05, "{doc}");
    assert_eq!(score(&doc, "z"), 0.0);
    assert_eq!(
        doc,
        call(args("5", "2")),
        "the thread count changes nothing"
    );
    assert_ne!(
        doc["scores"],
        call(args("6", "1"))["scores"],
        "another seed"
    );
}

#[test]
fn bad_values_and_flags_that_do_not_apply_exit_3_naming_the_flag() {
    let dir = workdir("bad");
    let file = edges(&dir);
    for (extra, named) in [
        (vec!["betweenness", "--threads", "0"], "--threads"),
        (vec!["pagerank", "--threads", "2"], "--threads"),
        (vec!["betweenness", "--error", "0"], "--error"),
        (vec!["betweenness", "--error", "1.5"], "--error"),
        (
            vec!["betweenness", "--error", "0.1", "--delta", "1"],
            "--delta",
        ),
        (vec!["betweenness", "--delta", "0.1"], "--delta"),
        (vec!["edge-betweenness", "--error", "0.1"], "--error"),
        (
            vec!["betweenness", "--error", "0.1", "--weighted"],
            "--weighted",
        ),
        (vec!["betweenness", "--error", "0.1", "--raw"], "--raw"),
    ] {
        let args = [&["analyse"][..], &extra, &["--edges", &file]].concat();
        let out = run(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.contains(named), "{args:?}: {err}");
    }
}
