//! End-to-end tests of `labgraph flows` with the real binary on the seed database: the same
//! region table and cities as the API's committed answer to queries/49-city-flows.graphql, a
//! CSV row read off graph-seed/ by hand (HKU and Shantou University Medical College share the
//! 2019 emerging infectious diseases joint lab), and exit code 3 for bad input.

mod seeded;

use std::path::Path;

use seeded::{ok, run, seeded};

use serde_json::Value;

#[test]
fn json_agrees_with_the_committed_query_answer() {
    let db = seeded("flows", "json");
    let doc: Value = serde_json::from_str(&ok(&run(
        &db,
        &["flows", "--from", "2017", "--format", "json"],
    )))
    .expect("one JSON document");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../queries/49-city-flows.json");
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the committed answer"))
            .expect("JSON");
    let api = &committed["data"]["cityFlows"];
    for key in ["from", "to", "ties", "crossBorder", "unplaced", "regions"] {
        assert_eq!(doc[key], api[key], "{key}");
    }
    let cities = |list: &Value, id: &str| -> Vec<(String, Value)> {
        list.as_array()
            .expect("cities")
            .iter()
            .map(|c| {
                let city = if id.is_empty() {
                    &c["city"]
                } else {
                    &c["city"][id]
                };
                (city.as_str().expect("an id").to_owned(), c["ties"].clone())
            })
            .collect()
    };
    assert_eq!(cities(&doc["cities"], ""), cities(&api["cities"], "id"));
    let flows = |list: &Value, id: &str| -> Vec<(Value, Value, Value)> {
        list.as_array()
            .expect("flows")
            .iter()
            .map(|f| {
                let end = |e: &Value| {
                    if id.is_empty() {
                        e.clone()
                    } else {
                        e[id].clone()
                    }
                };
                (end(&f["from"]), end(&f["to"]), f["years"].clone())
            })
            .collect()
    };
    assert_eq!(flows(&doc["flows"], ""), flows(&api["flows"], "id"));
}

#[test]
fn csv_and_table() {
    let db = seeded("flows", "csv");
    let csv = ok(&run(
        &db,
        &[
            "flows",
            "--field",
            "biomedicine",
            "--as-of",
            "2020",
            "--format",
            "csv",
        ],
    ));
    // Biomedicine in 2020, series 2018–2020: the joint lab of batch 2019 from 2019; UM and
    // GZUCM's Chinese medicine lab (field tcm, under biomedicine) has no year.
    assert_eq!(
        csv,
        "from,from_region,to,to_region,ties,cross_border,labs,2018,2019,2020\n\
         hong-kong,HK,shantou,GD_EAST,1,1,gdhk-emerging-infectious-diseases,0,1,1\n\
         macao,MACAO,guangzhou,GD_PRD,1,1,gdhkmo-chinese-medicine-immune-diseases,1,1,1\n"
    );
    let table = ok(&run(&db, &["flows", "--to", "2020"]));
    assert!(table.contains("series 2018–2020"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["HK", "GD_WEST", "0", "0", "0", "0", "0"]),
        "{table}"
    );
    assert!(table.contains("yunfu"), "{table}");
}

#[test]
fn bad_input_exits_3_naming_the_argument() {
    let db = seeded("flows", "bad");
    for (args, message) in [
        (
            &["flows", "--field", "atlantis"][..],
            "field: no node with id \"atlantis\"",
        ),
        (&["flows", "--field", "hku"][..], "field: a field is wanted"),
        (
            &["flows", "--from", "2024", "--to", "2020"][..],
            "from: 2024 is after to (2020)",
        ),
        (
            &["flows", "--as-of", "1800"][..],
            "asOf: 1800 is outside the years",
        ),
        (&["flows", "--field", "Bio Med"][..], "--field \"Bio Med\""),
    ] {
        let out = run(&db, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // No database: the store is unavailable (4), and none is created.
    let missing = db.with_file_name("missing.db");
    let out = run(&missing, &["flows"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(!missing.exists());
}
