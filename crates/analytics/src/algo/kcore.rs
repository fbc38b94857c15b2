//! Core numbers (k-cores): how deep in the network's cohesive centre each node sits.

use crate::{Network, Scores};

/// The core number of every node: the largest `k` such that the node belongs to a subgraph in
/// which every node has at least `k` ties (the `k`-core). Weights are ignored.
///
/// Reference: V. Batagelj & M. Zaversnik (2003), "An O(m) algorithm for cores decomposition of
/// networks", arXiv:cs/0310049 — bin-sorted peeling of the lowest-degree node. As NetworkX's
/// `core_number`.
///
/// Returns a score per node (an integer, as `f64`). O(|V| + |E|) time and memory.
///
/// ```
/// // A triangle with a tail and a lone node.
/// let net = labgraph_analytics::read_edge_list_str("g", "a b\nb c\nc a\nc d\ne\n")?;
/// let core = labgraph_analytics::algo::core_number(&net);
/// assert_eq!((core.get("a"), core.get("d"), core.get("e")), (Some(2.0), Some(1.0), Some(0.0)));
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn core_number(network: &Network) -> Scores {
    let csr = &network.csr;
    let n = csr.node_count();
    let mut deg: Vec<usize> = (0..n).map(|u| csr.degree(u)).collect();
    let max = deg.iter().copied().max().unwrap_or(0);
    // bin[d] = first position in `order` of the nodes of current degree d.
    let mut bin = vec![0usize; max + 2];
    for &d in &deg {
        bin[d + 1] += 1;
    }
    for d in 1..bin.len() {
        bin[d] += bin[d - 1];
    }
    let mut pos = vec![0usize; n];
    let mut order = vec![0usize; n];
    {
        let mut next = bin.clone();
        for u in 0..n {
            pos[u] = next[deg[u]];
            order[pos[u]] = u;
            next[deg[u]] += 1;
        }
    }
    for i in 0..n {
        let v = order[i];
        for &u in csr.neighbours(v) {
            let u = u as usize;
            if deg[u] > deg[v] {
                // Move u to the front of its bin, then shrink the bin: u's degree drops by 1.
                let du = deg[u];
                let (pu, pw) = (pos[u], bin[du]);
                let w = order[pw];
                if u != w {
                    order.swap(pu, pw);
                    pos[u] = pw;
                    pos[w] = pu;
                }
                bin[du] += 1;
                deg[u] -= 1;
            }
        }
    }
    network.scores(deg.into_iter().map(|d| d as f64).collect())
}
