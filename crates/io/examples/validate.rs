//! Reads seed files (or directories), applies them to an empty graph and prints the node and
//! edge counts, or the first error with its file and line:
//! `cargo run -p labgraph-io --example validate -- graph-seed`.

use std::path::PathBuf;
use std::process::ExitCode;

use labgraph_domain::Graph;
use labgraph_io::read_files;

fn main() -> ExitCode {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        eprintln!("usage: validate PATH...");
        return ExitCode::from(2);
    }
    match read_files(&paths).and_then(|parsed| parsed.apply_to(&Graph::new())) {
        Ok((graph, _)) => {
            let stats = graph.stats();
            for (kind, n) in stats.nodes {
                println!("{kind}: {n}");
            }
            for (kind, n) in stats.edges {
                println!("{kind}: {n}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
