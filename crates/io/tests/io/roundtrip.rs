//! Writers and readers agree: a graph written as JSON Lines, JSON or CSV reads back as the
//! same graph.

use labgraph_domain::{Graph, Id, Names, Node, NodeAttrs, PersonAttrs};
use labgraph_io::{Format, read_files, read_str, write_csv, write_csv_dir, write_jsonl};

use crate::common::{contents, scratch, seed_graph};

fn jsonl(graph: &Graph) -> String {
    let mut out = Vec::new();
    write_jsonl(graph, &mut out).expect("write to memory");
    String::from_utf8(out).expect("JSON Lines is UTF-8")
}

fn apply(text: &str, format: Format) -> Graph {
    read_str("roundtrip", text, format)
        .expect("written text reads back")
        .apply_to(&Graph::new())
        .expect("written text applies")
        .0
}

#[test]
fn seed_round_trips_through_jsonl() {
    let graph = seed_graph();
    let text = jsonl(&graph);
    let again = apply(&text, Format::Jsonl);
    assert_eq!(contents(&again), contents(&graph));
    // Deterministic: writing the read-back graph gives the same bytes.
    assert_eq!(jsonl(&again), text);
    assert!(text.starts_with(r#"{"record":"header","format":"labgraph-seed","version":1}"#));
}

#[test]
fn seed_round_trips_through_csv_files() {
    let graph = seed_graph();
    let dir = scratch("csv-roundtrip");
    write_csv_dir(&graph, &dir).expect("write csv");
    let parsed = read_files(&[&dir]).expect("csv reads back");
    assert_eq!(parsed.files.len(), 2);
    let (again, _) = parsed.apply_to(&Graph::new()).expect("csv applies");
    assert_eq!(contents(&again), contents(&graph));
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn jsonl_round_trips_through_json_envelope_and_array() {
    let graph = seed_graph();
    let text = jsonl(&graph);
    let lines: Vec<&str> = text.lines().skip(1).collect();
    let array = format!("[\n{}\n]\n", lines.join(",\n"));
    assert_eq!(contents(&apply(&array, Format::Json)), contents(&graph));
    let envelope = format!(
        "{{\"format\":\"labgraph-seed\",\"version\":1,\"records\":[\n{}\n]}}",
        lines.join(",\n")
    );
    assert_eq!(contents(&apply(&envelope, Format::Json)), contents(&graph));
}

#[test]
fn every_value_type_survives_both_formats() {
    // Values the seed does not exercise: people, weights (whole and fractional), titles,
    // primary flags, talent modes, until, dates, synthetic marks, list items with spaces.
    let text = r#"{"record":"header","format":"labgraph-seed","version":1}
{"record":"node","kind":"city","id":"hong-kong","name_en":"Hong Kong","region":"hk","in_gba":true}
{"record":"node","kind":"institution","id":"hku","name_en":"The University of Hong Kong","aliases":["港大","Hong Kong U"],"institution_kind":"university","city":"hong-kong","website":"https://www.hku.hk"}
{"record":"node","kind":"person","id":"p1","name_en":"A Person","name_pt":"Uma Pessoa","source":"a, b; c","source_date":"2024-05","synthetic":true}
{"record":"node","kind":"person","id":"p2","name_zh_hant":"某人"}
{"record":"edge","kind":"affiliated_with","from":"p1","to":"hku","title":"Professor, \"Chair\"","primary":true,"since":2011,"until":2020}
{"record":"edge","kind":"talent_link","from":"p2","to":"hku","mode":"joint_appointment","weight":2.5}
{"record":"edge","kind":"collaborates_with","from":"p2","to":"p1","weight":7,"verified":true}
"#;
    let graph = apply(text, Format::Jsonl);
    assert_eq!(graph.edge_count(), 3);
    let back = jsonl(&graph);
    assert!(
        back.contains(r#""weight":7,"#),
        "whole weights are written as integers: {back}"
    );
    assert!(back.contains(r#""weight":2.5"#));
    assert_eq!(contents(&apply(&back, Format::Jsonl)), contents(&graph));
    let (mut nodes, mut edges) = (Vec::new(), Vec::new());
    write_csv(&graph, &mut nodes, &mut edges).expect("write csv");
    let csv_graph = {
        let n = read_str(
            "nodes.csv",
            std::str::from_utf8(&nodes).expect("utf8"),
            Format::Csv,
        )
        .expect("nodes.csv reads");
        let e = read_str(
            "edges.csv",
            std::str::from_utf8(&edges).expect("utf8"),
            Format::Csv,
        )
        .expect("edges.csv reads");
        let mut all = n.changes.clone();
        all.changes.extend(e.changes.changes);
        Graph::new().apply(&all).expect("csv applies").0
    };
    assert_eq!(contents(&csv_graph), contents(&graph));
}

#[test]
fn csv_writer_refuses_a_list_item_it_cannot_spell() {
    let mut graph_changes = labgraph_domain::ChangeSet::new();
    graph_changes.upsert_node(Node {
        id: Id::new("p1").expect("id"),
        names: Names {
            en: Some("P".into()),
            aliases: vec!["a;b".into()],
            ..Names::default()
        },
        attrs: NodeAttrs::Person(PersonAttrs {}),
        provenance: Default::default(),
    });
    let graph = Graph::new().apply(&graph_changes).expect("valid").0;
    let err = write_csv(&graph, Vec::new(), Vec::new()).expect_err("`;` inside an item");
    let message = err.to_string();
    assert!(
        message.contains("p1") && message.contains("aliases"),
        "{message}"
    );
    // JSON Lines has no such limit.
    assert!(jsonl(&graph).contains(r#""aliases":["a;b"]"#));
}
