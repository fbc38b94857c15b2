//! Bridges and articulation points: the ties and the nodes whose removal disconnects part of
//! the network — its single points of failure.

use labgraph_domain::Id;

use crate::Network;

/// Discovery times and low points of an iterative depth-first search over every component,
/// with the bridges and articulation points (as positions) it finds.
struct LowPoints {
    bridges: Vec<(usize, usize)>,
    cut: Vec<bool>,
}

/// Tarjan's low-point DFS, iterative: an explicit stack of `(node, parent, next neighbour
/// index)` instead of recursion, because a long path (a chain of 100k people) would overflow
/// the thread's stack.
fn low_points(network: &Network) -> LowPoints {
    const NONE: usize = usize::MAX;
    let csr = &network.csr;
    let n = csr.node_count();
    let mut disc = vec![NONE; n];
    let mut low = vec![0usize; n];
    let mut cut = vec![false; n];
    let mut bridges = Vec::new();
    let mut stack: Vec<(usize, usize, usize)> = Vec::new();
    let mut time = 0;
    for root in 0..n {
        if disc[root] != NONE {
            continue;
        }
        disc[root] = time;
        low[root] = time;
        time += 1;
        let mut root_children = 0;
        stack.push((root, NONE, csr.offsets[root]));
        while let Some(top) = stack.last_mut() {
            let (v, parent, i) = *top;
            if i < csr.offsets[v + 1] {
                top.2 += 1;
                let w = csr.targets[i] as usize;
                if disc[w] == NONE {
                    disc[w] = time;
                    low[w] = time;
                    time += 1;
                    if v == root {
                        root_children += 1;
                    }
                    stack.push((w, v, csr.offsets[w]));
                } else if w != parent {
                    // A back edge. Skipping the parent by node is right because ties are
                    // merged: there is never a second tie to the parent.
                    low[v] = low[v].min(disc[w]);
                }
            } else {
                stack.pop();
                if parent != NONE {
                    low[parent] = low[parent].min(low[v]);
                    if low[v] > disc[parent] {
                        bridges.push((parent.min(v), parent.max(v)));
                    }
                    if parent != root && low[v] >= disc[parent] {
                        cut[parent] = true;
                    }
                }
            }
        }
        if root_children >= 2 {
            cut[root] = true;
        }
    }
    bridges.sort_unstable();
    LowPoints { bridges, cut }
}

/// The bridges: ties whose removal splits their component. Weights are ignored.
///
/// Reference: R. E. Tarjan (1974), "A note on finding the bridges of a graph", *Information
/// Processing Letters* 2(6); low points from J. Hopcroft & R. Tarjan (1973). As NetworkX's
/// `bridges`.
///
/// Returns each bridge once as `(a, b)`, `a` before `b` in the network's order, sorted.
/// O(|V| + |E|) time and memory.
///
/// ```
/// // A triangle a-b-c with a tail c-d-e: c–d and d–e are bridges.
/// let net = labgraph_analytics::read_edge_list_str("g", "a b\nb c\nc a\nc d\nd e\n")?;
/// let b: Vec<(String, String)> = labgraph_analytics::algo::bridges(&net)
///     .into_iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
/// assert_eq!(b, vec![("c".into(), "d".into()), ("d".into(), "e".into())]);
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn bridges(network: &Network) -> Vec<(Id, Id)> {
    low_points(network)
        .bridges
        .into_iter()
        .map(|(a, b)| (network.id(a).clone(), network.id(b).clone()))
        .collect()
}

/// The articulation points (cut vertices): nodes whose removal splits their component.
/// Weights are ignored.
///
/// Reference: J. Hopcroft & R. Tarjan (1973), "Algorithm 447: efficient algorithms for graph
/// manipulation", *CACM* 16(6). As NetworkX's `articulation_points`.
///
/// Returns the ids in the network's order. O(|V| + |E|) time and memory.
///
/// ```
/// let net = labgraph_analytics::read_edge_list_str("g", "a b\nb c\nc a\nc d\nd e\n")?;
/// let cut: Vec<String> = labgraph_analytics::algo::articulation_points(&net)
///     .into_iter().map(|id| id.to_string()).collect();
/// assert_eq!(cut, vec!["c", "d"]);
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn articulation_points(network: &Network) -> Vec<Id> {
    low_points(network)
        .cut
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c)
        .map(|(u, _)| network.id(u).clone())
        .collect()
}
