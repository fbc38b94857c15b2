//! Modularity of a partition into communities, and [`Partition`], the result every community
//! algorithm returns.

use std::sync::Arc;

use labgraph_domain::Id;

use crate::network::{Csr, NodeTable};
use crate::{AlgorithmError, Network};

/// A partition of a network's nodes into communities, keyed by id, with its modularity.
///
/// Communities are numbered `0..count()` largest first; communities of equal size in the
/// order of their first node in the network. So the numbering depends only on the partition,
/// not on how an algorithm happened to label it, and the same partition always prints the
/// same.
#[derive(Debug, Clone)]
pub struct Partition {
    nodes: Arc<NodeTable>,
    membership: Vec<u32>,
    sizes: Vec<usize>,
    modularity: f64,
    resolution: f64,
}

impl Partition {
    /// Builds the canonical partition from any labelling (`labels[u]` the community of node
    /// `u`, labels below |V|) and scores it with [`modularity`]'s formula.
    pub(crate) fn from_labels(
        network: &Network,
        labels: &[u32],
        weighted: bool,
        resolution: f64,
    ) -> Partition {
        let n = labels.len();
        debug_assert_eq!(n, network.node_count());
        let mut size_of = vec![0usize; n];
        let mut first = vec![u32::MAX; n];
        for (u, &l) in labels.iter().enumerate() {
            size_of[l as usize] += 1;
            if first[l as usize] == u32::MAX {
                first[l as usize] = u as u32;
            }
        }
        let mut used: Vec<u32> = (0..n as u32).filter(|&l| size_of[l as usize] > 0).collect();
        used.sort_by(|&a, &b| {
            size_of[b as usize]
                .cmp(&size_of[a as usize])
                .then(first[a as usize].cmp(&first[b as usize]))
        });
        let mut rank = vec![0u32; n];
        for (r, &l) in used.iter().enumerate() {
            rank[l as usize] = r as u32;
        }
        let membership: Vec<u32> = labels.iter().map(|&l| rank[l as usize]).collect();
        let sizes = used.iter().map(|&l| size_of[l as usize]).collect();
        let modularity = modularity_of(&network.csr, &membership, used.len(), weighted, resolution);
        Partition {
            nodes: Arc::clone(&network.nodes),
            membership,
            sizes,
            modularity,
            resolution,
        }
    }

    /// The community of `id`, if it is a node of the network.
    pub fn community(&self, id: &str) -> Option<usize> {
        self.nodes
            .index
            .get(id)
            .map(|&u| self.membership[u as usize] as usize)
    }

    /// Every node with its community, in the network's order.
    pub fn iter(&self) -> impl Iterator<Item = (&Id, usize)> + '_ {
        self.nodes
            .ids
            .iter()
            .zip(self.membership.iter().map(|&c| c as usize))
    }

    /// The communities as member lists, indexed by community (largest first); members in the
    /// network's order.
    pub fn communities(&self) -> Vec<Vec<Id>> {
        let mut out: Vec<Vec<Id>> = self.sizes.iter().map(|&s| Vec::with_capacity(s)).collect();
        for (id, c) in self.iter() {
            out[c].push(id.clone());
        }
        out
    }

    /// The size of each community, indexed by community (so non-increasing).
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Number of communities.
    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    /// Number of nodes partitioned.
    pub fn len(&self) -> usize {
        self.membership.len()
    }

    /// True for the partition of an empty network.
    pub fn is_empty(&self) -> bool {
        self.membership.is_empty()
    }

    /// The modularity of this partition, at [`Partition::resolution`], with the weights the
    /// algorithm used (see [`modularity`]).
    pub fn modularity(&self) -> f64 {
        self.modularity
    }

    /// The resolution γ the modularity was computed at.
    pub fn resolution(&self) -> f64 {
        self.resolution
    }
}

/// Checks a resolution parameter: finite and not negative.
pub(crate) fn check_resolution(resolution: f64) -> Result<(), AlgorithmError> {
    if resolution.is_finite() && resolution >= 0.0 {
        Ok(())
    } else {
        Err(AlgorithmError::BadParameter {
            name: "resolution",
            value: resolution,
            expected: "finite and not negative",
        })
    }
}

/// The modularity of a partition of the network into `communities`:
/// `Q = Σ_c [ L_c / m − γ (K_c / 2m)² ]`, with `L_c` the total strength of the ties inside
/// community `c`, `K_c` the total strength of its nodes, `m` the total strength of all ties
/// (every tie counting 1 when not `weighted`) and γ the `resolution` (γ < 1 favours larger
/// communities, γ > 1 smaller ones). A network without ties has modularity 0 here (0/0 in the
/// formula; NetworkX divides by zero).
///
/// Reference: M. E. J. Newman & M. Girvan (2004), "Finding and evaluating community structure
/// in networks", *Phys. Rev. E* 69; the resolution of J. Reichardt & S. Bornholdt (2006),
/// *Phys. Rev. E* 74. As NetworkX's `community.modularity(G, communities, weight, resolution)`.
///
/// Returns Q in [−1/2, 1], or [`AlgorithmError::UnknownNode`] for an id not in the network,
/// [`AlgorithmError::NotAPartition`] when a node is in two communities or in none, and
/// [`AlgorithmError::BadParameter`] for a negative or non-finite resolution. O(|V| + |E|) time
/// and memory.
///
/// ```
/// use labgraph_analytics::{algo::modularity, read_edge_list_str};
/// use labgraph_domain::Id;
/// // Two triangles joined by one tie (m = 7), split at the tie: each side has L = 3, K = 7.
/// let net = read_edge_list_str("g", "a b\nb c\nc a\nc d\nd e\ne f\nf d\n")?;
/// let ids = |names: &[&str]| names.iter().map(|s| Id::new(*s)).collect::<Result<Vec<_>, _>>();
/// let split = [ids(&["a", "b", "c"])?, ids(&["d", "e", "f"])?];
/// let q = modularity(&net, &split, true, 1.0)?;
/// assert!((q - 2.0 * (3.0 / 7.0 - 0.25)).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn modularity(
    network: &Network,
    communities: &[Vec<Id>],
    weighted: bool,
    resolution: f64,
) -> Result<f64, AlgorithmError> {
    check_resolution(resolution)?;
    let n = network.node_count();
    let mut membership = vec![u32::MAX; n];
    for (c, members) in communities.iter().enumerate() {
        for id in members {
            let u = network
                .position(id.as_str())
                .ok_or_else(|| AlgorithmError::UnknownNode { id: id.to_string() })?;
            if membership[u] != u32::MAX {
                return Err(AlgorithmError::NotAPartition {
                    reason: format!(
                        "{id} is in community {} and in community {c} (0-based)",
                        membership[u]
                    ),
                });
            }
            membership[u] = c as u32;
        }
    }
    if let Some(u) = membership.iter().position(|&c| c == u32::MAX) {
        return Err(AlgorithmError::NotAPartition {
            reason: format!("{} is in no community", network.id(u)),
        });
    }
    Ok(modularity_of(
        &network.csr,
        &membership,
        communities.len(),
        weighted,
        resolution,
    ))
}

/// Modularity of `membership` (community of each node, below `count`) on `csr`.
pub(crate) fn modularity_of(
    csr: &Csr,
    membership: &[u32],
    count: usize,
    weighted: bool,
    resolution: f64,
) -> f64 {
    let mut inside = vec![0.0; count];
    let mut total = vec![0.0; count];
    let mut m2 = 0.0;
    for (u, &c) in membership.iter().enumerate() {
        for (v, w) in csr.weighted(u) {
            let w = if weighted { w } else { 1.0 };
            total[c as usize] += w;
            m2 += w;
            // Each tie is seen from both ends: count it once.
            if membership[v] == c && u < v {
                inside[c as usize] += w;
            }
        }
    }
    if m2 == 0.0 {
        return 0.0;
    }
    let m = m2 / 2.0;
    inside
        .iter()
        .zip(&total)
        .map(|(l, k)| l / m - resolution * (k / m2) * (k / m2))
        .sum()
}
