//! Root connections: filters, orderBy, cursor pagination forwards and backwards, pageInfo,
//! totalCount, and the errors of bad cursors and oversized pages.

use std::collections::BTreeSet;

use labgraph_api::schema::LabgraphSchema;
use serde_json::json;

use super::fixture::{data, error_code, schema, strings};

/// Pages forward through `field(args)` `size` at a time; returns the ids in order and checks
/// pageInfo on every page.
async fn page_forward(
    schema: &LabgraphSchema,
    field: &str,
    args: &str,
    size: usize,
) -> Vec<String> {
    let mut ids = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..100 {
        let cursor = after
            .as_ref()
            .map(|c| format!(", after: \"{c}\""))
            .unwrap_or_default();
        let query = format!(
            "{{ {field}(first: {size}{args}{cursor}) {{ totalCount edges {{ cursor node {{ id }} }} \
             pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"
        );
        let got = data(schema, &query).await;
        let conn = &got[field];
        let page = strings(conn, "/edges", "/node/id");
        assert!(page.len() <= size, "page larger than asked: {page:?}");
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], json!(after.is_some()));
        if let Some(first) = conn["edges"].as_array().and_then(|e| e.first()) {
            assert_eq!(conn["pageInfo"]["startCursor"], first["cursor"]);
        }
        ids.extend(page);
        if conn["pageInfo"]["hasNextPage"] == json!(false) {
            assert_eq!(conn["totalCount"], json!(ids.len()), "totalCount vs pages");
            return ids;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        assert!(after.is_some(), "a page with a next page has an end cursor");
    }
    panic!("pagination of {field} does not end");
}

/// Pages backward through `field(args)` with `last`/`before`; returns the ids in order.
async fn page_backward(
    schema: &LabgraphSchema,
    field: &str,
    args: &str,
    size: usize,
) -> Vec<String> {
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut before: Option<String> = None;
    for _ in 0..100 {
        let cursor = before
            .as_ref()
            .map(|c| format!(", before: \"{c}\""))
            .unwrap_or_default();
        let query = format!(
            "{{ {field}(last: {size}{args}{cursor}) {{ edges {{ node {{ id }} }} \
             pageInfo {{ hasNextPage hasPreviousPage startCursor }} }} }}"
        );
        let got = data(schema, &query).await;
        let conn = &got[field];
        pages.push(strings(conn, "/edges", "/node/id"));
        assert_eq!(conn["pageInfo"]["hasNextPage"], json!(before.is_some()));
        if conn["pageInfo"]["hasPreviousPage"] == json!(false) {
            pages.reverse();
            return pages.concat();
        }
        before = conn["pageInfo"]["startCursor"].as_str().map(str::to_owned);
    }
    panic!("backward pagination of {field} does not end");
}

fn assert_distinct(ids: &[String]) {
    let set: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(set.len(), ids.len(), "duplicates in {ids:?}");
}

/// The sorted ids of every node of a kind, through the connection in one page.
async fn all_ids(schema: &LabgraphSchema, field: &str) -> Vec<String> {
    let got = data(
        schema,
        &format!("{{ {field}(first: 100) {{ nodes {{ id }} }} }}"),
    )
    .await;
    let mut ids = strings(&got[field], "/nodes", "/id");
    ids.sort();
    ids
}

#[tokio::test]
async fn every_connection_pages_through_all_nodes_in_every_order() {
    let schema = schema().await;
    let orders: &[(&str, &[&str])] = &[
        ("institutions", &["ID", "NAME", "DEGREE"]),
        ("labs", &["ID", "NAME", "DEGREE", "BATCH_YEAR", "FOUNDED"]),
        ("people", &["ID", "NAME", "DEGREE"]),
        ("cities", &["ID", "NAME", "DEGREE"]),
        ("fields", &["ID", "NAME", "DEGREE"]),
        ("platforms", &["ID", "NAME", "DEGREE", "ESTABLISHED"]),
    ];
    for &(field, order_fields) in orders {
        let everything = all_ids(&schema, field).await;
        assert!(!everything.is_empty(), "{field} is empty in the fixture");
        for order in order_fields {
            for direction in ["ASC", "DESC"] {
                let args = format!(", orderBy: {{field: {order}, direction: {direction}}}");
                for size in [1, 2, 5] {
                    let forward = page_forward(&schema, field, &args, size).await;
                    assert_distinct(&forward);
                    let mut sorted = forward.clone();
                    sorted.sort();
                    assert_eq!(sorted, everything, "{field} {args} by {size} misses nodes");
                    let backward = page_backward(&schema, field, &args, size).await;
                    assert_eq!(
                        backward, forward,
                        "{field} {args}: backward differs by {size}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn id_order_is_by_id_and_desc_reverses_it() {
    let schema = schema().await;
    let asc = page_forward(&schema, "institutions", "", 4).await;
    let mut sorted = asc.clone();
    sorted.sort();
    assert_eq!(asc, sorted);
    let desc = page_forward(&schema, "institutions", ", orderBy: {direction: DESC}", 4).await;
    sorted.reverse();
    assert_eq!(desc, sorted);
}

#[tokio::test]
async fn orders_follow_their_keys_with_unknowns_last_and_ties_by_id() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ asc: labs(first: 10, orderBy: {field: BATCH_YEAR}) { nodes { id batchYear } }
             desc: labs(first: 10, orderBy: {field: BATCH_YEAR, direction: DESC}) { nodes { id batchYear } }
             names: institutions(first: 100, orderBy: {field: NAME}) { nodes { name } }
             degree: institutions(first: 3, orderBy: {field: DEGREE, direction: DESC}) { nodes { id } } }"#,
    )
    .await;
    let years = |key: &str| -> Vec<Option<i64>> {
        got[key]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["batchYear"].as_i64())
            .collect()
    };
    assert_eq!(
        years("asc"),
        [
            Some(2019),
            Some(2019),
            Some(2019),
            Some(2019),
            Some(2020),
            None,
            None
        ]
    );
    assert_eq!(
        years("desc"),
        [
            Some(2020),
            Some(2019),
            Some(2019),
            Some(2019),
            Some(2019),
            None,
            None
        ]
    );
    // Equal years keep id order in both directions.
    let asc_ids = strings(&got["asc"], "/nodes", "/id");
    let desc_ids = strings(&got["desc"], "/nodes", "/id");
    assert_eq!(asc_ids[..4], desc_ids[1..5]);
    let names = strings(&got["names"], "/nodes", "/name");
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    // Five institutions have two edges (gig-cas, gzmu-1st-hospital, hku, jnu, polyu), none
    // more: the tie is broken by id.
    assert_eq!(
        strings(&got["degree"], "/nodes", "/id"),
        ["gig-cas", "gzmu-1st-hospital", "hku"]
    );
}

#[tokio::test]
async fn institution_filters() {
    let schema = schema().await;
    let q = |filter: &str| {
        format!(
            "{{ institutions(first: 100, where: {{{filter}}}) {{ totalCount nodes {{ id }} }} }}"
        )
    };
    let ids = |got: &serde_json::Value| strings(&got["institutions"], "/nodes", "/id");
    assert_eq!(
        ids(&data(&schema, &q("jurisdiction: [MACAO]")).await),
        ["must", "um"]
    );
    assert_eq!(
        ids(&data(&schema, &q("region: [GD_EAST]")).await),
        ["stu-med"]
    );
    assert_eq!(
        ids(&data(&schema, &q(r#"city: ["shenzhen"]"#)).await),
        ["hkust-szhk-institute", "szu"]
    );
    assert_eq!(
        ids(&data(&schema, &q("kind: [RESEARCH_INSTITUTE], region: [GD_PRD]")).await),
        [
            "gd-ieest",
            "gig-cas",
            "gzmu-1st-hospital",
            "hkust-szhk-institute"
        ]
    );
    assert_eq!(
        ids(&data(
            &schema,
            &q(r#"ids: ["hku", "um", "jnu"], jurisdiction: [HONG_KONG, MACAO]"#)
        )
        .await),
        ["hku", "um"]
    );
    assert_eq!(
        ids(&data(&schema, &q(r#"nameContains: "polytechnic""#)).await),
        ["polyu"]
    );
    assert_eq!(
        ids(&data(&schema, &q(r#"nameContains: "港中大""#)).await),
        ["cuhk"]
    );
    assert!(ids(&data(&schema, &q("ids: []")).await).is_empty());
    // Not cross-border: no partner in a cross-border lab and no cross-border collaboration.
    // cuhk and sysu are cross-border through their (synthetic) collaboration alone.
    assert_eq!(
        ids(&data(&schema, &q("crossBorder: false")).await),
        ["gzmu-1st-hospital", "hkust-szhk-institute", "scut"]
    );
    let cross = data(&schema, &q("crossBorder: true")).await;
    assert_eq!(cross["institutions"]["totalCount"], 12);
    assert!(ids(&cross).contains(&"cuhk".to_owned()));
    // Institutions do not WORK_ON fields in the fixture.
    assert!(ids(&data(&schema, &q(r#"field: ["environment"]"#)).await).is_empty());
}

#[tokio::test]
async fn lab_filters() {
    let schema = schema().await;
    let q = |filter: &str| {
        format!("{{ labs(first: 100, where: {{{filter}}}) {{ totalCount nodes {{ id }} }} }}")
    };
    let ids = |got: &serde_json::Value| strings(&got["labs"], "/nodes", "/id");
    assert_eq!(
        ids(&data(&schema, &q("crossBorder: false")).await),
        [
            "gdhkmo-optoelectronic-magnetic-functional-materials",
            "gdhkmo-respiratory-infectious-diseases"
        ]
    );
    assert_eq!(
        data(&schema, &q("crossBorder: true")).await["labs"]["totalCount"],
        5
    );
    assert_eq!(
        ids(&data(&schema, &q("tieClass: [TRI_PARTY]")).await),
        [
            "gdhkmo-environmental-quality-innovation",
            "gdhkmo-smart-cities"
        ]
    );
    // Batch year or founding year within the range.
    assert_eq!(
        ids(&data(&schema, &q("yearFrom: 2020")).await),
        ["gdhkmo-smart-cities"]
    );
    assert_eq!(
        ids(&data(&schema, &q("yearFrom: 2019, yearTo: 2019")).await),
        [
            "cas-polyu-env-pollution-joint-lab",
            "gdhk-emerging-infectious-diseases",
            "gdhkmo-environmental-quality-innovation",
            "gdhkmo-optoelectronic-magnetic-functional-materials",
            "gdhkmo-respiratory-infectious-diseases"
        ]
    );
    assert_eq!(
        error_code(&schema, &q("yearFrom: 2021, yearTo: 2019")).await,
        "VALIDATION_FAILED"
    );
    assert_eq!(
        ids(&data(&schema, &q("verified: false")).await),
        ["gdhkmo-optoelectronic-magnetic-functional-materials"]
    );
    // A field's sub-fields count: biomedicine is below future-life-health.
    assert_eq!(
        ids(&data(&schema, &q(r#"field: ["future-life-health"]"#)).await),
        [
            "gdhk-emerging-infectious-diseases",
            "gdhkmo-respiratory-infectious-diseases"
        ]
    );
    assert_eq!(
        ids(&data(&schema, &q(r#"nameContains: "环境""#)).await),
        [
            "cas-polyu-env-pollution-joint-lab",
            "gdhkmo-environmental-pollution-process-control",
            "gdhkmo-environmental-quality-innovation"
        ]
    );
    assert_eq!(
        ids(&data(&schema, &q("jurisdiction: [HONG_KONG]")).await),
        ["cas-polyu-env-pollution-joint-lab"]
    );
    assert_eq!(
        ids(&data(
            &schema,
            &q(r#"city: ["guangzhou"], kind: [JOINT_LAB], field: ["environment"]"#)
        )
        .await),
        [
            "gdhkmo-environmental-pollution-process-control",
            "gdhkmo-environmental-quality-innovation"
        ]
    );
    // Paging through a filtered connection by id misses nothing.
    let paged = page_forward(&schema, "labs", ", where: {crossBorder: true}", 2).await;
    assert_eq!(paged.len(), 5);
    assert_distinct(&paged);
}

#[tokio::test]
async fn people_city_field_and_platform_filters() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ people(where: {city: ["guangzhou"], nameContains: "鍾"}) { nodes { id } }
             outside: cities(where: {inGba: false}, orderBy: {field: NAME}) { nodes { id } }
             mainland: cities(where: {jurisdiction: [MAINLAND], region: [GD_PRD]}) { totalCount }
             sub: fields(where: {field: ["future-life-health"]}) { nodes { id } }
             groups: fields(where: {group: [FUTURE_INDUSTRY]}) { nodes { id } }
             zones: platforms(where: {kind: [COOPERATION_ZONE], city: ["hong-kong"]}) { nodes { id } }
             none: platforms(where: {yearFrom: 2000}) { totalCount } }"#,
    )
    .await;
    assert_eq!(strings(&got["people"], "/nodes", "/id"), ["zhong-nanshan"]);
    assert_eq!(
        strings(&got["outside"], "/nodes", "/id"),
        ["shantou", "yunfu"]
    );
    assert_eq!(got["mainland"]["totalCount"], 2);
    assert_eq!(
        strings(&got["sub"], "/nodes", "/id"),
        ["biomedicine", "future-life-health"]
    );
    assert_eq!(
        strings(&got["groups"], "/nodes", "/id"),
        ["future-life-health"]
    );
    assert_eq!(strings(&got["zones"], "/nodes", "/id"), ["hetao"]);
    // Hetao has no recorded year, so a year bound excludes it.
    assert_eq!(got["none"]["totalCount"], 0);
}

/// totalCount of a location-only filter is counted from the per-version location facts, of
/// other filters node by node, of a backward page from the sorted matches: all three must
/// agree with the nodes the page returns.
#[tokio::test]
async fn location_counts_agree_with_the_matching_nodes() {
    let schema = schema().await;
    let cases = [
        ("institutions", "crossBorder: true"),
        ("institutions", "crossBorder: false, region: [GD_PRD]"),
        ("institutions", r#"city: ["guangzhou", "macao"]"#),
        (
            "institutions",
            "jurisdiction: [HONG_KONG], kind: [UNIVERSITY]",
        ),
        ("labs", "tieClass: [MAINLAND_HK, TRI_PARTY]"),
        ("labs", "crossBorder: false"),
        ("labs", "region: [GD_PRD], yearFrom: 2019"),
        ("people", "jurisdiction: [MAINLAND]"),
        ("cities", "region: [HK, MACAO]"),
    ];
    for (field, filter) in cases {
        let got = data(
            &schema,
            &format!(
                "{{ forward: {field}(first: 100, where: {{{filter}}}) {{ totalCount nodes {{ id }} }}
                   backward: {field}(last: 100, where: {{{filter}}}) {{ totalCount nodes {{ id }} }} }}"
            ),
        )
        .await;
        let forward = strings(&got["forward"], "/nodes", "/id");
        let backward = strings(&got["backward"], "/nodes", "/id");
        assert!(!forward.is_empty(), "{field} where {filter}: no match");
        assert_eq!(forward, backward, "{field} where {filter}");
        assert_eq!(
            got["forward"]["totalCount"],
            json!(forward.len()),
            "{field} where {filter}"
        );
        assert_eq!(
            got["backward"]["totalCount"],
            json!(forward.len()),
            "{field} where {filter}"
        );
    }
}

#[tokio::test]
async fn bad_cursors_are_refused() {
    let schema = schema().await;
    assert_eq!(
        error_code(
            &schema,
            r#"{ labs(after: "not a cursor!") { totalCount } }"#
        )
        .await,
        "BAD_CURSOR"
    );
    assert_eq!(
        error_code(&schema, r#"{ labs(before: "Zm9v") { totalCount } }"#).await,
        "BAD_CURSOR"
    );
    // A cursor handed out for one order does not fit another.
    let got = data(
        &schema,
        "{ labs(first: 1, orderBy: {field: NAME}) { pageInfo { endCursor } } }",
    )
    .await;
    let cursor = got["labs"]["pageInfo"]["endCursor"]
        .as_str()
        .expect("a cursor");
    let query = format!(r#"{{ labs(first: 1, after: "{cursor}") {{ totalCount }} }}"#);
    assert_eq!(error_code(&schema, &query).await, "BAD_CURSOR");
    let query = format!(
        r#"{{ labs(first: 1, after: "{cursor}", orderBy: {{field: NAME}}) {{ totalCount }} }}"#
    );
    assert_eq!(data(&schema, &query).await["labs"]["totalCount"], 7);
}

#[tokio::test]
async fn page_sizes_are_checked_never_clamped() {
    let schema = schema().await;
    for query in [
        "{ institutions(first: 101) { totalCount } }",
        "{ labs(last: 500) { totalCount } }",
        r#"{ search(text: "hku", first: 101) { score } }"#,
        r#"{ node(id: "hku") { ... on Institution { edges(first: 101) { totalCount } } } }"#,
        r#"{ node(id: "guangzhou") { ... on City { labs(first: 101) { id } } } }"#,
    ] {
        assert_eq!(
            error_code(&schema, query).await,
            "PAGE_SIZE_EXCEEDED",
            "{query}"
        );
    }
    assert_eq!(
        error_code(&schema, "{ institutions(first: -1) { totalCount } }").await,
        "VALIDATION_FAILED"
    );
    // 100 is allowed, and the default page is 20.
    let got = data(
        &schema,
        "{ a: institutions(first: 100) { totalCount } b: institutions { edges { cursor } } }",
    )
    .await;
    assert_eq!(got["a"]["totalCount"], 15);
    assert_eq!(got["b"]["edges"].as_array().map(Vec::len), Some(15));
    let got = data(
        &schema,
        "{ institutions(first: 0) { edges { cursor } pageInfo { hasNextPage } } }",
    )
    .await;
    assert_eq!(
        got["institutions"],
        json!({ "edges": [], "pageInfo": { "hasNextPage": true } })
    );
}

#[tokio::test]
async fn a_request_reads_one_snapshot_and_later_requests_see_changes() {
    let service = super::fixture::service().await;
    let schema = labgraph_api::schema::build_schema(
        std::sync::Arc::clone(&service),
        &labgraph_api::schema::SchemaConfig::default(),
    );
    // The filtered list of version 1 is memoised for the pages after this one; version 2
    // must not be answered from it.
    let before = data(
        &schema,
        r#"{ stats { graphVersion } search(text: "Lingnan") { node { id } }
             institutions(where: {city: ["hong-kong"]}) { totalCount } }"#,
    )
    .await;
    assert_eq!(before["stats"]["graphVersion"], 1);
    assert_eq!(before["search"], json!([]));
    assert_eq!(before["institutions"]["totalCount"], 4);
    let mut change = labgraph_domain::ChangeSet::new();
    change.upsert_node(labgraph_domain::Node {
        id: labgraph_domain::Id::new("lingnan").expect("valid id"),
        names: labgraph_domain::Names {
            zh_hans: Some("岭南大学".into()),
            zh_hant: Some("嶺南大學".into()),
            en: Some("Lingnan University".into()),
            ..Default::default()
        },
        attrs: labgraph_domain::NodeAttrs::Institution(labgraph_domain::InstitutionAttrs {
            kind: labgraph_domain::InstitutionKind::University,
            city: Some(labgraph_domain::Id::new("hong-kong").expect("valid id")),
            website: None,
        }),
        provenance: Default::default(),
    });
    service.apply(change).await.expect("a valid change");
    // The search index and the list were built for version 1; version 2 gets its own.
    let after = data(
        &schema,
        r#"{ stats { graphVersion } search(text: "Lingnan") { node { id } }
             institutions(where: {city: ["hong-kong"]}) { totalCount } }"#,
    )
    .await;
    assert_eq!(after["stats"]["graphVersion"], 2);
    assert_eq!(after["search"], json!([{ "node": { "id": "lingnan" } }]));
    assert_eq!(after["institutions"]["totalCount"], 5);
}
