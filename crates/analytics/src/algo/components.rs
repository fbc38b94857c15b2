//! Connected components: the groups of nodes joined by some path.

use labgraph_domain::Id;

use crate::Network;

/// The connected components, largest first (equal sizes: the one holding the earlier node in
/// the network's order first); each component's ids are in the network's order. Every node is
/// in exactly one component; a node with no tie is a component of its own.
///
/// Reference: M. Sutton, T. Ben-Nun & A. Barak (2018), "Optimizing parallel graph
/// connectivity computation via subgraph sampling", *IPDPS* (Afforest), run on one thread. As
/// NetworkX's `connected_components`. Weights are ignored.
///
/// O(|V| + |E| log |V|) time at worst, O(|V|) memory; on a network with a giant component
/// most ties are never read.
///
/// ```
/// let net = labgraph_analytics::read_edge_list_str("g", "a b\nb c\nd e\nf\n")?;
/// let parts = labgraph_analytics::algo::connected_components(&net);
/// let names: Vec<Vec<&str>> = parts.iter().map(|c| c.iter().map(|id| id.as_str()).collect()).collect();
/// assert_eq!(names, vec![vec!["a", "b", "c"], vec!["d", "e"], vec!["f"]]);
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn connected_components(network: &Network) -> Vec<Vec<Id>> {
    Components::of(network).into_ids(network)
}

/// Each node's component, numbered by the component's first node in the network's order: what
/// igraph's `connected_components` membership and NetworkKit's `ConnectedComponents` compute.
/// [`connected_components`] is this and [`Components::into_ids`]; `labgraph analyse components`
/// times the labelling alone, as the peers' benchmark times theirs.
#[derive(Debug, Clone)]
pub struct Components {
    /// Component of each node position.
    label: Vec<u32>,
    /// Nodes per component.
    sizes: Vec<u32>,
}

impl Components {
    /// Labels the nodes by union–find with subgraph sampling (Afforest): O(|V| + |E| log |V|)
    /// time at worst, one `u32` per node.
    ///
    /// Each node is first joined to its first two neighbours, which on a network with
    /// a giant component already puts almost every node in it; the remaining ties are then
    /// read only from nodes outside that component. A tie between two nodes of it joins
    /// nothing new, and a tie with one end outside is read from that end, so skipping the
    /// giant component's own lists loses nothing — and skips most of the ties.
    pub fn of(network: &Network) -> Components {
        let csr = &network.csr;
        let n = csr.node_count();
        // parent[u] <= u always: a root is the first node of its tree in the network's order.
        let mut parent: Vec<u32> = (0..n as u32).collect();
        for round in 0..SAMPLED {
            for u in 0..n {
                if let Some(&v) = csr.neighbours(u).get(round) {
                    link(&mut parent, u as u32, v);
                }
            }
            compress(&mut parent);
        }
        let giant = majority(&parent);
        for u in 0..n {
            if parent[u] == giant {
                continue;
            }
            for &v in csr.neighbours(u).iter().skip(SAMPLED) {
                link(&mut parent, u as u32, v);
            }
        }
        // One forward pass turns parents into labels in place: a root (parent[u] == u) opens
        // the next component; any other node's parent comes earlier and already holds its
        // component's label, because roots are the first nodes of their trees.
        let mut label = parent;
        let mut sizes: Vec<u32> = Vec::new();
        for u in 0..n {
            let p = label[u] as usize;
            let c = if p == u {
                sizes.push(0);
                (sizes.len() - 1) as u32
            } else {
                label[p]
            };
            label[u] = c;
            sizes[c as usize] += 1;
        }
        Components { label, sizes }
    }

    /// How many components.
    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    /// Components as positions, in order of their first node, each sorted: one pass over the
    /// labels fills them in order, so nothing is sorted.
    pub(crate) fn positions(&self) -> Vec<Vec<usize>> {
        let mut parts: Vec<Vec<usize>> = self
            .sizes
            .iter()
            .map(|&s| Vec::with_capacity(s as usize))
            .collect();
        for (u, &c) in self.label.iter().enumerate() {
            parts[c as usize].push(u);
        }
        parts
    }

    /// The components as ids, largest first (equal sizes: the one holding the earlier node
    /// first), each in the network's order.
    pub fn into_ids(self, network: &Network) -> Vec<Vec<Id>> {
        let mut parts = self.positions();
        // Stable, and the parts come in order of their first node: ties keep that order.
        parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
        parts
            .into_iter()
            .map(|part| part.into_iter().map(|u| network.id(u).clone()).collect())
            .collect()
    }
}

/// Ties read from every node before the giant component is picked (Afforest's "neighbour
/// rounds"; two in Sutton et al.'s measurements).
const SAMPLED: usize = 2;

/// Joins the trees of `u` and `v`: the larger root goes under the smaller node, which keeps
/// `parent[x] <= x`. Each step moves up two levels on the larger side, so the larger of the
/// two candidates falls strictly and the loop ends; linking by position with path halving is
/// O(log |V|) amortised per tie (Tarjan & van Leeuwen 1984).
fn link(parent: &mut [u32], u: u32, v: u32) {
    let mut a = parent[u as usize];
    let mut b = parent[v as usize];
    while a != b {
        let (high, low) = if a > b { (a, b) } else { (b, a) };
        let up = parent[high as usize];
        if up == high {
            parent[high as usize] = low;
            return;
        }
        if up == low {
            return;
        }
        // Path halving: `high` skips to its grandparent, which keeps the trees shallow.
        a = parent[up as usize];
        parent[high as usize] = a;
        b = parent[low as usize];
    }
}

/// Points every node at its root: one forward pass suffices because each parent comes
/// earlier and is already compressed.
fn compress(parent: &mut [u32]) {
    for u in 0..parent.len() {
        let p = parent[u] as usize;
        parent[u] = parent[p];
    }
}

/// The root most nodes have when one has a majority (Boyer–Moore vote); otherwise some root.
/// Only speed depends on the choice, never the result.
fn majority(parent: &[u32]) -> u32 {
    let (mut candidate, mut count) = (u32::MAX, 0u32);
    for &p in parent {
        if count == 0 {
            candidate = p;
            count = 1;
        } else if p == candidate {
            count += 1;
        } else {
            count -= 1;
        }
    }
    candidate
}

/// Components as sorted positions, in order of their first node.
pub(crate) fn component_positions(network: &Network) -> Vec<Vec<usize>> {
    Components::of(network).positions()
}
