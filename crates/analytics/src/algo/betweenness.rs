//! Exact betweenness centrality (Brandes 2001) of nodes and of ties, by hops or by tie length,
//! on one thread or several.
//!
//! Why this file does more than the textbook loop: exact betweenness is one shortest-path
//! search per source, |V| searches in all, so the constant per edge decides whether a 10k-node
//! network takes two seconds or ten. The network is relabelled once per call (breadth-first
//! order, so neighbours sit close in memory and every component is a contiguous range); the
//! breadth-first searches are direction-optimising (Beamer, Asanović & Patterson 2012: a level
//! is expanded from the frontier or gathered from the unvisited side, whichever has fewer
//! edges to scan), record the shortest-path DAG as they go so the accumulation touches DAG
//! edges only, and accumulate by pulling `(1 + δ) / σ` from successors; a node of degree 1
//! is never a source (its dependencies are its neighbour's, added once more). By hops, on
//! networks where it pays (small-world ones; see `Layout::batching_pays`), 64 sources are
//! searched at once instead (multi-source BFS, Then et al. 2014; the `batched` module): one
//! row scan per level serves every source of the batch, 2.6× faster than the one-source
//! searches on BA 10k. Sources (or batches) are split over `std::thread::scope` workers in
//! fixed interleaved chunks, each with its own buffers; the per-worker sums are added in
//! worker order, so a given thread count always gives the same bits.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use labgraph_domain::Id;

use crate::{AlgorithmError, Network, PathWeights, Scores};

use super::shortest::Entry;

mod batched;

/// How exact betweenness ([`betweenness_with`], [`edge_betweenness_with`]) runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BetweennessParams {
    /// Hops (breadth-first search) or tie lengths (Dijkstra); see [`PathWeights`].
    pub weights: PathWeights,
    /// Divide by the number of pairs as NetworkX's `normalized=True` does (see [`betweenness`]
    /// and [`edge_betweenness`] for the divisor); otherwise each unordered pair counts once.
    pub normalized: bool,
    /// Worker threads, at least 1 (1 = sequential, on the calling thread). The result does not
    /// depend on it beyond the order of floating-point additions (≈ 1e-15 relative).
    pub threads: usize,
}

impl Default for BetweennessParams {
    /// Hops, normalised (NetworkX's defaults), one thread.
    fn default() -> Self {
        BetweennessParams {
            weights: PathWeights::Hops,
            normalized: true,
            threads: 1,
        }
    }
}

/// Exact node betweenness: for every node `v`, the share of shortest paths between pairs of
/// other nodes that pass through `v`, summed over the pairs. One thread; see
/// [`betweenness_with`] for several.
///
/// Reference: U. Brandes (2001), "A faster algorithm for betweenness centrality", *Journal of
/// Mathematical Sociology* 25(2). One breadth-first search (`PathWeights::Hops`) or Dijkstra
/// search (`PathWeights::InverseStrength`, tie length `1 / strength`; `PathWeights::Length`)
/// per source, then the dependency accumulation in reverse order of distance. Two paths are
/// equally short when their lengths, summed edge by edge from the source, are equal `f64`s,
/// as in NetworkX. By hops on small-world networks the searches run 64 sources at a time as
/// one multi-source breadth-first search, one bit per source in a `u64` per node: M. Then,
/// M. Kaufmann, F. Chirigati, T.-A. Hoang-Vu, K. Pham, A. Kemper, T. Neumann & H. T. Vo
/// (2014), "The More the Merrier: Efficient Multi-Source Graph Traversal", *PVLDB* 8(4); the
/// same sums per source, added in another order (≈ 1e-15 relative).
///
/// Arguments: `normalized` divides by the number of ordered pairs of other nodes,
/// `(n − 1)(n − 2)`, exactly as NetworkX's `betweenness_centrality(G, normalized=True)` does
/// for undirected graphs (a star's centre scores 1); without it, each unordered pair counts
/// once. With fewer than three nodes every score is 0 either way.
///
/// Returns a score per node. Complexity: O(|V||E|) time by hops, O(|V||E| + |V|² log |V|)
/// with weights. By hops, batched: O(|V|/64 · L · |E|) word operations for the searches'
/// bitmasks (L the levels of a batch, at most the diameter + 1) plus O(1) per shortest-path
/// DAG edge and source, O(|V||E|) in all; O(|V| + |E|) memory one source at a time, 512 bytes
/// per node more when batched.
///
/// ```
/// use labgraph_analytics::{algo::betweenness, read_edge_list_str, PathWeights};
/// // a – b – c, and a – d – c with a strong b-side: two hop-shortest a…c paths.
/// let net = read_edge_list_str("square", "a b 2\nb c 2\na d\nd c\n")?;
/// let hops = betweenness(&net, PathWeights::Hops, true);
/// assert_eq!(hops.get("b"), Some(1.0 / 6.0)); // half of the a–c pair, over (4−1)(4−2)/2 pairs
/// let weighted = betweenness(&net, PathWeights::InverseStrength, true);
/// assert_eq!(weighted.get("b"), Some(1.0 / 3.0)); // a–b–c (length 1) beats a–d–c (length 2)
/// assert_eq!(weighted.get("d"), Some(0.0));
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn betweenness(network: &Network, weights: PathWeights, normalized: bool) -> Scores {
    node_betweenness(network, weights, normalized, 1, Sweep::Fastest)
}

/// Exact node betweenness on `params.threads` threads: [`betweenness`] with the sources split
/// over worker threads (reference, result and normalisation as there).
///
/// Errors: [`AlgorithmError::BadParameter`] naming `threads` when it is 0.
///
/// Complexity: O(|V||E|) time by hops (O(|V||E| + |V|² log |V|) with weights) divided over
/// the threads; O(threads · (|V| + |E|)) memory, each worker keeping its own buffers (batched
/// by hops, 512 bytes per node and worker more; see [`betweenness`]).
///
/// ```
/// use labgraph_analytics::algo::{betweenness_with, BetweennessParams};
/// use labgraph_analytics::read_edge_list_str;
/// // A path a – b – c – d: b lies on a–c and a–d, 2 of the 3 pairs without it.
/// let net = read_edge_list_str("path", "a b\nb c\nc d\n")?;
/// let params = BetweennessParams { threads: 2, ..BetweennessParams::default() };
/// let bc = betweenness_with(&net, &params)?;
/// assert_eq!(bc.get("b"), Some(2.0 / 3.0));
/// assert_eq!(bc.get("a"), Some(0.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn betweenness_with(
    network: &Network,
    params: &BetweennessParams,
) -> Result<Scores, AlgorithmError> {
    let threads = check_threads(params.threads)?;
    Ok(node_betweenness(
        network,
        params.weights,
        params.normalized,
        threads,
        Sweep::Fastest,
    ))
}

/// Exact tie (edge) betweenness: for every tie, the share of shortest paths between pairs of
/// nodes that use it, summed over the pairs. One thread; see [`edge_betweenness_with`].
///
/// Reference: Brandes (2001), as [`betweenness`]; Girvan & Newman (2002), "Community structure
/// in social and biological networks", *PNAS* 99(12), for the measure. `normalized` divides by
/// `n(n − 1)`, as NetworkX's `edge_betweenness_centrality(G, normalized=True)`; without it
/// each unordered pair counts once.
///
/// Returns every tie once as `(a, b, score)`, `a` before `b` in the network's order.
/// Complexity as [`betweenness`].
///
/// ```
/// use labgraph_analytics::{algo::edge_betweenness, read_edge_list_str, PathWeights};
/// let net = read_edge_list_str("path", "a b\nb c\n")?;
/// let eb = edge_betweenness(&net, PathWeights::Hops, false);
/// let ab = eb.iter().find(|(a, b, _)| (a.as_str(), b.as_str()) == ("a", "b")).map(|e| e.2);
/// assert_eq!(ab, Some(2.0)); // the pairs a–b and a–c
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn edge_betweenness(
    network: &Network,
    weights: PathWeights,
    normalized: bool,
) -> Vec<(Id, Id, f64)> {
    tie_betweenness(network, weights, normalized, 1, Sweep::Fastest)
}

/// Exact tie betweenness on `params.threads` threads: [`edge_betweenness`] with the sources
/// split over worker threads (reference, result and normalisation as there).
///
/// Errors: [`AlgorithmError::BadParameter`] naming `threads` when it is 0.
///
/// Complexity as [`betweenness_with`]; each worker keeps a score per tie.
///
/// ```
/// use labgraph_analytics::algo::{edge_betweenness_with, BetweennessParams};
/// use labgraph_analytics::read_edge_list_str;
/// // A star: every pair with the centre uses one tie; a–b, a–c use the a-tie too.
/// let net = read_edge_list_str("star", "o a\no b\no c\n")?;
/// let params = BetweennessParams { normalized: false, threads: 2, ..Default::default() };
/// let eb = edge_betweenness_with(&net, &params)?;
/// assert!(eb.iter().all(|&(_, _, x)| x == 3.0)); // o–a, a–b, a–c
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn edge_betweenness_with(
    network: &Network,
    params: &BetweennessParams,
) -> Result<Vec<(Id, Id, f64)>, AlgorithmError> {
    let threads = check_threads(params.threads)?;
    Ok(tie_betweenness(
        network,
        params.weights,
        params.normalized,
        threads,
        Sweep::Fastest,
    ))
}

/// `threads` must be at least 1.
pub(crate) fn check_threads(threads: usize) -> Result<usize, AlgorithmError> {
    if threads == 0 {
        return Err(AlgorithmError::BadParameter {
            name: "threads",
            value: 0.0,
            expected: "at least 1 (1 = sequential)",
        });
    }
    Ok(threads)
}

/// Which sweep [`Layout::sweep`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sweep {
    /// By hops, batched multi-source searches where [`Layout::batching_pays`], otherwise one
    /// source at a time; one source at a time with weights.
    Fastest,
    /// Batched by hops whatever the network (tests).
    #[cfg_attr(not(test), allow(dead_code))]
    Batched,
    /// One source at a time in every case: the reference the batched sweep is tested against.
    #[cfg_attr(not(test), allow(dead_code))]
    OneByOne,
}

fn node_betweenness(
    network: &Network,
    weights: PathWeights,
    normalized: bool,
    threads: usize,
    sweep: Sweep,
) -> Scores {
    let n = network.node_count();
    let layout = Layout::new(network, weights);
    let mut bc = layout.sweep::<false>(threads, sweep);
    // Leaves that were not sources: each puts the c − 2 other nodes of its component behind
    // its neighbour.
    for (u, &m) in layout.mult.iter().enumerate() {
        let leaves = m - 1.0;
        if leaves > 0.0 {
            bc[u] += leaves * (layout.component_size(u) as f64 - 2.0);
        }
    }
    // Every unordered pair was counted from both of its ends.
    let scale = if n < 3 {
        1.0
    } else if normalized {
        1.0 / ((n - 1) * (n - 2)) as f64
    } else {
        0.5
    };
    let values = (0..n)
        .map(|old| bc[layout.new_of[old] as usize] * scale)
        .collect();
    network.scores(values)
}

fn tie_betweenness(
    network: &Network,
    weights: PathWeights,
    normalized: bool,
    threads: usize,
    sweep: Sweep,
) -> Vec<(Id, Id, f64)> {
    let csr = &network.csr;
    let n = csr.node_count();
    let layout = Layout::new(network, weights);
    // One slot per stored direction (of the relabelled rows); the halves are added below.
    let mut eb = layout.sweep::<true>(threads, sweep);
    // A leaf that was not a source reaches the c − 1 other nodes of its component over its
    // tie; its neighbour's search, counted once more for it, gave that tie 1 of them.
    for v in 0..n {
        if layout.mult[v] == 0.0 {
            let slot = layout.offsets[v];
            eb[slot] += layout.component_size(v) as f64 - 2.0;
        }
    }
    let scale = if n < 2 {
        1.0
    } else if normalized {
        1.0 / (n * (n - 1)) as f64
    } else {
        0.5
    };
    let mut out = Vec::with_capacity(csr.edge_count());
    for u in 0..n {
        for &v in csr.neighbours(u) {
            let v = v as usize;
            if u < v {
                let (a, b) = (layout.new_of[u] as usize, layout.new_of[v] as usize);
                let total = eb[layout.slot(a, b)] + eb[layout.slot(b, a)];
                out.push((network.id(u).clone(), network.id(v).clone(), total * scale));
            }
        }
    }
    out
}

/// Sources per chunk handed to a worker: large enough that a worker's chunks are long runs of
/// nearby (relabelled) sources, small enough to balance components of different sizes.
const CHUNK: usize = 64;

/// Batched searches run when a probe batch reaches nodes with at least this many sources per
/// (node, level) on average (see [`Layout::batching_pays`]): the break-even lies between the
/// grid's 2.4 and BA's 24; 8 keeps clear of the side where batching loses.
const MIN_SHARING: f64 = 8.0;

/// Nodes × threads above which the batched buffers (512 bytes per node per worker) would pass
/// 256 MiB; such networks are searched one source at a time (in O(|V| + |E|) per worker).
const MAX_BATCHED_NODES: usize = 1 << 19;

/// The network relabelled for the sweep, with what every source's search needs.
struct Layout {
    /// Relabelled CSR: rows in breadth-first order, each row sorted.
    offsets: Vec<usize>,
    targets: Vec<u32>,
    /// Tie lengths at the same positions (empty by hops), computed once as
    /// [`PathWeights`] defines them.
    lengths: Vec<f64>,
    weights: PathWeights,
    /// New position of each original node.
    new_of: Vec<u32>,
    /// Component of each (new) node; components are contiguous ranges of new positions.
    component: Vec<u32>,
    /// Per component: first and one-past-last new position, and the sum of degrees.
    components: Vec<(usize, usize, usize)>,
    /// How many times a node's search counts as a source: 0 for a leaf that is skipped,
    /// 1 + its skipped leaves otherwise. Always 1 with weights (see `Layout::new`).
    mult: Vec<f64>,
}

impl Layout {
    fn new(network: &Network, weights: PathWeights) -> Layout {
        let csr = &network.csr;
        let n = csr.node_count();
        // Breadth-first order from the highest-degree node of each component (degree order
        // among the newly found): hubs and their neighbourhoods get nearby positions.
        let mut by_degree: Vec<u32> = (0..n as u32).collect();
        by_degree.sort_by_key(|&u| std::cmp::Reverse(csr.degree(u as usize)));
        let mut old_of: Vec<u32> = Vec::with_capacity(n);
        let mut seen = vec![false; n];
        let mut components = Vec::new();
        let mut found: Vec<u32> = Vec::new();
        for &root in &by_degree {
            if seen[root as usize] {
                continue;
            }
            seen[root as usize] = true;
            let lo = old_of.len();
            old_of.push(root);
            let mut head = lo;
            let mut degree_sum = 0;
            while head < old_of.len() {
                let v = old_of[head] as usize;
                head += 1;
                degree_sum += csr.degree(v);
                found.clear();
                found.extend(csr.neighbours(v).iter().filter(|&&w| !seen[w as usize]));
                found.sort_by_key(|&w| std::cmp::Reverse(csr.degree(w as usize)));
                for &w in &found {
                    seen[w as usize] = true;
                    old_of.push(w);
                }
            }
            components.push((lo, old_of.len(), degree_sum));
        }
        let mut new_of = vec![0u32; n];
        for (new, &old) in old_of.iter().enumerate() {
            new_of[old as usize] = new as u32;
        }
        let mut component = vec![0u32; n];
        for (c, &(lo, hi, _)) in components.iter().enumerate() {
            component[lo..hi].fill(c as u32);
        }
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut targets = Vec::with_capacity(csr.targets.len());
        let by_hops = weights == PathWeights::Hops;
        let mut lengths = Vec::with_capacity(if by_hops { 0 } else { csr.targets.len() });
        let mut row: Vec<(u32, f64)> = Vec::new();
        for &old in &old_of {
            row.clear();
            row.extend(
                csr.weighted(old as usize)
                    .map(|(w, s)| (new_of[w], length(weights, s))),
            );
            row.sort_by_key(|&(w, _)| w);
            targets.extend(row.iter().map(|&(w, _)| w));
            if !by_hops {
                lengths.extend(row.iter().map(|&(_, l)| l));
            }
            offsets.push(targets.len());
        }
        // Degree-1 shortcut, by hops only: with lengths, a leaf's distances are sums formed in
        // another order than its neighbour's, and equal-length ties must be decided exactly as
        // a search from the leaf would decide them.
        let mut mult = vec![1.0; n];
        if by_hops {
            for v in 0..n {
                if offsets[v + 1] - offsets[v] == 1 {
                    let u = targets[offsets[v]] as usize;
                    // Two leaves tied only to each other: both stay sources.
                    if offsets[u + 1] - offsets[u] > 1 {
                        mult[v] = 0.0;
                        mult[u] += 1.0;
                    }
                }
            }
        }
        Layout {
            offsets,
            targets,
            lengths,
            weights,
            new_of,
            component,
            components,
            mult,
        }
    }

    fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }

    #[inline]
    fn row(&self, u: usize) -> &[u32] {
        &self.targets[self.offsets[u]..self.offsets[u + 1]]
    }

    #[inline]
    fn degree(&self, u: usize) -> usize {
        self.offsets[u + 1] - self.offsets[u]
    }

    fn component_size(&self, u: usize) -> usize {
        let (lo, hi, _) = self.components[self.component[u] as usize];
        hi - lo
    }

    /// The position of `b` in `a`'s row (they must be tied).
    fn slot(&self, a: usize, b: usize) -> usize {
        self.offsets[a] + self.row(a).partition_point(|&t| (t as usize) < b)
    }

    /// Runs every source's search and accumulation; returns the dependency sums per node
    /// (`EDGES = false`) or per stored tie direction (`EDGES = true`), counted from both ends
    /// of every pair, before the leaves' extra terms. By hops the sources go in batches of
    /// [`batched::LANES`] (see [`batched`]); with weights one at a time.
    fn sweep<const EDGES: bool>(&self, threads: usize, sweep: Sweep) -> Vec<f64> {
        let sources = self.sources();
        let batched = self.weights == PathWeights::Hops
            && match sweep {
                Sweep::Fastest => self.batching_pays(&sources, threads),
                Sweep::Batched => true,
                Sweep::OneByOne => false,
            };
        if batched {
            self.sweep_batched::<EDGES>(&sources, threads)
        } else {
            self.sweep_one_by_one::<EDGES>(threads)
        }
    }

    /// The nodes that are sources (`mult > 0`), in relabelled order.
    fn sources(&self) -> Vec<u32> {
        (0..self.node_count() as u32)
            .filter(|&s| self.mult[s as usize] > 0.0)
            .collect()
    }

    /// Whether batched searches beat one source at a time here. They pay when a batch's
    /// searches overlap: on a small-world network a node is reached by many of a batch's
    /// sources at the same level, so one row scan serves them all (BA 10k: 24 sources per
    /// (node, level) on average, 2.6× faster than one at a time); on a long path or a grid the
    /// levels hardly coincide (1 and 2.4 sources: 2.2× and 1.4× slower, measured 2026-11-26).
    /// So one batch from the middle of the sources is searched as a probe, and the batched
    /// sweep runs when it shares at least [`MIN_SHARING`] sources per (node, level), and its
    /// buffers (512 bytes per node and worker) stay under 256 MiB.
    fn batching_pays(&self, sources: &[u32], threads: usize) -> bool {
        let n = self.node_count();
        if n.saturating_mul(threads) > MAX_BATCHED_NODES {
            return false;
        }
        let batches = sources.len().div_ceil(batched::LANES);
        let Some(probe) = sources.chunks(batched::LANES).nth(batches / 2) else {
            return false;
        };
        batched::Batcher::new(n).sharing(self, probe) >= MIN_SHARING
    }

    /// [`Layout::sweep`] by multi-source searches: the sources (nodes with `mult > 0`, in
    /// relabelled order, so a batch's sources are near each other and their levels overlap)
    /// in consecutive batches, batch `k` on worker `k mod threads`.
    fn sweep_batched<const EDGES: bool>(&self, sources: &[u32], threads: usize) -> Vec<f64> {
        let n = self.node_count();
        let out_len = if EDGES { self.targets.len() } else { n };
        let batches: Vec<&[u32]> = sources.chunks(batched::LANES).collect();
        in_workers(threads, batches.len(), out_len, |first, stride, out| {
            let mut batcher = batched::Batcher::new(n);
            for batch in batches.iter().skip(first).step_by(stride) {
                batcher.batch::<EDGES>(self, batch, out);
            }
        })
    }

    /// [`Layout::sweep`] one source at a time (every source by weights; by hops, the reference
    /// the batched sweep is tested against).
    fn sweep_one_by_one<const EDGES: bool>(&self, threads: usize) -> Vec<f64> {
        let n = self.node_count();
        let out_len = if EDGES { self.targets.len() } else { n };
        let chunks = n.div_ceil(CHUNK);
        in_workers(threads, chunks, out_len, |first, stride, out| {
            let mut searcher = Searcher::new(self);
            let mut chunk = first;
            while chunk < chunks {
                for s in chunk * CHUNK..((chunk + 1) * CHUNK).min(n) {
                    let mult = self.mult[s];
                    if mult > 0.0 {
                        searcher.source::<EDGES>(self, s, mult, out);
                    }
                }
                chunk += stride;
            }
        })
    }
}

/// Runs `work(k, workers, out)` for worker `k` of `min(threads, units)` (at least one), each
/// with its own `out` of `out_len` zeros, and returns the sum of the `out`s added in worker
/// order, so a thread count always gives the same sums.
fn in_workers<F>(threads: usize, units: usize, out_len: usize, work: F) -> Vec<f64>
where
    F: Fn(usize, usize, &mut [f64]) + Sync,
{
    let threads = threads.min(units).max(1);
    let run = |k: usize| {
        let mut out = vec![0.0; out_len];
        work(k, threads, &mut out);
        out
    };
    if threads == 1 {
        return run(0);
    }
    let run = &run;
    let parts: Vec<Vec<f64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|k| scope.spawn(move || run(k))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut parts = parts.into_iter();
    let mut total = parts.next().unwrap_or_else(|| vec![0.0; out_len]);
    for part in parts {
        total.iter_mut().zip(part).for_each(|(t, p)| *t += p);
    }
    total
}

/// The length of a tie of strength `s`.
#[inline]
fn length(weights: PathWeights, s: f64) -> f64 {
    match weights {
        PathWeights::Hops => 1.0,
        PathWeights::InverseStrength => 1.0 / s,
        PathWeights::Length => s,
    }
}

/// One worker's buffers, reused for every source it searches from.
struct Searcher {
    /// Hops from the source (`UNSEEN` when not reached); by hops only.
    hops: Vec<u32>,
    /// Length from the source (∞ when not reached); with weights only.
    dist: Vec<f64>,
    /// Shortest paths from the source.
    sigma: Vec<f64>,
    /// `(1 + δ) / σ` once a node's dependency is final.
    t: Vec<f64>,
    /// Sum of `t` pushed from successors that recorded their predecessors (bottom-up levels).
    acc: Vec<f64>,
    /// Reached nodes in order of distance; `queue[..len]`.
    queue: Vec<u32>,
    /// The shortest-path DAG: per reached node (by queue position) its successors (recorded
    /// when its level was expanded top-down) and its predecessors (recorded when it was found
    /// bottom-up), as ranges of `succ` and `pred`. Entries are node positions for node
    /// betweenness, positions within the owner's row for tie betweenness.
    succ: Vec<u32>,
    pred: Vec<u32>,
    succ_range: Vec<(usize, usize)>,
    pred_range: Vec<(usize, usize)>,
    /// Unreached nodes of the source's component, once a level has been gathered bottom-up.
    unvisited: Vec<u32>,
    settled: Vec<bool>,
    heap: BinaryHeap<Entry>,
}

const UNSEEN: u32 = u32::MAX;

impl Searcher {
    fn new(layout: &Layout) -> Searcher {
        let n = layout.node_count();
        let by_hops = layout.weights == PathWeights::Hops;
        let (hn, wn) = if by_hops { (n, 0) } else { (0, n) };
        Searcher {
            hops: vec![UNSEEN; hn],
            dist: vec![f64::INFINITY; wn],
            sigma: vec![0.0; n],
            t: vec![0.0; n],
            acc: vec![0.0; hn],
            queue: Vec::with_capacity(n),
            succ: Vec::new(),
            pred: Vec::new(),
            succ_range: vec![(0, 0); hn],
            pred_range: vec![(0, 0); hn],
            unvisited: Vec::new(),
            settled: vec![false; wn],
            heap: BinaryHeap::new(),
        }
    }

    /// Searches from `s` and adds `mult` times its dependencies to `out`.
    fn source<const EDGES: bool>(&mut self, layout: &Layout, s: usize, mult: f64, out: &mut [f64]) {
        if layout.weights == PathWeights::Hops {
            self.bfs::<EDGES>(layout, s);
            self.accumulate_bfs::<EDGES>(layout, mult, out);
        } else {
            self.dijkstra(layout, s);
            self.accumulate_dijkstra::<EDGES>(layout, mult, out);
        }
    }

    /// Direction-optimising breadth-first search from `s`: shortest-path counts and the DAG.
    fn bfs<const EDGES: bool>(&mut self, layout: &Layout, s: usize) {
        for &u in &self.queue {
            let u = u as usize;
            self.hops[u] = UNSEEN;
            self.sigma[u] = 0.0;
            self.acc[u] = 0.0;
        }
        self.queue.clear();
        self.succ.clear();
        self.pred.clear();
        let (lo, hi, degree_sum) = layout.components[layout.component[s] as usize];
        self.hops[s] = 0;
        self.sigma[s] = 1.0;
        self.queue.push(s as u32);
        self.pred_range[0] = (0, 0);
        let mut level_start = 0;
        let mut d = 0u32;
        // Degree sums: of the current level, and of everything reached so far.
        let mut frontier_degrees = layout.degree(s);
        let mut reached_degrees = frontier_degrees;
        let mut gathered = false;
        while level_start < self.queue.len() {
            let level_end = self.queue.len();
            let unvisited_degrees = degree_sum - reached_degrees;
            if unvisited_degrees == 0 {
                // The whole component is reached: the last level has no successors.
                self.succ_range[level_start..level_end].fill((0, 0));
                break;
            }
            let mut next_degrees = 0;
            if unvisited_degrees < frontier_degrees {
                // Bottom-up: fewer edges to scan from the unreached side. Every predecessor
                // must be found (σ sums them all), so whole rows are scanned.
                if gathered {
                    let hops = &self.hops;
                    self.unvisited.retain(|&w| hops[w as usize] == UNSEEN);
                } else {
                    self.unvisited.clear();
                    self.unvisited.extend(
                        (lo as u32..hi as u32).filter(|&w| self.hops[w as usize] == UNSEEN),
                    );
                    gathered = true;
                }
                self.succ_range[level_start..level_end].fill((0, 0));
                let mut keep = 0;
                for j in 0..self.unvisited.len() {
                    let w = self.unvisited[j] as usize;
                    let first = self.pred.len();
                    let mut paths = 0.0;
                    for (i, &v) in layout.row(w).iter().enumerate() {
                        if self.hops[v as usize] == d {
                            paths += self.sigma[v as usize];
                            self.pred.push(if EDGES { i as u32 } else { v });
                        }
                    }
                    if self.pred.len() > first {
                        self.hops[w] = d + 1;
                        self.sigma[w] = paths;
                        self.pred_range[self.queue.len()] = (first, self.pred.len());
                        self.queue.push(w as u32);
                        next_degrees += layout.degree(w);
                    } else {
                        self.unvisited[keep] = w as u32;
                        keep += 1;
                    }
                }
                self.unvisited.truncate(keep);
            } else {
                // Top-down: expand the level, recording each node's successors.
                for h in level_start..level_end {
                    let v = self.queue[h] as usize;
                    let first = self.succ.len();
                    let sv = self.sigma[v];
                    for (i, &w) in layout.row(v).iter().enumerate() {
                        let wi = w as usize;
                        let hw = self.hops[wi];
                        if hw == UNSEEN {
                            self.hops[wi] = d + 1;
                            self.sigma[wi] = sv;
                            self.pred_range[self.queue.len()] = (0, 0);
                            self.queue.push(w);
                            next_degrees += layout.degree(wi);
                            self.succ.push(if EDGES { i as u32 } else { w });
                        } else if hw == d + 1 {
                            self.sigma[wi] += sv;
                            self.succ.push(if EDGES { i as u32 } else { w });
                        }
                    }
                    self.succ_range[h] = (first, self.succ.len());
                }
            }
            reached_degrees += next_degrees;
            frontier_degrees = next_degrees;
            level_start = level_end;
            d += 1;
        }
    }

    /// Dependency accumulation after [`Searcher::bfs`], in reverse order of distance: a node
    /// pulls `t` from the successors it recorded and finds in `acc` what successors that
    /// recorded it as predecessor pushed.
    fn accumulate_bfs<const EDGES: bool>(&mut self, layout: &Layout, mult: f64, out: &mut [f64]) {
        // The source (position 0) has no dependency of its own, but its ties to its
        // successors carry theirs.
        let last = usize::from(!EDGES);
        for i in (last..self.queue.len()).rev() {
            let w = self.queue[i] as usize;
            let sw = self.sigma[w];
            let base = layout.offsets[w];
            let mut a = self.acc[w];
            let (first, last) = self.succ_range[i];
            for &e in &self.succ[first..last] {
                let x = if EDGES {
                    layout.targets[base + e as usize]
                } else {
                    e
                };
                let tx = self.t[x as usize];
                a += tx;
                if EDGES {
                    out[base + e as usize] += mult * sw * tx;
                }
            }
            let tw = 1.0 / sw + a;
            self.t[w] = tw;
            if !EDGES {
                out[w] += mult * sw * a;
            }
            let (first, last) = self.pred_range[i];
            for &e in &self.pred[first..last] {
                let p = if EDGES {
                    layout.targets[base + e as usize]
                } else {
                    e
                } as usize;
                self.acc[p] += tw;
                if EDGES {
                    out[base + e as usize] += mult * self.sigma[p] * tw;
                }
            }
        }
    }

    /// Dijkstra from `s` with shortest-path counts; `queue` gets the settling order.
    fn dijkstra(&mut self, layout: &Layout, s: usize) {
        for &u in &self.queue {
            let u = u as usize;
            self.dist[u] = f64::INFINITY;
            self.sigma[u] = 0.0;
            self.settled[u] = false;
        }
        self.queue.clear();
        self.dist[s] = 0.0;
        self.sigma[s] = 1.0;
        self.heap.clear();
        self.heap.push(Entry { dist: 0.0, node: s });
        while let Some(Entry { dist, node: v }) = self.heap.pop() {
            if self.settled[v] || dist > self.dist[v] {
                continue;
            }
            self.settled[v] = true;
            self.queue.push(v as u32);
            let (lo, hi) = (layout.offsets[v], layout.offsets[v + 1]);
            for (&w, &len) in layout.targets[lo..hi].iter().zip(&layout.lengths[lo..hi]) {
                let w = w as usize;
                if self.settled[w] {
                    continue;
                }
                // The same sum NetworkX forms (`dist[v] + length`), so equal-length paths are
                // recognised exactly as it recognises them.
                let alt = dist + len;
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

    /// Dependency accumulation after [`Searcher::dijkstra`]: a node's successors are the
    /// neighbours `x` with `dist[w] + len(w, x) == dist[x]`, the test the forward search used.
    fn accumulate_dijkstra<const EDGES: bool>(
        &mut self,
        layout: &Layout,
        mult: f64,
        out: &mut [f64],
    ) {
        let last = usize::from(!EDGES);
        for i in (last..self.queue.len()).rev() {
            let w = self.queue[i] as usize;
            let (dw, sw) = (self.dist[w], self.sigma[w]);
            let (lo, hi) = (layout.offsets[w], layout.offsets[w + 1]);
            let mut a = 0.0;
            for (slot, (&x, &len)) in layout.targets[lo..hi]
                .iter()
                .zip(&layout.lengths[lo..hi])
                .enumerate()
            {
                let x = x as usize;
                if dw + len == self.dist[x] {
                    let tx = self.t[x];
                    a += tx;
                    if EDGES {
                        out[lo + slot] += mult * sw * tx;
                    }
                }
            }
            self.t[w] = 1.0 / sw + a;
            if !EDGES {
                out[w] += mult * sw * a;
            }
        }
    }
}
