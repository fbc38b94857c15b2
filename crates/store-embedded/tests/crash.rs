//! Crash safety with real processes: a child (`labgraph-crash-writer`) commits to a store file
//! and prints each version after its commit returns; the test SIGKILLs it at varied moments —
//! between and inside small commits, and inside one big commit — then reopens the file and
//! checks that every reported version is there, nothing half-written is, and the graph
//! validates. The same file goes through every round, so each recovery is also written on.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use labgraph_domain::{EdgeKey, EdgeKind, Graph, Id, NodeAttrs, NodeKind};
use labgraph_store::{GraphStore, StoreError};
use labgraph_store_embedded::EmbeddedStore;

/// Longest wait for one line from the child before the test gives up.
const PATIENCE: Duration = Duration::from_secs(120);
/// Institutions per version in loop mode.
const BATCH: usize = 50;
/// Institutions in the one big version.
const BIG: usize = 40_000;

/// The child process, killed and reaped however the test ends.
struct Writer {
    child: Child,
    lines: Receiver<String>,
}

impl Writer {
    fn start(file: &Path, mode: &str, count: usize) -> Writer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_labgraph-crash-writer"))
            .arg(file)
            .arg(mode)
            .arg(count.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start labgraph-crash-writer");
        let stdout = child.stdout.take().expect("child stdout is piped");
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Writer { child, lines }
    }

    /// The next line, or a panic if the child is silent too long or has ended.
    fn next_line(&mut self) -> String {
        match self.lines.recv_timeout(PATIENCE) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => panic!("crash-writer said nothing for {PATIENCE:?}"),
            Err(RecvTimeoutError::Disconnected) => {
                panic!("crash-writer ended early: {:?}", self.child.wait())
            }
        }
    }

    /// SIGKILL, then every line the child managed to print before dying.
    fn kill(mut self) -> Vec<String> {
        self.child.kill().expect("SIGKILL the crash-writer");
        self.child.wait().expect("reap the crash-writer");
        // The pipe is closed now: the reader thread drains what is left and hangs up.
        self.lines.iter().collect()
    }

    /// Waits for a child that ends by itself, then every line it printed since.
    fn finish(mut self) -> Vec<String> {
        let status = self.child.wait().expect("wait for the crash-writer");
        assert!(status.success(), "crash-writer failed: {status}");
        self.lines.iter().collect()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // After kill() or finish() this is a no-op on a reaped child.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The version in a `committed N [...]` line.
fn committed(line: &str) -> Option<u64> {
    let rest = line.strip_prefix("committed ")?;
    rest.split(' ').next()?.parse().ok()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("a tokio runtime")
}

fn load(file: &Path) -> Graph {
    runtime().block_on(async {
        let store = EmbeddedStore::open(file)
            .await
            .unwrap_or_else(|e| panic!("reopen after the crash: {e}"));
        store
            .load()
            .await
            .unwrap_or_else(|e| panic!("load after the crash (does the graph validate?): {e}"))
    })
}

/// What each version wrote: the id prefix and number of its institutions.
type Plan = BTreeMap<u64, (String, usize)>;

/// Records the versions a round produced, as the store shows them after the crash.
fn record(plan: &mut Plan, from: u64, to: u64, prefix: &str, count: usize) {
    for version in from + 1..=to {
        let prefix = if prefix == "big" {
            format!("big{version}")
        } else {
            format!("v{version}")
        };
        plan.insert(version, (prefix, count));
    }
}

/// The stored graph is exactly what the plan says: every institution and edge of every version
/// up to the stored one, nothing else, and the city stamped by the last version.
fn check(graph: &Graph, plan: &Plan) {
    let id = |text: String| Id::new(&text).expect("planned ids are valid");
    let mut institutions = 0;
    let mut edges = 0;
    for (version, (prefix, count)) in plan {
        for j in 0..*count {
            assert!(
                graph.node(&format!("{prefix}-i{j}")).is_some(),
                "version {version}: institution {prefix}-i{j} is missing"
            );
        }
        for j in 1..*count {
            let key = EdgeKey::new(
                EdgeKind::CollaboratesWith,
                id(format!("{prefix}-i{}", j - 1)),
                id(format!("{prefix}-i{j}")),
            );
            assert!(
                graph.edge(&key).is_some(),
                "version {version}: {key} is missing"
            );
        }
        institutions += count;
        edges += count.saturating_sub(1);
    }
    assert_eq!(
        graph.count_of(NodeKind::Institution),
        institutions,
        "institutions of a version that was not committed are stored"
    );
    assert_eq!(
        graph.edge_count(),
        edges,
        "edges beyond the plan are stored"
    );
    let stamped = match graph.node("crash-city").map(|n| &n.attrs) {
        Some(NodeAttrs::City(city)) => city.adcode.clone(),
        _ => None,
    };
    assert_eq!(
        stamped,
        (graph.version() > 0).then(|| graph.version().to_string()),
        "the stored version and the data it labels were not written together"
    );
}

/// Runs the loop writer until it has reported `commits` more versions, waits `delay`, kills
/// it, and checks the file. Returns the stored version.
fn loop_round(file: &Path, plan: &mut Plan, commits: usize, delay: Duration) -> u64 {
    let before = load(file).version();
    let mut writer = Writer::start(file, "loop", BATCH);
    let mut reported = Vec::new();
    while reported.len() < commits {
        let line = writer.next_line();
        reported.extend(committed(&line));
    }
    std::thread::sleep(delay);
    reported.extend(writer.kill().iter().filter_map(|l| committed(l)));
    let last = *reported.last().expect("the writer reported versions");
    let graph = load(file);
    let stored = graph.version();
    assert!(
        stored >= last,
        "reported version {last} was lost: the store is at {stored}"
    );
    assert!(
        stored <= last + 1,
        "store at {stored}, but only {last} was reported and one commit can be in flight"
    );
    assert_eq!(
        reported,
        (before + 1..=last).collect::<Vec<_>>(),
        "versions were reported out of order"
    );
    record(plan, before, stored, "v", BATCH);
    check(&graph, plan);
    stored
}

/// Runs the big writer, kills it `after` the start of its single write (or lets it finish),
/// and checks that the store holds all of the big version or none of it. Returns whether the
/// kill landed before the commit returned, and the write's duration when it finished.
fn big_round(file: &Path, plan: &mut Plan, after: Option<Duration>) -> (bool, Option<u64>) {
    let mut writer = Writer::start(file, "big", BIG);
    let ready = writer.next_line();
    let base: u64 = ready
        .strip_prefix("ready ")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {ready:?}"));
    assert_eq!(writer.next_line(), "writing");
    let lines = match after {
        Some(delay) => {
            std::thread::sleep(delay);
            writer.kill()
        }
        None => writer.finish(),
    };
    let done = lines.iter().find(|l| committed(l).is_some());
    let graph = load(file);
    let stored = graph.version();
    assert!(
        stored == base || stored == base + 1,
        "big round from {base}: store at {stored}"
    );
    if done.is_some() {
        assert_eq!(stored, base + 1, "a reported big commit was lost");
    }
    record(plan, base, stored, "big", BIG);
    check(&graph, plan);
    let millis = done.and_then(|l| l.split(' ').nth(2)?.parse().ok());
    (done.is_none(), millis)
}

fn fresh_file(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("crash");
    std::fs::create_dir_all(&dir).expect("create the crash test dir");
    let file = dir.join(format!("{name}.redb"));
    let _ = std::fs::remove_file(&file);
    file
}

#[test]
fn killed_writers_lose_nothing_committed_and_leave_nothing_half_written() {
    let file = fresh_file("killed-writers");
    let mut plan = Plan::new();

    // While a writer holds the file, another process cannot open it, and is told why.
    let mut writer = Writer::start(&file, "loop", BATCH);
    let first = writer.next_line();
    assert_eq!(committed(&first), Some(1), "first line {first:?}");
    match runtime().block_on(EmbeddedStore::open(&file)) {
        Err(StoreError::Unavailable(message)) => {
            assert!(
                message.contains(&file.display().to_string()) && message.contains("locked"),
                "the refusal must name the file and the lock: {message}"
            );
        }
        other => {
            panic!("opening a file another process holds: expected Unavailable, got {other:?}")
        }
    }
    let lines = writer.kill();
    let stored = load(&file).version();
    let last = lines.iter().rev().find_map(|l| committed(l)).unwrap_or(1);
    assert!(
        (last..=last + 1).contains(&stored),
        "stored {stored}, reported {last}"
    );
    record(&mut plan, 0, stored, "v", BATCH);
    check(&load(&file), &plan);

    // Kills at varied moments of a stream of small commits.
    for (commits, delay_ms) in [(10, 0), (25, 3), (40, 11)] {
        loop_round(&file, &mut plan, commits, Duration::from_millis(delay_ms));
    }

    // One big commit left to finish shows how long it takes; then kills inside it.
    let (_, took) = big_round(&file, &mut plan, None);
    let took = took.expect("the finished big round reports its duration");
    let mut killed_inside = 0;
    for fraction in [0.1, 0.5, 0.9] {
        let delay = Duration::from_millis((took as f64 * fraction) as u64);
        let (inside, _) = big_round(&file, &mut plan, Some(delay));
        killed_inside += usize::from(inside);
    }
    println!("big commit ({BIG} nodes) took {took} ms; kills inside it: {killed_inside} of 3");
    assert!(
        killed_inside > 0,
        "no kill landed inside a big commit (it took {took} ms): the test proved nothing"
    );

    // The file is still a working store after all that.
    loop_round(&file, &mut plan, 5, Duration::ZERO);
    let _ = std::fs::remove_file(&file);
}
