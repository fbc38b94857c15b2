//! The city-level flow map through GraphQL (`cityFlows`) on a real `GraphService` over a
//! `MemoryStore` holding the real graph-seed/: the region table and the empty cities, a field
//! and a year (checked by hand against graph-seed/edges.jsonl and labs.jsonl), one computation
//! for a repeated request, and the error codes of bad arguments.

use serde_json::json;

mod seed_support;

use seed_support::{data, error, schema};

#[tokio::test]
async fn regions_and_the_empty_cities() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ cityFlows {
            from to ties crossBorder unplaced
            regions { from to ties crossBorder }
            cities { city { id name } region jurisdiction inGba institutions ties crossBorder }
        } }"#,
    )
    .await;
    let f = &got["cityFlows"];
    // The seed's years run from 2018 (the first joint-lab batch) to 2025 (the state key labs'
    // plaques); every institution has a city. 22 ties: graph-seed has only PARTNER_IN ties,
    // counted as pairs of partners of one lab (each pair once).
    assert_eq!(
        (
            &f["from"],
            &f["to"],
            &f["ties"],
            &f["crossBorder"],
            &f["unplaced"]
        ),
        (
            &json!(2018),
            &json!(2025),
            &json!(22),
            &json!(17),
            &json!(0)
        )
    );
    let regions = f["regions"].as_array().expect("present");
    assert_eq!(regions.len(), 21);
    let pair = |a: &str, b: &str| {
        regions
            .iter()
            .find(|r| r["from"] == a && r["to"] == b)
            .map(|r| (r["ties"].clone(), r["crossBorder"].clone()))
            .expect("every pair is listed")
    };
    // East Guangdong: one tie, HKU with Shantou University Medical College (the 2019
    // emerging infectious diseases joint lab). West (Zhanjiang Bay Laboratory, alone in its
    // lab) and North: none.
    assert_eq!(pair("HK", "GD_EAST"), (json!(1), json!(1)));
    for (a, b) in [
        ("HK", "GD_WEST"),
        ("HK", "GD_NORTH"),
        ("MACAO", "GD_EAST"),
        ("MACAO", "GD_WEST"),
        ("MACAO", "GD_NORTH"),
        ("GD_PRD", "GD_EAST"),
    ] {
        assert_eq!(pair(a, b), (json!(0), json!(0)), "{a}–{b}");
    }
    assert_eq!(pair("HK", "GD_PRD"), (json!(8), json!(8)));
    assert_eq!(pair("MACAO", "GD_PRD"), (json!(6), json!(6)));
    // All 23 cities, the eleven of the Greater Bay Area first; Zhanjiang has an institution
    // and no tie, Yunfu neither.
    let cities = f["cities"].as_array().expect("present");
    assert_eq!(cities.len(), 23);
    assert!(cities[..11].iter().all(|c| c["inGba"] == true));
    assert!(cities[11..].iter().all(|c| c["inGba"] == false));
    let city = |id: &str| {
        cities
            .iter()
            .find(|c| c["city"]["id"] == id)
            .cloned()
            .expect("listed")
    };
    assert_eq!(
        city("zhanjiang"),
        json!({ "city": { "id": "zhanjiang", "name": "Zhanjiang" }, "region": "GD_WEST",
                "jurisdiction": "MAINLAND", "inGba": false, "institutions": 1, "ties": 0,
                "crossBorder": 0 })
    );
    assert_eq!(city("yunfu")["institutions"], 0);
    assert_eq!(city("shantou")["ties"], 1);
}

#[tokio::test]
async fn a_field_as_of_a_year() {
    let schema = schema().await;
    let query = r#"{ cityFlows(field: "biomedicine", asOf: 2020) {
        from to
        flows { from { id } to { id } ties crossBorder labs { id }
                evidence { a { id } b { id } labs collaborations talentLinks }
                years { year ties } }
        freshness { parameters exact }
    } }"#;
    let before = schema.computations();
    let got = data(&schema, query).await;
    // Biomedicine (with its sub-field tcm) in 2020: HKU–Shantou University Medical College
    // (joint lab of batch 2019) and UM–Guangzhou University of Chinese Medicine (the Chinese
    // medicine joint lab, no year). The digestive cancer lab of HKU, UM and the Seventh
    // Affiliated Hospital of SYSU starts in 2021, Macao's tcm state key lab in 2025.
    assert_eq!(
        got["cityFlows"],
        json!({
            "from": 2018,
            "to": 2020,
            "flows": [
                { "from": { "id": "hong-kong" }, "to": { "id": "shantou" }, "ties": 1,
                  "crossBorder": 1, "labs": [{ "id": "gdhk-emerging-infectious-diseases" }],
                  "evidence": [{ "a": { "id": "hku" }, "b": { "id": "stu-med" },
                                 "labs": ["gdhk-emerging-infectious-diseases"],
                                 "collaborations": 0.0, "talentLinks": 0 }],
                  "years": [{ "year": 2018, "ties": 0 }, { "year": 2019, "ties": 1 },
                            { "year": 2020, "ties": 1 }] },
                { "from": { "id": "macao" }, "to": { "id": "guangzhou" }, "ties": 1,
                  "crossBorder": 1, "labs": [{ "id": "gdhkmo-chinese-medicine-immune-diseases" }],
                  "evidence": [{ "a": { "id": "um" }, "b": { "id": "gzucm" },
                                 "labs": ["gdhkmo-chinese-medicine-immune-diseases"],
                                 "collaborations": 0.0, "talentLinks": 0 }],
                  "years": [{ "year": 2018, "ties": 1 }, { "year": 2019, "ties": 1 },
                            { "year": 2020, "ties": 1 }] },
            ],
            "freshness": {
                "parameters": r#"{"asOf":2020,"field":"biomedicine","from":2018,"to":2020}"#,
                "exact": true,
            },
        })
    );
    // The same arguments with the defaults written out: the same computation, not a new one.
    let again = data(
        &schema,
        r#"{ cityFlows(field: "biomedicine", asOf: 2020, from: 2018, to: 2020) { ties } }"#,
    )
    .await;
    assert_eq!(again["cityFlows"]["ties"], 2);
    assert_eq!(schema.computations() - before, 1);
}

#[tokio::test]
async fn bad_arguments_have_codes() {
    let schema = schema().await;
    let ask = |args: &str| format!("{{ cityFlows({args}) {{ ties }} }}");
    let (code, message) = error(&schema, &ask(r#"field: "atlantis""#)).await;
    assert_eq!(code, "NOT_FOUND");
    assert!(message.contains("atlantis"), "{message}");
    for (args, argument) in [
        (r#"field: "hku""#, "field"),
        ("from: 2024, to: 2020", "from"),
        ("asOf: 1800", "asOf"),
        ("to: 2200", "to"),
        ("from: 1950, to: 2025", "to"),
    ] {
        let (code, message) = error(&schema, &ask(args)).await;
        assert_eq!(code, "VALIDATION_FAILED", "{args}: {message}");
        assert!(message.contains(argument), "{args}: {message}");
    }
}
