//! Louvain community detection: greedy modularity optimisation by local moves of nodes, then
//! of communities aggregated into nodes, level after level; seeded and deterministic.

use std::borrow::Cow;

use crate::algo::modularity::{Partition, check_resolution};
use crate::network::Csr;
use crate::{AlgorithmError, Network};

/// Parameters of [`louvain`]; the default reads tie strengths at resolution 1 with seed 0.
#[derive(Debug, Clone, PartialEq)]
pub struct LouvainParams {
    /// The resolution γ of the modularity optimised: above 1 favours smaller communities,
    /// below 1 larger ones. Finite, not negative.
    pub resolution: f64,
    /// Use tie strengths (`true`) or count every tie 1.
    pub weighted: bool,
    /// Seeds the order in which nodes are visited: the same seed on the same network gives the
    /// same partition, on every machine.
    pub seed: u64,
}

impl Default for LouvainParams {
    fn default() -> Self {
        LouvainParams {
            resolution: 1.0,
            weighted: true,
            seed: 0,
        }
    }
}

/// Communities by the Louvain method: every node starts alone; nodes move, one at a time, to
/// the neighbouring community that raises the modularity most (see
/// [`modularity`](fn@crate::algo::modularity)) until no move raises it; then each community
/// becomes one node of a smaller network (ties between communities summed, ties inside kept
/// as the node's own strength) and the same is done there, until a level moves nothing.
///
/// The local moves use the queue of V. A. Traag, L. Waltman & N. J. van Eck (2019), "From
/// Louvain to Leiden: guaranteeing well-connected communities", *Sci. Rep.* 9 ("fast local
/// move"): every node is visited once in a seeded random order, and a node is visited again
/// only when a neighbour left for another community — the same optimum as repeated full
/// sweeps, in a fraction of the visits. A move must raise `m · Q` by more than 1e-12 times the
/// node's strength, so rounding cannot make two nodes swap forever. Aggregated levels are
/// compressed sparse rows built with flat arrays in O(|E|).
///
/// Reference: V. D. Blondel, J.-L. Guillaume, R. Lambiotte & E. Lefebvre (2008), "Fast
/// unfolding of communities in large networks", *J. Stat. Mech.* P10008. The problem NetworkX's
/// `louvain_communities(G, weight, resolution, seed)` solves; being a heuristic with another
/// random order, it finds a partition of similar, not identical, modularity.
///
/// Returns a [`Partition`] (its modularity with the same weights and resolution), or
/// [`AlgorithmError::BadParameter`] for a negative or non-finite resolution. Every node is in
/// exactly one community; a node without ties is a community of its own. Time about
/// O(|E|) per level with a few levels in practice (O(|V| · |E|) at worst), O(|V| + |E|)
/// memory.
///
/// ```
/// use labgraph_analytics::{algo::{louvain, LouvainParams}, read_edge_list_str};
/// // Two triangles joined by one tie: one community each, Q = 2 (3/7 − 1/4) = 5/14.
/// let net = read_edge_list_str("g", "a b\nb c\nc a\nc d\nd e\ne f\nf d\n")?;
/// let p = louvain(&net, &LouvainParams::default())?;
/// assert_eq!(p.count(), 2);
/// assert_eq!(p.community("a"), p.community("c"));
/// assert_ne!(p.community("c"), p.community("d"));
/// assert!((p.modularity() - 5.0 / 14.0).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn louvain(network: &Network, params: &LouvainParams) -> Result<Partition, AlgorithmError> {
    check_resolution(params.resolution)?;
    let n = network.node_count();
    // labels[u]: the node of the current level that original node u belongs to.
    let mut labels: Vec<u32> = (0..n as u32).collect();
    let mut level = Level::from_csr(&network.csr, params.weighted);
    let m2: f64 = level.strength.iter().sum();
    if m2 > 0.0 {
        let mut rng = SplitMix64(params.seed);
        let mut work = Work::default();
        while level.node_count() > 1
            && work.move_nodes(&level, params.resolution / m2, &mut rng, None)
        {
            let count = renumber(&mut work.comm);
            for l in &mut labels {
                *l = work.comm[*l as usize];
            }
            level = level.aggregate(&work.comm, count);
        }
    }
    Ok(Partition::from_labels(
        network,
        &labels,
        params.weighted,
        params.resolution,
    ))
}

/// One level: a weighted graph in CSR whose ties inside a node (earlier levels' communities)
/// are kept only in its strength. The first level borrows the network's arrays: a copy of
/// them was a third of Louvain's and Leiden's peak memory on a 1M-tie network
/// (docs/benchmarks.md, analytics memory).
pub(crate) struct Level<'a> {
    pub(crate) offsets: Cow<'a, [usize]>,
    pub(crate) targets: Cow<'a, [u32]>,
    pub(crate) weights: Cow<'a, [f64]>,
    /// Strength of each node, ties inside it counted twice: Σ strength = 2m at every level.
    pub(crate) strength: Vec<f64>,
}

impl<'a> Level<'a> {
    pub(crate) fn from_csr(csr: &'a Csr, weighted: bool) -> Level<'a> {
        let weights = if weighted {
            Cow::Borrowed(csr.weights.as_slice())
        } else {
            Cow::Owned(vec![1.0; csr.targets.len()])
        };
        let strength = (0..csr.node_count())
            .map(|u| weights[csr.offsets[u]..csr.offsets[u + 1]].iter().sum())
            .collect();
        Level {
            offsets: Cow::Borrowed(csr.offsets.as_slice()),
            targets: Cow::Borrowed(csr.targets.as_slice()),
            weights,
            strength,
        }
    }

    pub(crate) fn node_count(&self) -> usize {
        self.strength.len()
    }

    /// The level whose nodes are the communities `comm` (numbered `0..count`).
    pub(crate) fn aggregate(&self, comm: &[u32], count: usize) -> Level<'static> {
        // Members of each community by counting sort.
        let mut start = vec![0usize; count + 1];
        for &c in comm {
            start[c as usize + 1] += 1;
        }
        for c in 0..count {
            start[c + 1] += start[c];
        }
        let mut fill = start.clone();
        let mut members = vec![0u32; comm.len()];
        for (u, &c) in comm.iter().enumerate() {
            members[fill[c as usize]] = u as u32;
            fill[c as usize] += 1;
        }
        // A first pass counts the ties of the next level (one per pair of neighbouring
        // communities and direction), so its arrays are allocated at their final size: grown
        // by doubling they could reach twice that, and three times while a reallocation copied
        // them — the peak of Leiden, whose first aggregated level is nearly as large as the
        // network (docs/benchmarks.md, analytics memory).
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.push(0);
        let mut seen_by = vec![u32::MAX; count];
        let mut total = 0;
        for c in 0..count {
            for &u in &members[start[c]..start[c + 1]] {
                let u = u as usize;
                for &t in &self.targets[self.offsets[u]..self.offsets[u + 1]] {
                    let d = comm[t as usize];
                    if d as usize != c && seen_by[d as usize] != c as u32 {
                        seen_by[d as usize] = c as u32;
                        total += 1;
                    }
                }
            }
        }
        drop(seen_by);
        let mut targets = Vec::with_capacity(total);
        let mut weights = Vec::with_capacity(total);
        let mut strength = vec![0.0; count];
        let mut acc = vec![0.0; count];
        let mut touched: Vec<u32> = Vec::new();
        for c in 0..count {
            for &u in &members[start[c]..start[c + 1]] {
                let u = u as usize;
                strength[c] += self.strength[u];
                for i in self.offsets[u]..self.offsets[u + 1] {
                    let d = comm[self.targets[i] as usize];
                    if d as usize != c {
                        if acc[d as usize] == 0.0 {
                            touched.push(d);
                        }
                        acc[d as usize] += self.weights[i];
                    }
                }
            }
            for &d in &touched {
                targets.push(d);
                weights.push(acc[d as usize]);
                acc[d as usize] = 0.0;
            }
            touched.clear();
            offsets.push(targets.len());
        }
        Level {
            offsets: Cow::Owned(offsets),
            targets: Cow::Owned(targets),
            weights: Cow::Owned(weights),
            strength,
        }
    }
}

/// Buffers of the local moves, reused across levels.
#[derive(Default)]
pub(crate) struct Work {
    /// The community of each node after [`Work::move_nodes`].
    pub(crate) comm: Vec<u32>,
    tot: Vec<f64>,
    queue: Vec<u32>,
    queued: Vec<bool>,
    to_comm: Vec<f64>,
    touched: Vec<u32>,
}

impl Work {
    /// Fast local moves on `level` from singletons, or from `initial` (labels below |V|);
    /// `scale` is γ / 2m. Leaves the community of each node in `comm` and tells whether any
    /// node moved.
    pub(crate) fn move_nodes(
        &mut self,
        level: &Level<'_>,
        scale: f64,
        rng: &mut SplitMix64,
        initial: Option<&[u32]>,
    ) -> bool {
        let n = level.node_count();
        self.comm.clear();
        self.tot.clear();
        match initial {
            None => {
                self.comm.extend(0..n as u32);
                self.tot.extend_from_slice(&level.strength);
            }
            Some(labels) => {
                self.comm.extend_from_slice(labels);
                self.tot.resize(n, 0.0);
                for (u, &c) in labels.iter().enumerate() {
                    self.tot[c as usize] += level.strength[u];
                }
            }
        }
        self.queue.clear();
        self.queue.extend(0..n as u32);
        rng.shuffle(&mut self.queue);
        self.queued.clear();
        self.queued.resize(n, true);
        self.to_comm.clear();
        self.to_comm.resize(n, 0.0);
        // A ring buffer: each node is in the queue at most once, so n slots suffice.
        let (mut head, mut len) = (0usize, n);
        let mut moved = false;
        while len > 0 {
            let u = self.queue[head] as usize;
            head = if head + 1 == n { 0 } else { head + 1 };
            len -= 1;
            self.queued[u] = false;
            let (lo, hi) = (level.offsets[u], level.offsets[u + 1]);
            for i in lo..hi {
                let c = self.comm[level.targets[i] as usize];
                if self.to_comm[c as usize] == 0.0 {
                    self.touched.push(c);
                }
                self.to_comm[c as usize] += level.weights[i];
            }
            let own = self.comm[u];
            let k = level.strength[u];
            self.tot[own as usize] -= k;
            // m·ΔQ of joining c, up to a term that is the same for every c.
            let gain = |c: u32, to: f64| to - scale * k * self.tot[c as usize];
            let stay = gain(own, self.to_comm[own as usize]);
            let (mut best, mut best_gain) = (own, stay + 1e-12 * k);
            for &c in &self.touched {
                let g = gain(c, self.to_comm[c as usize]);
                if g > best_gain {
                    (best, best_gain) = (c, g);
                }
            }
            for &c in &self.touched {
                self.to_comm[c as usize] = 0.0;
            }
            self.touched.clear();
            self.tot[best as usize] += k;
            if best != own {
                self.comm[u] = best;
                moved = true;
                for &v in &level.targets[lo..hi] {
                    if !self.queued[v as usize] && self.comm[v as usize] != best {
                        self.queued[v as usize] = true;
                        let tail = (head + len) % n;
                        self.queue[tail] = v;
                        len += 1;
                    }
                }
            }
        }
        moved
    }
}

/// Renumbers community labels to `0..count` in order of first appearance; returns `count`.
pub(crate) fn renumber(comm: &mut [u32]) -> usize {
    let mut new_id = vec![u32::MAX; comm.len()];
    let mut count = 0u32;
    for c in comm.iter_mut() {
        let slot = &mut new_id[*c as usize];
        if *slot == u32::MAX {
            *slot = count;
            count += 1;
        }
        *c = *slot;
    }
    count as usize
}

/// SplitMix64 (G. Steele, D. Lea & C. Flood 2014): a tiny, fast generator whose stream is fixed
/// by the seed alone, which is all a reproducible visiting order needs (no dependency).
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer below `bound` (Lemire's multiply-shift; bias below `bound / 2⁶⁴`).
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }

    /// A uniform float in [0, 1) from the top 53 bits.
    pub(crate) fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Fisher–Yates shuffle.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}
