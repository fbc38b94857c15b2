//! End-to-end tests of `labgraph gaps`, `labgraph what-if` and `labgraph evolution` with the
//! real binary on the seed database: facts read off graph-seed/ by hand (the Zhanjiang Bay
//! Laboratory `zjblab` is the only partner of its marine lab, so it has no tie; HKU and
//! Shantou University Medical College share a 2019 joint lab; PolyU and HKUST share a state
//! key lab with plaque year 2025), nothing stored by what-if, and exit code 3 for bad input.

mod seeded;

use std::path::Path;

use seeded::{json, ok, run, seeded};

use serde_json::Value;

#[test]
fn gaps_finds_zhanjiang_unreached_and_its_marine_cell_empty() {
    let db = seeded("answers", "gaps");
    let doc = json(&run(&db, &["gaps", "--k", "1", "--format", "json"]));
    assert_eq!(doc["k"], 1);
    let zjblab = doc["institutions"]
        .as_array()
        .and_then(|list| list.iter().find(|r| r["id"] == "zjblab"))
        .expect("zjblab is a Mainland institution");
    assert_eq!(
        zjblab,
        &serde_json::json!({"id": "zjblab", "city": "zhanjiang", "toHk": null, "toMacao": null, "withinK": false})
    );
    let cell = doc["matrix"]
        .as_array()
        .and_then(|m| {
            m.iter()
                .find(|c| c["area"] == "zhanjiang" && c["field"] == "marine")
        })
        .expect("a Zhanjiang × marine cell");
    assert_eq!(
        (&cell["institutions"], &cell["observed"], &cell["gap"]),
        (&1.into(), &0.into(), &true.into())
    );
    // The table names the same gap.
    let table = ok(&run(&db, &["gaps", "--k", "1"]));
    assert!(table.contains("zhanjiang"), "{table}");
    assert!(table.contains("bridges at risk"), "{table}");
}

#[test]
fn what_if_a_marine_lab_with_hku_stores_nothing() {
    let db = seeded("answers", "what-if");
    let before = ok(&run(&db, &["stats"]));
    let doc = json(&run(
        &db,
        &[
            "what-if",
            "--add-lab",
            "zjblab,hku:marine",
            "--format",
            "json",
        ],
    ));
    // One new tie, cross-border; zjblab joins HKU's component and is one tie from Hong Kong.
    assert_eq!(
        doc["after"]["ties"].as_u64(),
        doc["before"]["ties"].as_u64().map(|t| t + 1)
    );
    assert_eq!(
        doc["after"]["crossBorderTies"].as_u64(),
        doc["before"]["crossBorderTies"].as_u64().map(|t| t + 1)
    );
    let zjblab = doc["delta"]["distances"]
        .as_array()
        .and_then(|d| d.iter().find(|r| r["id"] == "zjblab"))
        .expect("zjblab moves");
    assert_eq!(
        (&zjblab["toHkBefore"], &zjblab["toHkAfter"]),
        (&Value::Null, &1.into())
    );
    assert!(
        doc["delta"]["gapsClosed"].as_array().is_some_and(|g| g
            .iter()
            .any(|c| c["city"] == "zhanjiang" && c["field"] == "marine")),
        "{doc}"
    );
    assert_eq!(
        ok(&run(&db, &["stats"])),
        before,
        "what-if wrote to the database"
    );
}

#[test]
fn evolution_dates_the_new_ties() {
    let db = seeded("answers", "evolution");
    let doc = json(&run(
        &db,
        &[
            "evolution",
            "--from",
            "2017",
            "--to",
            "2025",
            "--format",
            "json",
        ],
    ));
    let years: Vec<i64> = doc["years"]
        .as_array()
        .expect("years")
        .iter()
        .filter_map(|y| y["year"].as_i64())
        .collect();
    assert_eq!(years, (2017..=2025).collect::<Vec<_>>());
    let new = doc["newTies"].as_array().expect("new ties");
    let year_of = |a: &str, b: &str| {
        new.iter()
            .find(|t| t["a"] == a && t["b"] == b)
            .and_then(|t| t["year"].as_i64())
    };
    assert_eq!(year_of("hku", "stu-med"), Some(2019));
    assert_eq!(year_of("hkust", "polyu"), Some(2025));
    assert_eq!(doc["endedTies"], serde_json::json!([]));
}

#[test]
fn bad_input_exits_3_naming_the_argument() {
    let db = seeded("answers", "bad");
    for (args, message) in [
        (&["gaps", "--k", "9"][..], "k: 9 is out of range"),
        (
            &["gaps", "--field", "atlantis"][..],
            "fields[0]: no node with id \"atlantis\"",
        ),
        (
            &["what-if", "--add-lab", "zjblab,atlantis"][..],
            "add.labs[0].partners[1]: no node with id \"atlantis\"",
        ),
        (
            &["what-if", "--add-tie", "hku,hku"][..],
            "add.ties[0].b: a tie joins two institutions",
        ),
        (
            &["what-if", "--add-tie", "hku"][..],
            "--add-tie \"hku\": expected A,B or A,B,STRENGTH",
        ),
        (&["what-if", "--remove", "HKU"][..], "--remove \"HKU\""),
        (
            &["what-if"][..],
            "add: the proposal adds and removes nothing",
        ),
        (
            &["evolution", "--from", "2020", "--to", "2017"][..],
            "from: 2020 is after to (2017)",
        ),
    ] {
        let out = run(&db, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[test]
fn rollup_counts_as_the_api_does() {
    // The CLI runs the API's own roll-up: its rows are queries/08's committed answer.
    let db = seeded("answers", "rollup");
    let doc = json(&run(
        &db,
        &["rollup", "--level", "region", "--format", "json"],
    ));
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../queries/08-regions-compared.json"),
        )
        .expect("queries/08"),
    )
    .expect("JSON");
    let fields = [
        "key",
        "labs",
        "crossBorderLabs",
        "institutions",
        "ties",
        "crossBorderTies",
    ];
    let pick = |rows: &Value| -> Vec<Vec<Value>> {
        rows.as_array()
            .expect("rows")
            .iter()
            .map(|r| fields.iter().map(|f| r[*f].clone()).collect())
            .collect()
    };
    assert_eq!(pick(&doc["rows"]), pick(&committed["data"]["rollup"]));
    let out = run(&db, &["rollup", "--level", "nowhere"]);
    assert_eq!(out.status.code(), Some(2), "clap refuses an unknown level");
}
