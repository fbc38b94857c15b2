//! Map views through GraphQL (`subgraph`) on a real `GraphService` over a `MemoryStore`
//! holding the real graph-seed/: the neighbourhood of one joint lab (checked by hand against
//! graph-seed/edges.jsonl), its Cytoscape.js export and freshness, and the error codes of bad
//! arguments.

use serde_json::json;

mod seed_support;

use seed_support::{data, error, schema};

const LAB: &str = "gdhk-emerging-infectious-diseases";

#[tokio::test]
async fn a_joint_lab_with_its_partners_and_field() {
    let schema = schema().await;
    let query = r#"{ subgraph(around: ["gdhk-emerging-infectious-diseases"]) {
        nodes { node { id } community degree x y }
        edges { source target kind }
        cytoscape
        freshness { parameters exact }
    } }"#;
    let got = data(&schema, query).await;
    let s = &got["subgraph"];
    // edges.jsonl: stu-med and hku are partners in the lab (from 2019), which works on
    // biomedicine (from 2019); no edge joins hku, stu-med and biomedicine.
    let ids: Vec<&str> = s["nodes"]
        .as_array()
        .expect("present")
        .iter()
        .map(|n| n["node"]["id"].as_str().expect("present"))
        .collect();
    assert_eq!(ids, ["biomedicine", LAB, "hku", "stu-med"]);
    assert_eq!(
        s["edges"],
        json!([
            { "source": LAB, "target": "biomedicine", "kind": "WORKS_ON" },
            { "source": "hku", "target": LAB, "kind": "PARTNER_IN" },
            { "source": "stu-med", "target": LAB, "kind": "PARTNER_IN" },
        ])
    );
    let degrees: Vec<u64> = s["nodes"]
        .as_array()
        .expect("present")
        .iter()
        .map(|n| n["degree"].as_u64().expect("present"))
        .collect();
    assert_eq!(degrees, [1, 3, 1, 1]);
    // Institutions with ties have a community; the field and the lab do not.
    assert_eq!(s["nodes"][0]["community"], json!(null));
    assert_eq!(s["nodes"][1]["community"], json!(null));
    assert!(s["nodes"][2]["community"].is_u64());
    assert!(s["nodes"][3]["community"].is_u64());
    for n in s["nodes"].as_array().expect("present") {
        for axis in ["x", "y"] {
            let v = n[axis].as_f64().expect("present");
            assert!((0.0..=1.0).contains(&v), "{n}");
        }
    }
    let cy = &s["cytoscape"]["elements"];
    assert_eq!(cy["nodes"].as_array().expect("present").len(), 4);
    assert_eq!(cy["nodes"][2]["data"]["id"], "hku");
    assert_eq!(
        cy["nodes"][2]["position"]["x"].as_f64().expect("present"),
        s["nodes"][2]["x"].as_f64().expect("present") * 1000.0
    );
    assert_eq!(cy["edges"].as_array().expect("present").len(), 3);
    assert_eq!(
        s["freshness"],
        json!({
            "parameters": format!(
                r#"{{"around":["{LAB}"],"asOf":null,"depth":1,"maxNodes":300}}"#
            ),
            "exact": true,
        })
    );
    // Asked again: the same coordinates, bit for bit.
    assert_eq!(data(&schema, query).await, got);
}

#[tokio::test]
async fn as_of_before_the_lab_leaves_it_alone() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ subgraph(around: ["gdhk-emerging-infectious-diseases"], depth: 2, asOf: 2018) {
            nodes { node { id } degree x y } edges { source }
        } }"#,
    )
    .await;
    assert_eq!(
        got["subgraph"],
        json!({ "nodes": [{ "node": { "id": LAB }, "degree": 0, "x": 0.5, "y": 0.5 }], "edges": [] })
    );
}

#[tokio::test]
async fn bad_arguments_have_codes() {
    let schema = schema().await;
    let (code, message) = error(
        &schema,
        r#"{ subgraph(around: ["hku", "atlantis"]) { edges { source } } }"#,
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
    assert!(message.contains("atlantis"), "{message}");
    for args in [
        "depth: 4",
        "depth: -1",
        "maxNodes: 0",
        "maxNodes: 5000",
        "asOf: 1000",
    ] {
        let (code, message) = error(
            &schema,
            &format!(r#"{{ subgraph(around: ["hku"], {args}) {{ edges {{ source }} }} }}"#),
        )
        .await;
        assert_eq!(code, "VALIDATION_FAILED", "{args}: {message}");
    }
    let (code, message) = error(
        &schema,
        r#"{ subgraph(around: ["hku"], depth: 3, maxNodes: 2) { edges { source } } }"#,
    )
    .await;
    assert_eq!(code, "VALIDATION_FAILED");
    assert!(message.contains("maxNodes"), "{message}");
}
