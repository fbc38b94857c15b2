//! The seed graph (graph-seed/*.jsonl), built into the binary by build.rs.

use anyhow::{Result, ensure};

use crate::BadInput;

include!(concat!(env!("OUT_DIR"), "/seed_files.rs"));

/// Parses the built-in seed files into one change set.
pub fn parse() -> Result<labgraph_io::Parsed> {
    ensure!(
        !FILES.is_empty(),
        "this binary was built without graph-seed/*.jsonl"
    );
    labgraph_io::read_sources(FILES).map_err(|e| BadInput(format!("built-in seed: {e}")).into())
}
