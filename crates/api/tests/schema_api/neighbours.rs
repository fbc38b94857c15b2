//! The `edges` connection of a node: neighbours with edge properties, filters, pagination.

use serde_json::json;

use super::fixture::{data, error_code, schema, strings};

#[tokio::test]
async fn lab_edges_carry_the_neighbour_and_the_edge_properties() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ node(id: "gdhkmo-environmental-quality-innovation") { ... on Lab {
            all: edges { totalCount }
            partners: edges(kinds: [PARTNER_IN]) {
                totalCount
                edges { node { id } kind role since until weight direction tieClass
                        provenance { source verified } }
            }
            out: edges(direction: OUTGOING) { edges { node { __typename id } kind } }
        } } }"#,
    )
    .await;
    let node = &got["node"];
    // 3 partners, 1 field, 1 member.
    assert_eq!(node["all"]["totalCount"], 5);
    assert_eq!(node["partners"]["totalCount"], 3);
    let source = "http://km.eeju.com/chanpin/2019/1220/1843.html";
    assert_eq!(
        node["partners"]["edges"][0],
        json!({ "node": { "id": "hkust" }, "kind": "PARTNER_IN", "role": "PARTNER",
                "since": 2019, "until": null, "weight": null, "direction": "INCOMING",
                "tieClass": "MAINLAND_HK",
                "provenance": { "source": source, "verified": true } })
    );
    // The host is in the lab's own jurisdiction; the Macao partner is not.
    assert_eq!(node["partners"]["edges"][1]["node"]["id"], "jnu");
    assert_eq!(node["partners"]["edges"][1]["tieClass"], "DOMESTIC");
    assert_eq!(node["partners"]["edges"][2]["tieClass"], "MAINLAND_MACAO");
    assert_eq!(
        node["out"]["edges"],
        json!([{ "node": { "__typename": "Field", "id": "environment" }, "kind": "WORKS_ON" }])
    );
}

#[tokio::test]
async fn edges_page_by_cursor_without_gaps() {
    let schema = schema().await;
    let mut after = String::new();
    let mut seen = Vec::new();
    loop {
        let query = format!(
            r#"{{ node(id: "gdhkmo-environmental-quality-innovation") {{ ... on Lab {{
                edges(first: 2{after}) {{ edges {{ cursor node {{ id }} }}
                    pageInfo {{ hasNextPage hasPreviousPage endCursor }} }} }} }} }}"#
        );
        let got = data(&schema, &query).await;
        let conn = &got["node"]["edges"];
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], json!(!seen.is_empty()));
        seen.extend(strings(conn, "/edges", "/node/id"));
        if conn["pageInfo"]["hasNextPage"] == json!(false) {
            break;
        }
        let cursor = conn["pageInfo"]["endCursor"].as_str().expect("end cursor");
        after = format!(r#", after: "{cursor}""#);
    }
    // Ordered by kind (PARTNER_IN, MEMBER_OF, WORKS_ON), then neighbour id.
    assert_eq!(seen, ["hkust", "jnu", "must", "shao-min", "environment"]);
    assert_eq!(
        error_code(
            &schema,
            r#"{ node(id: "hku") { ... on Institution { edges(after: "bm9wZQ") { totalCount } } } }"#
        )
        .await,
        "BAD_CURSOR"
    );
}

#[tokio::test]
async fn lists_of_nodes_resolve_their_neighbours() {
    // Every lab asks for its partners' labs: one batched adjacency load per level.
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ labs(first: 100, where: {crossBorder: true}) { nodes { id
               partners { institution { id labs { id } } } } } }"#,
    )
    .await;
    let labs = got["labs"]["nodes"].as_array().expect("labs");
    assert_eq!(labs.len(), 5);
    for lab in labs {
        let lab_id = lab["id"].as_str().expect("lab id");
        for partner in lab["partners"].as_array().expect("partners") {
            let theirs = strings(&partner["institution"], "/labs", "/id");
            assert!(
                theirs.iter().any(|l| l == lab_id),
                "{partner} lacks {lab_id}"
            );
        }
    }
    let smart = labs
        .iter()
        .find(|l| l["id"] == "gdhkmo-smart-cities")
        .expect("smart cities lab");
    assert_eq!(
        strings(smart, "/partners", "/institution/id"),
        ["hku", "szu", "um"]
    );
}

#[tokio::test]
async fn collaboration_edges_are_symmetric_and_weighted() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ cuhk: node(id: "cuhk") { ... on Institution { edges { edges { node { id } kind weight direction tieClass provenance { synthetic } } } } }
             sysu: node(id: "sysu") { ... on Institution { edges { edges { node { id } direction } } } } }"#,
    )
    .await;
    assert_eq!(
        got["cuhk"]["edges"]["edges"],
        json!([{ "node": { "id": "sysu" }, "kind": "COLLABORATES_WITH", "weight": 3.0,
                 "direction": "OUTGOING", "tieClass": "MAINLAND_HK",
                 "provenance": { "synthetic": true } }])
    );
    assert_eq!(
        got["sysu"]["edges"]["edges"],
        json!([{ "node": { "id": "cuhk" }, "direction": "INCOMING" }])
    );
}
