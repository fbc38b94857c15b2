//! Map views: the neighbourhood of some nodes (or every node passing a filter) as a subgraph
//! (nodes and every edge among them, not a tree) with community ids, degrees and
//! deterministic layout coordinates, and its export as Cytoscape.js elements JSON, GEXF and
//! GraphML (the last two through labgraph-graphxml, the writer of the whole-graph export).

use std::collections::{BTreeMap, BTreeSet};

use labgraph_analytics::algo::{LouvainParams, louvain};
use labgraph_domain::{Edge, EdgeKind, Graph, Id, Names, Node, NodeKind};
use labgraph_graphxml::{AttrType, EdgeRecord, Header, NodeRecord};

use crate::InsightError;
use crate::gaps::check_year;
use crate::place;

/// Deepest neighbourhood asked for. Why a bound: the graph's small world reaches most of the
/// network in four hops, which is a whole-graph map, not a neighbourhood.
pub const MAX_DEPTH: u32 = 3;

/// Most nodes a subgraph may have. Why a bound: the layout costs O(n²) per iteration, and a
/// map of more nodes cannot be read anyway.
pub const MAX_NODES: usize = 1000;

/// Iterations of the layout: fixed, so the same subgraph always gets the same coordinates.
pub const LAYOUT_ITERATIONS: usize = 100;

/// The seed of the Louvain run giving community ids.
pub const COMMUNITY_SEED: u64 = 0;

/// One node of a subgraph.
#[derive(Debug, Clone, PartialEq)]
pub struct MapNode {
    /// The node.
    pub id: Id,
    /// Its kind.
    pub kind: NodeKind,
    /// Its display name: English, else Chinese, Portuguese or short (its id when it has none),
    /// the label of every export.
    pub name: String,
    /// All its names (Chinese, English, Portuguese), for the exports.
    pub names: Names,
    /// Its community in the institution network (Louvain, seeded, as of the same year);
    /// `None` for nodes not in that network (labs, people, fields, institutions without ties).
    pub community: Option<usize>,
    /// Edges of the subgraph touching it.
    pub degree: usize,
    /// Layout abscissa in [0, 1].
    pub x: f64,
    /// Layout ordinate in [0, 1].
    pub y: f64,
    /// Its score under [`Subgraph::centrality`]'s measure, when the caller set one with
    /// [`Subgraph::with_centrality`]; `None` for nodes outside the measure's network.
    pub centrality: Option<f64>,
}

/// One edge of a subgraph, as stored in the domain graph (direction kept).
///
/// `source`, `target` and `kind` are the stored edge's `from`, `to` and `kind`, kept as
/// fields because maps are ordered and drawn by them; everything else the graph knows of the
/// tie (role, title, primary, mode, years, weight, provenance) is read from [`MapEdge::edge`],
/// the stored edge itself, so the map and its exports cannot disagree with the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEdge {
    /// The edge's start.
    pub source: Id,
    /// The edge's end.
    pub target: Id,
    /// Its kind.
    pub kind: EdgeKind,
    /// The stored edge, with all its attributes.
    pub edge: Edge,
}

impl MapEdge {
    /// The map edge of a stored edge.
    pub fn of(edge: &Edge) -> MapEdge {
        MapEdge {
            source: edge.from.clone(),
            target: edge.to.clone(),
            kind: edge.kind,
            edge: edge.clone(),
        }
    }

    /// The order of a map's edges: source, target, kind.
    fn order(&self) -> (&Id, &Id, EdgeKind) {
        (&self.source, &self.target, self.kind)
    }
}

/// A subgraph: nodes by id, edges by source, target and kind.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Subgraph {
    /// The nodes, ordered by id.
    pub nodes: Vec<MapNode>,
    /// Every edge among the nodes that holds in the year asked for, ordered.
    pub edges: Vec<MapEdge>,
    /// The measure [`MapNode::centrality`] holds (e.g. `DEGREE`), once set by
    /// [`Subgraph::with_centrality`]; the exports carry a `centrality` attribute only then.
    pub centrality: Option<String>,
}

impl Subgraph {
    /// The subgraph with each node's centrality under `measure` (a name for the exports'
    /// descriptions) given by `score`. Why from outside: the API takes scores from its cached
    /// whole-network rankings, one computation per graph version shared by every map.
    pub fn with_centrality(
        mut self,
        measure: impl Into<String>,
        score: impl Fn(&Id, NodeKind) -> Option<f64>,
    ) -> Subgraph {
        for node in &mut self.nodes {
            node.centrality = score(&node.id, node.kind);
        }
        self.centrality = Some(measure.into());
        self
    }
}

/// Checks the arguments of [`subgraph`] that need no graph: `depth` in 1..=[`MAX_DEPTH`],
/// `max_nodes` in 1..=[`MAX_NODES`], `as_of` in `labgraph_domain::YEAR_RANGE`, `around` not
/// empty.
pub fn check_arguments(
    around: &[Id],
    depth: u32,
    as_of: Option<i32>,
    max_nodes: usize,
) -> Result<(), InsightError> {
    check_filtered_arguments(around, false, depth, as_of, max_nodes)
}

/// [`check_arguments`] for [`subgraph_where`]: `around` may be empty when `filtered` (a
/// filtered map of the whole graph), never otherwise.
pub fn check_filtered_arguments(
    around: &[Id],
    filtered: bool,
    depth: u32,
    as_of: Option<i32>,
    max_nodes: usize,
) -> Result<(), InsightError> {
    if around.is_empty() && !filtered {
        return Err(InsightError::invalid(
            "around",
            "give at least one node, or a `where` for a filtered map of the whole graph",
        ));
    }
    if !(1..=MAX_DEPTH).contains(&depth) {
        return Err(InsightError::invalid(
            "depth",
            format!("{depth} is outside 1..={MAX_DEPTH}"),
        ));
    }
    if !(1..=MAX_NODES).contains(&max_nodes) {
        return Err(InsightError::invalid(
            "maxNodes",
            format!("{max_nodes} is outside 1..={MAX_NODES}"),
        ));
    }
    check_year("asOf", as_of)
}

/// The nodes within `depth` hops of the `around` nodes and every edge among them.
///
/// Hops follow every edge kind in both directions; with `as_of`, only edges holding that year
/// (`Edge::active_in`, the rule of `labgraph_analytics::projection`'s `as_of`) are followed
/// and kept. Nodes are found by breadth-first search from all `around` nodes at once, then
/// every edge with both ends among them is kept, so a triangle stays a triangle.
///
/// Each node gets its community by Louvain (Blondel et al. 2008, seed [`COMMUNITY_SEED`]) on
/// the institution network as of the same year, its degree within the subgraph, and layout
/// coordinates by [`layout`].
///
/// Errors: arguments as in [`check_arguments`]; an unknown id in `around`
/// ([`InsightError::UnknownNode`] naming it); more than `max_nodes` nodes reached.
///
/// Complexity: O(V' + E') for the search over the V' nodes and E' edges reached, one
/// projection and Louvain over the whole institution network (O(|V| + |E|) per level), and
/// O([`LAYOUT_ITERATIONS`] · (n² + e)) for the layout of the n nodes and e edges kept.
pub fn subgraph(
    graph: &Graph,
    around: &[Id],
    depth: u32,
    as_of: Option<i32>,
    max_nodes: usize,
) -> Result<Subgraph, InsightError> {
    subgraph_where(graph, around, depth, as_of, max_nodes, None)
}

/// Which nodes a filtered map may hold (besides its `around` nodes, always kept).
pub type Keep<'a> = &'a dyn Fn(&Node) -> bool;

/// [`subgraph`] holding only nodes that `keep` accepts (every node when `None`).
///
/// With `around`: the `around` nodes are always kept, and the search only steps onto nodes
/// `keep` accepts — so every node on the map joins an `around` node through nodes on the map,
/// and a map of institutions and labs never reaches through a field to all its labs. Without
/// `around` (only with a `keep`): every node `keep` accepts, `depth` unused, more than
/// `max_nodes` of them an error. Either way, every edge among the kept nodes holding in
/// `as_of` is drawn; communities, degrees and layout as in [`subgraph`].
///
/// Errors: as [`subgraph`]'s, and an empty `around` without `keep`.
///
/// Complexity: as [`subgraph`]'s, plus one `keep` call per node looked at (every node of the
/// graph without `around`).
pub fn subgraph_where(
    graph: &Graph,
    around: &[Id],
    depth: u32,
    as_of: Option<i32>,
    max_nodes: usize,
    keep: Option<Keep<'_>>,
) -> Result<Subgraph, InsightError> {
    check_filtered_arguments(around, keep.is_some(), depth, as_of, max_nodes)?;
    for (i, id) in around.iter().enumerate() {
        if graph.node(id.as_str()).is_none() {
            return Err(InsightError::UnknownNode {
                argument: format!("around[{i}]"),
                id: id.to_string(),
            });
        }
    }
    let holds = |e: &Edge| as_of.is_none_or(|y| e.active_in(y));
    let kept = |n: &Node| keep.is_none_or(|keep| keep(n));

    let reached: BTreeSet<Id> = if around.is_empty() {
        let all: BTreeSet<Id> = graph
            .nodes()
            .filter(|n| kept(n))
            .map(|n| n.id.clone())
            .collect();
        if all.len() > max_nodes {
            return Err(InsightError::invalid(
                "maxNodes",
                format!(
                    "{} nodes pass `where`, more than {max_nodes}; narrow `where`, give \
                     `around`, or ask for a larger maxNodes",
                    all.len()
                ),
            ));
        }
        all
    } else {
        reach(graph, around, depth, max_nodes, &holds, &kept)?
    };
    build(graph, reached, as_of, &holds)
}

/// The nodes within `depth` hops of `around` over edges that `holds`, stepping only onto
/// nodes `kept` accepts; an error past `max_nodes`.
fn reach(
    graph: &Graph,
    around: &[Id],
    depth: u32,
    max_nodes: usize,
    holds: &dyn Fn(&Edge) -> bool,
    kept: &dyn Fn(&Node) -> bool,
) -> Result<BTreeSet<Id>, InsightError> {
    // Breadth-first search, level by level, from all starting nodes.
    let mut reached: BTreeSet<Id> = around.iter().cloned().collect();
    let mut frontier: Vec<Id> = reached.iter().cloned().collect();
    for _ in 0..depth {
        let mut next = Vec::new();
        for id in &frontier {
            for adj in graph.adjacent(id.as_str()) {
                if holds(adj.edge) && !reached.contains(&adj.neighbour.id) && kept(adj.neighbour) {
                    reached.insert(adj.neighbour.id.clone());
                    next.push(adj.neighbour.id.clone());
                }
            }
        }
        if reached.len() > max_nodes {
            return Err(InsightError::invalid(
                "maxNodes",
                format!(
                    "more than {max_nodes} nodes lie within depth {depth}; ask for a smaller \
                     depth or a larger maxNodes"
                ),
            ));
        }
        next.sort();
        frontier = next;
    }
    Ok(reached)
}

/// The subgraph on the `reached` nodes: edges among them, communities, degrees, layout.
fn build(
    graph: &Graph,
    reached: BTreeSet<Id>,
    as_of: Option<i32>,
    holds: &dyn Fn(&Edge) -> bool,
) -> Result<Subgraph, InsightError> {
    // Every edge among the reached nodes, seen once from its `from` end.
    let mut edges: Vec<MapEdge> = Vec::new();
    for id in &reached {
        for adj in graph.adjacent(id.as_str()) {
            if adj.outgoing && holds(adj.edge) && reached.contains(&adj.neighbour.id) {
                edges.push(MapEdge::of(adj.edge));
            }
        }
    }
    // A graph holds one edge per kind and ends, so equal keys are the same stored edge (a
    // symmetric edge may be met from both ends).
    edges.sort_by(|a, b| a.order().cmp(&b.order()));
    edges.dedup_by(|a, b| a.order() == b.order());

    let network = place::institutions(graph, as_of)?;
    let partition = louvain(
        &network,
        &LouvainParams {
            seed: COMMUNITY_SEED,
            ..LouvainParams::default()
        },
    )
    .map_err(|e| InsightError::invalid("communities", e.to_string()))?;

    let ids: Vec<Id> = reached.into_iter().collect();
    let index: BTreeMap<&Id, usize> = ids.iter().enumerate().map(|(i, id)| (id, i)).collect();
    let pairs: Vec<(usize, usize)> = edges
        .iter()
        .filter_map(|e| Some((*index.get(&e.source)?, *index.get(&e.target)?)))
        .collect();
    let mut degree = vec![0usize; ids.len()];
    for &(u, v) in &pairs {
        degree[u] += 1;
        degree[v] += 1;
    }
    let coordinates = layout(&ids, &pairs);
    let nodes = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let node = graph.node(id.as_str())?;
            Some(MapNode {
                id: id.clone(),
                kind: node.kind(),
                name: node.names.display().unwrap_or(id.as_str()).to_owned(),
                names: node.names.clone(),
                community: partition.community(id.as_str()),
                degree: degree[i],
                x: coordinates[i].0,
                y: coordinates[i].1,
                centrality: None,
            })
        })
        .collect();
    Ok(Subgraph {
        nodes,
        edges,
        centrality: None,
    })
}

/// FNV-1a, 64 bits, of `text`: a portable hash (no seed, no platform dependence) for the
/// initial placement.
fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Layout coordinates in [0, 1] for nodes `ids` joined by `edges` (index pairs).
///
/// Fruchterman & Reingold (1991), "Graph drawing by force-directed placement", *Softw. Pract.
/// Exp.* 21(11): in a unit square with k = √(1/n), every pair repels with k²/d, every edge
/// attracts with d²/k, each node moves at most the temperature, which falls linearly from 0.1
/// to 0 over [`LAYOUT_ITERATIONS`]. The start is fixed: each node at the point given by the
/// FNV-1a hash of its id. Only +, −, ×, ÷ and √ are used (all correctly rounded in IEEE 754),
/// in a fixed order, so the same input gives the same coordinates bit for bit on every
/// machine. The result is scaled by the same factor on both axes (the shape kept) into
/// [0, 1], the shorter axis centred; a single node sits at (0.5, 0.5).
///
/// Complexity: O([`LAYOUT_ITERATIONS`] · (n² + e)) time, O(n) memory.
pub fn layout(ids: &[Id], edges: &[(usize, usize)]) -> Vec<(f64, f64)> {
    let n = ids.len();
    let mut pos: Vec<(f64, f64)> = ids
        .iter()
        .map(|id| {
            let h = fnv1a(id.as_str());
            let x = (h >> 32) as f64 / 4_294_967_296.0;
            let y = (h & 0xffff_ffff) as f64 / 4_294_967_296.0;
            (x, y)
        })
        .collect();
    if n >= 2 {
        let k = (1.0 / n as f64).sqrt();
        let k2 = k * k;
        let mut disp = vec![(0.0f64, 0.0f64); n];
        for step in 0..LAYOUT_ITERATIONS {
            let temperature = 0.1 * (1.0 - step as f64 / LAYOUT_ITERATIONS as f64);
            disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
            for u in 0..n {
                for v in (u + 1)..n {
                    let (dx, dy, d) = delta(pos[u], pos[v], u, v);
                    let f = k2 / d;
                    disp[u].0 += dx / d * f;
                    disp[u].1 += dy / d * f;
                    disp[v].0 -= dx / d * f;
                    disp[v].1 -= dy / d * f;
                }
            }
            for &(u, v) in edges {
                if u == v {
                    continue;
                }
                let (dx, dy, d) = delta(pos[u], pos[v], u, v);
                let f = d * d / k;
                disp[u].0 -= dx / d * f;
                disp[u].1 -= dy / d * f;
                disp[v].0 += dx / d * f;
                disp[v].1 += dy / d * f;
            }
            for (p, d) in pos.iter_mut().zip(&disp) {
                let len = (d.0 * d.0 + d.1 * d.1).sqrt();
                if len > 0.0 {
                    let step = len.min(temperature);
                    p.0 += d.0 / len * step;
                    p.1 += d.1 / len * step;
                }
            }
        }
    }
    normalise(&mut pos);
    pos
}

/// The vector from `b` to `a` and its length; two nodes on one point are pushed apart along
/// a fixed direction given by their order (so the result stays deterministic).
fn delta(a: (f64, f64), b: (f64, f64), u: usize, v: usize) -> (f64, f64, f64) {
    let (dx, dy) = (a.0 - b.0, a.1 - b.1);
    let d = (dx * dx + dy * dy).sqrt();
    if d > 1e-9 {
        (dx, dy, d)
    } else if u < v {
        (-1e-9, 0.0, 1e-9)
    } else {
        (1e-9, 0.0, 1e-9)
    }
}

/// Scales `pos` into [0, 1] by one factor on both axes, centring the shorter one.
fn normalise(pos: &mut [(f64, f64)]) {
    let fold = |f: fn(f64, f64) -> f64, init: f64, axis: fn(&(f64, f64)) -> f64| {
        pos.iter().map(axis).fold(init, f)
    };
    let (min_x, max_x) = (
        fold(f64::min, f64::INFINITY, |p| p.0),
        fold(f64::max, f64::NEG_INFINITY, |p| p.0),
    );
    let (min_y, max_y) = (
        fold(f64::min, f64::INFINITY, |p| p.1),
        fold(f64::max, f64::NEG_INFINITY, |p| p.1),
    );
    let span = (max_x - min_x).max(max_y - min_y);
    for p in pos.iter_mut() {
        if span > 0.0 {
            let x = (p.0 - min_x) / span + (span - (max_x - min_x)) / (2.0 * span);
            let y = (p.1 - min_y) / span + (span - (max_y - min_y)) / (2.0 * span);
            *p = (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0));
        } else {
            *p = (0.5, 0.5);
        }
    }
}

/// The subgraph as Cytoscape.js elements JSON: `{"elements": {"nodes": [{"data": {id, label,
/// kind, community, degree[, centrality]}, "position": {x, y}}], "edges": [{"data": {id,
/// source, target, kind, role, since, until, weight, verified, provenance}}]}}` (`centrality`
/// once [`Subgraph::with_centrality`] set it), ready for `cytoscape({ elements, layout: {
/// name: "preset" } })`. Positions are the [0, 1] coordinates times 1000 (Cytoscape works in
/// pixels). An edge's id is `kind:source:target`, unique because a graph holds one edge per
/// kind and ends.
///
/// An edge's attributes are its stored edge's ([`MapEdge::edge`]): every key is always
/// there, `null` when the graph does not know the value (no role, no years, no source), so
/// every edge has the same shape and a selector such as `edge[since >= 2020]` simply skips
/// the unknown. `weight` is the edge's weight, 1 when none is stored (as in GEXF and
/// GraphML). `provenance` is what GEXF and GraphML call `source`, the source the graph
/// records for the tie (a URL or citation): renamed because Cytoscape.js reads `source` as
/// the edge's start node.
pub fn to_cytoscape(subgraph: &Subgraph) -> serde_json::Value {
    let nodes: Vec<serde_json::Value> = subgraph
        .nodes
        .iter()
        .map(|n| {
            let mut node = serde_json::json!({
                "data": {
                    "id": n.id.as_str(),
                    "label": n.name,
                    "kind": n.kind.to_string(),
                    "community": n.community,
                    "degree": n.degree,
                },
                "position": { "x": n.x * 1000.0, "y": n.y * 1000.0 },
            });
            if subgraph.centrality.is_some() {
                node["data"]["centrality"] = serde_json::json!(n.centrality);
            }
            node
        })
        .collect();
    let edges: Vec<serde_json::Value> = subgraph
        .edges
        .iter()
        .map(|e| {
            let mut data = serde_json::json!({
                "id": format!("{}:{}:{}", e.kind, e.source, e.target),
                "source": e.source.as_str(),
                "target": e.target.as_str(),
                "kind": e.kind.to_string(),
            });
            for (name, value) in edge_attributes(&e.edge) {
                let key = if name == "source" { "provenance" } else { name };
                data[key] = value.unwrap_or(serde_json::Value::Null);
            }
            serde_json::json!({ "data": data })
        })
        .collect();
    serde_json::json!({ "elements": { "nodes": nodes, "edges": edges } })
}

/// Node attribute columns of the GEXF and GraphML exports. `label` is the display name
/// (English, else Chinese, ...); `centrality` is written only once set (see
/// [`Subgraph::with_centrality`]) and is the last column, so the others keep their indexes.
const NODE_COLUMNS: &[(&str, AttrType)] = &[
    ("kind", AttrType::Str),
    ("label", AttrType::Str),
    ("name_zh_hans", AttrType::Str),
    ("name_zh_hant", AttrType::Str),
    ("name_en", AttrType::Str),
    ("name_pt", AttrType::Str),
    ("community", AttrType::Int),
    ("degree", AttrType::Int),
    ("centrality", AttrType::Double),
];

/// Edge attribute columns of the GEXF and GraphML exports: `kind`, then the columns of
/// [`edge_attributes`] in its order. `weight` is a column in both formats (GraphML has no
/// other place for it; GEXF also has it as the edge's own `weight`), as in the whole-graph
/// export; `source` is the source the graph records for the tie (its provenance), as there.
const EDGE_COLUMNS: &[(&str, AttrType)] = &[
    ("kind", AttrType::Str),
    ("role", AttrType::Str),
    ("since", AttrType::Int),
    ("until", AttrType::Int),
    ("weight", AttrType::Double),
    ("verified", AttrType::Bool),
    ("source", AttrType::Str),
];

/// The attributes every export writes for an edge beside its kind, read from the stored
/// edge, in [`EDGE_COLUMNS`] order: role, first and last year, weight (1 when none is
/// stored), whether its provenance was verified, and its provenance's source. `None` when
/// the graph does not know the value: the XML exports then leave the value out (as for
/// nodes), Cytoscape writes `null`.
fn edge_attributes(edge: &Edge) -> [(&'static str, Option<serde_json::Value>); 6] {
    [
        ("role", edge.role.map(|r| r.code().into())),
        ("since", edge.since.map(Into::into)),
        ("until", edge.until.map(Into::into)),
        ("weight", Some(edge.weight_or_one().into())),
        ("verified", Some(edge.provenance.verified.into())),
        (
            "source",
            edge.provenance
                .source
                .clone()
                .filter(|s| !s.is_empty())
                .map(Into::into),
        ),
    ]
}

/// Which file [`write_xml`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum XmlFormat {
    Gexf,
    Graphml,
}

/// Writes the subgraph as GEXF or GraphML through labgraph-graphxml: nodes in id order with
/// their kind, names, community, degree, centrality (when set) and position (GEXF
/// `viz:position`, GraphML `x`/`y`; the [0, 1] coordinates times 1000, as in
/// [`to_cytoscape`]), edges in order with their kind and the attributes of
/// [`edge_attributes`] that are known, and their weight (1 when none is stored).
fn write_xml(subgraph: &Subgraph, format: XmlFormat, description: &str) -> String {
    let columns = if subgraph.centrality.is_some() {
        NODE_COLUMNS
    } else {
        &NODE_COLUMNS[..NODE_COLUMNS.len() - 1]
    };
    let header = Header {
        graph_id: "labgraph-map",
        description,
        node_columns: columns,
        edge_columns: EDGE_COLUMNS,
        positions: true,
    };
    let nodes = subgraph.nodes.iter().map(|n| {
        let mut values: Vec<(usize, String)> = Vec::new();
        let mut put = |column: usize, value: Option<String>| {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                values.push((column, v));
            }
        };
        put(0, Some(n.kind.code().to_owned()));
        put(1, n.names.display().map(str::to_owned));
        put(2, n.names.zh_hans.clone());
        put(3, n.names.zh_hant.clone());
        put(4, n.names.en.clone());
        put(5, n.names.pt.clone());
        put(6, n.community.map(|c| c.to_string()));
        put(7, Some(n.degree.to_string()));
        if subgraph.centrality.is_some() {
            put(8, n.centrality.map(|c| c.to_string()));
        }
        NodeRecord {
            id: n.id.as_str(),
            label: n.name.as_str(),
            values,
            position: Some((n.x * 1000.0, n.y * 1000.0)),
        }
    });
    let edges = subgraph.edges.iter().map(|e| {
        let mut values = vec![(0, e.kind.code().to_owned())];
        for (name, value) in edge_attributes(&e.edge) {
            let column = EDGE_COLUMNS.iter().position(|(n, _)| *n == name);
            if let (Some(column), Some(value)) = (column, value) {
                // Numbers as Rust prints them (weight 1 is "1"), as the whole-graph export.
                let text = match value {
                    serde_json::Value::String(text) => text,
                    serde_json::Value::Number(n) => n.as_f64().unwrap_or_default().to_string(),
                    other => other.to_string(),
                };
                values.push((column, text));
            }
        }
        EdgeRecord {
            source: e.source.as_str(),
            target: e.target.as_str(),
            label: e.kind.code(),
            weight: e.edge.weight_or_one(),
            values,
        }
    });
    let mut out = Vec::new();
    let written = match format {
        XmlFormat::Gexf => labgraph_graphxml::write_gexf(&header, nodes, edges, &mut out),
        XmlFormat::Graphml => labgraph_graphxml::write_graphml(&header, nodes, edges, &mut out),
    };
    // Writing into a Vec cannot fail, and the writer emits UTF-8 only (escaped &str input).
    match written {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        Err(e) => unreachable!("writing to memory failed: {e}"),
    }
}

/// What a map file says it is, for GEXF's description.
fn description(subgraph: &Subgraph) -> String {
    match &subgraph.centrality {
        Some(measure) => format!(
            "labgraph map: {} nodes, {} edges; centrality: {measure}",
            subgraph.nodes.len(),
            subgraph.edges.len()
        ),
        None => format!(
            "labgraph map: {} nodes, {} edges",
            subgraph.nodes.len(),
            subgraph.edges.len()
        ),
    }
}

/// The subgraph as GEXF 1.2 (for Gephi): the node label is the display name, each node has
/// its attributes (kind, names, community, degree, centrality when set) and a
/// `viz:position` (coordinates × 1000, as in [`to_cytoscape`]). Each edge has its kind as
/// label, the stored weight as its `weight` (1 when none is stored, so Gephi can size ties
/// by joint works), and the attributes `kind`, `role`, `since`, `until` (integers, for
/// Gephi's timeline filters), `weight`, `verified` (boolean) and `source` (where the tie is
/// recorded), each written only when the graph knows it, as for nodes.
pub fn to_gexf(subgraph: &Subgraph) -> String {
    write_xml(subgraph, XmlFormat::Gexf, &description(subgraph))
}

/// The subgraph as GraphML (for yEd, Cytoscape desktop, NetworkX): the same node and edge
/// attributes as [`to_gexf`] (the edge weight as the `weight` data, which NetworkX and yEd
/// read as the edge's weight), positions as `x` and `y` data.
pub fn to_graphml(subgraph: &Subgraph) -> String {
    write_xml(subgraph, XmlFormat::Graphml, &description(subgraph))
}
