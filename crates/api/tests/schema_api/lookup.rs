//! Relay `node` and `nodes`, common node fields and kind-specific fields.

use serde_json::json;

use super::fixture::{data, error_code, schema, strings};

#[tokio::test]
async fn node_finds_an_institution_by_its_domain_id() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ node(id: "cuhk") {
            __typename id
            ... on Institution {
                kind name zhHant: name(lang: ZH_HANT) pt: name(lang: PT)
                shortName institutionKind regions jurisdictions
                names { zhHans zhHant en short aliases }
                provenance { source verified synthetic }
                city { id region jurisdiction inGba adcode }
            }
        } }"#,
    )
    .await;
    assert_eq!(
        got,
        json!({ "node": {
            "__typename": "Institution", "id": "cuhk", "kind": "INSTITUTION",
            "name": "The Chinese University of Hong Kong",
            "zhHant": "香港中文大學",
            // No Portuguese name: falls back to English.
            "pt": "The Chinese University of Hong Kong",
            "shortName": "CUHK", "institutionKind": "UNIVERSITY",
            "regions": ["HK"], "jurisdictions": ["HONG_KONG"],
            "names": { "zhHans": "香港中文大学", "zhHant": "香港中文大學",
                       "en": "The Chinese University of Hong Kong", "short": "CUHK",
                       "aliases": ["港中大", "中大"] },
            "provenance": { "source": "shared/reference-data/institutions.csv",
                            "verified": true, "synthetic": false },
            "city": { "id": "hong-kong", "region": "HK", "jurisdiction": "HONG_KONG",
                      "inGba": true, "adcode": "810000000000" }
        }})
    );
}

#[tokio::test]
async fn chinese_names_fall_back_to_the_other_script_then_english() {
    let schema = schema().await;
    // The lab has only a Simplified name; the field only Simplified and English.
    let got = data(
        &schema,
        r#"{ lab: node(id: "gdhkmo-environmental-quality-innovation") {
                 ... on Lab { hant: name(lang: ZH_HANT) en: name(lang: EN) name } }
             field: node(id: "environment") { ... on Field { hant: name(lang: ZH_HANT) name } } }"#,
    )
    .await;
    assert_eq!(got["lab"]["hant"], "粤港澳环境质量协同创新联合实验室");
    assert_eq!(got["lab"]["en"], "粤港澳环境质量协同创新联合实验室");
    assert_eq!(got["lab"]["name"], "粤港澳环境质量协同创新联合实验室");
    assert_eq!(got["field"]["hant"], "环境");
    assert_eq!(got["field"]["name"], "Environment");
}

#[tokio::test]
async fn unknown_node_is_null_without_error() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ a: node(id: "atlantis") { id } b: node(id: "NOT AN ID") { id } }"#,
    )
    .await;
    assert_eq!(got, json!({ "a": null, "b": null }));
}

#[tokio::test]
async fn nodes_keeps_the_order_given_with_nulls_for_unknown_ids() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ nodes(ids: ["gdhkmo-smart-cities", "atlantis", "hku", "macao"]) { __typename id } }"#,
    )
    .await;
    assert_eq!(
        got["nodes"],
        json!([
            { "__typename": "Lab", "id": "gdhkmo-smart-cities" },
            null,
            { "__typename": "Institution", "id": "hku" },
            { "__typename": "City", "id": "macao" }
        ])
    );
}

#[tokio::test]
async fn nodes_refuses_more_ids_than_a_page() {
    let schema = schema().await;
    let ids: Vec<String> = (0..101).map(|i| format!("\"n{i}\"")).collect();
    let query = format!("{{ nodes(ids: [{}]) {{ id }} }}", ids.join(","));
    assert_eq!(error_code(&schema, &query).await, "PAGE_SIZE_EXCEEDED");
}

#[tokio::test]
async fn lab_fields_and_partners_with_roles() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ node(id: "gdhkmo-environmental-quality-innovation") { ... on Lab {
            labKind batchYear tieClass crossBorder regions
            cities { id }
            fields { id parent { id } }
            partners { institution { id } role since provenance { verified } }
            hosts: partners(role: HOST) { institution { id } }
            members { person { id name(lang: ZH_HANS) } role }
        } } }"#,
    )
    .await;
    let lab = &got["node"];
    assert_eq!(lab["labKind"], "JOINT_LAB");
    assert_eq!(lab["batchYear"], 2019);
    assert_eq!(lab["tieClass"], "TRI_PARTY");
    assert_eq!(lab["crossBorder"], true);
    assert_eq!(lab["regions"], json!(["GD_PRD"]));
    assert_eq!(lab["cities"], json!([{ "id": "guangzhou" }]));
    assert_eq!(
        lab["fields"],
        json!([{ "id": "environment", "parent": null }])
    );
    assert_eq!(
        strings(lab, "/partners", "/institution/id"),
        ["hkust", "jnu", "must"]
    );
    assert_eq!(
        strings(lab, "/partners", "/role"),
        ["PARTNER", "HOST", "PARTNER"]
    );
    assert_eq!(lab["partners"][0]["since"], 2019);
    assert_eq!(strings(lab, "/hosts", "/institution/id"), ["jnu"]);
    assert_eq!(
        lab["members"],
        json!([{ "person": { "id": "shao-min", "name": "邵敏" }, "role": "DIRECTOR" }])
    );
}

#[tokio::test]
async fn institution_person_city_field_and_platform_fields() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{
          hku: node(id: "hku") { ... on Institution {
              labs { id } partnerLabs: labs(role: PARTNER) { id } hostLabs: labs(role: HOST) { id } } }
          zhong: node(id: "zhong-nanshan") { ... on Person {
              regions affiliations { institution { id } primary } labs { id } } }
          gz: node(id: "guangzhou") { ... on City {
              institutions(first: 3) { id } labs { id } region jurisdiction } }
          life: node(id: "future-life-health") { ... on Field {
              group children { id } labs { id } } }
          hetao: node(id: "hetao") { ... on Platform {
              platformKind cities { id } members { __typename id } regions } }
        }"#,
    )
    .await;
    assert_eq!(
        strings(&got, "/hku/labs", "/id"),
        ["gdhk-emerging-infectious-diseases", "gdhkmo-smart-cities"]
    );
    assert_eq!(strings(&got, "/hku/partnerLabs", "/id").len(), 2);
    assert!(strings(&got, "/hku/hostLabs", "/id").is_empty());
    assert_eq!(got["zhong"]["regions"], json!(["GD_PRD"]));
    assert_eq!(
        got["zhong"]["affiliations"],
        json!([{ "institution": { "id": "gzmu-1st-hospital" }, "primary": true }])
    );
    assert_eq!(
        strings(&got, "/zhong/labs", "/id"),
        ["gdhkmo-respiratory-infectious-diseases"]
    );
    // Guangzhou holds six fixture institutions; `first: 3` keeps the first three by id.
    assert_eq!(
        strings(&got, "/gz/institutions", "/id"),
        ["gd-ieest", "gig-cas", "gzmu-1st-hospital"]
    );
    assert_eq!(strings(&got, "/gz/labs", "/id").len(), 4);
    assert_eq!(got["gz"]["jurisdiction"], "MAINLAND");
    assert_eq!(got["life"]["group"], "FUTURE_INDUSTRY");
    assert_eq!(strings(&got, "/life/children", "/id"), ["biomedicine"]);
    // Labs working on a sub-field count for the parent field.
    assert_eq!(
        strings(&got, "/life/labs", "/id"),
        [
            "gdhk-emerging-infectious-diseases",
            "gdhkmo-respiratory-infectious-diseases"
        ]
    );
    assert_eq!(got["hetao"]["platformKind"], "COOPERATION_ZONE");
    assert_eq!(
        strings(&got, "/hetao/cities", "/id"),
        ["shenzhen", "hong-kong"]
    );
    assert_eq!(
        got["hetao"]["members"],
        json!([{ "__typename": "Institution", "id": "hkust-szhk-institute" }])
    );
    assert_eq!(got["hetao"]["regions"], json!(["HK", "GD_PRD"]));
}

#[tokio::test]
async fn stats_count_every_kind_of_the_snapshot() {
    let schema = schema().await;
    let got = data(
        &schema,
        "{ stats { graphVersion nodes { kind count } edges { kind count } } }",
    )
    .await;
    assert_eq!(got["stats"]["graphVersion"], 1);
    let nodes = &got["stats"]["nodes"];
    assert_eq!(
        nodes[0],
        json!({ "kind": "INSTITUTION", "count": super::fixture::INSTITUTION_COUNT })
    );
    assert_eq!(
        nodes[1],
        json!({ "kind": "LAB", "count": super::fixture::LAB_COUNT })
    );
    let partner_in = &got["stats"]["edges"][0];
    // 3 + 3 + 2 + 3 + 1 + 1 + 2 PARTNER_IN edges.
    assert_eq!(partner_in, &json!({ "kind": "PARTNER_IN", "count": 15 }));
}

#[tokio::test]
async fn filter_referring_to_an_unknown_or_wrong_node_is_refused() {
    let schema = schema().await;
    assert_eq!(
        error_code(
            &schema,
            r#"{ labs(where: {city: ["atlantis"]}) { totalCount } }"#
        )
        .await,
        "NOT_FOUND"
    );
    assert_eq!(
        error_code(
            &schema,
            r#"{ labs(where: {city: ["hku"]}) { totalCount } }"#
        )
        .await,
        "VALIDATION_FAILED"
    );
    assert_eq!(
        error_code(
            &schema,
            r#"{ institutions(where: {field: ["guangzhou"]}) { totalCount } }"#
        )
        .await,
        "VALIDATION_FAILED"
    );
}
