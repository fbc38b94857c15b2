//! Link prediction and Yen's k shortest paths against NetworkX 3.6.1, on the fixtures written
//! by `tests/fixtures/make_fixtures_partners.py` (a hand graph, the seed's institution
//! projection rebuilt independently in Python, a random weighted graph).

mod partners_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use labgraph_analytics::{Network, read_edge_list_str};
use labgraph_insights::linkpred::Neighbourhoods;
use labgraph_insights::paths::{Actors, k_shortest_paths, project};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn text(v: &Value) -> &str {
    v.as_str().expect("a string")
}

/// The fixture's graph as an edge list (weights when given).
fn network(doc: &Value) -> Network {
    let mut list = String::new();
    for n in doc["nodes"].as_array().expect("nodes") {
        list.push_str(text(n));
        list.push('\n');
    }
    for e in doc["edges"].as_array().expect("edges") {
        let w = e.get(2).and_then(Value::as_f64).unwrap_or(1.0);
        list.push_str(&format!("{} {} {w}\n", text(&e[0]), text(&e[1])));
    }
    read_edge_list_str("fixture", &list).expect("fixture edges read")
}

fn close(actual: f64, expected: f64, what: &str) {
    let tol = 1e-12 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: {actual} != {expected}"
    );
}

fn check_linkpred(name: &str, net: &Network) {
    let doc = fixture(&format!("linkpred-{name}.json"));
    let hoods = Neighbourhoods::new(net);
    let mut expected: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for row in doc["pairs"].as_array().expect("pairs") {
        let (a, b) = (text(&row[0]).to_owned(), text(&row[1]).to_owned());
        let values = (2..7).map(|i| row[i].as_f64().expect("number")).collect();
        expected.insert((a, b), values);
    }
    assert!(!expected.is_empty(), "{name}: the fixture has pairs");
    let mut seen = 0;
    for a in net.ids() {
        for (b, s) in hoods.scores_from(a.as_str()).expect("a is a node") {
            let (x, y) = if a < b { (a, b) } else { (b, a) };
            let want = expected
                .get(&(x.to_string(), y.to_string()))
                .cloned()
                .unwrap_or_else(|| vec![0.0; 5]);
            let what = format!("{name} {x}-{y}");
            assert_eq!(
                s.common_neighbours as f64, want[0],
                "{what} common neighbours"
            );
            close(s.jaccard, want[1], &format!("{what} jaccard"));
            close(s.adamic_adar, want[2], &format!("{what} adamic-adar"));
            close(
                s.resource_allocation,
                want[3],
                &format!("{what} resource allocation"),
            );
            close(
                s.preferential_attachment,
                want[4],
                &format!("{what} pref. attachment"),
            );
            // The single-pair entry point agrees with the one-against-all sweep.
            assert_eq!(
                hoods.scores(a.as_str(), b.as_str()).expect("pair"),
                s,
                "{what}"
            );
            if want.iter().any(|&v| v != 0.0) {
                seen += 1;
            }
        }
    }
    // Each listed pair is met from both ends.
    assert_eq!(
        seen,
        2 * expected.len(),
        "{name}: every NetworkX pair was compared"
    );
}

#[test]
fn link_prediction_matches_networkx_on_the_hand_graph() {
    let doc = fixture("linkpred-hand.json");
    check_linkpred("hand", &network(&doc));
}

#[test]
fn link_prediction_matches_networkx_on_the_seed_institution_projection() {
    let graph = partners_support::seed();
    let net = project(&graph, Actors::Institutions, false);
    // The fixture's projection was rebuilt from graph-seed/ in Python: the same ties.
    let doc = fixture("linkpred-seed-institutions.json");
    let ours: BTreeSet<(String, String)> = net
        .edges()
        .map(|(a, b, _)| {
            let (x, y) = if a < b { (a, b) } else { (b, a) };
            (x.to_string(), y.to_string())
        })
        .collect();
    let theirs: BTreeSet<(String, String)> = doc["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| (text(&e[0]).to_owned(), text(&e[1]).to_owned()))
        .collect();
    assert_eq!(ours, theirs, "labgraph's seed projection is the fixture's");
    assert_eq!(
        net.node_count(),
        doc["nodes"].as_array().expect("nodes").len()
    );
    check_linkpred("seed-institutions", &net);
}

#[test]
fn yen_matches_networkx_shortest_simple_paths_on_a_random_weighted_graph() {
    let doc = fixture("yen-random.json");
    let net = network(&doc);
    for q in doc["queries"].as_array().expect("queries") {
        let (from, to) = (text(&q["from"]), text(&q["to"]));
        let want_paths: Vec<Vec<String>> = q["paths"]
            .as_array()
            .expect("paths")
            .iter()
            .map(|p| {
                p.as_array()
                    .expect("path")
                    .iter()
                    .map(|n| text(n).to_owned())
                    .collect()
            })
            .collect();
        let want_lengths: Vec<f64> = q["lengths"]
            .as_array()
            .expect("lengths")
            .iter()
            .map(|l| l.as_f64().expect("length"))
            .collect();
        let k = want_paths.len();
        let got = k_shortest_paths(&net, from, to, k, 8.min(net.node_count() - 1), |_, _, w| w)
            .expect("paths");
        // NetworkX has no hop bound; every one of its first paths here has at most 8 hops.
        assert!(
            want_paths.iter().all(|p| p.len() <= 9),
            "{from}-{to}: a path over 8 hops"
        );
        assert_eq!(got.len(), k, "{from}-{to}: number of paths");
        for (i, ((_, l), want)) in got.iter().zip(&want_lengths).enumerate() {
            let tol = 1e-9;
            assert!((l - want).abs() < tol, "{from}-{to} #{i}: {l} != {want}");
        }
        // Equal lengths may come in either order: compare each group of equal length as a set,
        // except the last group, which the end of the list may cut (a path of the same length
        // may come next, and either tool may keep a different one); its lengths are checked.
        let mut i = 0;
        while i < k {
            let mut j = i + 1;
            while j < k && (want_lengths[j] - want_lengths[i]).abs() < 1e-9 {
                j += 1;
            }
            if j < k {
                let ours: BTreeSet<Vec<String>> = got[i..j]
                    .iter()
                    .map(|(p, _)| p.iter().map(|n| n.to_string()).collect())
                    .collect();
                let theirs: BTreeSet<Vec<String>> = want_paths[i..j].iter().cloned().collect();
                assert_eq!(ours, theirs, "{from}-{to}: paths #{i}..{j}");
            }
            i = j;
        }
    }
}

#[test]
fn a_hop_bound_keeps_networkx_paths_of_at_most_that_many_hops_in_order() {
    let doc = fixture("yen-random.json");
    let net = network(&doc);
    let mut dropped = 0;
    for q in doc["queries"].as_array().expect("queries") {
        let (from, to) = (text(&q["from"]), text(&q["to"]));
        let all: Vec<(Vec<String>, f64)> = q["paths"]
            .as_array()
            .expect("paths")
            .iter()
            .zip(q["lengths"].as_array().expect("lengths"))
            .map(|(p, l)| {
                let nodes = p
                    .as_array()
                    .expect("path")
                    .iter()
                    .map(|n| text(n).to_owned());
                (nodes.collect(), l.as_f64().expect("length"))
            })
            .collect();
        let shortest_hops = all.iter().map(|(p, _)| p.len() - 1).min().expect("a path");
        let bound = shortest_hops + 1;
        let want: Vec<&(Vec<String>, f64)> =
            all.iter().filter(|(p, _)| p.len() - 1 <= bound).collect();
        dropped += all.len() - want.len();
        // NetworkX's list is complete up to its last length; ours must agree on what falls
        // below that length.
        let limit = all.last().map(|(_, l)| *l).expect("a path");
        let got = k_shortest_paths(&net, from, to, 20, bound, |_, _, w| w).expect("paths");
        let got: Vec<(Vec<String>, f64)> = got
            .into_iter()
            .filter(|(_, l)| *l < limit - 1e-9)
            .map(|(p, l)| (p.iter().map(|n| n.to_string()).collect(), l))
            .collect();
        let want: Vec<(Vec<String>, f64)> = want
            .into_iter()
            .filter(|(_, l)| *l < limit - 1e-9)
            .cloned()
            .collect();
        assert!(!want.is_empty(), "{from}-{to}: something to compare");
        assert_eq!(got.len(), want.len(), "{from}-{to} within {bound} hops");
        for ((gp, gl), (wp, wl)) in got.iter().zip(&want) {
            assert!((gl - wl).abs() < 1e-9, "{from}-{to}: {gl} != {wl}");
            assert!(gp.len() - 1 <= bound);
            if got.iter().filter(|(_, l)| (l - gl).abs() < 1e-9).count() == 1 {
                assert_eq!(gp, wp, "{from}-{to}");
            }
        }
    }
    assert!(dropped > 0, "the bound removed some of NetworkX's paths");
}
