//! The gap answers on the hand-drawn graph of `gaps_support::gap_graph`, with every expected
//! figure worked out by hand in the comments (degrees, 2m, the configuration-model sums).

mod gaps_support;

use gaps_support::{gap_graph, id, ids};
use labgraph_domain::Region;
use labgraph_insights::InsightError;
use labgraph_insights::gaps::{self, Area, AreaLevel, AtRisk, FieldGap, GapParams, WeakPoint};

/// (area key, field, institutions, observed, expected, ratio) of every cell.
type Row = (String, String, usize, usize, f64, Option<f64>);

fn rows(level: AreaLevel, fields: Option<&[labgraph_domain::Id]>) -> Vec<Row> {
    gaps::gap_matrix(&gap_graph(), level, fields, None)
        .expect("valid arguments")
        .into_iter()
        .map(|c| {
            (
                c.area.key().to_owned(),
                c.field.to_string(),
                c.institutions,
                c.observed,
                c.expected,
                c.ratio,
            )
        })
        .collect()
}

/// A cell as the test writes it: (area key, field, institutions, observed, expected, ratio).
type Want<'a> = (&'a str, &'a str, usize, usize, f64, Option<f64>);

fn assert_rows(got: &[Row], want: &[Want<'_>]) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(
            (g.0.as_str(), g.1.as_str(), g.2, g.3),
            (w.0, w.1, w.2, w.3),
            "{g:?}"
        );
        assert!((g.4 - w.4).abs() < 1e-12, "expected of {g:?}: want {}", w.4);
        match (g.5, w.5) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "ratio of {g:?}: want {b}"),
            (a, b) => assert_eq!(a, b, "ratio of {g:?}"),
        }
    }
}

#[test]
fn city_by_field_matrix_counts_ties_and_expects_by_configuration_model() {
    // ai (with ai-vision): ties gz1–hk1 (l1), st1–gz1 (l4); m = 2, degrees gz1 2, hk1 1,
    // st1 1; K = 4, K_mainland = 3, K_hk = 1. expected(guangzhou) = 2·(4−3)/4 = 0.5,
    // expected(hong-kong) = 1·(4−1)/4 = 0.75, expected(shantou) = 1·1/4 = 0.25.
    // ai-vision: only st1–gz1, domestic: nothing expected across the border.
    // bio: ties gz2–sz1, sz1–hk2, mo1–hk2 (zj1 works on bio with no tie); m = 3, 2m = 6;
    // degrees gz2 1, sz1 2, hk2 2, mo1 1, zj1 0; K = 6, K_mainland = 3, K_hk = 2, K_macao = 1.
    // guangzhou 1·3/6, hong-kong 2·4/6, macao 1·5/6, shenzhen 2·3/6, zhanjiang 0.
    // quantum: no institution, no cell.
    assert_rows(
        &rows(AreaLevel::City, None),
        &[
            ("guangzhou", "ai", 1, 1, 0.5, Some(2.0)),
            ("hong-kong", "ai", 1, 1, 0.75, Some(1.0 / 0.75)),
            ("shantou", "ai", 1, 0, 0.25, Some(0.0)),
            ("guangzhou", "ai-vision", 1, 0, 0.0, None),
            ("shantou", "ai-vision", 1, 0, 0.0, None),
            ("guangzhou", "bio", 1, 0, 0.5, Some(0.0)),
            ("hong-kong", "bio", 1, 2, 8.0 / 6.0, Some(1.5)),
            ("macao", "bio", 1, 1, 5.0 / 6.0, Some(1.2)),
            ("shenzhen", "bio", 1, 1, 1.0, Some(1.0)),
            ("zhanjiang", "bio", 1, 0, 0.0, None),
        ],
    );
}

#[test]
fn region_rows_add_up_the_cities_and_count_each_tie_once() {
    // bio by region: GD_PRD holds gz2 and sz1 and one cross-border tie (sz1–hk2);
    // the domestic gz2–sz1 is not counted; expected 0.5 + 1.0.
    assert_rows(
        &rows(AreaLevel::Region, Some(&ids(&["bio"]))),
        &[
            ("hk", "bio", 1, 2, 8.0 / 6.0, Some(1.5)),
            ("macao", "bio", 1, 1, 5.0 / 6.0, Some(1.2)),
            ("gd_prd", "bio", 2, 1, 1.5, Some(1.0 / 1.5)),
            ("gd_west", "bio", 1, 0, 0.0, None),
        ],
    );
}

#[test]
fn gap_cells_are_those_with_institutions_and_no_cross_border_tie() {
    let cells = gaps::gap_matrix(&gap_graph(), AreaLevel::City, None, None).expect("valid");
    let gaps: Vec<(&str, &str)> = cells
        .iter()
        .filter(|c| c.is_gap())
        .map(|c| (c.area.key(), c.field.as_str()))
        .collect();
    assert_eq!(
        gaps,
        [
            ("shantou", "ai"),
            ("guangzhou", "ai-vision"),
            ("shantou", "ai-vision"),
            ("guangzhou", "bio"),
            ("zhanjiang", "bio"),
        ]
    );
}

#[test]
fn reach_gives_hops_to_hong_kong_and_macao() {
    // gz1–hk1: gz1 1 from HK; st1 2 (st1–gz1–hk1); no Macao on that side.
    // gz2–sz1–hk2–mo1: sz1 1 from HK, 2 from Macao; gz2 2 and 3. zj1 has no tie.
    let reach = gaps::reach(&gap_graph(), 1, None).expect("valid");
    let got: Vec<(&str, Option<u32>, Option<u32>)> = reach
        .institutions
        .iter()
        .map(|r| (r.id.as_str(), r.to_hk, r.to_macao))
        .collect();
    assert_eq!(
        got,
        [
            ("gz1", Some(1), None),
            ("gz2", Some(2), Some(3)),
            ("st1", Some(2), None),
            ("sz1", Some(1), Some(2)),
            ("zj1", None, None),
        ]
    );
    let unreached: Vec<&str> = reach
        .unreached_institutions()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(unreached, ["gz2", "st1", "zj1"]);
    let cities: Vec<(&str, usize, Option<u32>, Option<u32>)> = reach
        .cities
        .iter()
        .map(|c| (c.city.as_str(), c.institutions, c.to_hk, c.to_macao))
        .collect();
    assert_eq!(
        cities,
        [
            ("guangzhou", 2, Some(1), Some(3)),
            ("meizhou", 0, None, None),
            ("shantou", 1, Some(2), None),
            ("shenzhen", 1, Some(1), Some(2)),
            ("zhanjiang", 1, None, None),
        ]
    );
    let unreached: Vec<&str> = reach.unreached_cities().map(|c| c.city.as_str()).collect();
    assert_eq!(unreached, ["meizhou", "shantou", "zhanjiang"]);
    let regions: Vec<(Region, usize, usize, usize, usize)> = reach
        .regions
        .iter()
        .map(|r| {
            (
                r.region,
                r.institutions,
                r.within_k_of_hk,
                r.within_k_of_macao,
                r.unreached,
            )
        })
        .collect();
    assert_eq!(
        regions,
        [
            (Region::GdPrd, 3, 2, 0, 1),
            (Region::GdEast, 1, 0, 0, 1),
            (Region::GdWest, 1, 0, 0, 1),
            (Region::GdNorth, 0, 0, 0, 0),
        ]
    );

    // Two ties away, only zj1 (and the empty Meizhou) stay out of reach.
    let reach = gaps::reach(&gap_graph(), 2, None).expect("valid");
    let unreached: Vec<&str> = reach
        .unreached_institutions()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(unreached, ["zj1"]);
    let unreached: Vec<&str> = reach.unreached_cities().map(|c| c.city.as_str()).collect();
    assert_eq!(unreached, ["meizhou", "zhanjiang"]);
}

#[test]
fn fields_without_a_cross_border_lab_include_fields_without_labs() {
    // ai: l1 joins gz1 and hk1; bio: l3 and l5 cross; ai-vision: only l4, domestic;
    // quantum: no lab at all.
    let got = gaps::fields_without_cross_border_lab(&gap_graph(), None).expect("valid");
    assert_eq!(
        got,
        [
            FieldGap {
                field: id("ai-vision"),
                labs: 1
            },
            FieldGap {
                field: id("quantum"),
                labs: 0
            },
        ]
    );
}

#[test]
fn bridges_at_risk_list_what_each_loss_cuts_off() {
    // Both components are trees, so every tie is a bridge; gz1, hk2 and sz1 are cut points.
    let got = gaps::bridges_at_risk(&gap_graph(), None).expect("valid");
    let risk = |point: WeakPoint, hk: &[&str], macao: &[&str]| AtRisk {
        point,
        cut_off_from_hk: ids(hk),
        cut_off_from_macao: ids(macao),
    };
    let tie = |a: &str, b: &str| WeakPoint::Tie(id(a), id(b));
    let inst = |a: &str| WeakPoint::Institution(id(a));
    assert_eq!(
        got,
        [
            risk(tie("gz1", "hk1"), &["gz1", "st1"], &[]),
            risk(tie("gz1", "st1"), &["st1"], &[]),
            risk(tie("gz2", "sz1"), &["gz2"], &["gz2"]),
            risk(tie("hk2", "mo1"), &[], &["gz2", "sz1"]),
            risk(tie("hk2", "sz1"), &["gz2", "sz1"], &["gz2", "sz1"]),
            risk(inst("gz1"), &["st1"], &[]),
            risk(inst("hk2"), &["gz2", "sz1"], &["gz2", "sz1"]),
            risk(inst("sz1"), &["gz2"], &["gz2"]),
        ]
    );
}

#[test]
fn a_second_path_takes_the_risk_away() {
    // A cycle gz1–hk1–st1: no bridge, no cut point on that side any more.
    let mut b = gaps_support::Builder::default();
    b.city("guangzhou", Region::GdPrd)
        .city("hong-kong", Region::Hk)
        .institution("gz1", "guangzhou")
        .institution("gz2", "guangzhou")
        .institution("hk1", "hong-kong")
        .lab("l1", None, &["gz1", "hk1"], &[], None, None)
        .lab("l2", None, &["gz2", "gz1"], &[], None, None)
        .lab("l3", None, &["gz2", "hk1"], &[], None, None);
    assert_eq!(gaps::bridges_at_risk(&b.build(), None).expect("valid"), []);
}

#[test]
fn bad_arguments_are_named() {
    let g = gap_graph();
    let err = gaps::reach(&g, 0, None).expect_err("k = 0");
    assert_eq!(
        err.to_string(),
        "k: 0 is out of range: paths of 1 to 6 ties"
    );
    let err = gaps::reach(&g, 7, None).expect_err("k too large");
    assert!(matches!(err, InsightError::Invalid { ref argument, .. } if argument == "k"));
    let err = gaps::gap_matrix(&g, AreaLevel::City, Some(&[]), None).expect_err("empty");
    assert!(
        err.to_string()
            .starts_with("fields: the list of fields is empty"),
        "{err}"
    );
    let err = gaps::gap_matrix(&g, AreaLevel::City, Some(&ids(&["bio", "nowhere"])), None)
        .expect_err("unknown");
    assert_eq!(
        err,
        InsightError::UnknownNode {
            argument: "fields[1]".into(),
            id: "nowhere".into()
        }
    );
    let err = gaps::gap_matrix(&g, AreaLevel::City, Some(&ids(&["gz1"])), None).expect_err("kind");
    assert_eq!(
        err.to_string(),
        "fields[0]: a field is wanted, but \"gz1\" is of kind institution"
    );
    let err = gaps::gaps(
        &g,
        &GapParams {
            as_of: Some(3000),
            ..GapParams::default()
        },
    )
    .expect_err("year");
    assert_eq!(
        err.to_string(),
        "asOf: 3000 is outside the years 1900..=2100"
    );
}

#[test]
fn gaps_bundles_the_three_answers() {
    let g = gap_graph();
    let all = gaps::gaps(&g, &GapParams::default()).expect("valid");
    assert_eq!(all.reach.k, 2);
    assert_eq!(all.matrix.len(), 10);
    assert_eq!(all.fields_without_cross_border_lab.len(), 2);
    assert_eq!(all.matrix[0].area, Area::City(id("guangzhou")));
}

#[test]
fn communities_without_a_tie_between_them() {
    use labgraph_domain::Jurisdiction::{HongKong, Macao, Mainland};
    use labgraph_insights::gaps::Community;
    // m = 5. Each path is one community: {gz1 hk1 st1} scores 2/5 − (4/10)² = 0.24 whole,
    // 0.10 split; {gz2 sz1 hk2 mo1} 3/5 − (6/10)² = 0.24 whole, 0.22 split in halves.
    // zj1 alone is no community. The two paths have no tie between them.
    let got = gaps::community_pairs_without_tie(&gap_graph(), None).expect("valid");
    assert_eq!(
        got.communities,
        [
            Community {
                index: 0,
                members: ids(&["gz2", "hk2", "mo1", "sz1"]),
                jurisdictions: [Mainland, HongKong, Macao].into(),
            },
            Community {
                index: 1,
                members: ids(&["gz1", "hk1", "st1"]),
                jurisdictions: [Mainland, HongKong].into(),
            },
        ]
    );
    assert_eq!(got.untied, [(0, 1)]);
}

#[test]
fn communities_joined_by_a_bridge_are_tied() {
    // Two triangles joined by the bridge a3–b1, and a third triangle apart: the three
    // triangles are the communities; only the third is untied with the others.
    let mut b = gaps_support::Builder::default();
    b.city("guangzhou", Region::GdPrd)
        .city("hong-kong", Region::Hk);
    for i in ["a1", "a2", "a3", "b1", "b2", "b3"] {
        b.institution(i, "guangzhou");
    }
    for i in ["c1", "c2", "c3"] {
        b.institution(i, "hong-kong");
    }
    for (lab, pair) in [
        ("l1", ["a1", "a2"]),
        ("l2", ["a2", "a3"]),
        ("l3", ["a1", "a3"]),
        ("l4", ["b1", "b2"]),
        ("l5", ["b2", "b3"]),
        ("l6", ["b1", "b3"]),
        ("l7", ["a3", "b1"]),
        ("l8", ["c1", "c2"]),
        ("l9", ["c2", "c3"]),
        ("l10", ["c1", "c3"]),
    ] {
        b.lab(lab, None, &pair, &[], None, None);
    }
    let got = gaps::community_pairs_without_tie(&b.build(), None).expect("valid");
    let members: Vec<Vec<&str>> = got
        .communities
        .iter()
        .map(|c| c.members.iter().map(|m| m.as_str()).collect())
        .collect();
    assert_eq!(
        members,
        [
            vec!["a1", "a2", "a3"],
            vec!["b1", "b2", "b3"],
            vec!["c1", "c2", "c3"]
        ]
    );
    assert_eq!(got.untied, [(0, 2), (1, 2)]);
}
