//! Semi-synchronous label propagation (Cordasco & Gargano): communities as the labels most
//! nodes' partners agree on; deterministic, as NetworkX's `label_propagation_communities`.

use crate::algo::modularity::Partition;
use crate::{AlgorithmError, Network};

/// Rounds before [`label_propagation`] gives up. Cordasco & Gargano prove the semi-synchronous
/// rule stops; the cap only turns a bug into an error instead of a hang.
const MAX_ROUNDS: usize = 100_000;

/// Communities by semi-synchronous label propagation: every node starts with its own label
/// (its position in the network's order); the nodes are coloured greedily so that partners
/// never share a colour (largest degree first, ties in the network's order); then, colour
/// class after colour class, each node takes the label most frequent among its partners — if
/// several are, it keeps its own when among them, else takes the largest ("Prec-Max"). Rounds
/// repeat until every node with a partner holds one of its partners' most frequent labels.
/// Weights are ignored, and so is the result's modularity: every tie counts 1, resolution 1.
///
/// Nodes of one colour have no tie between them, so updating them together is the same as
/// updating them in any order: the result is fully determined by the network and its order.
/// It is exactly NetworkX's `label_propagation_communities(G)` when G lists the nodes in the
/// network's order (as an edge list read by both does).
///
/// Reference: G. Cordasco & L. Gargano (2010), "Community detection via semi-synchronous label
/// propagation algorithms", *IEEE BASNA Workshop*; the colouring is the greedy
/// "largest first" of D. J. A. Welsh & M. B. Powell (1967), *Computer J.* 10(1).
///
/// Returns a [`Partition`]; a node without ties is a community of its own.
/// [`AlgorithmError::NoConvergence`] after 100 000 rounds (not seen in practice). Time
/// O(|V| log |V| + rounds · (|V| + |E|)), memory O(|V|).
///
/// ```
/// use labgraph_analytics::{algo::label_propagation, read_edge_list_str};
/// // Two triangles joined by c-d, and a lone node.
/// let net = read_edge_list_str("g", "a b\nb c\nc a\nc d\nd e\ne f\nf d\ng\n")?;
/// let p = label_propagation(&net)?;
/// let names: Vec<Vec<String>> = p
///     .communities()
///     .iter()
///     .map(|c| c.iter().map(|id| id.to_string()).collect())
///     .collect();
/// assert_eq!(names, [vec!["a", "b", "c"], vec!["d", "e", "f"], vec!["g"]]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn label_propagation(network: &Network) -> Result<Partition, AlgorithmError> {
    let csr = &network.csr;
    let n = csr.node_count();
    let classes = colour_classes(network);
    let mut labels: Vec<u32> = (0..n as u32).collect();
    let mut count = vec![0u32; n];
    let mut touched: Vec<u32> = Vec::new();
    // The labels of `v`'s partners that are most frequent, into `best`; returns whether its
    // own label is among them.
    let mut most_frequent = |v: usize, labels: &[u32], best: &mut Vec<u32>| -> bool {
        let mut top = 0;
        for &u in csr.neighbours(v) {
            let l = labels[u as usize];
            if count[l as usize] == 0 {
                touched.push(l);
            }
            count[l as usize] += 1;
            top = top.max(count[l as usize]);
        }
        best.clear();
        for &l in &touched {
            if count[l as usize] == top {
                best.push(l);
            }
            count[l as usize] = 0;
        }
        touched.clear();
        best.contains(&labels[v])
    };
    let mut best = Vec::new();
    // NetworkX checks before each round whether every node already holds one of its most
    // frequent labels, and stops if so. A node's label changes exactly when it does not, so
    // that check is the same as "the next round changes nothing": run rounds until one
    // changes nothing, with the same result in half the sweeps.
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for class in &classes {
            for &v in class {
                let v = v as usize;
                if csr.degree(v) == 0 {
                    continue;
                }
                if most_frequent(v, &labels, &mut best) {
                    continue; // keeps its label (Prec), whether or not the maximum is unique
                }
                labels[v] = if best.len() == 1 {
                    best[0]
                } else {
                    best.iter().copied().max().unwrap_or(labels[v])
                };
                changed = true;
            }
        }
        if !changed {
            return Ok(Partition::from_labels(network, &labels, false, 1.0));
        }
    }
    Err(AlgorithmError::NoConvergence {
        max_iter: MAX_ROUNDS,
    })
}

/// Greedy colouring, largest degree first (stable: equal degrees in the network's order),
/// each node the smallest colour none of its coloured partners has; the nodes of each colour,
/// colour 0 first (NetworkX's `greedy_color(G, "largest_first")`).
fn colour_classes(network: &Network) -> Vec<Vec<u32>> {
    let csr = &network.csr;
    let n = csr.node_count();
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&u| std::cmp::Reverse(csr.degree(u as usize)));
    let mut colour = vec![u32::MAX; n];
    // taken[c] == u + 1 while colour c is used by a partner of u: no reset needed.
    let mut taken: Vec<usize> = Vec::new();
    let mut classes: Vec<Vec<u32>> = Vec::new();
    for &u in &order {
        for &v in csr.neighbours(u as usize) {
            let c = colour[v as usize];
            if c != u32::MAX {
                taken[c as usize] = u as usize + 1;
            }
        }
        let c = (0..taken.len())
            .find(|&c| taken[c] != u as usize + 1)
            .unwrap_or(taken.len());
        if c == taken.len() {
            taken.push(0);
            classes.push(Vec::new());
        }
        colour[u as usize] = c as u32;
        classes[c].push(u);
    }
    classes
}
