//! Small hand-checkable graphs for the gap, what-if and evolution tests, built through the
//! domain's own `Graph::apply`, so every graph the tests read is a valid one.
#![allow(dead_code)] // Each test binary uses its own part of these helpers.

use labgraph_domain::{
    ChangeSet, CityAttrs, Edge, EdgeKind, EdgeRole, FieldAttrs, FieldGroup, Graph, Id,
    InstitutionAttrs, InstitutionKind, LabAttrs, LabKind, Names, Node, NodeAttrs, Provenance,
    Region,
};

/// An id the test writes by hand.
pub fn id(text: &str) -> Id {
    Id::new(text).expect("a valid test id")
}

/// Ids from texts.
pub fn ids(texts: &[&str]) -> Vec<Id> {
    texts.iter().map(|t| id(t)).collect()
}

fn node(text: &str, attrs: NodeAttrs) -> Node {
    Node {
        id: id(text),
        names: Names {
            en: Some(text.to_uppercase()),
            ..Names::default()
        },
        attrs,
        provenance: Provenance::default(),
    }
}

/// A change set being built.
#[derive(Default)]
pub struct Builder {
    changes: ChangeSet,
}

impl Builder {
    pub fn city(&mut self, city: &str, region: Region) -> &mut Self {
        self.changes.upsert_node(node(
            city,
            NodeAttrs::City(CityAttrs {
                region,
                // The Greater Bay Area: Hong Kong, Macao and the nine PRD cities.
                in_gba: matches!(region, Region::Hk | Region::Macao | Region::GdPrd),
                lat: None,
                lon: None,
                adcode: None,
            }),
        ));
        self
    }

    pub fn field(&mut self, field: &str, parent: Option<&str>) -> &mut Self {
        self.changes.upsert_node(node(
            field,
            NodeAttrs::Field(FieldAttrs {
                group: FieldGroup::Discipline,
                parent: parent.map(id),
            }),
        ));
        self
    }

    pub fn institution(&mut self, inst: &str, city: &str) -> &mut Self {
        self.changes.upsert_node(node(
            inst,
            NodeAttrs::Institution(InstitutionAttrs {
                kind: InstitutionKind::University,
                city: Some(id(city)),
                website: None,
            }),
        ));
        self
    }

    /// A joint lab of `batch_year` with `partners` (the first hosting) whose PARTNER_IN edges
    /// hold from `since` to `until`, working on `fields`.
    #[allow(clippy::too_many_arguments)]
    pub fn lab(
        &mut self,
        lab: &str,
        batch_year: Option<i32>,
        partners: &[&str],
        fields: &[&str],
        since: Option<i32>,
        until: Option<i32>,
    ) -> &mut Self {
        self.changes.upsert_node(node(
            lab,
            NodeAttrs::Lab(LabAttrs {
                kind: LabKind::JointLab,
                category: None,
                batch_year,
                founded: None,
                status: None,
                cities: Vec::new(),
            }),
        ));
        for (i, p) in partners.iter().enumerate() {
            self.changes.upsert_edge(Edge {
                role: Some(if i == 0 {
                    EdgeRole::Host
                } else {
                    EdgeRole::Partner
                }),
                since,
                until,
                ..Edge::new(EdgeKind::PartnerIn, id(p), id(lab))
            });
        }
        for f in fields {
            self.changes
                .upsert_edge(Edge::new(EdgeKind::WorksOn, id(lab), id(f)));
        }
        self
    }

    pub fn works_on(&mut self, who: &str, field: &str) -> &mut Self {
        self.changes
            .upsert_edge(Edge::new(EdgeKind::WorksOn, id(who), id(field)));
        self
    }

    pub fn build(&self) -> Graph {
        Graph::new()
            .apply(&self.changes)
            .expect("a valid test graph")
            .0
    }
}

/// The gap graph every gap and what-if test reads (drawn in tests/gaps.rs):
///
/// ```text
///  cities: guangzhou, shenzhen (GD_PRD), shantou (GD_EAST), zhanjiang (GD_WEST),
///          meizhou (GD_NORTH, no institution), hong-kong, macao
///  fields: ai > ai-vision, bio, quantum (no lab)
///
///  st1 ── gz1 ── hk1            gz2 ── sz1 ── hk2 ── mo1          zj1 (works on bio, no tie)
///    L4 ai-vision  L1 ai          L2 bio   L3 bio   L5 bio
/// ```
pub fn gap_graph() -> Graph {
    let mut b = Builder::default();
    b.city("guangzhou", Region::GdPrd)
        .city("shenzhen", Region::GdPrd)
        .city("shantou", Region::GdEast)
        .city("zhanjiang", Region::GdWest)
        .city("meizhou", Region::GdNorth)
        .city("hong-kong", Region::Hk)
        .city("macao", Region::Macao)
        .field("ai", None)
        .field("ai-vision", Some("ai"))
        .field("bio", None)
        .field("quantum", None)
        .institution("gz1", "guangzhou")
        .institution("gz2", "guangzhou")
        .institution("sz1", "shenzhen")
        .institution("st1", "shantou")
        .institution("zj1", "zhanjiang")
        .institution("hk1", "hong-kong")
        .institution("hk2", "hong-kong")
        .institution("mo1", "macao")
        .lab("l1", None, &["gz1", "hk1"], &["ai"], None, None)
        .lab("l2", None, &["gz2", "sz1"], &["bio"], None, None)
        .lab("l3", None, &["sz1", "hk2"], &["bio"], None, None)
        .lab("l4", None, &["st1", "gz1"], &["ai-vision"], None, None)
        .lab("l5", None, &["mo1", "hk2"], &["bio"], None, None)
        .works_on("zj1", "bio");
    b.build()
}
