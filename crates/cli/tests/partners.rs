//! End-to-end tests of `labgraph partners`, `labgraph paths` and `labgraph partners-evaluate`
//! with the real binary on the seed database: the answers a liaison officer reads, JSON for
//! programs, and exit code 3 for bad arguments.

mod seeded;

use seeded::{ok, run, seeded, text};

use serde_json::Value;

#[test]
fn partners_for_jinan_university_in_hong_kong_puts_polyu_first_through_hkust() {
    let db = seeded("partners", "table");
    let out = ok(&run(
        &db,
        &[
            "partners",
            "--for",
            "jnu",
            "--jurisdiction",
            "hk",
            "--first",
            "2",
        ],
    ));
    assert!(
        out.contains("existing partners: hkust (HKUST), must (MUST)"),
        "{out}"
    );
    assert!(out.contains(" 1. polyu (PolyU) [Hong Kong]"), "{out}");
    assert!(out.contains("shared partners: hkust (HKUST)"), "{out}");
    assert!(
        out.contains("lab hk-skl-coastal-city-climate-resilience"),
        "{out}"
    );
    assert!(!out.contains(" 3. "), "--first 2 shows two: {out}");
}

#[test]
fn partners_json_lists_the_suggestions_with_their_paths() {
    let db = seeded("partners", "json");
    let out = ok(&run(
        &db,
        &[
            "partners",
            "--for",
            "gzucm",
            "--jurisdiction",
            "mo",
            "--format",
            "json",
        ],
    ));
    let doc: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["for"], "gzucm");
    assert_eq!(doc["existingPartners"], serde_json::json!(["um"]));
    // GZUCM (Chinese medicine) partners UM; MUST works on Chinese medicine too and shares the
    // Macao state key lab of Chinese medicine with UM.
    let first = &doc["suggestions"][0];
    assert_eq!(first["id"], "must");
    assert_eq!(first["sharedPartners"], serde_json::json!(["um"]));
    assert_eq!(first["sharedFields"], serde_json::json!(["tcm"]));
    assert_eq!(
        first["paths"][0]["nodes"],
        serde_json::json!(["gzucm", "um", "must"])
    );
    assert_eq!(
        first["paths"][0]["hops"][1]["via"][0]["id"],
        "mo-skl-quality-research-chinese-medicine"
    );
}

#[test]
fn paths_from_gzucm_to_hku_go_through_um_first() {
    let db = seeded("partners", "paths");
    let out = ok(&run(
        &db,
        &[
            "paths", "--from", "gzucm", "--to", "hku", "--format", "json",
        ],
    ));
    let doc: Value = serde_json::from_str(&out).expect("json");
    let paths = doc["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 3);
    assert_eq!(paths[0]["nodes"], serde_json::json!(["gzucm", "um", "hku"]));
    // UM and HKU share two labs: strength 2, length 1/2; plus 1 for GZUCM–UM.
    assert_eq!(paths[0]["length"], 1.5);
    let cross = ok(&run(
        &db,
        &[
            "paths",
            "--from",
            "jnu",
            "--to",
            "polyu",
            "--cross-border-only",
        ],
    ));
    // HKUST–PolyU is a Hong Kong–Hong Kong tie: no cross-border way from JNU to PolyU.
    assert!(cross.contains("no path within 6 hops"), "{cross}");
}

#[test]
fn paths_to_a_lab_end_with_the_member_that_enters_it() {
    let db = seeded("partners", "lab");
    // graph-seed/: JNU hosts the environmental quality joint lab (2019) with HKUST as a
    // partner; HKUST hosts the Hong Kong branch of the Southern Marine Science and Engineering
    // Guangdong Laboratory (2019, with GML Guangzhou). MUST is the other partner of JNU's lab.
    let out = ok(&run(
        &db,
        &["paths", "--from", "jnu", "--to", "gml-gz-hk-branch"],
    ));
    assert!(out.contains("1. length 1.00, 1 tie + the lab"), "{out}");
    assert!(
        out.contains("| lab gdhkmo-environmental-quality-innovation"),
        "{out}"
    );
    assert!(
        out.contains(
            "> hkust (HKUST) is host of lab gml-gz-hk-branch (Hong Kong Branch of Southern \
             Marine Science and Engineering Guangdong Laboratory (Guangzhou)), since 2019; \
             verified; source: http://m.mkcnfr.com/c/2019-03-03/2299203.shtml"
        ),
        "{out}"
    );
    assert!(out.contains("2. length 2.00, 2 ties + the lab"), "{out}");
    assert!(!out.contains("3. "), "only two ways exist: {out}");

    let json = ok(&run(
        &db,
        &[
            "paths",
            "--from",
            "jnu",
            "--to",
            "gml-gz-hk-branch",
            "--k",
            "1",
            "--format",
            "json",
        ],
    ));
    let doc: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(doc["alreadyMember"], false);
    let path = &doc["paths"][0];
    assert_eq!(
        path["nodes"],
        serde_json::json!(["jnu", "hkust", "gml-gz-hk-branch"])
    );
    let last = &path["hops"][1];
    assert_eq!(last["kind"], "lab");
    assert_eq!(last["length"], 0.0);
    assert_eq!(last["membership"]["member"], "hkust");
    assert_eq!(last["membership"]["role"], "host");
    assert_eq!(last["membership"]["verified"], true);

    // HKUST is itself a host: no introduction needed, one path of length 0.
    let member = ok(&run(
        &db,
        &["paths", "--from", "hkust", "--to", "gml-gz-hk-branch"],
    ));
    assert!(
        member.contains(
            "already a member: hkust is host of gml-gz-hk-branch; no introduction is needed"
        ),
        "{member}"
    );
    assert!(
        member.contains("1. length 0.00, 0 ties + the lab"),
        "{member}"
    );
    assert!(!member.contains("2. "), "{member}");
}

#[test]
fn bad_arguments_exit_with_code_3_and_name_the_argument() {
    let db = seeded("partners", "bad");
    for (args, message) in [
        (
            vec!["partners", "--for", "atlantis"],
            "for: no node with id \"atlantis\"",
        ),
        (
            vec!["partners", "--for", "jnu", "--first", "0"],
            "first: 0 is out of range 1..=50",
        ),
        (
            vec!["partners", "--for", "jnu", "--jurisdiction", "tw"],
            "--jurisdiction \"tw\"",
        ),
        (
            vec!["partners", "--for", "jnu", "--kind", "bank"],
            "--kind \"bank\"",
        ),
        (
            vec!["partners", "--for", "jnu", "--field", "hku"],
            "fields: hku is of kind institution",
        ),
        (
            vec!["paths", "--from", "jnu", "--to", "hku", "--k", "21"],
            "k: 21 is out of range 1..=20",
        ),
        (
            vec!["paths", "--from", "jnu", "--to", "guangzhou"],
            "to: guangzhou is a city; introduction paths join institutions, people or labs",
        ),
        (
            // The seed names no host or partner for this first-batch joint lab.
            vec![
                "paths",
                "--from",
                "jnu",
                "--to",
                "gdhkmo-photo-thermal-electric-energy-materials",
            ],
            "to: lab gdhkmo-photo-thermal-electric-energy-materials has no member institution",
        ),
        (
            vec!["partners-evaluate", "--year", "1990"],
            "year: 1990 is outside",
        ),
    ] {
        let out = run(&db, &args);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains(message),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn partners_evaluate_on_the_seed_says_how_few_ties_it_held_out() {
    let db = seeded("partners", "evaluate");
    let out = ok(&run(&db, &["partners-evaluate", "--graph", "seed"]));
    assert!(
        out.contains("skipped (their edges make no tie): 2025, 2024"),
        "{out}"
    );
    assert!(
        out.contains("held-out year 2023: 4 edges start then, 3 new ties among 3 sources"),
        "{out}"
    );
    assert!(
        out.contains("only 3 held-out ties: too few to tell the methods apart"),
        "{out}"
    );
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("partner score"))
        .collect();
    assert_eq!(rows.len(), 1, "{out}");
}
