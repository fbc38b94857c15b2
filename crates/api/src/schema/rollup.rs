//! Roll-ups (lab → institution → city → region → jurisdiction) and tie pairs, computed at
//! query time from one snapshot and its location facts (`facts::Locations`: who is where,
//! each lab's partners and class), counting each institution–institution tie once.
//!
//! A *tie* is a pair of distinct institutions that are both PARTNER_IN (host or partner) the
//! same lab. However many labs two institutions share, they are one tie; the labs behind it
//! are counted separately.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use async_graphql::SimpleObject;
use labgraph_domain::{Graph, Id, NodeKind, TieClass as DomainTieClass};

use super::enums::{Jurisdiction, Region, RollupLevel, TieClass};
use super::facts::Locations;
use super::list::NodeFilter;
use super::nodes::name_in;

/// One group of a roll-up.
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct RollupRow {
    /// The group: an institution id, a city id, a Region value (e.g. `GD_PRD`) or a
    /// Jurisdiction value (e.g. `HONG_KONG`).
    pub key: String,
    /// The group's English name.
    pub name: String,
    /// Selected labs located here (a lab in several cities counts in each, once; at the
    /// institution level, the selected labs the institution is a partner in).
    pub labs: usize,
    /// Distinct institutions located here that are partners in at least one selected lab.
    pub institutions: usize,
    /// Selected labs located here whose partners span two or more jurisdictions.
    pub cross_border_labs: usize,
    /// Ties (pairs of institutions sharing a selected lab) with at least one end located here;
    /// each pair counts once, even when both ends are here or they share several labs.
    pub ties: usize,
    /// Those ties whose two ends are in different jurisdictions.
    pub cross_border_ties: usize,
}

/// Ties between two groups (or within one, when `a` equals `b`).
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct TiePair {
    /// The first group's key (the smaller of the two).
    pub a: String,
    /// The second group's key.
    pub b: String,
    /// The class of the pair by the groups' jurisdictions.
    pub tie_class: Option<TieClass>,
    /// Distinct labs behind these ties.
    pub labs: usize,
    /// Distinct institution pairs with one end in `a` and the other in `b`, each counted
    /// once however many labs they share.
    pub ties: usize,
}

/// The distinct ties and labs found between two groups.
type PairTally = (BTreeSet<(Id, Id)>, BTreeSet<Id>);

/// The keys a node falls under at `level`.
fn keys_of(locations: &Locations, id: &Id, level: RollupLevel) -> BTreeSet<String> {
    let id = id.as_str();
    match level {
        // A lab rolls up to its partners (each once: the list is distinct); an institution is
        // its own group.
        RollupLevel::Institution => match locations.partners(id) {
            [] => BTreeSet::from([id.to_owned()]),
            partners => partners.iter().map(|p| p.to_string()).collect(),
        },
        RollupLevel::City => locations.cities(id).map(|c| c.to_string()).collect(),
        RollupLevel::Region => locations
            .regions(id)
            .iter()
            .map(|r| Region::key(r).to_owned())
            .collect(),
        RollupLevel::Jurisdiction => locations
            .jurisdictions(id)
            .iter()
            .map(|j| Jurisdiction::key(j).to_owned())
            .collect(),
    }
}

/// Every group of a level with its English name, so that empty groups show as zeros (a gap
/// is an answer too).
fn all_groups(
    graph: &Graph,
    level: RollupLevel,
) -> Vec<(String, String, labgraph_domain::Jurisdiction)> {
    match level {
        // Institutions of no known jurisdiction have no group (as in tie pairs).
        RollupLevel::Institution => graph
            .nodes_of(NodeKind::Institution, None)
            .filter_map(|n| {
                let jurisdiction = graph.jurisdictions_of(n.id.as_str()).into_iter().next()?;
                Some((
                    n.id.to_string(),
                    name_in(&n.names, Some(super::enums::Lang::En)),
                    jurisdiction,
                ))
            })
            .collect(),
        RollupLevel::City => graph
            .nodes_of(NodeKind::City, None)
            .filter_map(|n| match &n.attrs {
                labgraph_domain::NodeAttrs::City(a) => Some((
                    n.id.to_string(),
                    name_in(&n.names, Some(super::enums::Lang::En)),
                    a.region.jurisdiction(),
                )),
                _ => None,
            })
            .collect(),
        RollupLevel::Region => labgraph_domain::Region::ALL
            .into_iter()
            .map(|r| {
                (
                    Region::key(r).to_owned(),
                    Region::english(r).to_owned(),
                    r.jurisdiction(),
                )
            })
            .collect(),
        RollupLevel::Jurisdiction => labgraph_domain::Jurisdiction::ALL
            .into_iter()
            .map(|j| (Jurisdiction::key(j).to_owned(), j.to_string(), j))
            .collect(),
    }
}

/// The selected labs with their partner institutions (sorted, distinct).
fn selected_labs<'l>(
    graph: &Graph,
    locations: &'l Locations,
    filter: &NodeFilter,
) -> Vec<(Id, &'l [Id])> {
    graph
        .nodes_of(NodeKind::Lab, None)
        .filter(|lab| filter.matches(graph, lab))
        .map(|lab| (lab.id.clone(), locations.partners(lab.id.as_str())))
        .collect()
}

/// Every tie through the selected labs, once, with the labs behind it.
fn ties(labs: &[(Id, &[Id])]) -> BTreeMap<(Id, Id), BTreeSet<Id>> {
    let mut ties: BTreeMap<(Id, Id), BTreeSet<Id>> = BTreeMap::new();
    for (lab, partners) in labs {
        for (i, a) in partners.iter().enumerate() {
            for b in &partners[i + 1..] {
                // `partners` is sorted, so (a, b) is already the canonical order.
                ties.entry((a.clone(), b.clone()))
                    .or_default()
                    .insert(lab.clone());
            }
        }
    }
    ties
}

/// Whether the tie between institutions `a` and `b` joins two or more jurisdictions.
fn tie_is_cross_border(locations: &Locations, a: &Id, b: &Id) -> bool {
    let joined = locations
        .jurisdictions(a.as_str())
        .union(locations.jurisdictions(b.as_str()));
    DomainTieClass::of(joined.iter()).is_some_and(DomainTieClass::is_cross_border)
}

/// The roll-up of the labs passing `filter` at `level`, one row per group, in key order.
pub(crate) fn rollup(
    graph: &Graph,
    locations: &Locations,
    level: RollupLevel,
    filter: &NodeFilter,
) -> Vec<RollupRow> {
    let labs = selected_labs(graph, locations, filter);
    let mut keys: HashMap<Id, BTreeSet<String>> = HashMap::new();
    let mut key_of = |id: &Id| -> BTreeSet<String> {
        keys.entry(id.clone())
            .or_insert_with(|| keys_of(locations, id, level))
            .clone()
    };
    let mut rows: BTreeMap<String, RollupRow> = all_groups(graph, level)
        .into_iter()
        .map(|(key, name, _)| {
            (
                key.clone(),
                RollupRow {
                    key,
                    name,
                    labs: 0,
                    institutions: 0,
                    cross_border_labs: 0,
                    ties: 0,
                    cross_border_ties: 0,
                },
            )
        })
        .collect();
    let mut institutions: BTreeMap<String, BTreeSet<Id>> = BTreeMap::new();
    for (lab, partners) in &labs {
        let cross_border = locations.cross_border(lab.as_str());
        for key in key_of(lab) {
            if let Some(row) = rows.get_mut(&key) {
                row.labs += 1;
                row.cross_border_labs += usize::from(cross_border);
            }
        }
        for partner in partners.iter() {
            for key in key_of(partner) {
                institutions.entry(key).or_default().insert(partner.clone());
            }
        }
    }
    for (key, set) in institutions {
        if let Some(row) = rows.get_mut(&key) {
            row.institutions = set.len();
        }
    }
    for (a, b) in ties(&labs).keys() {
        let cross_border = tie_is_cross_border(locations, a, b);
        // A union: a tie with both ends in one group counts once for it.
        let groups: BTreeSet<String> = key_of(a).into_iter().chain(key_of(b)).collect();
        for key in groups {
            if let Some(row) = rows.get_mut(&key) {
                row.ties += 1;
                row.cross_border_ties += usize::from(cross_border);
            }
        }
    }
    rows.into_values().collect()
}

/// Ties between groups at `level`, through the labs passing `filter`, one row per pair of
/// groups that has any, in key order. Institutions without a known location are left out.
pub(crate) fn tie_pairs(
    graph: &Graph,
    locations: &Locations,
    level: RollupLevel,
    filter: &NodeFilter,
) -> Vec<TiePair> {
    let labs = selected_labs(graph, locations, filter);
    let jurisdiction_of: HashMap<String, labgraph_domain::Jurisdiction> = all_groups(graph, level)
        .into_iter()
        .map(|(key, _, j)| (key, j))
        .collect();
    let mut pairs: BTreeMap<(String, String), PairTally> = BTreeMap::new();
    for ((a, b), shared) in ties(&labs) {
        let keys_b = keys_of(locations, &b, level);
        for ka in keys_of(locations, &a, level) {
            for kb in &keys_b {
                let key = if ka <= *kb {
                    (ka.clone(), kb.clone())
                } else {
                    (kb.clone(), ka.clone())
                };
                let (tie_set, lab_set) = pairs.entry(key).or_default();
                tie_set.insert((a.clone(), b.clone()));
                lab_set.extend(shared.iter().cloned());
            }
        }
    }
    pairs
        .into_iter()
        .map(|((a, b), (tie_set, lab_set))| TiePair {
            tie_class: DomainTieClass::of(
                [jurisdiction_of.get(&a), jurisdiction_of.get(&b)]
                    .into_iter()
                    .flatten()
                    .copied(),
            )
            .map(Into::into),
            a,
            b,
            labs: lab_set.len(),
            ties: tie_set.len(),
        })
        .collect()
}
