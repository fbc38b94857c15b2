//! End-to-end tests of the real `labgraph` binary: serve over HTTP, import (good and bad
//! input), export and re-import, exit codes, a locked database.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_labgraph");

/// A fresh directory per test, wiped at the start.
fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("labgraph-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create work dir");
    dir
}

fn labgraph(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--quiet")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run labgraph")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Parses `labgraph stats` into (kind, count) pairs.
fn stats(db: &Path) -> Vec<(String, u64)> {
    let out = labgraph(db, &["stats"]);
    assert!(out.status.success(), "stats failed: {}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .filter_map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            match parts.as_slice() {
                [kind, n, "nodes" | "edges"] => Some((kind.to_string(), n.parse().ok()?)),
                _ => None,
            }
        })
        .collect()
}

fn count(stats: &[(String, u64)], kind: &str) -> u64 {
    stats
        .iter()
        .find(|(k, _)| k == kind)
        .map(|(_, n)| *n)
        .unwrap_or_else(|| panic!("no count for {kind} in {stats:?}"))
}

struct Served {
    child: Child,
    url: String,
}

impl Served {
    /// Sends SIGTERM and waits for the exit status.
    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(status.success());
        self.child.wait().expect("wait for the server")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path) -> Served {
    let mut child = Command::new(BIN)
        .arg("--quiet")
        .arg("--db")
        .arg(db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start labgraph serve");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the listening line");
    let url = line
        .trim()
        .strip_prefix("labgraph: listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Served { child, url }
}

fn graphql(url: &str, query: &str) -> Value {
    let mut resp = ureq::post(&format!("{url}/graphql"))
        .header("Accept", "application/graphql-response+json")
        .send_json(json!({ "query": query }))
        .expect("POST /graphql");
    resp.body_mut().read_json().expect("JSON response")
}

#[test]
fn serve_seeds_a_new_database_and_answers_over_http() {
    let dir = workdir("serve");
    let db = dir.join("g.db");
    let served = serve(&db);
    let health: Value = ureq::get(&format!("{}/healthz", served.url))
        .call()
        .expect("GET /healthz")
        .body_mut()
        .read_json()
        .expect("health JSON");
    assert_eq!(health["status"], "ok");
    // The seed graph is there: CUHK found by its Traditional Chinese name.
    let found = graphql(
        &served.url,
        r#"{ search(text: "香港中文大學", first: 1) { node { id } } }"#,
    );
    assert_eq!(found["data"]["search"][0]["node"]["id"], "cuhk", "{found}");
    let sdl = ureq::get(&format!("{}/schema.graphql", served.url))
        .call()
        .expect("GET /schema.graphql")
        .body_mut()
        .read_to_string()
        .expect("SDL text");
    assert!(sdl.contains("interface Node"), "{sdl}");

    // SIGTERM shuts the server down cleanly (exit status 0).
    let exit = served.terminate();
    assert!(exit.success(), "server exit status {exit:?}");
}

#[test]
fn a_running_server_locks_the_database_for_other_processes() {
    let dir = workdir("locked");
    let db = dir.join("g.db");
    let _served = serve(&db);
    let out = labgraph(&db, &["stats"]);
    assert_eq!(out.status.code(), Some(4), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains("g.db"), "{}", text(&out.stderr));
}

#[test]
fn bad_input_names_file_line_and_field_and_stores_nothing() {
    let dir = workdir("bad-input");
    let db = dir.join("g.db");
    let seeded = labgraph(&db, &["seed"]);
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let before = stats(&db);

    let good_then_bad = dir.join("mixed.jsonl");
    let mut f = std::fs::File::create(&good_then_bad).expect("create file");
    writeln!(f, r#"{{"record":"node","kind":"institution","id":"new-inst","name_en":"A New Institute","institution_kind":"research_institute","city":"guangzhou"}}"#).expect("write");
    writeln!(f, r#"{{"record":"edge","kind":"partner_in","from":"new-inst","to":"no-such-lab","role":"host"}}"#).expect("write");
    drop(f);
    let out = labgraph(
        &db,
        &["import", good_then_bad.to_str().expect("utf-8 path")],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("mixed.jsonl:2"),
        "error should name file and line: {err}"
    );
    assert!(
        err.contains("no-such-lab"),
        "error should name the id: {err}"
    );
    assert_eq!(stats(&db), before, "a failed import must store nothing");

    let malformed = dir.join("broken.jsonl");
    std::fs::write(&malformed, "{\"record\":\"node\",\"kind\":\"city\",\n").expect("write");
    let out = labgraph(&db, &["import", malformed.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("broken.jsonl:1"),
        "{}",
        text(&out.stderr)
    );

    let bad_csv = dir.join("nodes.csv");
    std::fs::write(
        &bad_csv,
        "record,kind,id,name_en,institution_kind\nnode,institution,x1,X One,university\nnode,institution,x2,X Two,castle\n",
    )
    .expect("write");
    let out = labgraph(&db, &["import", bad_csv.to_str().expect("utf-8 path")]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("nodes.csv:3"), "{err}");
    assert!(err.contains("institution_kind"), "{err}");
    assert_eq!(stats(&db), before);
}

#[test]
fn export_then_import_reproduces_the_graph() {
    let dir = workdir("roundtrip");
    let db = dir.join("a.db");
    assert!(labgraph(&db, &["seed"]).status.success());
    let seeded = stats(&db);
    assert_eq!(count(&seeded, "institution"), 60);
    assert_eq!(count(&seeded, "city"), 23);

    let exported = dir.join("graph.jsonl");
    let out = labgraph(
        &db,
        &[
            "export",
            "--format",
            "json",
            "--out",
            exported.to_str().expect("path"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let copy = dir.join("b.db");
    let out = labgraph(&copy, &["import", exported.to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(stats(&copy)[1..], seeded[1..], "same counts by kind");

    let csv_dir = dir.join("csv");
    let out = labgraph(
        &db,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            csv_dir.to_str().expect("path"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let third = dir.join("c.db");
    let out = labgraph(&third, &["import", csv_dir.to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(stats(&third)[1..], seeded[1..]);

    for format in ["graphml", "gexf"] {
        let file = dir.join(format!("graph.{format}"));
        let out = labgraph(
            &db,
            &[
                "export",
                "--format",
                format,
                "--out",
                file.to_str().expect("path"),
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let xml = std::fs::read_to_string(&file).expect("read export");
        assert!(
            xml.starts_with("<?xml"),
            "{format}: {}",
            &xml[..xml.len().min(80)]
        );
        assert!(xml.contains("cuhk"), "{format} export lacks the cuhk node");
    }

    // Importing the same data again changes nothing: the version stays.
    let again = labgraph(&copy, &["import", exported.to_str().expect("path")]);
    assert!(again.status.success());
    assert!(
        text(&again.stdout).contains(": 0 changes"),
        "{}",
        text(&again.stdout)
    );
}

#[test]
fn synthetic_seed_is_deterministic_and_importable() {
    let dir = workdir("synthetic");
    let a = dir.join("a.jsonl");
    let b = dir.join("b.jsonl");
    for out in [&a, &b] {
        let o = labgraph(
            &dir.join("unused.db"),
            &[
                "seed",
                "synthetic",
                "--institutions",
                "40",
                "--people",
                "400",
                "--seed",
                "7",
                "--out",
                out.to_str().expect("path"),
            ],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    assert_eq!(
        std::fs::read(&a).expect("read a"),
        std::fs::read(&b).expect("read b")
    );
    let db = dir.join("s.db");
    let out = labgraph(&db, &["import", a.to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(count(&stats(&db), "person"), 400);
}

#[test]
fn usage_errors_exit_with_2() {
    let out = Command::new(BIN)
        .arg("no-such-command")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_mistyped_cors_origin_stops_the_server_with_a_clear_error() {
    let dir = workdir("cors");
    let out = labgraph(
        &dir.join("g.db"),
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--cors-origin",
            "https://app.example/",
        ],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("https://app.example/"), "{err}");
}

#[test]
fn an_unreachable_neo4j_store_exits_4_naming_the_uri_not_the_password() {
    let dir = workdir("unreachable-neo4j");
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    let uri = "bolt://127.0.0.1:1";
    let out = labgraph(
        &dir.join("unused.db"),
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--store",
            uri,
            "--neo4j-password",
            "s3cret-pw",
        ],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains(uri), "{err}");
    assert!(!err.contains("s3cret-pw"), "the password leaked: {err}");
    assert!(
        !dir.join("unused.db").exists(),
        "--db must not be used with --store"
    );
}
