//! Writing a graph as seed records: JSON Lines (the canonical, diff-friendly form) and CSV
//! (one nodes file and one edges file, for spreadsheets). Both read back with
//! [`crate::read_files`] into the same graph.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::{Serialize, Serializer};

use labgraph_domain::{
    Edge, EdgeRole, FieldGroup, Graph, Id, InstitutionKind, LabKind, LabStatus, Node, NodeAttrs,
    NodeKind, PlatformKind, Region, TalentMode,
};

use crate::record::{self, EDGE_FIELDS, FORMAT_NAME, FORMAT_VERSION};

/// One record, flat, with empty fields left out. Field order is the order in files.
#[derive(Serialize)]
struct Flat<'a> {
    record: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_zh_hans: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_zh_hant: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_en: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_pt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_name: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    institution_kind: Option<InstitutionKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lab_kind: Option<LabKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch_year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    founded: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<LabStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
    #[serde(skip_serializing_if = "Option::is_none")]
    in_gba: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    adcode: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field_group: Option<FieldGroup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    platform_kind: Option<PlatformKind>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    cities: &'a [Id],
    #[serde(skip_serializing_if = "Option::is_none")]
    established: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<EdgeRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<TalentMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<i32>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_weight"
    )]
    weight: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_date: Option<&'a str>,
    #[serde(skip_serializing_if = "is_false")]
    verified: bool,
    #[serde(skip_serializing_if = "is_false")]
    synthetic: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Writes a whole-number weight as an integer (`3`, not `3.0`): weights count joint papers, and
/// files read better that way; the reader accepts both.
fn serialize_weight<S: Serializer>(weight: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match *weight {
        Some(w) if w.fract() == 0.0 && w.abs() < 9.0e15 => s.serialize_i64(w as i64),
        Some(w) => s.serialize_f64(w),
        None => s.serialize_none(),
    }
}

/// An optional text, with the empty string counted as absent (as the reader counts it).
fn text(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

impl<'a> Flat<'a> {
    fn empty(record: &'static str, kind: &'static str) -> Self {
        Flat {
            record,
            kind,
            id: None,
            from: None,
            to: None,
            name_zh_hans: None,
            name_zh_hant: None,
            name_en: None,
            name_pt: None,
            short_name: None,
            aliases: &[],
            institution_kind: None,
            city: None,
            website: None,
            lab_kind: None,
            category: None,
            batch_year: None,
            founded: None,
            status: None,
            region: None,
            in_gba: None,
            lat: None,
            lon: None,
            adcode: None,
            field_group: None,
            parent: None,
            platform_kind: None,
            cities: &[],
            established: None,
            role: None,
            title: None,
            primary: None,
            mode: None,
            since: None,
            until: None,
            weight: None,
            source: None,
            source_date: None,
            verified: false,
            synthetic: false,
        }
    }

    fn node(node: &'a Node) -> Self {
        let mut flat = Flat::empty("node", node.kind().code());
        flat.id = Some(node.id.as_str());
        let n = &node.names;
        flat.name_zh_hans = text(&n.zh_hans);
        flat.name_zh_hant = text(&n.zh_hant);
        flat.name_en = text(&n.en);
        flat.name_pt = text(&n.pt);
        flat.short_name = text(&n.short);
        flat.aliases = &n.aliases;
        match &node.attrs {
            NodeAttrs::Institution(a) => {
                flat.institution_kind = Some(a.kind);
                flat.city = a.city.as_ref().map(Id::as_str);
                flat.website = text(&a.website);
            }
            NodeAttrs::Lab(a) => {
                flat.lab_kind = Some(a.kind);
                flat.category = text(&a.category);
                flat.batch_year = a.batch_year;
                flat.founded = a.founded;
                flat.status = a.status;
                flat.cities = &a.cities;
            }
            NodeAttrs::Person(_) => {}
            NodeAttrs::City(a) => {
                flat.region = Some(a.region);
                flat.in_gba = Some(a.in_gba);
                flat.lat = a.lat;
                flat.lon = a.lon;
                flat.adcode = text(&a.adcode);
            }
            NodeAttrs::Field(a) => {
                flat.field_group = Some(a.group);
                flat.parent = a.parent.as_ref().map(Id::as_str);
            }
            NodeAttrs::Platform(a) => {
                flat.platform_kind = Some(a.kind);
                flat.cities = &a.cities;
                flat.established = a.established;
            }
        }
        flat.source = text(&node.provenance.source);
        flat.source_date = text(&node.provenance.date);
        flat.verified = node.provenance.verified;
        flat.synthetic = node.provenance.synthetic;
        flat
    }

    fn edge(edge: &'a Edge) -> Self {
        let mut flat = Flat::empty("edge", edge.kind.code());
        flat.from = Some(edge.from.as_str());
        flat.to = Some(edge.to.as_str());
        flat.role = edge.role;
        flat.title = text(&edge.title);
        flat.primary = edge.primary;
        flat.mode = edge.mode;
        flat.since = edge.since;
        flat.until = edge.until;
        flat.weight = edge.weight;
        flat.source = text(&edge.provenance.source);
        flat.source_date = text(&edge.provenance.date);
        flat.verified = edge.provenance.verified;
        flat.synthetic = edge.provenance.synthetic;
        flat
    }
}

fn json_error(e: serde_json::Error) -> io::Error {
    io::Error::other(e)
}

/// Writes the format header record as one JSON line.
pub(crate) fn write_header_line(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        r#"{{"record":"header","format":"{FORMAT_NAME}","version":{FORMAT_VERSION}}}"#
    )
}

/// Writes one node as one JSON line.
pub(crate) fn write_node_line(out: &mut impl Write, node: &Node) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Flat::node(node)).map_err(json_error)?;
    out.write_all(b"\n")
}

/// Writes one edge as one JSON line.
pub(crate) fn write_edge_line(out: &mut impl Write, edge: &Edge) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Flat::edge(edge)).map_err(json_error)?;
    out.write_all(b"\n")
}

/// The graph's nodes in file order: by kind (institution, lab, person, city, field, platform),
/// then by id.
fn ordered_nodes(graph: &Graph) -> impl Iterator<Item = &Node> {
    NodeKind::ALL
        .into_iter()
        .flat_map(move |kind| graph.nodes_of(kind, None).map(|n| &**n))
}

/// The graph's edges in file order: by key (kind, from, to).
fn ordered_edges(graph: &Graph) -> Vec<&Edge> {
    let mut edges: Vec<&Edge> = graph.edges().map(|e| &**e).collect();
    edges.sort_unstable_by(|a, b| (a.kind, &a.from, &a.to).cmp(&(b.kind, &b.from, &b.to)));
    edges
}

/// Writes the graph as JSON Lines: a header, then every node (by kind, then id), then every
/// edge (by kind, from, to), one record per line, empty fields left out. The same graph always
/// gives the same bytes.
pub fn write_jsonl(graph: &Graph, out: impl Write) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, out);
    write_header_line(&mut out)?;
    for node in ordered_nodes(graph) {
        write_node_line(&mut out, node)?;
    }
    for edge in ordered_edges(graph) {
        write_edge_line(&mut out, edge)?;
    }
    out.flush()
}

/// Writes the graph as two CSV files: `nodes` (one column per node field) and `edges` (one
/// column per edge field), in the same order as [`write_jsonl`]. List cells join items with
/// `;`; an item holding `;` cannot be written and is refused with an error naming it.
pub fn write_csv(graph: &Graph, nodes: impl Write, edges: impl Write) -> io::Result<()> {
    let node_columns = record::node_columns();
    let mut writer = csv::Writer::from_writer(nodes);
    writer.write_record(node_columns.iter().map(|f| f.name()))?;
    for node in ordered_nodes(graph) {
        let row = csv_row(&Flat::node(node), &node_columns, node.id.as_str())?;
        writer.write_record(&row)?;
    }
    writer.flush()?;
    let mut writer = csv::Writer::from_writer(edges);
    writer.write_record(EDGE_FIELDS.iter().map(|f| f.name()))?;
    for edge in ordered_edges(graph) {
        let row = csv_row(&Flat::edge(edge), EDGE_FIELDS, &edge.key().to_string())?;
        writer.write_record(&row)?;
    }
    writer.flush()
}

/// Writes [`write_csv`]'s two files as `nodes.csv` and `edges.csv` in `dir` (which must exist).
pub fn write_csv_dir(graph: &Graph, dir: &Path) -> io::Result<()> {
    let nodes = File::create(dir.join("nodes.csv"))?;
    let edges = File::create(dir.join("edges.csv"))?;
    write_csv(graph, BufWriter::new(nodes), BufWriter::new(edges))
}

/// The cells of one CSV row. Goes through a JSON map so that the CSV and JSON spellings of
/// every value (codes, numbers, booleans) are the same by construction.
fn csv_row(flat: &Flat<'_>, columns: &[record::Field], what: &str) -> io::Result<Vec<String>> {
    let serde_json::Value::Object(map) = serde_json::to_value(flat).map_err(json_error)? else {
        return Err(io::Error::other("a record serialises to a JSON object"));
    };
    columns
        .iter()
        .map(|field| {
            Ok(match map.get(field.name()) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Array(items)) => {
                    let mut cells = Vec::with_capacity(items.len());
                    for item in items {
                        let s = item.as_str().unwrap_or_default();
                        if s.contains(';') || s.trim() != s || s.is_empty() {
                            return Err(io::Error::new(
                                io::ErrorKind::InvalidData,
                                format!(
                                    "{what}: field `{}`: item {s:?} cannot be written to a CSV list \
                                     cell (items are separated by `;` and trimmed)",
                                    field.name()
                                ),
                            ));
                        }
                        cells.push(s);
                    }
                    cells.join(";")
                }
                Some(other) => other.to_string(),
            })
        })
        .collect()
}
