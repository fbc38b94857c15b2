//! Single-source shortest paths with path counts, shared by betweenness and closeness: one
//! set of flat buffers reused for every source, so a sweep over all sources allocates once.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::PathWeights;
use crate::network::Csr;

/// Per-source buffers. After [`Sssp::run`], `order` holds the reached nodes in the order they
/// were settled (non-decreasing distance), `dist` their distance and `sigma` their number of
/// shortest paths from the source; unreached nodes keep `dist = ∞`.
pub(crate) struct Sssp {
    pub(crate) dist: Vec<f64>,
    pub(crate) sigma: Vec<f64>,
    pub(crate) order: Vec<u32>,
    settled: Vec<bool>,
    heap: BinaryHeap<Entry>,
    pub(crate) weights: PathWeights,
}

impl Sssp {
    pub(crate) fn new(n: usize, weights: PathWeights) -> Sssp {
        Sssp {
            dist: vec![f64::INFINITY; n],
            sigma: vec![0.0; n],
            order: Vec::with_capacity(n),
            settled: vec![false; n],
            heap: BinaryHeap::new(),
            weights,
        }
    }

    /// The length of a tie of strength `w`.
    #[inline]
    pub(crate) fn length(&self, w: f64) -> f64 {
        match self.weights {
            PathWeights::Hops => 1.0,
            PathWeights::InverseStrength => 1.0 / w,
            PathWeights::Length => w,
        }
    }

    /// Shortest paths from `s`. Resets only what the previous run touched: O(reached).
    pub(crate) fn run(&mut self, csr: &Csr, s: usize) {
        for &u in &self.order {
            self.dist[u as usize] = f64::INFINITY;
            self.sigma[u as usize] = 0.0;
            self.settled[u as usize] = false;
        }
        self.order.clear();
        self.dist[s] = 0.0;
        self.sigma[s] = 1.0;
        match self.weights {
            PathWeights::Hops => self.bfs(csr, s),
            PathWeights::InverseStrength | PathWeights::Length => self.dijkstra(csr, s),
        }
    }

    fn bfs(&mut self, csr: &Csr, s: usize) {
        // `order` doubles as the FIFO queue: BFS settles nodes in the order it enqueues them.
        self.order.push(s as u32);
        self.settled[s] = true;
        let mut head = 0;
        while head < self.order.len() {
            let v = self.order[head] as usize;
            head += 1;
            let next = self.dist[v] + 1.0;
            for &w in csr.neighbours(v) {
                let w = w as usize;
                if !self.settled[w] {
                    self.settled[w] = true;
                    self.dist[w] = next;
                    self.order.push(w as u32);
                }
                if self.dist[w] == next {
                    self.sigma[w] += self.sigma[v];
                }
            }
        }
    }

    fn dijkstra(&mut self, csr: &Csr, s: usize) {
        self.heap.clear();
        self.heap.push(Entry { dist: 0.0, node: s });
        while let Some(Entry { dist, node: v }) = self.heap.pop() {
            if self.settled[v] || dist > self.dist[v] {
                continue;
            }
            self.settled[v] = true;
            self.order.push(v as u32);
            for (w, strength) in csr.weighted(v) {
                if self.settled[w] {
                    continue;
                }
                // The same sum NetworkX forms (`dist[v] + length`), so equal-length paths are
                // recognised exactly as it recognises them.
                let alt = dist + self.length(strength);
                match alt.total_cmp(&self.dist[w]) {
                    Ordering::Less => {
                        self.dist[w] = alt;
                        self.sigma[w] = self.sigma[v];
                        self.heap.push(Entry { dist: alt, node: w });
                    }
                    Ordering::Equal => self.sigma[w] += self.sigma[v],
                    Ordering::Greater => {}
                }
            }
        }
    }
}

/// A heap entry ordered so that `BinaryHeap` (a max-heap) pops the smallest distance first.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) dist: f64,
    pub(super) node: usize,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .dist
            .total_cmp(&self.dist)
            .then_with(|| other.node.cmp(&self.node))
    }
}
