//! The held-out evaluation on the hand-checkable graph of `partners_support`, with precision
//! and recall worked out by hand, and the years it refuses.

mod partners_support;

use labgraph_insights::evaluate::{EvaluationError, Method, evaluate};
use labgraph_insights::paths::Actors;
use partners_support::{close, id, tiny_gba};

#[test]
fn the_latest_year_holds_out_the_2023_collaboration() {
    let graph = tiny_gba();
    let e = evaluate(&graph, Actors::Institutions, None, &[5]).expect("evaluation");
    assert_eq!(e.year, 2023);
    assert_eq!(e.skipped_years, Vec::<i32>::new());
    assert_eq!(e.held_out_edges, 1);
    assert_eq!(e.new_ties, [(id("gzx"), id("hkc"))]);
    assert_eq!(e.sources, 2);
    // gzx has 5 candidates, hkc (tied to hkb and moa) 3: every list fits in the top 5, so
    // every method finds the one new tie of each source: precision 1/5, recall 1.
    for r in &e.results {
        close(r.at[0].precision, 0.2, r.method.name());
        close(r.at[0].recall, 1.0, r.method.name());
    }
}

#[test]
fn holding_out_2022_ranks_the_new_tie_third_for_both_its_ends() {
    let graph = tiny_gba();
    let e = evaluate(&graph, Actors::Institutions, Some(2022), &[1, 2, 3]).expect("evaluation");
    // Training graph: no lab5 (2022) and no collaboration (2023): the chain
    // moa – gzu – hka – hkb – hkc, and gzx alone. New tie: moa – hkc.
    assert_eq!(e.held_out_edges, 2);
    assert_eq!(e.new_ties, [(id("hkc"), id("moa"))]);
    assert_eq!(e.training_ties, 4);
    assert_eq!(e.sources, 2);
    close(e.mean_candidates, 4.0, "candidates per source");
    // moa's candidates: hka (shares gzu) 0.7, hkb (PA 2) 0.05, hkc (PA 1) 0.025, gzx 0;
    // hkc's: hka (shares hkb) 0.7, gzu (PA 2) 0.05, moa (PA 1) 0.025, gzx 0. Both ranks 3;
    // no candidate shares a field, so the score without fields orders them alike, and so does
    // preferential attachment.
    for method in [
        Method::PartnerScore,
        Method::LinkOnly,
        Method::PreferentialAttachment,
    ] {
        let r = e.results.iter().find(|r| r.method == method).expect("row");
        let got: Vec<(f64, f64)> = r.at.iter().map(|a| (a.precision, a.recall)).collect();
        assert_eq!(
            got,
            [(0.0, 0.0), (0.0, 0.0), (1.0 / 3.0, 1.0)],
            "{}",
            method.name()
        );
    }
    // Random, 4 candidates, 1 new tie: precision 1/4 at every k, recall k/4.
    let random = e
        .results
        .iter()
        .find(|r| r.method == Method::Random)
        .expect("row");
    for (a, k) in random.at.iter().zip([1.0, 2.0, 3.0]) {
        close(a.precision, 0.25, "random precision");
        close(a.recall, k / 4.0, "random recall");
    }
}

#[test]
fn years_with_nothing_to_hold_out_are_refused_or_skipped() {
    let graph = tiny_gba();
    assert_eq!(
        evaluate(&graph, Actors::Institutions, Some(2030), &[5]),
        Err(EvaluationError::YearOutOfRange {
            year: 2030,
            first: 2015,
            last: 2023
        })
    );
    assert_eq!(
        evaluate(&graph, Actors::Institutions, Some(2016), &[5]),
        Err(EvaluationError::NothingHeldOut { year: 2016 })
    );
    assert_eq!(
        evaluate(&graph, Actors::Institutions, None, &[0]),
        Err(EvaluationError::ZeroK)
    );
}

#[test]
fn on_the_seed_the_latest_years_make_no_tie_and_2023_makes_three() {
    let graph = partners_support::seed();
    let e = evaluate(&graph, Actors::Institutions, None, &[5, 10, 20]).expect("evaluation");
    // 2025 (a lab with one host) and 2024 (likewise) add no tie between institutions.
    assert_eq!(e.skipped_years, [2025, 2024]);
    assert_eq!(e.year, 2023);
    // The carbon-neutrality joint lab: Jiangmen lab, HKUST(GZ) and HKUST.
    let pairs: Vec<(&str, &str)> = e
        .new_ties
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("hkust", "hkust-gz"),
            ("hkust", "jiangmen-carbon-lab"),
            ("hkust-gz", "jiangmen-carbon-lab")
        ]
    );
}
