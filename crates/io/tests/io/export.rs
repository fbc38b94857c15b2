//! GraphML and GEXF: NetworkX (the reference the analytics are checked against, and a reader
//! as strict as Gephi's) reads both files back with every node and edge.

use std::process::Command;

use labgraph_io::{write_gexf, write_graphml};

use crate::common::{scratch, seed_graph};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/check_networkx.py");

fn networkx_available() -> bool {
    Command::new("python3")
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn networkx_reads_graphml_and_gexf() {
    // No silent skip: scripts/test installs networkx, so its absence is a broken set-up.
    assert!(
        networkx_available(),
        "python3 with networkx is needed: run scripts/test, or `python3 -m pip install networkx==3.6.1`"
    );
    let graph = seed_graph();
    let dir = scratch("export");
    let graphml = dir.join("seed.graphml");
    let gexf = dir.join("seed.gexf");
    write_graphml(&graph, std::fs::File::create(&graphml).expect("create")).expect("write graphml");
    write_gexf(&graph, std::fs::File::create(&gexf).expect("create")).expect("write gexf");
    let output = Command::new("python3")
        .arg(SCRIPT)
        .arg(&graphml)
        .arg(&gexf)
        .output()
        .expect("run python3");
    assert!(
        output.status.success(),
        "networkx refused the files: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = String::from_utf8(output.stdout).expect("utf8");
    let expected = format!("{} {}", graph.node_count(), graph.edge_count());
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 2, "{report}");
    for line in lines {
        let (format, rest) = line.split_once(' ').expect("format counts attrs");
        assert!(
            rest.starts_with(&expected),
            "{format}: {rest} (expected {expected})"
        );
        // The script also echoes hku's label and the tie class of a cross-border edge.
        assert!(
            rest.contains("label=The University of Hong Kong"),
            "{format}: {rest}"
        );
        assert!(rest.contains("tie=mainland_hk"), "{format}: {rest}");
    }
    std::fs::remove_dir_all(&dir).expect("clean up");
}
