//! Every algorithm against NetworkX 3.6.1 on the committed fixtures (written by
//! `tests/fixtures/make_fixtures.py`): scores to 1e-9 relative, sets for components, bridges
//! and articulation points.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use labgraph_analytics::algo::{self, PageRankParams};
use labgraph_analytics::{Network, PathWeights, Scores, read_edge_list, read_edge_list_str};
use labgraph_domain::Id;
use serde_json::Value;

const FIXTURES: [&str; 8] = [
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

struct Fixture {
    name: String,
    network: Network,
    results: Value,
}

fn load(name: &str) -> Fixture {
    let path = dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let network = match doc["edge_list"].as_str() {
        Some(file) => read_edge_list(&dir().join(file)).expect("fixture edge list reads"),
        None => {
            // Go through the edge-list reader, so the fixtures exercise it too.
            let mut text = String::new();
            for n in doc["nodes"].as_array().expect("nodes") {
                text.push_str(n.as_str().expect("node id"));
                text.push('\n');
            }
            for e in doc["edges"].as_array().expect("edges") {
                let w = e[2].as_f64().expect("strength");
                text.push_str(&format!("{} {} {w}\n", str_of(&e[0]), str_of(&e[1])));
            }
            read_edge_list_str(name, &text).expect("fixture edges read")
        }
    };
    let nodes = doc["nodes"].as_array().expect("nodes").len();
    assert_eq!(network.node_count(), nodes, "{name}: node count");
    Fixture {
        name: name.into(),
        network,
        results: doc["results"].clone(),
    }
}

fn str_of(v: &Value) -> &str {
    v.as_str().expect("string")
}

/// Relative agreement to 1e-9; values both within 1e-14 of zero agree (a sum of dependencies
/// that is 0 in exact arithmetic may come out as ±1e-17 in either implementation).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) || (a.abs() < 1e-14 && b.abs() < 1e-14)
}

fn assert_scores(f: &Fixture, key: &str, got: &Scores) {
    let want = f.results[key]
        .as_object()
        .unwrap_or_else(|| panic!("{}: no {key}", f.name));
    assert_eq!(got.len(), want.len(), "{}: {key}: node count", f.name);
    for (id, w) in want {
        let w = w.as_f64().expect("number");
        let g = got
            .get(id)
            .unwrap_or_else(|| panic!("{}: {key}: {id} missing", f.name));
        assert!(close(g, w), "{}: {key}[{id}] = {g}, NetworkX {w}", f.name);
    }
}

fn pairs(v: &Value) -> BTreeSet<(String, String)> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|p| (str_of(&p[0]).to_owned(), str_of(&p[1]).to_owned()))
        .collect()
}

fn sorted_pair(a: &Id, b: &Id) -> (String, String) {
    let (a, b) = (a.to_string(), b.to_string());
    if a <= b { (a, b) } else { (b, a) }
}

fn each(check: impl Fn(&Fixture)) {
    for name in FIXTURES {
        check(&load(name));
    }
}

#[test]
fn degree_and_strength() {
    each(|f| {
        assert_scores(f, "degree", &algo::degree(&f.network));
        assert_scores(f, "strength", &algo::strength(&f.network));
    });
}

#[test]
fn connected_components_as_sets() {
    each(|f| {
        let got: BTreeSet<BTreeSet<String>> = algo::connected_components(&f.network)
            .into_iter()
            .map(|c| c.into_iter().map(|id| id.to_string()).collect())
            .collect();
        let want: BTreeSet<BTreeSet<String>> = f.results["components"]
            .as_array()
            .expect("components")
            .iter()
            .map(|c| {
                c.as_array()
                    .expect("component")
                    .iter()
                    .map(|v| str_of(v).to_owned())
                    .collect()
            })
            .collect();
        assert_eq!(got, want, "{}: components", f.name);
    });
}

#[test]
fn node_betweenness_by_hops_and_by_length() {
    each(|f| {
        let net = &f.network;
        assert_scores(
            f,
            "betweenness_hops",
            &algo::betweenness(net, PathWeights::Hops, true),
        );
        assert_scores(
            f,
            "betweenness_hops_raw",
            &algo::betweenness(net, PathWeights::Hops, false),
        );
        assert_scores(
            f,
            "betweenness_weighted",
            &algo::betweenness(net, PathWeights::InverseStrength, true),
        );
    });
}

#[test]
fn edge_betweenness_by_hops_and_by_length() {
    each(|f| {
        for (key, weights) in [
            ("edge_betweenness_hops", PathWeights::Hops),
            ("edge_betweenness_weighted", PathWeights::InverseStrength),
        ] {
            let got: BTreeMap<(String, String), f64> =
                algo::edge_betweenness(&f.network, weights, true)
                    .into_iter()
                    .map(|(a, b, x)| (sorted_pair(&a, &b), x))
                    .collect();
            let want = f.results[key].as_array().expect(key);
            assert_eq!(got.len(), want.len(), "{}: {key}: tie count", f.name);
            for e in want {
                let pair = (str_of(&e[0]).to_owned(), str_of(&e[1]).to_owned());
                let w = e[2].as_f64().expect("number");
                let g = got[&pair];
                assert!(close(g, w), "{}: {key}{pair:?} = {g}, NetworkX {w}", f.name);
            }
        }
    });
}

#[test]
fn closeness_and_harmonic() {
    each(|f| {
        let net = &f.network;
        assert_scores(
            f,
            "closeness_hops",
            &algo::closeness(net, PathWeights::Hops),
        );
        assert_scores(
            f,
            "closeness_weighted",
            &algo::closeness(net, PathWeights::InverseStrength),
        );
        assert_scores(f, "harmonic_hops", &algo::harmonic(net, PathWeights::Hops));
        assert_scores(
            f,
            "harmonic_weighted",
            &algo::harmonic(net, PathWeights::InverseStrength),
        );
    });
}

#[test]
fn pagerank_weighted_unweighted_and_personalised() {
    each(|f| {
        let net = &f.network;
        let weighted = algo::pagerank(net, &PageRankParams::default()).expect("converges");
        assert_scores(f, "pagerank_weighted", &weighted);
        let plain = PageRankParams {
            weighted: false,
            ..PageRankParams::default()
        };
        assert_scores(
            f,
            "pagerank_unweighted",
            &algo::pagerank(net, &plain).expect("converges"),
        );
        if let Some(p) = f.results["personalisation"].as_object() {
            let params = PageRankParams {
                personalisation: Some(
                    p.iter()
                        .map(|(id, w)| (Id::new(id).expect("id"), w.as_f64().expect("weight")))
                        .collect(),
                ),
                ..PageRankParams::default()
            };
            assert_scores(
                f,
                "pagerank_personalised",
                &algo::pagerank(net, &params).expect("converges"),
            );
        }
    });
}

#[test]
fn bridges_and_articulation_points_as_sets() {
    each(|f| {
        let got: BTreeSet<(String, String)> = algo::bridges(&f.network)
            .iter()
            .map(|(a, b)| sorted_pair(a, b))
            .collect();
        assert_eq!(got, pairs(&f.results["bridges"]), "{}: bridges", f.name);
        let got: BTreeSet<String> = algo::articulation_points(&f.network)
            .iter()
            .map(|id| id.to_string())
            .collect();
        let want: BTreeSet<String> = f.results["articulation_points"]
            .as_array()
            .expect("articulation points")
            .iter()
            .map(|v| str_of(v).to_owned())
            .collect();
        assert_eq!(got, want, "{}: articulation points", f.name);
    });
}

#[test]
fn core_number_and_clustering() {
    each(|f| {
        assert_scores(f, "core_number", &algo::core_number(&f.network));
        assert_scores(f, "clustering", &algo::clustering(&f.network));
    });
}
