//! The policy staff's answers through GraphQL (`gaps`, `bridgesAtRisk`, `whatIf`,
//! `evolution`, `tieChanges`) on a real `GraphService` over a `MemoryStore`: a small graph
//! drawn below with every figure worked out by hand, the error codes of bad arguments, and
//! `whatIf` leaving the stored graph untouched.
//!
//! ```text
//!  st1 ── gz1 ── hk1            gz2 ── sz1 ── hk2 ── mo1          zj1 (works on bio, no tie)
//!   l4 ai-vision  l1 ai (2019)    l2 bio   l3 bio   l5 bio (2021)
//! ```

use std::sync::Arc;

use async_graphql::Value;
use labgraph_api::schema::{LabgraphSchema, SchemaConfig, build_schema};
use labgraph_domain::{
    ChangeSet, CityAttrs, Edge, EdgeKind, EdgeRole, FieldAttrs, FieldGroup, Id, InstitutionAttrs,
    InstitutionKind, LabAttrs, LabKind, Names, Node, NodeAttrs, Provenance, Region,
};
use labgraph_store::{GraphService, MemoryStore};
use serde_json::json;

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

fn changes() -> ChangeSet {
    let mut c = ChangeSet::new();
    for (city, region) in [
        ("guangzhou", Region::GdPrd),
        ("shenzhen", Region::GdPrd),
        ("shantou", Region::GdEast),
        ("zhanjiang", Region::GdWest),
        ("meizhou", Region::GdNorth),
        ("hong-kong", Region::Hk),
        ("macao", Region::Macao),
    ] {
        c.upsert_node(node(
            city,
            NodeAttrs::City(CityAttrs {
                region,
                in_gba: true,
                lat: None,
                lon: None,
                adcode: None,
            }),
        ));
    }
    for (field, parent) in [
        ("ai", None),
        ("ai-vision", Some("ai")),
        ("bio", None),
        ("quantum", None),
    ] {
        c.upsert_node(node(
            field,
            NodeAttrs::Field(FieldAttrs {
                group: FieldGroup::Discipline,
                parent: parent.map(id),
            }),
        ));
    }
    for (inst, city) in [
        ("gz1", "guangzhou"),
        ("gz2", "guangzhou"),
        ("sz1", "shenzhen"),
        ("st1", "shantou"),
        ("zj1", "zhanjiang"),
        ("hk1", "hong-kong"),
        ("hk2", "hong-kong"),
        ("mo1", "macao"),
    ] {
        c.upsert_node(node(
            inst,
            NodeAttrs::Institution(InstitutionAttrs {
                kind: InstitutionKind::University,
                city: Some(id(city)),
                website: None,
            }),
        ));
    }
    for (lab, batch, partners, field) in [
        ("l1", Some(2019), ["gz1", "hk1"], "ai"),
        ("l2", None, ["gz2", "sz1"], "bio"),
        ("l3", None, ["sz1", "hk2"], "bio"),
        ("l4", None, ["st1", "gz1"], "ai-vision"),
        ("l5", Some(2021), ["mo1", "hk2"], "bio"),
    ] {
        c.upsert_node(node(
            lab,
            NodeAttrs::Lab(LabAttrs {
                kind: LabKind::JointLab,
                category: None,
                batch_year: batch,
                founded: None,
                status: None,
                cities: Vec::new(),
            }),
        ));
        for (i, p) in partners.iter().enumerate() {
            c.upsert_edge(Edge {
                role: Some(if i == 0 {
                    EdgeRole::Host
                } else {
                    EdgeRole::Partner
                }),
                since: batch,
                ..Edge::new(EdgeKind::PartnerIn, id(p), id(lab))
            });
        }
        c.upsert_edge(Edge::new(EdgeKind::WorksOn, id(lab), id(field)));
    }
    c.upsert_edge(Edge::new(EdgeKind::WorksOn, id("zj1"), id("bio")));
    c
}

async fn schema() -> (LabgraphSchema, Arc<GraphService>) {
    let service = GraphService::open(Arc::new(MemoryStore::new()))
        .await
        .expect("a memory store opens");
    service.apply(changes()).await.expect("a valid graph");
    let service = Arc::new(service);
    (
        build_schema(Arc::clone(&service), &SchemaConfig::default()),
        service,
    )
}

async fn data(schema: &LabgraphSchema, query: &str) -> serde_json::Value {
    let response = schema.execute(query).await;
    assert!(response.errors.is_empty(), "{:?}\n{query}", response.errors);
    response.data.into_json().expect("JSON data")
}

/// The one error of `query`: its code and message.
async fn error(schema: &LabgraphSchema, query: &str) -> (String, String) {
    let response = schema.execute(query).await;
    assert_eq!(response.errors.len(), 1, "{:?}\n{query}", response.errors);
    let e = &response.errors[0];
    match e.extensions.as_ref().and_then(|ext| ext.get("code")) {
        Some(Value::String(code)) => (code.clone(), e.message.clone()),
        other => panic!("error without a code ({other:?}): {e:?}"),
    }
}

#[tokio::test]
async fn gaps_answers_the_matrix_the_reach_and_the_fields() {
    let (schema, _) = schema().await;
    let got = data(
        &schema,
        r#"{ gaps(level: REGION, fields: ["bio"], k: 1) {
               matrix { area areaName field institutions observed expected ratio gap }
               k
               institutions(unreachedOnly: true) { id toHk toMacao withinK }
               cities(unreachedOnly: true) { id institutions }
               regions { region institutions withinKOfHk withinKOfMacao unreached }
               fieldsWithoutCrossBorderLab { field name labs }
               communities { index members jurisdictions }
               communityPairsWithoutTie { a b }
               freshness { graphVersion parameters exact }
           } }"#,
    )
    .await;
    // bio: ties gz2–sz1, sz1–hk2, mo1–hk2; degrees gz2 1, sz1 2, hk2 2, mo1 1, zj1 0; 2m = 6.
    // hk: 2·(6−2)/6; macao: 1·(6−1)/6; gd_prd: gz2 1·3/6 + sz1 2·3/6; gd_west: zj1, degree 0.
    assert_eq!(
        got["gaps"]["matrix"],
        json!([
            { "area": "HK", "areaName": "Hong Kong", "field": "bio", "institutions": 1,
              "observed": 2, "expected": 8.0 / 6.0, "ratio": 1.5, "gap": false },
            { "area": "MACAO", "areaName": "Macao", "field": "bio", "institutions": 1,
              "observed": 1, "expected": 5.0 / 6.0, "ratio": 1.2, "gap": false },
            { "area": "GD_PRD", "areaName": "Pearl River Delta (Guangdong)", "field": "bio", "institutions": 2,
              "observed": 1, "expected": 1.5, "ratio": 1.0 / 1.5, "gap": false },
            { "area": "GD_WEST", "areaName": "West Guangdong", "field": "bio", "institutions": 1,
              "observed": 0, "expected": 0.0, "ratio": null, "gap": true },
        ])
    );
    assert_eq!(got["gaps"]["k"], 1);
    assert_eq!(
        got["gaps"]["institutions"],
        json!([
            { "id": "gz2", "toHk": 2, "toMacao": 3, "withinK": false },
            { "id": "st1", "toHk": 2, "toMacao": null, "withinK": false },
            { "id": "zj1", "toHk": null, "toMacao": null, "withinK": false },
        ])
    );
    assert_eq!(
        got["gaps"]["cities"],
        json!([
            { "id": "meizhou", "institutions": 0 },
            { "id": "shantou", "institutions": 1 },
            { "id": "zhanjiang", "institutions": 1 },
        ])
    );
    assert_eq!(
        got["gaps"]["regions"],
        json!([
            { "region": "GD_PRD", "institutions": 3, "withinKOfHk": 2, "withinKOfMacao": 0, "unreached": 1 },
            { "region": "GD_EAST", "institutions": 1, "withinKOfHk": 0, "withinKOfMacao": 0, "unreached": 1 },
            { "region": "GD_WEST", "institutions": 1, "withinKOfHk": 0, "withinKOfMacao": 0, "unreached": 1 },
            { "region": "GD_NORTH", "institutions": 0, "withinKOfHk": 0, "withinKOfMacao": 0, "unreached": 0 },
        ])
    );
    assert_eq!(
        got["gaps"]["fieldsWithoutCrossBorderLab"],
        json!([
            { "field": "ai-vision", "name": "AI-VISION", "labs": 1 },
            { "field": "quantum", "name": "QUANTUM", "labs": 0 },
        ])
    );
    // The two paths are the communities (worked out in crates/insights/tests/gaps.rs), and
    // no tie joins them.
    assert_eq!(
        got["gaps"]["communities"],
        json!([
            { "index": 0, "members": ["gz2", "hk2", "mo1", "sz1"],
              "jurisdictions": ["MAINLAND", "HONG_KONG", "MACAO"] },
            { "index": 1, "members": ["gz1", "hk1", "st1"], "jurisdictions": ["MAINLAND", "HONG_KONG"] },
        ])
    );
    assert_eq!(
        got["gaps"]["communityPairsWithoutTie"],
        json!([{ "a": 0, "b": 1 }])
    );
    assert_eq!(
        got["gaps"]["freshness"],
        json!({ "graphVersion": 1, "exact": true,
                "parameters": r#"{"asOf":null,"fields":["bio"],"k":1,"level":"REGION"}"# })
    );
}

#[tokio::test]
async fn as_of_goes_back_in_time() {
    let (schema, _) = schema().await;
    // In 2020 l5 (2021) does not exist yet: no Macao tie, and HK's bio cell has one tie.
    let got = data(
        &schema,
        r#"{ gaps(fields: ["bio"], asOf: 2020) { matrix(onlyGaps: false) { area observed } } }"#,
    )
    .await;
    assert_eq!(
        got["gaps"]["matrix"],
        json!([
            { "area": "guangzhou", "observed": 0 },
            { "area": "hong-kong", "observed": 1 },
            { "area": "shenzhen", "observed": 1 },
            { "area": "zhanjiang", "observed": 0 },
        ])
    );
}

#[tokio::test]
async fn bridges_at_risk_name_what_they_cut_off() {
    let (schema, _) = schema().await;
    let got = data(
        &schema,
        "{ bridgesAtRisk { points { kind ends cutOffFromHk cutOffFromMacao } } }",
    )
    .await;
    assert_eq!(
        got["bridgesAtRisk"]["points"],
        json!([
            { "kind": "TIE", "ends": ["gz1", "hk1"], "cutOffFromHk": ["gz1", "st1"], "cutOffFromMacao": [] },
            { "kind": "TIE", "ends": ["gz1", "st1"], "cutOffFromHk": ["st1"], "cutOffFromMacao": [] },
            { "kind": "TIE", "ends": ["gz2", "sz1"], "cutOffFromHk": ["gz2"], "cutOffFromMacao": ["gz2"] },
            { "kind": "TIE", "ends": ["hk2", "mo1"], "cutOffFromHk": [], "cutOffFromMacao": ["gz2", "sz1"] },
            { "kind": "TIE", "ends": ["hk2", "sz1"], "cutOffFromHk": ["gz2", "sz1"], "cutOffFromMacao": ["gz2", "sz1"] },
            { "kind": "INSTITUTION", "ends": ["gz1"], "cutOffFromHk": ["st1"], "cutOffFromMacao": [] },
            { "kind": "INSTITUTION", "ends": ["hk2"], "cutOffFromHk": ["gz2", "sz1"], "cutOffFromMacao": ["gz2", "sz1"] },
            { "kind": "INSTITUTION", "ends": ["sz1"], "cutOffFromHk": ["gz2"], "cutOffFromMacao": ["gz2"] },
        ])
    );
}

#[tokio::test]
async fn what_if_shows_the_change_and_stores_nothing() {
    let (schema, service) = schema().await;
    let version = service.snapshot().version();
    let got = data(
        &schema,
        r#"{ whatIf(add: {labs: [{partners: ["zj1", "hk1"], fields: ["bio"]}]}) {
               before { institutions ties crossBorderTies components isolated largestComponent }
               after { ties crossBorderTies components isolated }
               delta {
                 components crossBorderTies
                 joined { size parts { first size } }
                 split { size }
                 distances { id toHkBefore toHkAfter toMacaoBefore toMacaoAfter shortened }
                 betweenness { id rankBefore rankAfter }
                 gapsClosed { city field observedBefore observedAfter }
                 gapsOpened { city }
               }
               freshness { graphVersion }
           } }"#,
    )
    .await;
    let w = &got["whatIf"];
    assert_eq!(
        w["before"],
        json!({ "institutions": 8, "ties": 5, "crossBorderTies": 3, "components": 3,
                "isolated": 1, "largestComponent": 4 })
    );
    assert_eq!(
        w["after"],
        json!({ "ties": 6, "crossBorderTies": 4, "components": 2, "isolated": 0 })
    );
    assert_eq!(
        w["delta"]["joined"],
        json!([{ "size": 4, "parts": [{ "first": "gz1", "size": 3 }, { "first": "zj1", "size": 1 }] }])
    );
    assert_eq!(
        (&w["delta"]["components"], &w["delta"]["crossBorderTies"]),
        (&json!(-1), &json!(1))
    );
    assert_eq!(w["delta"]["split"], json!([]));
    assert_eq!(
        w["delta"]["distances"],
        json!([{ "id": "zj1", "toHkBefore": null, "toHkAfter": 1, "toMacaoBefore": null,
                 "toMacaoAfter": null, "shortened": true }])
    );
    // Hand-worked in crates/insights/tests/whatif.rs: gz1 and hk1 rise to the top.
    assert_eq!(
        w["delta"]["betweenness"][0],
        json!({ "id": "gz1", "rankBefore": 3, "rankAfter": 1 })
    );
    assert_eq!(
        w["delta"]["gapsClosed"],
        json!([{ "city": "zhanjiang", "field": "bio", "observedBefore": 0, "observedAfter": 1 }])
    );
    assert_eq!(w["delta"]["gapsOpened"], json!([]));
    // Nothing was stored: the same version, the same edges, no proposed lab.
    assert_eq!(w["freshness"]["graphVersion"], version);
    assert_eq!(service.snapshot().version(), version);
    assert!(service.snapshot().node("proposed-lab-1").is_none());
    let stats = data(
        &schema,
        r#"{ stats { graphVersion } node(id: "proposed-lab-1") { id } }"#,
    )
    .await;
    assert_eq!(
        stats,
        json!({ "stats": { "graphVersion": version }, "node": null })
    );
}

#[tokio::test]
async fn evolution_and_tie_changes_follow_the_years() {
    let (schema, _) = schema().await;
    let got = data(
        &schema,
        r#"{ evolution(from: 2018, to: 2021) { years { year institutions labs ties crossBorderTies } }
             tieChanges(from: 2018, to: 2021) { new { a b tieClass year } ended { a } } }"#,
    )
    .await;
    // Undated ties (l2, l3, l4) hold every year; l1 from 2019, l5 from 2021.
    assert_eq!(
        got["evolution"]["years"],
        json!([
            { "year": 2018, "institutions": 5, "labs": 3, "ties": 3, "crossBorderTies": 1 },
            { "year": 2019, "institutions": 6, "labs": 4, "ties": 4, "crossBorderTies": 2 },
            { "year": 2020, "institutions": 6, "labs": 4, "ties": 4, "crossBorderTies": 2 },
            { "year": 2021, "institutions": 7, "labs": 5, "ties": 5, "crossBorderTies": 3 },
        ])
    );
    assert_eq!(
        got["tieChanges"],
        json!({
            "new": [
                { "a": "gz1", "b": "hk1", "tieClass": "MAINLAND_HK", "year": 2019 },
                { "a": "hk2", "b": "mo1", "tieClass": "HK_MACAO", "year": 2021 },
            ],
            "ended": []
        })
    );
}

#[tokio::test]
async fn bad_arguments_get_codes_and_name_the_argument() {
    let (schema, _) = schema().await;
    for (query, code, message) in [
        (
            "{ gaps(k: 7) { k } }",
            "VALIDATION_FAILED",
            "k: 7 is out of range: paths of 1 to 6 ties",
        ),
        (
            "{ gaps(k: 0) { k } }",
            "VALIDATION_FAILED",
            "k: 0 is out of range: paths of 1 to 6 ties",
        ),
        (
            "{ gaps(fields: []) { k } }",
            "VALIDATION_FAILED",
            "fields: the list of fields is empty: leave the argument out for every field",
        ),
        (
            r#"{ gaps(fields: ["atlantis"]) { k } }"#,
            "NOT_FOUND",
            "fields[0]: no node with id \"atlantis\"",
        ),
        (
            r#"{ gaps(fields: ["Not An Id"]) { k } }"#,
            "NOT_FOUND",
            "fields[0]: no node with id \"Not An Id\"",
        ),
        (
            r#"{ gaps(fields: ["gz1"]) { k } }"#,
            "VALIDATION_FAILED",
            "fields[0]: a field is wanted, but \"gz1\" is of kind institution",
        ),
        (
            "{ gaps(asOf: 2200) { k } }",
            "VALIDATION_FAILED",
            "asOf: 2200 is outside the years 1900..=2100",
        ),
        (
            "{ bridgesAtRisk(asOf: 1800) { points { kind } } }",
            "VALIDATION_FAILED",
            "asOf: 1800 is outside the years 1900..=2100",
        ),
        (
            r#"{ whatIf(add: {labs: [{partners: ["gz1", "atlantis"]}]}) { after { ties } } }"#,
            "NOT_FOUND",
            "add.labs[0].partners[1]: no node with id \"atlantis\"",
        ),
        (
            r#"{ whatIf(add: {ties: [{a: "gz1", b: "gz1"}]}) { after { ties } } }"#,
            "VALIDATION_FAILED",
            "add.ties[0].b: a tie joins two institutions; gz1 is given at both ends",
        ),
        (
            r#"{ whatIf(add: {ties: [{a: "gz1", b: "hk2", kind: WORKS_ON}]}) { after { ties } } }"#,
            "VALIDATION_FAILED",
            "add.ties[0].kind: works_on cannot join two institutions: a proposed tie is collaborates_with (propose a lab for a shared lab)",
        ),
        (
            r#"{ whatIf(add: {ties: [{a: "gz1", b: "hk2", strength: -2}]}) { after { ties } } }"#,
            "VALIDATION_FAILED",
            "add.ties[0].strength: -2 is not a positive number",
        ),
        (
            r#"{ whatIf(remove: ["nowhere"]) { after { ties } } }"#,
            "NOT_FOUND",
            "remove[0]: no node with id \"nowhere\"",
        ),
        (
            "{ whatIf { after { ties } } }",
            "VALIDATION_FAILED",
            "add: the proposal adds and removes nothing",
        ),
        (
            "{ evolution(from: 2022, to: 2019) { years { year } } }",
            "VALIDATION_FAILED",
            "from: 2022 is after to (2019)",
        ),
        (
            "{ evolution(from: 1800, to: 2019) { years { year } } }",
            "VALIDATION_FAILED",
            "from: 1800 is outside the years 1900..=2100",
        ),
        (
            "{ tieChanges(from: 2019, to: 3000) { new { a } } }",
            "VALIDATION_FAILED",
            "to: 3000 is outside the years 1900..=2100",
        ),
        (
            "{ tieChanges(from: 1950, to: 2019) { new { a } } }",
            "VALIDATION_FAILED",
            "to: 1950..=2019 spans 70 years; at most 50 at a time",
        ),
    ] {
        assert_eq!(
            error(&schema, query).await,
            (code.to_owned(), message.to_owned()),
            "{query}"
        );
    }
    // None of the refused requests started a computation.
    assert_eq!(schema.computations(), 0);
}

#[tokio::test]
async fn a_repeated_answer_comes_from_the_cache() {
    let (schema, _) = schema().await;
    let query =
        r#"{ gaps(fields: ["bio"]) { k } evolution(from: 2019, to: 2020) { years { year } } }"#;
    data(&schema, query).await;
    data(&schema, query).await;
    assert_eq!(schema.computations(), 2);
}

/// Roll-ups count each tie once at every level of lab → institution → city → region →
/// jurisdiction: lab `tri` has three partners in the Pearl River Delta (gz1, gz2 in
/// Guangzhou, sz1 in Shenzhen), lab `dup` shares gz1–gz2 again, lab `hkl` joins sz1 and hk1.
#[tokio::test]
async fn rollups_count_each_tie_once_at_every_level() {
    let mut c = ChangeSet::new();
    for (city, region) in [
        ("guangzhou", Region::GdPrd),
        ("shenzhen", Region::GdPrd),
        ("hong-kong", Region::Hk),
    ] {
        c.upsert_node(node(
            city,
            NodeAttrs::City(CityAttrs {
                region,
                in_gba: true,
                lat: None,
                lon: None,
                adcode: None,
            }),
        ));
    }
    for (inst, city) in [
        ("gz1", "guangzhou"),
        ("gz2", "guangzhou"),
        ("sz1", "shenzhen"),
        ("hk1", "hong-kong"),
    ] {
        c.upsert_node(node(
            inst,
            NodeAttrs::Institution(InstitutionAttrs {
                kind: InstitutionKind::University,
                city: Some(id(city)),
                website: None,
            }),
        ));
    }
    for (lab, partners) in [
        ("tri", &["gz1", "gz2", "sz1"][..]),
        ("dup", &["gz2", "gz1"][..]),
        ("hkl", &["sz1", "hk1"][..]),
    ] {
        c.upsert_node(node(
            lab,
            NodeAttrs::Lab(LabAttrs {
                kind: LabKind::JointLab,
                category: None,
                batch_year: None,
                founded: None,
                status: None,
                cities: Vec::new(),
            }),
        ));
        for (i, p) in partners.iter().enumerate() {
            c.upsert_edge(Edge {
                role: Some(if i == 0 {
                    EdgeRole::Host
                } else {
                    EdgeRole::Partner
                }),
                ..Edge::new(EdgeKind::PartnerIn, id(p), id(lab))
            });
        }
    }
    let service = GraphService::open(Arc::new(MemoryStore::new()))
        .await
        .expect("a memory store opens");
    service.apply(c).await.expect("a valid graph");
    let schema = build_schema(Arc::new(service), &SchemaConfig::default());
    let level = |level: &str| {
        format!(
            "{{ rollup(level: {level}) {{ key labs institutions crossBorderLabs ties crossBorderTies }} }}"
        )
    };
    // Ties: gz1–gz2 (tri and dup: once), gz1–sz1, gz2–sz1 (tri), sz1–hk1 (hkl, cross-border).
    // Labs are located at their host: tri and dup in Guangzhou, hkl in Shenzhen.
    let row = |key: &str, labs: u32, inst: u32, cbl: u32, ties: u32, cbt: u32| {
        json!({ "key": key, "labs": labs, "institutions": inst, "crossBorderLabs": cbl,
                "ties": ties, "crossBorderTies": cbt })
    };
    assert_eq!(
        data(&schema, &level("INSTITUTION")).await["rollup"],
        json!([
            row("gz1", 2, 1, 0, 2, 0),
            row("gz2", 2, 1, 0, 2, 0),
            row("hk1", 1, 1, 1, 1, 1),
            row("sz1", 2, 1, 1, 3, 1),
        ])
    );
    // gz1–gz2 has both ends in Guangzhou: one tie for Guangzhou, not two.
    assert_eq!(
        data(&schema, &level("CITY")).await["rollup"],
        json!([
            row("guangzhou", 2, 2, 0, 3, 0),
            row("hong-kong", 0, 1, 0, 1, 1),
            row("shenzhen", 1, 1, 1, 3, 1),
        ])
    );
    // tri's three partners are all in the PRD: one lab, three institutions, three ties.
    let regions = data(&schema, &level("REGION")).await;
    let prd = regions["rollup"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["key"] == "GD_PRD"))
        .cloned();
    assert_eq!(prd, Some(row("GD_PRD", 3, 3, 1, 4, 1)));
    assert_eq!(
        data(&schema, &level("JURISDICTION")).await["rollup"],
        json!([
            row("HONG_KONG", 0, 1, 0, 1, 1),
            row("MACAO", 0, 0, 0, 0, 0),
            row("MAINLAND", 3, 3, 1, 4, 1),
        ])
    );
}
