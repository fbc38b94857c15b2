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

/// The depth-2 map around Jinan University, read off graph-seed/edges.jsonl by hand: JNU hosts
/// the Guangdong–HK–Macao environmental-quality lab (2019) with HKUST and MUST as partners;
/// the lab works on `environment`; no other edge joins these five nodes.
const JNU_LAB: &str = "gdhkmo-environmental-quality-innovation";

fn ids(subgraph: &serde_json::Value) -> Vec<String> {
    subgraph["nodes"]
        .as_array()
        .expect("present")
        .iter()
        .map(|n| n["node"]["id"].as_str().expect("present").to_owned())
        .collect()
}

#[tokio::test]
async fn where_keeps_matching_nodes_and_steps_only_onto_them() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{
          all: subgraph(around: ["jnu"], depth: 2) { nodes { node { id } } edges { source target kind } }
          labsAndInstitutions: subgraph(around: ["jnu"], depth: 2, where: { kind: [INSTITUTION, LAB] }) {
            nodes { node { id } kind } edges { source target kind }
          }
          labsOnly: subgraph(around: ["jnu"], depth: 2, where: { kind: [LAB] }) {
            nodes { node { id } } edges { source target }
          }
          macaoOnly: subgraph(around: ["jnu"], depth: 2, where: { jurisdiction: [MACAO], kind: [INSTITUTION] }) {
            nodes { node { id } } edges { source target }
          }
        }"#,
    )
    .await;
    assert_eq!(
        ids(&got["all"]),
        ["environment", JNU_LAB, "hkust", "jnu", "must"]
    );
    assert_eq!(got["all"]["edges"].as_array().expect("present").len(), 4);
    // The field is left out, and with it the WORKS_ON edge.
    assert_eq!(
        ids(&got["labsAndInstitutions"]),
        [JNU_LAB, "hkust", "jnu", "must"]
    );
    assert_eq!(
        got["labsAndInstitutions"]["edges"],
        json!([
            { "source": "hkust", "target": JNU_LAB, "kind": "PARTNER_IN" },
            { "source": "jnu", "target": JNU_LAB, "kind": "PARTNER_IN" },
            { "source": "must", "target": JNU_LAB, "kind": "PARTNER_IN" },
        ])
    );
    assert_eq!(got["labsAndInstitutions"]["nodes"][0]["kind"], "LAB");
    assert_eq!(
        got["labsAndInstitutions"]["nodes"][1]["kind"],
        "INSTITUTION"
    );
    // JNU (around) is kept though it is no lab; the partners beyond the lab are not labs.
    assert_eq!(ids(&got["labsOnly"]), [JNU_LAB, "jnu"]);
    assert_eq!(
        got["labsOnly"]["edges"],
        json!([{ "source": "jnu", "target": JNU_LAB }])
    );
    // Only Macao institutions may be stepped on: the lab is none, so JNU stands alone.
    assert_eq!(ids(&got["macaoOnly"]), ["jnu"]);
    assert_eq!(got["macaoOnly"]["edges"], json!([]));
}

#[tokio::test]
async fn where_without_around_maps_the_whole_graph_within_max_nodes() {
    let schema = schema().await;
    // graph-seed/platforms.jsonl: four platforms, none joined to another.
    let got = data(
        &schema,
        r#"{ subgraph(where: { kind: [PLATFORM] }) {
            nodes { node { id } community degree } edges { source }
            freshness { parameters }
        } }"#,
    )
    .await;
    assert_eq!(
        ids(&got["subgraph"]),
        [
            "gba-university-industry-rd-alliance",
            "gz-sz-hk-mo-st-corridor",
            "hetao-szhk-cooperation-zone",
            "nansha-cooperation-base",
        ]
    );
    assert_eq!(got["subgraph"]["edges"], json!([]));
    assert!(
        got["subgraph"]["freshness"]["parameters"]
            .as_str()
            .expect("present")
            .contains(r#""where":{"city":null,"crossBorder":null,"field":null,"jurisdiction":null,"kind":["platform"],"region":null,"verified":null}"#),
        "{}",
        got["subgraph"]["freshness"]
    );
    // Unverified platforms only: the same four (every platform in the seed is unverified).
    let unverified = data(
        &schema,
        r#"{ subgraph(where: { kind: [PLATFORM], verified: false }) { nodes { node { id } } } }"#,
    )
    .await;
    assert_eq!(ids(&unverified["subgraph"]).len(), 4);
    let verified = data(
        &schema,
        r#"{ subgraph(where: { kind: [PLATFORM], verified: true }) { nodes { node { id } } } }"#,
    )
    .await;
    assert_eq!(verified["subgraph"]["nodes"], json!([]));
    // The 60 institutions of graph-seed/institutions.jsonl are more than 10.
    let (code, message) = error(
        &schema,
        r#"{ subgraph(where: { kind: [INSTITUTION] }, maxNodes: 10) { edges { source } } }"#,
    )
    .await;
    assert_eq!(code, "VALIDATION_FAILED");
    assert!(
        message.contains("maxNodes") && message.contains("60"),
        "{message}"
    );
}

#[tokio::test]
async fn where_arguments_are_checked() {
    let schema = schema().await;
    let (code, message) = error(&schema, r#"{ subgraph { edges { source } } }"#).await;
    assert_eq!(code, "VALIDATION_FAILED");
    assert!(message.contains("around"), "{message}");
    let (code, message) = error(
        &schema,
        r#"{ subgraph(around: ["jnu"], where: { field: ["alchemy"] }) { edges { source } } }"#,
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
    assert!(
        message.contains("where.field") && message.contains("alchemy"),
        "{message}"
    );
    let (code, message) = error(
        &schema,
        r#"{ subgraph(around: ["jnu"], where: { field: ["hku"] }) { edges { source } } }"#,
    )
    .await;
    assert_eq!(code, "VALIDATION_FAILED");
    assert!(message.contains("hku"), "{message}");
    let (code, _) = error(
        &schema,
        r#"{ subgraph(around: ["jnu"], where: { city: ["atlantis"] }) { edges { source } } }"#,
    )
    .await;
    assert_eq!(code, "NOT_FOUND");
}

#[tokio::test]
async fn centrality_is_the_nodes_own_and_null_outside_the_network() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{
          subgraph(around: ["jnu"], depth: 2) {
            nodes { node { id } centrality(kind: PAGERANK) { score rank outOf } }
          }
          institution: node(id: "jnu") { ... on Institution { centrality(kind: PAGERANK) { score rank outOf } } }
          lab: node(id: "gdhkmo-environmental-quality-innovation") { ... on Lab { centrality(kind: PAGERANK) { score rank outOf } } }
        }"#,
    )
    .await;
    let nodes = got["subgraph"]["nodes"].as_array().expect("present");
    let of = |id: &str| {
        nodes
            .iter()
            .find(|n| n["node"]["id"] == id)
            .expect("on the map")["centrality"]
            .clone()
    };
    assert!(of("jnu")["score"].is_f64(), "{}", of("jnu"));
    assert!(of(JNU_LAB)["score"].is_f64(), "{}", of(JNU_LAB));
    assert_eq!(of("jnu"), got["institution"]["centrality"]);
    assert_eq!(of(JNU_LAB), got["lab"]["centrality"]);
    assert_eq!(of("environment"), json!(null));
    // CLUSTERING is refused on a lab's (bipartite) network: null for the lab, a value for
    // the institutions, no error for the map.
    let clustering = data(
        &schema,
        r#"{ subgraph(around: ["jnu"], depth: 2) {
            nodes { node { id } centrality(kind: CLUSTERING) { score } }
            gexf(centrality: CLUSTERING)
        } }"#,
    )
    .await;
    let nodes = clustering["subgraph"]["nodes"].as_array().expect("present");
    assert_eq!(nodes[1]["node"]["id"], JNU_LAB);
    assert_eq!(nodes[1]["centrality"], json!(null));
    assert!(nodes[3]["centrality"]["score"].is_f64(), "{}", nodes[3]);
    // An institution asked for in the people network is not in it.
    let people = data(
        &schema,
        r#"{ subgraph(around: ["jnu"]) { nodes { node { id } centrality(projection: PEOPLE) { score } } } }"#,
    )
    .await;
    for n in people["subgraph"]["nodes"].as_array().expect("present") {
        assert_eq!(n["centrality"], json!(null), "{n}");
    }
}

#[tokio::test]
async fn gexf_and_graphml_carry_the_map() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ subgraph(around: ["jnu"], depth: 2) {
            nodes { node { id } centrality { score } }
            gexf graphml cytoscape
        } }"#,
    )
    .await;
    let s = &got["subgraph"];
    let gexf = s["gexf"].as_str().expect("text");
    let graphml = s["graphml"].as_str().expect("text");
    // Five nodes and four edges in each (element counts; parsing is tested in insights).
    assert_eq!(gexf.matches("<node ").count(), 5);
    assert_eq!(gexf.matches("<edge ").count(), 4);
    assert_eq!(gexf.matches("<viz:position ").count(), 5);
    assert_eq!(graphml.matches("<node ").count(), 5);
    assert_eq!(graphml.matches("<edge ").count(), 4);
    // Names in every language, intact.
    assert!(
        gexf.contains("暨南大学") && gexf.contains("暨南大學"),
        "{gexf}"
    );
    assert!(graphml.contains("Jinan University"), "{graphml}");
    // The degree centrality (the default) of JNU, as its node says.
    let jnu = s["nodes"]
        .as_array()
        .expect("present")
        .iter()
        .find(|n| n["node"]["id"] == "jnu")
        .expect("on the map");
    let score = jnu["centrality"]["score"].as_f64().expect("a score");
    let cy_jnu = s["cytoscape"]["elements"]["nodes"]
        .as_array()
        .expect("present")
        .iter()
        .find(|n| n["data"]["id"] == "jnu")
        .expect("on the map");
    assert_eq!(cy_jnu["data"]["centrality"].as_f64(), Some(score));
    assert!(
        gexf.contains("centrality: DEGREE"),
        "the description names the measure"
    );
}

/// graph-seed/ as a domain graph: the same records the schema's store holds, for looking up
/// the stored edge behind each map edge.
fn seed_graph() -> labgraph_domain::Graph {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
    let parsed = labgraph_io::read_files(&[dir]).expect("graph-seed reads");
    parsed
        .apply_to(&labgraph_domain::Graph::new())
        .expect("graph-seed is valid")
        .0
}

/// The stored edge of `kind` (a GraphQL or file code) from `source` to `target`.
fn stored<'g>(
    graph: &'g labgraph_domain::Graph,
    kind: &str,
    source: &str,
    target: &str,
) -> &'g labgraph_domain::Edge {
    let id = |text: &str| labgraph_domain::Id::new(text).expect("an id");
    let kind = labgraph_domain::EdgeKind::from_code(kind).expect("a known kind");
    graph
        .edge(&labgraph_domain::EdgeKey::new(kind, id(source), id(target)))
        .expect("the edge is stored")
}

#[tokio::test]
async fn map_edges_answer_what_the_stored_edges_hold() {
    let schema = schema().await;
    let graph = seed_graph();
    let got = data(
        &schema,
        r#"{ subgraph(around: ["jnu"], depth: 3) {
            edges { source target kind role title primary mode since until weight tieClass
                    provenance { source date verified synthetic } }
            cytoscape
        } }"#,
    )
    .await;
    let edges = got["subgraph"]["edges"].as_array().expect("present");
    // JNU's three hops reach edges with years and sources; the comparison is worth something
    // only if some are there.
    assert!(edges.iter().any(|e| e["since"].is_i64()));
    assert!(edges.iter().any(|e| e["provenance"]["source"].is_string()));
    for e in edges {
        let text = |k: &str| e[k].as_str().expect("present");
        let edge = stored(&graph, text("kind"), text("source"), text("target"));
        let key = edge.key();
        assert_eq!(e["since"], json!(edge.since), "{key}");
        assert_eq!(e["until"], json!(edge.until), "{key}");
        assert_eq!(e["weight"], json!(edge.weight), "{key}");
        assert_eq!(e["title"], json!(edge.title), "{key}");
        assert_eq!(e["primary"], json!(edge.primary), "{key}");
        assert_eq!(
            e["role"],
            json!(edge.role.map(|r| r.code().to_uppercase())),
            "{key}"
        );
        assert_eq!(
            e["provenance"],
            json!({
                "source": edge.provenance.source,
                "date": edge.provenance.date,
                "verified": edge.provenance.verified,
                "synthetic": edge.provenance.synthetic,
            }),
            "{key}"
        );
    }
    let cy = got["subgraph"]["cytoscape"]["elements"]["edges"]
        .as_array()
        .expect("present");
    assert_eq!(cy.len(), edges.len());
    for c in cy {
        let d = &c["data"];
        let text = |k: &str| d[k].as_str().expect("present");
        let edge = stored(&graph, text("kind"), text("source"), text("target"));
        let key = edge.key();
        assert_eq!(d["since"], json!(edge.since), "{key}");
        assert_eq!(d["until"], json!(edge.until), "{key}");
        assert_eq!(d["weight"].as_f64(), Some(edge.weight_or_one()), "{key}");
        assert_eq!(d["provenance"], json!(edge.provenance.source), "{key}");
        assert_eq!(d["verified"], json!(edge.provenance.verified), "{key}");
    }
}

/// The fields `MapEdge` shares with `NeighbourEdge`, meaning the same on both.
const SHARED_EDGE_FIELDS: [&str; 10] = [
    "kind",
    "role",
    "title",
    "primary",
    "mode",
    "since",
    "until",
    "weight",
    "tieClass",
    "provenance",
];

#[tokio::test]
async fn a_map_edge_answers_as_the_same_edge_seen_from_its_node() {
    let schema = schema().await;
    let fields = "kind role title primary mode since until weight tieClass \
                  provenance { source date verified synthetic }";
    let got = data(
        &schema,
        &format!(
            r#"{{ subgraph(around: ["jnu"], depth: 2) {{ edges {{ source target {fields} }} }}
                node(id: "jnu") {{ ... on Institution {{
                    edges(direction: OUTGOING) {{ edges {{ node {{ id }} {fields} }} }} }} }} }}"#
        ),
    )
    .await;
    let from_jnu: Vec<&serde_json::Value> = got["subgraph"]["edges"]
        .as_array()
        .expect("present")
        .iter()
        .filter(|e| e["source"] == "jnu")
        .collect();
    assert!(!from_jnu.is_empty());
    for e in from_jnu {
        let seen = got["node"]["edges"]["edges"]
            .as_array()
            .expect("present")
            .iter()
            .find(|n| n["node"]["id"] == e["target"] && n["kind"] == e["kind"])
            .expect("the same edge among JNU's");
        for field in SHARED_EDGE_FIELDS {
            assert_eq!(e[field], seen[field], "{field} of {e}");
        }
    }
}

#[tokio::test]
async fn map_edge_fields_mean_what_neighbour_edge_fields_mean() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ map: __type(name: "MapEdge") { fields { name description type { name kind ofType { name } } } }
             neighbour: __type(name: "NeighbourEdge") { fields { name description type { name kind ofType { name } } } } }"#,
    )
    .await;
    let fields = |t: &str| -> Vec<serde_json::Value> {
        got[t]["fields"].as_array().expect("present").clone()
    };
    let neighbour = fields("neighbour");
    for name in SHARED_EDGE_FIELDS {
        let map = fields("map")
            .into_iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("MapEdge.{name} missing"));
        let theirs = neighbour
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("NeighbourEdge.{name} missing"));
        assert_eq!(map["type"], theirs["type"], "type of {name}");
        // `kind` predates this and says "The edge's kind." on maps; the rest are the same.
        if name != "kind" {
            assert_eq!(map["description"], theirs["description"], "{name}");
        }
    }
}
