//! The partner finder on the hand-checkable graph of `partners_support`: every score worked
//! out by hand from the formula in the module docs, the constraints, the explanations, and the
//! arguments it refuses; then the seed's answer for Jinan University; and the sole
//! cross-border bridges into a field.

mod partners_support;

use labgraph_domain::{Id, InstitutionKind, Jurisdiction};
use labgraph_insights::partners::{PartnerError, PartnerQuery, partner_suggestions};
use partners_support::{close, id, ids, tiny_gba};

fn ask(query: &PartnerQuery) -> labgraph_insights::partners::Suggestions {
    partner_suggestions(&tiny_gba(), query).expect("suggestions")
}

#[test]
fn gzu_gets_hkb_then_hkc_then_gzx_with_the_scores_worked_out_by_hand() {
    let answer = ask(&PartnerQuery::new("gzu"));
    assert_eq!(answer.existing_partners, ids(&["hka", "moa"]));
    assert_eq!(answer.fields, ids(&["env", "tcm"]));
    assert_eq!(answer.candidates, 3);
    let ranked: Vec<&str> = answer.suggestions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ranked, ["hkb", "hkc", "gzx"]);
    // Degrees: gzu 2, hka 2, hkb 2, hkc 3, moa 2, gzx 1. Maxima over the candidates:
    // RA 1/2, AA 1/ln 2, CN 1, PA 6.
    // hkb: shares hka (degree 2): RA′ = AA′ = CN′ = 1, J = 1/3, F = |{env}|/|{env,tcm}| = 1/2,
    //      PA′ = 4/6.
    close(
        answer.suggestions[0].score,
        0.30 + 0.20 + 0.10 + 0.10 / 3.0 + 0.25 / 2.0 + 0.05 * 4.0 / 6.0,
        "hkb",
    );
    // hkc: shares moa (degree 2): RA′ = AA′ = CN′ = 1, J = 1/4, F = 0 ({ai}), PA′ = 1.
    close(
        answer.suggestions[1].score,
        0.30 + 0.20 + 0.10 + 0.10 / 4.0 + 0.05,
        "hkc",
    );
    // gzx: nothing shared, PA′ = 2/6.
    close(answer.suggestions[2].score, 0.05 * 2.0 / 6.0, "gzx");

    let hkb = &answer.suggestions[0];
    assert_eq!(hkb.rank, 1);
    assert_eq!(hkb.shared_partners, ids(&["hka"]));
    assert_eq!(hkb.shared_fields, ids(&["env"]));
    assert_eq!(hkb.distance, Some(2));
    assert_eq!(hkb.signals.link.common_neighbours, 1);
    close(hkb.signals.link.adamic_adar, 1.0 / 2f64.ln(), "hkb AA");
    close(hkb.signals.field_overlap, 0.5, "hkb F");
    let paths: Vec<Vec<_>> = hkb.paths.iter().map(|p| p.nodes.clone()).collect();
    assert_eq!(
        paths,
        [
            ids(&["gzu", "hka", "hkb"]),
            ids(&["gzu", "moa", "hkc", "hkb"])
        ]
    );
    close(
        hkb.paths[1].length,
        4.25,
        "the long way, over the stale tie",
    );
    assert_eq!(hkb.paths[0].hops[0].connectors[0].via, Some(id("lab1")));
    assert_eq!(hkb.paths[0].hops[1].connectors[0].via, Some(id("lab2")));

    let gzx = &answer.suggestions[2];
    assert_eq!(gzx.shared_partners, []);
    assert_eq!(gzx.distance, Some(3));
    assert_eq!(gzx.paths[0].nodes, ids(&["gzu", "moa", "hkc", "gzx"]));
}

#[test]
fn existing_partners_are_never_suggested() {
    for who in ["gzu", "hka", "hkb", "hkc", "moa", "gzx"] {
        let answer = ask(&PartnerQuery::new(who));
        for s in &answer.suggestions {
            assert!(!answer.existing_partners.contains(&s.id), "{who}: {}", s.id);
            assert_ne!(s.id.as_str(), who);
        }
    }
}

#[test]
fn constraints_keep_only_matching_candidates() {
    let mut q = PartnerQuery::new("gzu");
    q.target_jurisdiction = Some(Jurisdiction::HongKong);
    let got: Vec<_> = ask(&q).suggestions.into_iter().map(|s| s.id).collect();
    assert_eq!(got, ids(&["hkb", "hkc"]));

    q.target_jurisdiction = Some(Jurisdiction::Macao);
    let macao = ask(&q);
    assert_eq!(
        (macao.candidates, macao.suggestions.len()),
        (0, 0),
        "moa is a partner already"
    );

    let mut q = PartnerQuery::new("gzu");
    q.kinds = Some(vec![
        InstitutionKind::ResearchInstitute,
        InstitutionKind::Enterprise,
    ]);
    let got: Vec<_> = ask(&q).suggestions.into_iter().map(|s| s.id).collect();
    assert_eq!(got, ids(&["hkc", "gzx"]));

    // `digital` is the parent of `ai`, which hkc works on through lab5.
    let mut q = PartnerQuery::new("gzu");
    q.fields = Some(vec!["digital".into()]);
    let got: Vec<_> = ask(&q).suggestions.into_iter().map(|s| s.id).collect();
    assert_eq!(got, ids(&["hkc"]));

    let mut q = PartnerQuery::new("gzu");
    q.first = 1;
    let got: Vec<_> = ask(&q).suggestions.into_iter().map(|s| s.id).collect();
    assert_eq!(got, ids(&["hkb"]));
}

#[test]
fn bad_arguments_are_refused_naming_the_argument() {
    let graph = tiny_gba();
    let err = |q: PartnerQuery| partner_suggestions(&graph, &q).expect_err("refused");
    assert_eq!(
        err(PartnerQuery::new("atlantis")),
        PartnerError::UnknownNode {
            argument: "for",
            id: "atlantis".into()
        }
    );
    assert_eq!(
        err(PartnerQuery::new("lab1")).to_string(),
        "for: lab1 is of kind lab, not an institution or a person"
    );
    let mut q = PartnerQuery::new("gzu");
    q.fields = Some(vec![]);
    assert_eq!(err(q), PartnerError::EmptyList { argument: "fields" });
    let mut q = PartnerQuery::new("gzu");
    q.fields = Some(vec!["env".into(), "hka".into()]);
    assert_eq!(
        err(q).to_string(),
        "fields: hka is of kind institution, not a field"
    );
    let mut q = PartnerQuery::new("gzu");
    q.fields = Some(vec!["alchemy".into()]);
    assert_eq!(
        err(q),
        PartnerError::UnknownNode {
            argument: "fields",
            id: "alchemy".into()
        }
    );
    let mut q = PartnerQuery::new("gzu");
    q.kinds = Some(vec![]);
    assert_eq!(err(q), PartnerError::EmptyList { argument: "kinds" });
    for first in [0, 51] {
        let mut q = PartnerQuery::new("gzu");
        q.first = first;
        assert_eq!(err(q), PartnerError::FirstOutOfRange { first, max: 50 });
    }
}

#[test]
fn on_the_seed_jinan_university_is_one_introduction_from_polyu_in_its_own_field() {
    let graph = partners_support::seed();
    let mut q = PartnerQuery::new("jnu");
    q.target_jurisdiction = Some(Jurisdiction::HongKong);
    q.fields = Some(vec!["environment".into()]);
    let answer = partner_suggestions(&graph, &q).expect("suggestions");
    // JNU hosts the environmental quality joint lab (2019) with HKUST and MUST as partners.
    assert_eq!(answer.existing_partners, ids(&["hkust", "must"]));
    assert_eq!(answer.fields, ids(&["environment"]));
    // PolyU works on the environment (two labs) and shares the coastal-city climate lab with
    // HKUST: one introduction away. HKUST itself is a partner already.
    let polyu = &answer.suggestions[0];
    assert_eq!(polyu.id.as_str(), "polyu");
    assert_eq!(polyu.shared_partners, ids(&["hkust"]));
    assert_eq!(polyu.shared_fields, ids(&["environment"]));
    assert_eq!(polyu.distance, Some(2));
    assert_eq!(polyu.paths[0].nodes, ids(&["jnu", "hkust", "polyu"]));
    assert_eq!(
        polyu.paths[0].hops[1].connectors[0].via,
        Some(id("hk-skl-coastal-city-climate-resilience"))
    );
    assert!(answer.suggestions.iter().all(|s| s.id.as_str() != "hkust"));
}

#[test]
fn sole_bridges_are_the_cross_border_partners_alone_in_a_field() {
    use labgraph_insights::partners::sole_bridges;
    let graph = tiny_gba();
    // gzu's cross-border partners: hka (Hong Kong; env through lab1 and lab2) and moa (Macao;
    // tcm through lab4, ai through lab5). Each is alone in its fields.
    let got = sole_bridges(&graph, "gzu").expect("bridges");
    let rows: Vec<(&str, Vec<Id>, Vec<Id>)> = got
        .iter()
        .map(|b| (b.partner.as_str(), b.fields.clone(), b.own_fields.clone()))
        .collect();
    assert_eq!(
        rows,
        [
            ("hka", ids(&["env"]), ids(&["env"])),
            ("moa", ids(&["ai", "tcm"]), ids(&["tcm"])),
        ]
    );
    assert_eq!(got[1].tie.connectors[0].via, Some(id("lab4")));
    // hkc: hkb is in Hong Kong too (not cross-border); gzx works on no field.
    let got = sole_bridges(&graph, "hkc").expect("bridges");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].partner.as_str(), "moa");
    assert_eq!(
        sole_bridges(&graph, "lab1").expect_err("a lab").to_string(),
        "for: lab1 is of kind lab, not an institution or a person"
    );
}

#[test]
fn on_the_seed_jinan_university_has_two_partners_in_environment_so_neither_is_sole_there() {
    use labgraph_insights::partners::sole_bridges;
    let graph = partners_support::seed();
    let got = sole_bridges(&graph, "jnu").expect("bridges");
    let rows: Vec<(&str, Vec<Id>)> = got
        .iter()
        .map(|b| (b.partner.as_str(), b.fields.clone()))
        .collect();
    // HKUST and MUST both work on the environment; the rest of their fields only one has.
    assert_eq!(
        rows,
        [
            ("hkust", ids(&["carbon-neutrality", "marine", "multi"])),
            ("must", ids(&["mathematics", "space", "tcm"])),
        ]
    );
    assert!(got.iter().all(|b| b.own_fields.is_empty()));
}
