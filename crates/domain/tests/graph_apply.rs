//! `Graph::apply`: validation, atomicity, cascades, idempotency and the diff it reports.

use std::sync::Arc;

use labgraph_domain::*;

fn id(s: &str) -> Id {
    Id::new(s).expect("valid id")
}

fn names(en: &str) -> Names {
    Names {
        en: Some(en.into()),
        ..Names::default()
    }
}

fn city(key: &str, region: Region) -> Node {
    Node {
        id: id(key),
        names: names(key),
        attrs: NodeAttrs::City(CityAttrs {
            region,
            in_gba: true,
            lat: None,
            lon: None,
            adcode: None,
        }),
        provenance: Provenance::default(),
    }
}

fn institution(key: &str, city: &str) -> Node {
    Node {
        id: id(key),
        names: names(key),
        attrs: NodeAttrs::Institution(InstitutionAttrs {
            kind: InstitutionKind::University,
            city: Some(id(city)),
            website: None,
        }),
        provenance: Provenance::default(),
    }
}

fn lab(key: &str) -> Node {
    Node {
        id: id(key),
        names: names(key),
        attrs: NodeAttrs::Lab(LabAttrs {
            kind: LabKind::JointLab,
            category: None,
            batch_year: Some(2019),
            founded: None,
            status: None,
            cities: vec![],
        }),
        provenance: Provenance::default(),
    }
}

fn partner(from: &str, to: &str, role: EdgeRole) -> Edge {
    Edge {
        role: Some(role),
        ..Edge::new(EdgeKind::PartnerIn, id(from), id(to))
    }
}

/// Guangzhou and Hong Kong, JNU and HKUST, one joint lab hosted by JNU with HKUST as partner.
fn base() -> Graph {
    let mut cs = ChangeSet::new();
    cs.upsert_node(city("guangzhou", Region::GdPrd))
        .upsert_node(city("hong-kong", Region::Hk))
        .upsert_node(institution("jnu", "guangzhou"))
        .upsert_node(institution("hkust", "hong-kong"))
        .upsert_node(lab("env-lab"))
        .upsert_edge(partner("jnu", "env-lab", EdgeRole::Host))
        .upsert_edge(partner("hkust", "env-lab", EdgeRole::Partner));
    let (graph, diff) = Graph::new().apply(&cs).expect("valid base graph");
    assert_eq!(diff.upserted_nodes.len(), 5);
    assert_eq!(diff.upserted_edges.len(), 2);
    graph
}

#[test]
fn builds_a_valid_graph_and_classifies_ties() {
    let g = base();
    assert_eq!(g.version(), 1);
    assert_eq!(g.count_of(NodeKind::Institution), 2);
    assert_eq!(g.adjacent("env-lab").count(), 2);
    assert_eq!(g.lab_class("env-lab"), Some(TieClass::MainlandHk));
    // A lab without cities is located where its host is.
    assert_eq!(
        g.regions_of("env-lab").into_iter().collect::<Vec<_>>(),
        vec![Region::GdPrd]
    );
    let ids: Vec<_> = g
        .nodes_of(NodeKind::Institution, None)
        .map(|n| n.id.to_string())
        .collect();
    assert_eq!(ids, ["hkust", "jnu"]);
    let after: Vec<_> = g
        .nodes_of(NodeKind::Institution, Some("hkust"))
        .map(|n| n.id.to_string())
        .collect();
    assert_eq!(after, ["jnu"]);
}

#[test]
fn a_dangling_edge_refuses_the_whole_change_set() {
    let g = base();
    let mut cs = ChangeSet::new();
    cs.upsert_node(institution("must", "hong-kong"))
        .upsert_edge(partner("must", "no-such-lab", EdgeRole::Partner));
    let err = g.apply(&cs).expect_err("dangling edge");
    assert_eq!(err.index, 1);
    assert!(
        matches!(err.error, ValidationError::UnknownNode { ref id, .. } if id == "no-such-lab"),
        "{err}"
    );
    assert!(
        g.node("must").is_none(),
        "nothing of a refused change set is applied"
    );
}

#[test]
fn wrong_endpoint_kinds_and_references_are_refused() {
    let g = base();
    let mut cs = ChangeSet::new();
    cs.upsert_edge(partner("env-lab", "jnu", EdgeRole::Host));
    let err = g
        .apply(&cs)
        .expect_err("lab cannot be partner in an institution");
    assert!(
        matches!(err.error, ValidationError::WrongKind { .. }),
        "{err}"
    );

    let mut cs = ChangeSet::new();
    cs.upsert_node(institution("x", "jnu"));
    let err = g
        .apply(&cs)
        .expect_err("an institution's city must be a city");
    assert!(err.to_string().contains("city"), "{err}");

    let mut cs = ChangeSet::new();
    cs.upsert_node(lab("jnu"));
    let err = g.apply(&cs).expect_err("kind change");
    assert!(
        matches!(err.error, ValidationError::KindChange { .. }),
        "{err}"
    );
}

#[test]
fn deleting_a_node_cascades_its_edges_and_referenced_cities_stay() {
    let g = base();
    let mut cs = ChangeSet::new();
    cs.delete_node(id("hkust"));
    let (next, diff) = g.apply(&cs).expect("delete");
    assert_eq!(diff.deleted_nodes, vec![id("hkust")]);
    assert_eq!(diff.deleted_edges.len(), 1);
    assert_eq!(next.adjacent("env-lab").count(), 1);
    assert_eq!(next.lab_class("env-lab"), Some(TieClass::Domestic));

    let mut cs = ChangeSet::new();
    cs.delete_node(id("guangzhou"));
    let err = g.apply(&cs).expect_err("guangzhou is referenced by jnu");
    assert!(
        matches!(err.error, ValidationError::StillReferenced { .. }),
        "{err}"
    );
}

#[test]
fn repeating_a_change_set_changes_nothing() {
    let g = base();
    let mut cs = ChangeSet::new();
    cs.upsert_node(institution("jnu", "guangzhou"))
        .upsert_edge(partner("jnu", "env-lab", EdgeRole::Host))
        .delete_node(id("not-there"));
    let (next, diff) = g.apply(&cs).expect("idempotent");
    assert!(diff.is_empty(), "{diff:?}");
    assert_eq!(next.version(), g.version());
}

#[test]
fn symmetric_edges_are_one_edge_whatever_the_direction() {
    let g = base();
    let mut cs = ChangeSet::new();
    cs.upsert_edge(Edge::new(
        EdgeKind::CollaboratesWith,
        id("jnu"),
        id("hkust"),
    ))
    .upsert_edge(Edge {
        weight: Some(3.0),
        ..Edge::new(EdgeKind::CollaboratesWith, id("hkust"), id("jnu"))
    });
    let (next, diff) = g.apply(&cs).expect("collaboration");
    assert_eq!(diff.upserted_edges.len(), 1);
    let key = EdgeKey::new(EdgeKind::CollaboratesWith, id("jnu"), id("hkust"));
    assert_eq!(next.edge(&key).and_then(|e| e.weight), Some(3.0));
    assert_eq!(
        next.tie_class(next.edge(&key).expect("edge")),
        Some(TieClass::MainlandHk)
    );
}

#[test]
fn local_validation_names_the_field() {
    let g = base();
    let bad_years = Edge {
        since: Some(2022),
        until: Some(2020),
        ..partner("jnu", "env-lab", EdgeRole::Host)
    };
    let mut cs = ChangeSet::new();
    cs.upsert_edge(bad_years);
    let err = g.apply(&cs).expect_err("until before since");
    assert!(err.to_string().contains("`until`"), "{err}");

    let mut nameless = lab("nameless");
    nameless.names = Names::default();
    let err = g
        .apply(&ChangeSet {
            changes: vec![Change::UpsertNode(Arc::new(nameless))],
        })
        .expect_err("no name");
    assert!(matches!(err.error, ValidationError::MissingName { .. }));

    let mut wrong_role = partner("jnu", "env-lab", EdgeRole::Director);
    wrong_role.kind = EdgeKind::PartnerIn;
    let err = g
        .apply(&ChangeSet {
            changes: vec![Change::UpsertEdge(Arc::new(wrong_role))],
        })
        .expect_err("director is not a partner_in role");
    assert!(err.to_string().contains("`role`"), "{err}");
}

#[test]
fn diff_round_trips_through_a_change_set() {
    let g = base();
    let mut cs = ChangeSet::new();
    cs.delete_node(id("hkust"))
        .upsert_node(institution("must", "hong-kong"));
    let (next, diff) = g.apply(&cs).expect("apply");
    let (replayed, _) = g.apply(&diff.to_change_set()).expect("replay the diff");
    assert_eq!(replayed.stats(), next.stats());
    assert!(replayed.node("must").is_some() && replayed.node("hkust").is_none());
}
