//! The real `labgraph` binary's configuration and store options: `serve --config FILE` with
//! the precedence flags > environment > file > defaults (the listen address, the store, and
//! the analytics compute timeout as the server's `TIMEOUT` answer reports it), mistakes in the file named by
//! `file:line` (exit 3), and the store commands' exit codes (`copy`, `analyse --write-back`,
//! an unreachable Bolt server). The Neo4j behaviour itself is tested on FalkorDB in
//! `tests/neo4j.rs` and `crates/store-neo4j/tests/`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_labgraph");

/// A fresh directory per test, wiped at the start.
fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("labgraph-config-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create work dir");
    dir
}

/// The binary with no LABGRAPH_* variables from the caller's environment.
fn labgraph() -> Command {
    let mut command = Command::new(BIN);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("LABGRAPH_") {
            command.env_remove(key);
        }
    }
    command.arg("--quiet");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("run labgraph")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Starts `serve` and returns the server and the address it listens on.
fn serve(command: &mut Command) -> (Child, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start labgraph serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("reading the listening line");
    let addr = line
        .trim()
        .strip_prefix("labgraph: listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, addr)
}

/// Starts `serve` and returns the address it listens on, then stops it.
fn served_address(command: &mut Command) -> String {
    let (mut child, addr) = serve(command);
    let _ = child.kill();
    let _ = child.wait();
    addr
}

/// Starts `serve`, asks for an analytics computation that takes minutes (sampled betweenness
/// with ε = 10⁻⁴: about 10⁸ sampled paths), stops the server, and returns the `TIMEOUT`
/// error's message, which names the timeout the server was configured with.
fn timeout_message(command: &mut Command) -> String {
    let (mut child, addr) = serve(command);
    let query = "{ centrality(kind: BETWEENNESS, error: 0.0001, first: 1) { edges { score } } }";
    let answer: Result<serde_json::Value, ureq::Error> =
        ureq::post(&format!("http://{addr}/graphql"))
            .header("Accept", "application/graphql-response+json")
            .config()
            .http_status_as_error(false)
            .build()
            .send_json(serde_json::json!({ "query": query }))
            .and_then(|mut response| response.body_mut().read_json());
    // The computation goes on in the background: stop it with the server.
    let _ = child.kill();
    let _ = child.wait();
    let answer = answer.expect("an answer");
    let error = &answer["errors"][0];
    assert_eq!(error["extensions"]["code"], "TIMEOUT", "{answer}");
    error["message"].as_str().expect("a message").to_owned()
}

/// A free port on 127.0.0.1 (free a moment ago).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

#[test]
fn serve_takes_flags_over_environment_over_the_file() {
    let dir = workdir("precedence");
    let (file_port, env_port, flag_port) = (free_port(), free_port(), free_port());
    let config = dir.join("serve.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{file_port}\"\nstore = \"{}\"\n",
            dir.join("file.db").display()
        ),
    )
    .expect("writing the config");
    let db = |name: &str| dir.join(name);

    // The file alone: its address and its store.
    let addr = served_address(labgraph().arg("serve").arg("--config").arg(&config));
    assert_eq!(addr, format!("127.0.0.1:{file_port}"));
    assert!(db("file.db").exists(), "the file's store was used");

    // The environment over the file.
    let addr = served_address(
        labgraph()
            .env("LABGRAPH_LISTEN", format!("127.0.0.1:{env_port}"))
            .env("LABGRAPH_DB", db("env.db"))
            .args(["serve", "--config"])
            .arg(&config),
    );
    assert_eq!(addr, format!("127.0.0.1:{env_port}"));
    assert!(db("env.db").exists(), "LABGRAPH_DB beats the file's store");

    // Flags over both.
    let addr = served_address(
        labgraph()
            .env("LABGRAPH_LISTEN", format!("127.0.0.1:{env_port}"))
            .arg("--db")
            .arg(db("flag.db"))
            .args(["serve", "--config"])
            .arg(&config)
            .args(["--listen", &format!("127.0.0.1:{flag_port}")]),
    );
    assert_eq!(addr, format!("127.0.0.1:{flag_port}"));
    assert!(db("flag.db").exists(), "--db beats the file's store");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_compute_timeout_comes_from_flags_over_environment_over_the_file() {
    let dir = workdir("compute-timeout");
    let db = dir.join("labgraph.db");
    let config = dir.join("serve.toml");
    std::fs::write(
        &config,
        "listen = \"127.0.0.1:0\"\n[limits]\ncompute_timeout = \"101ms\"\n",
    )
    .expect("writing the config");
    let serve = || {
        let mut command = labgraph();
        command
            .arg("--db")
            .arg(&db)
            .args(["serve", "--config"])
            .arg(&config);
        command
    };
    let within = |ms: u32| format!("did not finish within {ms} ms");

    let message = timeout_message(&mut serve());
    assert!(message.contains(&within(101)), "the file's: {message}");
    let message = timeout_message(serve().env("LABGRAPH_COMPUTE_TIMEOUT", "102ms"));
    assert!(message.contains(&within(102)), "env over file: {message}");
    let message = timeout_message(
        serve()
            .env("LABGRAPH_COMPUTE_TIMEOUT", "102ms")
            .args(["--compute-timeout", "0.103s"]),
    );
    assert!(message.contains(&within(103)), "flag over env: {message}");

    // A zero timeout is refused as bad usage, naming the flag's value.
    let out = run(serve().args(["--compute-timeout", "0s"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("at least 1ms"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_mistake_in_the_config_file_exits_3_naming_file_and_line() {
    let dir = workdir("bad-config");
    let config = dir.join("serve.toml");
    std::fs::write(
        &config,
        "listen = \"127.0.0.1:0\"\n\n[neo4j]\nfetchsize = 10\n",
    )
    .expect("writing the config");
    let out = run(labgraph().args(["serve", "--config"]).arg(&config));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains(&format!("{}:4:", config.display())),
        "{message}"
    );
    assert!(message.contains("unknown field `fetchsize`"), "{message}");

    let missing = dir.join("missing.toml");
    let out = run(labgraph().args(["serve", "--config"]).arg(&missing));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains(&missing.display().to_string()));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn store_commands_exit_with_the_documented_codes() {
    let dir = workdir("store-codes");
    let db = dir.join("labgraph.db");
    let seeded = run(labgraph().arg("--db").arg(&db).arg("seed"));
    assert!(seeded.status.success(), "{}", stderr(&seeded));

    // An unreachable server: 4, naming the URI and not the password.
    let uri = format!("bolt://127.0.0.1:{}", free_port());
    let out = run(labgraph().args(["copy", "--from"]).arg(&db).args([
        "--to",
        &uri,
        "--neo4j-password",
        "hunter2",
        "--neo4j-connect-timeout",
        "5s",
    ]));
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains(&uri), "{}", stderr(&out));
    assert!(!stderr(&out).contains("hunter2"), "the password leaked");

    // A missing source file: 4, and it is not created.
    let missing = dir.join("missing.db");
    let out = run(labgraph()
        .args(["copy", "--from"])
        .arg(&missing)
        .arg("--to")
        .arg(dir.join("copy.db")));
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(!missing.exists());

    // File to file works; into a store that holds a graph is bad input (3).
    let copy = dir.join("copy.db");
    let out = run(labgraph()
        .args(["copy", "--from"])
        .arg(&db)
        .arg("--to")
        .arg(&copy));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(labgraph()
        .args(["copy", "--from"])
        .arg(&db)
        .arg("--to")
        .arg(&copy));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));

    // --write-back on the embedded store: 3, saying what would work.
    let out = run(labgraph()
        .arg("--db")
        .arg(&db)
        .args(["analyse", "pagerank", "--write-back"]));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("--store bolt://"), "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(dir);
}
