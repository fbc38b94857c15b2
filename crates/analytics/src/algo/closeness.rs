//! Closeness (Wasserman–Faust) and harmonic centrality, by hops or by tie length.

use super::shortest::Sssp;
use crate::{Network, PathWeights, Scores};

/// Closeness centrality with the Wasserman–Faust correction for disconnected networks: for a
/// node `u` reaching `r − 1` other nodes at total distance `D`,
/// `C(u) = ((r − 1) / D) · ((r − 1) / (n − 1))`, and 0 when it reaches no one.
///
/// Reference: Freeman (1978) for closeness; S. Wasserman & K. Faust (1994), *Social Network
/// Analysis*, Cambridge, p. 201, for the correction — NetworkX's `closeness_centrality` with
/// its default `wf_improved=True` (and `distance="…"` for [`PathWeights::InverseStrength`]).
///
/// Returns a score per node. Complexity: O(|V||E|) by hops, O(|V|(|E| + |V|) log |V|) with
/// weights; O(|V|) extra memory.
///
/// ```
/// use labgraph_analytics::{algo::closeness, read_edge_list_str, PathWeights};
/// let net = read_edge_list_str("g", "a b\nb c\nd\n")?;
/// let c = closeness(&net, PathWeights::Hops);
/// // b reaches 2 of 3 others at total distance 2: (2/2)·(2/3).
/// assert_eq!(c.get("b"), Some(2.0 / 3.0));
/// assert_eq!(c.get("a"), Some((2.0 / 3.0) * (2.0 / 3.0)));
/// assert_eq!(c.get("d"), Some(0.0));
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn closeness(network: &Network, weights: PathWeights) -> Scores {
    let csr = &network.csr;
    let n = csr.node_count();
    let mut sp = Sssp::new(n, weights);
    let mut out = vec![0.0; n];
    for (s, score) in out.iter_mut().enumerate() {
        sp.run(csr, s);
        let total: f64 = sp.order.iter().map(|&v| sp.dist[v as usize]).sum();
        let reached = (sp.order.len() - 1) as f64;
        if total > 0.0 && n > 1 {
            *score = (reached / total) * (reached / (n - 1) as f64);
        }
    }
    network.scores(out)
}

/// Harmonic centrality: for a node `u`, the sum of `1 / d(u, v)` over every other node `v` it
/// reaches (unreachable nodes add 0, which is why it suits disconnected networks).
///
/// Reference: M. Marchiori & V. Latora (2000), "Harmony in the small-world", *Physica A*
/// 285(3–4); P. Boldi & S. Vigna (2014), "Axioms for centrality", *Internet Mathematics*
/// 10(3–4). Unnormalised, as NetworkX's `harmonic_centrality`.
///
/// Returns a score per node. Complexity as [`closeness`].
///
/// ```
/// use labgraph_analytics::{algo::harmonic, read_edge_list_str, PathWeights};
/// let net = read_edge_list_str("g", "a b 2\nb c\nd\n")?;
/// assert_eq!(harmonic(&net, PathWeights::Hops).get("a"), Some(1.0 + 0.5));
/// // with lengths 1/2 and 1: 1/0.5 + 1/1.5
/// assert_eq!(harmonic(&net, PathWeights::InverseStrength).get("a"), Some(2.0 + 1.0 / 1.5));
/// assert_eq!(harmonic(&net, PathWeights::Hops).get("d"), Some(0.0));
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn harmonic(network: &Network, weights: PathWeights) -> Scores {
    let csr = &network.csr;
    let n = csr.node_count();
    let mut sp = Sssp::new(n, weights);
    let mut out = vec![0.0; n];
    for (s, score) in out.iter_mut().enumerate() {
        sp.run(csr, s);
        *score = sp
            .order
            .iter()
            .map(|&v| sp.dist[v as usize])
            .filter(|&d| d > 0.0)
            .map(|d| 1.0 / d)
            .sum();
    }
    network.scores(out)
}
