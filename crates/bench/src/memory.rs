//! The analytics memory benchmark (`labgraph-bench-memory`): issue 3's target "analytics peak
//! memory on the 1M-edge graph under 100 MiB above the loaded graph", measured per algorithm.
//!
//! Each algorithm runs in a fresh child process, so no algorithm inherits another's freed but
//! retained heap: the child opens the store, loads the snapshot, takes its resident set
//! (`VmRSS`) as the baseline "loaded graph", resets the high-water mark (`5` written to
//! `/proc/self/clear_refs`; a 1 ms sampling thread where that does not work), projects the
//! person (co-authorship) network, reads the mark, resets it again, runs the algorithm and
//! reads the mark (`VmHWM`) again. The figure is the higher of the two peaks minus the
//! baseline: the projection, the algorithm's working memory and its result, everything
//! analytics adds to a process holding the graph; the algorithm's own share (its peak above
//! the graph and the network it runs on) is reported beside it.
//!
//! The binary allocates with mimalloc, as `labgraph` does, so the figures are those of what
//! ships. Children run with `MIMALLOC_PURGE_DELAY=0`: by default mimalloc keeps freed memory
//! resident a while and hands it out again, so the memory the load freed would sit in the
//! baseline and an algorithm would reuse it without its resident set growing (one run
//! without it measured a projection of 2 MiB). Purging at once makes what an algorithm
//! allocates show up as growth.
//!
//! Usage: `labgraph-bench-memory [--db FILE] [--dir DIR] [--only a,b,...] [--threads N]`.
//! Without `--db` it reuses `DIR/collab.db` (default
//! `target/bench-analytics`, the peers benchmark's database) or, if missing, generates the
//! same synthetic graph (2,000 institutions, 200,000 people, seed 1) and imports it there.
//! See docs/benchmarks.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use labgraph_analytics::projection::{Filter, person_network};
use labgraph_analytics::{Network, algo};
use serde_json::{Value, json};

/// mimalloc, the allocator of `labgraph` (crates/cli/src/main.rs): how much memory stays
/// resident depends on the allocator, so measure the one that ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The target, MiB above the loaded graph.
const TARGET_MIB: f64 = 100.0;

/// What one child measures, by name; `project` is the person projection alone, every other
/// row projects first (the algorithm needs the network) and times the algorithm alone.
const ALGORITHMS: &[&str] = &[
    "project",
    "pagerank",
    "components",
    "bridges",
    "articulation-points",
    "cuts",
    "k-core",
    "clustering",
    "louvain",
    "leiden",
    "structural-holes",
    "betweenness-sampled",
];

const KIB: f64 = 1024.0;

fn main() -> Result<()> {
    let mut raw: Vec<String> = std::env::args().skip(1).collect();
    if raw.first().map(String::as_str) == Some("child") {
        raw.remove(0);
        let [alg, db, threads] = <[String; 3]>::try_from(raw)
            .map_err(|_| anyhow::anyhow!("child ALGORITHM DB THREADS"))?;
        return child(&alg, Path::new(&db), threads.parse()?);
    }
    let mut db: Option<PathBuf> = None;
    let mut dir = PathBuf::from("target/bench-analytics");
    let mut only: Option<Vec<String>> = None;
    let mut threads = 1usize;
    let mut it = raw.into_iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--db" => db = Some(value()?.into()),
            "--dir" => dir = value()?.into(),
            "--only" => only = Some(value()?.split(',').map(str::to_owned).collect()),
            "--threads" => threads = value()?.parse()?,
            other => bail!("unknown argument {other} (see the file's header for usage)"),
        }
    }
    let algorithms: Vec<String> = match only {
        Some(list) => {
            for a in &list {
                ensure!(
                    ALGORITHMS.contains(&a.as_str()),
                    "--only: unknown algorithm {a}; one of {}",
                    ALGORITHMS.join(", ")
                );
            }
            list
        }
        None => ALGORITHMS.iter().map(|s| (*s).to_owned()).collect(),
    };
    let db = match db {
        Some(db) => db,
        None => ensure_db(&dir)?,
    };
    run(&db, &algorithms, threads)
}

/// `DIR/collab.db`, generated and imported when missing with the parameters the peers
/// benchmark (`bench/analytics/run.sh`) used for `collab`.
fn ensure_db(dir: &Path) -> Result<PathBuf> {
    let db = dir.join("collab.db");
    if db.exists() {
        return Ok(db);
    }
    std::fs::create_dir_all(dir)?;
    let seed_file = dir.join("collab.jsonl");
    eprintln!("generating {} ...", seed_file.display());
    let params = labgraph_app::SyntheticParams::new(2_000, 200_000, 1);
    labgraph_app::seed_synthetic(&params, Some(&seed_file))?;
    eprintln!("importing into {} ...", db.display());
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(labgraph_app::import(
        &db,
        &[seed_file],
        &labgraph_app::Progress::new(true),
    ))?;
    Ok(db)
}

fn run(db: &Path, algorithms: &[String], threads: usize) -> Result<()> {
    let exe = std::env::current_exe()?;
    let mut rows = Vec::new();
    for alg in algorithms {
        eprintln!("{alg} ...");
        let mut cmd = Command::new(&exe);
        cmd.arg("child").arg(alg).arg(db).arg(threads.to_string());
        cmd.env("MIMALLOC_PURGE_DELAY", "0");
        let out = cmd.output()?;
        ensure!(
            out.status.success(),
            "{alg}: child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout)
            .with_context(|| format!("{alg}: {}", String::from_utf8_lossy(&out.stdout)))?;
        eprintln!("  {v}");
        rows.push(v);
    }
    let first = rows.first().context("no algorithm ran")?;
    println!(
        "graph: {} nodes, {} edges; person projection: {} nodes, {} ties; loaded graph (VmRSS after load) {:.0} MiB; peak reset by {}; allocator mimalloc, purge delay 0; threads {threads}",
        first["graph_nodes"],
        first["graph_edges"],
        first["network_nodes"],
        first["network_ties"],
        first["baseline_mib"].as_f64().unwrap_or(f64::NAN),
        first["meter"].as_str().unwrap_or("?"),
    );
    println!();
    println!(
        "| algorithm | seconds | peak MiB above loaded graph | of which the algorithm, above graph + network | held after, MiB | target < {TARGET_MIB:.0} MiB |"
    );
    println!("|---|---:|---:|---:|---:|---|");
    for v in &rows {
        let peak = v["peak_above_mib"].as_f64().unwrap_or(f64::NAN);
        let algorithm = v["algorithm"].as_str().unwrap_or("?");
        let own = if algorithm == "project" {
            "—".to_owned()
        } else {
            format!(
                "{:.1}",
                v["algorithm_peak_above_network_mib"]
                    .as_f64()
                    .unwrap_or(f64::NAN)
            )
        };
        println!(
            "| {algorithm} | {:.3} | {:.1} | {own} | {:.1} | {} |",
            v["seconds"].as_f64().unwrap_or(f64::NAN),
            peak,
            v["held_after_mib"].as_f64().unwrap_or(f64::NAN),
            if peak < TARGET_MIB {
                "met"
            } else {
                "**not met**"
            },
        );
    }
    Ok(())
}

/// A field of `/proc/self/status` (`VmRSS`, `VmHWM`), in KiB.
fn status_kib(field: &str) -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("{field} in /proc/self/status"))
}

/// The peak resident set since the last [`PeakMeter::reset`].
enum PeakMeter {
    /// The kernel's high-water mark, reset through `/proc/self/clear_refs` (Linux ≥ 4.0).
    ClearRefs,
    /// A thread reading `VmRSS` every millisecond (may miss a spike shorter than that).
    Sampler {
        peak: Arc<AtomicU64>,
        stop: Arc<AtomicBool>,
    },
}

impl PeakMeter {
    /// Resets the high-water mark once and checks that it fell to the current resident set;
    /// falls back to sampling when the write fails or the mark did not move.
    fn new() -> PeakMeter {
        if Self::clear_refs().is_ok()
            && let (Ok(hwm), Ok(rss)) = (status_kib("VmHWM"), status_kib("VmRSS"))
            // Reset sets the mark to the current resident set; allow what the reads allocate.
            && hwm <= rss + 1024
        {
            return PeakMeter::ClearRefs;
        }
        let peak = Arc::new(AtomicU64::new(status_kib("VmRSS").unwrap_or(0)));
        let stop = Arc::new(AtomicBool::new(false));
        let (p, s) = (Arc::clone(&peak), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                if let Ok(rss) = status_kib("VmRSS") {
                    p.fetch_max(rss, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        PeakMeter::Sampler { peak, stop }
    }

    fn clear_refs() -> std::io::Result<()> {
        std::fs::write("/proc/self/clear_refs", "5")
    }

    fn name(&self) -> &'static str {
        match self {
            PeakMeter::ClearRefs => "clear_refs",
            PeakMeter::Sampler { .. } => "1 ms sampling",
        }
    }

    fn reset(&self) -> Result<()> {
        match self {
            PeakMeter::ClearRefs => Self::clear_refs()?,
            PeakMeter::Sampler { peak, .. } => peak.store(status_kib("VmRSS")?, Ordering::Relaxed),
        }
        Ok(())
    }

    /// Peak resident set in KiB since the last reset.
    fn peak_kib(&self) -> Result<u64> {
        match self {
            PeakMeter::ClearRefs => status_kib("VmHWM"),
            PeakMeter::Sampler { peak, .. } => {
                // One more reading, so a peak at the very end is not missed.
                let now = status_kib("VmRSS")?;
                Ok(peak.fetch_max(now, Ordering::Relaxed).max(now))
            }
        }
    }
}

impl Drop for PeakMeter {
    fn drop(&mut self) {
        if let PeakMeter::Sampler { stop, .. } = self {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

impl std::fmt::Debug for PeakMeter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Child: load the graph, measure one algorithm, print one JSON line.
fn child(alg: &str, db: &Path, threads: usize) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let service = runtime.block_on(labgraph_app::open_service(
        &labgraph_app::StoreLocation::Embedded(db.to_path_buf()),
        false,
        &labgraph_app::Progress::new(true),
    ))?;
    let graph = service.snapshot();
    let meter = PeakMeter::new();
    let baseline = status_kib("VmRSS")?;
    meter.reset()?;

    let start = Instant::now();
    let network = person_network(&graph, &Filter::default());
    let project_seconds = start.elapsed().as_secs_f64();
    let project_peak = meter.peak_kib()?;
    // The algorithm's own share: its peak above the graph and the network it runs on.
    let with_network = status_kib("VmRSS")?;
    meter.reset()?;
    let start = Instant::now();
    // Each result is kept until the peak is read: it is part of what the algorithm costs.
    let summary = run_algorithm(alg, &network, threads)?;
    let seconds = if alg == "project" {
        project_seconds
    } else {
        start.elapsed().as_secs_f64()
    };
    let algorithm_peak = meter.peak_kib()?;
    let peak = project_peak.max(algorithm_peak);
    let held = status_kib("VmRSS")?;
    let mib = |kib: u64| kib as f64 / KIB;
    println!(
        "{}",
        json!({
            "algorithm": alg,
            "seconds": seconds,
            "project_seconds": project_seconds,
            "baseline_mib": mib(baseline),
            "peak_above_mib": mib(peak.saturating_sub(baseline)),
            "network_mib": mib(with_network.saturating_sub(baseline)),
            "algorithm_peak_above_network_mib": mib(algorithm_peak.saturating_sub(with_network)),
            "held_after_mib": mib(held.saturating_sub(baseline)),
            "meter": meter.name(),
            "graph_nodes": graph.node_count(),
            "graph_edges": graph.edge_count(),
            "network_nodes": network.node_count(),
            "network_ties": network.edge_count(),
            "result": summary,
        })
    );
    drop(network);
    drop(service);
    Ok(())
}

/// Runs `alg` on the person network as the GraphQL fields and `labgraph analyse` do (weighted
/// where the algorithm reads weights, default parameters, seed 1) and summarises its result.
fn run_algorithm(alg: &str, net: &Network, threads: usize) -> Result<Value> {
    Ok(match alg {
        "project" => json!(net.edge_count()),
        "pagerank" => {
            let pr = algo::pagerank(net, &algo::PageRankParams::default())?;
            json!(pr.sum())
        }
        "components" => json!(algo::connected_components(net).len()),
        "bridges" => json!(algo::bridges(net).len()),
        "articulation-points" => json!(algo::articulation_points(net).len()),
        "cuts" => {
            let c = algo::cuts(net);
            json!([c.bridges().len(), c.articulation_points().len()])
        }
        "k-core" => {
            let c = algo::core_number(net);
            json!(c.top(1).first().map(|(_, v)| *v))
        }
        "clustering" => {
            let c = algo::clustering(net);
            json!(c.sum() / c.len().max(1) as f64)
        }
        "louvain" => {
            let p = algo::louvain(
                net,
                &algo::LouvainParams {
                    seed: 1,
                    ..algo::LouvainParams::default()
                },
            )?;
            json!({"communities": p.count(), "modularity": p.modularity()})
        }
        "leiden" => {
            let p = algo::leiden(
                net,
                &algo::LeidenParams {
                    seed: 1,
                    ..algo::LeidenParams::default()
                },
            )?;
            json!({"communities": p.count(), "modularity": p.modularity()})
        }
        "structural-holes" => json!(algo::structural_holes(net, true).len()),
        "betweenness-sampled" => {
            let b = algo::betweenness_sampled(
                net,
                &algo::SampledParams {
                    epsilon: 0.01,
                    delta: 0.1,
                    seed: 1,
                    threads,
                },
            )?;
            json!({"samples": b.samples, "vertex_diameter_bound": b.vertex_diameter_bound})
        }
        other => bail!("unknown algorithm {other}"),
    })
}
