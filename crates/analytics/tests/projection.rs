//! Projections of hand-built graphs (evidence blend, every filter) and of the real seed graph
//! (which must match the committed edge list NetworkX's fixture was computed on).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use labgraph_analytics::projection::{
    Filter, Weighting, institution_lab_network, institution_network, person_network,
};
use labgraph_analytics::{Network, ProjectionError, read_edge_list, write_edge_list};
use labgraph_domain::*;

fn id(s: &str) -> Id {
    Id::new(s).expect("valid id")
}

fn node(key: &str, attrs: NodeAttrs) -> Node {
    Node {
        id: id(key),
        names: Names {
            en: Some(key.into()),
            ..Names::default()
        },
        attrs,
        provenance: Provenance::default(),
    }
}

fn city(key: &str, region: Region) -> Node {
    node(
        key,
        NodeAttrs::City(CityAttrs {
            region,
            in_gba: true,
            lat: None,
            lon: None,
            adcode: None,
        }),
    )
}

fn institution(key: &str, city: &str) -> Node {
    node(
        key,
        NodeAttrs::Institution(InstitutionAttrs {
            kind: InstitutionKind::University,
            city: Some(id(city)),
            website: None,
        }),
    )
}

fn lab(key: &str, batch: i32) -> Node {
    node(
        key,
        NodeAttrs::Lab(LabAttrs {
            kind: LabKind::JointLab,
            category: None,
            batch_year: Some(batch),
            founded: None,
            status: None,
            cities: vec![],
        }),
    )
}

fn field(key: &str, parent: Option<&str>) -> Node {
    node(
        key,
        NodeAttrs::Field(FieldAttrs {
            group: FieldGroup::Frontier,
            parent: parent.map(id),
        }),
    )
}

fn edge(kind: EdgeKind, from: &str, to: &str, verified: bool) -> Edge {
    let mut e = Edge::new(kind, id(from), id(to));
    e.provenance.verified = verified;
    e
}

/// HKU (HK) and SCUT (Guangzhou) share lab1 (2019, verified, AI); SCUT and SYSU (Guangzhou)
/// share lab2 (2022, unverified, ML under AI); HKU and UM (Macao) collaborate with weight 3
/// since 2020; p (primary at SYSU) has a talent link to HKU and collaborates with q (UM) twice.
fn sample() -> Graph {
    let mut cs = ChangeSet::new();
    cs.upsert_node(city("hong-kong", Region::Hk))
        .upsert_node(city("guangzhou", Region::GdPrd))
        .upsert_node(city("macao", Region::Macao))
        .upsert_node(institution("hku", "hong-kong"))
        .upsert_node(institution("scut", "guangzhou"))
        .upsert_node(institution("sysu", "guangzhou"))
        .upsert_node(institution("um", "macao"))
        .upsert_node(lab("lab1", 2019))
        .upsert_node(lab("lab2", 2022))
        .upsert_node(field("ai", None))
        .upsert_node(field("ml", Some("ai")))
        .upsert_node(node("p", NodeAttrs::Person(PersonAttrs {})))
        .upsert_node(node("q", NodeAttrs::Person(PersonAttrs {})));
    let mut host = edge(EdgeKind::PartnerIn, "hku", "lab1", true);
    host.role = Some(EdgeRole::Host);
    cs.upsert_edge(host)
        .upsert_edge(edge(EdgeKind::PartnerIn, "scut", "lab1", true))
        .upsert_edge(edge(EdgeKind::PartnerIn, "scut", "lab2", false))
        .upsert_edge(edge(EdgeKind::PartnerIn, "sysu", "lab2", false))
        .upsert_edge(edge(EdgeKind::WorksOn, "lab1", "ai", true))
        .upsert_edge(edge(EdgeKind::WorksOn, "lab2", "ml", true));
    let mut collab = edge(EdgeKind::CollaboratesWith, "hku", "um", true);
    collab.weight = Some(3.0);
    collab.since = Some(2020);
    let mut primary = edge(EdgeKind::AffiliatedWith, "p", "sysu", true);
    primary.primary = Some(true);
    let mut people = edge(EdgeKind::CollaboratesWith, "q", "p", true);
    people.weight = Some(2.0);
    cs.upsert_edge(collab)
        .upsert_edge(primary)
        .upsert_edge(edge(EdgeKind::AffiliatedWith, "p", "um", true))
        .upsert_edge(edge(EdgeKind::AffiliatedWith, "q", "um", true))
        .upsert_edge(edge(EdgeKind::TalentLink, "p", "hku", true))
        .upsert_edge(people);
    Graph::new().apply(&cs).expect("sample graph is valid").0
}

fn ties(net: &Network) -> BTreeMap<(String, String), f64> {
    net.edges()
        .map(|(a, b, w)| {
            let (a, b) = (a.to_string(), b.to_string());
            (if a < b { (a, b) } else { (b, a) }, w)
        })
        .collect()
}

fn t(pairs: &[(&str, &str, f64)]) -> BTreeMap<(String, String), f64> {
    pairs
        .iter()
        .map(|&(a, b, w)| ((a.to_owned(), b.to_owned()), w))
        .collect()
}

#[test]
fn institution_ties_blend_labs_collaboration_and_talent() {
    let g = sample();
    let net = institution_network(&g, &Filter::default(), Weighting::default()).expect("ok");
    assert_eq!(net.ids(), [id("hku"), id("scut"), id("sysu"), id("um")]);
    // p's primary affiliation is SYSU, so the talent link ties SYSU (not UM) to HKU.
    assert_eq!(
        ties(&net),
        t(&[
            ("hku", "scut", 1.0),
            ("hku", "sysu", 1.0),
            ("hku", "um", 3.0),
            ("scut", "sysu", 1.0),
        ])
    );
    let blend = Weighting {
        shared_lab: 2.0,
        collaboration: 0.5,
        talent: 10.0,
    };
    let net = institution_network(&g, &Filter::default(), blend).expect("ok");
    assert_eq!(
        ties(&net),
        t(&[
            ("hku", "scut", 2.0),
            ("hku", "sysu", 10.0),
            ("hku", "um", 1.5),
            ("scut", "sysu", 2.0),
        ])
    );
    // A zero weight drops the evidence, and a tie with no other evidence with it.
    let no_talent = Weighting {
        talent: 0.0,
        ..Weighting::default()
    };
    let net = institution_network(&g, &Filter::default(), no_talent).expect("ok");
    assert_eq!(net.strength("hku", "sysu"), None);
    assert_eq!(net.node_count(), 4);
}

#[test]
fn a_bad_weighting_is_refused_by_name() {
    let bad = Weighting {
        collaboration: -1.0,
        ..Weighting::default()
    };
    let err = institution_network(&sample(), &Filter::default(), bad).expect_err("refused");
    assert_eq!(
        err,
        ProjectionError::BadWeighting {
            component: "collaboration",
            value: -1.0
        }
    );
    assert!(err.to_string().contains("weighting.collaboration"));
}

#[test]
fn as_of_drops_later_labs_and_ties() {
    let g = sample();
    let at = |year| {
        let f = Filter {
            as_of: Some(year),
            ..Filter::default()
        };
        ties(&institution_network(&g, &f, Weighting::default()).expect("ok"))
    };
    assert_eq!(
        at(2020),
        t(&[
            ("hku", "scut", 1.0),
            ("hku", "sysu", 1.0),
            ("hku", "um", 3.0)
        ])
    );
    assert_eq!(at(2019), t(&[("hku", "scut", 1.0), ("hku", "sysu", 1.0)]));
    let f = Filter {
        as_of: Some(2020),
        ..Filter::default()
    };
    let bip = institution_lab_network(&g, &f);
    assert_eq!(bip.node_count(), 5, "lab2 (2022) does not exist yet");
    assert_eq!(bip.edge_count(), 2);
    assert_eq!(
        institution_lab_network(&g, &Filter::default()).edge_count(),
        4
    );
}

#[test]
fn verified_only_and_cross_border_only() {
    let g = sample();
    let verified = Filter {
        verified_only: true,
        ..Filter::default()
    };
    let net = institution_network(&g, &verified, Weighting::default()).expect("ok");
    assert_eq!(
        net.strength("scut", "sysu"),
        None,
        "lab2's ties are unverified"
    );
    assert_eq!(net.edge_count(), 3);

    let cross = Filter {
        cross_border_only: true,
        ..Filter::default()
    };
    let net = institution_network(&g, &cross, Weighting::default()).expect("ok");
    assert_eq!(
        ties(&net),
        t(&[
            ("hku", "scut", 1.0),
            ("hku", "sysu", 1.0),
            ("hku", "um", 3.0)
        ])
    );
    assert_eq!(net.node_count(), 4, "nodes stay; only domestic ties go");
    // p is located at SYSU (primary), q at UM: a Mainland–Macao tie.
    let people = person_network(&g, &cross);
    assert_eq!(ties(&people), t(&[("p", "q", 2.0)]));
}

#[test]
fn regions_and_fields_keep_nodes() {
    let g = sample();
    let hk = Filter {
        regions: Some(BTreeSet::from([Region::Hk])),
        ..Filter::default()
    };
    let net = institution_network(&g, &hk, Weighting::default()).expect("ok");
    assert_eq!((net.ids(), net.edge_count()), (&[id("hku")][..], 0));

    let ml = Filter {
        fields: Some(BTreeSet::from([id("ml")])),
        ..Filter::default()
    };
    let net = institution_network(&g, &ml, Weighting::default()).expect("ok");
    assert_eq!(ties(&net), t(&[("scut", "sysu", 1.0)]));
    // `ai` takes in its sub-field `ml`: lab2 counts, and SYSU works on AI through it.
    let ai = Filter {
        fields: Some(BTreeSet::from([id("ai")])),
        ..Filter::default()
    };
    let net = institution_network(&g, &ai, Weighting::default()).expect("ok");
    assert_eq!(net.ids(), [id("hku"), id("scut"), id("sysu")]);
    assert_eq!(
        ties(&net),
        t(&[
            ("hku", "scut", 1.0),
            ("hku", "sysu", 1.0),
            ("scut", "sysu", 1.0)
        ])
    );
}

/// The seed projection is what the NetworkX fixture was computed on: if the seed data or the
/// projection changes, this fails until the example and the fixture script are run again.
#[test]
fn seed_institution_projection_matches_the_committed_edge_list() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (graph, _) = labgraph_io::read_files(&[root.join("../../graph-seed")])
        .expect("seed reads")
        .apply_to(&Graph::new())
        .expect("seed applies");
    let net = institution_network(&graph, &Filter::default(), Weighting::default()).expect("ok");
    assert_eq!(net.node_count(), graph.count_of(NodeKind::Institution));
    let committed = read_edge_list(&root.join("tests/fixtures/seed-institutions.edges"))
        .expect("committed edge list reads");
    let ids = |n: &Network| n.ids().iter().cloned().collect::<BTreeSet<_>>();
    assert_eq!(ids(&net), ids(&committed));
    assert_eq!(ties(&net), ties(&committed));
    // And the writer round-trips through the reader.
    let mut out = Vec::new();
    write_edge_list(&net, &mut out).expect("writes");
    let again = labgraph_analytics::read_edge_list_str(
        "round-trip",
        std::str::from_utf8(&out).expect("utf-8"),
    )
    .expect("reads back");
    assert_eq!(ties(&again), ties(&net));
    assert!(net.edge_count() > 0, "the seed has shared labs");
}
