//! Facts the schema derives from a graph snapshot, once per version: the reverse indexes
//! (city → institutions and labs, field → children) that the graph itself does not keep, and
//! the location facts (cities, regions, jurisdictions, tie classes, cross-border flags) that
//! filters, node fields and roll-ups read instead of recomputing them per node per request.
//!
//! The location rules themselves live in the domain ([`Graph::cities_of`],
//! [`Graph::lab_class`]); this module only tabulates them.

use std::collections::{HashMap, HashSet};
use std::fmt;

use labgraph_domain::{EdgeKind, Graph, Id, Jurisdiction, NodeAttrs, NodeKind, Region, TieClass};

/// Reverse indexes of one graph version, built once per version and shared by every request
/// on it (see `scope::VersionCache`). Lists are in id order.
#[derive(Debug, Default)]
pub(crate) struct Derived {
    institutions_by_city: HashMap<Id, Vec<Id>>,
    labs_by_city: HashMap<Id, Vec<Id>>,
    children: HashMap<Id, Vec<Id>>,
}

impl Derived {
    /// Builds the indexes: O(|V| + |E| of labs' hosts).
    pub(crate) fn build(graph: &Graph) -> Derived {
        let mut derived = Derived::default();
        for node in graph.nodes_of(NodeKind::Institution, None) {
            for city in graph.cities_of(node.id.as_str()) {
                derived
                    .institutions_by_city
                    .entry(city)
                    .or_default()
                    .push(node.id.clone());
            }
        }
        for node in graph.nodes_of(NodeKind::Lab, None) {
            for city in graph.cities_of(node.id.as_str()) {
                derived
                    .labs_by_city
                    .entry(city)
                    .or_default()
                    .push(node.id.clone());
            }
        }
        for node in graph.nodes_of(NodeKind::Field, None) {
            if let NodeAttrs::Field(attrs) = &node.attrs
                && let Some(parent) = &attrs.parent
            {
                derived
                    .children
                    .entry(parent.clone())
                    .or_default()
                    .push(node.id.clone());
            }
        }
        derived
    }

    /// Institutions located in `city`, in id order.
    pub(crate) fn institutions_in(&self, city: &str) -> &[Id] {
        self.institutions_by_city
            .get(city)
            .map_or(&[], Vec::as_slice)
    }

    /// Labs located in `city`, in id order.
    pub(crate) fn labs_in(&self, city: &str) -> &[Id] {
        self.labs_by_city.get(city).map_or(&[], Vec::as_slice)
    }

    /// The direct sub-fields of `field`, in id order.
    pub(crate) fn children_of(&self, field: &str) -> &[Id] {
        self.children.get(field).map_or(&[], Vec::as_slice)
    }

    /// `roots` and every field below them. Why a walk with a seen-set: the taxonomy is a tree
    /// by intent, but nothing stops a data error from making a cycle, which must not hang a
    /// request.
    pub(crate) fn subtree(&self, roots: impl IntoIterator<Item = Id>) -> HashSet<Id> {
        let mut seen: HashSet<Id> = HashSet::new();
        let mut stack: Vec<Id> = roots.into_iter().collect();
        while let Some(field) = stack.pop() {
            if seen.insert(field.clone()) {
                stack.extend(self.children_of(field.as_str()).iter().cloned());
            }
        }
        seen
    }
}

/// True for a lab whose partners (hosts and partners) span two or more jurisdictions,
/// straight from the graph (for a snapshot whose [`Locations`] are not built).
pub(crate) fn lab_is_cross_border(graph: &Graph, lab: &str) -> bool {
    graph
        .lab_class(lab)
        .is_some_and(|class| class.is_cross_border())
}

/// A set of regions, one bit per [`Region`] in declaration order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RegionSet(u8);

impl RegionSet {
    fn bit(region: Region) -> u8 {
        // Region is a field-less enum; its discriminant is its position in `Region::ALL`.
        1 << (region as u8)
    }

    fn insert(&mut self, region: Region) {
        self.0 |= Self::bit(region);
    }

    pub(crate) fn contains(self, region: Region) -> bool {
        self.0 & Self::bit(region) != 0
    }

    /// The regions, in declaration order (the order of a `BTreeSet<Region>`).
    pub(crate) fn iter(self) -> impl Iterator<Item = Region> {
        Region::ALL.into_iter().filter(move |r| self.contains(*r))
    }

    /// The jurisdictions of these regions.
    pub(crate) fn jurisdictions(self) -> JurisdictionSet {
        let mut set = JurisdictionSet::default();
        for region in self.iter() {
            set.0 |= JurisdictionSet::bit(region.jurisdiction());
        }
        set
    }
}

/// A set of jurisdictions, one bit per [`Jurisdiction`] in declaration order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct JurisdictionSet(u8);

impl JurisdictionSet {
    fn bit(jurisdiction: Jurisdiction) -> u8 {
        // Jurisdiction is field-less; its discriminant is its position in `Jurisdiction::ALL`.
        1 << (jurisdiction as u8)
    }

    pub(crate) fn contains(self, jurisdiction: Jurisdiction) -> bool {
        self.0 & Self::bit(jurisdiction) != 0
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Both sets' jurisdictions.
    pub(crate) fn union(self, other: JurisdictionSet) -> JurisdictionSet {
        JurisdictionSet(self.0 | other.0)
    }

    /// The jurisdictions, in declaration order (the order of a `BTreeSet<Jurisdiction>`).
    pub(crate) fn iter(self) -> impl Iterator<Item = Jurisdiction> {
        Jurisdiction::ALL
            .into_iter()
            .filter(move |j| self.contains(*j))
    }
}

/// What is known of one node's location (all empty when nothing is).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Located {
    /// The node's cities: `Locations::city_lists[start..end]`, as indexes into
    /// `Locations::cities`, in id order.
    start: u32,
    end: u32,
    regions: RegionSet,
    /// Labs: the class of their partners' jurisdictions.
    class: Option<TieClass>,
    /// Labs and institutions: see [`Locations::cross_border`].
    cross_border: bool,
}

impl Located {
    /// See [`Locations::regions`].
    pub(crate) fn regions(&self) -> RegionSet {
        self.regions
    }

    /// See [`Locations::lab_class`].
    pub(crate) fn class(&self) -> Option<TieClass> {
        self.class
    }

    /// See [`Locations::cross_border`].
    pub(crate) fn cross_border(&self) -> bool {
        self.cross_border
    }
}

/// The location facts of one graph version, built once per version on the first request that
/// needs them (see `scope::VersionCache`) and shared by every request on it.
///
/// Why a table and not per-request computation: a person's location is their affiliations'
/// cities, an institution's cross-border flag depends on every lab it is in and every tie it
/// has; recomputed per node, one filtered count over 200k people walks millions of edges.
/// Tabulated, it is one hash lookup per node.
pub(crate) struct Locations {
    /// Every city, in id order, with its region.
    cities: Vec<(Id, Region)>,
    city_index: HashMap<Id, u32>,
    /// Every node with a known city, cross-border flag or class.
    nodes: HashMap<Id, Located>,
    /// The facts of every node of each kind (indexed by `NodeKind::index`), in id order.
    /// Why a copy: counting the matches of a location-only filter (a `totalCount` over 200k
    /// people) reads this array front to back instead of looking up every node by id.
    by_kind: [Vec<Located>; 6],
    /// The city lists of all nodes, end to end (see [`Located`]).
    city_lists: Vec<u32>,
    /// Each lab's partner institutions (hosts and partners), distinct, in id order.
    partners: HashMap<Id, Box<[Id]>>,
}

impl fmt::Debug for Locations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Locations")
            .field("cities", &self.cities.len())
            .field("nodes", &self.nodes.len())
            .field("labs", &self.partners.len())
            .finish()
    }
}

impl Locations {
    /// Tabulates `graph`: O(|V| + |E|) — every node's cities by [`Graph::cities_of`], every
    /// lab's class by [`Graph::lab_class`], then every institution's cross-border flag from
    /// its labs' and ties' (the same definition as before it was tabulated: a partner in a
    /// cross-border lab, or an end of a cross-border COLLABORATES_WITH tie).
    pub(crate) fn build(graph: &Graph) -> Locations {
        let cities: Vec<(Id, Region)> = graph
            .nodes_of(NodeKind::City, None)
            .filter_map(|n| match &n.attrs {
                NodeAttrs::City(a) => Some((n.id.clone(), a.region)),
                _ => None,
            })
            .collect();
        let city_index: HashMap<Id, u32> = cities
            .iter()
            .zip(0u32..)
            .map(|((id, _), i)| (id.clone(), i))
            .collect();
        let mut locations = Locations {
            cities,
            city_index,
            nodes: HashMap::with_capacity(graph.node_count()),
            by_kind: Default::default(),
            city_lists: Vec::with_capacity(graph.node_count()),
            partners: HashMap::with_capacity(graph.count_of(NodeKind::Lab)),
        };
        for node in graph.nodes() {
            let start = locations.list_len();
            let mut regions = RegionSet::default();
            for city in graph.cities_of(node.id.as_str()) {
                if let Some(&i) = locations.city_index.get(&city) {
                    locations.city_lists.push(i);
                    regions.insert(locations.cities[i as usize].1);
                }
            }
            let end = locations.list_len();
            if end > start {
                locations.nodes.insert(
                    node.id.clone(),
                    Located {
                        start,
                        end,
                        regions,
                        ..Located::default()
                    },
                );
            }
        }
        for lab in graph.nodes_of(NodeKind::Lab, None) {
            let mut partners: Vec<Id> = graph
                .adjacent_of_kind(lab.id.as_str(), EdgeKind::PartnerIn)
                .map(|adj| adj.neighbour.id.clone())
                .collect();
            partners.sort();
            partners.dedup();
            locations
                .partners
                .insert(lab.id.clone(), partners.into_boxed_slice());
            if let Some(class) = graph.lab_class(lab.id.as_str()) {
                let facts = locations.nodes.entry(lab.id.clone()).or_default();
                facts.class = Some(class);
                facts.cross_border = class.is_cross_border();
            }
        }
        let cross_border: Vec<Id> = graph
            .nodes_of(NodeKind::Institution, None)
            .filter(|inst| {
                let id = inst.id.as_str();
                graph
                    .adjacent_of_kind(id, EdgeKind::PartnerIn)
                    .any(|adj| locations.cross_border(adj.neighbour.id.as_str()))
                    || graph
                        .adjacent_of_kind(id, EdgeKind::CollaboratesWith)
                        .any(|adj| {
                            locations
                                .tie_class(adj.edge.from.as_str(), adj.edge.to.as_str())
                                .is_some_and(TieClass::is_cross_border)
                        })
            })
            .map(|inst| inst.id.clone())
            .collect();
        for id in cross_border {
            locations.nodes.entry(id).or_default().cross_border = true;
        }
        for kind in NodeKind::ALL {
            locations.by_kind[kind.index()] = graph
                .nodes_of(kind, None)
                .map(|node| locations.located(node.id.as_str()))
                .collect();
        }
        locations
    }

    fn list_len(&self) -> u32 {
        // A graph of more than 4 billion node–city pairs does not fit in memory anyway.
        u32::try_from(self.city_lists.len()).unwrap_or(u32::MAX)
    }

    /// Everything known of the location of `id`.
    pub(crate) fn located(&self, id: &str) -> Located {
        self.nodes.get(id).copied().unwrap_or_default()
    }

    /// The facts of every node of `kind`, in id order.
    pub(crate) fn of_kind(&self, kind: NodeKind) -> &[Located] {
        &self.by_kind[kind.index()]
    }

    /// The cities of `located`, in id order.
    pub(crate) fn cities_in(&self, located: &Located) -> impl Iterator<Item = &Id> {
        self.city_lists[located.start as usize..located.end as usize]
            .iter()
            .map(|&i| &self.cities[i as usize].0)
    }

    /// The cities `id` is located in, in id order (see [`Graph::cities_of`]).
    pub(crate) fn cities(&self, id: &str) -> impl Iterator<Item = &Id> {
        let located = self.located(id);
        self.city_lists[located.start as usize..located.end as usize]
            .iter()
            .map(|&i| &self.cities[i as usize].0)
    }

    /// The regions `id` is located in (see [`Graph::regions_of`]).
    pub(crate) fn regions(&self, id: &str) -> RegionSet {
        self.located(id).regions
    }

    /// The jurisdictions `id` is located in (see [`Graph::jurisdictions_of`]).
    pub(crate) fn jurisdictions(&self, id: &str) -> JurisdictionSet {
        self.located(id).regions.jurisdictions()
    }

    /// The class of a lab (see [`Graph::lab_class`]); `None` for other nodes.
    pub(crate) fn lab_class(&self, lab: &str) -> Option<TieClass> {
        self.located(lab).class
    }

    /// Whether a node is cross-border: a lab whose partners span two or more jurisdictions;
    /// an institution that is a partner in such a lab or has a cross-border COLLABORATES_WITH
    /// tie. Other kinds are never cross-border.
    pub(crate) fn cross_border(&self, id: &str) -> bool {
        self.located(id).cross_border
    }

    /// The class of a tie between `a` and `b` (see [`Graph::tie_class`]): `None` when an
    /// end's location is unknown.
    pub(crate) fn tie_class(&self, a: &str, b: &str) -> Option<TieClass> {
        let (a, b) = (self.jurisdictions(a), self.jurisdictions(b));
        if a.is_empty() || b.is_empty() {
            return None;
        }
        TieClass::of(a.union(b).iter())
    }

    /// A lab's partner institutions (hosts and partners), distinct, in id order.
    pub(crate) fn partners(&self, lab: &str) -> &[Id] {
        self.partners.get(lab).map_or(&[], |p| p)
    }
}

/// The fields a node works on (its WORKS_ON edges' targets).
pub(crate) fn fields_of<'g>(graph: &'g Graph, node: &'g str) -> impl Iterator<Item = &'g Id> + 'g {
    graph
        .adjacent(node)
        .filter(|adj| adj.edge.kind == EdgeKind::WorksOn && adj.outgoing)
        .map(|adj| &adj.neighbour.id)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use labgraph_domain::{
        ChangeSet, CityAttrs, Edge, EdgeRole, InstitutionAttrs, InstitutionKind, LabAttrs, LabKind,
        Names, Node, PersonAttrs, Provenance,
    };

    use super::*;

    fn id(text: &str) -> Id {
        Id::new(text).expect("test ids are valid")
    }

    fn node(text: &str, attrs: NodeAttrs) -> Node {
        Node {
            id: id(text),
            names: Names {
                en: Some(text.to_owned()),
                ..Names::default()
            },
            attrs,
            provenance: Provenance::default(),
        }
    }

    fn institution(text: &str, city: Option<&str>) -> Node {
        node(
            text,
            NodeAttrs::Institution(InstitutionAttrs {
                kind: InstitutionKind::University,
                city: city.map(id),
                website: None,
            }),
        )
    }

    fn lab(text: &str, cities: &[&str]) -> Node {
        node(
            text,
            NodeAttrs::Lab(LabAttrs {
                kind: LabKind::JointLab,
                category: None,
                batch_year: None,
                founded: None,
                status: None,
                cities: cities.iter().map(|c| id(c)).collect(),
            }),
        )
    }

    fn partner(from: &str, to: &str, role: EdgeRole) -> Edge {
        Edge {
            role: Some(role),
            ..Edge::new(EdgeKind::PartnerIn, id(from), id(to))
        }
    }

    /// Guangzhou, Hong Kong and Macao. `joint` (no city) is hosted by SYSU with HKU as
    /// partner: cross-border, located in Guangzhou. `local` is SYSU and SCUT: domestic.
    /// `lonely` has no partners. UM is in no lab but collaborates with a person affiliated
    /// in Guangzhou (cross-border); `nowhere-inst` has no city and a tie to SCUT (no class).
    fn graph() -> Graph {
        let mut changes = ChangeSet::new();
        for (city, region) in [
            ("guangzhou", Region::GdPrd),
            ("hong-kong", Region::Hk),
            ("macao", Region::Macao),
        ] {
            changes.upsert_node(node(
                city,
                NodeAttrs::City(CityAttrs {
                    region,
                    in_gba: true,
                    lat: None,
                    lon: None,
                    adcode: None,
                }),
            ));
        }
        for n in [
            institution("sysu", Some("guangzhou")),
            institution("scut", Some("guangzhou")),
            institution("hku", Some("hong-kong")),
            institution("um", Some("macao")),
            institution("nowhere-inst", None),
            lab("joint", &[]),
            lab("local", &["guangzhou"]),
            lab("lonely", &[]),
            node("p-gz", NodeAttrs::Person(PersonAttrs {})),
        ] {
            changes.upsert_node(n);
        }
        changes
            .upsert_edge(partner("sysu", "joint", EdgeRole::Host))
            .upsert_edge(partner("hku", "joint", EdgeRole::Partner))
            .upsert_edge(partner("sysu", "local", EdgeRole::Host))
            .upsert_edge(partner("scut", "local", EdgeRole::Partner))
            .upsert_edge(Edge::new(EdgeKind::AffiliatedWith, id("p-gz"), id("scut")))
            .upsert_edge(Edge::new(EdgeKind::CollaboratesWith, id("um"), id("p-gz")))
            .upsert_edge(Edge::new(
                EdgeKind::CollaboratesWith,
                id("nowhere-inst"),
                id("scut"),
            ));
        Graph::new().apply(&changes).expect("a valid graph").0
    }

    /// The definition of a cross-border node, computed from the graph node by node (as the
    /// API did before the facts were tabulated).
    fn cross_border_by_walking(graph: &Graph, node: &Node) -> bool {
        let lab = |lab: &str| graph.lab_class(lab).is_some_and(TieClass::is_cross_border);
        match node.kind() {
            NodeKind::Lab => lab(node.id.as_str()),
            NodeKind::Institution => {
                graph
                    .adjacent(node.id.as_str())
                    .any(|adj| match adj.edge.kind {
                        EdgeKind::PartnerIn => lab(adj.neighbour.id.as_str()),
                        EdgeKind::CollaboratesWith => graph
                            .tie_class(adj.edge)
                            .is_some_and(TieClass::is_cross_border),
                        _ => false,
                    })
            }
            _ => false,
        }
    }

    #[test]
    fn tabulated_facts_are_the_graphs() {
        let graph = graph();
        let facts = Locations::build(&graph);
        for node in graph.nodes() {
            let id = node.id.as_str();
            let cities: BTreeSet<Id> = facts.cities(id).cloned().collect();
            assert_eq!(cities, graph.cities_of(id), "cities of {id}");
            let regions: BTreeSet<Region> = facts.regions(id).iter().collect();
            assert_eq!(regions, graph.regions_of(id), "regions of {id}");
            let jurisdictions: BTreeSet<Jurisdiction> = facts.jurisdictions(id).iter().collect();
            assert_eq!(
                jurisdictions,
                graph.jurisdictions_of(id),
                "jurisdictions of {id}"
            );
            if node.kind() == NodeKind::Lab {
                assert_eq!(facts.lab_class(id), graph.lab_class(id), "class of {id}");
            }
            assert_eq!(
                facts.cross_border(id),
                cross_border_by_walking(&graph, node),
                "cross-border {id}"
            );
        }
        for edge in graph.edges() {
            assert_eq!(
                facts.tie_class(edge.from.as_str(), edge.to.as_str()),
                graph.tie_class(edge),
                "{}",
                edge.key()
            );
        }
    }

    #[test]
    fn tabulated_facts_answer_the_cases_by_hand() {
        let facts = Locations::build(&graph());
        let cities = |id: &str| facts.cities(id).map(Id::as_str).collect::<Vec<_>>();
        assert_eq!(cities("joint"), ["guangzhou"]);
        assert_eq!(cities("p-gz"), ["guangzhou"]);
        assert_eq!(cities("nowhere-inst"), Vec::<&str>::new());
        assert_eq!(facts.lab_class("joint"), Some(TieClass::MainlandHk));
        assert_eq!(facts.lab_class("local"), Some(TieClass::Domestic));
        assert_eq!(facts.lab_class("lonely"), None);
        let crossing: Vec<&str> = [
            "sysu",
            "scut",
            "hku",
            "um",
            "nowhere-inst",
            "joint",
            "local",
        ]
        .into_iter()
        .filter(|id| facts.cross_border(id))
        .collect();
        assert_eq!(crossing, ["sysu", "hku", "um", "joint"]);
        assert_eq!(facts.partners("joint"), [id("hku"), id("sysu")]);
        assert_eq!(facts.partners("lonely"), [] as [Id; 0]);
        assert_eq!(
            facts
                .regions("joint")
                .jurisdictions()
                .iter()
                .collect::<Vec<_>>(),
            [Jurisdiction::Mainland]
        );
    }

    #[test]
    fn region_bits_follow_declaration_order() {
        // The bit sets rely on each enum's discriminant being its position in `ALL`.
        for (i, region) in Region::ALL.into_iter().enumerate() {
            assert_eq!(region as usize, i, "{region:?}");
        }
        for (i, jurisdiction) in Jurisdiction::ALL.into_iter().enumerate() {
            assert_eq!(jurisdiction as usize, i, "{jurisdiction:?}");
        }
    }
}
