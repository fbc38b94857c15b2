//! Bridges and articulation points: the ties and the nodes whose removal disconnects part of
//! the network — its single points of failure — and what each would cut off.

use std::sync::Arc;

use labgraph_domain::Id;

use crate::Network;
use crate::network::NodeTable;

const NONE: u32 = u32::MAX;

/// The depth-first search forest with Tarjan's low points, over every component: what
/// [`bridges`], [`articulation_points`] and [`cuts`] read.
///
/// Nodes are numbered in discovery (pre-)order, so the subtree of `v` is the contiguous run of
/// discovery numbers `disc[v] .. disc[v] + size[v]` and a component the run of its root: the
/// pieces a removal leaves are a few such runs, never a search per removal.
struct LowPoints {
    /// Bridges as `(parent, child)` in the search tree, sorted by `(min, max)` position.
    bridges: Vec<(usize, usize)>,
    cut: Vec<bool>,
    /// Discovery number of each node.
    disc: Vec<u32>,
    low: Vec<u32>,
    /// Number of nodes in each node's search subtree, itself included.
    size: Vec<u32>,
    /// Search-tree parent; `NONE` for a root.
    parent: Vec<u32>,
    /// The root of each node's component.
    root: Vec<u32>,
    /// The node of each discovery number.
    order: Vec<u32>,
}

/// Tarjan's low-point DFS, iterative: an explicit stack of frames instead of recursion,
/// because a long path (a chain of 100k people) would overflow the thread's stack.
fn low_points(network: &Network) -> LowPoints {
    /// A node being searched: its parent and the next of its neighbours to look at.
    struct Frame {
        v: u32,
        parent: u32,
        next: usize,
    }
    let csr = &network.csr;
    let n = csr.node_count();
    let mut disc = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut size = vec![0u32; n];
    let mut parent_of = vec![NONE; n];
    let mut root_of = vec![NONE; n];
    let mut order: Vec<u32> = Vec::with_capacity(n);
    let mut cut = vec![false; n];
    let mut bridges = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    for root in 0..n {
        if disc[root] != NONE {
            continue;
        }
        let first = order.len() as u32;
        disc[root] = first;
        low[root] = first;
        order.push(root as u32);
        let mut root_children = 0;
        stack.push(Frame {
            v: root as u32,
            parent: NONE,
            next: csr.offsets[root],
        });
        'frames: while let Some(top) = stack.last() {
            let (v, parent) = (top.v as usize, top.parent);
            let end = csr.offsets[v + 1];
            // v's low point is kept in a register while its neighbours are scanned: the
            // scan leaves the loop only to descend into a child.
            let mut low_v = low[v];
            let mut i = top.next;
            while i < end {
                let w = csr.targets[i];
                i += 1;
                let disc_w = disc[w as usize];
                if disc_w == NONE {
                    let at = stack.len() - 1;
                    stack[at].next = i;
                    low[v] = low_v;
                    let t = order.len() as u32;
                    disc[w as usize] = t;
                    low[w as usize] = t;
                    parent_of[w as usize] = v as u32;
                    order.push(w);
                    if v == root {
                        root_children += 1;
                    }
                    stack.push(Frame {
                        v: w,
                        parent: v as u32,
                        next: csr.offsets[w as usize],
                    });
                    continue 'frames;
                }
                // A back edge. Skipping the parent by node is right because ties are
                // merged: there is never a second tie to the parent.
                if w != parent {
                    low_v = low_v.min(disc_w);
                }
            }
            // v is done: its subtree is everything discovered since v.
            low[v] = low_v;
            size[v] = order.len() as u32 - disc[v];
            root_of[v] = root as u32;
            stack.pop();
            if parent != NONE {
                let p = parent as usize;
                low[p] = low[p].min(low_v);
                if low_v > disc[p] {
                    bridges.push((p, v));
                }
                if p != root && low_v >= disc[p] {
                    cut[p] = true;
                }
            }
        }
        if root_children >= 2 {
            cut[root] = true;
        }
    }
    bridges.sort_unstable_by_key(|&(p, c)| (p.min(c), p.max(c)));
    LowPoints {
        bridges,
        cut,
        disc,
        low,
        size,
        parent: parent_of,
        root: root_of,
        order,
    }
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
        .map(|(p, c)| (network.id(p.min(c)).clone(), network.id(p.max(c)).clone()))
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

/// A run of discovery numbers `start .. end` (half-open).
type Run = (u32, u32);

/// Where a piece's runs are in [`Cuts::runs`], and how many nodes it holds.
#[derive(Debug, Clone, Copy)]
struct Span {
    first: u32,
    end: u32,
    len: u32,
}

/// What each bridge and each articulation point would cut off: the pieces of its component
/// left after removing it, as sizes and, on demand, as the ids in them. Built by [`cuts`].
///
/// Pieces are stored as a few runs of the depth-first discovery order, so the whole result
/// takes O(|V|) memory however many cuts there are, and listing a piece's ids costs only its
/// size. Owns what it needs (no borrow of the network), so it can be cached beside a snapshot.
#[derive(Debug, Clone)]
pub struct Cuts {
    nodes: Arc<NodeTable>,
    /// The node (position) of each discovery number.
    order: Vec<u32>,
    /// The discovery number of each node.
    disc: Vec<u32>,
    runs: Vec<Run>,
    pieces: Vec<Span>,
    /// Each bridge as `(a, b, piece of a's side)`, `a` before `b` in the network's order,
    /// sorted; `b`'s side is the next piece.
    bridges: Vec<(u32, u32, u32)>,
    /// Each articulation point with its pieces `first .. end`, in the network's order.
    points: Vec<(u32, u32, u32)>,
}

/// One bridge of a [`Cuts`]: a tie whose removal splits its component in two sides.
#[derive(Debug, Clone, Copy)]
pub struct BridgeCut<'a> {
    cuts: &'a Cuts,
    index: usize,
}

/// One articulation point of a [`Cuts`]: a node whose removal splits its component into two
/// or more pieces.
#[derive(Debug, Clone, Copy)]
pub struct PointCut<'a> {
    cuts: &'a Cuts,
    index: usize,
}

/// A set of nodes left connected to each other after a removal: one side of a bridge, or one
/// of the components an articulation point leaves.
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    cuts: &'a Cuts,
    span: Span,
}

impl Cuts {
    /// Every bridge, in the order of [`bridges`].
    pub fn bridges(&self) -> impl ExactSizeIterator<Item = BridgeCut<'_>> + '_ {
        (0..self.bridges.len()).map(move |index| BridgeCut { cuts: self, index })
    }

    /// Every articulation point, in the order of [`articulation_points`].
    pub fn articulation_points(&self) -> impl ExactSizeIterator<Item = PointCut<'_>> + '_ {
        (0..self.points.len()).map(move |index| PointCut { cuts: self, index })
    }

    /// The bridge between `a` and `b` (either order); `None` when the tie is not a bridge or
    /// either id is not a node. O(log bridges).
    pub fn bridge(&self, a: &str, b: &str) -> Option<BridgeCut<'_>> {
        let (&a, &b) = (self.nodes.index.get(a)?, self.nodes.index.get(b)?);
        let key = (a.min(b), a.max(b));
        let index = self
            .bridges
            .binary_search_by_key(&key, |&(x, y, _)| (x, y))
            .ok()?;
        Some(BridgeCut { cuts: self, index })
    }

    /// The articulation point `id`; `None` when it is not one (or not a node). O(log points).
    pub fn articulation_point(&self, id: &str) -> Option<PointCut<'_>> {
        let &u = self.nodes.index.get(id)?;
        let index = self.points.binary_search_by_key(&u, |p| p.0).ok()?;
        Some(PointCut { cuts: self, index })
    }

    fn piece(&self, i: u32) -> Piece<'_> {
        Piece {
            cuts: self,
            span: self.pieces[i as usize],
        }
    }
}

impl<'a> BridgeCut<'a> {
    /// The two ends `(a, b)`, `a` before `b` in the network's order.
    pub fn ends(&self) -> (&'a Id, &'a Id) {
        let (a, b, _) = self.cuts.bridges[self.index];
        let ids = &self.cuts.nodes.ids;
        (&ids[a as usize], &ids[b as usize])
    }

    /// The side of `a` and the side of `b` once the tie is removed; together they are the
    /// bridge's component.
    pub fn sides(&self) -> (Piece<'a>, Piece<'a>) {
        let first = self.cuts.bridges[self.index].2;
        (self.cuts.piece(first), self.cuts.piece(first + 1))
    }

    /// The number of nodes on `a`'s side and on `b`'s side.
    pub fn sizes(&self) -> (usize, usize) {
        let (a, b) = self.sides();
        (a.len(), b.len())
    }
}

impl<'a> PointCut<'a> {
    /// The articulation point.
    pub fn node(&self) -> &'a Id {
        &self.cuts.nodes.ids[self.cuts.points[self.index].0 as usize]
    }

    /// The pieces its removal leaves of its component (two or more), largest first; pieces of
    /// equal size in a fixed order (depth-first, the rest of the component last).
    pub fn pieces(&self) -> impl ExactSizeIterator<Item = Piece<'a>> + 'a {
        let (_, first, end) = self.cuts.points[self.index];
        let cuts = self.cuts;
        (first..end).map(move |i| cuts.piece(i))
    }

    /// The sizes of [`PointCut::pieces`], largest first; they sum to the component's size − 1.
    pub fn sizes(&self) -> Vec<usize> {
        self.pieces().map(|p| p.len()).collect()
    }
}

impl<'a> Piece<'a> {
    /// Number of nodes in the piece (at least 1).
    pub fn len(&self) -> usize {
        self.span.len as usize
    }

    /// Always false: a piece holds at least one node. (Here because `len` is.)
    pub fn is_empty(&self) -> bool {
        self.span.len == 0
    }

    /// The ids in the piece, in depth-first order (not the network's): O(piece size).
    pub fn ids(&self) -> impl Iterator<Item = &'a Id> + 'a {
        let cuts = self.cuts;
        cuts.runs[self.span.first as usize..self.span.end as usize]
            .iter()
            .flat_map(move |&(start, end)| &cuts.order[start as usize..end as usize])
            .map(move |&u| &cuts.nodes.ids[u as usize])
    }

    /// True when `id` is in the piece. O(runs in the piece): one for a subtree, two for the
    /// rest of a component, plus one per child kept with the rest.
    pub fn contains(&self, id: &str) -> bool {
        let Some(&u) = self.cuts.nodes.index.get(id) else {
            return false;
        };
        let t = self.cuts.disc[u as usize];
        self.cuts.runs[self.span.first as usize..self.span.end as usize]
            .iter()
            .any(|&(start, end)| start <= t && t < end)
    }
}

/// What each bridge and each articulation point cuts off: for a bridge, the two sides of its
/// component once the tie is gone; for an articulation point, the pieces of its component once
/// the node is gone — sizes at once, ids on demand. Weights are ignored.
///
/// Reference: the low-point search of J. Hopcroft & R. Tarjan (1973), "Algorithm 447:
/// efficient algorithms for graph manipulation", *CACM* 16(6) and R. E. Tarjan (1974), "A note
/// on finding the bridges of a graph", *IPL* 2(6), with subtree sizes: a child `c` of `u` whose
/// low point does not reach above `u` takes its whole subtree with it, and in discovery order
/// a subtree is one run, so each piece is a run (a cut-off subtree) or the component's run
/// minus those (the rest). Checked against NetworkX by removing each bridge and articulation
/// point and taking `connected_components`.
///
/// Complexity: O(|V| + |E|) time and memory, one search in all — not one per removal.
///
/// ```
/// use labgraph_analytics::{algo::cuts, read_edge_list_str};
/// // A triangle a-b-c with a tail c-d-e, and a separate pair f-g.
/// let net = read_edge_list_str("g", "a b\nb c\nc a\nc d\nd e\nf g\n")?;
/// let cuts = cuts(&net);
/// let sizes: Vec<(&str, &str, (usize, usize))> = cuts
///     .bridges()
///     .map(|b| (b.ends().0.as_str(), b.ends().1.as_str(), b.sizes()))
///     .collect();
/// assert_eq!(sizes, vec![("c", "d", (3, 2)), ("d", "e", (4, 1)), ("f", "g", (1, 1))]);
/// let c = cuts.articulation_point("c").expect("c is a cut vertex");
/// assert_eq!(c.sizes(), vec![2, 2]);
/// // Either piece of size 2 may come first; ask which holds d.
/// let holding_d = c.pieces().find(|p| p.contains("d")).expect("d is cut off");
/// let mut ids: Vec<&str> = holding_d.ids().map(|id| id.as_str()).collect();
/// ids.sort();
/// assert_eq!(ids, vec!["d", "e"]);
/// assert!(cuts.articulation_point("a").is_none());
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn cuts(network: &Network) -> Cuts {
    let lp = low_points(network);
    let csr = &network.csr;
    let mut runs: Vec<Run> = Vec::new();
    let mut pieces: Vec<Span> = Vec::new();
    let subtree = |v: usize| (lp.disc[v], lp.disc[v] + lp.size[v]);
    let component = |v: usize| subtree(lp.root[v] as usize);
    // A piece of the given runs (empty runs are dropped).
    let push = |runs: &mut Vec<Run>, pieces: &mut Vec<Span>, of: &[Run]| {
        let first = runs.len() as u32;
        let mut len = 0;
        for &(start, end) in of.iter().filter(|&&(s, e)| s < e) {
            len += end - start;
            runs.push((start, end));
        }
        pieces.push(Span {
            first,
            end: runs.len() as u32,
            len,
        });
    };

    let mut bridges = Vec::with_capacity(lp.bridges.len());
    for &(p, c) in &lp.bridges {
        let (cs, ce) = subtree(c);
        let (rs, re) = component(c);
        let first = pieces.len() as u32;
        // a's side first: the child's subtree when the child is a, the rest otherwise.
        if c < p {
            push(&mut runs, &mut pieces, &[(cs, ce)]);
            push(&mut runs, &mut pieces, &[(rs, cs), (ce, re)]);
        } else {
            push(&mut runs, &mut pieces, &[(rs, cs), (ce, re)]);
            push(&mut runs, &mut pieces, &[(cs, ce)]);
        }
        bridges.push((p.min(c) as u32, p.max(c) as u32, first));
    }

    let mut points = Vec::new();
    let mut cut_off: Vec<Run> = Vec::new();
    let mut kept: Vec<Run> = Vec::new();
    for u in (0..csr.node_count()).filter(|&u| lp.cut[u]) {
        cut_off.clear();
        kept.clear();
        for &w in csr.neighbours(u) {
            let w = w as usize;
            if lp.parent[w] != u as u32 {
                continue;
            }
            if lp.low[w] >= lp.disc[u] {
                cut_off.push(subtree(w));
            } else {
                kept.push(subtree(w));
            }
        }
        let first = pieces.len();
        for &run in &cut_off {
            push(&mut runs, &mut pieces, &[run]);
        }
        // The rest: u's parent side with the children that reach above u; none for a root.
        if lp.parent[u] != NONE {
            let (us, ue) = subtree(u);
            let (rs, re) = component(u);
            kept.extend([(rs, us), (ue, re)]);
            push(&mut runs, &mut pieces, &kept);
        }
        // Largest first; the stable sort keeps equal sizes in depth-first order.
        pieces[first..].sort_by_key(|p| std::cmp::Reverse(p.len));
        points.push((u as u32, first as u32, pieces.len() as u32));
    }

    Cuts {
        nodes: Arc::clone(&network.nodes),
        order: lp.order,
        disc: lp.disc,
        runs,
        pieces,
        bridges,
        points,
    }
}
