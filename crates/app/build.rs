//! Embeds graph-seed/ into the binary, so that `labgraph serve` seeds a new database from the
//! real reference data wherever the binary runs.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
    println!("cargo:rerun-if-changed={}", seed.display());
    let mut files: Vec<_> = std::fs::read_dir(&seed)
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect()
        })
        .unwrap_or_default();
    // Sorted, so the embedded order (and so error positions) is the same on every machine.
    files.sort();
    let mut code = String::from(
        "/// graph-seed/*.jsonl, as (file name, contents).\npub const FILES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            code,
            "    ({:?}, include_str!({:?})),",
            format!("graph-seed/{name}"),
            file.canonicalize()
                .unwrap_or_else(|_| file.clone())
                .display()
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("seed_files.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}
