//! The NetworkX fixtures (`fixtures/*.json`, written by `fixtures/make_fixtures.py`) as the
//! betweenness tests read them, and a deterministic larger network for agreement tests.
// Each test binary that includes this module uses a part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use labgraph_analytics::{Network, read_edge_list, read_edge_list_str};
use serde_json::Value;

/// Every fixture with betweenness results.
pub const FIXTURES: [&str; 8] = [
    "path",
    "star",
    "mixed",
    "weighted_ties",
    "pair_and_lone",
    "single",
    "synthetic",
    "seed-institutions",
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture's network and NetworkX's results.
pub struct Fixture {
    pub name: String,
    pub network: Network,
    pub results: Value,
}

/// Reads `fixtures/<name>.json` (and the edge list it names, if any).
pub fn load(name: &str) -> Fixture {
    let path = dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let network = match doc["edge_list"].as_str() {
        Some(file) => read_edge_list(&dir().join(file)).expect("fixture edge list reads"),
        None => {
            let mut text = String::new();
            for n in doc["nodes"].as_array().expect("nodes") {
                text.push_str(n.as_str().expect("node id"));
                text.push('\n');
            }
            for e in doc["edges"].as_array().expect("edges") {
                let (a, b) = (e[0].as_str().expect("id"), e[1].as_str().expect("id"));
                let w = e[2].as_f64().expect("strength");
                text.push_str(&format!("{a} {b} {w}\n"));
            }
            read_edge_list_str(name, &text).expect("fixture edges read")
        }
    };
    Fixture {
        name: name.into(),
        network,
        results: doc["results"].clone(),
    }
}

/// NetworkX's per-node scores under `key`.
pub fn node_scores(f: &Fixture, key: &str) -> BTreeMap<String, f64> {
    f.results[key]
        .as_object()
        .unwrap_or_else(|| panic!("{}: no {key}", f.name))
        .iter()
        .map(|(id, v)| (id.clone(), v.as_f64().expect("number")))
        .collect()
}

/// NetworkX's per-tie scores under `key`, keyed by the sorted pair of ids.
pub fn tie_scores(f: &Fixture, key: &str) -> BTreeMap<(String, String), f64> {
    f.results[key]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no {key}", f.name))
        .iter()
        .map(|e| {
            let (a, b) = (e[0].as_str().expect("id"), e[1].as_str().expect("id"));
            ((a.to_owned(), b.to_owned()), e[2].as_f64().expect("number"))
        })
        .collect()
}

/// `(a, b)` sorted, as the fixtures key ties.
pub fn sorted_pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

/// A preferential-attachment network of `n` nodes with strengths 1–4, whiskers of degree 1
/// and a few small separate components, from a fixed linear congruential generator: big
/// enough for several 64-source chunks per thread, with every shortcut of the sweep in play.
pub fn attachment_network(n: usize) -> Network {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |bound: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % bound
    };
    let mut ends: Vec<usize> = vec![0, 1];
    let mut text = String::from("n0 n1 1\n");
    for v in 2..n {
        // One node in five is a whisker (one tie), the rest attach by three.
        let ties = if v % 5 == 0 { 1 } else { 3 };
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < ties.min(v) {
            let u = ends[next(ends.len())];
            if !chosen.contains(&u) {
                chosen.push(u);
            }
        }
        for u in chosen {
            text.push_str(&format!("n{u} n{v} {}\n", 1 + next(4)));
            ends.push(u);
            ends.push(v);
        }
    }
    // Separate pieces: a triangle with a tail, a tie, a lone node.
    text.push_str("x0 x1 2\nx1 x2 1\nx2 x0 1\nx2 x3 3\ny0 y1 1\nz0\n");
    read_edge_list_str("attachment", &text).expect("generated edges read")
}
