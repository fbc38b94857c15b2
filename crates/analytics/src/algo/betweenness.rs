//! Exact betweenness centrality (Brandes 2001) of nodes and of ties, by hops or by tie length.

use labgraph_domain::Id;

use super::shortest::Sssp;
use crate::{Network, PathWeights, Scores};

/// Exact node betweenness: for every node `v`, the share of shortest paths between pairs of
/// other nodes that pass through `v`, summed over the pairs.
///
/// Reference: U. Brandes (2001), "A faster algorithm for betweenness centrality", *Journal of
/// Mathematical Sociology* 25(2). One breadth-first search (`PathWeights::Hops`) or Dijkstra
/// search (`PathWeights::InverseStrength`, tie length `1 / strength`) per source, then the
/// dependency accumulation in reverse order. Predecessors are not stored: they are the
/// neighbours `u` of `w` with `dist[u] + len(u, w) == dist[w]`, found again during the
/// accumulation, so one set of flat per-source buffers serves every source.
///
/// Arguments: `normalized` divides by the number of ordered pairs of other nodes,
/// `(n − 1)(n − 2)`, exactly as NetworkX's `betweenness_centrality(G, normalized=True)` does
/// for undirected graphs (a star's centre scores 1); without it, each unordered pair counts
/// once. With fewer than three nodes every score is 0 either way.
///
/// Returns a score per node. Complexity: O(|V||E|) time by hops, O(|V||E| + |V|² log |V|)
/// with weights; O(|V| + |E|) memory.
///
/// ```
/// use labgraph_analytics::{algo::betweenness, read_edge_list_str, PathWeights};
/// // a – b – c, and a – d – c with a strong b-side: two hop-shortest a…c paths.
/// let net = read_edge_list_str("square", "a b 2\nb c 2\na d\nd c\n")?;
/// let hops = betweenness(&net, PathWeights::Hops, true);
/// assert_eq!(hops.get("b"), Some(1.0 / 6.0)); // half of the a–c pair, over (4−1)(4−2)/2 pairs
/// let weighted = betweenness(&net, PathWeights::InverseStrength, true);
/// assert_eq!(weighted.get("b"), Some(1.0 / 3.0)); // a–b–c (length 1) beats a–d–c (length 2)
/// assert_eq!(weighted.get("d"), Some(0.0));
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn betweenness(network: &Network, weights: PathWeights, normalized: bool) -> Scores {
    let csr = &network.csr;
    let n = csr.node_count();
    let mut bc = vec![0.0; n];
    let mut sp = Sssp::new(n, weights);
    let mut delta = vec![0.0; n];
    for s in 0..n {
        sp.run(csr, s);
        for &w in &sp.order {
            delta[w as usize] = 0.0;
        }
        for &w in sp.order.iter().rev() {
            let w = w as usize;
            let coeff = (1.0 + delta[w]) / sp.sigma[w];
            for (v, strength) in csr.weighted(w) {
                if sp.dist[v] + sp.length(strength) == sp.dist[w] {
                    delta[v] += sp.sigma[v] * coeff;
                }
            }
            if w != s {
                bc[w] += delta[w];
            }
        }
    }
    // Every unordered pair was counted from both of its ends.
    let scale = if n < 3 {
        1.0
    } else if normalized {
        1.0 / ((n - 1) * (n - 2)) as f64
    } else {
        0.5
    };
    if n >= 3 {
        bc.iter_mut().for_each(|b| *b *= scale);
    }
    network.scores(bc)
}

/// Exact tie (edge) betweenness: for every tie, the share of shortest paths between pairs of
/// nodes that use it, summed over the pairs.
///
/// Reference: Brandes (2001), as [`betweenness`]; Girvan & Newman (2002), "Community structure
/// in social and biological networks", *PNAS* 99(12), for the measure. `normalized` divides by
/// `n(n − 1)`, as NetworkX's `edge_betweenness_centrality(G, normalized=True)`; without it
/// each unordered pair counts once.
///
/// Returns every tie once as `(a, b, score)`, `a` before `b` in the network's order.
/// Complexity as [`betweenness`].
///
/// ```
/// use labgraph_analytics::{algo::edge_betweenness, read_edge_list_str, PathWeights};
/// let net = read_edge_list_str("path", "a b\nb c\n")?;
/// let eb = edge_betweenness(&net, PathWeights::Hops, false);
/// let ab = eb.iter().find(|(a, b, _)| (a.as_str(), b.as_str()) == ("a", "b")).map(|e| e.2);
/// assert_eq!(ab, Some(2.0)); // the pairs a–b and a–c
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn edge_betweenness(
    network: &Network,
    weights: PathWeights,
    normalized: bool,
) -> Vec<(Id, Id, f64)> {
    let csr = &network.csr;
    let n = csr.node_count();
    // One slot per stored direction; the two halves of a tie are added at the end.
    let mut eb = vec![0.0; csr.targets.len()];
    let mut sp = Sssp::new(n, weights);
    let mut delta = vec![0.0; n];
    for s in 0..n {
        sp.run(csr, s);
        for &w in &sp.order {
            delta[w as usize] = 0.0;
        }
        for &w in sp.order.iter().rev() {
            let w = w as usize;
            let coeff = (1.0 + delta[w]) / sp.sigma[w];
            let row = csr.offsets[w]..csr.offsets[w + 1];
            for ((&v, &strength), slot) in csr.targets[row.clone()]
                .iter()
                .zip(&csr.weights[row.clone()])
                .zip(&mut eb[row])
            {
                let v = v as usize;
                if sp.dist[v] + sp.length(strength) == sp.dist[w] {
                    let c = sp.sigma[v] * coeff;
                    *slot += c;
                    delta[v] += c;
                }
            }
        }
    }
    let scale = if n < 2 {
        1.0
    } else if normalized {
        1.0 / (n * (n - 1)) as f64
    } else {
        0.5
    };
    let mut out = Vec::with_capacity(csr.edge_count());
    for u in 0..n {
        for i in csr.offsets[u]..csr.offsets[u + 1] {
            let v = csr.targets[i] as usize;
            if u < v {
                // The reverse slot: `u` in `v`'s sorted row.
                let row = csr.neighbours(v);
                let j = csr.offsets[v] + row.partition_point(|&t| (t as usize) < u);
                let total = eb[i] + eb[j];
                out.push((
                    network.id(u).clone(),
                    network.id(v).clone(),
                    if n < 2 { total } else { total * scale },
                ));
            }
        }
    }
    out
}
