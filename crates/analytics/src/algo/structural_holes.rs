//! Burt's structural holes: how much a node's partners are tied to each other (constraint,
//! effective size, efficiency) and how unevenly that redundancy falls on them (hierarchy) —
//! the measures of who brokers across gaps in the network and who is hemmed in.

use std::sync::Arc;

use labgraph_domain::Id;

use crate::Network;
use crate::network::NodeTable;

/// Burt's four measures of one node's ego network (its partners and the ties among them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoleMeasures {
    /// Constraint `C(u) = Σ_v ℓ(u, v)`: high when the partners are tied to each other (little
    /// room to broker), low when they are not: `1 / d` for `d` equal ties to partners who share
    /// none, 1 for a single partner, above 1 possible when the partners are tied to each other.
    pub constraint: f64,
    /// Effective size: the number of partners minus their redundancy, from 1 (every partner
    /// tied to every other) up to the degree (no partner tied to another).
    pub effective_size: f64,
    /// Efficiency: effective size divided by degree (NetworkX's documented definition; the
    /// degree, not the strength, even when weighted), in (0, 1].
    pub efficiency: f64,
    /// Hierarchy: how concentrated the constraint is on one partner, in [0, 1]; 0 when every
    /// partner constrains the node equally. `None` with a single partner, where Burt's formula
    /// is 0 / 0 (there is no spread to measure).
    pub hierarchy: Option<f64>,
}

/// Burt's measures for every node, keyed by id. A node with no tie has none (NetworkX reports
/// NaN): [`StructuralHoles::get`] returns `None` for it, as for an id not in the network.
#[derive(Debug, Clone)]
pub struct StructuralHoles {
    nodes: Arc<NodeTable>,
    values: Vec<Option<HoleMeasures>>,
}

impl StructuralHoles {
    /// The measures of `id`; `None` when it has no tie or is not a node of the network.
    pub fn get(&self, id: &str) -> Option<HoleMeasures> {
        self.nodes
            .index
            .get(id)
            .and_then(|&u| self.values[u as usize])
    }

    /// Every node, in the network's order, with its measures (`None` for a node with no tie).
    pub fn iter(&self) -> impl Iterator<Item = (&Id, Option<HoleMeasures>)> + '_ {
        self.nodes.ids.iter().zip(self.values.iter().copied())
    }

    /// Number of nodes (with or without measures).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True for an empty network.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Burt's constraint, effective size, efficiency and hierarchy of every node.
///
/// Reference: R. S. Burt (1992), *Structural Holes: The Social Structure of Competition*,
/// Harvard University Press, ch. 2 (constraint pp. 54–55, effective size and efficiency
/// p. 52, hierarchy p. 71); S. Borgatti (1997), "Structural holes: unpacking Burt's
/// redundancy measures", *Connections* 20(1) for the unweighted effective size. Matches
/// NetworkX's `constraint`, `local_constraint` and `effective_size`.
///
/// With `p_uv = w_uv / Σ_x w_ux` (the share of `u`'s tie strength spent on `v`; every tie
/// counts 1 when `weighted` is false), `N(u)` the partners of `u` and `d(u)` their number:
/// - local constraint `ℓ(u, v) = (p_uv + Σ_{w ∈ N(u) ∩ N(v)} p_uw · p_wv)²`, and constraint
///   `C(u) = Σ_{v ∈ N(u)} ℓ(u, v)`;
/// - effective size `Σ_{v ∈ N(u)} (1 − Σ_{w ∈ N(u) ∩ N(v)} p_uw · m_vw)` with
///   `m_vw = w_vw / max_x w_vx`; unweighted, this is Borgatti's `d − 2t / d` for `t` ties
///   among the partners, computed in that form as NetworkX does;
/// - efficiency = effective size / `d(u)`;
/// - hierarchy `H(u) = Σ_v r_v ln r_v / (d ln d)` with `r_v = ℓ(u, v) / (C(u) / d)`, for
///   `d ≥ 2` (NetworkX has no hierarchy; the fixtures compute it from `local_constraint`).
///
/// `weighted` reads tie strengths as Burt's tie strengths (more evidence = a larger share of
/// the node's network time); without it every tie counts 1. A node with no tie has no
/// measures (`None`; NetworkX's NaN).
///
/// Complexity: O(Σ_v d(v)²) ≤ O(|E| · max degree) time — every partner's partners are visited
/// once per node, against a marker array — and O(|V|) extra memory.
///
/// ```
/// use labgraph_analytics::{algo::structural_holes, read_edge_list_str};
/// // A triangle a-b-c with a tail c-d.
/// let net = read_edge_list_str("g", "a b\nb c\nc a\nc d\n")?;
/// let holes = structural_holes(&net, false);
/// let c = holes.get("c").expect("c has ties");
/// // ℓ(c,a) = ℓ(c,b) = (1/3 + 1/3 · 1/2)² = 1/4, ℓ(c,d) = (1/3)² = 1/9.
/// assert!((c.constraint - (1.0 / 4.0 + 1.0 / 4.0 + 1.0 / 9.0)).abs() < 1e-12);
/// // 3 partners, 1 tie among them: 3 − 2/3.
/// assert!((c.effective_size - 7.0 / 3.0).abs() < 1e-12);
/// assert!((c.efficiency - 7.0 / 9.0).abs() < 1e-12);
/// let d = holes.get("d").expect("d has a tie");
/// assert_eq!((d.constraint, d.effective_size, d.hierarchy), (1.0, 1.0, None));
/// // a's two partners constrain it unequally: c (9/16) more than b (4/9).
/// let a = holes.get("a").expect("a has ties");
/// assert!((a.constraint - 145.0 / 144.0).abs() < 1e-12);
/// assert!(a.hierarchy.expect("two partners") > 0.0);
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn structural_holes(network: &Network, weighted: bool) -> StructuralHoles {
    let csr = &network.csr;
    let n = csr.node_count();
    let tie = |w: f64| if weighted { w } else { 1.0 };
    // Strength (sum) and strongest tie (max) of every node, the two normalisations of Burt's
    // proportional tie strength.
    let mut total = vec![0.0f64; n];
    let mut strongest = vec![0.0f64; n];
    for (u, (sum, max)) in total.iter_mut().zip(strongest.iter_mut()).enumerate() {
        for (_, w) in csr.weighted(u) {
            *sum += tie(w);
            *max = f64::max(*max, tie(w));
        }
    }

    // mark[w] == u + 1 while w is a partner of the node u being measured, with p_uw in share[w]:
    // no reset between nodes.
    let mut mark = vec![0usize; n];
    let mut share = vec![0.0f64; n];
    let mut local: Vec<f64> = Vec::new();
    let mut values = Vec::with_capacity(n);
    for u in 0..n {
        let d = csr.degree(u);
        if d == 0 {
            values.push(None);
            continue;
        }
        for (w, s) in csr.weighted(u) {
            mark[w] = u + 1;
            share[w] = tie(s) / total[u];
        }
        local.clear();
        let mut redundancy = 0.0;
        // Twice the ties among u's partners (each is seen from both ends).
        let mut twice_ties = 0usize;
        for (v, s) in csr.weighted(u) {
            let mut indirect = 0.0;
            for (w, s_vw) in csr.weighted(v) {
                if mark[w] == u + 1 {
                    indirect += share[w] * tie(s_vw) / total[w];
                    redundancy += share[w] * tie(s_vw) / strongest[v];
                    twice_ties += 1;
                }
            }
            let direct = tie(s) / total[u];
            local.push((direct + indirect) * (direct + indirect));
        }
        let constraint: f64 = local.iter().sum();
        let effective_size = if weighted {
            d as f64 - redundancy
        } else {
            d as f64 - twice_ties as f64 / d as f64
        };
        values.push(Some(HoleMeasures {
            constraint,
            effective_size,
            efficiency: effective_size / d as f64,
            hierarchy: hierarchy(&local, constraint),
        }));
    }
    StructuralHoles {
        nodes: Arc::clone(&network.nodes),
        values,
    }
}

/// Burt's hierarchy from the local constraints of one node and their sum; `None` below two
/// partners, where the formula is 0 / 0.
fn hierarchy(local: &[f64], constraint: f64) -> Option<f64> {
    let d = local.len();
    if d < 2 {
        return None;
    }
    let mean = constraint / d as f64;
    let spread: f64 = local
        .iter()
        .map(|&l| {
            let r = l / mean;
            r * r.ln()
        })
        .sum();
    Some(spread / (d as f64 * (d as f64).ln()))
}
