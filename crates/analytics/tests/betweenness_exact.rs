//! Exact betweenness on several threads: every thread count matches the NetworkX fixtures, and
//! 1, 2, 3 and 4 threads agree with each other to 1e-12 relative on a larger network.

mod betweenness_fixtures;

use betweenness_fixtures::{
    FIXTURES, attachment_network, load, node_scores, sorted_pair, tie_scores,
};
use labgraph_analytics::algo::{self, BetweennessParams};
use labgraph_analytics::{AlgorithmError, PathWeights};

/// Relative agreement to 1e-9 with NetworkX; values within 1e-14 of zero agree.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) || (a.abs() < 1e-14 && b.abs() < 1e-14)
}

const THREADS: [usize; 4] = [1, 2, 3, 4];

#[test]
fn node_betweenness_matches_networkx_on_every_thread_count() {
    for name in FIXTURES {
        let f = load(name);
        for (key, weights, normalized) in [
            ("betweenness_hops", PathWeights::Hops, true),
            ("betweenness_hops_raw", PathWeights::Hops, false),
            ("betweenness_weighted", PathWeights::InverseStrength, true),
        ] {
            let want = node_scores(&f, key);
            for threads in THREADS {
                let params = BetweennessParams {
                    weights,
                    normalized,
                    threads,
                };
                let got = algo::betweenness_with(&f.network, &params).expect("threads ≥ 1");
                assert_eq!(got.len(), want.len(), "{name}: {key}: node count");
                for (id, &w) in &want {
                    let g = got
                        .get(id)
                        .unwrap_or_else(|| panic!("{name}: {id} missing"));
                    assert!(
                        close(g, w),
                        "{name}: {key}[{id}] on {threads} threads = {g}, NetworkX {w}"
                    );
                }
            }
        }
    }
}

#[test]
fn tie_betweenness_matches_networkx_on_every_thread_count() {
    for name in FIXTURES {
        let f = load(name);
        for (key, weights) in [
            ("edge_betweenness_hops", PathWeights::Hops),
            ("edge_betweenness_weighted", PathWeights::InverseStrength),
        ] {
            let want = tie_scores(&f, key);
            for threads in THREADS {
                let params = BetweennessParams {
                    weights,
                    normalized: true,
                    threads,
                };
                let got = algo::edge_betweenness_with(&f.network, &params).expect("threads ≥ 1");
                assert_eq!(got.len(), want.len(), "{name}: {key}: tie count");
                for (a, b, g) in got {
                    let pair = sorted_pair(a.as_str(), b.as_str());
                    let w = want[&pair];
                    assert!(
                        close(g, w),
                        "{name}: {key}{pair:?} on {threads} threads = {g}, NetworkX {w}"
                    );
                }
            }
        }
    }
}

/// Thread counts only change the order in which per-worker sums are added.
fn agree(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()) || (a.abs() < 1e-14 && b.abs() < 1e-14)
}

#[test]
fn one_two_three_and_four_threads_agree_on_a_larger_network() {
    let net = attachment_network(700);
    assert!(net.node_count() > 4 * 64, "several chunks per thread");
    for weights in [PathWeights::Hops, PathWeights::InverseStrength] {
        let params = |threads| BetweennessParams {
            weights,
            normalized: true,
            threads,
        };
        let one = algo::betweenness_with(&net, &params(1)).expect("threads ≥ 1");
        let one_ties = algo::edge_betweenness_with(&net, &params(1)).expect("threads ≥ 1");
        // Not a degenerate network: some node carries a real share of the paths.
        assert!(one.top(1)[0].1 > 0.05, "{weights:?}: top {:?}", one.top(1));
        for threads in [2, 3, 4] {
            let many = algo::betweenness_with(&net, &params(threads)).expect("threads ≥ 1");
            for (id, x) in one.iter() {
                let y = many.get(id.as_str()).expect("same nodes");
                assert!(
                    agree(x, y),
                    "{weights:?} {id}: 1 thread {x}, {threads} threads {y}"
                );
            }
            let ties = algo::edge_betweenness_with(&net, &params(threads)).expect("threads ≥ 1");
            assert_eq!(ties.len(), one_ties.len());
            for ((a, b, x), (c, d, y)) in one_ties.iter().zip(&ties) {
                assert_eq!((a, b), (c, d), "ties come in the network's order");
                assert!(
                    agree(*x, *y),
                    "{weights:?} {a}–{b}: 1 thread {x}, {threads} threads {y}"
                );
            }
        }
    }
}

#[test]
fn the_plain_functions_are_the_one_thread_case() {
    let net = attachment_network(300);
    let plain = algo::betweenness(&net, PathWeights::Hops, false);
    let params = BetweennessParams {
        normalized: false,
        ..BetweennessParams::default()
    };
    let with = algo::betweenness_with(&net, &params).expect("threads ≥ 1");
    for (id, x) in plain.iter() {
        assert_eq!(Some(x), with.get(id.as_str()), "{id}");
    }
}

#[test]
fn zero_threads_is_refused_by_name() {
    let net = attachment_network(20);
    let params = BetweennessParams {
        threads: 0,
        ..BetweennessParams::default()
    };
    let err = algo::betweenness_with(&net, &params).expect_err("0 threads");
    assert!(
        matches!(
            err,
            AlgorithmError::BadParameter {
                name: "threads",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("threads = 0"), "{err}");
    let err = algo::edge_betweenness_with(&net, &params).expect_err("0 threads");
    assert!(
        matches!(
            err,
            AlgorithmError::BadParameter {
                name: "threads",
                ..
            }
        ),
        "{err:?}"
    );
}
