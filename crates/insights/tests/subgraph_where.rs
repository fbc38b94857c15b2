//! Filtered map views (`subgraph_where`) and the GEXF and GraphML exports on a small
//! hand-drawn graph whose every node and edge is listed below, so each expected set is
//! checked by hand; the exports are parsed back with quick-xml.

mod xml_support;

use labgraph_domain::{
    ChangeSet, CityAttrs, Edge, EdgeKind, EdgeRole, Graph, Id, InstitutionAttrs, InstitutionKind,
    LabAttrs, LabKind, Names, Node, NodeAttrs, NodeKind, Provenance, Region,
};
use labgraph_insights::InsightError;
use labgraph_insights::subgraph::{Subgraph, subgraph_where, to_cytoscape, to_gexf, to_graphml};
use xml_support::elements;

fn id(text: &str) -> Id {
    Id::new(text).expect("a valid test id")
}

fn node(text: &str, names: Names, attrs: NodeAttrs) -> Node {
    Node {
        id: id(text),
        names,
        attrs,
        provenance: Provenance::default(),
    }
}

fn en(text: &str) -> Names {
    Names {
        en: Some(text.to_owned()),
        ..Names::default()
    }
}

fn institution(city: &str) -> NodeAttrs {
    NodeAttrs::Institution(InstitutionAttrs {
        kind: InstitutionKind::University,
        city: Some(id(city)),
        website: None,
    })
}

/// ```text
///   gz (Guangzhou, GD_PRD)      mo (Macao)
///   a ── b          a, b in gz; m in mo; a's names: 暨南大学 / "A & <B>"
///    \              collaborations: a–b, a–m
///     m             lab l: a hosts, m partner
///   a, m ── l
/// ```
fn graph() -> Graph {
    let mut changes = ChangeSet::default();
    for (city, region) in [("gz", Region::GdPrd), ("mo", Region::Macao)] {
        changes.upsert_node(node(
            city,
            en(city),
            NodeAttrs::City(CityAttrs {
                region,
                in_gba: true,
                lat: None,
                lon: None,
                adcode: None,
            }),
        ));
    }
    changes.upsert_node(node(
        "a",
        Names {
            zh_hans: Some("暨南大学".to_owned()),
            en: Some("A & <B>".to_owned()),
            ..Names::default()
        },
        institution("gz"),
    ));
    changes.upsert_node(node("b", en("B"), institution("gz")));
    changes.upsert_node(node(
        "m",
        Names {
            pt: Some("Universidade de Macau".to_owned()),
            ..Names::default()
        },
        institution("mo"),
    ));
    changes.upsert_node(node(
        "l",
        en("L"),
        NodeAttrs::Lab(LabAttrs {
            kind: LabKind::JointLab,
            category: None,
            batch_year: None,
            founded: None,
            status: None,
            cities: Vec::new(),
        }),
    ));
    for (from, to) in [("a", "b"), ("a", "m")] {
        changes.upsert_edge(Edge::new(EdgeKind::CollaboratesWith, id(from), id(to)));
    }
    for (inst, role) in [("a", EdgeRole::Host), ("m", EdgeRole::Partner)] {
        changes.upsert_edge(Edge {
            role: Some(role),
            ..Edge::new(EdgeKind::PartnerIn, id(inst), id("l"))
        });
    }
    Graph::new().apply(&changes).expect("a valid test graph").0
}

fn node_ids(s: &Subgraph) -> Vec<&str> {
    s.nodes.iter().map(|n| n.id.as_str()).collect()
}

fn edge_pairs(s: &Subgraph) -> Vec<(&str, &str)> {
    s.edges
        .iter()
        .map(|e| (e.source.as_str(), e.target.as_str()))
        .collect()
}

fn in_gz(graph: &Graph) -> impl Fn(&Node) -> bool + '_ {
    |n: &Node| graph.cities_of(n.id.as_str()).contains(&id("gz"))
}

#[test]
fn the_search_steps_only_onto_kept_nodes_and_around_is_always_kept() {
    let g = graph();
    // Without a filter, depth 2 from b: a, then m and l (cities are attributes, not edges).
    let all = subgraph_where(&g, &[id("b")], 2, None, 100, None).expect("a map");
    assert_eq!(node_ids(&all), ["a", "b", "l", "m"]);
    // Only institutions in Guangzhou: from b to a, and no further (m is in Macao, l a lab).
    let only_gz = in_gz(&g);
    let kept = |n: &Node| n.kind() == NodeKind::Institution && only_gz(n);
    let s = subgraph_where(&g, &[id("b")], 2, None, 100, Some(&kept)).expect("a map");
    assert_eq!(node_ids(&s), ["a", "b"]);
    assert_eq!(edge_pairs(&s), [("a", "b")]);
    // m is kept as an around node though it is in Macao; a is its only kept neighbour.
    let s = subgraph_where(&g, &[id("m")], 1, None, 100, Some(&kept)).expect("a map");
    assert_eq!(node_ids(&s), ["a", "m"]);
    assert_eq!(edge_pairs(&s), [("a", "m")]);
}

#[test]
fn without_around_every_kept_node_up_to_max_nodes() {
    let g = graph();
    let institutions = |n: &Node| n.kind() == NodeKind::Institution;
    let s = subgraph_where(&g, &[], 1, None, 3, Some(&institutions)).expect("a map");
    assert_eq!(node_ids(&s), ["a", "b", "m"]);
    assert_eq!(edge_pairs(&s), [("a", "b"), ("a", "m")]);
    let err = subgraph_where(&g, &[], 1, None, 2, Some(&institutions)).expect_err("too many");
    assert!(
        matches!(&err, InsightError::Invalid { argument, reason } if argument == "maxNodes" && reason.starts_with("3 nodes")),
        "{err}"
    );
    let err = subgraph_where(&g, &[], 1, None, 10, None).expect_err("no around, no filter");
    assert!(
        matches!(&err, InsightError::Invalid { argument, .. } if argument == "around"),
        "{err}"
    );
}

fn count(elements: &[(String, Vec<(String, String)>)], name: &str) -> usize {
    elements.iter().filter(|e| e.0 == name).count()
}

#[test]
fn exports_parse_and_hold_the_map() {
    let g = graph();
    // Depth 1 from a: a, b, l, m and the four edges among them (ordered by source, target).
    let s = subgraph_where(&g, &[id("a")], 1, None, 100, None).expect("a map");
    assert_eq!(node_ids(&s), ["a", "b", "l", "m"]);
    assert_eq!(
        edge_pairs(&s),
        [("a", "b"), ("a", "l"), ("a", "m"), ("m", "l")]
    );
    // A made-up centrality: 1 for a, none for the lab, 0.5 for the others.
    let s = s.with_centrality("TEST", |id, kind| match (id.as_str(), kind) {
        ("a", _) => Some(1.0),
        (_, NodeKind::Lab) => None,
        _ => Some(0.5),
    });
    let gexf = to_gexf(&s);
    let parsed = elements(&gexf);
    assert_eq!(count(&parsed, "node"), 4);
    assert_eq!(count(&parsed, "edge"), 4);
    assert_eq!(count(&parsed, "viz:position"), 4);
    let a = parsed
        .iter()
        .find(|e| e.0 == "node" && e.1.iter().any(|(k, v)| k == "id" && v == "a"))
        .expect("a is a node");
    assert!(a.1.contains(&("label".to_owned(), "A & <B>".to_owned())));
    assert!(gexf.contains("暨南大学"), "{gexf}");
    assert!(gexf.contains("Universidade de Macau"), "{gexf}");
    // The centrality column is 8; a's value is 1, the lab has none.
    let centralities: Vec<&str> = parsed
        .iter()
        .filter(|e| e.0 == "attvalue" && e.1.iter().any(|(k, v)| k == "for" && v == "8"))
        .map(|e| {
            e.1.iter()
                .find(|(k, _)| k == "value")
                .expect("value")
                .1
                .as_str()
        })
        .collect();
    assert_eq!(centralities, ["1", "0.5", "0.5"]);
    assert!(gexf.contains("centrality: TEST"));

    let graphml = to_graphml(&s);
    let parsed = elements(&graphml);
    assert_eq!(count(&parsed, "node"), 4);
    assert_eq!(count(&parsed, "edge"), 4);
    // kind, label, 4 names, community, degree, centrality, x, y; the edge's kind, role,
    // since, until, weight, verified and source.
    assert_eq!(count(&parsed, "key"), 18);
    // Positions as in the Cytoscape.js export.
    let cy = to_cytoscape(&s);
    let x = cy["elements"]["nodes"][0]["position"]["x"]
        .as_f64()
        .expect("a position");
    assert!(
        graphml.contains(&format!(r#"<data key="x">{x}</data>"#)),
        "{graphml}"
    );
    assert_eq!(cy["elements"]["nodes"][0]["data"]["centrality"], 1.0);
    assert_eq!(
        cy["elements"]["nodes"][2]["data"]["centrality"],
        serde_json::Value::Null
    );
}
