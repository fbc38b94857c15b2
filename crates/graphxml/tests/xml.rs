//! The writers on a hand-made graph of two nodes and one edge, parsed back with quick-xml: the
//! files are well-formed, hold every node, edge, attribute and position, and keep Chinese and
//! Portuguese text intact while escaping `&`, `<`, `"` and dropping control characters XML
//! forbids.

use labgraph_graphxml::{
    AttrType, EdgeRecord, Header, NodeRecord, escape, write_gexf, write_graphml,
};
use quick_xml::Reader;
use quick_xml::events::Event;

const NODE_COLUMNS: &[(&str, AttrType)] = &[("kind", AttrType::Str), ("degree", AttrType::Int)];
const EDGE_COLUMNS: &[(&str, AttrType)] = &[("kind", AttrType::Str)];

fn header(positions: bool) -> Header<'static> {
    Header {
        graph_id: "g",
        description: "a & b",
        node_columns: NODE_COLUMNS,
        edge_columns: EDGE_COLUMNS,
        positions,
    }
}

fn nodes() -> Vec<NodeRecord<'static>> {
    vec![
        NodeRecord {
            id: "um",
            label: "Universidade de Macau <UM> & \"澳門大學\"",
            values: vec![(0, "institution".into()), (1, "1".into())],
            position: Some((0.0, 1000.0)),
        },
        NodeRecord {
            id: "lab",
            label: "联合实验室\u{1}",
            values: vec![(0, "lab".into())],
            position: Some((500.5, 250.0)),
        },
    ]
}

fn edges() -> Vec<EdgeRecord<'static>> {
    vec![EdgeRecord {
        source: "um",
        target: "lab",
        label: "partner_in",
        weight: 1.0,
        values: vec![(0, "partner_in".into())],
    }]
}

type Element = (String, Vec<(String, String)>);

/// Every element (start or empty) with its attributes, unescaped, in document order.
fn elements(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).expect("utf8");
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("a well-formed attribute");
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).expect("utf8"),
                            a.unescape_value().expect("escaped").into_owned(),
                        )
                    })
                    .collect();
                out.push((name, attrs));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn attr<'a>(element: &'a Element, key: &str) -> &'a str {
    element
        .1
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("{} has no {key}", element.0))
}

#[test]
fn gexf_parses_with_labels_attributes_and_positions() {
    let mut out = Vec::new();
    write_gexf(&header(true), nodes(), edges(), &mut out).expect("written");
    let xml = String::from_utf8(out).expect("utf8");
    let all = elements(&xml);
    let of = |name: &str| all.iter().filter(|e| e.0 == name).collect::<Vec<_>>();
    let nodes = of("node");
    assert_eq!(nodes.len(), 2);
    assert_eq!(of("edge").len(), 1);
    assert_eq!(
        attr(nodes[0], "label"),
        "Universidade de Macau <UM> & \"澳門大學\""
    );
    // The control character is dropped, the Chinese kept.
    assert_eq!(attr(nodes[1], "label"), "联合实验室");
    let positions = of("viz:position");
    assert_eq!(positions.len(), 2);
    assert_eq!(attr(positions[1], "x"), "500.5");
    assert_eq!(attr(positions[1], "y"), "250");
    let values = of("attvalue");
    // Two values for um, one for lab, one for the edge.
    assert_eq!(values.len(), 4);
    assert_eq!(attr(values[1], "for"), "1");
    assert_eq!(attr(values[1], "value"), "1");
    let edge = of("edge")[0];
    assert_eq!(
        (
            attr(edge, "source"),
            attr(edge, "target"),
            attr(edge, "label")
        ),
        ("um", "lab", "partner_in")
    );
    assert_eq!(of("attribute").len(), 3);
}

#[test]
fn graphml_parses_with_keys_data_and_positions() {
    let mut out = Vec::new();
    write_graphml(&header(true), nodes(), edges(), &mut out).expect("written");
    let xml = String::from_utf8(out).expect("utf8");
    let all = elements(&xml);
    let of = |name: &str| all.iter().filter(|e| e.0 == name).collect::<Vec<_>>();
    assert_eq!(of("node").len(), 2);
    assert_eq!(of("edge").len(), 1);
    // kind, degree, x, y for nodes; kind for edges.
    let keys: Vec<&str> = of("key").iter().map(|k| attr(k, "attr.name")).collect();
    assert_eq!(keys, ["kind", "degree", "x", "y", "kind"]);
    // um: kind, degree, x, y; lab: kind, x, y; the edge: kind.
    assert_eq!(of("data").len(), 8);
    assert!(xml.contains(r#"<data key="y">1000</data>"#), "{xml}");
}

#[test]
fn without_positions_nothing_is_drawn_and_no_viz_namespace() {
    let mut gexf = Vec::new();
    write_gexf(&header(false), nodes(), edges(), &mut gexf).expect("written");
    let gexf = String::from_utf8(gexf).expect("utf8");
    assert!(!gexf.contains("viz"), "{gexf}");
    assert_eq!(elements(&gexf).iter().filter(|e| e.0 == "node").count(), 2);
    let mut graphml = Vec::new();
    write_graphml(&header(false), nodes(), edges(), &mut graphml).expect("written");
    let graphml = String::from_utf8(graphml).expect("utf8");
    assert!(!graphml.contains(r#"key="x""#), "{graphml}");
    assert_eq!(
        elements(&graphml).iter().filter(|e| e.0 == "node").count(),
        2
    );
}

#[test]
fn escape_keeps_text_and_escapes_markup() {
    assert_eq!(
        escape("暨南大学 & <Universidade>"),
        "暨南大学 &amp; &lt;Universidade&gt;"
    );
    assert_eq!(escape("a\u{0}b\tc"), "ab&#9;c");
}
