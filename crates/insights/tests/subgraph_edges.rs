//! Map edges carry their stored edges: on the hand-drawn tiny graph (a weighted, dated
//! collaboration and a tie that ended) and on the real graph-seed/ (years and sources), every
//! map edge, and every edge of its GEXF, GraphML and Cytoscape.js exports, is compared with
//! the edge the graph stores under the same key — never with a value written here.

mod partners_support;
mod xml_support;

use std::collections::BTreeMap;

use labgraph_domain::{Edge, EdgeKey, Graph};
use labgraph_insights::subgraph::{Subgraph, subgraph, to_cytoscape, to_gexf, to_graphml};
use partners_support::{id, ids, seed, tiny_gba};
use quick_xml::Reader;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::Event;

/// The maps checked: around hkc on the tiny graph (its weight-3 collaboration with gzx, its
/// lab3 tie of 2015–2018), and JNU's three-hop neighbourhood on the seed (sources, years,
/// roles).
fn maps() -> Vec<(Graph, Subgraph)> {
    let tiny = tiny_gba();
    let tiny_map = subgraph(&tiny, &ids(&["hkc"]), 1, None, 100).expect("a map");
    let seed = seed();
    let seed_map = subgraph(&seed, &ids(&["jnu"]), 3, None, 1000).expect("a map");
    vec![(tiny, tiny_map), (seed, seed_map)]
}

/// The edge `graph` stores from `source` to `target` of `kind` (a code).
fn stored<'g>(graph: &'g Graph, kind: &str, source: &str, target: &str) -> &'g Edge {
    let kind = labgraph_domain::EdgeKind::from_code(kind).expect("a known kind");
    let key = EdgeKey::new(kind, id(source), id(target));
    graph.edge(&key).expect("the edge is stored")
}

/// The test is only worth something if the maps hold what it compares: a weight other than
/// 1, a last year, a first year and a source.
fn check_coverage(maps: &[(Graph, Subgraph)]) {
    let edges = || maps.iter().flat_map(|(_, m)| &m.edges);
    assert!(edges().any(|e| e.edge.weight.is_some_and(|w| w != 1.0)));
    assert!(edges().any(|e| e.edge.until.is_some()));
    assert!(edges().any(|e| e.edge.since.is_some()));
    assert!(edges().any(|e| e.edge.provenance.source.is_some()));
    assert!(edges().any(|e| e.edge.provenance.source.is_none()));
}

#[test]
fn map_edges_are_the_stored_edges_in_order_once_each() {
    let maps = maps();
    check_coverage(&maps);
    for (graph, map) in &maps {
        assert!(!map.edges.is_empty());
        for e in &map.edges {
            let key = EdgeKey::new(e.kind, e.source.clone(), e.target.clone());
            let stored = graph.edge(&key).expect("the edge is stored");
            assert_eq!(&e.edge, &**stored, "{key}");
            assert_eq!((&e.edge.from, &e.edge.to), (&e.source, &e.target), "{key}");
        }
        // Strictly increasing (source, target, kind): ordered and no edge twice, though the
        // tiny map's collaboration is met from both of its ends.
        for pair in map.edges.windows(2) {
            let key = |e: &labgraph_insights::subgraph::MapEdge| {
                (e.source.clone(), e.target.clone(), e.kind)
            };
            assert!(
                key(&pair[0]) < key(&pair[1]),
                "{:?}",
                (key(&pair[0]), key(&pair[1]))
            );
        }
    }
}

/// One edge of an exported file: its ends, its element attributes and its attribute values
/// by column name.
#[derive(Debug, Default)]
struct XmlEdge {
    source: String,
    target: String,
    weight: Option<String>,
    values: BTreeMap<String, String>,
}

fn attributes(e: &quick_xml::events::BytesStart<'_>) -> BTreeMap<String, String> {
    xml_support::attribute_pairs(e).into_iter().collect()
}

/// The edges of a GEXF or GraphML file, their values named by the file's own edge columns
/// (GEXF `<attributes class="edge">`, GraphML `<key for="edge">`). The writers always give
/// an edge children (its `kind` at least), so an edge ends at its `</edge>`.
fn xml_edges(xml: &str) -> Vec<XmlEdge> {
    let mut reader = Reader::from_str(xml);
    let mut columns: BTreeMap<String, String> = BTreeMap::new();
    let mut in_edge_attributes = false;
    let mut edges = Vec::new();
    let mut current: Option<XmlEdge> = None;
    // The GraphML `<data>` being read: its column and text so far.
    let mut data: Option<(String, String)> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let a = attributes(&e);
                match e.name().as_ref() {
                    b"attributes" => in_edge_attributes = a["class"] == "edge",
                    b"attribute" if in_edge_attributes => {
                        columns.insert(a["id"].clone(), a["title"].clone());
                    }
                    b"key" if a["for"] == "edge" => {
                        columns.insert(a["id"].clone(), a["attr.name"].clone());
                    }
                    b"edge" => {
                        current = Some(XmlEdge {
                            source: a["source"].clone(),
                            target: a["target"].clone(),
                            weight: a.get("weight").cloned(),
                            values: BTreeMap::new(),
                        });
                    }
                    b"attvalue" if current.is_some() => {
                        if let Some(edge) = current.as_mut() {
                            edge.values
                                .insert(columns[&a["for"]].clone(), a["value"].clone());
                        }
                    }
                    b"data" if current.is_some() => {
                        data = Some((columns[&a["key"]].clone(), String::new()));
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, text)) = data.as_mut() {
                    text.push_str(&t.decode().expect("utf8"));
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = data.as_mut() {
                    match r.resolve_char_ref().expect("a valid reference") {
                        Some(c) => text.push(c),
                        None => text.push_str(
                            resolve_xml_entity(&r.decode().expect("utf8"))
                                .expect("a predefined entity"),
                        ),
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"data" => {
                    if let (Some((column, text)), Some(edge)) = (data.take(), current.as_mut()) {
                        edge.values.insert(column, text);
                    }
                }
                b"edge" => edges.extend(current.take()),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    edges
}

/// The values an export must hold for `edge`, by column name: only those known.
fn expected_values(edge: &Edge) -> BTreeMap<String, String> {
    let mut want = BTreeMap::new();
    want.insert("kind".to_owned(), edge.kind.code().to_owned());
    if let Some(role) = edge.role {
        want.insert("role".to_owned(), role.code().to_owned());
    }
    if let Some(since) = edge.since {
        want.insert("since".to_owned(), since.to_string());
    }
    if let Some(until) = edge.until {
        want.insert("until".to_owned(), until.to_string());
    }
    if let Some(source) = &edge.provenance.source {
        want.insert("source".to_owned(), source.clone());
    }
    want.insert("verified".to_owned(), edge.provenance.verified.to_string());
    want
}

/// Checks one exported edge against the stored edge; `weight` is the number the file gives.
fn check_xml_edge(graph: &Graph, got: &XmlEdge, weight: &str, file: &str) {
    let edge = stored(graph, &got.values["kind"], &got.source, &got.target);
    let weight: f64 = weight.parse().expect("a number");
    assert_eq!(weight, edge.weight_or_one(), "{file}: {}", edge.key());
    let mut values = got.values.clone();
    let column_weight: f64 = values
        .remove("weight")
        .expect("a weight column")
        .parse()
        .expect("a number");
    assert_eq!(
        column_weight,
        edge.weight_or_one(),
        "{file}: {}",
        edge.key()
    );
    assert_eq!(values, expected_values(edge), "{file}: {}", edge.key());
}

#[test]
fn gexf_edges_have_the_stored_weight_years_and_source() {
    for (graph, map) in &maps() {
        let edges = xml_edges(&to_gexf(map));
        assert_eq!(edges.len(), map.edges.len());
        for got in &edges {
            check_xml_edge(graph, got, got.weight.as_deref().expect("a weight"), "gexf");
        }
    }
}

#[test]
fn graphml_edges_have_the_stored_weight_years_and_source() {
    for (graph, map) in &maps() {
        let edges = xml_edges(&to_graphml(map));
        assert_eq!(edges.len(), map.edges.len());
        for got in &edges {
            // GraphML's weight is its `weight` data, the column.
            let weight = got.values["weight"].clone();
            check_xml_edge(graph, got, &weight, "graphml");
        }
    }
}

#[test]
fn xml_exports_type_the_edge_columns() {
    let (_, map) = &maps()[0];
    let gexf = to_gexf(map);
    for column in [
        r#"title="since" type="integer""#,
        r#"title="until" type="integer""#,
        r#"title="weight" type="double""#,
        r#"title="verified" type="boolean""#,
        r#"title="source" type="string""#,
    ] {
        assert!(gexf.contains(column), "{column} in {gexf}");
    }
    let graphml = to_graphml(map);
    assert!(graphml.contains(r#"for="edge" attr.name="since" attr.type="int""#));
    assert!(graphml.contains(r#"for="edge" attr.name="weight" attr.type="double""#));
}

#[test]
fn cytoscape_edges_have_the_stored_attributes_null_when_unknown() {
    for (graph, map) in &maps() {
        let json = to_cytoscape(map);
        let edges = json["elements"]["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), map.edges.len());
        for e in edges {
            let d = &e["data"];
            let edge = stored(
                graph,
                d["kind"].as_str().expect("a kind"),
                d["source"].as_str().expect("a source"),
                d["target"].as_str().expect("a target"),
            );
            let key = edge.key();
            assert_eq!(d["weight"].as_f64(), Some(edge.weight_or_one()), "{key}");
            assert_eq!(d["since"], serde_json::json!(edge.since), "{key}");
            assert_eq!(d["until"], serde_json::json!(edge.until), "{key}");
            assert_eq!(
                d["role"],
                serde_json::json!(edge.role.map(|r| r.code())),
                "{key}"
            );
            assert_eq!(
                d["verified"],
                serde_json::json!(edge.provenance.verified),
                "{key}"
            );
            assert_eq!(
                d["provenance"],
                serde_json::json!(edge.provenance.source),
                "{key}"
            );
            // Every key present, so every edge has the same shape.
            for name in ["role", "since", "until", "weight", "verified", "provenance"] {
                assert!(d.get(name).is_some(), "{name} missing in {d}");
            }
        }
    }
}
