//! Sampled node betweenness with a guaranteed error bound (Riondato & Kornaropoulos 2016), for
//! networks where exact betweenness — one search per node — takes hours.

use crate::network::Csr;
use crate::{AlgorithmError, Network, Scores};

use super::betweenness::check_threads;

/// How [`betweenness_sampled`] samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampledParams {
    /// ε, in (0, 1): the largest error allowed on any node's normalised score.
    pub epsilon: f64,
    /// δ, in (0, 1): the probability allowed that some node's error exceeds ε.
    pub delta: f64,
    /// Seeds the pseudo-random generator: the same seed gives the same result, on any number
    /// of threads.
    pub seed: u64,
    /// Worker threads, at least 1 (1 = sequential, on the calling thread).
    pub threads: usize,
}

impl Default for SampledParams {
    /// ε = 0.01, δ = 0.1, seed 0, one thread.
    fn default() -> Self {
        SampledParams {
            epsilon: 0.01,
            delta: 0.1,
            seed: 0,
            threads: 1,
        }
    }
}

/// Estimated betweenness and the guarantee that comes with it.
#[derive(Debug, Clone)]
pub struct SampledBetweenness {
    /// Per node, an estimate of NetworkX's normalised betweenness
    /// (`betweenness_centrality(G, normalized=True)`, by hops).
    pub scores: Scores,
    /// With probability at least `1 − delta`, every score is within `epsilon` of the exact one.
    pub epsilon: f64,
    /// See `epsilon`.
    pub delta: f64,
    /// Node pairs sampled (one shortest path each).
    pub samples: usize,
    /// The upper bound on the vertex diameter (the most nodes on any shortest path) the sample
    /// size was computed from: at most twice the true value plus one.
    pub vertex_diameter_bound: usize,
}

/// The constant `c` of the sample size. Riondato & Kornaropoulos use 0.5, the estimate of
/// Löffler & Phillips (2009) for the universal constant of ε-approximations; the theorem holds
/// for *some* universal constant, so the guarantee rests on that estimate (networkit defaults
/// to 1.0, twice the samples, for that reason).
const C: f64 = 0.5;

/// Sampled node betweenness by hops, every node's score within `epsilon` of NetworkX's
/// normalised betweenness with probability at least `1 − delta`.
///
/// Reference: M. Riondato & E. M. Kornaropoulos (2016), "Fast approximation of betweenness
/// centrality through sampling", *Data Mining and Knowledge Discovery* 30(2). Draws
/// `r = ⌈(c/ε′²)(⌊log₂(VD − 2)⌋ + 1 + ln(1/δ))⌉` ordered pairs `(s, t)`, `s ≠ t`, uniformly,
/// with `c = 0.5`, `VD` an upper bound on the vertex diameter (the two largest hop distances
/// from one node of each component, plus one: at most twice the true value plus one), and
/// `ε′ = ε (n − 2)/n` because NetworkX's normalisation divides by `(n − 1)(n − 2)` ordered pairs,
/// not `n(n − 1)`. For each pair one shortest path is chosen uniformly among all of them by a
/// balanced bidirectional breadth-first search (expand the side whose frontier has fewer
/// edges, as KADABRA does: Borassi & Natale 2016) and a random walk back to both ends weighted
/// by path counts; every node inside it gains `1/r`. Scores are then scaled by `n/(n − 2)`.
///
/// Arguments: [`SampledParams`]. Ties count as hops (the guarantee is for hop-shortest paths).
/// Every pair `(s, t)` gets its own generator, seeded from `seed` and the pair's index, and
/// counts are integers: the result depends on `seed` alone, never on `threads`.
///
/// Returns the scores and their bound. A network whose shortest paths have no inner node
/// (`VD < 3`, or fewer than 3 nodes) scores 0 everywhere, exactly, with no samples.
///
/// Errors: [`AlgorithmError::BadParameter`] naming `epsilon` or `delta` outside (0, 1), or
/// `threads` = 0.
///
/// Complexity: O(|V| + |E|) for the bound, then `r` searches, each O(|V| + |E|) at worst but
/// touching far less on small-world networks (≈ √|E| edges per side); O(threads · |V| + |E|)
/// memory. `r` does not grow with the network, only with log VD.
///
/// ```
/// use labgraph_analytics::algo::{betweenness_sampled, SampledParams};
/// use labgraph_analytics::read_edge_list_str;
/// // A path a – b – c: every a…c path passes b; the pairs with b as an end do not count.
/// let net = read_edge_list_str("path", "a b\nb c\n")?;
/// let params = SampledParams { epsilon: 0.1, delta: 0.1, ..SampledParams::default() };
/// let sampled = betweenness_sampled(&net, &params)?;
/// // VD bound: from a, distances 1 and 2, so 2 + 1 + 1 = 4 nodes; r = ⌈(0.5/(0.1/3)²)(1 + 1 + ln 10)⌉.
/// assert_eq!(sampled.vertex_diameter_bound, 4);
/// assert_eq!(sampled.samples, 1937);
/// // Each sampled pair is (a, c) or (c, a) with probability 1/3, then scaled by n/(n − 2) = 3.
/// assert!((sampled.scores.get("b").unwrap_or(0.0) - 1.0).abs() <= 0.1);
/// assert_eq!(sampled.scores.get("a"), Some(0.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn betweenness_sampled(
    network: &Network,
    params: &SampledParams,
) -> Result<SampledBetweenness, AlgorithmError> {
    let SampledParams {
        epsilon,
        delta,
        seed,
        threads,
    } = *params;
    for (name, value) in [("epsilon", epsilon), ("delta", delta)] {
        // Written so that NaN fails too.
        if !(value > 0.0 && value < 1.0) {
            return Err(AlgorithmError::BadParameter {
                name,
                value,
                expected: "strictly between 0 and 1",
            });
        }
    }
    let threads = check_threads(threads)?;
    let csr = &network.csr;
    let n = csr.node_count();
    let vd = vertex_diameter_bound(csr);
    let zero = |vd| SampledBetweenness {
        scores: network.scores(vec![0.0; n]),
        epsilon,
        delta,
        samples: 0,
        vertex_diameter_bound: vd,
    };
    if n < 3 || vd < 3 {
        return Ok(zero(vd));
    }
    let samples = sample_size(epsilon * (n - 2) as f64 / n as f64, delta, vd);
    let counts = count_inner_nodes(csr, samples, seed, threads);
    let scale = n as f64 / ((n - 2) as f64 * samples as f64);
    let values = counts.into_iter().map(|c| c as f64 * scale).collect();
    Ok(SampledBetweenness {
        scores: network.scores(values),
        epsilon,
        delta,
        samples,
        vertex_diameter_bound: vd,
    })
}

/// Riondato & Kornaropoulos's sample size for the ε-approximation (`vd ≥ 3`).
fn sample_size(epsilon: f64, delta: f64, vd: usize) -> usize {
    let vc_bound = ((vd - 2) as f64).log2().floor() + 1.0;
    (C / (epsilon * epsilon) * (vc_bound + (1.0 / delta).ln())).ceil() as usize
}

/// An upper bound on the most nodes on a shortest path: per component, one breadth-first
/// search from its first node `u`; a shortest path between `x` and `y` has at most
/// `d(x, u) + d(u, y)` hops, at most the sum of the two largest distances from `u`.
fn vertex_diameter_bound(csr: &Csr) -> usize {
    let n = csr.node_count();
    let mut dist = vec![u32::MAX; n];
    let mut queue: Vec<u32> = Vec::new();
    let mut best = 0;
    for root in 0..n {
        if dist[root] != u32::MAX {
            continue;
        }
        dist[root] = 0;
        queue.clear();
        queue.push(root as u32);
        let mut head = 0;
        let (mut d1, mut d2) = (0u32, 0u32);
        while head < queue.len() {
            let v = queue[head] as usize;
            head += 1;
            let dv = dist[v];
            if head > 1 {
                // The two largest distances of distinct nodes (the root's 0 aside).
                if dv >= d1 {
                    d2 = d1;
                    d1 = dv;
                } else if dv > d2 {
                    d2 = dv;
                }
            }
            for &w in csr.neighbours(v) {
                if dist[w as usize] == u32::MAX {
                    dist[w as usize] = dv + 1;
                    queue.push(w);
                }
            }
        }
        best = best.max((d1 + d2) as usize + 1);
    }
    best
}

/// Draws `samples` pairs and paths; returns, per node, how many sampled paths it was inside.
fn count_inner_nodes(csr: &Csr, samples: usize, seed: u64, threads: usize) -> Vec<u64> {
    let n = csr.node_count();
    let threads = threads.min(samples).max(1);
    let per = samples.div_ceil(threads);
    let run = |k: usize| -> Vec<u64> {
        let mut counts = vec![0u64; n];
        let mut search = PairSearch::new(n);
        for i in (k * per)..((k + 1) * per).min(samples) {
            let mut rng = SplitMix64::for_sample(seed, i as u64);
            let s = rng.below(n as u64) as usize;
            let mut t = rng.below(n as u64 - 1) as usize;
            if t >= s {
                t += 1;
            }
            search.sample(csr, s, t, &mut rng, &mut counts);
        }
        counts
    };
    if threads == 1 {
        return run(0);
    }
    let parts: Vec<Vec<u64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|k| scope.spawn(move || run(k))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    // Integer counts: the sum is the same in any order.
    let mut total = vec![0u64; n];
    for part in parts {
        total.iter_mut().zip(part).for_each(|(t, p)| *t += p);
    }
    total
}

const UNSEEN: u32 = u32::MAX;

/// One worker's buffers for bidirectional searches, reset after every sample by the list of
/// nodes touched (O(touched), not O(|V|)).
struct PairSearch {
    /// Hops from each end (`UNSEEN` when not reached from that end).
    dist: [Vec<u32>; 2],
    /// Shortest paths from each end.
    sigma: [Vec<f64>; 2],
    frontier: [Vec<u32>; 2],
    next: Vec<u32>,
    /// Nodes reached by both searches at the level where they met.
    meet: Vec<u32>,
    touched: Vec<u32>,
}

impl PairSearch {
    fn new(n: usize) -> PairSearch {
        PairSearch {
            dist: [vec![UNSEEN; n], vec![UNSEEN; n]],
            sigma: [vec![0.0; n], vec![0.0; n]],
            frontier: [Vec::new(), Vec::new()],
            next: Vec::new(),
            meet: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// Picks one shortest `s`–`t` path uniformly (if `t` is reachable) and counts its inner
    /// nodes.
    fn sample(&mut self, csr: &Csr, s: usize, t: usize, rng: &mut SplitMix64, counts: &mut [u64]) {
        for &u in &self.touched {
            let u = u as usize;
            for side in 0..2 {
                self.dist[side][u] = UNSEEN;
                self.sigma[side][u] = 0.0;
            }
        }
        self.touched.clear();
        self.meet.clear();
        let ends = [s, t];
        let mut work = [0usize; 2];
        for side in 0..2 {
            let e = ends[side];
            self.dist[side][e] = 0;
            self.sigma[side][e] = 1.0;
            self.touched.push(e as u32);
            self.frontier[side].clear();
            self.frontier[side].push(e as u32);
            work[side] = csr.degree(e);
        }
        let mut level = [0u32; 2];
        // Balanced: expand the side whose frontier has fewer edges to scan. Invariant: the two
        // balls searched so far are disjoint, so the first level that reaches the other ball
        // finds exactly the nodes at distance level[x] + 1 from x and level[y] from y, every
        // one of which lies on a shortest path.
        loop {
            let x = usize::from(work[1] < work[0]);
            let y = 1 - x;
            if self.frontier[x].is_empty() {
                return; // x's component exhausted: t is not reachable from s.
            }
            let d = level[x] + 1;
            self.next.clear();
            let mut next_work = 0;
            for &u in &self.frontier[x] {
                let u = u as usize;
                let su = self.sigma[x][u];
                for &w in csr.neighbours(u) {
                    let wi = w as usize;
                    let dw = self.dist[x][wi];
                    if dw == UNSEEN {
                        self.dist[x][wi] = d;
                        self.sigma[x][wi] = su;
                        self.next.push(w);
                        self.touched.push(w);
                        next_work += csr.degree(wi);
                        if self.dist[y][wi] != UNSEEN {
                            self.meet.push(w);
                        }
                    } else if dw == d {
                        self.sigma[x][wi] += su;
                    }
                }
            }
            level[x] = d;
            std::mem::swap(&mut self.frontier[x], &mut self.next);
            work[x] = next_work;
            if !self.meet.is_empty() {
                break;
            }
        }
        // A meeting node with probability σ_s(w)·σ_t(w)/σ_st, then back to each end.
        let weight = |w: &u32| self.sigma[0][*w as usize] * self.sigma[1][*w as usize];
        let total: f64 = self.meet.iter().map(weight).sum();
        let mut pick = rng.unit() * total;
        let mut w = self.meet[self.meet.len() - 1] as usize;
        for m in &self.meet {
            pick -= weight(m);
            if pick < 0.0 {
                w = *m as usize;
                break;
            }
        }
        if w != s && w != t {
            counts[w] += 1;
        }
        for side in 0..2 {
            let mut x = w;
            while self.dist[side][x] > 0 {
                x = self.predecessor(csr, side, x, rng);
                if x != s && x != t {
                    counts[x] += 1;
                }
            }
        }
    }

    /// A predecessor `p` of `x` towards `side`'s end, with probability σ(p)/σ(x).
    fn predecessor(&self, csr: &Csr, side: usize, x: usize, rng: &mut SplitMix64) -> usize {
        let (dist, sigma) = (&self.dist[side], &self.sigma[side]);
        let want = dist[x] - 1;
        let mut pick = rng.unit() * sigma[x];
        let mut last = x;
        for &p in csr.neighbours(x) {
            let p = p as usize;
            if dist[p] == want {
                last = p;
                pick -= sigma[p];
                if pick < 0.0 {
                    return p;
                }
            }
        }
        // Rounding left `pick` a hair above 0: the last predecessor.
        last
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, statistically sound for sampling, and
/// seedable per sample so that results do not depend on how samples are split over threads.
/// Why not the `rand` crates: one generator and two draws are all this needs.
#[derive(Debug, Clone)]
struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

    /// The generator of sample `i`: the seed and the index, mixed, as the starting state.
    fn for_sample(seed: u64, i: u64) -> SplitMix64 {
        SplitMix64 {
            state: mix(seed ^ mix(i.wrapping_add(Self::GAMMA))),
        }
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(Self::GAMMA);
        mix(self.state)
    }

    /// Uniform in `0..n` (`n > 0`), without modulo bias (Lemire 2019, "Fast random integer
    /// generation in an interval").
    fn below(&mut self, n: u64) -> u64 {
        let mut m = u128::from(self.next()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }

    /// Uniform in [0, 1), 53 random bits.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// SplitMix64's output function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
