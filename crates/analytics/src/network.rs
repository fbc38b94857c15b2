//! The compact graph every algorithm runs on: an undirected weighted graph in compressed sparse
//! rows (CSR), with the domain ids of its nodes, and per-node results keyed by those ids.

use std::collections::HashMap;
use std::sync::Arc;

use labgraph_domain::Id;

/// Undirected weighted graph in compressed sparse rows: the neighbours of node `u` are
/// `targets[offsets[u]..offsets[u + 1]]`, sorted, with the tie strengths in `weights` at the
/// same positions. Every edge is stored in both rows.
///
/// Why CSR and not a petgraph adjacency list: the algorithms here sweep every neighbour of
/// every node |V| times (Brandes, closeness); two flat arrays keep that sweep in cache, and
/// `u32` targets halve the memory of `usize` indices (the 1M-edge peer graph fits in ~18 MiB).
/// Indices never leave the crate: results are keyed by [`Id`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    pub(crate) offsets: Vec<usize>,
    pub(crate) targets: Vec<u32>,
    pub(crate) weights: Vec<f64>,
}

impl Csr {
    /// Builds from undirected edges `(u, v, w)` with `u != v`, all `< n`; parallel edges are
    /// merged by adding their weights.
    pub(crate) fn from_edges(n: usize, mut edges: Vec<(u32, u32, f64)>) -> Csr {
        for e in &mut edges {
            if e.1 < e.0 {
                std::mem::swap(&mut e.0, &mut e.1);
            }
        }
        edges.sort_by_key(|&(u, v, _)| (u, v));
        let mut merged: Vec<(u32, u32, f64)> = Vec::with_capacity(edges.len());
        for (u, v, w) in edges {
            debug_assert!(u != v, "self-loops are refused before the CSR is built");
            match merged.last_mut() {
                Some(last) if last.0 == u && last.1 == v => last.2 += w,
                _ => merged.push((u, v, w)),
            }
        }
        let mut degree = vec![0usize; n];
        for &(u, v, _) in &merged {
            degree[u as usize] += 1;
            degree[v as usize] += 1;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        for d in &degree {
            offsets.push(offsets.last().copied().unwrap_or(0) + d);
        }
        let m2 = offsets[n];
        let mut targets = vec![0u32; m2];
        let mut weights = vec![0f64; m2];
        let mut fill: Vec<usize> = offsets[..n].to_vec();
        // Edges are sorted by (min, max), so each row receives its targets in ascending order
        // from the `u` side; the `v` side rows are sorted below.
        for &(u, v, w) in &merged {
            for (a, b) in [(u, v), (v, u)] {
                let slot = &mut fill[a as usize];
                targets[*slot] = b;
                weights[*slot] = w;
                *slot += 1;
            }
        }
        let mut csr = Csr {
            offsets,
            targets,
            weights,
        };
        csr.sort_rows();
        csr
    }

    fn sort_rows(&mut self) {
        let n = self.node_count();
        let mut row: Vec<(u32, f64)> = Vec::new();
        for u in 0..n {
            let (lo, hi) = (self.offsets[u], self.offsets[u + 1]);
            row.clear();
            row.extend((lo..hi).map(|i| (self.targets[i], self.weights[i])));
            row.sort_by_key(|&(t, _)| t);
            for (i, &(t, w)) in (lo..hi).zip(&row) {
                self.targets[i] = t;
                self.weights[i] = w;
            }
        }
    }

    pub(crate) fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of undirected edges.
    pub(crate) fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// Neighbours of `u`, sorted.
    #[inline]
    pub(crate) fn neighbours(&self, u: usize) -> &[u32] {
        &self.targets[self.offsets[u]..self.offsets[u + 1]]
    }

    /// Neighbours of `u` with the tie strengths.
    #[inline]
    pub(crate) fn weighted(&self, u: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (lo, hi) = (self.offsets[u], self.offsets[u + 1]);
        self.targets[lo..hi]
            .iter()
            .zip(&self.weights[lo..hi])
            .map(|(&t, &w)| (t as usize, w))
    }

    #[inline]
    pub(crate) fn degree(&self, u: usize) -> usize {
        self.offsets[u + 1] - self.offsets[u]
    }
}

/// The ids of a network's nodes and the way back from an id to its position.
#[derive(Debug, Clone, Default)]
pub(crate) struct NodeTable {
    pub(crate) ids: Vec<Id>,
    pub(crate) index: HashMap<Id, u32>,
}

impl NodeTable {
    pub(crate) fn new(ids: Vec<Id>) -> NodeTable {
        let index = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i as u32))
            .collect();
        NodeTable { ids, index }
    }
}

/// An undirected weighted network whose nodes are domain ids: a projection of the graph
/// ([`crate::projection`]) or an edge list ([`crate::read_edge_list`]). Every algorithm takes one.
///
/// Weights are tie *strengths* (more evidence = larger). Measures based on paths read a
/// strength `s` as the length `1 / s` when asked to use weights (see [`PathWeights`]).
#[derive(Debug, Clone)]
pub struct Network {
    pub(crate) nodes: Arc<NodeTable>,
    pub(crate) csr: Csr,
}

impl Network {
    /// Builds a network from node ids and undirected edges between them (given by position in
    /// `ids`); parallel edges are merged by adding their strengths. Crate-internal because
    /// positions never leave the crate.
    pub(crate) fn from_parts(ids: Vec<Id>, edges: Vec<(u32, u32, f64)>) -> Network {
        let n = ids.len();
        Network {
            nodes: Arc::new(NodeTable::new(ids)),
            csr: Csr::from_edges(n, edges),
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.csr.node_count()
    }

    /// Number of undirected edges (ties).
    pub fn edge_count(&self) -> usize {
        self.csr.edge_count()
    }

    /// The nodes' ids, in the network's order.
    pub fn ids(&self) -> &[Id] {
        &self.nodes.ids
    }

    /// True when `id` is a node of the network.
    pub fn contains(&self, id: &str) -> bool {
        self.nodes.index.contains_key(id)
    }

    /// The neighbours of `id` with the tie strengths, in the network's order; empty for an
    /// unknown id.
    pub fn neighbours(&self, id: &str) -> impl Iterator<Item = (&Id, f64)> + '_ {
        let u = self.nodes.index.get(id).map(|&u| u as usize);
        u.into_iter()
            .flat_map(move |u| self.csr.weighted(u))
            .map(move |(v, w)| (&self.nodes.ids[v], w))
    }

    /// The strength of the tie between `a` and `b`, if they are tied.
    pub fn strength(&self, a: &str, b: &str) -> Option<f64> {
        let (&u, &v) = (self.nodes.index.get(a)?, self.nodes.index.get(b)?);
        let row = self.csr.neighbours(u as usize);
        let i = row.binary_search(&v).ok()?;
        Some(self.csr.weights[self.csr.offsets[u as usize] + i])
    }

    /// Every tie once, as `(a, b, strength)` with `a` before `b` in the network's order.
    pub fn edges(&self) -> impl Iterator<Item = (&Id, &Id, f64)> + '_ {
        (0..self.node_count()).flat_map(move |u| {
            self.csr
                .weighted(u)
                .filter(move |&(v, _)| u < v)
                .map(move |(v, w)| (&self.nodes.ids[u], &self.nodes.ids[v], w))
        })
    }

    pub(crate) fn scores(&self, values: Vec<f64>) -> Scores {
        debug_assert_eq!(values.len(), self.node_count());
        Scores {
            nodes: Arc::clone(&self.nodes),
            values,
        }
    }

    pub(crate) fn id(&self, u: usize) -> &Id {
        &self.nodes.ids[u]
    }

    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.nodes.index.get(id).map(|&u| u as usize)
    }
}

/// Whether a path-based measure counts hops or reads tie strengths as lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PathWeights {
    /// Every tie has length 1 (breadth-first search).
    #[default]
    Hops,
    /// A tie of strength `s` has length `1 / s` (Dijkstra): a strong tie is a short way.
    /// Why the reciprocal: it keeps "more evidence = closer" without a tuning constant, and is
    /// the convention of Newman (2001) and Opsahl et al. (2010) for weighted closeness and
    /// betweenness. The same length is what the NetworkX fixtures pass as `distance`.
    InverseStrength,
    /// The weight *is* the length (Dijkstra): what NetworkX's `weight=` and igraph's
    /// `weights=` mean on a plain edge list. Why a variant rather than storing `1 / w` and using
    /// [`PathWeights::InverseStrength`]: `1 / (1 / w)` is not always `w` in floating point, and
    /// equal-length paths must stay equal to count shortest paths as those tools do.
    Length,
}

/// A score per node, keyed by id.
#[derive(Debug, Clone)]
pub struct Scores {
    nodes: Arc<NodeTable>,
    values: Vec<f64>,
}

impl Scores {
    /// The score of `id`, if it is a node of the network.
    pub fn get(&self, id: &str) -> Option<f64> {
        self.nodes.index.get(id).map(|&u| self.values[u as usize])
    }

    /// Every node with its score, in the network's order.
    pub fn iter(&self) -> impl Iterator<Item = (&Id, f64)> + '_ {
        self.nodes.ids.iter().zip(self.values.iter().copied())
    }

    /// Number of nodes scored.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True for the scores of an empty network.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The `k` highest scores, best first; ties broken by id so the order is stable.
    pub fn top(&self, k: usize) -> Vec<(&Id, f64)> {
        let mut all: Vec<(&Id, f64)> = self.iter().collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        all.truncate(k);
        all
    }

    /// Sum of all scores.
    pub fn sum(&self) -> f64 {
        self.values.iter().sum()
    }
}
