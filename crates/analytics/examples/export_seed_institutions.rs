//! Writes the institution projection of the real seed graph (`graph-seed/`) as an edge list,
//! `crates/analytics/tests/fixtures/seed-institutions.edges`, for NetworkX to compute the
//! reference values on (see `tests/fixtures/make_fixtures.py`).

use std::path::Path;

use labgraph_analytics::projection::{Filter, Weighting, institution_network};
use labgraph_analytics::write_edge_list;
use labgraph_domain::Graph;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = crate_dir.join("../../graph-seed");
    let (graph, _) = labgraph_io::read_files(&[seed])?.apply_to(&Graph::new())?;
    let net = institution_network(&graph, &Filter::default(), Weighting::default())?;
    let out = crate_dir.join("tests/fixtures/seed-institutions.edges");
    write_edge_list(&net, std::fs::File::create(&out)?)?;
    println!(
        "{}: {} institutions, {} ties",
        out.display(),
        net.node_count(),
        net.edge_count()
    );
    Ok(())
}
