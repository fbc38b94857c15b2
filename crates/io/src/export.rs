//! GraphML and GEXF export, for Gephi, Cytoscape, yEd and NetworkX: every node and edge with
//! its attributes, plus what those tools cannot derive themselves (display label, regions,
//! jurisdictions, and each edge's cross-border tie class). The XML itself is written by
//! labgraph-graphxml, the writer the map exports (labgraph-insights' subgraphs) share.

use std::collections::BTreeSet;
use std::io::{self, Write};

use labgraph_graphxml::{AttrType as Ty, EdgeRecord, Header, NodeRecord};
use serde::Serialize;

use labgraph_domain::{Edge, Graph, Node, NodeAttrs, NodeKind, Region};

use crate::record::code_of;

/// Node attribute columns. `label` is the display name (English, else Chinese, ...).
const NODE_ATTRS: &[(&str, Ty)] = &[
    ("kind", Ty::Str),
    ("label", Ty::Str),
    ("name_zh_hans", Ty::Str),
    ("name_zh_hant", Ty::Str),
    ("name_en", Ty::Str),
    ("name_pt", Ty::Str),
    ("short_name", Ty::Str),
    ("aliases", Ty::Str),
    ("subkind", Ty::Str),
    ("category", Ty::Str),
    ("status", Ty::Str),
    ("city", Ty::Str),
    ("cities", Ty::Str),
    ("parent", Ty::Str),
    ("regions", Ty::Str),
    ("jurisdictions", Ty::Str),
    ("batch_year", Ty::Int),
    ("founded", Ty::Int),
    ("established", Ty::Int),
    ("in_gba", Ty::Bool),
    ("lat", Ty::Double),
    ("lon", Ty::Double),
    ("adcode", Ty::Str),
    ("website", Ty::Str),
    ("source", Ty::Str),
    ("source_date", Ty::Str),
    ("verified", Ty::Bool),
    ("synthetic", Ty::Bool),
];

/// Edge attribute columns. `tie_class` is the jurisdiction pair (`mainland_hk`, ...).
const EDGE_ATTRS: &[(&str, Ty)] = &[
    ("kind", Ty::Str),
    ("role", Ty::Str),
    ("title", Ty::Str),
    ("primary", Ty::Bool),
    ("mode", Ty::Str),
    ("since", Ty::Int),
    ("until", Ty::Int),
    ("weight", Ty::Double),
    ("tie_class", Ty::Str),
    ("source", Ty::Str),
    ("source_date", Ty::Str),
    ("verified", Ty::Bool),
    ("synthetic", Ty::Bool),
];

/// `(column index, value text)` for the attributes an element has.
type Values = Vec<(usize, String)>;

struct Row {
    values: Values,
}

impl Row {
    fn new() -> Self {
        Row { values: Vec::new() }
    }

    fn put(&mut self, columns: &[(&str, Ty)], name: &str, value: Option<String>) {
        if let Some(v) = value.filter(|v| !v.is_empty())
            && let Some(i) = columns.iter().position(|(n, _)| *n == name)
        {
            self.values.push((i, v));
        }
    }
}

fn code<T: Serialize>(value: &T) -> Option<String> {
    Some(code_of(value))
}

fn join<'a>(items: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let joined: Vec<&str> = items.into_iter().collect();
    (!joined.is_empty()).then(|| joined.join(";"))
}

fn node_row(graph: &Graph, node: &Node) -> Values {
    let c = NODE_ATTRS;
    let mut row = Row::new();
    let n = &node.names;
    row.put(c, "kind", Some(node.kind().code().to_owned()));
    row.put(c, "label", n.display().map(str::to_owned));
    row.put(c, "name_zh_hans", n.zh_hans.clone());
    row.put(c, "name_zh_hant", n.zh_hant.clone());
    row.put(c, "name_en", n.en.clone());
    row.put(c, "name_pt", n.pt.clone());
    row.put(c, "short_name", n.short.clone());
    row.put(c, "aliases", join(n.aliases.iter().map(String::as_str)));
    match &node.attrs {
        NodeAttrs::Institution(a) => {
            row.put(c, "subkind", code(&a.kind));
            row.put(c, "city", a.city.as_ref().map(|id| id.to_string()));
            row.put(c, "website", a.website.clone());
        }
        NodeAttrs::Lab(a) => {
            row.put(c, "subkind", code(&a.kind));
            row.put(c, "category", a.category.clone());
            row.put(c, "status", a.status.as_ref().and_then(code));
            row.put(c, "cities", join(a.cities.iter().map(|id| id.as_str())));
            row.put(c, "batch_year", a.batch_year.map(|y| y.to_string()));
            row.put(c, "founded", a.founded.map(|y| y.to_string()));
        }
        NodeAttrs::Person(_) => {}
        NodeAttrs::City(a) => {
            row.put(c, "in_gba", Some(a.in_gba.to_string()));
            row.put(c, "lat", a.lat.map(|v| v.to_string()));
            row.put(c, "lon", a.lon.map(|v| v.to_string()));
            row.put(c, "adcode", a.adcode.clone());
        }
        NodeAttrs::Field(a) => {
            row.put(c, "subkind", code(&a.group));
            row.put(c, "parent", a.parent.as_ref().map(|id| id.to_string()));
        }
        NodeAttrs::Platform(a) => {
            row.put(c, "subkind", code(&a.kind));
            row.put(c, "cities", join(a.cities.iter().map(|id| id.as_str())));
            row.put(c, "established", a.established.map(|y| y.to_string()));
        }
    }
    if node.kind() != NodeKind::Field {
        let regions: BTreeSet<Region> = graph.regions_of(node.id.as_str());
        row.put(c, "regions", join(regions.iter().map(|r| r.code())));
        let jurisdictions: BTreeSet<String> = regions
            .iter()
            .filter_map(|r| code(&r.jurisdiction()))
            .collect();
        row.put(
            c,
            "jurisdictions",
            join(jurisdictions.iter().map(String::as_str)),
        );
    }
    row.put(c, "source", node.provenance.source.clone());
    row.put(c, "source_date", node.provenance.date.clone());
    row.put(c, "verified", Some(node.provenance.verified.to_string()));
    row.put(c, "synthetic", Some(node.provenance.synthetic.to_string()));
    row.values
}

fn edge_row(graph: &Graph, edge: &Edge) -> Values {
    let c = EDGE_ATTRS;
    let mut row = Row::new();
    row.put(c, "kind", Some(edge.kind.code().to_owned()));
    row.put(c, "role", edge.role.map(|r| r.code().to_owned()));
    row.put(c, "title", edge.title.clone());
    row.put(c, "primary", edge.primary.map(|p| p.to_string()));
    row.put(c, "mode", edge.mode.as_ref().and_then(code));
    row.put(c, "since", edge.since.map(|y| y.to_string()));
    row.put(c, "until", edge.until.map(|y| y.to_string()));
    row.put(c, "weight", Some(edge.weight_or_one().to_string()));
    row.put(
        c,
        "tie_class",
        graph.tie_class(edge).as_ref().and_then(code),
    );
    row.put(c, "source", edge.provenance.source.clone());
    row.put(c, "source_date", edge.provenance.date.clone());
    row.put(c, "verified", Some(edge.provenance.verified.to_string()));
    row.put(c, "synthetic", Some(edge.provenance.synthetic.to_string()));
    row.values
}

/// Nodes by kind then id, edges by key: the same graph always gives the same file.
fn ordered(graph: &Graph) -> (Vec<&Node>, Vec<&Edge>) {
    let nodes = NodeKind::ALL
        .into_iter()
        .flat_map(|kind| graph.nodes_of(kind, None).map(|n| &**n))
        .collect();
    let mut edges: Vec<&Edge> = graph.edges().map(|e| &**e).collect();
    edges.sort_unstable_by(|a, b| (a.kind, &a.from, &a.to).cmp(&(b.kind, &b.from, &b.to)));
    (nodes, edges)
}

/// The header of a whole-graph file.
fn header(description: &str) -> Header<'_> {
    Header {
        graph_id: "labgraph",
        description,
        node_columns: NODE_ATTRS,
        edge_columns: EDGE_ATTRS,
        positions: false,
    }
}

/// Every node as a record, in [`ordered`]'s order.
fn node_records<'g>(
    graph: &'g Graph,
    nodes: Vec<&'g Node>,
) -> impl Iterator<Item = NodeRecord<'g>> {
    nodes.into_iter().map(move |node| NodeRecord {
        id: node.id.as_str(),
        label: node.names.display().unwrap_or(node.id.as_str()),
        values: node_row(graph, node),
        position: None,
    })
}

/// Every edge as a record (label: its kind; weight: its weight or 1).
fn edge_records<'g>(
    graph: &'g Graph,
    edges: Vec<&'g Edge>,
) -> impl Iterator<Item = EdgeRecord<'g>> {
    edges.into_iter().map(move |edge| EdgeRecord {
        source: edge.from.as_str(),
        target: edge.to.as_str(),
        label: edge.kind.code(),
        weight: edge.weight_or_one(),
        values: edge_row(graph, edge),
    })
}

/// Writes the graph as GraphML (directed; `collaborates_with` edges, which have no direction,
/// are written from the smaller id to the larger and carry `kind` like every edge).
pub fn write_graphml(graph: &Graph, out: impl Write) -> io::Result<()> {
    let (nodes, edges) = ordered(graph);
    labgraph_graphxml::write_graphml(
        &header(""),
        node_records(graph, nodes),
        edge_records(graph, edges),
        out,
    )
}

/// Writes the graph as GEXF 1.2 (directed, static; the node label is the display name, the
/// edge weight is the weight or 1).
pub fn write_gexf(graph: &Graph, out: impl Write) -> io::Result<()> {
    let (nodes, edges) = ordered(graph);
    let description = format!(
        "GBA research-cooperation graph, version {}",
        graph.version()
    );
    labgraph_graphxml::write_gexf(
        &header(&description),
        node_records(graph, nodes),
        edge_records(graph, edges),
        out,
    )
}
