//! Clustering: how many of a node's partners are partners of each other (local), and how
//! many connected triples close into triangles (global: transitivity).

use crate::{Network, Scores};

/// The local clustering coefficient of every node: the number of ties among its neighbours
/// over the number of pairs of neighbours, `T(v) / (d(v)(d(v) − 1) / 2)`; 0 below degree 2.
/// Weights are ignored.
///
/// Reference: D. J. Watts & S. H. Strogatz (1998), "Collective dynamics of 'small-world'
/// networks", *Nature* 393. As NetworkX's `clustering` without weights.
///
/// Returns a score per node. O(Σ d(v)²) ≤ O(|E| · max degree) time, O(|V|) extra memory.
///
/// ```
/// // A triangle a-b-c with a tail c-d: c has 1 tie among its 3 pairs of neighbours.
/// let net = labgraph_analytics::read_edge_list_str("g", "a b\nb c\nc a\nc d\n")?;
/// let cc = labgraph_analytics::algo::clustering(&net);
/// assert_eq!((cc.get("a"), cc.get("c"), cc.get("d")), (Some(1.0), Some(1.0 / 3.0), Some(0.0)));
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn clustering(network: &Network) -> Scores {
    let csr = &network.csr;
    let n = csr.node_count();
    // mark[u] == v + 1 while u is a neighbour of the node v being scored: no reset needed.
    let mut mark = vec![0usize; n];
    let mut out = vec![0.0; n];
    for (v, score) in out.iter_mut().enumerate() {
        let d = csr.degree(v);
        if d < 2 {
            continue;
        }
        for &u in csr.neighbours(v) {
            mark[u as usize] = v + 1;
        }
        // Each tie among neighbours is seen from both of its ends.
        let twice: usize = csr
            .neighbours(v)
            .iter()
            .map(|&u| {
                csr.neighbours(u as usize)
                    .iter()
                    .filter(|&&w| mark[w as usize] == v + 1)
                    .count()
            })
            .sum();
        *score = twice as f64 / (d * (d - 1)) as f64;
    }
    network.scores(out)
}

/// Transitivity, the global clustering coefficient: the share of connected triples (paths of
/// two ties, `Σ d(v)(d(v) − 1) / 2`) that are closed into triangles, `3 · triangles /
/// triples`; 0 when there is no triple. Weights are ignored.
///
/// Reference: M. E. J. Newman, S. H. Strogatz & D. J. Watts (2001), "Random graphs with
/// arbitrary degree distributions and their applications", *Phys. Rev. E* 64, eq. (68); as
/// NetworkX's `transitivity`. Unlike the mean of [`clustering`], it weighs every triple alike,
/// so hubs count in proportion to their pairs of partners.
///
/// O(Σ d(v)²) ≤ O(|E| · max degree) time, O(|V|) extra memory.
///
/// ```
/// // A triangle a-b-c with a tail c-d: 1 triangle (3 closed triples) among 1+1+3 = 5 triples.
/// let net = labgraph_analytics::read_edge_list_str("g", "a b\nb c\nc a\nc d\n")?;
/// assert_eq!(labgraph_analytics::algo::transitivity(&net), 3.0 / 5.0);
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn transitivity(network: &Network) -> f64 {
    let csr = &network.csr;
    let n = csr.node_count();
    let mut mark = vec![0usize; n];
    // Closed ordered triples (each triangle 6 times) and ordered triples, in integers: exact.
    let (mut closed, mut triples) = (0u64, 0u64);
    for v in 0..n {
        let d = csr.degree(v) as u64;
        if d < 2 {
            continue;
        }
        triples += d * (d - 1);
        for &u in csr.neighbours(v) {
            mark[u as usize] = v + 1;
        }
        for &u in csr.neighbours(v) {
            closed += csr
                .neighbours(u as usize)
                .iter()
                .filter(|&&w| mark[w as usize] == v + 1)
                .count() as u64;
        }
    }
    if triples == 0 {
        0.0
    } else {
        closed as f64 / triples as f64
    }
}
