//! The validated in-memory graph: nodes, edges and adjacency, versioned, immutable once built.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use crate::error::ApplyError;
use crate::{
    Change, ChangeSet, Diff, Edge, EdgeKey, EdgeKind, EdgeRole, Id, Jurisdiction, Node, NodeAttrs,
    NodeKind, Region, TieClass, ValidationError,
};

/// A validated graph at one version: every edge's ends exist and have the kinds its kind
/// allows, every reference (an institution's city, a field's parent) resolves.
///
/// Readers hold it behind an `Arc` as a snapshot; writers build the next version with
/// [`Graph::apply`], which copies the indexes — O(|V| + |E|) per change set. Why a copy and not
/// a persistent map: reads (every API query) outnumber writes by orders of magnitude, plain
/// hash maps are the fastest to read and to load, and a copy of a 1M-edge graph costs well
/// under a second.
#[derive(Clone, Default)]
pub struct Graph {
    version: u64,
    nodes: HashMap<Id, Arc<Node>>,
    /// Ids per kind, ordered, for cursor pagination.
    by_kind: [BTreeSet<Id>; 6],
    edges: HashMap<EdgeKey, Arc<Edge>>,
    /// Keys of the edges touching each node, both directions, in insertion order.
    adjacency: HashMap<Id, Vec<EdgeKey>>,
}

/// An edge seen from one of its ends.
#[derive(Debug, Clone, Copy)]
pub struct Adjacent<'g> {
    pub edge: &'g Arc<Edge>,
    /// The node at the other end.
    pub neighbour: &'g Arc<Node>,
    /// True when the edge leaves the node it was looked up from.
    pub outgoing: bool,
}

/// Counts of nodes and edges by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphStats {
    pub version: u64,
    pub nodes: Vec<(NodeKind, usize)>,
    pub edges: Vec<(EdgeKind, usize)>,
}

impl fmt::Debug for Graph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Graph")
            .field("version", &self.version)
            .field("nodes", &self.nodes.len())
            .field("edges", &self.edges.len())
            .finish()
    }
}

impl Graph {
    /// An empty graph at version 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// The version: 0 for an empty store, +1 for every change set that changed something.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The same graph labelled with another version (used by stores when loading).
    pub fn with_version(mut self, version: u64) -> Self {
        self.version = version;
        self
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Arc<Node>> {
        self.nodes.get(id)
    }

    /// The edge with this key.
    pub fn edge(&self, key: &EdgeKey) -> Option<&Arc<Edge>> {
        self.edges.get(key)
    }

    /// All nodes, in no particular order.
    pub fn nodes(&self) -> impl Iterator<Item = &Arc<Node>> {
        self.nodes.values()
    }

    /// All edges, in no particular order.
    pub fn edges(&self) -> impl Iterator<Item = &Arc<Edge>> {
        self.edges.values()
    }

    /// Nodes of one kind in id order, starting after `after` when given.
    pub fn nodes_of(
        &self,
        kind: NodeKind,
        after: Option<&str>,
    ) -> impl DoubleEndedIterator<Item = &Arc<Node>> {
        use std::ops::Bound;
        let ids = &self.by_kind[kind.index()];
        let range = match after {
            Some(a) => ids.range::<str, _>((Bound::Excluded(a), Bound::Unbounded)),
            None => ids.range::<str, _>((Bound::Unbounded, Bound::Unbounded)),
        };
        range.filter_map(|id| self.nodes.get(id))
    }

    /// Number of nodes of one kind.
    pub fn count_of(&self, kind: NodeKind) -> usize {
        self.by_kind[kind.index()].len()
    }

    /// Every edge touching `id`, seen from `id`.
    pub fn adjacent<'g>(&'g self, id: &str) -> impl Iterator<Item = Adjacent<'g>> + 'g {
        self.adjacent_where(id, |_| true)
    }

    /// The edges of one kind touching `id`, seen from `id`: [`Graph::adjacent`] without
    /// looking up the edges of other kinds. Why: a person's location needs their one or two
    /// affiliations among dozens of collaborations; skipping by key costs no lookup.
    pub fn adjacent_of_kind<'g>(
        &'g self,
        id: &str,
        kind: EdgeKind,
    ) -> impl Iterator<Item = Adjacent<'g>> + 'g {
        self.adjacent_where(id, move |key| key.kind == kind)
    }

    /// The edges of one kind that leave `id` (a symmetric kind's edge leaves its first end),
    /// without looking up the other end. Why: a projection reads each tie once, from the end
    /// it leaves, and needs only the edge; fetching the incoming half and the neighbours
    /// doubled the lookups of the person network's million ties.
    pub fn outgoing_of_kind<'g>(
        &'g self,
        id: &str,
        kind: EdgeKind,
    ) -> impl Iterator<Item = &'g Arc<Edge>> + 'g {
        // The key of an edge leaving `id` names `id` first: compared before any lookup, with
        // the map's own copy of the id (nothing allocated per call).
        let (id, keys) = match self.adjacency.get_key_value(id) {
            Some((id, keys)) => (Some(id), keys.as_slice()),
            None => (None, &[][..]),
        };
        keys.iter()
            .filter(move |key| key.kind == kind && Some(&key.from) == id)
            .filter_map(move |key| self.edges.get(key))
    }

    /// The edges touching `id` whose keys pass `keep`, seen from `id`.
    fn adjacent_where<'g>(
        &'g self,
        id: &str,
        keep: impl Fn(&EdgeKey) -> bool + 'g,
    ) -> impl Iterator<Item = Adjacent<'g>> + 'g {
        let id: Box<str> = id.into();
        self.adjacency
            .get(&*id)
            .into_iter()
            .flatten()
            .filter(move |key| keep(key))
            .filter_map(move |key| {
                let edge = self.edges.get(key)?;
                let outgoing = edge.from.as_str() == &*id;
                let neighbour = self.nodes.get(key.other(&id))?;
                Some(Adjacent {
                    edge,
                    neighbour,
                    outgoing,
                })
            })
    }

    /// Node and edge counts by kind.
    pub fn stats(&self) -> GraphStats {
        let mut edges: HashMap<EdgeKind, usize> = HashMap::new();
        for key in self.edges.keys() {
            *edges.entry(key.kind).or_default() += 1;
        }
        GraphStats {
            version: self.version,
            nodes: NodeKind::ALL
                .into_iter()
                .map(|k| (k, self.count_of(k)))
                .collect(),
            edges: EdgeKind::ALL
                .into_iter()
                .map(|k| (k, edges.get(&k).copied().unwrap_or(0)))
                .collect(),
        }
    }

    /// The cities a node is located in — the one place the location rules live: a city
    /// itself; an institution's city; a lab's or platform's cities (for a lab without a city,
    /// its hosts' cities); a person's affiliations' cities (the primary ones when any is
    /// marked). Empty when unknown, and always for fields and unknown ids.
    pub fn cities_of(&self, id: &str) -> BTreeSet<Id> {
        let mut cities = BTreeSet::new();
        if let Some(node) = self.nodes.get(id) {
            self.visit_cities(node, &mut |city| {
                cities.insert(city.clone());
            });
        }
        cities
    }

    /// The regions a node is located in: the regions of [`Graph::cities_of`].
    pub fn regions_of(&self, id: &str) -> BTreeSet<Region> {
        let mut regions = BTreeSet::new();
        if let Some(node) = self.nodes.get(id) {
            self.visit_cities(node, &mut |city| {
                if let Some(NodeAttrs::City(a)) = self.nodes.get(city).map(|n| &n.attrs) {
                    regions.insert(a.region);
                }
            });
        }
        regions
    }

    /// Calls `visit` with every city `node` is located in (see [`Graph::cities_of`]), possibly
    /// more than once for one city. Why a visitor: `cities_of` and `regions_of` share the
    /// rules without building a set per hop (a person's cities are their institutions').
    fn visit_cities<'g>(&'g self, node: &'g Node, visit: &mut dyn FnMut(&'g Id)) {
        match &node.attrs {
            NodeAttrs::City(_) => visit(&node.id),
            NodeAttrs::Institution(a) => a.city.iter().for_each(visit),
            NodeAttrs::Platform(a) => a.cities.iter().for_each(visit),
            NodeAttrs::Lab(a) if !a.cities.is_empty() => a.cities.iter().for_each(visit),
            NodeAttrs::Lab(_) => {
                for adj in self.adjacent_of_kind(node.id.as_str(), EdgeKind::PartnerIn) {
                    if adj.edge.role == Some(EdgeRole::Host) {
                        self.visit_cities(adj.neighbour, visit);
                    }
                }
            }
            NodeAttrs::Person(_) => {
                let primary = |adj: &Adjacent<'_>| adj.edge.primary == Some(true);
                let any_primary = self
                    .adjacent_of_kind(node.id.as_str(), EdgeKind::AffiliatedWith)
                    .any(|adj| primary(&adj));
                for adj in self.adjacent_of_kind(node.id.as_str(), EdgeKind::AffiliatedWith) {
                    if !any_primary || primary(&adj) {
                        self.visit_cities(adj.neighbour, visit);
                    }
                }
            }
            NodeAttrs::Field(_) => {}
        }
    }

    /// The jurisdictions a node is located in (see [`Graph::regions_of`]).
    pub fn jurisdictions_of(&self, id: &str) -> BTreeSet<Jurisdiction> {
        self.regions_of(id)
            .into_iter()
            .map(Region::jurisdiction)
            .collect()
    }

    /// The class of an edge by the jurisdictions of its two ends; `None` when an end's
    /// location is unknown or the edge leads to a field or platform (which have no side).
    pub fn tie_class(&self, edge: &Edge) -> Option<TieClass> {
        let a = self.jurisdictions_of(edge.from.as_str());
        let b = self.jurisdictions_of(edge.to.as_str());
        if a.is_empty() || b.is_empty() {
            return None;
        }
        TieClass::of(a.into_iter().chain(b))
    }

    /// The class of a lab by the jurisdictions of all its partner institutions (hosts and
    /// partners); `None` when no partner has a known location.
    pub fn lab_class(&self, lab: &str) -> Option<TieClass> {
        TieClass::of(
            self.adjacent_of_kind(lab, EdgeKind::PartnerIn)
                .flat_map(|adj| self.jurisdictions_of(adj.neighbour.id.as_str())),
        )
    }

    /// Applies a change set, returning the next version and the net diff, or the first change
    /// that cannot be applied. Nothing of a refused change set takes effect.
    ///
    /// A change set that changes nothing (for example, a repeated import) returns the same
    /// version and an empty diff.
    pub fn apply(&self, changes: &ChangeSet) -> Result<(Graph, Diff), ApplyError> {
        let at = |index: usize| move |error: ValidationError| ApplyError { index, error };
        let mut next = self.clone();
        // Last change index touching each node or edge, for error positions and the diff.
        let mut touched_nodes: HashMap<Id, usize> = HashMap::new();
        let mut touched_edges: HashMap<EdgeKey, usize> = HashMap::new();
        for (index, change) in changes.changes.iter().enumerate() {
            match change {
                Change::UpsertNode(node) => {
                    node.validate().map_err(at(index))?;
                    if let Some(old) = next.nodes.get(&node.id)
                        && old.kind() != node.kind()
                    {
                        return Err(at(index)(ValidationError::KindChange {
                            id: node.id.to_string(),
                            existing: old.kind(),
                            requested: node.kind(),
                        }));
                    }
                    next.by_kind[node.kind().index()].insert(node.id.clone());
                    next.nodes.insert(node.id.clone(), Arc::clone(node));
                    touched_nodes.insert(node.id.clone(), index);
                }
                Change::DeleteNode(id) => {
                    if let Some(old) = next.nodes.remove(id) {
                        next.by_kind[old.kind().index()].remove(id);
                        for key in next.adjacency.remove(id).unwrap_or_default() {
                            next.unlink(&key, id);
                            next.edges.remove(&key);
                            touched_edges.insert(key, index);
                        }
                    }
                    touched_nodes.insert(id.clone(), index);
                }
                Change::UpsertEdge(edge) => {
                    edge.validate().map_err(at(index))?;
                    let edge = if edge.kind.is_symmetric() && edge.to < edge.from {
                        Arc::new(Edge::clone(edge).normalised())
                    } else {
                        Arc::clone(edge)
                    };
                    let key = edge.key();
                    if next.edges.insert(key.clone(), edge).is_none() {
                        for end in [&key.from, &key.to] {
                            next.adjacency
                                .entry(end.clone())
                                .or_default()
                                .push(key.clone());
                        }
                    }
                    touched_edges.insert(key, index);
                }
                Change::DeleteEdge(key) => {
                    let key = EdgeKey::new(key.kind, key.from.clone(), key.to.clone());
                    if next.edges.remove(&key).is_some() {
                        next.unlink(&key, &key.from.clone());
                        next.unlink(&key, &key.to.clone());
                    }
                    touched_edges.insert(key, index);
                }
            }
        }
        next.check_references(&touched_nodes, &touched_edges)?;

        let mut diff = Diff::default();
        let mut nodes: Vec<_> = touched_nodes.into_iter().collect();
        nodes.sort_by_key(|(_, index)| *index);
        for (id, _) in nodes {
            match (self.nodes.get(&id), next.nodes.get(&id)) {
                (old, Some(new)) if old != Some(new) => diff.upserted_nodes.push(Arc::clone(new)),
                (Some(_), None) => diff.deleted_nodes.push(id),
                _ => {}
            }
        }
        let mut edges: Vec<_> = touched_edges.into_iter().collect();
        edges.sort_by_key(|(_, index)| *index);
        for (key, _) in edges {
            match (self.edges.get(&key), next.edges.get(&key)) {
                (old, Some(new)) if old != Some(new) => diff.upserted_edges.push(Arc::clone(new)),
                (Some(_), None) => diff.deleted_edges.push(key),
                _ => {}
            }
        }
        if !diff.is_empty() {
            next.version = self.version + 1;
        }
        Ok((next, diff))
    }

    /// Builds a graph at `version` from everything a store holds, with the checks
    /// [`Graph::apply`] makes on an empty graph: each node and edge valid on its own, every
    /// reference and every edge end resolving to a node of an allowed kind, no id given two
    /// kinds. A repeated id or edge key replaces the earlier one, as in a change set. Errors
    /// carry the position in `nodes` followed by `edges`, as if they were one change set, and
    /// report the first problem found.
    ///
    /// Why not `apply`: loading is apply's worst case — one change set as big as the graph —
    /// and apply spends most of it on the diff and the bookkeeping for error positions a load
    /// does not need. This sizes every map once and formats no text unless something fails.
    pub fn from_parts(
        version: u64,
        nodes: Vec<Arc<Node>>,
        edges: Vec<Arc<Edge>>,
    ) -> Result<Graph, ApplyError> {
        let at = |index: usize| move |error: ValidationError| ApplyError { index, error };
        let parallel = edges.len() >= PARALLEL_EDGES;
        let mut graph = Graph {
            version,
            nodes: HashMap::with_capacity(nodes.len()),
            by_kind: Default::default(),
            edges: HashMap::new(),
            adjacency: HashMap::new(),
        };
        // The slot table is built beside the node map: the edge checks look ends up in it
        // (kind without touching the node) and the adjacency is counted by slot, not by hash.
        let (slots, nodes_checked) = both(
            parallel,
            || Slots::of(&nodes),
            || -> Result<(), ApplyError> {
                // Ids per kind are collected, then bulk-built: `BTreeSet::from_iter` sorts
                // once and builds the tree in O(n), cheaper than one O(log n) insert per id.
                let mut by_kind: [Vec<Id>; 6] = Default::default();
                for (index, node) in nodes.iter().enumerate() {
                    node.validate().map_err(at(index))?;
                    if let Some(old) = graph.nodes.insert(node.id.clone(), Arc::clone(node))
                        && old.kind() != node.kind()
                    {
                        return Err(at(index)(ValidationError::KindChange {
                            id: node.id.to_string(),
                            existing: old.kind(),
                            requested: node.kind(),
                        }));
                    }
                    by_kind[node.kind().index()].push(node.id.clone());
                }
                for (set, ids) in graph.by_kind.iter_mut().zip(by_kind) {
                    *set = BTreeSet::from_iter(ids);
                }
                Ok(())
            },
        );
        nodes_checked?;
        for (index, node) in nodes.iter().enumerate() {
            for (field, target, expected) in node.references() {
                if !graph.has_kind(target, &[expected]) {
                    let referrer = format!("node {}", node.id);
                    graph
                        .expect_kind(&referrer, field, target, &[expected])
                        .map_err(at(index))?;
                }
            }
        }

        // Each half of the edges is checked on its own thread; a failure in the first half
        // comes before any in the second, so the error is the earliest one, as in sequence.
        let mut first = edges;
        let second = first.split_off(first.len() / 2);
        let offset = nodes.len() + first.len();
        let (first, second) = both(
            parallel,
            || graph.check_edges(&slots, first, nodes.len()),
            || graph.check_edges(&slots, second, offset),
        );
        let (mut entries, mut ends) = first?;
        let (more_entries, more_ends) = second?;
        entries.extend(more_entries);
        ends.extend(more_ends);

        // The edge map and the adjacency share no data: one thread each.
        let (edge_map, mut adjacency) = both(
            parallel,
            || {
                let mut map = HashMap::with_capacity(entries.len());
                // A repeated key replaces the earlier edge but is listed once per end; the
                // repeats (none in a store, whose keys are unique) are fixed after the join.
                let mut repeated = Vec::new();
                for (key, edge) in entries {
                    match map.entry(key) {
                        Entry::Occupied(mut old) => {
                            repeated.push(old.key().clone());
                            old.insert(edge);
                        }
                        Entry::Vacant(new) => {
                            new.insert(edge);
                        }
                    }
                }
                (map, repeated)
            },
            || slots.adjacency(ends),
        );
        let (edge_map, repeated) = edge_map;
        if !repeated.is_empty() {
            let repeated: HashSet<EdgeKey> = repeated.into_iter().collect();
            for key in &repeated {
                for end in [&key.from, &key.to] {
                    if let Some(list) = adjacency.get_mut(end) {
                        // Keep the first listing, where a sequential build pushed the key.
                        let mut seen = false;
                        list.retain(|k| k != key || !std::mem::replace(&mut seen, true));
                    }
                }
            }
        }
        graph.edges = edge_map;
        graph.adjacency = adjacency;
        Ok(graph)
    }

    /// Checks edges as [`Graph::apply`] would on a graph holding exactly `self.nodes`: each
    /// edge valid, symmetric ones normalised, both ends nodes of allowed kinds. Returns the
    /// entries for the edge map and, per edge, the slots of its ends with a key for the
    /// adjacency; or the first failure, positioned from `offset`.
    fn check_edges(
        &self,
        slots: &Slots,
        edges: Vec<Arc<Edge>>,
        offset: usize,
    ) -> Result<CheckedEdges, ApplyError> {
        let at = |index: usize| move |error: ValidationError| ApplyError { index, error };
        let mut entries = Vec::with_capacity(edges.len());
        let mut ends = Vec::with_capacity(edges.len());
        for (position, edge) in edges.into_iter().enumerate() {
            let index = offset + position;
            edge.validate().map_err(at(index))?;
            let edge = if edge.kind.is_symmetric() && edge.to < edge.from {
                Arc::new(Edge::clone(&edge).normalised())
            } else {
                edge
            };
            let key = edge.key();
            let (from_kinds, to_kinds) = key.kind.endpoints();
            let mut found = [0u32; 2];
            for (slot, (field, end, kinds)) in found
                .iter_mut()
                .zip([("from", &key.from, from_kinds), ("to", &key.to, to_kinds)])
            {
                match slots.of_kind(end, kinds) {
                    Some(s) => *slot = s,
                    None => {
                        // The slot table and the node map agree, so this is the error; the
                        // fallback only guards against them ever drifting apart.
                        self.expect_kind(&format!("edge {key}"), field, end, kinds)
                            .map_err(at(index))?;
                        return Err(at(index)(ValidationError::UnknownNode {
                            referrer: format!("edge {key}"),
                            field,
                            id: end.to_string(),
                        }));
                    }
                }
            }
            ends.push((found[0], found[1], key.clone()));
            entries.push((key, edge));
        }
        Ok((entries, ends))
    }

    /// True when `id` is a node of one of `kinds` (the allocation-free check of
    /// [`Graph::expect_kind`]).
    fn has_kind(&self, id: &Id, kinds: &[NodeKind]) -> bool {
        self.nodes
            .get(id)
            .is_some_and(|node| kinds.contains(&node.kind()))
    }

    /// Removes `key` from the adjacency list of `end` (no-op if absent).
    fn unlink(&mut self, key: &EdgeKey, end: &Id) {
        if let Some(list) = self.adjacency.get_mut(end) {
            list.retain(|k| k != key);
            if list.is_empty() {
                self.adjacency.remove(end);
            }
        }
    }

    /// Checks that every touched node's references and every touched edge's ends resolve to
    /// nodes of the right kinds, and that no deleted node is still referenced.
    fn check_references(
        &self,
        touched_nodes: &HashMap<Id, usize>,
        touched_edges: &HashMap<EdgeKey, usize>,
    ) -> Result<(), ApplyError> {
        let mut failures: Vec<ApplyError> = Vec::new();
        for (id, &index) in touched_nodes {
            let Some(node) = self.nodes.get(id) else {
                continue;
            };
            for (field, target, expected) in node.references() {
                if let Err(error) =
                    self.expect_kind(&format!("node {id}"), field, target, &[expected])
                {
                    failures.push(ApplyError { index, error });
                }
            }
        }
        for (key, &index) in touched_edges {
            if !self.edges.contains_key(key) {
                continue;
            }
            let (from_kinds, to_kinds) = key.kind.endpoints();
            let referrer = format!("edge {key}");
            for (field, end, kinds) in [("from", &key.from, from_kinds), ("to", &key.to, to_kinds)]
            {
                if let Err(error) = self.expect_kind(&referrer, field, end, kinds) {
                    failures.push(ApplyError { index, error });
                }
            }
        }
        // Only cities and fields can be referenced by attributes; scan only when one went.
        let deleted: Vec<(&Id, usize)> = touched_nodes
            .iter()
            .filter(|(id, _)| !self.nodes.contains_key(*id))
            .map(|(id, i)| (id, *i))
            .collect();
        if !deleted.is_empty() {
            let deleted: HashMap<&Id, usize> = deleted.into_iter().collect();
            for node in self.nodes.values() {
                for (field, target, _) in node.references() {
                    if let Some(&index) = deleted.get(target) {
                        failures.push(ApplyError {
                            index,
                            error: ValidationError::StillReferenced {
                                id: target.to_string(),
                                referrer: format!("node {}", node.id),
                                field,
                            },
                        });
                    }
                }
            }
        }
        // Report the earliest offending change, so the error is the same on every run.
        match failures
            .into_iter()
            .min_by(|a, b| (a.index, a.error.to_string()).cmp(&(b.index, b.error.to_string())))
        {
            Some(first) => Err(first),
            None => Ok(()),
        }
    }

    fn expect_kind(
        &self,
        referrer: &str,
        field: &'static str,
        target: &Id,
        kinds: &[NodeKind],
    ) -> Result<(), ValidationError> {
        match self.nodes.get(target) {
            None => Err(ValidationError::UnknownNode {
                referrer: referrer.to_owned(),
                field,
                id: target.to_string(),
            }),
            Some(node) if !kinds.contains(&node.kind()) => Err(ValidationError::WrongKind {
                referrer: referrer.to_owned(),
                field,
                id: target.to_string(),
                expected: kinds
                    .iter()
                    .map(|k| k.code())
                    .collect::<Vec<_>>()
                    .join(" or "),
                found: node.kind(),
            }),
            Some(_) => Ok(()),
        }
    }
}

/// Edges from which [`Graph::from_parts`] works on two threads; below it, starting them costs
/// more than they save.
const PARALLEL_EDGES: usize = 16 * 1024;

/// Checked edges, as [`Graph::check_edges`] returns them: the edge-map entries, and the slots
/// of each edge's ends with the key to list under them.
type CheckedEdges = (Vec<(EdgeKey, Arc<Edge>)>, Vec<(u32, u32, EdgeKey)>);

/// Runs `a` and `b`, on two threads when `parallel`.
fn both<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        match a.join() {
            Ok(a) => (a, b),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// A dense number per distinct node id, with the kind of the last node given for it (the one
/// the node map keeps), for [`Graph::from_parts`]. Why: looking an edge end up here gives its
/// kind without reading the node, and a number to count and list the adjacency by without
/// hashing the id again.
struct Slots {
    by_id: HashMap<Id, (u32, NodeKind)>,
    ids: Vec<Id>,
}

impl Slots {
    fn of(nodes: &[Arc<Node>]) -> Slots {
        let mut by_id: HashMap<Id, (u32, NodeKind)> = HashMap::with_capacity(nodes.len());
        let mut ids = Vec::with_capacity(nodes.len());
        for node in nodes {
            let next = ids.len() as u32;
            match by_id.entry(node.id.clone()) {
                Entry::Occupied(mut old) => old.get_mut().1 = node.kind(),
                Entry::Vacant(new) => {
                    new.insert((next, node.kind()));
                    ids.push(node.id.clone());
                }
            }
        }
        Slots { by_id, ids }
    }

    /// The slot of `id` when it is a node of one of `kinds`.
    fn of_kind(&self, id: &Id, kinds: &[NodeKind]) -> Option<u32> {
        self.by_id
            .get(id)
            .filter(|(_, kind)| kinds.contains(kind))
            .map(|&(slot, _)| slot)
    }

    /// The adjacency of edges given as the slots of their ends, each list in edge order and
    /// allocated once at its final length.
    fn adjacency(&self, ends: Vec<(u32, u32, EdgeKey)>) -> HashMap<Id, Vec<EdgeKey>> {
        let mut counts = vec![0u32; self.ids.len()];
        for (from, to, _) in &ends {
            counts[*from as usize] += 1;
            counts[*to as usize] += 1;
        }
        let mut lists: Vec<Vec<EdgeKey>> = counts
            .iter()
            .map(|&n| Vec::with_capacity(n as usize))
            .collect();
        for (from, to, key) in ends {
            lists[from as usize].push(key.clone());
            lists[to as usize].push(key);
        }
        let touched = counts.iter().filter(|&&n| n > 0).count();
        let mut adjacency = HashMap::with_capacity(touched);
        for (id, list) in self.ids.iter().zip(lists) {
            if !list.is_empty() {
                adjacency.insert(id.clone(), list);
            }
        }
        adjacency
    }
}

#[cfg(test)]
mod from_parts_tests {
    use super::*;
    use crate::{CityAttrs, InstitutionAttrs, InstitutionKind, Names, PersonAttrs, Provenance};

    fn id(text: &str) -> Id {
        Id::new(text).expect("test ids are valid")
    }

    fn node(text: &str, attrs: NodeAttrs) -> Arc<Node> {
        Arc::new(Node {
            id: id(text),
            names: Names {
                en: Some(text.to_owned()),
                ..Names::default()
            },
            attrs,
            provenance: Provenance::default(),
        })
    }

    fn parts() -> (Vec<Arc<Node>>, Vec<Arc<Edge>>) {
        let city = node(
            "macao",
            NodeAttrs::City(CityAttrs {
                region: Region::Macao,
                in_gba: true,
                lat: None,
                lon: None,
                adcode: None,
            }),
        );
        let um = node(
            "um",
            NodeAttrs::Institution(InstitutionAttrs {
                kind: InstitutionKind::University,
                city: Some(id("macao")),
                website: None,
            }),
        );
        let person = node("p-1", NodeAttrs::Person(PersonAttrs {}));
        // Given against key order: the graph must keep it normalised, as apply does.
        let collab = Arc::new(Edge::new(EdgeKind::CollaboratesWith, id("um"), id("p-1")));
        let affiliated = Arc::new(Edge::new(EdgeKind::AffiliatedWith, id("p-1"), id("um")));
        (vec![city, um, person], vec![collab, affiliated])
    }

    #[test]
    fn builds_the_graph_apply_builds() {
        let (nodes, edges) = parts();
        let mut changes = ChangeSet::new();
        changes
            .changes
            .extend(nodes.iter().cloned().map(Change::UpsertNode));
        changes
            .changes
            .extend(edges.iter().cloned().map(Change::UpsertEdge));
        let (applied, _) = Graph::new().apply(&changes).expect("valid parts");
        let built = Graph::from_parts(7, nodes, edges).expect("valid parts");
        assert_eq!(built.version(), 7);
        assert_eq!(built.stats().nodes, applied.stats().nodes);
        assert_eq!(built.edges, applied.edges);
        assert_eq!(built.nodes, applied.nodes);
        assert_eq!(built.by_kind, applied.by_kind);
        let mut left = built.adjacency.clone();
        let mut right = applied.adjacency.clone();
        left.values_mut().for_each(|keys| keys.sort());
        right.values_mut().for_each(|keys| keys.sort());
        assert_eq!(left, right);
        assert_eq!(
            built.jurisdictions_of("p-1"),
            BTreeSet::from([Jurisdiction::Macao])
        );
    }

    /// Enough people and collaborations for the two-thread build, with repeated keys and
    /// symmetric edges given both ways: the graph must be the one apply builds, adjacency
    /// order included.
    fn many() -> (Vec<Arc<Node>>, Vec<Arc<Edge>>) {
        let people = 1_000;
        let nodes: Vec<Arc<Node>> = (0..people)
            .map(|i| node(&format!("p-{i}"), NodeAttrs::Person(PersonAttrs {})))
            .collect();
        let edges = (0..2 * PARALLEL_EDGES)
            .map(|i| {
                let a = i % people;
                let b = (i * 7 + 1 + i / people) % people;
                let b = if a == b { (b + 1) % people } else { b };
                let edge = Edge::new(
                    EdgeKind::CollaboratesWith,
                    id(&format!("p-{a}")),
                    id(&format!("p-{b}")),
                );
                Arc::new(Edge {
                    since: Some(2000 + (i % 20) as i32),
                    ..edge
                })
            })
            .collect();
        (nodes, edges)
    }

    #[test]
    fn builds_a_large_graph_as_apply_does() {
        let (nodes, edges) = many();
        let mut changes = ChangeSet::new();
        changes
            .changes
            .extend(nodes.iter().cloned().map(Change::UpsertNode));
        changes
            .changes
            .extend(edges.iter().cloned().map(Change::UpsertEdge));
        let (applied, _) = Graph::new().apply(&changes).expect("valid parts");
        let built = Graph::from_parts(3, nodes, edges.clone()).expect("valid parts");
        assert!(built.edge_count() < edges.len(), "the sample repeats keys");
        assert_eq!(built.nodes, applied.nodes);
        assert_eq!(built.by_kind, applied.by_kind);
        assert_eq!(built.edges, applied.edges);
        assert_eq!(built.adjacency, applied.adjacency);
    }

    #[test]
    fn refuses_the_earliest_failure_of_a_large_graph() {
        let (nodes, mut edges) = many();
        let late = edges.len() - 3;
        let early = 10;
        let bad = |to: &str| Arc::new(Edge::new(EdgeKind::CollaboratesWith, id("p-1"), id(to)));
        edges[late] = bad("nobody");
        let err = Graph::from_parts(1, nodes.clone(), edges.clone()).expect_err("unknown end");
        assert_eq!(err.index, nodes.len() + late);
        edges[early] = bad("p-1");
        let err = Graph::from_parts(1, nodes.clone(), edges).expect_err("a self-loop");
        assert_eq!(err.index, nodes.len() + early);
        assert!(
            matches!(
                &err.error,
                ValidationError::InvalidValue { field: "to", .. }
            ),
            "{err}"
        );
    }

    #[test]
    fn refuses_what_apply_refuses_with_the_position() {
        let (mut nodes, edges) = parts();
        nodes.remove(0); // the city um refers to
        let err = Graph::from_parts(1, nodes, edges).expect_err("um's city is missing");
        assert_eq!(err.index, 0);
        assert!(
            matches!(&err.error, ValidationError::UnknownNode { field: "city", id, .. } if id == "macao"),
            "{err}"
        );

        let (nodes, mut edges) = parts();
        edges.push(Arc::new(Edge::new(EdgeKind::MemberOf, id("p-1"), id("um"))));
        let err = Graph::from_parts(1, nodes, edges).expect_err("um is not a lab");
        assert_eq!(err.index, 5);
        assert!(
            matches!(
                &err.error,
                ValidationError::WrongKind {
                    field: "to",
                    found: NodeKind::Institution,
                    ..
                }
            ),
            "{err}"
        );
    }
}

#[cfg(test)]
mod location_tests {
    use super::*;
    use crate::{
        CityAttrs, InstitutionAttrs, InstitutionKind, LabAttrs, LabKind, Names, PersonAttrs,
        Provenance,
    };

    fn id(text: &str) -> Id {
        Id::new(text).expect("test ids are valid")
    }

    fn node(text: &str, attrs: NodeAttrs) -> Node {
        Node {
            id: id(text),
            names: Names {
                en: Some(text.to_owned()),
                ..Names::default()
            },
            attrs,
            provenance: Provenance::default(),
        }
    }

    fn city(text: &str, region: Region) -> Node {
        node(
            text,
            NodeAttrs::City(CityAttrs {
                region,
                in_gba: true,
                lat: None,
                lon: None,
                adcode: None,
            }),
        )
    }

    fn institution(text: &str, city: &str) -> Node {
        node(
            text,
            NodeAttrs::Institution(InstitutionAttrs {
                kind: InstitutionKind::University,
                city: Some(id(city)),
                website: None,
            }),
        )
    }

    fn lab(text: &str, cities: &[&str]) -> Node {
        node(
            text,
            NodeAttrs::Lab(LabAttrs {
                kind: LabKind::JointLab,
                category: None,
                batch_year: None,
                founded: None,
                status: None,
                cities: cities.iter().map(|c| id(c)).collect(),
            }),
        )
    }

    fn edge(kind: EdgeKind, from: &str, to: &str) -> Edge {
        Edge::new(kind, id(from), id(to))
    }

    /// Two cities of Guangdong's PRD, Hong Kong and Macao; a lab without cities hosted in
    /// Guangzhou and Hong Kong (a Macao partner does not locate it); a lab with its own city;
    /// a person with a primary affiliation and one without.
    fn graph() -> Graph {
        let mut changes = ChangeSet::new();
        for n in [
            city("guangzhou", Region::GdPrd),
            city("shenzhen", Region::GdPrd),
            city("hong-kong", Region::Hk),
            city("macao", Region::Macao),
            institution("sysu", "guangzhou"),
            institution("szu", "shenzhen"),
            institution("hku", "hong-kong"),
            institution("um", "macao"),
            lab("hosted", &[]),
            lab("placed", &["shenzhen"]),
            node("primary", NodeAttrs::Person(PersonAttrs {})),
            node("unmarked", NodeAttrs::Person(PersonAttrs {})),
        ] {
            changes.upsert_node(n);
        }
        for (host, role) in [
            ("sysu", EdgeRole::Host),
            ("hku", EdgeRole::Host),
            ("um", EdgeRole::Partner),
        ] {
            changes.upsert_edge(Edge {
                role: Some(role),
                ..edge(EdgeKind::PartnerIn, host, "hosted")
            });
        }
        changes.upsert_edge(Edge {
            primary: Some(true),
            ..edge(EdgeKind::AffiliatedWith, "primary", "um")
        });
        changes.upsert_edge(edge(EdgeKind::AffiliatedWith, "primary", "szu"));
        changes.upsert_edge(edge(EdgeKind::AffiliatedWith, "unmarked", "szu"));
        changes.upsert_edge(edge(EdgeKind::AffiliatedWith, "unmarked", "hku"));
        // A symmetric tie written against key order: stored as primary → unmarked.
        changes.upsert_edge(edge(EdgeKind::CollaboratesWith, "unmarked", "primary"));
        Graph::new().apply(&changes).expect("a valid graph").0
    }

    fn ids(texts: &[&str]) -> BTreeSet<Id> {
        texts.iter().map(|t| id(t)).collect()
    }

    #[test]
    fn cities_follow_the_location_rules() {
        let g = graph();
        assert_eq!(g.cities_of("macao"), ids(&["macao"]));
        assert_eq!(g.cities_of("sysu"), ids(&["guangzhou"]));
        assert_eq!(g.cities_of("placed"), ids(&["shenzhen"]));
        assert_eq!(g.cities_of("hosted"), ids(&["guangzhou", "hong-kong"]));
        assert_eq!(g.cities_of("primary"), ids(&["macao"]));
        assert_eq!(g.cities_of("unmarked"), ids(&["hong-kong", "shenzhen"]));
        assert_eq!(g.cities_of("nowhere"), BTreeSet::new());
    }

    #[test]
    fn adjacent_of_kind_is_adjacent_filtered_by_kind() {
        let g = graph();
        for node in g.nodes() {
            let id = node.id.as_str();
            for kind in EdgeKind::ALL {
                let all: Vec<(EdgeKey, bool)> = g
                    .adjacent(id)
                    .filter(|adj| adj.edge.kind == kind)
                    .map(|adj| (adj.edge.key(), adj.outgoing))
                    .collect();
                let of_kind: Vec<(EdgeKey, bool)> = g
                    .adjacent_of_kind(id, kind)
                    .map(|adj| (adj.edge.key(), adj.outgoing))
                    .collect();
                assert_eq!(of_kind, all, "{id} {kind}");
            }
        }
        assert_eq!(g.adjacent_of_kind("hosted", EdgeKind::PartnerIn).count(), 3);
    }

    #[test]
    fn outgoing_of_kind_is_adjacent_of_kind_leaving_the_node() {
        let g = graph();
        for kind in EdgeKind::ALL {
            let mut seen: Vec<EdgeKey> = Vec::new();
            for node in g.nodes() {
                let id = node.id.as_str();
                let leaving: Vec<EdgeKey> = g
                    .adjacent_of_kind(id, kind)
                    .filter(|adj| adj.outgoing)
                    .map(|adj| adj.edge.key())
                    .collect();
                let outgoing: Vec<EdgeKey> =
                    g.outgoing_of_kind(id, kind).map(|e| e.key()).collect();
                assert_eq!(outgoing, leaving, "{id} {kind}");
                seen.extend(outgoing);
            }
            // Read from every node, each edge of the kind comes exactly once.
            let mut all: Vec<EdgeKey> = g
                .edges()
                .filter(|e| e.kind == kind)
                .map(|e| e.key())
                .collect();
            seen.sort();
            all.sort();
            assert_eq!(seen, all, "{kind}");
        }
    }

    #[test]
    fn regions_and_jurisdictions_are_those_of_the_cities() {
        let g = graph();
        assert_eq!(
            g.regions_of("hosted"),
            BTreeSet::from([Region::Hk, Region::GdPrd])
        );
        assert_eq!(g.regions_of("primary"), BTreeSet::from([Region::Macao]));
        assert_eq!(
            g.jurisdictions_of("unmarked"),
            BTreeSet::from([Jurisdiction::Mainland, Jurisdiction::HongKong])
        );
        for node in g.nodes() {
            let id = node.id.as_str();
            let from_cities: BTreeSet<Region> = g
                .cities_of(id)
                .iter()
                .filter_map(|c| match &g.node(c.as_str())?.attrs {
                    NodeAttrs::City(a) => Some(a.region),
                    _ => None,
                })
                .collect();
            assert_eq!(g.regions_of(id), from_cities, "{id}");
        }
    }
}
