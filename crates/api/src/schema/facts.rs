//! Facts the schema derives from a graph snapshot: where a node is, whether it is
//! cross-border, and the reverse indexes (city → institutions and labs, field → children) that
//! the graph itself does not keep.

use std::collections::{BTreeSet, HashMap, HashSet};

use labgraph_domain::{EdgeKind, EdgeRole, Graph, Id, Node, NodeAttrs, NodeKind};

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
            for city in cities_of(graph, node) {
                derived
                    .institutions_by_city
                    .entry(city)
                    .or_default()
                    .push(node.id.clone());
            }
        }
        for node in graph.nodes_of(NodeKind::Lab, None) {
            for city in cities_of(graph, node) {
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

/// The cities a node is located in, by the same rules as [`Graph::regions_of`]: an
/// institution's city; a lab's or platform's cities (for a lab without one, its hosts'
/// cities); a person's affiliations' cities (primary ones when marked); a city itself; none for
/// a field.
pub(crate) fn cities_of(graph: &Graph, node: &Node) -> BTreeSet<Id> {
    match &node.attrs {
        NodeAttrs::City(_) => BTreeSet::from([node.id.clone()]),
        NodeAttrs::Institution(a) => a.city.iter().cloned().collect(),
        NodeAttrs::Platform(a) => a.cities.iter().cloned().collect(),
        NodeAttrs::Lab(a) if !a.cities.is_empty() => a.cities.iter().cloned().collect(),
        NodeAttrs::Lab(_) => graph
            .adjacent(node.id.as_str())
            .filter(|adj| {
                adj.edge.kind == EdgeKind::PartnerIn && adj.edge.role == Some(EdgeRole::Host)
            })
            .flat_map(|adj| cities_of(graph, adj.neighbour))
            .collect(),
        NodeAttrs::Person(_) => {
            let affiliations: Vec<_> = graph
                .adjacent(node.id.as_str())
                .filter(|adj| adj.edge.kind == EdgeKind::AffiliatedWith)
                .collect();
            let any_primary = affiliations
                .iter()
                .any(|adj| adj.edge.primary == Some(true));
            affiliations
                .iter()
                .filter(|adj| !any_primary || adj.edge.primary == Some(true))
                .flat_map(|adj| cities_of(graph, adj.neighbour))
                .collect()
        }
        NodeAttrs::Field(_) => BTreeSet::new(),
    }
}

/// True for a lab whose partners (hosts and partners) span two or more jurisdictions.
pub(crate) fn lab_is_cross_border(graph: &Graph, lab: &str) -> bool {
    graph
        .lab_class(lab)
        .is_some_and(|class| class.is_cross_border())
}

/// Whether a node is cross-border: a lab whose partners span two or more jurisdictions; an
/// institution that is a partner in such a lab or has a cross-border COLLABORATES_WITH tie.
/// Other kinds are never cross-border.
pub(crate) fn is_cross_border(graph: &Graph, node: &Node) -> bool {
    match node.kind() {
        NodeKind::Lab => lab_is_cross_border(graph, node.id.as_str()),
        NodeKind::Institution => graph
            .adjacent(node.id.as_str())
            .any(|adj| match adj.edge.kind {
                EdgeKind::PartnerIn => lab_is_cross_border(graph, adj.neighbour.id.as_str()),
                EdgeKind::CollaboratesWith => graph
                    .tie_class(adj.edge)
                    .is_some_and(|class| class.is_cross_border()),
                _ => false,
            }),
        _ => false,
    }
}

/// The fields a node works on (its WORKS_ON edges' targets).
pub(crate) fn fields_of<'g>(graph: &'g Graph, node: &'g str) -> impl Iterator<Item = &'g Id> + 'g {
    graph
        .adjacent(node)
        .filter(|adj| adj.edge.kind == EdgeKind::WorksOn && adj.outgoing)
        .map(|adj| &adj.neighbour.id)
}
