//! Projections: from the property [`Graph`] to the undirected weighted [`Network`]s the
//! algorithms run on — institutions, people, and the institution–lab bipartite network —
//! filtered by year, provenance, cross-border class, region and field.
//!
//! # Tie strength and length
//!
//! A projected tie carries a *strength*: more evidence, larger number. Algorithms that follow
//! paths (betweenness, closeness, harmonic) count hops by default and, when asked with
//! [`crate::PathWeights::InverseStrength`], read a tie of strength `s` as length `1 / s`, so a
//! tie backed by two shared labs is half as long as one backed by a single lab. Degree counts
//! ties, strength (weighted degree) sums them, PageRank moves along ties in proportion to
//! strength; components, bridges and articulation points ignore weights (a tie either exists
//! or does not).
//!
//! # Filters
//!
//! A [`Filter`] keeps the nodes and the evidence that pass every condition given:
//! - `as_of`: an edge counts when [`Edge::active_in`] the year; a lab exists from its joint-lab
//!   batch year (or, without one, its founding year) — a lab with neither is taken to exist;
//! - `verified_only`: only edges whose provenance is verified count;
//! - `cross_border_only`: only ties whose two ends are in different jurisdictions
//!   ([`TieClass`] other than `Domestic`; a tie with an end of unknown location is dropped);
//!   the nodes stay, so a node with no cross-border tie shows up isolated;
//! - `regions`: only nodes located (see [`Graph::regions_of`]) in one of the regions;
//! - `fields`: only nodes working on one of the fields or a sub-field of one; an institution
//!   works on its own fields and those of the labs it partners in; a lab only counts as
//!   shared-lab evidence when it works on one of the fields.

use std::collections::{BTreeSet, HashMap, HashSet};

use labgraph_domain::{
    Edge, EdgeKind, Graph, Id, Jurisdiction, Node, NodeAttrs, NodeKind, Region, TieClass,
};

use crate::{Network, ProjectionError};

/// Which nodes and which evidence a projection keeps. The default keeps everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// The network as it stood in this year.
    pub as_of: Option<i32>,
    /// Only verified edges.
    pub verified_only: bool,
    /// Only ties joining different jurisdictions.
    pub cross_border_only: bool,
    /// Only nodes located in one of these regions.
    pub regions: Option<BTreeSet<Region>>,
    /// Only nodes working on one of these fields (or a sub-field).
    pub fields: Option<BTreeSet<Id>>,
}

/// How the evidence for an institution–institution tie blends into its strength:
/// `strength = shared_lab · labs + collaboration · joint works + talent · talent links`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weighting {
    /// Per lab both institutions are partners (or hosts) in.
    pub shared_lab: f64,
    /// Per joint paper or project (the `COLLABORATES_WITH` weight, 1 when not given).
    pub collaboration: f64,
    /// Per `TALENT_LINK` from a person whose primary affiliation is the other institution.
    pub talent: f64,
}

impl Default for Weighting {
    /// Every piece of evidence counts 1: the spec's "weight = number of such ties".
    fn default() -> Self {
        Weighting {
            shared_lab: 1.0,
            collaboration: 1.0,
            talent: 1.0,
        }
    }
}

impl Weighting {
    fn check(&self) -> Result<(), ProjectionError> {
        for (component, value) in [
            ("shared_lab", self.shared_lab),
            ("collaboration", self.collaboration),
            ("talent", self.talent),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(ProjectionError::BadWeighting { component, value });
            }
        }
        Ok(())
    }
}

/// The institution network: institutions tied by shared labs, institution–institution
/// collaboration and talent links, with strength blended by `weighting`. Nodes are every
/// institution passing the filter, in id order, including those with no tie.
///
/// ```
/// use labgraph_analytics::projection::{institution_network, Filter, Weighting};
/// let net = institution_network(&labgraph_domain::Graph::new(), &Filter::default(), Weighting::default())?;
/// assert_eq!(net.node_count(), 0);
/// # Ok::<(), labgraph_analytics::ProjectionError>(())
/// ```
pub fn institution_network(
    graph: &Graph,
    filter: &Filter,
    weighting: Weighting,
) -> Result<Network, ProjectionError> {
    weighting.check()?;
    let ctx = Ctx::new(graph, filter);
    let nodes = ctx.nodes(NodeKind::Institution);
    let pos = positions(&nodes);
    // Evidence per pair (smaller position first): shared labs, joint works, talent links.
    let mut evidence: HashMap<(u32, u32), [f64; 3]> = HashMap::new();
    let mut add = |a: u32, b: u32, slot: usize, amount: f64| {
        if a != b {
            evidence.entry((a.min(b), a.max(b))).or_default()[slot] += amount;
        }
    };

    for lab in graph.nodes_of(NodeKind::Lab, None) {
        if !ctx.lab_exists(lab) || !ctx.field_ok(lab) {
            continue;
        }
        let mut partners: Vec<u32> = graph
            .adjacent_of_kind(lab.id.as_str(), EdgeKind::PartnerIn)
            .filter(|adj| ctx.edge_ok(adj.edge))
            .filter_map(|adj| pos.get(&adj.neighbour.id).copied())
            .collect();
        partners.sort_unstable();
        partners.dedup();
        for (i, &a) in partners.iter().enumerate() {
            for &b in &partners[i + 1..] {
                add(a, b, 0, 1.0);
            }
        }
    }

    for (a, inst) in nodes.iter().enumerate() {
        let a = a as u32;
        // Each undirected edge is read once, from its `from` end.
        for edge in graph.outgoing_of_kind(inst.id.as_str(), EdgeKind::CollaboratesWith) {
            if ctx.edge_ok(edge)
                && let Some(&b) = pos.get(&edge.to)
            {
                add(a, b, 1, edge.weight_or_one());
            }
        }
        for adj in graph.adjacent_of_kind(inst.id.as_str(), EdgeKind::TalentLink) {
            if !ctx.edge_ok(adj.edge) {
                continue;
            }
            for home in ctx.primary_affiliations(adj.neighbour.id.as_str()) {
                if let Some(&b) = pos.get(home) {
                    add(a, b, 2, 1.0);
                }
            }
        }
    }

    let juris = ctx.jurisdictions(&nodes);
    let mut edges: Vec<(u32, u32, f64)> = evidence
        .into_iter()
        .map(|((a, b), [labs, works, talent])| {
            let s = weighting.shared_lab * labs
                + weighting.collaboration * works
                + weighting.talent * talent;
            (a, b, s)
        })
        .filter(|&(a, b, s)| s > 0.0 && ctx.tie_ok(&juris[a as usize], &juris[b as usize]))
        .collect();
    // Why sort: hash-map order would make the CSR build order, and so float sums, vary.
    edges.sort_by_key(|&(a, b, _)| (a, b));
    Ok(Network::from_parts(
        nodes.iter().map(|n| n.id.clone()).collect(),
        edges,
    ))
}

/// The person network: people tied by `COLLABORATES_WITH`, strength = the edge's weight
/// (joint papers or projects, 1 when not given). Nodes are every person passing the filter,
/// in id order.
pub fn person_network(graph: &Graph, filter: &Filter) -> Network {
    let ctx = Ctx::new(graph, filter);
    let nodes = ctx.nodes(NodeKind::Person);
    let pos = positions(&nodes);
    let juris = ctx.jurisdictions(&nodes);
    let mut edges = Vec::new();
    for (a, person) in nodes.iter().enumerate() {
        for edge in graph.outgoing_of_kind(person.id.as_str(), EdgeKind::CollaboratesWith) {
            if !ctx.edge_ok(edge) {
                continue;
            }
            if let Some(&b) = pos.get(&edge.to)
                && ctx.tie_ok(&juris[a], &juris[b as usize])
            {
                edges.push((a as u32, b, edge.weight_or_one()));
            }
        }
    }
    Network::from_parts(nodes.iter().map(|n| n.id.clone()).collect(), edges)
}

/// The bipartite institution–lab network: an institution is tied to each lab it is a partner
/// or host of (`PARTNER_IN`), strength = the edge's weight (1 when not given). Nodes are the
/// institutions passing the filter, then the labs passing it (existing in `as_of`, located in
/// `regions`, working on `fields`), each in id order.
pub fn institution_lab_network(graph: &Graph, filter: &Filter) -> Network {
    let ctx = Ctx::new(graph, filter);
    let mut nodes = ctx.nodes(NodeKind::Institution);
    nodes.extend(
        ctx.nodes(NodeKind::Lab)
            .into_iter()
            .filter(|lab| ctx.lab_exists(lab)),
    );
    let pos = positions(&nodes);
    let juris = ctx.jurisdictions(&nodes);
    let mut edges = Vec::new();
    for (a, node) in nodes.iter().enumerate() {
        if node.kind() != NodeKind::Institution {
            continue;
        }
        for adj in graph.adjacent_of_kind(node.id.as_str(), EdgeKind::PartnerIn) {
            if !ctx.edge_ok(adj.edge) {
                continue;
            }
            if let Some(&b) = pos.get(&adj.neighbour.id)
                && ctx.tie_ok(&juris[a], &juris[b as usize])
            {
                edges.push((a as u32, b, adj.edge.weight_or_one()));
            }
        }
    }
    Network::from_parts(nodes.iter().map(|n| n.id.clone()).collect(), edges)
}

fn positions<'g>(nodes: &[&'g Node]) -> HashMap<&'g Id, u32> {
    nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (&n.id, i as u32))
        .collect()
}

/// The filter applied to one graph, with the field sub-tree resolved once.
struct Ctx<'g> {
    graph: &'g Graph,
    filter: &'g Filter,
    /// Every field that is one of the filter's fields or below one; `None` without a filter.
    fields: Option<HashSet<&'g Id>>,
}

impl<'g> Ctx<'g> {
    fn new(graph: &'g Graph, filter: &'g Filter) -> Ctx<'g> {
        let fields = filter.fields.as_ref().map(|wanted| {
            graph
                .nodes_of(NodeKind::Field, None)
                .filter(|f| {
                    // Walk up the parent chain; the bound guards against a cycle in the data.
                    let mut cur: Option<&Node> = Some(f);
                    for _ in 0..64 {
                        let Some(node) = cur else { break };
                        if wanted.contains(&node.id) {
                            return true;
                        }
                        cur = match &node.attrs {
                            NodeAttrs::Field(a) => {
                                a.parent.as_ref().and_then(|p| graph.node(p.as_str()))
                            }
                            _ => None,
                        }
                        .map(|n| &**n);
                    }
                    false
                })
                .map(|f| &f.id)
                .collect()
        });
        Ctx {
            graph,
            filter,
            fields,
        }
    }

    fn edge_ok(&self, edge: &Edge) -> bool {
        self.filter.as_of.is_none_or(|y| edge.active_in(y))
            && (!self.filter.verified_only || edge.provenance.verified)
    }

    fn lab_exists(&self, lab: &Node) -> bool {
        let (Some(year), NodeAttrs::Lab(a)) = (self.filter.as_of, &lab.attrs) else {
            return true;
        };
        a.batch_year.or(a.founded).is_none_or(|start| start <= year)
    }

    /// The nodes of `kind` passing the region and field filters, in id order.
    fn nodes(&self, kind: NodeKind) -> Vec<&'g Node> {
        self.graph
            .nodes_of(kind, None)
            .map(|n| &**n)
            .filter(|n| self.region_ok(n) && self.field_ok(n))
            .collect()
    }

    fn region_ok(&self, node: &Node) -> bool {
        self.filter.regions.as_ref().is_none_or(|wanted| {
            self.graph
                .regions_of(node.id.as_str())
                .iter()
                .any(|r| wanted.contains(r))
        })
    }

    fn field_ok(&self, node: &Node) -> bool {
        let Some(fields) = &self.fields else {
            return true;
        };
        let works_on = |id: &str| {
            self.graph
                .adjacent_of_kind(id, EdgeKind::WorksOn)
                .filter(|adj| adj.outgoing)
                .filter(|adj| self.filter.as_of.is_none_or(|y| adj.edge.active_in(y)))
                .any(|adj| fields.contains(&adj.neighbour.id))
        };
        if works_on(node.id.as_str()) {
            return true;
        }
        node.kind() == NodeKind::Institution
            && self
                .graph
                .adjacent_of_kind(node.id.as_str(), EdgeKind::PartnerIn)
                .filter(|adj| self.edge_ok(adj.edge) && self.lab_exists(adj.neighbour))
                .any(|adj| works_on(adj.neighbour.id.as_str()))
    }

    /// The institutions a person is primarily affiliated with: those marked primary, or all
    /// when none is (the same rule as [`Graph::cities_of`]).
    fn primary_affiliations(&self, person: &str) -> Vec<&'g Id> {
        let affiliations: Vec<_> = self
            .graph
            .adjacent_of_kind(person, EdgeKind::AffiliatedWith)
            .filter(|adj| self.edge_ok(adj.edge))
            .collect();
        let any_primary = affiliations.iter().any(|a| a.edge.primary == Some(true));
        affiliations
            .into_iter()
            .filter(|a| !any_primary || a.edge.primary == Some(true))
            .map(|a| &a.neighbour.id)
            .collect()
    }

    fn jurisdictions(&self, nodes: &[&Node]) -> Vec<BTreeSet<Jurisdiction>> {
        if !self.filter.cross_border_only {
            return vec![BTreeSet::new(); nodes.len()];
        }
        nodes
            .iter()
            .map(|n| self.graph.jurisdictions_of(n.id.as_str()))
            .collect()
    }

    fn tie_ok(&self, a: &BTreeSet<Jurisdiction>, b: &BTreeSet<Jurisdiction>) -> bool {
        if !self.filter.cross_border_only || a.is_empty() || b.is_empty() {
            return !self.filter.cross_border_only;
        }
        TieClass::of(a.iter().chain(b).copied()).is_some_and(TieClass::is_cross_border)
    }
}
