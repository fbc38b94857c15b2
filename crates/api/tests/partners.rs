//! The partner finder and introduction paths through GraphQL (`partnerSuggestions`, `paths`)
//! on a real `GraphService` over a `MemoryStore` holding the real graph-seed/: the answers a
//! liaison officer reads (checked by hand against graph-seed/), the freshness of the cached
//! computation, and the error codes of bad arguments.

use serde_json::json;

mod seed_support;

use seed_support::{data, error, schema};

#[tokio::test]
async fn jinan_university_finds_polyu_in_its_field_one_introduction_away() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ partnerSuggestions(for: "jnu", targetJurisdiction: HONG_KONG, fields: ["environment"], first: 2) {
            for { id }
            existingPartners { id }
            fields { id }
            candidates
            suggestions {
              rank node { id name } distance
              sharedPartners { id } sharedFields { id }
              signals { commonNeighbours fieldOverlap }
              paths { length nodes { id } hops { tieClass since via { kind node { id } } } }
            }
            freshness { graphVersion parameters exact }
        } }"#,
    )
    .await;
    let answer = &got["partnerSuggestions"];
    assert_eq!(answer["for"], json!({"id": "jnu"}));
    assert_eq!(
        answer["existingPartners"],
        json!([{"id": "hkust"}, {"id": "must"}])
    );
    assert_eq!(answer["fields"], json!([{"id": "environment"}]));
    // HK institutions working on the environment, HKUST (a partner already) left out: PolyU.
    assert_eq!(answer["candidates"], 1);
    let polyu = &answer["suggestions"][0];
    assert_eq!(
        polyu["node"],
        json!({"id": "polyu", "name": "The Hong Kong Polytechnic University"})
    );
    assert_eq!(polyu["distance"], 2);
    assert_eq!(polyu["sharedPartners"], json!([{"id": "hkust"}]));
    assert_eq!(polyu["sharedFields"], json!([{"id": "environment"}]));
    assert_eq!(
        polyu["signals"],
        json!({"commonNeighbours": 1, "fieldOverlap": 1.0 / 3.0})
    );
    assert_eq!(
        polyu["paths"][0],
        json!({
            "length": 2.0,
            "nodes": [{"id": "jnu"}, {"id": "hkust"}, {"id": "polyu"}],
            "hops": [
                {"tieClass": "MAINLAND_HK", "since": 2019,
                 "via": [{"kind": "SHARED_LAB", "node": {"id": "gdhkmo-environmental-quality-innovation"}}]},
                {"tieClass": "DOMESTIC", "since": null,
                 "via": [{"kind": "SHARED_LAB", "node": {"id": "hk-skl-coastal-city-climate-resilience"}}]},
            ],
        })
    );
    let freshness = &answer["freshness"];
    assert_eq!(freshness["exact"], true);
    assert_eq!(
        freshness["parameters"],
        r#"{"fields":["environment"],"first":2,"for":"jnu","kinds":null,"targetJurisdiction":"HONG_KONG"}"#
    );
}

#[tokio::test]
async fn paths_from_gzucm_to_hku_cross_the_border_through_macao() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ paths(from: "gzucm", to: "hku", k: 2, crossBorderOnly: true) {
            paths { length nodes { id } hops { strength tieClass via { node { id } since } } }
        } }"#,
    )
    .await;
    // GZUCM–UM (Chinese medicine and autoimmune disease joint lab, no year in the source),
    // UM–HKU (smart cities 2020 and digestive cancer 2021: strength 2, length 0.5).
    assert_eq!(
        got["paths"]["paths"][0],
        json!({
            "length": 1.5,
            "nodes": [{"id": "gzucm"}, {"id": "um"}, {"id": "hku"}],
            "hops": [
                {"strength": 1.0, "tieClass": "MAINLAND_MACAO",
                 "via": [{"node": {"id": "gdhkmo-chinese-medicine-immune-diseases"}, "since": null}]},
                {"strength": 2.0, "tieClass": "HK_MACAO",
                 "via": [{"node": {"id": "gdhkmo-smart-cities"}, "since": 2020},
                         {"node": {"id": "gdhkmo-univ-joint-lab-digestive-cancer"}, "since": 2021}]},
            ],
        })
    );
    // The second way, through SYSU's Seventh Hospital in Shenzhen (digestive cancer lab):
    // 1 + 1 + 1, every hop across a border.
    assert_eq!(
        got["paths"]["paths"][1]["nodes"],
        json!([{"id": "gzucm"}, {"id": "um"}, {"id": "sysu-7th-hospital"}, {"id": "hku"}])
    );
}

#[tokio::test]
async fn paths_to_a_marine_lab_end_with_the_member_that_enters_it() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ paths(from: "jnu", to: "gml-gz-hk-branch", k: 5) {
            alreadyMember
            paths { length nodes { id } hops {
              kind from { id } to { id } strength length tieClass since until
              via { node { id } }
              membership { lab { id } member { id } role since until provenance { verified } }
            } }
            freshness { parameters }
        } }"#,
    )
    .await;
    let answer = &got["paths"];
    assert_eq!(answer["alreadyMember"], false);
    // graph-seed/: JNU hosts the environmental quality joint lab (2019), HKUST and MUST its
    // partners; HKUST hosts the Hong Kong branch of the Southern Marine Science and
    // Engineering Guangdong Laboratory with GML Guangzhou (2019), which has no other tie. Two
    // ways, though k is 5: through HKUST (length 1) or MUST then HKUST (2).
    let paths = answer["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 2);
    assert_eq!(
        paths[0],
        json!({
            "length": 1.0,
            "nodes": [{"id": "jnu"}, {"id": "hkust"}, {"id": "gml-gz-hk-branch"}],
            "hops": [
                {"kind": "TIE", "from": {"id": "jnu"}, "to": {"id": "hkust"}, "strength": 1.0,
                 "length": 1.0, "tieClass": "MAINLAND_HK", "since": 2019, "until": null,
                 "via": [{"node": {"id": "gdhkmo-environmental-quality-innovation"}}],
                 "membership": null},
                {"kind": "LAB", "from": {"id": "hkust"}, "to": {"id": "gml-gz-hk-branch"},
                 "strength": 0.0, "length": 0.0, "tieClass": "MAINLAND_HK", "since": 2019,
                 "until": null, "via": [],
                 "membership": {"lab": {"id": "gml-gz-hk-branch"}, "member": {"id": "hkust"},
                                "role": "HOST", "since": 2019, "until": null,
                                "provenance": {"verified": true}}},
            ],
        })
    );
    assert_eq!(
        paths[1]["nodes"],
        json!([{"id": "jnu"}, {"id": "must"}, {"id": "hkust"}, {"id": "gml-gz-hk-branch"}])
    );
    assert_eq!(paths[1]["length"], 2.0);
    assert_eq!(
        answer["freshness"]["parameters"],
        r#"{"crossBorderOnly":false,"from":"jnu","k":5,"maxHops":6,"to":"gml-gz-hk-branch"}"#
    );

    // A host asks: already in, one path of length 0. And the lab as the start.
    let got = data(
        &schema,
        r#"{ host: paths(from: "hkust", to: "gml-gz-hk-branch") {
               alreadyMember paths { length hops { kind membership { role } } } }
             back: paths(from: "gml-gz-hk-branch", to: "jnu", k: 1) {
               alreadyMember paths { length nodes { id } hops { kind } } } }"#,
    )
    .await;
    assert_eq!(
        got["host"],
        json!({"alreadyMember": true, "paths": [
            {"length": 0.0, "hops": [{"kind": "LAB", "membership": {"role": "HOST"}}]}]})
    );
    assert_eq!(
        got["back"],
        json!({"alreadyMember": false, "paths": [
            {"length": 1.0, "nodes": [{"id": "gml-gz-hk-branch"}, {"id": "hkust"}, {"id": "jnu"}],
             "hops": [{"kind": "LAB"}, {"kind": "TIE"}]}]})
    );
}

#[tokio::test]
async fn bad_arguments_get_stable_codes_naming_the_argument() {
    let schema = schema().await;
    for (query, code, message) in [
        (
            r#"{ partnerSuggestions(for: "atlantis") { candidates } }"#,
            "NOT_FOUND",
            "for: no node with id \"atlantis\"",
        ),
        (
            r#"{ partnerSuggestions(for: "jnu", fields: []) { candidates } }"#,
            "VALIDATION_FAILED",
            "fields: the list is empty",
        ),
        (
            r#"{ partnerSuggestions(for: "jnu", fields: ["alchemy"]) { candidates } }"#,
            "NOT_FOUND",
            "fields: no node with id \"alchemy\"",
        ),
        (
            r#"{ partnerSuggestions(for: "jnu", fields: ["hku"]) { candidates } }"#,
            "VALIDATION_FAILED",
            "fields: hku is of kind institution, not a field",
        ),
        (
            r#"{ partnerSuggestions(for: "jnu", kinds: []) { candidates } }"#,
            "VALIDATION_FAILED",
            "kinds: the list is empty",
        ),
        (
            r#"{ partnerSuggestions(for: "gdhkmo-smart-cities") { candidates } }"#,
            "VALIDATION_FAILED",
            "for: gdhkmo-smart-cities is of kind lab",
        ),
        (
            r#"{ partnerSuggestions(for: "jnu", first: 51) { candidates } }"#,
            "PAGE_SIZE_EXCEEDED",
            "first: 51 is more than the maximum page size of 50",
        ),
        (
            r#"{ partnerSuggestions(for: "jnu", first: -1) { candidates } }"#,
            "VALIDATION_FAILED",
            "first: -1 is negative",
        ),
        (
            r#"{ paths(from: "jnu", to: "atlantis") { paths { length } } }"#,
            "NOT_FOUND",
            "to: no node with id \"atlantis\"",
        ),
        (
            r#"{ paths(from: "jnu", to: "hku", k: 21) { paths { length } } }"#,
            "PAGE_SIZE_EXCEEDED",
            "k: 21 is more than the maximum page size of 20",
        ),
        (
            r#"{ paths(from: "jnu", to: "hku", k: 0) { paths { length } } }"#,
            "VALIDATION_FAILED",
            "k: 0 is out of range 1..=20",
        ),
        (
            r#"{ paths(from: "jnu", to: "hku", maxHops: 9) { paths { length } } }"#,
            "VALIDATION_FAILED",
            "maxHops: 9 is out of range 1..=8",
        ),
        (
            r#"{ paths(from: "jnu", to: "jnu") { paths { length } } }"#,
            "VALIDATION_FAILED",
            "from and to are both jnu",
        ),
        (
            r#"{ paths(from: "jnu", to: "guangzhou") { paths { length } } }"#,
            "VALIDATION_FAILED",
            "to: guangzhou is a city; introduction paths join institutions, people or labs",
        ),
        (
            r#"{ paths(from: "marine", to: "gml-gz-hk-branch") { paths { length } } }"#,
            "VALIDATION_FAILED",
            "from: marine is a field",
        ),
        (
            r#"{ paths(from: "jnu", to: "hetao-szhk-cooperation-zone") { paths { length } } }"#,
            "VALIDATION_FAILED",
            "to: hetao-szhk-cooperation-zone is a platform",
        ),
        (
            // The seed names no host or partner for this first-batch joint lab.
            r#"{ paths(from: "jnu", to: "gdhkmo-photo-thermal-electric-energy-materials") { paths { length } } }"#,
            "VALIDATION_FAILED",
            "to: lab gdhkmo-photo-thermal-electric-energy-materials has no member institution \
             (no host or partner: PARTNER_IN), so no introduction path can reach it",
        ),
        (
            r#"{ paths(from: "gml-gz-hk-branch", to: "gml-gz-hk-branch") { paths { length } } }"#,
            "VALIDATION_FAILED",
            "from and to are both gml-gz-hk-branch",
        ),
        (
            r#"{ paths(from: "jnu", to: "cityu-marine-pollution") { paths { length } } }"#,
            "NOT_FOUND",
            "to: no node with id \"cityu-marine-pollution\"",
        ),
    ] {
        let (got_code, got_message) = error(&schema, query).await;
        assert_eq!(got_code, code, "{query}: {got_message}");
        assert!(got_message.contains(message), "{query}: {got_message}");
    }
}

#[tokio::test]
async fn an_unconnected_pair_has_no_path_and_scut_gets_field_matches_only() {
    let schema = schema().await;
    // SCUT hosts a joint lab with no partner: no tie at all.
    let got = data(
        &schema,
        r#"{ paths(from: "scut", to: "hku") { paths { length } } }"#,
    )
    .await;
    assert_eq!(got["paths"]["paths"], json!([]));
    let got = data(
        &schema,
        r#"{ partnerSuggestions(for: "scut") { suggestions { node { id } distance sharedFields { id } paths { length } } } }"#,
    )
    .await;
    // Only the institutions working on materials as SCUT does: the Songshan Lake materials
    // lab (materials only: overlap 1) and CityU (materials and physics: 1/2).
    assert_eq!(
        got["partnerSuggestions"]["suggestions"],
        json!([
            {"node": {"id": "sslab"}, "distance": null, "sharedFields": [{"id": "materials"}], "paths": []},
            {"node": {"id": "cityu"}, "distance": null, "sharedFields": [{"id": "materials"}], "paths": []},
        ])
    );
}

#[tokio::test]
async fn sole_bridges_of_jinan_university_leave_out_the_shared_environment_field() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ soleBridges(for: "jnu") { bridges { partner { id } tie { tieClass } fields { id } ownFields { id } } } }"#,
    )
    .await;
    assert_eq!(
        got["soleBridges"]["bridges"],
        json!([
            {"partner": {"id": "hkust"}, "tie": {"tieClass": "MAINLAND_HK"},
             "fields": [{"id": "carbon-neutrality"}, {"id": "marine"}, {"id": "multi"}], "ownFields": []},
            {"partner": {"id": "must"}, "tie": {"tieClass": "MAINLAND_MACAO"},
             "fields": [{"id": "mathematics"}, {"id": "space"}, {"id": "tcm"}], "ownFields": []},
        ])
    );
    let (code, message) = error(
        &schema,
        r#"{ soleBridges(for: "nowhere") { bridges { fields { id } } } }"#,
    )
    .await;
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NOT_FOUND", "for: no node with id \"nowhere\"")
    );
}
