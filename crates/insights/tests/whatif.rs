//! What-if on the hand-drawn graph of `gaps_support::gap_graph`: a lab joining Zhanjiang to
//! Hong Kong, the loss of Shenzhen's sz1, and every way a proposal can be refused. Expected
//! figures are worked out by hand in the comments.

mod gaps_support;

use gaps_support::{gap_graph, id};
use labgraph_domain::EdgeKind;
use labgraph_insights::InsightError;
use labgraph_insights::gaps::Area;
use labgraph_insights::whatif::{
    ComponentChange, ComponentPart, Distance, GapChange, Proposal, ProposedLab, ProposedTie,
    Summary, what_if,
};

/// (id, before, after, rank before, rank after) of a betweenness shift.
type Shift<'a> = (
    &'a str,
    Option<f64>,
    Option<f64>,
    Option<usize>,
    Option<usize>,
);
/// (id, to HK before, after, to Macao before, after) of a distance change.
type Hops<'a> = (&'a str, Option<u32>, Option<u32>, Option<u32>, Option<u32>);

fn part(first: &str, size: usize) -> ComponentPart {
    ComponentPart {
        first: id(first),
        size,
    }
}

fn zhanjiang_lab() -> ProposedLab {
    ProposedLab {
        partners: vec![id("zj1"), id("hk1")],
        fields: vec![id("bio")],
        ..ProposedLab::default()
    }
}

#[test]
fn a_lab_joining_zhanjiang_to_hong_kong() {
    let g = gap_graph();
    let (version, edges) = (g.version(), g.edge_count());
    let got = what_if(
        &g,
        &Proposal {
            labs: vec![zhanjiang_lab()],
            ..Proposal::default()
        },
    )
    .expect("a valid proposal");
    // Nothing stored: the graph handed in is as it was.
    assert_eq!((g.version(), g.edge_count()), (version, edges));

    // Before: ties gz1–hk1, st1–gz1, gz2–sz1, sz1–hk2, mo1–hk2 (three cross-border);
    // components {gz1 hk1 st1}, {gz2 hk2 mo1 sz1}, {zj1}. After: + zj1–hk1.
    assert_eq!(
        got.before,
        Summary {
            institutions: 8,
            ties: 5,
            cross_border_ties: 3,
            components: 3,
            isolated: 1,
            largest_component: 4
        }
    );
    assert_eq!(
        got.after,
        Summary {
            institutions: 8,
            ties: 6,
            cross_border_ties: 4,
            components: 2,
            isolated: 0,
            largest_component: 4
        }
    );
    assert_eq!(
        got.delta.joined,
        [ComponentChange {
            size: 4,
            parts: vec![part("gz1", 3), part("zj1", 1)]
        }]
    );
    assert_eq!(got.delta.split, []);
    assert_eq!(
        got.delta.distances,
        [Distance {
            id: id("zj1"),
            to_hk_before: None,
            to_hk_after: Some(1),
            to_macao_before: None,
            to_macao_after: None
        }]
    );
    assert!(got.delta.distances[0].shortens());
    // Zhanjiang × bio had zj1 and no cross-border tie; now it has zj1–hk1.
    assert_eq!(
        got.delta.gaps_closed,
        [GapChange {
            area: Area::City(id("zhanjiang")),
            field: id("bio"),
            observed_before: 0,
            observed_after: 1
        }]
    );
    assert_eq!(got.delta.gaps_opened, []);

    // Betweenness, normalised over (8−1)(8−2)/2 = 21 pairs. Before: gz1 carries st1…hk1
    // (1/21), sz1 carries gz2…hk2 and gz2…mo1 (2/21), hk2 carries sz1…mo1 and gz2…mo1 (2/21).
    // After, the chain zj1–hk1–gz1–st1: hk1 and gz1 carry two pairs each (2/21). Nodes on
    // no shortest path (0 before and after) are no brokers and are left out.
    let shifts: Vec<Shift<'_>> = got
        .delta
        .betweenness
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.before,
                s.after,
                s.rank_before,
                s.rank_after,
            )
        })
        .collect();
    let (one, two) = (Some(1.0 / 21.0), Some(2.0 / 21.0));
    let z = Some(0.0);
    let want = [
        ("gz1", one, two, Some(3), Some(1)),
        ("hk1", z, two, Some(5), Some(2)),
        ("hk2", two, two, Some(1), Some(3)),
        ("sz1", two, two, Some(2), Some(4)),
    ];
    assert_eq!(shifts.len(), want.len(), "{shifts:?}");
    for (g, w) in shifts.iter().zip(want) {
        assert_eq!((g.0, g.3, g.4), (w.0, w.3, w.4), "{g:?}");
        for (a, b) in [(g.1, w.1), (g.2, w.2)] {
            let (a, b) = (a.expect("scored"), b.expect("scored"));
            assert!((a - b).abs() < 1e-12, "{g:?}: want {w:?}");
        }
    }
}

#[test]
fn losing_shenzhen_splits_its_component_and_opens_a_gap() {
    let got = what_if(
        &gap_graph(),
        &Proposal {
            remove: vec![id("sz1")],
            ..Proposal::default()
        },
    )
    .expect("a valid proposal");
    // Left: gz1–hk1, st1–gz1, mo1–hk2; gz2 and zj1 alone.
    assert_eq!(
        got.after,
        Summary {
            institutions: 7,
            ties: 3,
            cross_border_ties: 2,
            components: 4,
            isolated: 2,
            largest_component: 3
        }
    );
    assert_eq!(got.delta.joined, []);
    assert_eq!(
        got.delta.split,
        [ComponentChange {
            size: 4,
            parts: vec![part("hk2", 2), part("gz2", 1)]
        }]
    );
    assert_eq!(
        got.delta.distances,
        [Distance {
            id: id("gz2"),
            to_hk_before: Some(2),
            to_hk_after: None,
            to_macao_before: Some(3),
            to_macao_after: None
        }]
    );
    assert!(!got.delta.distances[0].shortens());
    assert_eq!(got.delta.gaps_closed, []);
    assert_eq!(
        got.delta.gaps_opened,
        [GapChange {
            area: Area::City(id("shenzhen")),
            field: id("bio"),
            observed_before: 1,
            observed_after: 0
        }]
    );
    // sz1 is gone: listed with no score after and ranked last.
    let last = got.delta.betweenness.last().expect("shifts");
    assert_eq!(
        (last.id.as_str(), last.after, last.rank_after),
        ("sz1", None, None)
    );
}

#[test]
fn a_collaboration_tie_counts_like_a_shared_lab() {
    let got = what_if(
        &gap_graph(),
        &Proposal {
            ties: vec![ProposedTie {
                a: id("st1"),
                b: id("mo1"),
                kind: EdgeKind::CollaboratesWith,
                strength: Some(3.0),
            }],
            ..Proposal::default()
        },
    )
    .expect("a valid proposal");
    // st1–mo1 joins the two big components; st1 is now 1 from Macao, gz1 2, hk1 3;
    // gz2, sz1 and hk2 were already nearer Macao through hk2.
    assert_eq!(got.after.components, 2);
    assert_eq!(
        got.delta.joined,
        [ComponentChange {
            size: 7,
            parts: vec![part("gz2", 4), part("gz1", 3)]
        }]
    );
    let changed: Vec<Hops<'_>> = got
        .delta
        .distances
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.to_hk_before,
                d.to_hk_after,
                d.to_macao_before,
                d.to_macao_after,
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            ("gz1", Some(1), Some(1), None, Some(2)),
            ("hk1", Some(0), Some(0), None, Some(3)),
            ("st1", Some(2), Some(2), None, Some(1)),
        ]
    );
}

fn refused(proposal: Proposal) -> InsightError {
    what_if(&gap_graph(), &proposal).expect_err("a bad proposal")
}

fn lab(partners: &[&str]) -> ProposedLab {
    ProposedLab {
        partners: partners.iter().map(|p| id(p)).collect(),
        ..ProposedLab::default()
    }
}

fn tie(a: &str, b: &str, kind: EdgeKind, strength: Option<f64>) -> ProposedTie {
    ProposedTie {
        a: id(a),
        b: id(b),
        kind,
        strength,
    }
}

#[test]
fn bad_proposals_are_refused_naming_the_argument() {
    let labs = |labs: Vec<ProposedLab>| Proposal {
        labs,
        ..Proposal::default()
    };
    let ties = |ties: Vec<ProposedTie>| Proposal {
        ties,
        ..Proposal::default()
    };
    let msg = |p: Proposal| refused(p).to_string();
    assert_eq!(
        refused(labs(vec![lab(&["gz1", "atlantis"])])),
        InsightError::UnknownNode {
            argument: "add.labs[0].partners[1]".into(),
            id: "atlantis".into()
        }
    );
    assert_eq!(
        msg(labs(vec![lab(&["gz1", "guangzhou"])])),
        "add.labs[0].partners[1]: an institution is wanted, but \"guangzhou\" is of kind city"
    );
    assert_eq!(
        msg(labs(vec![lab(&["gz1"])])),
        "add.labs[0].partners: a joint lab needs two or more partners to tie anyone; 1 given"
    );
    assert_eq!(
        msg(labs(vec![lab(&["gz1", "gz1"])])),
        "add.labs[0].partners[1]: gz1 is given twice"
    );
    assert_eq!(
        msg(labs(vec![ProposedLab {
            id: Some(id("l1")),
            ..lab(&["gz1", "hk2"])
        }])),
        "add.labs[0].id: l1 is already taken: give the proposed lab a new id"
    );
    assert_eq!(
        msg(labs(vec![ProposedLab {
            fields: vec![id("gz2")],
            ..lab(&["gz1", "hk2"])
        }])),
        "add.labs[0].fields[0]: a field is wanted, but \"gz2\" is of kind institution"
    );
    assert_eq!(
        msg(labs(vec![ProposedLab {
            city: Some(id("bio")),
            ..lab(&["gz1", "hk2"])
        }])),
        "add.labs[0].city: a city is wanted, but \"bio\" is of kind field"
    );
    assert_eq!(
        msg(ties(vec![tie(
            "gz1",
            "gz1",
            EdgeKind::CollaboratesWith,
            None
        )])),
        "add.ties[0].b: a tie joins two institutions; gz1 is given at both ends"
    );
    assert_eq!(
        msg(ties(vec![tie("gz1", "hk2", EdgeKind::PartnerIn, None)])),
        "add.ties[0].kind: partner_in cannot join two institutions: a proposed tie is collaborates_with (propose a lab for a shared lab)"
    );
    assert_eq!(
        msg(ties(vec![tie(
            "gz1",
            "hk2",
            EdgeKind::CollaboratesWith,
            Some(0.0)
        )])),
        "add.ties[0].strength: 0 is not a positive number"
    );
    assert_eq!(
        msg(Proposal::default()),
        "add: the proposal adds and removes nothing"
    );
    assert_eq!(
        msg(Proposal {
            remove: vec![id("nowhere")],
            ..Proposal::default()
        }),
        "remove[0]: no node with id \"nowhere\""
    );
    assert_eq!(
        msg(Proposal {
            remove: vec![id("hk2")],
            ..ties(vec![tie("gz1", "hk2", EdgeKind::CollaboratesWith, None)])
        }),
        "add.ties[0].b: hk2 is removed by remove[0]"
    );
    // A city still referenced by institutions cannot go: the domain's own check, passed on.
    let err = msg(Proposal {
        remove: vec![id("macao")],
        ..Proposal::default()
    });
    assert!(
        err.starts_with("remove[0]: node macao cannot be deleted"),
        "{err}"
    );
    assert_eq!(
        msg(Proposal {
            as_of: Some(1066),
            ..labs(vec![zhanjiang_lab()])
        }),
        "asOf: 1066 is outside the years 1900..=2100"
    );
}

#[test]
fn two_proposed_labs_get_their_own_ids() {
    let got = what_if(
        &gap_graph(),
        &Proposal {
            labs: vec![zhanjiang_lab(), lab(&["st1", "hk2"])],
            ..Proposal::default()
        },
    )
    .expect("valid");
    // Everything in one component: zj1–hk1–gz1–st1–hk2–...
    assert_eq!(got.after.components, 1);
    assert_eq!(got.after.ties, 7);
}
