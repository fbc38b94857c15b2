//! Bad input: every class of error names the file, the line and (where there is one) the
//! field, and nothing is returned from a failed read.

use std::fs;

use labgraph_domain::Graph;
use labgraph_io::{Format, ImportError, read_files, read_str};

use crate::common::scratch;

const HEADER: &str = r#"{"record":"header","format":"labgraph-seed","version":1}"#;
const CITY: &str = r#"{"record":"node","kind":"city","id":"guangzhou","name_en":"Guangzhou","region":"gd_prd","in_gba":true}"#;

/// Reads `text` as `name` and returns the error message, asserting that it names every piece of
/// `expected` (file:line, field, ...).
fn refused(name: &str, text: &str, format: Format, expected: &[&str]) -> ImportError {
    let err = read_str(name, text, format).expect_err("bad input must be refused");
    let message = err.to_string();
    for piece in expected {
        assert!(
            message.contains(piece),
            "{message:?} should mention {piece:?}"
        );
    }
    err
}

#[test]
fn malformed_jsonl_names_line_and_column() {
    let text = format!("{HEADER}\n{CITY}\n{{\"record\":\"node\",\"kind\":\n");
    let err = refused(
        "bad.jsonl",
        &text,
        Format::Jsonl,
        &["bad.jsonl:3", "malformed JSON Lines", "column"],
    );
    assert!(
        matches!(
            err,
            ImportError::Syntax {
                column: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    refused(
        "arr.jsonl",
        "[1,2]\n",
        Format::Jsonl,
        &["arr.jsonl:1", "JSON object"],
    );
    let not_utf8 = read_str("x", "", Format::Jsonl).expect("empty input is an empty graph");
    assert!(not_utf8.is_empty());
}

#[test]
fn malformed_json_names_the_line_inside_the_file() {
    let text = format!("[\n{HEADER},\n{CITY},\n{{\"record\": \"node\" \"kind\": \"city\"}}\n]");
    refused(
        "bad.json",
        &text,
        Format::Json,
        &["bad.json:4", "malformed JSON", "column"],
    );
}

#[test]
fn json_array_errors_point_at_the_element_line() {
    let text = format!(
        "[\n  {HEADER},\n\n  {CITY},\n  {{\"record\":\"node\",\"kind\":\"city\",\"id\":\"x\",\n   \"region\":\"hk\",\"in_gba\":\"yes\"}}\n]"
    );
    refused(
        "arr.json",
        &text,
        Format::Json,
        &[
            "arr.json:5",
            "city x",
            "field `in_gba`",
            "true or false",
            "\"yes\"",
        ],
    );
}

#[test]
fn malformed_csv_names_the_row_line() {
    let text = "record,kind,id,name_en,region,in_gba\nnode,city,guangzhou,Guangzhou,gd_prd,true\nnode,city,shenzhen,Shenzhen\n";
    refused(
        "cities.csv",
        text,
        Format::Csv,
        &["cities.csv:3", "malformed CSV", "4 cells", "6"],
    );
}

#[test]
fn unknown_field_suggests_the_right_name() {
    let text = format!("{HEADER}\n{}\n", CITY.replace("name_en", "name_eng"));
    refused(
        "typo.jsonl",
        &text,
        Format::Jsonl,
        &[
            "typo.jsonl:2",
            "city guangzhou",
            "field `name_eng`",
            "unknown field",
            "did you mean `name_en`",
        ],
    );
    refused(
        "typo.csv",
        "record,kind,id,nmae_en\n",
        Format::Csv,
        &["typo.csv:1", "field `nmae_en`", "unknown column"],
    );
}

#[test]
fn missing_fields_are_named() {
    let text = r#"{"record":"node","kind":"institution","id":"hku","name_en":"HKU"}"#;
    refused(
        "m.jsonl",
        text,
        Format::Jsonl,
        &[
            "m.jsonl:1",
            "institution hku",
            "field `institution_kind`",
            "missing",
        ],
    );
    let text = r#"{"record":"edge","kind":"works_on","from":"a"}"#;
    refused("m.jsonl", text, Format::Jsonl, &["field `to`", "missing"]);
    refused(
        "m.jsonl",
        r#"{"kind":"city"}"#,
        Format::Jsonl,
        &["m.jsonl:1", "field `record`", "missing"],
    );
}

#[test]
fn mistyped_values_are_named_in_every_format() {
    let text = r#"{"record":"node","kind":"lab","id":"l","name_en":"L","lab_kind":"joint_lab","batch_year":"2019"}"#;
    refused(
        "t.jsonl",
        text,
        Format::Jsonl,
        &[
            "t.jsonl:1",
            "lab l",
            "field `batch_year`",
            "an integer",
            "\"2019\"",
        ],
    );
    let text = "record,kind,id,name_en,lab_kind,batch_year\nnode,lab,l,L,joint_lab,20x9\n";
    refused(
        "t.csv",
        text,
        Format::Csv,
        &[
            "t.csv:2",
            "lab l",
            "field `batch_year`",
            "an integer",
            "20x9",
        ],
    );
    let text = r#"{"record":"node","kind":"person","id":"p","name_en":"P","aliases":"港大"}"#;
    refused(
        "t.jsonl",
        text,
        Format::Jsonl,
        &["field `aliases`", "a list of strings"],
    );
}

#[test]
fn bad_enum_values_list_the_codes() {
    let text = CITY.replace("gd_prd", "pearl_river");
    refused(
        "e.jsonl",
        &text,
        Format::Jsonl,
        &[
            "e.jsonl:1",
            "city guangzhou",
            "field `region`",
            "pearl_river",
            "gd_prd",
        ],
    );
    let text = r#"{"record":"node","kind":"campus","id":"x","name_en":"X"}"#;
    refused(
        "e.jsonl",
        text,
        Format::Jsonl,
        &["field `kind`", "campus", "institution"],
    );
    let text = r#"{"record":"edge","kind":"partner_in","from":"a","to":"b","role":"sponsor"}"#;
    refused(
        "e.jsonl",
        text,
        Format::Jsonl,
        &["edge partner_in(a -> b)", "field `role`", "sponsor"],
    );
}

#[test]
fn invalid_ids_are_named_with_their_field() {
    let text = CITY.replace("\"guangzhou\"", "\"Guang Zhou\"");
    refused(
        "i.jsonl",
        &text,
        Format::Jsonl,
        &["i.jsonl:1", "field `id`", "Guang Zhou"],
    );
    let text = r#"{"record":"node","kind":"lab","id":"l","name_en":"L","lab_kind":"other","cities":["guangzhou","港"]}"#;
    refused("i.jsonl", text, Format::Jsonl, &["field `cities`", "港"]);
}

#[test]
fn a_field_foreign_to_the_kind_is_refused() {
    let text = CITY.replace("\"in_gba\":true", "\"in_gba\":true,\"batch_year\":2019");
    refused(
        "k.jsonl",
        &text,
        Format::Jsonl,
        &[
            "k.jsonl:1",
            "field `batch_year`",
            "does not belong to a city node",
            "region",
        ],
    );
    let text = r#"{"record":"edge","kind":"works_on","from":"a","to":"b","lat":1.0}"#;
    refused(
        "k.jsonl",
        text,
        Format::Jsonl,
        &["field `lat`", "does not belong to an edge"],
    );
}

#[test]
fn model_rules_are_reported_with_the_line() {
    let text = format!(
        "{HEADER}\n{}",
        CITY.replace("\"in_gba\":true", "\"in_gba\":true,\"lat\":123.0")
    );
    refused(
        "v.jsonl",
        &text,
        Format::Jsonl,
        &["v.jsonl:2", "guangzhou", "`lat`", "123"],
    );
    let text = r#"{"record":"edge","kind":"works_on","from":"a","to":"b","role":"host"}"#;
    refused(
        "v.jsonl",
        text,
        Format::Jsonl,
        &["v.jsonl:1", "`role`", "takes no role"],
    );
}

#[test]
fn duplicates_across_files_name_both_places() {
    let dir = scratch("duplicates");
    fs::write(dir.join("a.jsonl"), format!("{HEADER}\n{CITY}\n")).expect("write a");
    fs::write(dir.join("b.csv"), "record,kind,id,name_en,region,in_gba\nnode,city,shenzhen,Shenzhen,gd_prd,true\nnode,city,guangzhou,Guangzhou,gd_prd,true\n").expect("write b");
    let err = read_files(&[&dir]).expect_err("guangzhou is defined twice");
    let message = err.to_string();
    assert!(
        message.contains("a.jsonl:2") && message.contains("b.csv:3"),
        "{message}"
    );
    assert!(message.contains("node guangzhou"), "{message}");

    // Edge keys too; a symmetric edge is the same edge whichever way round it is written.
    let edges = "{\"record\":\"edge\",\"kind\":\"collaborates_with\",\"from\":\"p1\",\"to\":\"p2\"}\n{\"record\":\"edge\",\"kind\":\"collaborates_with\",\"from\":\"p2\",\"to\":\"p1\"}\n";
    fs::write(dir.join("edges.jsonl"), edges).expect("write edges");
    let err = read_files(&[dir.join("edges.jsonl")]).expect_err("same pair twice");
    let message = err.to_string();
    assert!(
        message.contains("edges.jsonl:2") && message.contains("edges.jsonl:1"),
        "{message}"
    );
    assert!(message.contains("collaborates_with(p1 -> p2)"), "{message}");
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn versions_and_headers_are_checked() {
    let newer = r#"{"record":"header","format":"labgraph-seed","version":2}"#;
    refused(
        "v.jsonl",
        newer,
        Format::Jsonl,
        &["v.jsonl:1", "field `version`", "newer"],
    );
    let other = r#"{"record":"header","format":"graphml","version":1}"#;
    refused(
        "v.jsonl",
        other,
        Format::Jsonl,
        &["field `format`", "graphml"],
    );
    let late = format!("{CITY}\n{HEADER}\n");
    refused(
        "v.jsonl",
        &late,
        Format::Jsonl,
        &["v.jsonl:2", "header", "first record"],
    );
    let envelope = format!("{{\"format\":\"labgraph-seed\",\"version\":3,\"records\":[{CITY}]}}");
    refused(
        "v.json",
        &envelope,
        Format::Json,
        &["v.json:1", "field `version`", "newer"],
    );
    let stray = format!("{{\"format\":\"labgraph-seed\",\"version\":1,\"recods\":[{CITY}]}}");
    refused("v.json", &stray, Format::Json, &["v.json:1", "recods"]);
}

#[test]
fn dangling_references_are_located_when_applied() {
    let dir = scratch("dangling");
    let text = format!(
        "{HEADER}\n{CITY}\n{}\n",
        r#"{"record":"edge","kind":"partner_in","from":"jnu","to":"gdhkmo-x","role":"host"}"#
    );
    fs::write(dir.join("edges.jsonl"), text).expect("write");
    let parsed = read_files(&[&dir]).expect("every record is well-formed");
    let err = parsed
        .apply_to(&Graph::new())
        .expect_err("jnu does not exist");
    let message = err.to_string();
    assert!(message.contains("edges.jsonl:3"), "{message}");
    assert!(
        message.contains("jnu") && message.contains("`from`"),
        "{message}"
    );
    // The same, through locate() on the domain error.
    let apply_err = Graph::new().apply(&parsed.changes).expect_err("refused");
    let at = parsed.locate(&apply_err);
    assert_eq!(at.line, 3);
    assert!(at.to_string().ends_with("edges.jsonl:3"), "{at}");
    // An error of another change set is not pinned on a wrong line.
    let foreign = labgraph_domain::ApplyError {
        index: 99,
        error: apply_err.error.clone(),
    };
    assert_eq!(parsed.locate(&foreign).line, 0);
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn paths_that_are_not_seed_files_are_refused() {
    let dir = scratch("not-seed");
    fs::write(dir.join("README.md"), "not a seed").expect("write");
    let err = read_files(&[&dir]).expect_err("no seed file in the directory");
    assert!(err.to_string().contains("no .jsonl"), "{err}");
    let err = read_files(&[dir.join("README.md")]).expect_err("wrong extension");
    assert!(err.to_string().contains("README.md"), "{err}");
    let err = read_files(&[dir.join("missing.jsonl")]).expect_err("absent file");
    assert!(matches!(err, ImportError::Io { .. }) && err.to_string().contains("missing.jsonl"));
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn a_field_given_twice_in_one_object_is_refused() {
    let text = r#"{"record":"node","kind":"person","id":"p","name_en":"A","name_en":"B"}"#;
    refused(
        "d.jsonl",
        text,
        Format::Jsonl,
        &["d.jsonl:1", "field `name_en`", "twice"],
    );
}

#[test]
fn spreadsheet_csv_with_bom_crlf_and_multiline_cells_keeps_line_numbers() {
    let text = "\u{feff}record,kind,id,name_en,source\r\nnode,person,p1,P1,\"line one\r\nline two\"\r\nnode,person,P2,P2,x\r\n";
    // The BOM does not spoil the first column name; the bad id is on line 4, because the
    // quoted cell of the row before spans two lines.
    refused(
        "people.csv",
        text,
        Format::Csv,
        &["people.csv:4", "field `id`", "P2"],
    );
    let fixed = text.replace("P2,P2", "p2,P2");
    let parsed = read_str("people.csv", &fixed, Format::Csv).expect("reads");
    assert_eq!(parsed.location(1).map(|l| l.line), Some(4));
    let (graph, _) = parsed.apply_to(&Graph::new()).expect("applies");
    let p1 = graph.node("p1").expect("p1");
    assert_eq!(
        p1.provenance.source.as_deref(),
        Some("line one\r\nline two")
    );
    // Blank lines before a row do not shift its number.
    let blank = "record,kind,id,name_en\n\n\nnode,person,Bad,B\n";
    refused(
        "blank.csv",
        blank,
        Format::Csv,
        &["blank.csv:4", "field `id`"],
    );
}

#[test]
fn in_memory_sources_are_checked_across_each_other() {
    let cities = format!("{HEADER}\n{CITY}\n");
    let again = "record,kind,id,name_en,region,in_gba\nnode,city,guangzhou,G,gd_prd,true\n";
    let err = labgraph_io::read_sources(&[("seed/a.jsonl", &cities), ("seed/b.csv", again)])
        .expect_err("guangzhou twice");
    let message = err.to_string();
    assert!(
        message.contains("seed/b.csv:2") && message.contains("seed/a.jsonl:2"),
        "{message}"
    );
    let ok = labgraph_io::read_sources(&[("seed/a.jsonl", &cities)]).expect("one source reads");
    assert_eq!((ok.len(), ok.files.len()), (1, 1));
    let err = labgraph_io::read_sources(&[("seed/a.txt", "")]).expect_err("unknown extension");
    assert!(err.to_string().contains("seed/a.txt"), "{err}");
}
