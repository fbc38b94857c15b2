//! GraphML and GEXF writers over a format-neutral description of a graph: typed attribute
//! columns, then nodes and edges each with the values they have.
//!
//! Why a crate of its own: the whole-graph export (`labgraph-io`) and the map exports
//! (`labgraph-insights`' subgraphs, served by the API, which must never depend on
//! `labgraph-io`) write the same formats; one writer keeps escaping and structure the same
//! in both. The writers stream: nodes and edges are taken from iterators, so a graph of
//! millions of elements is never held as records.
//!
//! **Invariant:** knows no labgraph type; output is UTF-8 XML 1.0, every text escaped by
//! [`escape`].

use std::io::{self, BufWriter, Write};

/// The value types both formats know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    /// Text.
    Str,
    /// A whole number.
    Int,
    /// A floating-point number.
    Double,
    /// `true` or `false`.
    Bool,
}

impl AttrType {
    fn graphml(self) -> &'static str {
        match self {
            AttrType::Str => "string",
            AttrType::Int => "int",
            AttrType::Double => "double",
            AttrType::Bool => "boolean",
        }
    }

    fn gexf(self) -> &'static str {
        match self {
            AttrType::Str => "string",
            AttrType::Int => "integer",
            AttrType::Double => "double",
            AttrType::Bool => "boolean",
        }
    }
}

/// What a file holds beyond its nodes and edges.
#[derive(Debug, Clone, Copy)]
pub struct Header<'a> {
    /// The graph's id in GraphML (`<graph id=…>`).
    pub graph_id: &'a str,
    /// GEXF's `<meta><description>`.
    pub description: &'a str,
    /// Node attribute columns: name and type. A [`NodeRecord`]'s values index into it.
    pub node_columns: &'a [(&'a str, AttrType)],
    /// Edge attribute columns.
    pub edge_columns: &'a [(&'a str, AttrType)],
    /// Whether nodes carry positions: GEXF `viz:position`, GraphML `x` and `y` data (the keys
    /// Gephi and yEd read).
    pub positions: bool,
}

/// One node: its id, display label, attribute values and, when the header says so, position.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRecord<'a> {
    /// Its id, unique in the file.
    pub id: &'a str,
    /// Its display label (GEXF `label`; GraphML has none beyond the attributes).
    pub label: &'a str,
    /// `(column index, value text)` for the attributes it has, in column order.
    pub values: Vec<(usize, String)>,
    /// Where to draw it; written only when [`Header::positions`] is set.
    pub position: Option<(f64, f64)>,
}

/// One directed edge.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRecord<'a> {
    /// The id of its start.
    pub source: &'a str,
    /// The id of its end.
    pub target: &'a str,
    /// GEXF's edge `label` (the edge kind).
    pub label: &'a str,
    /// GEXF's edge `weight`.
    pub weight: f64,
    /// `(column index, value text)` for the attributes it has.
    pub values: Vec<(usize, String)>,
}

/// Escapes text for an XML attribute or element. Characters XML 1.0 forbids (control
/// characters other than tab, newline and carriage return, U+FFFE, U+FFFF) are dropped: no
/// reader would accept the file otherwise. Everything else — Chinese, Portuguese — is kept as
/// it is (the files are UTF-8).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes GraphML (directed): one `<key>` per column (`n{i}` for nodes, `e{i}` for edges,
/// plus `x` and `y` with positions), then the nodes, then the edges (ids `e0`, `e1`, … in
/// the order given).
pub fn write_graphml<'a>(
    header: &Header<'_>,
    nodes: impl IntoIterator<Item = NodeRecord<'a>>,
    edges: impl IntoIterator<Item = EdgeRecord<'a>>,
    out: impl Write,
) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (i, (name, ty)) in header.node_columns.iter().enumerate() {
        writeln!(
            out,
            r#"  <key id="n{i}" for="node" attr.name="{}" attr.type="{}"/>"#,
            escape(name),
            ty.graphml()
        )?;
    }
    if header.positions {
        for axis in ["x", "y"] {
            writeln!(
                out,
                r#"  <key id="{axis}" for="node" attr.name="{axis}" attr.type="double"/>"#
            )?;
        }
    }
    for (i, (name, ty)) in header.edge_columns.iter().enumerate() {
        writeln!(
            out,
            r#"  <key id="e{i}" for="edge" attr.name="{}" attr.type="{}"/>"#,
            escape(name),
            ty.graphml()
        )?;
    }
    writeln!(
        out,
        r#"  <graph id="{}" edgedefault="directed">"#,
        escape(header.graph_id)
    )?;
    for node in nodes {
        writeln!(out, r#"    <node id="{}">"#, escape(node.id))?;
        for (i, value) in &node.values {
            writeln!(out, r#"      <data key="n{i}">{}</data>"#, escape(value))?;
        }
        if header.positions
            && let Some((x, y)) = node.position
        {
            writeln!(out, r#"      <data key="x">{x}</data>"#)?;
            writeln!(out, r#"      <data key="y">{y}</data>"#)?;
        }
        writeln!(out, "    </node>")?;
    }
    for (n, edge) in edges.into_iter().enumerate() {
        writeln!(
            out,
            r#"    <edge id="e{n}" source="{}" target="{}">"#,
            escape(edge.source),
            escape(edge.target)
        )?;
        for (i, value) in &edge.values {
            writeln!(out, r#"      <data key="e{i}">{}</data>"#, escape(value))?;
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    out.flush()
}

/// Writes GEXF 1.2 (directed, static): the node label is the record's label, the edge label
/// and weight the record's; with positions, each node has a `viz:position` (z = 0).
pub fn write_gexf<'a>(
    header: &Header<'_>,
    nodes: impl IntoIterator<Item = NodeRecord<'a>>,
    edges: impl IntoIterator<Item = EdgeRecord<'a>>,
    out: impl Write,
) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    let viz = if header.positions {
        r#" xmlns:viz="http://www.gexf.net/1.2draft/viz""#
    } else {
        ""
    };
    writeln!(
        out,
        r#"<gexf xmlns="http://www.gexf.net/1.2draft"{viz} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">"#
    )?;
    writeln!(
        out,
        "  <meta><creator>labgraph</creator><description>{}</description></meta>",
        escape(header.description)
    )?;
    writeln!(out, r#"  <graph mode="static" defaultedgetype="directed">"#)?;
    for (class, columns) in [("node", header.node_columns), ("edge", header.edge_columns)] {
        writeln!(out, r#"    <attributes class="{class}">"#)?;
        for (i, (name, ty)) in columns.iter().enumerate() {
            writeln!(
                out,
                r#"      <attribute id="{i}" title="{}" type="{}"/>"#,
                escape(name),
                ty.gexf()
            )?;
        }
        writeln!(out, "    </attributes>")?;
    }
    writeln!(out, "    <nodes>")?;
    for node in nodes {
        writeln!(
            out,
            r#"      <node id="{}" label="{}">"#,
            escape(node.id),
            escape(node.label)
        )?;
        write_attvalues(&mut out, &node.values)?;
        if header.positions
            && let Some((x, y)) = node.position
        {
            writeln!(out, r#"        <viz:position x="{x}" y="{y}" z="0.0"/>"#)?;
        }
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    for (n, edge) in edges.into_iter().enumerate() {
        writeln!(
            out,
            r#"      <edge id="{n}" source="{}" target="{}" label="{}" weight="{}">"#,
            escape(edge.source),
            escape(edge.target),
            escape(edge.label),
            edge.weight
        )?;
        write_attvalues(&mut out, &edge.values)?;
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")?;
    out.flush()
}

fn write_attvalues(out: &mut impl Write, values: &[(usize, String)]) -> io::Result<()> {
    writeln!(out, "        <attvalues>")?;
    for (i, value) in values {
        writeln!(
            out,
            r#"          <attvalue for="{i}" value="{}"/>"#,
            escape(value)
        )?;
    }
    writeln!(out, "        </attvalues>")
}
