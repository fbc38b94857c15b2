//! Eigenvector and Katz centrality, transitivity, modularity, Louvain, Leiden and label
//! propagation against NetworkX 3.6.1 on the committed fixtures
//! (`tests/fixtures/communities-*.json`, written by `make_fixtures_communities.py` from the
//! graphs of `make_fixtures.py`), and Louvain and Leiden on planted partitions whose answer is
//! known by construction.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use labgraph_analytics::algo::{
    self, EigenvectorParams, KatzParams, LeidenParams, LouvainParams, Partition,
};
use labgraph_analytics::{AlgorithmError, Network, Scores, read_edge_list, read_edge_list_str};
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

/// Louvain and Leiden may end in another local optimum than NetworkX's Louvain (another
/// random order): their modularity must be at least NetworkX's worst seed minus this, and
/// their mean over the seeds at least NetworkX's mean minus this.
const LOUVAIN_SLACK: f64 = 0.01;

#[derive(Debug, Clone, Copy)]
enum Method {
    Louvain,
    Leiden,
}

const METHODS: [Method; 2] = [Method::Louvain, Method::Leiden];

fn detect(method: Method, net: &Network, weighted: bool, resolution: f64, seed: u64) -> Partition {
    match method {
        Method::Louvain => {
            let params = LouvainParams {
                resolution,
                weighted,
                seed,
            };
            algo::louvain(net, &params).expect("valid parameters")
        }
        Method::Leiden => {
            let params = LeidenParams {
                resolution,
                weighted,
                seed,
                ..LeidenParams::default()
            };
            algo::leiden(net, &params).expect("valid parameters")
        }
    }
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Fixture {
    name: String,
    network: Network,
    results: Value,
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// The graph of `<name>.json` (make_fixtures.py) and the results of `communities-<name>.json`.
fn load(name: &str) -> Fixture {
    let doc = read_json(&dir().join(format!("{name}.json")));
    let network = match doc["edge_list"].as_str() {
        Some(file) => read_edge_list(&dir().join(file)).expect("fixture edge list reads"),
        None => {
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
    let results = read_json(&dir().join(format!("communities-{name}.json")))["results"].clone();
    Fixture {
        name: name.into(),
        network,
        results,
    }
}

fn str_of(v: &Value) -> &str {
    v.as_str().expect("string")
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

/// Relative agreement to 1e-9; values both within 1e-14 of zero agree.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) || (a.abs() < 1e-14 && b.abs() < 1e-14)
}

fn assert_scores(f: &Fixture, key: &str, got: &Scores) {
    let want = f.results[key]
        .as_object()
        .unwrap_or_else(|| panic!("{}: no {key}", f.name));
    assert_eq!(got.len(), want.len(), "{}: {key}: node count", f.name);
    for (id, w) in want {
        let (g, w) = (got.get(id).expect("scored"), num(w));
        assert!(close(g, w), "{}: {key}[{id}] = {g}, NetworkX {w}", f.name);
    }
}

fn each(check: impl Fn(&Fixture)) {
    for name in FIXTURES {
        check(&load(name));
    }
}

fn as_sets(p: &Partition) -> BTreeSet<BTreeSet<String>> {
    p.communities()
        .iter()
        .map(|c| c.iter().map(|id| id.to_string()).collect())
        .collect()
}

fn ids(v: &Value) -> Vec<Id> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|x| Id::new(str_of(x)).expect("id"))
        .collect()
}

/// Every node in exactly one community, sizes and numbering consistent.
fn assert_partition(net: &Network, p: &Partition, what: &str) {
    assert_eq!(p.len(), net.node_count(), "{what}: nodes partitioned");
    let comms = p.communities();
    assert_eq!(comms.len(), p.count(), "{what}: community count");
    let mut seen = BTreeSet::new();
    for (c, members) in comms.iter().enumerate() {
        assert!(!members.is_empty(), "{what}: community {c} is empty");
        assert_eq!(members.len(), p.sizes()[c], "{what}: size of {c}");
        for id in members {
            assert!(seen.insert(id.clone()), "{what}: {id} in two communities");
            assert_eq!(p.community(id.as_str()), Some(c), "{what}: {id}");
        }
    }
    assert_eq!(seen.len(), net.node_count(), "{what}: every node placed");
    assert!(
        p.sizes().windows(2).all(|w| w[0] >= w[1]),
        "{what}: largest first"
    );
}

#[test]
fn eigenvector_per_component_matches_networkx_numpy() {
    each(|f| {
        for (key, weighted) in [
            ("eigenvector_weighted", true),
            ("eigenvector_unweighted", false),
        ] {
            let params = EigenvectorParams {
                weighted,
                tol: 1e-14,
                max_iter: 100_000,
            };
            let got = algo::eigenvector(&f.network, &params).expect("converges");
            assert_scores(f, key, &got);
            // The documented normalisation: unit Euclidean norm over the whole network.
            let norm: f64 = got.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            assert!((norm - 1.0).abs() < 1e-12, "{}: {key}: norm {norm}", f.name);
        }
    });
}

#[test]
fn eigenvector_reports_no_convergence_and_bad_tolerance() {
    let f = load("synthetic");
    let params = EigenvectorParams {
        max_iter: 3,
        tol: 1e-14,
        weighted: true,
    };
    assert_eq!(
        algo::eigenvector(&f.network, &params).expect_err("3 iterations are not enough"),
        AlgorithmError::NoConvergence { max_iter: 3 }
    );
    let bad = EigenvectorParams {
        tol: 0.0,
        ..EigenvectorParams::default()
    };
    let err = algo::eigenvector(&f.network, &bad).expect_err("tol 0 refused");
    assert_eq!(
        err.to_string(),
        "tol = 0 is out of range: finite and positive"
    );
}

#[test]
fn katz_matches_networkx_numpy_and_refuses_alpha_beyond_the_bound() {
    each(|f| {
        if f.network.node_count() < 2 {
            return; // NetworkX fails on one node; see make_fixtures_communities.py.
        }
        for (key, weighted) in [("weighted", true), ("unweighted", false)] {
            let alpha = num(&f.results[format!("katz_{key}_alpha")]);
            for (suffix, normalized) in [("", true), ("_raw", false)] {
                let params = KatzParams {
                    alpha,
                    weighted,
                    normalized,
                    ..KatzParams::default()
                };
                let got = algo::katz(&f.network, &params).expect("alpha below the bound");
                assert_scores(f, &format!("katz_{key}{suffix}"), &got);
            }
            let lambda = num(&f.results[format!("katz_{key}_lambda_max")]);
            if lambda > 0.0 {
                let params = KatzParams {
                    alpha: 1.001 / lambda,
                    weighted,
                    ..KatzParams::default()
                };
                match algo::katz(&f.network, &params) {
                    Err(AlgorithmError::AlphaTooLarge { lambda_max, .. }) => {
                        assert!(close(lambda_max, lambda), "{}: λmax {lambda_max}", f.name)
                    }
                    other => panic!("{}: alpha above 1/λmax gave {other:?}", f.name),
                }
            }
        }
    });
}

#[test]
fn katz_error_names_the_bound() {
    // λmax of a triangle is 2.
    let net = read_edge_list_str("triangle", "a b\nb c\nc a\n").expect("reads");
    let params = KatzParams {
        alpha: 0.5,
        ..KatzParams::default()
    };
    let err = algo::katz(&net, &params).expect_err("alpha = 1/λmax diverges");
    let text = err.to_string();
    assert!(
        text.starts_with("alpha = 0.5 must be below 1/λmax = 0.5"),
        "{text}"
    );
    let lone = read_edge_list_str("lone", "a\nb\n").expect("reads");
    let x = algo::katz(&lone, &KatzParams::default()).expect("no walks: x = beta");
    assert!(x.iter().all(|(_, s)| (s - 0.5_f64.sqrt()).abs() < 1e-15));
}

#[test]
fn transitivity_matches_networkx() {
    each(|f| {
        let (got, want) = (
            algo::transitivity(&f.network),
            num(&f.results["transitivity"]),
        );
        assert!(close(got, want), "{}: {got} vs NetworkX {want}", f.name);
    });
}

#[test]
fn modularity_matches_networkx() {
    each(|f| {
        for case in f.results["modularity"].as_array().expect("cases") {
            let communities: Vec<Vec<Id>> = case["communities"]
                .as_array()
                .expect("communities")
                .iter()
                .map(ids)
                .collect();
            let weighted = case["weighted"].as_bool().expect("bool");
            let gamma = num(&case["resolution"]);
            let got =
                algo::modularity(&f.network, &communities, weighted, gamma).expect("a partition");
            let want = num(&case["modularity"]);
            assert!(
                close(got, want),
                "{}: {} weighted={weighted} γ={gamma}: {got} vs NetworkX {want}",
                f.name,
                str_of(&case["partition"])
            );
        }
    });
}

#[test]
fn modularity_refuses_what_is_not_a_partition() {
    let net = read_edge_list_str("g", "a b\nb c\n").expect("reads");
    let id = |s: &str| Id::new(s).expect("id");
    let twice = [vec![id("a"), id("b")], vec![id("b"), id("c")]];
    assert_eq!(
        algo::modularity(&net, &twice, true, 1.0)
            .expect_err("b twice")
            .to_string(),
        "not a partition of the network: b is in community 0 and in community 1 (0-based)"
    );
    let missing = [vec![id("a"), id("b")]];
    assert_eq!(
        algo::modularity(&net, &missing, true, 1.0)
            .expect_err("c missing")
            .to_string(),
        "not a partition of the network: c is in no community"
    );
    let unknown = [vec![id("a"), id("b"), id("c"), id("zz")]];
    assert_eq!(
        algo::modularity(&net, &unknown, true, 1.0).expect_err("zz unknown"),
        AlgorithmError::UnknownNode { id: "zz".into() }
    );
    let all = [vec![id("a"), id("b"), id("c")]];
    assert!(algo::modularity(&net, &all, true, -1.0).is_err());
}

#[test]
fn louvain_and_leiden_reach_networkx_modularity() {
    each(|f| {
        let runs = f.results["louvain"].as_array().expect("runs");
        for method in METHODS {
            for weighted in [true, false] {
                for gamma in [0.5, 1.0, 2.0] {
                    let theirs: Vec<f64> = runs
                        .iter()
                        .filter(|r| r["weighted"] == weighted && num(&r["resolution"]) == gamma)
                        .map(|r| num(&r["modularity"]))
                        .collect();
                    if theirs.is_empty() {
                        continue; // no ties: NetworkX's modularity divides by zero
                    }
                    let worst = theirs.iter().copied().fold(f64::INFINITY, f64::min);
                    let their_mean = theirs.iter().sum::<f64>() / theirs.len() as f64;
                    let mut ours = Vec::new();
                    for seed in 1..=5 {
                        let p = detect(method, &f.network, weighted, gamma, seed);
                        let what =
                            format!("{} {method:?} w={weighted} γ={gamma} seed={seed}", f.name);
                        assert_partition(&f.network, &p, &what);
                        // The reported modularity is the partition's, as NetworkX computes it.
                        let again = algo::modularity(&f.network, &p.communities(), weighted, gamma)
                            .expect("a partition");
                        assert!(close(p.modularity(), again), "{what}");
                        assert!(
                            p.modularity() >= worst - LOUVAIN_SLACK,
                            "{what}: Q = {} below NetworkX's worst {worst}",
                            p.modularity()
                        );
                        ours.push(p.modularity());
                    }
                    let our_mean = ours.iter().sum::<f64>() / ours.len() as f64;
                    assert!(
                        our_mean >= their_mean - LOUVAIN_SLACK,
                        "{} {method:?} w={weighted} γ={gamma}: mean Q {our_mean} vs NetworkX {their_mean}",
                        f.name
                    );
                }
            }
        }
    });
}

#[test]
fn louvain_and_leiden_are_deterministic_for_a_seed() {
    let f = load("synthetic");
    for method in METHODS {
        for seed in [0, 1, 42] {
            let a = detect(method, &f.network, true, 1.0, seed);
            let b = detect(method, &f.network, true, 1.0, seed);
            let (ma, mb): (Vec<_>, Vec<_>) = (a.iter().collect(), b.iter().collect());
            assert_eq!(ma, mb, "{method:?} seed {seed}");
            assert_eq!(a.modularity().to_bits(), b.modularity().to_bits());
        }
    }
}

#[test]
fn higher_resolution_gives_at_least_as_many_communities() {
    for name in ["synthetic", "seed-institutions", "mixed"] {
        let f = load(name);
        for method in METHODS {
            for seed in 1..=3 {
                let mut last = 0;
                for gamma in [0.1, 0.5, 1.0, 2.0, 4.0, 8.0] {
                    let count = detect(method, &f.network, true, gamma, seed).count();
                    assert!(
                        count >= last,
                        "{name} {method:?} seed {seed}: γ={gamma} gives {count} < {last}"
                    );
                    last = count;
                }
            }
        }
    }
}

/// Whether `members` induce a connected subgraph of `net`.
fn connected(net: &Network, members: &[Id]) -> bool {
    let inside: BTreeSet<&str> = members.iter().map(|id| id.as_str()).collect();
    let mut seen = BTreeSet::from([members[0].as_str()]);
    let mut stack = vec![members[0].as_str()];
    while let Some(u) = stack.pop() {
        for (v, _) in net.neighbours(u) {
            if inside.contains(v.as_str()) && seen.insert(v.as_str()) {
                stack.push(v.as_str());
            }
        }
    }
    seen.len() == members.len()
}

#[test]
fn leiden_communities_are_connected() {
    for name in ["synthetic", "seed-institutions", "mixed"] {
        let f = load(name);
        for seed in 0..10 {
            for gamma in [0.5, 1.0, 4.0] {
                let p = detect(Method::Leiden, &f.network, true, gamma, seed);
                for (c, members) in p.communities().iter().enumerate() {
                    assert!(
                        connected(&f.network, members),
                        "{name} seed {seed} γ={gamma}: community {c} is not connected"
                    );
                }
            }
        }
    }
}

/// Edge-list text of cliques of `size` nodes `c{i}_{j}`, clique i joined to clique i+1 by one
/// tie (a ring when `ring`, else a chain).
fn cliques(count: usize, size: usize, ring: bool) -> String {
    let mut text = String::new();
    for i in 0..count {
        for a in 0..size {
            for b in a + 1..size {
                text.push_str(&format!("c{i}_{a} c{i}_{b}\n"));
            }
        }
    }
    let links = if ring { count } else { count - 1 };
    for i in 0..links {
        text.push_str(&format!("c{i}_0 c{}_1\n", (i + 1) % count));
    }
    text
}

fn planted(count: usize, size: usize) -> BTreeSet<BTreeSet<String>> {
    (0..count)
        .map(|i| (0..size).map(|j| format!("c{i}_{j}")).collect())
        .collect()
}

#[test]
fn louvain_and_leiden_recover_planted_partitions() {
    for (count, size, ring) in [(8, 5, true), (2, 6, false), (12, 4, true)] {
        let net = read_edge_list_str("planted", &cliques(count, size, ring)).expect("reads");
        for method in METHODS {
            for seed in 0..10 {
                for weighted in [true, false] {
                    let p = detect(method, &net, weighted, 1.0, seed);
                    assert_eq!(
                        as_sets(&p),
                        planted(count, size),
                        "{method:?}: {count} cliques of {size}, seed {seed}"
                    );
                }
            }
        }
    }
}

#[test]
fn bad_parameters_are_refused_and_lone_nodes_stay_alone() {
    let net = read_edge_list_str("g", "a b\nb c\nd\n").expect("reads");
    let bad = LouvainParams {
        resolution: f64::NAN,
        ..LouvainParams::default()
    };
    assert!(matches!(
        algo::louvain(&net, &bad),
        Err(AlgorithmError::BadParameter {
            name: "resolution",
            ..
        })
    ));
    for bad in [
        LeidenParams {
            resolution: -1.0,
            ..LeidenParams::default()
        },
        LeidenParams {
            randomness: 0.0,
            ..LeidenParams::default()
        },
        LeidenParams {
            iterations: 0,
            ..LeidenParams::default()
        },
    ] {
        assert!(matches!(
            algo::leiden(&net, &bad),
            Err(AlgorithmError::BadParameter { .. })
        ));
    }
    let empty = read_edge_list_str("e", "a\nb\n").expect("reads");
    for method in METHODS {
        let p = detect(method, &net, true, 1.0, 0);
        assert_eq!(p.sizes(), &[3, 1], "{method:?}");
        assert_eq!(p.community("d"), Some(1), "{method:?}");
        let p = detect(method, &empty, true, 1.0, 0);
        assert_eq!((p.count(), p.modularity()), (2, 0.0), "{method:?}");
    }
}

#[test]
fn label_propagation_matches_networkx_exactly() {
    each(|f| {
        let got = algo::label_propagation(&f.network).expect("converges");
        assert_partition(&f.network, &got, &f.name);
        let want: BTreeSet<BTreeSet<String>> = f.results["label_propagation"]
            .as_array()
            .expect("communities")
            .iter()
            .map(|c| ids(c).into_iter().map(|id| id.to_string()).collect())
            .collect();
        assert_eq!(as_sets(&got), want, "{}: label propagation", f.name);
    });
}
