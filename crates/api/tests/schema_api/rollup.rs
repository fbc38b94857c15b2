//! Roll-ups and tie pairs, counting each institution–institution tie once.
//!
//! Expected numbers are worked out by hand from the fixture: 7 labs, 10 distinct ties (the
//! pair gig-cas–polyu shares two labs and counts once).

use serde_json::json;

use super::fixture::{data, schema};

#[tokio::test]
async fn jurisdiction_rollup_counts_each_tie_once() {
    let schema = schema().await;
    let got = data(
        &schema,
        "{ rollup(level: JURISDICTION) { key name labs institutions crossBorderLabs ties crossBorderTies } }",
    )
    .await;
    assert_eq!(
        got["rollup"],
        json!([
            { "key": "HONG_KONG", "name": "Hong Kong", "labs": 1, "institutions": 3,
              "crossBorderLabs": 1, "ties": 7, "crossBorderTies": 7 },
            { "key": "MACAO", "name": "Macao", "labs": 0, "institutions": 2,
              "crossBorderLabs": 0, "ties": 4, "crossBorderTies": 4 },
            { "key": "MAINLAND", "name": "Mainland", "labs": 6, "institutions": 7,
              "crossBorderLabs": 4, "ties": 8, "crossBorderTies": 7 },
        ])
    );
}

#[tokio::test]
async fn region_and_city_rollups_list_empty_groups_and_follow_the_filter() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ regions: rollup(level: REGION) { key labs ties }
             cities: rollup(level: CITY, where: {crossBorder: true}) { key name labs institutions ties } }"#,
    )
    .await;
    assert_eq!(
        got["regions"],
        json!([
            { "key": "GD_EAST", "labs": 1, "ties": 1 },
            { "key": "GD_NORTH", "labs": 0, "ties": 0 },
            { "key": "GD_PRD", "labs": 5, "ties": 7 },
            { "key": "GD_WEST", "labs": 0, "ties": 0 },
            { "key": "HK", "labs": 1, "ties": 7 },
            { "key": "MACAO", "labs": 0, "ties": 4 },
        ])
    );
    let cities = got["cities"].as_array().expect("rows");
    let row = |key: &str| {
        cities
            .iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("no row {key}"))
            .clone()
    };
    // Cross-border labs only: L1 and L4 in Guangzhou; scut and gzmu-1st-hospital drop out.
    assert_eq!(
        row("guangzhou"),
        json!({ "key": "guangzhou", "name": "Guangzhou", "labs": 2, "institutions": 3, "ties": 5 })
    );
    assert_eq!(row("yunfu")["labs"], 0);
    assert_eq!(cities.len(), 6, "every city of the graph is listed");
}

#[tokio::test]
async fn tie_pairs_by_jurisdiction() {
    let schema = schema().await;
    let got = data(
        &schema,
        "{ tiePairs(level: JURISDICTION) { a b tieClass labs ties } }",
    )
    .await;
    assert_eq!(
        got["tiePairs"],
        json!([
            { "a": "HONG_KONG", "b": "MACAO", "tieClass": "HK_MACAO", "labs": 2, "ties": 2 },
            { "a": "HONG_KONG", "b": "MAINLAND", "tieClass": "MAINLAND_HK", "labs": 5, "ties": 5 },
            { "a": "MACAO", "b": "MAINLAND", "tieClass": "MAINLAND_MACAO", "labs": 2, "ties": 2 },
            { "a": "MAINLAND", "b": "MAINLAND", "tieClass": "DOMESTIC", "labs": 1, "ties": 1 },
        ])
    );
    let total: u64 = got["tiePairs"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["ties"].as_u64())
        .sum();
    assert_eq!(total, 10, "each of the 10 ties falls in exactly one pair");
}

#[tokio::test]
async fn tie_pairs_by_city_through_filtered_labs() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ tiePairs(level: CITY, where: {field: ["environment"]}) { a b tieClass labs ties } }"#,
    )
    .await;
    // Environment labs: L1 (jnu, hkust, must), L4 (gig-cas, gd-ieest, polyu), L7 (gig-cas, polyu).
    assert_eq!(
        got["tiePairs"],
        json!([
            { "a": "guangzhou", "b": "guangzhou", "tieClass": "DOMESTIC", "labs": 1, "ties": 1 },
            { "a": "guangzhou", "b": "hong-kong", "tieClass": "MAINLAND_HK", "labs": 3, "ties": 3 },
            { "a": "guangzhou", "b": "macao", "tieClass": "MAINLAND_MACAO", "labs": 1, "ties": 1 },
            { "a": "hong-kong", "b": "macao", "tieClass": "HK_MACAO", "labs": 1, "ties": 1 },
        ])
    );
}
