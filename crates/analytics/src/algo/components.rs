//! Connected components: the groups of nodes joined by some path.

use labgraph_domain::Id;

use crate::Network;

/// The connected components, largest first (equal sizes: the one holding the earlier node in
/// the network's order first); each component's ids are in the network's order. Every node is
/// in exactly one component; a node with no tie is a component of its own.
///
/// Reference: Hopcroft & Tarjan (1973), "Algorithm 447: efficient algorithms for graph
/// manipulation", *CACM* 16(6) — here breadth-first with one flat queue. As NetworkX's
/// `connected_components`. Weights are ignored.
///
/// O(|V| + |E|) time, O(|V|) memory.
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
    /// Labels the nodes by one breadth-first search per component: O(|V| + |E|) time, one
    /// label per node and one shared queue.
    pub fn of(network: &Network) -> Components {
        let csr = &network.csr;
        let n = csr.node_count();
        // u32::MAX marks "not reached yet", so the labels double as the seen set.
        let mut label = vec![u32::MAX; n];
        let mut queue: Vec<u32> = Vec::with_capacity(n);
        let mut sizes = Vec::new();
        for root in 0..n {
            if label[root] != u32::MAX {
                continue;
            }
            let c = sizes.len() as u32;
            label[root] = c;
            queue.clear();
            queue.push(root as u32);
            let mut head = 0;
            while head < queue.len() {
                let u = queue[head] as usize;
                head += 1;
                for &v in csr.neighbours(u) {
                    let l = &mut label[v as usize];
                    if *l == u32::MAX {
                        *l = c;
                        queue.push(v);
                    }
                }
            }
            sizes.push(queue.len() as u32);
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

/// Components as sorted positions, in order of their first node.
pub(crate) fn component_positions(network: &Network) -> Vec<Vec<usize>> {
    Components::of(network).positions()
}
