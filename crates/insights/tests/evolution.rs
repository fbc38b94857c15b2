//! Evolution and tie changes on a four-institution graph whose ties begin and end in known
//! years; every figure is worked out by hand in the comments.

mod gaps_support;

use gaps_support::{Builder, id};
use labgraph_domain::{Graph, Region, TieClass};
use labgraph_insights::InsightError;
use labgraph_insights::evolution::{TieChange, evolution, tie_changes};

/// a, b in Guangzhou, h in Hong Kong, m in Macao.
/// l1 (batch 2018): a–h from 2018. l2 (batch 2020): a–b from 2020.
/// l3 (no year, so it always exists): b–m from 2019 to 2021.
fn graph() -> Graph {
    let mut b = Builder::default();
    b.city("guangzhou", Region::GdPrd)
        .city("hong-kong", Region::Hk)
        .city("macao", Region::Macao)
        .institution("a", "guangzhou")
        .institution("b", "guangzhou")
        .institution("h", "hong-kong")
        .institution("m", "macao")
        .lab("l1", Some(2018), &["a", "h"], &[], Some(2018), None)
        .lab("l2", Some(2020), &["a", "b"], &[], Some(2020), None)
        .lab("l3", None, &["b", "m"], &[], Some(2019), Some(2021));
    b.build()
}

#[test]
fn year_by_year_figures() {
    let years = evolution(&graph(), 2017, 2022).expect("valid years");
    type Row = (
        i32,
        usize,
        usize,
        usize,
        usize,
        Option<f64>,
        Option<f64>,
        usize,
    );
    let got: Vec<Row> = years
        .iter()
        .map(|y| {
            (
                y.year,
                y.institutions,
                y.labs,
                y.ties,
                y.cross_border_ties,
                y.cross_border_share,
                y.density,
                y.components,
            )
        })
        .collect();
    // 2017: only l3 exists, with no tie yet. 2018: a–h. 2019: + b–m (two components).
    // 2020–2021: + a–b, the chain h–a–b–m: density 3 / 6. 2022: b–m has ended: h–a–b,
    // density 2 / 3.
    let want: Vec<Row> = vec![
        (2017, 0, 1, 0, 0, None, None, 0),
        (2018, 2, 2, 1, 1, Some(1.0), Some(1.0), 1),
        (2019, 4, 2, 2, 2, Some(1.0), Some(2.0 * 2.0 / 12.0), 2),
        (2020, 4, 3, 3, 2, Some(2.0 / 3.0), Some(0.5), 1),
        (2021, 4, 3, 3, 2, Some(2.0 / 3.0), Some(0.5), 1),
        (2022, 3, 3, 2, 1, Some(0.5), Some(2.0 / 3.0), 1),
    ];
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(
            (g.0, g.1, g.2, g.3, g.4, g.7),
            (w.0, w.1, w.2, w.3, w.4, w.7)
        );
        for (a, b) in [(g.5, w.5), (g.6, w.6)] {
            match (a, b) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{g:?} want {w:?}"),
                (a, b) => assert_eq!(a, b, "{g:?}"),
            }
        }
    }
    // Betweenness over the four institutions, normalised by (4−1)(4−2)/2 = 3 pairs:
    // 2020 chain h–a–b–m: a carries h…b and h…m, b carries a…m and h…m: 2/3 each.
    // 2022 chain h–a–b: a carries h…b: 1/3. Before 2020 nobody is between anyone.
    let brokers: Vec<Vec<(&str, f64)>> = years
        .iter()
        .map(|y| {
            y.top_brokers
                .iter()
                .map(|(i, s)| (i.as_str(), *s))
                .collect()
        })
        .collect();
    assert_eq!(brokers[..3], [vec![], vec![], vec![]]);
    for (year, want) in [
        (3, vec![("a", 2.0 / 3.0), ("b", 2.0 / 3.0)]),
        (5, vec![("a", 1.0 / 3.0)]),
    ] {
        assert_eq!(brokers[year].len(), want.len(), "{:?}", brokers[year]);
        for ((gi, gs), (wi, ws)) in brokers[year].iter().zip(want) {
            assert_eq!(*gi, wi);
            assert!((gs - ws).abs() < 1e-12, "{gi}: {gs} want {ws}");
        }
    }
}

fn change(a: &str, b: &str, class: TieClass, year: i32) -> TieChange {
    TieChange {
        a: id(a),
        b: id(b),
        class: Some(class),
        year,
    }
}

#[test]
fn new_and_ended_ties_with_their_years() {
    // 2017 → 2022: a–h (from 2018) and a–b (from 2020) are new; b–m began and ended
    // within the span, so it is in neither list.
    let got = tie_changes(&graph(), 2017, 2022).expect("valid years");
    assert_eq!(
        got.new,
        [
            change("a", "h", TieClass::MainlandHk, 2018),
            change("a", "b", TieClass::Domestic, 2020),
        ]
    );
    assert_eq!(got.ended, []);
    // 2019 → 2022: a–b is new; b–m held last in 2021.
    let got = tie_changes(&graph(), 2019, 2022).expect("valid years");
    assert_eq!(got.new, [change("a", "b", TieClass::Domestic, 2020)]);
    assert_eq!(got.ended, [change("b", "m", TieClass::MainlandMacao, 2021)]);
    // One year: nothing can change.
    let got = tie_changes(&graph(), 2020, 2020).expect("valid years");
    assert!(got.new.is_empty() && got.ended.is_empty());
}

#[test]
fn bad_years_are_refused() {
    let g = graph();
    let msg = |from, to| evolution(&g, from, to).expect_err("bad years").to_string();
    assert_eq!(msg(2022, 2019), "from: 2022 is after to (2019)");
    assert_eq!(
        msg(1800, 2019),
        "from: 1800 is outside the years 1900..=2100"
    );
    assert_eq!(msg(2019, 2200), "to: 2200 is outside the years 1900..=2100");
    assert_eq!(
        msg(1950, 2019),
        "to: 1950..=2019 spans 70 years; at most 50 at a time"
    );
    assert!(matches!(
        tie_changes(&g, 2020, 2019),
        Err(InsightError::Invalid { ref argument, .. }) if argument == "from"
    ));
}
