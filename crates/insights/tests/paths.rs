//! Introduction paths on the hand-checkable graph of `partners_support` (lengths worked out in
//! its docs), and the arguments they refuse.

mod partners_support;

use labgraph_domain::TieClass;
use labgraph_insights::paths::{
    Actors, Connector, ConnectorKind, Cooperation, Hop, PathError, tie_length,
};
use partners_support::{close, id, ids, tiny_gba};

fn nodes_and_lengths(paths: &[labgraph_insights::paths::IntroPath]) -> Vec<(Vec<String>, f64)> {
    paths
        .iter()
        .map(|p| (p.nodes.iter().map(|n| n.to_string()).collect(), p.length))
        .collect()
}

#[test]
fn the_two_ways_from_gzu_to_hkc_come_shortest_first_with_their_hops() {
    let graph = tiny_gba();
    let coop = Cooperation::new(&graph, Actors::Institutions, false);
    assert_eq!(coop.reference_year(), Some(2023));
    let paths = coop.paths("gzu", "hkc", 3, 6).expect("paths");
    let got = nodes_and_lengths(&paths);
    assert_eq!(got.len(), 2, "only two simple paths exist: {got:?}");
    assert_eq!(paths[0].nodes, ids(&["gzu", "moa", "hkc"]));
    close(paths[0].length, 2.0, "via Macao");
    assert_eq!(paths[1].nodes, ids(&["gzu", "hka", "hkb", "hkc"]));
    // 1 + 1 + 2.25: the hkb–hkc tie ended in 2018, five years before 2023.
    close(paths[1].length, 4.25, "via Hong Kong");

    assert_eq!(
        paths[0].hops[0],
        Hop {
            from: id("gzu"),
            to: id("moa"),
            strength: 1.0,
            length: 1.0,
            class: Some(TieClass::MainlandMacao),
            since: Some(2021),
            until: None,
            connectors: vec![Connector {
                kind: ConnectorKind::SharedLab,
                via: Some(id("lab4")),
                since: Some(2021),
                until: None,
                weight: 1.0,
                verified: false,
            }],
            membership: None,
        }
    );
    assert_eq!(paths[0].hops[1].class, Some(TieClass::HkMacao));
    assert_eq!(paths[0].hops[1].connectors[0].via, Some(id("lab5")));
    let stale = &paths[1].hops[2];
    assert_eq!((stale.from.as_str(), stale.to.as_str()), ("hkb", "hkc"));
    assert_eq!((stale.since, stale.until), (Some(2015), Some(2018)));
    assert_eq!(stale.class, Some(TieClass::Domestic));
    close(stale.length, 2.25, "stale tie");
    assert!(
        paths[1].hops[0].connectors[0].verified,
        "lab1's edges are verified"
    );
}

#[test]
fn a_collaboration_hop_names_its_weight_and_is_a_third_as_long() {
    let graph = tiny_gba();
    let coop = Cooperation::new(&graph, Actors::Institutions, false);
    let paths = coop.paths("gzu", "gzx", 5, 6).expect("paths");
    assert_eq!(paths.len(), 2);
    assert_eq!(paths[0].nodes, ids(&["gzu", "moa", "hkc", "gzx"]));
    close(paths[0].length, 2.0 + 1.0 / 3.0, "first");
    assert_eq!(paths[1].nodes, ids(&["gzu", "hka", "hkb", "hkc", "gzx"]));
    close(paths[1].length, 4.25 + 1.0 / 3.0, "second");
    let last = &paths[0].hops[2];
    assert_eq!(last.strength, 3.0);
    close(last.length, 1.0 / 3.0, "collaboration length");
    assert_eq!(last.class, Some(TieClass::MainlandHk));
    assert_eq!(
        last.connectors,
        [Connector {
            kind: ConnectorKind::Collaboration,
            via: None,
            since: Some(2023),
            until: None,
            weight: 3.0,
            verified: false,
        }]
    );
}

#[test]
fn cross_border_only_keeps_the_path_whose_every_hop_crosses_a_border() {
    let graph = tiny_gba();
    let coop = Cooperation::new(&graph, Actors::Institutions, true);
    let got = nodes_and_lengths(&coop.paths("gzu", "hkc", 5, 6).expect("paths"));
    assert_eq!(got, [(vec!["gzu".into(), "moa".into(), "hkc".into()], 2.0)]);
    let got = coop.paths("gzu", "gzx", 5, 6).expect("paths");
    assert_eq!(got.len(), 1);
    assert!(
        got[0]
            .hops
            .iter()
            .all(|h| h.class.is_some_and(TieClass::is_cross_border))
    );
    // hka and hkb are both in Hong Kong: no cross-border way between them at all.
    assert!(coop.paths("hka", "hkb", 5, 6).expect("paths").is_empty());
}

#[test]
fn max_hops_and_k_bound_the_answer() {
    let graph = tiny_gba();
    let coop = Cooperation::new(&graph, Actors::Institutions, false);
    let two = coop.paths("gzu", "hkc", 5, 2).expect("paths");
    assert_eq!(two.len(), 1);
    assert_eq!(two[0].nodes, ids(&["gzu", "moa", "hkc"]));
    assert!(coop.paths("gzu", "hkc", 5, 1).expect("paths").is_empty());
    assert_eq!(coop.paths("gzu", "hkc", 1, 6).expect("paths").len(), 1);
    // hkb reaches gzx only in 2 hops (hkc) or 5 (the long way round): a bound of 4 keeps one.
    let got = nodes_and_lengths(&coop.paths("hkb", "gzx", 5, 4).expect("paths"));
    assert_eq!(got.len(), 1, "{got:?}");
}

#[test]
fn bad_arguments_are_refused_naming_the_argument() {
    let graph = tiny_gba();
    let coop = Cooperation::new(&graph, Actors::Institutions, false);
    let err =
        |from: &str, to: &str, k: usize, h: usize| coop.paths(from, to, k, h).expect_err("refused");
    assert_eq!(
        err("gzu", "hkc", 0, 4),
        PathError::KOutOfRange { k: 0, max: 20 }
    );
    assert_eq!(
        err("gzu", "hkc", 21, 4),
        PathError::KOutOfRange { k: 21, max: 20 }
    );
    assert_eq!(
        err("gzu", "hkc", 3, 9),
        PathError::MaxHopsOutOfRange {
            max_hops: 9,
            max: 8
        }
    );
    assert_eq!(
        err("atlantis", "hkc", 3, 4),
        PathError::UnknownNode {
            argument: "from",
            id: "atlantis".into()
        }
    );
    let wrong = err("gzu", "gz", 3, 4);
    assert_eq!(
        wrong.to_string(),
        "to: gz is a city; introduction paths join institutions, people or labs"
    );
    assert_eq!(
        err("gzu", "gzu", 3, 4),
        PathError::SameNode { id: "gzu".into() }
    );
}

#[test]
fn the_length_function_is_the_documented_one() {
    close(tie_length(1.0, 0.0), 1.0, "fresh single tie");
    close(tie_length(2.0, 0.0), 0.5, "two labs");
    close(tie_length(1.0, 4.0), 2.0, "four years stale");
}

#[test]
fn on_the_seed_jnu_reaches_hku_through_macao_and_the_smart_cities_lab() {
    let graph = partners_support::seed();
    let coop = Cooperation::new(&graph, Actors::Institutions, false);
    let paths = coop.paths("jnu", "hku", 2, 6).expect("paths");
    // Jinan University's only lab (environmental quality, 2019) has HKUST and MUST as
    // partners; MUST shares the Macao state key lab of Chinese medicine with UM, and UM shares
    // two labs with HKU (smart cities 2020, digestive cancer 2021): strength 2, length 0.5.
    assert_eq!(paths[0].nodes, ids(&["jnu", "must", "um", "hku"]));
    close(paths[0].length, 2.5, "first");
    let last = &paths[0].hops[2];
    assert_eq!(
        last.connectors
            .iter()
            .map(|c| c.via.as_ref().map(|v| v.to_string()))
            .collect::<Vec<_>>(),
        [
            Some("gdhkmo-smart-cities".to_string()),
            Some("gdhkmo-univ-joint-lab-digestive-cancer".to_string())
        ]
    );
    assert_eq!(paths[1].nodes, ids(&["jnu", "hkust", "must", "um", "hku"]));
    close(paths[1].length, 3.5, "second");
}
