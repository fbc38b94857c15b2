//! Exact betweenness by hops from 64 sources at once: multi-source breadth-first search with
//! one bit per source (Then, Kaufmann, Chirigati, Hoang-Vu, Pham, Kemper, Neumann & Vo 2014,
//! "The More the Merrier: Efficient Multi-Source Graph Traversal", PVLDB 8(4)), and Brandes'
//! dependency accumulation run lane by lane on the levels it recorded.
//!
//! Why: on a small-world network the one-source search scans every row once per source, and
//! most of that work is finding out which neighbours are new. Here a batch's 64 searches share
//! each row scan: a node's frontier, seen and next sets are one `u64` each, so a row is read
//! once per level for all of them, and only the (edge, source) pairs that are edges of a
//! shortest-path DAG do floating-point work. Per source the terms are those of the one-source
//! search; only the order in which they are added differs (≈ 1e-15 relative).

use super::Layout;

/// Sources per batch: one bit of a `u64` each.
pub(super) const LANES: usize = 64;

/// Set bits of `m`, lowest first.
#[inline]
fn bits(mut m: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if m == 0 {
            return None;
        }
        let s = m.trailing_zeros() as usize;
        m &= m - 1;
        Some(s & (LANES - 1))
    })
}

/// One worker's buffers, reused for every batch it runs.
pub(super) struct Batcher {
    /// Per node and lane: σ (shortest paths from the lane's source) during the forward
    /// search, then `(1 + δ) / σ` once the node's dependency is final. A (node, lane) pair
    /// belongs to one level only, so the two uses never meet.
    val: Vec<[f64; LANES]>,
    /// Lanes that have reached each node.
    seen: Vec<u64>,
    /// Lanes that reach each node at the level being built (forward), or the lanes for which
    /// each node is at the level below the one being accumulated (backward).
    next: Vec<u64>,
    /// Nodes whose `next` became non-zero while the level was built.
    touched: Vec<u32>,
    /// Every level's nodes with their lanes: `levels[level_start[d]..level_start[d + 1]]`.
    levels: Vec<(u32, u64)>,
    level_start: Vec<usize>,
}

impl Batcher {
    pub(super) fn new(n: usize) -> Batcher {
        Batcher {
            val: vec![[0.0; LANES]; n],
            seen: vec![0; n],
            next: vec![0; n],
            touched: Vec::new(),
            levels: Vec::new(),
            level_start: Vec::new(),
        }
    }

    /// Searches from `sources` (at most [`LANES`], distinct) and adds each source's
    /// dependencies, times its multiplicity in `layout.mult`, to `out`: per node
    /// (`EDGES = false`) or per stored tie direction (`EDGES = true`).
    pub(super) fn batch<const EDGES: bool>(
        &mut self,
        layout: &Layout,
        sources: &[u32],
        out: &mut [f64],
    ) {
        debug_assert!(sources.len() <= LANES);
        self.forward(layout, sources);
        let mut mult = [0.0; LANES];
        for (lane, &s) in sources.iter().enumerate() {
            mult[lane] = layout.mult[s as usize];
        }
        self.backward::<EDGES>(layout, &mult, out);
    }

    /// How many sources a batch's search from `sources` shares per (node, level) on average:
    /// the lanes summed over every level's nodes, divided by the number of such entries.
    pub(super) fn sharing(&mut self, layout: &Layout, sources: &[u32]) -> f64 {
        self.forward(layout, sources);
        let lanes: u64 = self
            .levels
            .iter()
            .map(|&(_, m)| u64::from(m.count_ones()))
            .sum();
        lanes as f64 / self.levels.len().max(1) as f64
    }

    /// Level-synchronous search of all lanes: the levels with their lanes, and σ.
    fn forward(&mut self, layout: &Layout, sources: &[u32]) {
        self.val.fill([0.0; LANES]);
        self.seen.fill(0);
        self.levels.clear();
        self.level_start.clear();
        self.level_start.push(0);
        for (lane, &s) in sources.iter().enumerate() {
            let bit = 1u64 << lane;
            self.seen[s as usize] |= bit;
            self.val[s as usize][lane] = 1.0;
            self.levels.push((s, bit));
        }
        self.level_start.push(self.levels.len());
        // Local borrows: the compiler then knows `touched` and `levels` do not alias the
        // arrays the inner loop reads and writes.
        let (val, seen, next) = (&mut self.val[..], &mut self.seen[..], &mut self.next[..]);
        loop {
            let d = self.level_start.len() - 2;
            let (lo, hi) = (self.level_start[d], self.level_start[d + 1]);
            for &(v, fv) in &self.levels[lo..hi] {
                let v = v as usize;
                let from = val[v];
                for &w in layout.row(v) {
                    let wi = w as usize;
                    // Lanes for which `w` is one hop further than `v` and not nearer.
                    let m = fv & !seen[wi];
                    if m == 0 {
                        continue;
                    }
                    if next[wi] == 0 {
                        self.touched.push(w);
                    }
                    next[wi] |= m;
                    let to = &mut val[wi];
                    for s in bits(m) {
                        to[s] += from[s];
                    }
                }
            }
            if self.touched.is_empty() {
                break;
            }
            for &w in &self.touched {
                let wi = w as usize;
                let m = std::mem::take(&mut next[wi]);
                seen[wi] |= m;
                self.levels.push((w, m));
            }
            self.touched.clear();
            self.level_start.push(self.levels.len());
        }
    }

    /// Dependency accumulation, deepest level first: each (node, lane) pulls `(1 + δ) / σ`
    /// from its successors, the neighbours one level further for that lane.
    fn backward<const EDGES: bool>(
        &mut self,
        layout: &Layout,
        mult: &[f64; LANES],
        out: &mut [f64],
    ) {
        let depth = self.level_start.len() - 1;
        let (val, next) = (&mut self.val[..], &mut self.next[..]);
        let (levels, level_start) = (&self.levels[..], &self.level_start[..]);
        let mut acc = [0.0f64; LANES];
        // The sources' own level has no dependency, but its ties carry their successors'.
        let last = usize::from(!EDGES);
        for d in (last..depth).rev() {
            let below = if d + 1 < depth {
                &levels[level_start[d + 1]..level_start[d + 2]]
            } else {
                &[]
            };
            // `next` holds the lanes of level d + 1.
            for &(x, m) in below {
                next[x as usize] = m;
            }
            for &(w, mw) in &levels[level_start[d]..level_start[d + 1]] {
                let w = w as usize;
                if !below.is_empty() {
                    let base = layout.offsets[w];
                    for (i, &x) in layout.row(w).iter().enumerate() {
                        let x = x as usize;
                        let m = mw & next[x];
                        if m == 0 {
                            continue;
                        }
                        let tx = &val[x];
                        if EDGES {
                            let sw = &val[w];
                            let mut e = 0.0;
                            for s in bits(m) {
                                acc[s] += tx[s];
                                e += mult[s] * sw[s] * tx[s];
                            }
                            out[base + i] += e;
                        } else {
                            for s in bits(m) {
                                acc[s] += tx[s];
                            }
                        }
                    }
                }
                let vw = &mut val[w];
                let mut sum = 0.0;
                for s in bits(mw) {
                    let (sigma, a) = (vw[s], acc[s]);
                    if !EDGES {
                        sum += mult[s] * sigma * a;
                    }
                    vw[s] = 1.0 / sigma + a;
                    acc[s] = 0.0;
                }
                if !EDGES {
                    out[w] += sum;
                }
            }
            for &(x, _) in below {
                next[x as usize] = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! The batched sweep against the one-source sweep it replaces by hops: the same scores to
    //! 1e-12 relative on networks with what a batch must get right (several components in
    //! one batch, lone nodes, leaves and leaf pairs, many equally short paths, a node count
    //! that 64 does not divide).

    use super::super::{Layout, Sweep, node_betweenness, tie_betweenness};
    use super::{Batcher, LANES};
    use crate::{Network, PathWeights, read_edge_list_str};

    /// A deterministic pseudo-random number in `0..n` (64-bit LCG, Knuth's constants).
    fn next(state: &mut u64, n: u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*state >> 33) % n
    }

    /// Preferential attachment on `n` nodes, `m` ties per newcomer, named `{prefix}{i}`.
    fn attachment(text: &mut String, prefix: &str, n: u64, m: u64, seed: u64) {
        let mut state = seed;
        let mut ends: Vec<u64> = vec![0];
        for v in 1..n {
            let mut chosen: Vec<u64> = Vec::new();
            for _ in 0..m.min(v) {
                let u = ends[next(&mut state, ends.len() as u64) as usize];
                if !chosen.contains(&u) {
                    chosen.push(u);
                }
            }
            for &u in &chosen {
                text.push_str(&format!("{prefix}{u} {prefix}{v}\n"));
                ends.extend([u, v]);
            }
        }
    }

    /// Everything at once: an attachment component, a 4×5 grid and a 6-cycle (many equally
    /// short paths), a path, a star (leaves), a lone pair of leaves and lone nodes; 194 nodes.
    fn mixed() -> Network {
        let mut text = String::new();
        attachment(&mut text, "a", 150, 2, 7);
        for r in 0..4 {
            for c in 0..5 {
                if c + 1 < 5 {
                    text.push_str(&format!("g{r}_{c} g{r}_{}\n", c + 1));
                }
                if r + 1 < 4 {
                    text.push_str(&format!("g{r}_{c} g{}_{c}\n", r + 1));
                }
            }
        }
        for i in 0..6 {
            text.push_str(&format!("c{i} c{}\n", (i + 1) % 6));
        }
        for i in 0..6 {
            text.push_str(&format!("p{i} p{}\n", i + 1));
        }
        for i in 0..5 {
            text.push_str(&format!("s s{i}\n"));
        }
        text.push_str("pair1 pair2\nlone1\nlone2\nlone3\n");
        read_edge_list_str("mixed", &text).expect("valid edge list")
    }

    /// A sparse random graph (several components and lone nodes, most likely).
    fn sparse(n: u64, ties: u64, seed: u64) -> Network {
        let mut state = seed;
        let mut text: String = (0..n).map(|v| format!("r{v}\n")).collect();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..ties {
            let (u, v) = (next(&mut state, n), next(&mut state, n));
            if u != v && seen.insert((u.min(v), u.max(v))) {
                text.push_str(&format!("r{u} r{v}\n"));
            }
        }
        read_edge_list_str("sparse", &text).expect("valid edge list")
    }

    fn networks() -> Vec<(&'static str, Network)> {
        let mut dense = String::new();
        attachment(&mut dense, "", 300, 4, 3);
        vec![
            ("mixed", mixed()),
            ("sparse", sparse(200, 180, 11)),
            (
                "attachment",
                read_edge_list_str("attachment", &dense).expect("valid"),
            ),
            ("one", read_edge_list_str("one", "x\n").expect("valid")),
            ("two", read_edge_list_str("two", "x y\n").expect("valid")),
            ("empty", read_edge_list_str("empty", "").expect("valid")),
        ]
    }

    /// Equal to 1e-12 relative to the largest score: only the order of additions differs.
    fn agree(name: &str, what: &str, a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len(), "{name}: {what}: lengths");
        let scale = a.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-300);
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert!(
                (x - y).abs() <= 1e-12 * scale,
                "{name}: {what}[{i}]: batched {x}, one by one {y}"
            );
        }
    }

    #[test]
    fn batched_node_betweenness_equals_one_source_at_a_time() {
        for (name, net) in networks() {
            for normalized in [true, false] {
                let want =
                    node_betweenness(&net, PathWeights::Hops, normalized, 1, Sweep::OneByOne);
                let want: Vec<f64> = want.iter().map(|(_, x)| x).collect();
                if name == "mixed" {
                    // Not a degenerate network: paths do go through some nodes.
                    assert!(want.iter().any(|&x| x > 0.0));
                }
                for threads in [1, 2, 3] {
                    let got = node_betweenness(
                        &net,
                        PathWeights::Hops,
                        normalized,
                        threads,
                        Sweep::Batched,
                    );
                    let got: Vec<f64> = got.iter().map(|(_, x)| x).collect();
                    agree(
                        name,
                        &format!("normalized {normalized}, {threads} threads"),
                        &got,
                        &want,
                    );
                }
            }
        }
    }

    #[test]
    fn batched_tie_betweenness_equals_one_source_at_a_time() {
        for (name, net) in networks() {
            for normalized in [true, false] {
                let want = tie_betweenness(&net, PathWeights::Hops, normalized, 1, Sweep::OneByOne);
                for threads in [1, 3] {
                    let got = tie_betweenness(
                        &net,
                        PathWeights::Hops,
                        normalized,
                        threads,
                        Sweep::Batched,
                    );
                    for ((a, b, _), (c, d, _)) in got.iter().zip(&want) {
                        assert_eq!((a, b), (c, d), "{name}: same ties in the same order");
                    }
                    let got: Vec<f64> = got.iter().map(|e| e.2).collect();
                    let want: Vec<f64> = want.iter().map(|e| e.2).collect();
                    agree(
                        name,
                        &format!("ties, normalized {normalized}, {threads} threads"),
                        &got,
                        &want,
                    );
                }
            }
        }
    }

    #[test]
    fn a_thread_count_always_gives_the_same_bits() {
        let net = mixed();
        for threads in [1, 2] {
            let runs: Vec<Vec<u64>> = (0..2)
                .map(|_| {
                    node_betweenness(&net, PathWeights::Hops, true, threads, Sweep::Batched)
                        .iter()
                        .map(|(_, x)| x.to_bits())
                        .collect()
                })
                .collect();
            assert_eq!(runs[0], runs[1], "{threads} threads");
        }
    }

    #[test]
    fn batches_run_where_searches_overlap_and_not_on_a_long_path() {
        let mut text = String::new();
        attachment(&mut text, "", 2000, 5, 5);
        let small_world = read_edge_list_str("attachment", &text).expect("valid");
        let path: String = (0..2000).map(|i| format!("{i} {}\n", i + 1)).collect();
        let path = read_edge_list_str("path", &path).expect("valid");
        for (name, net, batched) in [("attachment", &small_world, true), ("path", &path, false)] {
            let layout = Layout::new(net, PathWeights::Hops);
            let sources = layout.sources();
            let probe = &sources[..LANES];
            let sharing = Batcher::new(net.node_count()).sharing(&layout, probe);
            assert_eq!(
                layout.batching_pays(&sources, 1),
                batched,
                "{name}: {sharing} sources per (node, level)"
            );
        }
    }
}
