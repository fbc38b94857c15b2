//! What-if: proposed labs and ties added, nodes removed, on an in-memory copy of the graph —
//! and what that would change in the institution network: components joined or split, hop
//! distances to Hong Kong and Macao, betweenness among the top brokers, gap cells closed or
//! opened. Nothing is stored: the proposal is a domain `ChangeSet` applied by `Graph::apply`,
//! which builds a new graph and leaves the one it was given untouched.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use labgraph_analytics::{Network, PathWeights, algo};
use labgraph_domain::{
    ChangeSet, Edge, EdgeKind, EdgeRole, Graph, Id, Jurisdiction, LabAttrs, LabKind, LabStatus,
    Names, Node, NodeAttrs, NodeKind, Provenance,
};

use crate::InsightError;
use crate::gaps::{self, Area, AreaLevel};
use crate::place::{self, Adjacency, FAR};

/// How many of the top brokers [`what_if`] compares.
pub const TOP_BROKERS: usize = 10;

/// A lab that does not exist yet: a joint lab between `partners`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProposedLab {
    /// Its id; `proposed-lab-N` (N = its position, from 1) when `None`. Must be new.
    pub id: Option<Id>,
    /// Its English name; `Proposed joint lab N` when `None`.
    pub name: Option<String>,
    /// Two or more distinct institutions; the first hosts it.
    pub partners: Vec<Id>,
    /// The fields it would work on (may be empty).
    pub fields: Vec<Id>,
    /// The city it would be in; the host's city when `None`.
    pub city: Option<Id>,
}

/// A tie that does not exist yet between two institutions.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposedTie {
    /// One institution.
    pub a: Id,
    /// The other.
    pub b: Id,
    /// The kind of edge: only `COLLABORATES_WITH` joins two institutions directly.
    pub kind: EdgeKind,
    /// Joint papers or projects behind it (the edge's weight), positive; 1 when `None`.
    pub strength: Option<f64>,
}

/// A proposal: labs and ties to add, nodes to remove, and the year to look at.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Proposal {
    /// Labs to add.
    pub labs: Vec<ProposedLab>,
    /// Ties to add.
    pub ties: Vec<ProposedTie>,
    /// Nodes to remove, with every edge touching them.
    pub remove: Vec<Id>,
    /// The network as it stood in this year (the proposal always holds); today's when `None`.
    pub as_of: Option<i32>,
}

/// The institution network in figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Institutions (with or without ties).
    pub institutions: usize,
    /// Ties between institutions.
    pub ties: usize,
    /// Ties whose ends are in different jurisdictions.
    pub cross_border_ties: usize,
    /// Connected components, isolated institutions included.
    pub components: usize,
    /// Institutions with no tie.
    pub isolated: usize,
    /// Institutions in the largest component.
    pub largest_component: usize,
}

/// A component of one side, named by its smallest id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentPart {
    /// The smallest institution id in it.
    pub first: Id,
    /// Institutions in it.
    pub size: usize,
}

/// Components of one side that are one component on the other: joined by the proposal
/// (parts before, one after) or split by it (one before, parts after).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentChange {
    /// Institutions in the joined component (after) or the split one (before).
    pub size: usize,
    /// The parts, largest first (equal sizes: by first id).
    pub parts: Vec<ComponentPart>,
}

/// An institution whose hop distance to Hong Kong or Macao changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distance {
    /// The institution.
    pub id: Id,
    /// Fewest ties to a Hong Kong institution before; `None` for no path.
    pub to_hk_before: Option<u32>,
    /// ... and after.
    pub to_hk_after: Option<u32>,
    /// Fewest ties to a Macao institution before.
    pub to_macao_before: Option<u32>,
    /// ... and after.
    pub to_macao_after: Option<u32>,
}

impl Distance {
    /// True when the institution gets nearer to Hong Kong or to Macao.
    pub fn shortens(&self) -> bool {
        let nearer = |before: Option<u32>, after: Option<u32>| match (before, after) {
            (None, Some(_)) => true,
            (Some(b), Some(a)) => a < b,
            _ => false,
        };
        nearer(self.to_hk_before, self.to_hk_after)
            || nearer(self.to_macao_before, self.to_macao_after)
    }
}

/// The betweenness of a top broker before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct BetweennessShift {
    /// The institution.
    pub id: Id,
    /// Normalised betweenness (hops) before; `None` when it is not in the network before.
    pub before: Option<f64>,
    /// ... and after.
    pub after: Option<f64>,
    /// Its rank before (1 = highest; equal scores by id).
    pub rank_before: Option<usize>,
    /// ... and after.
    pub rank_after: Option<usize>,
}

/// A city × field cell whose cross-border ties go from none to some, or from some to none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapChange {
    /// The city.
    pub area: Area,
    /// The field.
    pub field: Id,
    /// Cross-border ties in the cell before.
    pub observed_before: usize,
    /// ... and after.
    pub observed_after: usize,
}

/// What the proposal changes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Delta {
    /// Components that become one.
    pub joined: Vec<ComponentChange>,
    /// Components that fall apart (only removals split).
    pub split: Vec<ComponentChange>,
    /// Institutions whose distance to Hong Kong or Macao changes, in id order (removed
    /// institutions left out).
    pub distances: Vec<Distance>,
    /// The top brokers before and after ([`TOP_BROKERS`] each with a positive score, merged),
    /// by rank after, then rank before, then id.
    pub betweenness: Vec<BetweennessShift>,
    /// City × field cells with no cross-border tie before and some after.
    pub gaps_closed: Vec<GapChange>,
    /// City × field cells with cross-border ties before and none after.
    pub gaps_opened: Vec<GapChange>,
}

/// The answer of [`what_if`].
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    /// The network today (or in `as_of`).
    pub before: Summary,
    /// The network with the proposal.
    pub after: Summary,
    /// What changes.
    pub delta: Delta,
}

/// What the institution network would look like with `proposal`: before, after and the
/// changes, computed on a copy of `graph` (nothing is stored; `graph` is not changed).
///
/// The proposal becomes a change set — each lab a `LAB` node (kind joint lab, status
/// planned, no years, so it exists in every year) with `PARTNER_IN` edges from its partners
/// (the first as host) and `WORKS_ON` edges to its fields; each tie a `COLLABORATES_WITH`
/// edge of weight `strength`; each removal a node deletion with its edges — applied by
/// `Graph::apply`. Both graphs are then projected to the institution network (as of
/// `as_of`) and compared: components (breadth-first), hop distances to the nearest Hong Kong
/// and Macao institution (multi-source breadth-first search), normalised betweenness by hops
/// (Brandes 2001) among the [`TOP_BROKERS`] of each side, and the city × field gap matrix
/// ([`crate::gaps::gap_matrix`]).
///
/// Errors name the argument: an unknown id ([`InsightError::UnknownNode`]), an id of the
/// wrong kind ([`InsightError::WrongKind`]), a tie from an institution to itself, a kind
/// other than `COLLABORATES_WITH`, a strength that is not positive, a lab with fewer than two
/// distinct partners, a lab id already taken, a node both removed and used, an empty
/// proposal, or an `as_of` out of range ([`InsightError::Invalid`]).
///
/// Complexity: O(|V||E|) for betweenness plus one projection per field for the gap matrix,
/// twice.
///
/// ```
/// # let tiny = r#"
/// # {"record":"node","kind":"city","id":"gz","name_en":"Guangzhou","region":"gd_prd","in_gba":true}
/// # {"record":"node","kind":"city","id":"hk","name_en":"Hong Kong","region":"hk","in_gba":true}
/// # {"record":"node","kind":"field","id":"bio","name_en":"Biomedicine","field_group":"strategic_industry"}
/// # {"record":"node","kind":"field","id":"q","name_en":"Quantum","field_group":"frontier"}
/// # {"record":"node","kind":"institution","id":"a","name_en":"A","institution_kind":"university","city":"gz"}
/// # {"record":"node","kind":"institution","id":"b","name_en":"B","institution_kind":"university","city":"gz"}
/// # {"record":"node","kind":"institution","id":"h","name_en":"H","institution_kind":"university","city":"hk"}
/// # {"record":"node","kind":"lab","id":"l1","name_en":"L1","lab_kind":"joint_lab","batch_year":2019}
/// # {"record":"node","kind":"lab","id":"l2","name_en":"L2","lab_kind":"joint_lab"}
/// # {"record":"edge","kind":"partner_in","from":"a","to":"l1","role":"host","since":2019}
/// # {"record":"edge","kind":"partner_in","from":"h","to":"l1","role":"partner","since":2019}
/// # {"record":"edge","kind":"partner_in","from":"a","to":"l2","role":"host"}
/// # {"record":"edge","kind":"partner_in","from":"b","to":"l2","role":"partner"}
/// # {"record":"edge","kind":"works_on","from":"l1","to":"bio"}
/// # {"record":"edge","kind":"works_on","from":"l2","to":"bio"}
/// # "#;
/// # let parsed = labgraph_io::read_str("tiny.jsonl", tiny.trim(), labgraph_io::Format::Jsonl)?;
/// # let graph = parsed.apply_to(&labgraph_domain::Graph::new())?.0;
/// // Guangzhou's `a` shares joint lab l1 (from 2019) with Hong Kong's `h` and lab l2 (no
/// // year) with Guangzhou's `b`, both on bio; no lab works on quantum (`q`).
/// use labgraph_insights::whatif::{what_if, Proposal, ProposedTie};
/// let tie = ProposedTie {
///     a: labgraph_domain::Id::new("b")?,
///     b: labgraph_domain::Id::new("h")?,
///     kind: labgraph_domain::EdgeKind::CollaboratesWith,
///     strength: None,
/// };
/// let w = what_if(&graph, &Proposal { ties: vec![tie], ..Proposal::default() })?;
/// assert_eq!((w.before.cross_border_ties, w.after.cross_border_ties), (1, 2));
/// let d = &w.delta.distances[0];
/// assert_eq!((d.id.as_str(), d.to_hk_before, d.to_hk_after), ("b", Some(2), Some(1)));
/// // a is no longer between b and h: it drops out of the brokers.
/// assert_eq!((w.delta.betweenness[0].before, w.delta.betweenness[0].after), (Some(1.0), Some(0.0)));
/// assert_eq!(graph.edge_count(), 6); // nothing stored
/// let err = what_if(&graph, &Proposal::default()).unwrap_err();
/// assert_eq!(err.to_string(), "add: the proposal adds and removes nothing");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn what_if(graph: &Graph, proposal: &Proposal) -> Result<WhatIf, InsightError> {
    gaps::check_as_of(proposal.as_of)?;
    let changes = change_set(graph, proposal)?;
    let (after_graph, _diff) = graph.apply(&changes).map_err(|e| {
        InsightError::invalid(apply_argument(proposal, e.index), e.error.to_string())
    })?;

    let before_net = place::institutions(graph, proposal.as_of)?;
    let after_net = place::institutions(&after_graph, proposal.as_of)?;
    let before = Adjacency::of(&before_net, graph);
    let after = Adjacency::of(&after_net, &after_graph);

    let (joined, split) = component_changes(&before, &after);
    let (gaps_closed, gaps_opened) = gap_changes(graph, &after_graph, proposal.as_of)?;
    Ok(WhatIf {
        before: summary(&before),
        after: summary(&after),
        delta: Delta {
            joined,
            split,
            distances: distance_changes(&before, &after),
            betweenness: betweenness_shifts(&before_net, &after_net),
            gaps_closed,
            gaps_opened,
        },
    })
}

/// Checks a proposal against `graph` without computing anything: the errors [`what_if`]
/// would report. O(size of the proposal).
pub fn check(graph: &Graph, proposal: &Proposal) -> Result<(), InsightError> {
    gaps::check_as_of(proposal.as_of)?;
    change_set(graph, proposal).map(|_| ())
}

/// The argument behind change `index` of the proposal's change set, whose deletions come
/// first, in the order of `remove`.
fn apply_argument(proposal: &Proposal, index: usize) -> String {
    if index < proposal.remove.len() {
        format!("remove[{index}]")
    } else {
        "add".to_owned()
    }
}

/// The proposal as a change set, every argument checked.
fn change_set(graph: &Graph, proposal: &Proposal) -> Result<ChangeSet, InsightError> {
    if proposal.labs.is_empty() && proposal.ties.is_empty() && proposal.remove.is_empty() {
        return Err(InsightError::invalid(
            "add",
            "the proposal adds and removes nothing",
        ));
    }
    let mut changes = ChangeSet::new();
    let mut removed: BTreeMap<Id, String> = BTreeMap::new();
    for (i, id) in proposal.remove.iter().enumerate() {
        let at = format!("remove[{i}]");
        if graph.node(id.as_str()).is_none() {
            return Err(InsightError::UnknownNode {
                argument: at,
                id: id.to_string(),
            });
        }
        if removed.insert(id.clone(), at.clone()).is_some() {
            return Err(InsightError::invalid(at, format!("{id} is given twice")));
        }
        changes.delete_node(id.clone());
    }
    // A node removed and used by an addition is a contradiction, not an order to guess.
    let kept = |at: &str, id: &Id| match removed.get(id) {
        Some(where_removed) => Err(InsightError::invalid(
            at,
            format!("{id} is removed by {where_removed}"),
        )),
        None => Ok(()),
    };
    let institution = |at: String, id: &Id| -> Result<Id, InsightError> {
        kept(&at, id)?;
        place::expect_node(
            graph,
            at,
            id.as_str(),
            &[NodeKind::Institution],
            "an institution",
        )
    };

    let mut new_ids: BTreeSet<Id> = BTreeSet::new();
    for (i, lab) in proposal.labs.iter().enumerate() {
        let at = format!("add.labs[{i}]");
        let id = match &lab.id {
            Some(id) => id.clone(),
            None => Id::new(&format!("proposed-lab-{}", i + 1))
                .map_err(|e| InsightError::invalid(format!("{at}.id"), e.to_string()))?,
        };
        if graph.node(id.as_str()).is_some() || !new_ids.insert(id.clone()) {
            return Err(InsightError::invalid(
                format!("{at}.id"),
                format!("{id} is already taken: give the proposed lab a new id"),
            ));
        }
        let mut partners: Vec<Id> = Vec::with_capacity(lab.partners.len());
        for (j, p) in lab.partners.iter().enumerate() {
            let p = institution(format!("{at}.partners[{j}]"), p)?;
            if partners.contains(&p) {
                return Err(InsightError::invalid(
                    format!("{at}.partners[{j}]"),
                    format!("{p} is given twice"),
                ));
            }
            partners.push(p);
        }
        if partners.len() < 2 {
            return Err(InsightError::invalid(
                format!("{at}.partners"),
                format!(
                    "a joint lab needs two or more partners to tie anyone; {} given",
                    partners.len()
                ),
            ));
        }
        let mut fields = Vec::with_capacity(lab.fields.len());
        for (j, f) in lab.fields.iter().enumerate() {
            let at = format!("{at}.fields[{j}]");
            kept(&at, f)?;
            let f = place::expect_node(graph, at, f.as_str(), &[NodeKind::Field], "a field")?;
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
        let city = match &lab.city {
            Some(c) => {
                let at = format!("{at}.city");
                kept(&at, c)?;
                Some(place::expect_node(
                    graph,
                    at,
                    c.as_str(),
                    &[NodeKind::City],
                    "a city",
                )?)
            }
            None => None,
        };
        changes.upsert_node(Node {
            id: id.clone(),
            names: Names {
                en: Some(
                    lab.name
                        .clone()
                        .unwrap_or_else(|| format!("Proposed joint lab {}", i + 1)),
                ),
                ..Names::default()
            },
            attrs: NodeAttrs::Lab(LabAttrs {
                kind: LabKind::JointLab,
                category: None,
                batch_year: None,
                founded: None,
                status: Some(LabStatus::Planned),
                cities: city.into_iter().collect(),
            }),
            provenance: Provenance::default(),
        });
        for (j, p) in partners.into_iter().enumerate() {
            changes.upsert_edge(Edge {
                role: Some(if j == 0 {
                    EdgeRole::Host
                } else {
                    EdgeRole::Partner
                }),
                ..Edge::new(EdgeKind::PartnerIn, p, id.clone())
            });
        }
        for f in fields {
            changes.upsert_edge(Edge::new(EdgeKind::WorksOn, id.clone(), f));
        }
    }

    for (i, tie) in proposal.ties.iter().enumerate() {
        let at = format!("add.ties[{i}]");
        if tie.kind != EdgeKind::CollaboratesWith {
            return Err(InsightError::invalid(
                format!("{at}.kind"),
                format!(
                    "{} cannot join two institutions: a proposed tie is collaborates_with (propose a lab for a shared lab)",
                    tie.kind
                ),
            ));
        }
        let a = institution(format!("{at}.a"), &tie.a)?;
        let b = institution(format!("{at}.b"), &tie.b)?;
        if a == b {
            return Err(InsightError::invalid(
                format!("{at}.b"),
                format!("a tie joins two institutions; {a} is given at both ends"),
            ));
        }
        if let Some(s) = tie.strength.filter(|s| !(s.is_finite() && *s > 0.0)) {
            return Err(InsightError::invalid(
                format!("{at}.strength"),
                format!("{s} is not a positive number"),
            ));
        }
        changes.upsert_edge(Edge {
            weight: tie.strength,
            ..Edge::new(EdgeKind::CollaboratesWith, a, b)
        });
    }
    Ok(changes)
}

/// The figures of one side.
fn summary(adj: &Adjacency) -> Summary {
    let comp = adj.components();
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for &c in &comp {
        *sizes.entry(c).or_default() += 1;
    }
    let mut ties = 0;
    let mut cross_border = 0;
    for u in 0..adj.len() {
        for &v in &adj.neighbours[u] {
            if u < v {
                ties += 1;
                let (a, b) = (adj.places[u].jurisdiction, adj.places[v].jurisdiction);
                cross_border += usize::from(a.is_some() && b.is_some() && a != b);
            }
        }
    }
    Summary {
        institutions: adj.len(),
        ties,
        cross_border_ties: cross_border,
        components: sizes.len(),
        isolated: adj.neighbours.iter().filter(|n| n.is_empty()).count(),
        largest_component: sizes.values().copied().max().unwrap_or(0),
    }
}

/// Components joined (several before, one after) and split (one before, several after).
fn component_changes(
    before: &Adjacency,
    after: &Adjacency,
) -> (Vec<ComponentChange>, Vec<ComponentChange>) {
    let comp_before = before.components();
    let comp_after = after.components();
    let parts_of = |adj: &Adjacency, comp: &[usize]| -> HashMap<usize, ComponentPart> {
        let mut parts: HashMap<usize, ComponentPart> = HashMap::new();
        // Ids are in id order, so the first seen is the smallest.
        for (u, &c) in comp.iter().enumerate() {
            parts
                .entry(c)
                .or_insert_with(|| ComponentPart {
                    first: adj.ids[u].clone(),
                    size: 0,
                })
                .size += 1;
        }
        parts
    };
    let parts_before = parts_of(before, &comp_before);
    let parts_after = parts_of(after, &comp_after);
    // For each component on one side, the components its members belong to on the other.
    let across = |from: &Adjacency,
                  from_comp: &[usize],
                  to: &Adjacency,
                  to_comp: &[usize]|
     -> BTreeMap<usize, BTreeSet<usize>> {
        let mut map: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for (u, id) in from.ids.iter().enumerate() {
            if let Some(&v) = to.index.get(id) {
                map.entry(from_comp[u]).or_default().insert(to_comp[v]);
            }
        }
        map
    };
    let change =
        |whole: &ComponentPart, parts: &BTreeSet<usize>, table: &HashMap<usize, ComponentPart>| {
            let mut parts: Vec<ComponentPart> =
                parts.iter().filter_map(|p| table.get(p)).cloned().collect();
            parts.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.first.cmp(&b.first)));
            ComponentChange {
                size: whole.size,
                parts,
            }
        };
    let mut joined: Vec<ComponentChange> = across(after, &comp_after, before, &comp_before)
        .into_iter()
        .filter(|(_, parts)| parts.len() > 1)
        .filter_map(|(c, parts)| {
            parts_after
                .get(&c)
                .map(|whole| change(whole, &parts, &parts_before))
        })
        .collect();
    let mut split: Vec<ComponentChange> = across(before, &comp_before, after, &comp_after)
        .into_iter()
        .filter(|(_, parts)| parts.len() > 1)
        .filter_map(|(c, parts)| {
            parts_before
                .get(&c)
                .map(|whole| change(whole, &parts, &parts_after))
        })
        .collect();
    let order = |a: &ComponentChange, b: &ComponentChange| {
        b.size.cmp(&a.size).then_with(|| {
            a.parts
                .first()
                .map(|p| &p.first)
                .cmp(&b.parts.first().map(|p| &p.first))
        })
    };
    joined.sort_by(order);
    split.sort_by(order);
    (joined, split)
}

/// Institutions (present on both sides) whose distance to Hong Kong or Macao changes.
fn distance_changes(before: &Adjacency, after: &Adjacency) -> Vec<Distance> {
    let hops = |adj: &Adjacency, j: Jurisdiction| adj.distances(&adj.in_jurisdiction(j));
    let (hk_b, mo_b) = (
        hops(before, Jurisdiction::HongKong),
        hops(before, Jurisdiction::Macao),
    );
    let (hk_a, mo_a) = (
        hops(after, Jurisdiction::HongKong),
        hops(after, Jurisdiction::Macao),
    );
    let hop = |d: u32| (d != FAR).then_some(d);
    before
        .ids
        .iter()
        .enumerate()
        .filter_map(|(u, id)| {
            let &v = after.index.get(id)?;
            let d = Distance {
                id: id.clone(),
                to_hk_before: hop(hk_b[u]),
                to_hk_after: hop(hk_a[v]),
                to_macao_before: hop(mo_b[u]),
                to_macao_after: hop(mo_a[v]),
            };
            (d.to_hk_before != d.to_hk_after || d.to_macao_before != d.to_macao_after).then_some(d)
        })
        .collect()
}

/// Betweenness of the top brokers of either side, before and after.
fn betweenness_shifts(before: &Network, after: &Network) -> Vec<BetweennessShift> {
    let ranked = |net: &Network| -> HashMap<Id, (usize, f64)> {
        let scores = algo::betweenness(net, PathWeights::Hops, true);
        scores
            .top(scores.len())
            .into_iter()
            .enumerate()
            .map(|(i, (id, s))| (id.clone(), (i + 1, s)))
            .collect()
    };
    let (rb, ra) = (ranked(before), ranked(after));
    let top: BTreeSet<Id> = rb
        .iter()
        .chain(&ra)
        // A node on no shortest path brokers nothing, whatever its rank among the zeros.
        .filter(|(_, (rank, score))| *rank <= TOP_BROKERS && *score > 0.0)
        .map(|(id, _)| id.clone())
        .collect();
    let mut shifts: Vec<BetweennessShift> = top
        .into_iter()
        .map(|id| BetweennessShift {
            before: rb.get(&id).map(|r| r.1),
            after: ra.get(&id).map(|r| r.1),
            rank_before: rb.get(&id).map(|r| r.0),
            rank_after: ra.get(&id).map(|r| r.0),
            id,
        })
        .collect();
    // `None` (removed) sorts after every rank.
    let key = |r: Option<usize>| r.unwrap_or(usize::MAX);
    shifts.sort_by(|a, b| {
        key(a.rank_after)
            .cmp(&key(b.rank_after))
            .then(key(a.rank_before).cmp(&key(b.rank_before)))
            .then_with(|| a.id.cmp(&b.id))
    });
    shifts
}

/// City × field cells closed (none → some cross-border ties) and opened (some → none).
fn gap_changes(
    before: &Graph,
    after: &Graph,
    as_of: Option<i32>,
) -> Result<(Vec<GapChange>, Vec<GapChange>), InsightError> {
    let observed = |g: &Graph| -> Result<BTreeMap<(Area, Id), usize>, InsightError> {
        Ok(gaps::gap_matrix(g, AreaLevel::City, None, as_of)?
            .into_iter()
            .map(|c| ((c.area, c.field), c.observed))
            .collect())
    };
    let (b, a) = (observed(before)?, observed(after)?);
    let keys: BTreeSet<&(Area, Id)> = b.keys().chain(a.keys()).collect();
    let mut closed = Vec::new();
    let mut opened = Vec::new();
    for key in keys {
        let (ob, oa) = (
            b.get(key).copied().unwrap_or(0),
            a.get(key).copied().unwrap_or(0),
        );
        let change = || GapChange {
            area: key.0.clone(),
            field: key.1.clone(),
            observed_before: ob,
            observed_after: oa,
        };
        if ob == 0 && oa > 0 {
            closed.push(change());
        } else if ob > 0 && oa == 0 {
            opened.push(change());
        }
    }
    Ok((closed, opened))
}
