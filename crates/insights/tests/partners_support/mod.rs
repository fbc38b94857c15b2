//! The hand-checkable graph of the partner-finder and path tests, written in the seed format
//! and read through labgraph-io, so it is a graph the importer accepts.
#![allow(dead_code)] // Each test binary uses its own part of these helpers.

use labgraph_domain::{Graph, Id};

/// A small Greater Bay Area, drawn so every score and path can be worked out by hand:
///
/// ```text
///            lab1 (2019, env)        lab2 (2020, env)      lab3 (2015–2018)
///   gzu ─────────────────── hka ─────────────────── hkb ─────────────────── hkc ── gzx
///    │  lab4 (2021, tcm)                                  lab5 (2022, ai)  │  collaboration
///    └──────────────────── moa ────────────────────────────────────────────┘  (2023, weight 3)
/// ```
///
/// gzu and gzx are in Guangzhou, hka, hkb, hkc in Hong Kong, moa in Macao. Field `ai` has the
/// parent `digital`. The latest year in the graph is 2023, so the tie hkb–hkc, which ended in
/// 2018, is 5 years old: length (1 / 1) · (1 + 0.25 · 5) = 2.25.
pub const TINY_GBA: &str = r#"
{"record":"node","kind":"city","id":"gz","name_en":"Guangzhou","region":"gd_prd","in_gba":true}
{"record":"node","kind":"city","id":"hk","name_en":"Hong Kong","region":"hk","in_gba":true}
{"record":"node","kind":"city","id":"mo","name_en":"Macao","region":"macao","in_gba":true}
{"record":"node","kind":"field","id":"env","name_en":"Environment","field_group":"discipline"}
{"record":"node","kind":"field","id":"tcm","name_en":"Chinese medicine","field_group":"discipline"}
{"record":"node","kind":"field","id":"digital","name_en":"Digital","field_group":"strategic_industry"}
{"record":"node","kind":"field","id":"ai","name_en":"AI","field_group":"frontier","parent":"digital"}
{"record":"node","kind":"institution","id":"gzu","name_en":"Guangzhou University X","institution_kind":"university","city":"gz"}
{"record":"node","kind":"institution","id":"gzx","name_en":"Guangzhou Enterprise X","institution_kind":"enterprise","city":"gz"}
{"record":"node","kind":"institution","id":"hka","name_en":"HK University A","institution_kind":"university","city":"hk"}
{"record":"node","kind":"institution","id":"hkb","name_en":"HK University B","institution_kind":"university","city":"hk"}
{"record":"node","kind":"institution","id":"hkc","name_en":"HK Institute C","institution_kind":"research_institute","city":"hk"}
{"record":"node","kind":"institution","id":"moa","name_en":"Macao University A","institution_kind":"university","city":"mo"}
{"record":"node","kind":"lab","id":"lab1","name_en":"Joint Lab 1","lab_kind":"joint_lab","batch_year":2019,"cities":["gz"]}
{"record":"node","kind":"lab","id":"lab2","name_en":"Lab 2","lab_kind":"other","cities":["hk"]}
{"record":"node","kind":"lab","id":"lab3","name_en":"Lab 3","lab_kind":"other","cities":["hk"]}
{"record":"node","kind":"lab","id":"lab4","name_en":"Joint Lab 4","lab_kind":"joint_lab","batch_year":2021,"cities":["gz"]}
{"record":"node","kind":"lab","id":"lab5","name_en":"Joint Lab 5","lab_kind":"joint_lab","batch_year":2022,"cities":["mo"]}
{"record":"edge","kind":"partner_in","from":"gzu","to":"lab1","role":"host","since":2019,"verified":true}
{"record":"edge","kind":"partner_in","from":"hka","to":"lab1","role":"partner","since":2019,"verified":true}
{"record":"edge","kind":"works_on","from":"lab1","to":"env"}
{"record":"edge","kind":"partner_in","from":"hka","to":"lab2","role":"host","since":2020}
{"record":"edge","kind":"partner_in","from":"hkb","to":"lab2","role":"partner","since":2020}
{"record":"edge","kind":"works_on","from":"lab2","to":"env"}
{"record":"edge","kind":"partner_in","from":"hkb","to":"lab3","role":"host","since":2015,"until":2018}
{"record":"edge","kind":"partner_in","from":"hkc","to":"lab3","role":"partner","since":2015,"until":2018}
{"record":"edge","kind":"partner_in","from":"gzu","to":"lab4","role":"host","since":2021}
{"record":"edge","kind":"partner_in","from":"moa","to":"lab4","role":"partner","since":2021}
{"record":"edge","kind":"works_on","from":"lab4","to":"tcm"}
{"record":"edge","kind":"partner_in","from":"moa","to":"lab5","role":"host","since":2022}
{"record":"edge","kind":"partner_in","from":"hkc","to":"lab5","role":"partner","since":2022}
{"record":"edge","kind":"works_on","from":"lab5","to":"ai"}
{"record":"edge","kind":"collaborates_with","from":"gzx","to":"hkc","weight":3,"since":2023}
"#;

/// The graph of [`TINY_GBA`].
pub fn tiny_gba() -> Graph {
    let parsed = labgraph_io::read_str("tiny-gba.jsonl", TINY_GBA, labgraph_io::Format::Jsonl)
        .expect("the tiny graph parses");
    parsed
        .apply_to(&Graph::new())
        .expect("the tiny graph is valid")
        .0
}

/// The real graph-seed/.
pub fn seed() -> Graph {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
    let parsed = labgraph_io::read_files(&[dir]).expect("graph-seed reads");
    parsed
        .apply_to(&Graph::new())
        .expect("graph-seed is valid")
        .0
}

/// An id the test writes by hand.
pub fn id(text: &str) -> Id {
    Id::new(text).expect("a valid test id")
}

/// Ids from texts.
pub fn ids(texts: &[&str]) -> Vec<Id> {
    texts.iter().map(|t| id(t)).collect()
}

/// Asserts two floats agree to 1e-12 relative.
#[track_caller]
pub fn close(actual: f64, expected: f64, what: &str) {
    let tol = 1e-12 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: {actual} != {expected}"
    );
}
