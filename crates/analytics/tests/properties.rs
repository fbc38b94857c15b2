//! Properties every result must have, on many deterministic random networks: PageRank sums to
//! 1, components partition the nodes, a star's centre has normalised betweenness 1, bridges
//! are exactly the ties whose removal adds a component, weights read as lengths agree with
//! strengths read as inverse lengths, components come out whole in any node order; and
//! edge-list errors name file and line.

use std::collections::BTreeSet;

use labgraph_analytics::algo::{self, PageRankParams};
use labgraph_analytics::{EdgeListError, Network, PathWeights, read_edge_list_str};

/// A small linear congruential generator: deterministic networks without a dependency.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Networks of 1–40 nodes with sparse to dense random ties of strength 1–4.
fn networks() -> Vec<(String, String)> {
    let mut rng = Lcg(7);
    (0..60)
        .map(|k| {
            let n = 1 + rng.below(40);
            let m = rng.below(2 * n + 1);
            let mut text: String = (0..n).map(|i| format!("v{i}\n")).collect();
            let mut seen = BTreeSet::new();
            for _ in 0..m {
                let (a, b) = (rng.below(n), rng.below(n));
                if a != b && seen.insert((a.min(b), a.max(b))) {
                    text.push_str(&format!("v{a} v{b} {}\n", 1 + rng.below(4)));
                }
            }
            (format!("random-{k}"), text)
        })
        .collect()
}

fn each(check: impl Fn(&str, &Network)) {
    for (name, text) in networks() {
        let net = read_edge_list_str(&name, &text).expect("generated edge list reads");
        check(&name, &net);
    }
}

#[test]
fn pagerank_sums_to_one() {
    each(|name, net| {
        for weighted in [true, false] {
            let params = PageRankParams {
                weighted,
                ..PageRankParams::default()
            };
            let pr = algo::pagerank(net, &params).expect("converges");
            // NetworkX does not renormalise after the last step; the error is below n·tol.
            let tol = net.node_count() as f64 * params.tol;
            assert!((pr.sum() - 1.0).abs() < tol, "{name}: sum {}", pr.sum());
            assert!(pr.iter().all(|(_, x)| x > 0.0), "{name}: a zero rank");
        }
    });
}

#[test]
fn components_partition_the_nodes() {
    each(|name, net| {
        let parts = algo::connected_components(net);
        let all: Vec<_> = parts.iter().flatten().cloned().collect();
        let unique: BTreeSet<_> = all.iter().cloned().collect();
        assert_eq!(
            all.len(),
            net.node_count(),
            "{name}: a node twice or missing"
        );
        assert_eq!(unique.len(), net.node_count(), "{name}");
        // No tie crosses two components.
        for part in &parts {
            let inside: BTreeSet<_> = part.iter().collect();
            for id in part {
                for (other, _) in net.neighbours(id.as_str()) {
                    assert!(inside.contains(other), "{name}: {id}–{other} crosses");
                }
            }
        }
        assert!(parts.windows(2).all(|w| w[0].len() >= w[1].len()), "{name}");
        // Each part is connected: a search from its first node inside the network reaches
        // all of it (so no two components were merged).
        for part in &parts {
            assert_eq!(reached_from(net, &part[0]), part.len(), "{name}: {part:?}");
        }
    });
}

/// How many nodes a breadth-first search from `start` reaches, `start` included.
fn reached_from(net: &Network, start: &labgraph_domain::Id) -> usize {
    let mut seen = BTreeSet::from([start.clone()]);
    let mut queue = vec![start.clone()];
    while let Some(u) = queue.pop() {
        for (v, _) in net.neighbours(u.as_str()) {
            if seen.insert(v.clone()) {
                queue.push(v.clone());
            }
        }
    }
    seen.len()
}

/// Components are joined by union–find over a sample of each node's ties before the rest are
/// read (Afforest): long paths, whose trees grow deepest, and a giant component whose nodes
/// come last in the network's order, in shuffled orders, must still come out whole.
#[test]
fn components_of_long_paths_in_any_node_order() {
    let mut rng = Lcg(11);
    for round in 0..6 {
        // Two paths of 1,500 and 700 nodes, ten small stars and 5 lone nodes.
        let mut nodes: Vec<String> = Vec::new();
        let mut ties: Vec<(String, String)> = Vec::new();
        let mut path = |name: &str, len: usize, nodes: &mut Vec<String>| {
            for i in 0..len {
                nodes.push(format!("{name}{i}"));
                if i > 0 {
                    ties.push((format!("{name}{}", i - 1), format!("{name}{i}")));
                }
            }
        };
        path("a", 1500, &mut nodes);
        path("b", 700, &mut nodes);
        for s in 0..10 {
            nodes.push(format!("s{s}"));
            for leaf in 0..3 {
                nodes.push(format!("s{s}-{leaf}"));
                ties.push((format!("s{s}"), format!("s{s}-{leaf}")));
            }
        }
        nodes.extend((0..5).map(|i| format!("lone{i}")));
        // The network's order: shuffled, reversed, or the big path last.
        match round {
            0 => {}
            1 => nodes.reverse(),
            2 => nodes.rotate_left(1500),
            _ => {
                for i in (1..nodes.len()).rev() {
                    nodes.swap(i, rng.below(i as u64 + 1) as usize);
                }
            }
        }
        for i in (1..ties.len()).rev() {
            ties.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let mut text: String = nodes.iter().map(|u| format!("{u}\n")).collect();
        for (u, v) in &ties {
            text.push_str(&format!("{u} {v}\n"));
        }
        let net = read_edge_list_str("paths", &text).expect("edge list reads");
        let sizes: Vec<usize> = algo::connected_components(&net)
            .iter()
            .map(Vec::len)
            .collect();
        let mut expected = vec![1500, 700];
        expected.extend([4; 10]);
        expected.extend([1; 5]);
        assert_eq!(sizes, expected, "round {round}");
    }
}

#[test]
fn bridges_are_the_ties_whose_removal_splits_a_component() {
    each(|name, net| {
        let before = algo::connected_components(net).len();
        let bridges: BTreeSet<(String, String)> = algo::bridges(net)
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        for (a, b, _) in net.edges() {
            // Rebuild the network without this one tie, keeping every node.
            let mut text: String = net.ids().iter().map(|id| format!("{id}\n")).collect();
            for (x, y, w) in net.edges() {
                if (x, y) != (a, b) {
                    text.push_str(&format!("{x} {y} {w}\n"));
                }
            }
            let cut = read_edge_list_str("cut", &text).expect("reads");
            let splits = algo::connected_components(&cut).len() > before;
            let pair = (a.to_string(), b.to_string());
            assert_eq!(bridges.contains(&pair), splits, "{name}: {a}–{b}");
        }
    });
}

#[test]
fn a_stars_centre_has_betweenness_one() {
    for leaves in 2..12 {
        let text: String = (0..leaves)
            .map(|i| format!("hub leaf{i} {}\n", i + 1))
            .collect();
        let net = read_edge_list_str("star", &text).expect("reads");
        for weights in [
            PathWeights::Hops,
            PathWeights::InverseStrength,
            PathWeights::Length,
        ] {
            let bc = algo::betweenness(&net, weights, true);
            assert_eq!(bc.get("hub"), Some(1.0), "{leaves} leaves");
            assert_eq!(bc.get("leaf0"), Some(0.0));
        }
        let cut = algo::articulation_points(&net);
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].as_str(), "hub");
    }
}

#[test]
fn betweenness_by_hops_does_not_depend_on_strengths() {
    each(|name, net| {
        let plain: String = net.edges().map(|(a, b, _)| format!("{a} {b}\n")).collect();
        let lone: String = net.ids().iter().map(|id| format!("{id}\n")).collect();
        let flat = read_edge_list_str("flat", &(lone + &plain)).expect("reads");
        let (x, y) = (
            algo::betweenness(net, PathWeights::Hops, true),
            algo::betweenness(&flat, PathWeights::Hops, true),
        );
        for (id, v) in x.iter() {
            assert_eq!(Some(v), y.get(id.as_str()), "{name}: {id}");
        }
    });
}

#[test]
fn weights_as_lengths_agree_with_strengths_as_inverse_lengths() {
    // Strengths 1, 2 and 4 (and lengths 1, 1/2, 1/4) are exact in binary, so the same paths tie
    // either way and every path-based score must match exactly.
    each(|name, net| {
        let power_of_two = |s: f64| s.clamp(1.0, 4.0).log2().round().exp2();
        let inverse: String = net
            .edges()
            .map(|(a, b, s)| format!("{a} {b} {}\n", 1.0 / power_of_two(s)))
            .collect();
        let strength: String = net
            .edges()
            .map(|(a, b, s)| format!("{a} {b} {}\n", power_of_two(s)))
            .collect();
        let lone: String = net.ids().iter().map(|id| format!("{id}\n")).collect();
        let as_length = read_edge_list_str("l", &(lone.clone() + &inverse)).expect("reads");
        let as_strength = read_edge_list_str("s", &(lone + &strength)).expect("reads");
        let pairs = [
            (
                algo::betweenness(&as_length, PathWeights::Length, false),
                algo::betweenness(&as_strength, PathWeights::InverseStrength, false),
            ),
            (
                algo::closeness(&as_length, PathWeights::Length),
                algo::closeness(&as_strength, PathWeights::InverseStrength),
            ),
            (
                algo::harmonic(&as_length, PathWeights::Length),
                algo::harmonic(&as_strength, PathWeights::InverseStrength),
            ),
        ];
        for (x, y) in pairs {
            for (id, v) in x.iter() {
                assert_eq!(Some(v), y.get(id.as_str()), "{name}: {id}");
            }
        }
    });
}

fn line_error(text: &str) -> (usize, String) {
    match read_edge_list_str("input.edges", text) {
        Err(EdgeListError::Line { file, line, reason }) => {
            assert_eq!(file.to_str(), Some("input.edges"));
            (line, reason)
        }
        other => panic!("expected a line error, got {other:?}"),
    }
}

#[test]
fn edge_list_errors_name_the_line_and_the_problem() {
    let (line, reason) = line_error("# header\na b\n\nb c x\n");
    assert_eq!(line, 4);
    assert!(
        reason.contains("\"x\" is not a finite positive number"),
        "{reason}"
    );
    assert!(line_error("a b -1\n").1.contains("not a finite positive"));
    assert!(line_error("a b inf\n").1.contains("not a finite positive"));
    let (line, reason) = line_error("a b\nc d\nb a 2\n");
    assert_eq!(line, 3);
    assert!(reason.contains("already given on line 1"), "{reason}");
    assert_eq!(line_error("a b c d\n").0, 1);
    assert!(line_error("A b\n").1.contains("lowercase"));
    let err = read_edge_list_str("input.edges", "x y\nq q\n").expect_err("self-loop");
    assert!(err.to_string().starts_with("input.edges:2: "), "{err}");
    let missing = labgraph_analytics::read_edge_list(std::path::Path::new("/nonexistent/x.edges"))
        .expect_err("no file");
    assert!(
        missing.to_string().starts_with("/nonexistent/x.edges: "),
        "{missing}"
    );
}

#[test]
fn pagerank_refuses_bad_arguments() {
    let net = read_edge_list_str("g", "a b\n").expect("reads");
    let with = |p: PageRankParams| algo::pagerank(&net, &p).expect_err("refused").to_string();
    let zero = PageRankParams {
        personalisation: Some(vec![(labgraph_domain::Id::new("a").expect("id"), 0.0)]),
        ..PageRankParams::default()
    };
    assert!(with(zero).contains("sums to zero"));
    let unknown = PageRankParams {
        personalisation: Some(vec![(labgraph_domain::Id::new("zz").expect("id"), 1.0)]),
        ..PageRankParams::default()
    };
    assert!(with(unknown).contains("zz is not a node"));
    let damping = PageRankParams {
        damping: 1.5,
        ..PageRankParams::default()
    };
    assert!(with(damping).contains("damping"));
    let stuck = PageRankParams {
        max_iter: 1,
        ..PageRankParams::default()
    };
    let star = read_edge_list_str("s", "h a\nh b\nh c\n").expect("reads");
    let err = algo::pagerank(&star, &stuck).expect_err("one step is not enough");
    assert!(err.to_string().contains("1 iterations"), "{err}");
}
