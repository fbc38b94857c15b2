//! Map views (`labgraph_insights::subgraph`) on a small hand-drawn graph: the exact node and
//! edge sets by depth and year, community ids, degrees, deterministic layout in [0, 1], the
//! Cytoscape.js export and the errors.

use labgraph_domain::{
    ChangeSet, CityAttrs, Edge, EdgeKind, EdgeRole, Graph, Id, InstitutionAttrs, InstitutionKind,
    LabAttrs, LabKind, Names, Node, NodeAttrs, NodeKind, Provenance, Region,
};
use labgraph_insights::InsightError;
use labgraph_insights::subgraph::{Subgraph, subgraph, to_cytoscape};

fn id(text: &str) -> Id {
    Id::new(text).expect("a valid test id")
}

fn node(text: &str, attrs: NodeAttrs) -> Node {
    Node {
        id: id(text),
        names: Names {
            en: Some(text.to_uppercase()),
            ..Names::default()
        },
        attrs,
        provenance: Provenance::default(),
    }
}

/// ```text
///   a ── b        collaborations: a–b, b–c, c–a (a triangle), c–d from 2020, d–e
///    \  /         lab l: a hosts, b partner
///     c ── d ── e
/// ```
/// All five institutions are in Guangzhou; the city has no edges.
fn graph() -> Graph {
    let mut changes = ChangeSet::default();
    changes.upsert_node(node(
        "gz",
        NodeAttrs::City(CityAttrs {
            region: Region::GdPrd,
            in_gba: true,
            lat: None,
            lon: None,
            adcode: None,
        }),
    ));
    for inst in ["a", "b", "c", "d", "e"] {
        changes.upsert_node(node(
            inst,
            NodeAttrs::Institution(InstitutionAttrs {
                kind: InstitutionKind::University,
                city: Some(id("gz")),
                website: None,
            }),
        ));
    }
    changes.upsert_node(node(
        "l",
        NodeAttrs::Lab(LabAttrs {
            kind: LabKind::JointLab,
            category: None,
            batch_year: None,
            founded: None,
            status: None,
            cities: Vec::new(),
        }),
    ));
    for (from, to, since) in [
        ("a", "b", None),
        ("b", "c", None),
        ("a", "c", None),
        ("c", "d", Some(2020)),
        ("d", "e", None),
    ] {
        changes.upsert_edge(Edge {
            since,
            ..Edge::new(EdgeKind::CollaboratesWith, id(from), id(to))
        });
    }
    for (inst, role) in [("a", EdgeRole::Host), ("b", EdgeRole::Partner)] {
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

fn edge_triples(s: &Subgraph) -> Vec<(&str, &str, EdgeKind)> {
    s.edges
        .iter()
        .map(|e| (e.source.as_str(), e.target.as_str(), e.kind))
        .collect()
}

const C: EdgeKind = EdgeKind::CollaboratesWith;
const P: EdgeKind = EdgeKind::PartnerIn;

#[test]
fn depth_one_keeps_every_edge_among_the_neighbours() {
    let s = subgraph(&graph(), &[id("a")], 1, None, 100).expect("a subgraph");
    assert_eq!(node_ids(&s), ["a", "b", "c", "l"]);
    // b–c is no hop from a, yet kept: the triangle stays a triangle.
    assert_eq!(
        edge_triples(&s),
        [
            ("a", "b", C),
            ("a", "c", C),
            ("a", "l", P),
            ("b", "c", C),
            ("b", "l", P)
        ]
    );
    let degrees: Vec<usize> = s.nodes.iter().map(|n| n.degree).collect();
    assert_eq!(degrees, [3, 3, 2, 2]);
    let kinds: Vec<NodeKind> = s.nodes.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        [
            NodeKind::Institution,
            NodeKind::Institution,
            NodeKind::Institution,
            NodeKind::Lab
        ]
    );
    assert_eq!(s.nodes[0].name, "A");
}

#[test]
fn depth_two_and_three_reach_further() {
    let g = graph();
    let s = subgraph(&g, &[id("a")], 2, None, 100).expect("a subgraph");
    assert_eq!(node_ids(&s), ["a", "b", "c", "d", "l"]);
    assert_eq!(
        edge_triples(&s),
        [
            ("a", "b", C),
            ("a", "c", C),
            ("a", "l", P),
            ("b", "c", C),
            ("b", "l", P),
            ("c", "d", C)
        ]
    );
    let s = subgraph(&g, &[id("a")], 3, None, 100).expect("a subgraph");
    assert_eq!(node_ids(&s), ["a", "b", "c", "d", "e", "l"]);
    assert_eq!(s.edges.len(), 7);
    // Starting from both ends at once.
    let s = subgraph(&g, &[id("e"), id("l")], 1, None, 100).expect("a subgraph");
    assert_eq!(node_ids(&s), ["a", "b", "d", "e", "l"]);
    assert_eq!(
        edge_triples(&s),
        [("a", "b", C), ("a", "l", P), ("b", "l", P), ("d", "e", C)]
    );
}

#[test]
fn as_of_drops_later_edges() {
    // c–d holds from 2020: in 2019 d is out of reach and the edge is gone.
    let s = subgraph(&graph(), &[id("a")], 3, Some(2019), 100).expect("a subgraph");
    assert_eq!(node_ids(&s), ["a", "b", "c", "l"]);
    assert_eq!(s.edges.len(), 5);
    // Asked from d itself, the node is there but c–d is not.
    let s = subgraph(&graph(), &[id("d"), id("c")], 1, Some(2019), 100).expect("a subgraph");
    assert_eq!(node_ids(&s), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        edge_triples(&s),
        [("a", "b", C), ("a", "c", C), ("b", "c", C), ("d", "e", C)]
    );
    let s = subgraph(&graph(), &[id("d"), id("c")], 1, Some(2020), 100).expect("a subgraph");
    assert!(edge_triples(&s).contains(&("c", "d", C)));
}

#[test]
fn communities_cover_institutions_only() {
    let s = subgraph(&graph(), &[id("a")], 3, None, 100).expect("a subgraph");
    let community = |who: &str| {
        s.nodes
            .iter()
            .find(|n| n.id.as_str() == who)
            .expect("present")
            .community
    };
    // The triangle (a–b doubled by the shared lab) is one community, d–e another.
    assert!(community("a").is_some());
    assert_eq!(community("a"), community("b"));
    assert_eq!(community("a"), community("c"));
    assert_eq!(community("d"), community("e"));
    assert_ne!(community("a"), community("d"));
    assert_eq!(community("l"), None);
}

#[test]
fn layout_is_deterministic_and_in_the_unit_square() {
    let g = graph();
    let first = subgraph(&g, &[id("a")], 3, None, 100).expect("a subgraph");
    let again = subgraph(&g, &[id("a")], 3, None, 100).expect("a subgraph");
    let bits = |s: &Subgraph| -> Vec<(u64, u64)> {
        s.nodes
            .iter()
            .map(|n| (n.x.to_bits(), n.y.to_bits()))
            .collect()
    };
    assert_eq!(bits(&first), bits(&again));
    for n in &first.nodes {
        assert!(
            (0.0..=1.0).contains(&n.x) && (0.0..=1.0).contains(&n.y),
            "{n:?}"
        );
    }
    // Scaled to fill the square on at least one axis.
    let span = |f: fn(&labgraph_insights::subgraph::MapNode) -> f64| {
        let v: Vec<f64> = first.nodes.iter().map(f).collect();
        v.iter().cloned().fold(f64::MIN, f64::max) - v.iter().cloned().fold(f64::MAX, f64::min)
    };
    assert!((span(|n| n.x) - 1.0).abs() < 1e-12 || (span(|n| n.y) - 1.0).abs() < 1e-12);
    // No two nodes on one point.
    for (i, a) in first.nodes.iter().enumerate() {
        for b in &first.nodes[i + 1..] {
            assert!((a.x - b.x).abs() + (a.y - b.y).abs() > 1e-3, "{a:?} {b:?}");
        }
    }
    // A lone node sits in the middle.
    let lone = subgraph(&g, &[id("gz")], 1, None, 100).expect("a subgraph");
    assert_eq!(node_ids(&lone), ["gz"]);
    assert_eq!((lone.nodes[0].x, lone.nodes[0].y), (0.5, 0.5));
}

#[test]
fn cytoscape_export_has_elements() {
    let s = subgraph(&graph(), &[id("d")], 1, None, 100).expect("a subgraph");
    let json = to_cytoscape(&s);
    let nodes = json["elements"]["nodes"].as_array().expect("present");
    let edges = json["elements"]["edges"].as_array().expect("present");
    assert_eq!(nodes.len(), 3);
    assert_eq!(nodes[0]["data"]["id"], "c");
    assert_eq!(nodes[0]["data"]["label"], "C");
    assert_eq!(nodes[0]["data"]["kind"], s.nodes[0].kind.to_string());
    assert_eq!(nodes[0]["data"]["degree"], 1);
    assert_eq!(nodes[0]["position"]["x"], s.nodes[0].x * 1000.0);
    assert_eq!(edges.len(), 2);
    assert_eq!(edges[0]["data"]["source"], "c");
    assert_eq!(edges[0]["data"]["target"], "d");
    assert_eq!(edges[0]["data"]["kind"], C.to_string());
    assert_eq!(edges[0]["data"]["id"], format!("{}:c:d", C));
}

#[test]
fn refuses_bad_arguments() {
    let g = graph();
    assert_eq!(
        subgraph(&g, &[id("a"), id("zz")], 1, None, 100),
        Err(InsightError::UnknownNode {
            argument: "around[1]".into(),
            id: "zz".into()
        })
    );
    let depth = subgraph(&g, &[id("a")], 4, None, 100).expect_err("refused");
    assert_eq!(depth.to_string(), "depth: 4 is outside 1..=3");
    let depth0 = subgraph(&g, &[id("a")], 0, None, 100).expect_err("refused");
    assert_eq!(depth0.to_string(), "depth: 0 is outside 1..=3");
    let empty = subgraph(&g, &[], 1, None, 100).expect_err("refused");
    assert!(matches!(empty, InsightError::Invalid { ref argument, .. } if argument == "around"));
    // a's depth-1 neighbourhood has 4 nodes.
    assert!(subgraph(&g, &[id("a")], 1, None, 4).is_ok());
    let too_many = subgraph(&g, &[id("a")], 1, None, 3).expect_err("refused");
    assert!(
        matches!(too_many, InsightError::Invalid { ref argument, .. } if argument == "maxNodes")
    );
    let year = subgraph(&g, &[id("a")], 1, Some(1000), 100).expect_err("refused");
    assert!(matches!(year, InsightError::Invalid { ref argument, .. } if argument == "asOf"));
}
