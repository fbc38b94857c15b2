//! Leiden community detection: Louvain's local moves, plus a refinement that splits every
//! community into well-connected parts before aggregating; seeded and deterministic.

use crate::algo::louvain::{Level, SplitMix64, Work, renumber};
use crate::algo::modularity::{Partition, check_resolution};
use crate::{AlgorithmError, Network};

/// Parameters of [`leiden`]; the default reads tie strengths at resolution 1 with seed 0,
/// randomness θ = 0.01 (the paper's and igraph's `beta`) and 2 iterations (igraph's default).
#[derive(Debug, Clone, PartialEq)]
pub struct LeidenParams {
    /// The resolution γ of the modularity optimised: above 1 favours smaller communities,
    /// below 1 larger ones. Finite, not negative.
    pub resolution: f64,
    /// Use tie strengths (`true`) or count every tie 1.
    pub weighted: bool,
    /// Seeds the visiting orders and the refinement's choices: the same seed on the same
    /// network gives the same partition, on every machine.
    pub seed: u64,
    /// θ of the refinement: a node joins a part with probability ∝ exp(gain / θ), the gain in
    /// units of tie strength; near 0 is greedy. Finite, positive.
    pub randomness: f64,
    /// Runs of the whole algorithm, each starting from the previous one's partition (igraph's
    /// `n_iterations`); a later run can only keep or raise the modularity. At least 1.
    pub iterations: usize,
}

impl Default for LeidenParams {
    fn default() -> Self {
        LeidenParams {
            resolution: 1.0,
            weighted: true,
            seed: 0,
            randomness: 0.01,
            iterations: 2,
        }
    }
}

/// Communities by the Leiden algorithm: fast local moves of nodes (as in
/// [`louvain`](fn@crate::algo::louvain)); then each community is *refined* — its nodes start
/// alone and, visited in random order, a node still alone and well connected to the rest of
/// its community joins a well-connected part of the same community, chosen at random with
/// probability ∝ exp(gain / θ) among those that do not lower the modularity; the network is
/// aggregated by the refined parts, each starting in the community it came from, and the
/// local moves continue there, until the local moves leave every node of a level alone. The
/// whole is repeated `iterations` times, each run starting from the last partition.
///
/// Why over Louvain: Louvain can leave a community internally disconnected (a node that held
/// it together moves away and nothing revisits the rest); the refinement guarantees every
/// community is connected — γ-connected in the paper's sense — and that aggregates are
/// well connected, at a cost of a larger aggregated network per level.
///
/// Reference: V. A. Traag, L. Waltman & N. J. van Eck (2019), "From Louvain to Leiden:
/// guaranteeing well-connected communities", *Sci. Rep.* 9, 5233 — Algorithms A.1–A.3, with
/// modularity as the quality (node weight = strength, γ / 2m). igraph's
/// `community_leiden(objective_function="modularity")` solves the same problem with another
/// random stream.
///
/// Returns a [`Partition`] (its modularity with the same weights and resolution), or
/// [`AlgorithmError::BadParameter`] for a negative or non-finite resolution, a randomness
/// that is not finite and positive, or 0 iterations. Every node is in exactly one community; a node without
/// ties is a community of its own. Time about O(iterations · |E|) per level with few levels in
/// practice, O(|V| + |E|) memory.
///
/// ```
/// use labgraph_analytics::{algo::{leiden, LeidenParams}, read_edge_list_str};
/// // Two triangles joined by one tie: one community each, Q = 2 (3/7 − 1/4) = 5/14.
/// let net = read_edge_list_str("g", "a b\nb c\nc a\nc d\nd e\ne f\nf d\n")?;
/// let p = leiden(&net, &LeidenParams::default())?;
/// assert_eq!(p.count(), 2);
/// assert_eq!(p.community("a"), p.community("c"));
/// assert_ne!(p.community("c"), p.community("d"));
/// assert!((p.modularity() - 5.0 / 14.0).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn leiden(network: &Network, params: &LeidenParams) -> Result<Partition, AlgorithmError> {
    check_resolution(params.resolution)?;
    if !(params.randomness.is_finite() && params.randomness > 0.0) {
        return Err(AlgorithmError::BadParameter {
            name: "randomness",
            value: params.randomness,
            expected: "finite and positive",
        });
    }
    if params.iterations == 0 {
        return Err(AlgorithmError::BadParameter {
            name: "iterations",
            value: 0.0,
            expected: "at least 1",
        });
    }
    let n = network.node_count();
    // The community of each original node: singletons, then each iteration's result.
    let mut membership: Vec<u32> = (0..n as u32).collect();
    let m2: f64 = network
        .csr
        .weights
        .iter()
        .map(|&w| if params.weighted { w } else { 1.0 })
        .sum();
    if m2 > 0.0 {
        let scale = params.resolution / m2;
        let mut rng = SplitMix64(params.seed);
        let mut work = Work::default();
        let mut refine = Refine::default();
        for _ in 0..params.iterations {
            let mut level = Level::from_csr(&network.csr, params.weighted);
            // labels[u]: the node of the current level that original node u belongs to.
            let mut labels: Vec<u32> = (0..n as u32).collect();
            // The community of each node of the current level; at the end, of the last level.
            let mut comm = membership.clone();
            loop {
                work.move_nodes(&level, scale, &mut rng, Some(&comm));
                let count = renumber(&mut work.comm);
                comm.clone_from(&work.comm);
                if count == level.node_count() {
                    break; // every node alone: nothing left to aggregate
                }
                let parts = refine.run(&level, &comm, count, scale, params.randomness, &mut rng);
                if parts == level.node_count() {
                    break; // the refinement merged nothing: aggregating would change nothing
                }
                // Each refined part becomes a node, starting in the community it came from.
                let mut parent = vec![0u32; parts];
                for (u, &r) in refine.part.iter().enumerate() {
                    parent[r as usize] = comm[u];
                }
                for l in &mut labels {
                    *l = refine.part[*l as usize];
                }
                // Free the buffers sized to this level before building the next one beside
                // it: they were part of Leiden's peak memory (docs/benchmarks.md, analytics
                // memory); the next level, smaller, allocates its own.
                work = Work::default();
                refine.release();
                level = level.aggregate(&refine.part, parts);
                comm = parent;
            }
            membership = labels.iter().map(|&l| comm[l as usize]).collect();
        }
    }
    Ok(Partition::from_labels(
        network,
        &membership,
        params.weighted,
        params.resolution,
    ))
}

/// Buffers of the refinement, reused across levels.
#[derive(Default)]
struct Refine {
    /// The refined part of each node, renumbered `0..parts` after [`Refine::run`].
    part: Vec<u32>,
    /// Strength of each part.
    tot: Vec<f64>,
    /// Tie strength from each part to the rest of its community.
    ext: Vec<f64>,
    /// Nodes in each part.
    size: Vec<u32>,
    /// Total strength of each community.
    comm_tot: Vec<f64>,
    order: Vec<u32>,
    to_part: Vec<f64>,
    touched: Vec<u32>,
    gains: Vec<f64>,
}

impl Refine {
    /// Frees every buffer but `part`, which aggregation reads.
    fn release(&mut self) {
        let part = std::mem::take(&mut self.part);
        *self = Refine {
            part,
            ..Refine::default()
        };
    }

    /// Algorithm A.2's `RefinePartition` on `level` with communities `comm` (below `count`);
    /// `scale` is γ / 2m, `theta` the randomness. Leaves the parts in `part` and returns their
    /// number.
    fn run(
        &mut self,
        level: &Level<'_>,
        comm: &[u32],
        count: usize,
        scale: f64,
        theta: f64,
        rng: &mut SplitMix64,
    ) -> usize {
        let n = level.node_count();
        let k = &level.strength;
        self.part.clear();
        self.part.extend(0..n as u32);
        self.tot.clear();
        self.tot.extend_from_slice(k);
        self.size.clear();
        self.size.resize(n, 1);
        self.comm_tot.clear();
        self.comm_tot.resize(count, 0.0);
        for (u, &c) in comm.iter().enumerate() {
            self.comm_tot[c as usize] += k[u];
        }
        // A singleton's tie strength to the rest of its community.
        self.ext.clear();
        self.ext.extend((0..n).map(|u| {
            (level.offsets[u]..level.offsets[u + 1])
                .filter(|&i| comm[level.targets[i] as usize] == comm[u])
                .map(|i| level.weights[i])
                .sum::<f64>()
        }));
        self.to_part.clear();
        self.to_part.resize(n, 0.0);
        self.order.clear();
        self.order.extend(0..n as u32);
        rng.shuffle(&mut self.order);
        for idx in 0..n {
            let v = self.order[idx] as usize;
            let own = self.part[v];
            if self.size[own as usize] != 1 {
                continue; // another node joined v: v is no longer alone
            }
            let total = self.comm_tot[comm[v] as usize];
            // Only a node well connected to the rest of its community moves.
            if self.ext[v] < scale * k[v] * (total - k[v]) {
                continue;
            }
            let (lo, hi) = (level.offsets[v], level.offsets[v + 1]);
            for i in lo..hi {
                let u = level.targets[i] as usize;
                if comm[u] != comm[v] {
                    continue;
                }
                let r = self.part[u];
                if self.to_part[r as usize] == 0.0 {
                    self.touched.push(r);
                }
                self.to_part[r as usize] += level.weights[i];
            }
            // Candidates: staying alone (gain 0) and every well-connected part that does not
            // lower the modularity; chosen with probability ∝ exp(gain / θ).
            self.gains.clear();
            let mut best = 0.0_f64;
            for &r in &self.touched {
                let r = r as usize;
                let well = self.ext[r] >= scale * self.tot[r] * (total - self.tot[r]);
                let gain = self.to_part[r] - scale * k[v] * self.tot[r];
                let gain = if well && gain >= 0.0 { gain } else { -1.0 };
                best = best.max(gain);
                self.gains.push(gain);
            }
            // Subtracting the best gain keeps exp() finite; staying has gain 0.
            let weight = |g: f64| {
                if g < 0.0 {
                    0.0
                } else {
                    ((g - best) / theta).exp()
                }
            };
            let mut sum = weight(0.0);
            for &g in &self.gains {
                sum += weight(g);
            }
            let mut pick = rng.uniform() * sum - weight(0.0);
            let mut chosen = own;
            if pick >= 0.0 {
                for (j, &g) in self.gains.iter().enumerate() {
                    let w = weight(g);
                    if w > 0.0 {
                        chosen = self.touched[j];
                        pick -= w;
                        if pick < 0.0 {
                            break;
                        }
                    }
                }
            }
            if chosen != own {
                let c = chosen as usize;
                let to = self.to_part[c];
                self.ext[c] += self.ext[v] - 2.0 * to;
                self.tot[c] += k[v];
                self.size[c] += 1;
                self.size[own as usize] = 0;
                self.part[v] = chosen;
            }
            for &r in &self.touched {
                self.to_part[r as usize] = 0.0;
            }
            self.touched.clear();
        }
        renumber(&mut self.part)
    }
}
