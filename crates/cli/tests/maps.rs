//! End-to-end tests of `labgraph subgraph` with the real binary on the seed database. The
//! facts are read off graph-seed/ by hand: Jinan University (`jnu`) hosts the Guangdong–HK–
//! Macao environmental-quality lab (2019) with HKUST and MUST as partners, the lab works on
//! `environment`, and no other edge joins these five nodes; graph-seed/ has four platforms,
//! none joined to another. Bad input exits with code 3.

mod seeded;

use seeded::{json, ok, run, seeded};

use serde_json::Value;

const JNU_LAB: &str = "gdhkmo-environmental-quality-innovation";

fn node_ids(doc: &Value) -> Vec<&str> {
    doc["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["node"]["id"].as_str().expect("an id"))
        .collect()
}

#[test]
fn the_map_around_jinan_university() {
    let db = seeded("maps", "jnu");
    let doc = json(&run(
        &db,
        &[
            "subgraph", "--around", "jnu", "--depth", "2", "--format", "json",
        ],
    ));
    assert_eq!(
        node_ids(&doc),
        ["environment", JNU_LAB, "hkust", "jnu", "must"]
    );
    assert_eq!(doc["edges"].as_array().expect("edges").len(), 4);
    let jnu = &doc["nodes"][3];
    assert_eq!(jnu["kind"], "INSTITUTION");
    assert!(jnu["community"].is_u64(), "{jnu}");
    assert!(jnu["centrality"]["score"].is_f64(), "{jnu}");
    assert_eq!(doc["nodes"][0]["centrality"], Value::Null);
    // The default format: Cytoscape.js elements with the same positions (× 1000).
    let cy = json(&run(&db, &["subgraph", "--around", "jnu", "--depth", "2"]));
    let cy_nodes = cy["elements"]["nodes"].as_array().expect("nodes");
    assert_eq!(cy_nodes.len(), 5);
    assert_eq!(cy_nodes[3]["data"]["id"], "jnu");
    // Within a rounding: serde_json's default parser is not exact to the last bit.
    let (cy_x, x) = (
        cy_nodes[3]["position"]["x"].as_f64().expect("x"),
        jnu["x"].as_f64().expect("x"),
    );
    assert!((cy_x - x * 1000.0).abs() < 1e-9, "{cy_x} vs {x}");
    assert_eq!(
        cy_nodes[3]["data"]["centrality"],
        jnu["centrality"]["score"]
    );
}

#[test]
fn gexf_and_graphml_files() {
    let db = seeded("maps", "files");
    let dir = db.parent().expect("a directory");
    for (format, node_tag) in [("gexf", "<node "), ("graphml", "<node ")] {
        let file = dir.join(format!("jnu.{format}"));
        let out = run(
            &db,
            &[
                "subgraph",
                "--around",
                "jnu",
                "--depth",
                "2",
                "--format",
                format,
                "--out",
                file.to_str().expect("utf8 path"),
            ],
        );
        assert_eq!(ok(&out), "", "{format}: nothing on stdout with --out");
        let text = std::fs::read_to_string(&file).expect("the file");
        assert!(text.starts_with("<?xml"), "{format}");
        assert_eq!(text.matches(node_tag).count(), 5, "{format}");
        assert_eq!(text.matches("<edge ").count(), 4, "{format}");
        assert!(text.contains("暨南大学"), "{format}: Chinese names intact");
        assert!(text.contains("centrality"), "{format}");
    }
    let gexf = std::fs::read_to_string(dir.join("jnu.gexf")).expect("the file");
    assert_eq!(gexf.matches("<viz:position ").count(), 5);
}

#[test]
fn filters_narrow_the_map() {
    let db = seeded("maps", "filters");
    let doc = json(&run(
        &db,
        &[
            "subgraph",
            "--around",
            "jnu",
            "--depth",
            "2",
            "--where-kind",
            "institution",
            "--where-kind",
            "lab",
            "--format",
            "json",
        ],
    ));
    assert_eq!(node_ids(&doc), [JNU_LAB, "hkust", "jnu", "must"]);
    assert_eq!(doc["edges"].as_array().expect("edges").len(), 3);
    // Without --around: every platform of the graph.
    let doc = json(&run(
        &db,
        &["subgraph", "--where-kind", "platform", "--format", "json"],
    ));
    assert_eq!(node_ids(&doc).len(), 4);
    assert_eq!(doc["edges"], serde_json::json!([]));
    // Only the field's own nodes: the lab works on environment; JNU (around) stays.
    let doc = json(&run(
        &db,
        &[
            "subgraph",
            "--around",
            "jnu",
            "--depth",
            "2",
            "--field",
            "environment",
            "--format",
            "json",
        ],
    ));
    assert_eq!(node_ids(&doc), ["environment", JNU_LAB, "jnu"]);
}

#[test]
fn bad_input_exits_with_code_3() {
    let db = seeded("maps", "bad");
    for (args, says) in [
        (vec!["subgraph"], "around"),
        (vec!["subgraph", "--around", "atlantis"], "atlantis"),
        (vec!["subgraph", "--around", "jnu", "--depth", "4"], "depth"),
        (
            vec!["subgraph", "--around", "jnu", "--field", "alchemy"],
            "alchemy",
        ),
        (
            vec!["subgraph", "--around", "jnu", "--where-kind", "planet"],
            "planet",
        ),
        (
            vec![
                "subgraph",
                "--where-kind",
                "institution",
                "--max-nodes",
                "10",
            ],
            "maxNodes",
        ),
    ] {
        let out = run(&db, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}
