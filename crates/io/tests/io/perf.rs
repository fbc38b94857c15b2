//! Throughput figures, run on demand in release mode:
//! `cargo test -p labgraph-io --release -- --ignored --nocapture perf`.

use std::time::Instant;

use labgraph_domain::Graph;
use labgraph_io::read_files;
use labgraph_io::synthetic::{Params, write_synthetic};

use crate::common::scratch;

/// Generates the benchmark-size synthetic graph (2k institutions, 200k people, 1M ties) to a
/// file, reads it back, and applies it; prints records per second for each step.
#[test]
#[ignore = "a measurement, not a check: run in release mode"]
fn perf_generate_and_read_a_million_records() {
    let dir = scratch("perf");
    let path = dir.join("synthetic.jsonl");
    let started = Instant::now();
    let file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let stats = write_synthetic(&Params::default(), file).expect("generate");
    let generated = started.elapsed();
    let bytes = std::fs::metadata(&path).expect("stat").len();
    let records = stats.nodes + stats.edges;
    println!(
        "generate: {records} records ({} nodes, {} edges, {} collaborations, {} cross-border), {:.1} MB in {:.2} s = {:.0} records/s",
        stats.nodes,
        stats.edges,
        stats.collaborations,
        stats.cross_border_collaborations,
        bytes as f64 / 1e6,
        generated.as_secs_f64(),
        records as f64 / generated.as_secs_f64()
    );

    let started = Instant::now();
    let parsed = read_files(&[path]).expect("read");
    let read = started.elapsed();
    assert_eq!(parsed.len(), records);
    println!(
        "read: {} records in {:.2} s = {:.0} records/s",
        parsed.len(),
        read.as_secs_f64(),
        parsed.len() as f64 / read.as_secs_f64()
    );

    let started = Instant::now();
    let (graph, _) = parsed.apply_to(&Graph::new()).expect("apply");
    println!(
        "apply: {} nodes, {} edges in {:.2} s",
        graph.node_count(),
        graph.edge_count(),
        started.elapsed().as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
}
