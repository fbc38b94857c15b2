//! The committed graph-seed/: it imports cleanly and holds the reference facts.

use std::collections::BTreeSet;

use labgraph_domain::{
    EdgeKind, EdgeRole, FieldGroup, Graph, NodeAttrs, NodeKind, Region, TieClass,
};

use crate::common::seed_graph;

/// The institutions in a lab, with their role codes.
fn partners(graph: &Graph, lab: &str) -> BTreeSet<(String, &'static str)> {
    graph
        .adjacent(lab)
        .filter(|a| a.edge.kind == EdgeKind::PartnerIn)
        .map(|a| {
            (
                a.neighbour.id.to_string(),
                a.edge.role.map_or("-", EdgeRole::code),
            )
        })
        .collect()
}

fn targets(graph: &Graph, from: &str, kind: EdgeKind) -> BTreeSet<String> {
    graph
        .adjacent(from)
        .filter(|a| a.edge.kind == kind && a.outgoing)
        .map(|a| a.neighbour.id.to_string())
        .collect()
}

#[test]
fn seed_has_every_reference_row() {
    let graph = seed_graph();
    // Row counts of shared/reference-data: cities.csv 23, institutions.csv 60,
    // joint_labs.csv 21 + platforms.csv 29 labs.
    assert_eq!(graph.count_of(NodeKind::City), 23);
    assert_eq!(graph.count_of(NodeKind::Institution), 60);
    assert_eq!(graph.count_of(NodeKind::Lab), 21 + 29);
    assert_eq!(
        graph.count_of(NodeKind::Person),
        0,
        "the reference names no people"
    );
    assert_eq!(
        graph.count_of(NodeKind::Platform),
        4,
        "the four platforms SPEC.md names"
    );
    // 22 field codes used by the reference rows, 11 more from SPEC.md's taxonomy.
    assert_eq!(graph.count_of(NodeKind::Field), 22 + 11);
    for lab in graph.nodes_of(NodeKind::Lab, None) {
        assert!(
            !targets(&graph, lab.id.as_str(), EdgeKind::WorksOn).is_empty(),
            "every reference lab row names a field: {}",
            lab.id
        );
    }
}

#[test]
fn environmental_quality_lab_is_tri_party() {
    let graph = seed_graph();
    let lab = "gdhkmo-environmental-quality-innovation";
    assert_eq!(
        partners(&graph, lab),
        BTreeSet::from([
            ("jnu".to_owned(), "host"),
            ("hkust".to_owned(), "partner"),
            ("must".to_owned(), "partner"),
        ])
    );
    assert_eq!(graph.lab_class(lab), Some(TieClass::TriParty));
    let NodeAttrs::Lab(attrs) = &graph.node(lab).expect("lab").attrs else {
        panic!("{lab} is a lab");
    };
    assert_eq!(attrs.batch_year, Some(2019));
    assert_eq!(
        attrs.cities.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["guangzhou"]
    );
    assert!(
        graph
            .adjacent(lab)
            .all(|a| a.edge.since == Some(2019) && a.edge.provenance.verified)
    );
}

#[test]
fn empty_reference_fields_stay_empty() {
    let graph = seed_graph();
    let lab = graph
        .node("gdhkmo-photo-thermal-electric-energy-materials")
        .expect("first joint lab");
    assert_eq!(lab.names.en, None, "name_en is empty in joint_labs.csv");
    let NodeAttrs::Lab(attrs) = &lab.attrs else {
        panic!("a lab");
    };
    assert!(
        attrs.cities.is_empty(),
        "host_city is empty in joint_labs.csv"
    );
    assert!(
        partners(&graph, lab.id.as_str()).is_empty(),
        "no host or partner given"
    );
    let jiangmen = graph.node("jiangmen-carbon-lab").expect("institution");
    assert_eq!(
        (
            jiangmen.names.en.as_deref(),
            jiangmen.names.short.as_deref()
        ),
        (None, None)
    );
    assert!(
        graph.nodes().all(|n| n.names.pt.is_none()),
        "no Portuguese name in the reference"
    );
    assert!(graph.nodes().all(|n| !n.provenance.synthetic));
}

#[test]
fn institutions_and_cities_keep_their_attributes() {
    let graph = seed_graph();
    let hku = graph.node("hku").expect("hku");
    assert_eq!(hku.names.short.as_deref(), Some("HKU"));
    assert_eq!(hku.names.zh_hant.as_deref(), Some("香港大學"));
    assert_eq!(hku.names.aliases, ["港大"]);
    assert_eq!(graph.regions_of("hku"), BTreeSet::from([Region::Hk]));
    assert_eq!(graph.regions_of("stu"), BTreeSet::from([Region::GdEast]));
    let NodeAttrs::City(zhanjiang) = &graph.node("zhanjiang").expect("city").attrs else {
        panic!("a city");
    };
    assert_eq!(zhanjiang.region, Region::GdWest);
    assert!(!zhanjiang.in_gba);
    assert_eq!(
        (zhanjiang.lat, zhanjiang.lon),
        (Some(21.2701), Some(110.3566))
    );
    assert_eq!(zhanjiang.adcode.as_deref(), Some("440800000000"));
}

#[test]
fn platform_rows_map_to_labs_hosts_and_zones() {
    let graph = seed_graph();
    // A lab_platform institution named in `institutions` is that institution.
    assert_eq!(
        partners(&graph, "gml-gz-hk-branch"),
        BTreeSet::from([("gml-gz".to_owned(), "host"), ("hkust".to_owned(), "host"),])
    );
    // Several cities and fields separated by `;`.
    let NodeAttrs::Lab(batch3) = &graph.node("gd-lab-batch3").expect("lab").attrs else {
        panic!("a lab");
    };
    assert_eq!(batch3.cities.len(), 2);
    assert_eq!(
        targets(&graph, "gd-lab-batch3", EdgeKind::WorksOn),
        BTreeSet::from(["agriculture".into(), "ai".into(), "energy".into()])
    );
    // Hetao institutes are part of the Hetao zone.
    for lab in [
        "hetao-hkust-institute",
        "hetao-cuhk-futian-institute",
        "hetao-cityu-futian-institute",
        "hetao-sysu8-lab",
    ] {
        assert_eq!(
            targets(&graph, lab, EdgeKind::PartOf),
            BTreeSet::from(["hetao-szhk-cooperation-zone".to_owned()])
        );
    }
    let NodeAttrs::Lab(skl) = &graph.node("mo-skl-iot-smart-city").expect("lab").attrs else {
        panic!("a lab");
    };
    assert_eq!(
        (skl.category.as_deref(), skl.founded),
        (Some("macao_national_key_lab"), Some(2018))
    );
}

#[test]
fn taxonomy_links_reference_fields_to_clusters() {
    let graph = seed_graph();
    let field = |id: &str| match &graph.node(id).expect(id).attrs {
        NodeAttrs::Field(f) => (f.group, f.parent.as_ref().map(|p| p.to_string())),
        _ => panic!("{id} is a field"),
    };
    assert_eq!(
        field("tcm"),
        (FieldGroup::Discipline, Some("biomedicine".into()))
    );
    assert_eq!(field("ic"), (FieldGroup::StrategicIndustry, None));
    assert_eq!(
        field("future-materials"),
        (FieldGroup::FutureIndustry, None)
    );
    assert_eq!(field("6g"), (FieldGroup::Frontier, None));
    // Taxonomy entries only SPEC.md names are not verified; reference codes are.
    assert!(!graph.node("6g").expect("6g").provenance.verified);
    assert!(graph.node("marine").expect("marine").provenance.verified);
}
