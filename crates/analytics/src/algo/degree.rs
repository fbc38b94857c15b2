//! Degree and strength (weighted degree): the number of ties of a node, and their summed
//! strength.

use crate::{Network, Scores};

/// The degree of every node: its number of ties.
///
/// Reference: Freeman (1978), "Centrality in social networks: conceptual clarification",
/// *Social Networks* 1(3). Unnormalised, as NetworkX's `G.degree`.
///
/// Returns a score per node. O(|V|).
///
/// ```
/// let net = labgraph_analytics::read_edge_list_str("star", "c a\nc b 3\nc d\ne\n")?;
/// let d = labgraph_analytics::algo::degree(&net);
/// assert_eq!((d.get("c"), d.get("a"), d.get("e")), (Some(3.0), Some(1.0), Some(0.0)));
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn degree(network: &Network) -> Scores {
    let csr = &network.csr;
    network.scores(
        (0..csr.node_count())
            .map(|u| csr.degree(u) as f64)
            .collect(),
    )
}

/// The strength (weighted degree) of every node: the sum of its ties' strengths.
///
/// Reference: Barrat et al. (2004), "The architecture of complex weighted networks", *PNAS*
/// 101(11). As NetworkX's `G.degree(weight="weight")`.
///
/// Returns a score per node. O(|V| + |E|).
///
/// ```
/// let net = labgraph_analytics::read_edge_list_str("star", "c a\nc b 3\nc d 0.5\ne\n")?;
/// let s = labgraph_analytics::algo::strength(&net);
/// assert_eq!((s.get("c"), s.get("b"), s.get("e")), (Some(4.5), Some(3.0), Some(0.0)));
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn strength(network: &Network) -> Scores {
    let csr = &network.csr;
    network.scores(
        (0..csr.node_count())
            .map(|u| csr.weighted(u).map(|(_, w)| w).sum())
            .collect(),
    )
}
