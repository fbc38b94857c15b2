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
    let mut parts: Vec<Vec<usize>> = component_positions(network);
    parts.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    parts
        .into_iter()
        .map(|part| part.into_iter().map(|u| network.id(u).clone()).collect())
        .collect()
}

/// Components as sorted positions, in order of their first node.
pub(crate) fn component_positions(network: &Network) -> Vec<Vec<usize>> {
    let csr = &network.csr;
    let n = csr.node_count();
    let mut seen = vec![false; n];
    let mut queue: Vec<usize> = Vec::with_capacity(n);
    let mut parts = Vec::new();
    for root in 0..n {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        queue.clear();
        queue.push(root);
        let mut head = 0;
        while head < queue.len() {
            let u = queue[head];
            head += 1;
            for &v in csr.neighbours(u) {
                if !seen[v as usize] {
                    seen[v as usize] = true;
                    queue.push(v as usize);
                }
            }
        }
        let mut part = queue.clone();
        part.sort_unstable();
        parts.push(part);
    }
    parts
}
