//! The partner finder: for an institution (or a person), the institutions (or people) it is not
//! yet tied to, ranked by how likely a tie is and how well the fields match, under the liaison
//! office's constraints (a target jurisdiction, kinds of institution, fields), each explained by
//! the partners both share, the fields both work on, and the best introduction paths.
//!
//! # Score
//!
//! For the node `a` asked about and a candidate `b` (not `a`, not already tied to `a` in the
//! projection — existing partners are never suggested):
//!
//! `score = 0.30·RA′ + 0.20·AA′ + 0.10·CN′ + 0.10·J + 0.25·F + 0.05·PA′`
//!
//! with RA, AA, CN, J, PA the resource allocation, Adamic–Adar, common neighbour, Jaccard and
//! preferential attachment indices of `(a, b)` in the projection ([`crate::linkpred`]), `X′ =
//! X / max X` over every node `a` is not tied to (so 1 for the best; 0 when all are 0), and `F`
//! the Jaccard overlap of the two nodes' field sets. Each weight's reason:
//!
//! - **RA 0.30** — the best single local index on most real networks in Zhou, Lü & Zhang (2009)
//!   and Lü & Zhou's survey (Physica A 2011): a partner shared with a small lab says more than
//!   one shared with a hub.
//! - **AA 0.20** — the same idea with a gentler (logarithmic) discount of hubs; it ranks pairs
//!   almost as RA does, so it gets less weight to avoid counting one signal twice.
//! - **CN 0.10** — the plain count of introducers a liaison officer can call; kept small
//!   because RA and AA already contain it.
//! - **J 0.10** — shared partners as a share of all partners, which stops two large hubs from
//!   topping every list.
//! - **F 0.25** — the office asks for partners in *its* fields; and the field overlap is the
//!   only signal for a candidate with no shared partner, which on a sparse graph like the seed
//!   is most of them.
//! - **PA 0.05** — active institutions gain new ties faster (preferential attachment); a
//!   tie-breaker only, as a larger weight would suggest the same few hubs to everyone.
//!
//! A candidate whose score is 0 (no shared partner, no shared field, and `a` or `b` without any
//! tie) has nothing to recommend it and is left out. Equal scores are ordered by id.
//!
//! # Fields of a node
//!
//! An institution works on the fields it is tied to by `WORKS_ON` and those of the labs it is a
//! partner or host of; a person on their own and those of the labs they are members of. The
//! `fields` constraint keeps candidates working on one of the fields or a sub-field of one.
//!
//! The evaluation of this score against held-out ties is in [`crate::evaluate`].

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use labgraph_domain::{EdgeKind, Graph, Id, InstitutionKind, Jurisdiction, NodeAttrs, NodeKind};

use crate::linkpred::{LinkScores, Neighbourhoods};
use crate::paths::{Actors, Cooperation, IntroPath};

/// The largest `first` accepted.
pub const MAX_FIRST: usize = 50;
/// Introduction paths given per candidate.
pub const INTRO_PATHS: usize = 3;
/// The most hops of an introduction path. Why 4: three intermediaries is the longest chain a
/// liaison officer can walk; longer ones are noise.
pub const INTRO_MAX_HOPS: usize = 4;

/// The weights of the score (see the module docs for each one's reason), in the order
/// resource allocation, Adamic–Adar, common neighbours, Jaccard, field overlap, preferential
/// attachment.
pub const WEIGHTS: [f64; 6] = [0.30, 0.20, 0.10, 0.10, 0.25, 0.05];

/// Arguments the partner finder cannot work with; each names the argument and the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnerError {
    /// No node has this id.
    #[error("{argument}: no node with id {id:?}")]
    UnknownNode {
        /// `for` or `fields`.
        argument: &'static str,
        /// The id given.
        id: String,
    },
    /// The node exists but is of the wrong kind for the argument.
    #[error("{argument}: {id} is of kind {kind}, not {expected}")]
    WrongKind {
        /// `for` or `fields`.
        argument: &'static str,
        /// The id given.
        id: String,
        /// Its kind.
        kind: NodeKind,
        /// What the argument takes.
        expected: &'static str,
    },
    /// A list argument was given with nothing in it (leave it out to mean "any").
    #[error("{argument}: the list is empty; leave the argument out to accept any")]
    EmptyList {
        /// `fields` or `kinds`.
        argument: &'static str,
    },
    /// `kinds` given for a person: institution kinds do not apply to people.
    #[error(
        "kinds: {id} is a person; institution kinds apply only to suggestions for institutions"
    )]
    KindsForPerson {
        /// The person's id.
        id: String,
    },
    /// `first` is 0 or above [`MAX_FIRST`].
    #[error("first: {first} is out of range 1..={max}")]
    FirstOutOfRange {
        /// The value given.
        first: usize,
        /// [`MAX_FIRST`].
        max: usize,
    },
}

/// What to suggest partners for, and under which constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerQuery {
    /// The institution or person asking.
    pub for_id: String,
    /// Only candidates working on one of these fields (or a sub-field); `None` for any.
    pub fields: Option<Vec<String>>,
    /// Only candidates located in this jurisdiction; `None` for any.
    pub target_jurisdiction: Option<Jurisdiction>,
    /// Only institutions of these kinds; `None` for any.
    pub kinds: Option<Vec<InstitutionKind>>,
    /// How many suggestions, 1..=[`MAX_FIRST`].
    pub first: usize,
}

impl PartnerQuery {
    /// A query for `for_id` with no constraint and the first ten suggestions.
    pub fn new(for_id: impl Into<String>) -> PartnerQuery {
        PartnerQuery {
            for_id: for_id.into(),
            fields: None,
            target_jurisdiction: None,
            kinds: None,
            first: 10,
        }
    }
}

/// The signals behind a score, raw (not divided by their maximum).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Signals {
    /// The link-prediction indices of the pair.
    pub link: LinkScores,
    /// The Jaccard overlap of the two field sets.
    pub field_overlap: f64,
}

/// One suggested partner and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The candidate.
    pub id: Id,
    /// 1 for the best.
    pub rank: usize,
    /// The blended score, in 0..=1.
    pub score: f64,
    /// The signals it blends.
    pub signals: Signals,
    /// The partners both already have, in id order.
    pub shared_partners: Vec<Id>,
    /// The fields both work on, in id order.
    pub shared_fields: Vec<Id>,
    /// Hops between the two in the projection; `None` when not connected.
    pub distance: Option<usize>,
    /// The best introduction paths (up to [`INTRO_PATHS`], at most [`INTRO_MAX_HOPS`] hops).
    pub paths: Vec<IntroPath>,
}

/// The answer of the partner finder.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestions {
    /// The node asked about.
    pub for_id: Id,
    /// Its existing partners in the projection, in id order (never suggested).
    pub existing_partners: Vec<Id>,
    /// The fields it works on, in id order.
    pub fields: Vec<Id>,
    /// How many candidates passed the constraints (before `first` and before dropping those
    /// with a score of 0).
    pub candidates: usize,
    /// The suggestions, best first.
    pub suggestions: Vec<Suggestion>,
}

/// Ranks partner candidates for `query.for_id` on `graph` (see the module docs for the score,
/// the constraints and the explanation).
///
/// Complexity: O(|V| + |E|) to project and index, then O(|V| · F) for the field sets, and the
/// introduction paths of the `first` suggestions (see [`Cooperation::paths`]).
///
/// ```
/// use labgraph_domain::{Change, ChangeSet, Edge, EdgeKind, EdgeRole, Graph, Id, InstitutionAttrs,
///     InstitutionKind, LabAttrs, LabKind, Names, Node, NodeAttrs, Provenance};
/// use labgraph_insights::partners::{PartnerQuery, partner_suggestions};
/// let id = |s: &str| Id::new(s).unwrap();
/// let node = |i: &str, attrs| Node { id: id(i), names: Names { en: Some(i.into()), ..Names::default() },
///     attrs, provenance: Provenance::default() };
/// let inst = || NodeAttrs::Institution(InstitutionAttrs { kind: InstitutionKind::University, city: None, website: None });
/// let lab = || NodeAttrs::Lab(LabAttrs { kind: LabKind::JointLab, category: None, batch_year: None,
///     founded: None, status: None, cities: vec![] });
/// let mut cs = ChangeSet::new();
/// for i in ["a", "b", "c"] { cs.upsert_node(node(i, inst())); }
/// for l in ["lab1", "lab2"] { cs.upsert_node(node(l, lab())); }
/// // a and b share lab1, b and c share lab2: c is one introduction (b) away from a.
/// for (i, l) in [("a", "lab1"), ("b", "lab1"), ("b", "lab2"), ("c", "lab2")] {
///     cs.upsert_edge(Edge::new(EdgeKind::PartnerIn, id(i), id(l)));
/// }
/// let (graph, _) = Graph::new().apply(&cs)?;
/// let answer = partner_suggestions(&graph, &PartnerQuery::new("a"))?;
/// assert_eq!(answer.existing_partners, [id("b")]);
/// let best = &answer.suggestions[0];
/// assert_eq!((best.id.as_str(), best.distance), ("c", Some(2)));
/// assert_eq!(best.shared_partners, [id("b")]);
/// assert_eq!(best.paths[0].nodes, [id("a"), id("b"), id("c")]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn partner_suggestions(
    graph: &Graph,
    query: &PartnerQuery,
) -> Result<Suggestions, PartnerError> {
    let Checked {
        node,
        actors,
        wanted_fields,
        kinds,
    } = check(graph, query)?;
    let coop = Cooperation::new(graph, actors, false);
    let hoods = Neighbourhoods::new(coop.network());
    let a = node.id.as_str();
    let field_sets = FieldSets::new(graph, coop.network().ids());
    let ranked = rank(&hoods, &field_sets, a);
    let own_fields = fields_of(graph, a);
    let existing_partners: Vec<Id> = {
        let mut p: Vec<Id> = hoods
            .neighbours(a)
            .map(|n| n.into_iter().cloned().collect())
            .unwrap_or_default();
        p.sort();
        p
    };

    let passes = |id: &Id| -> bool {
        if let Some(j) = query.target_jurisdiction
            && !graph.jurisdictions_of(id.as_str()).contains(&j)
        {
            return false;
        }
        if let Some(kinds) = &kinds {
            match graph.node(id.as_str()).map(|n| &n.attrs) {
                Some(NodeAttrs::Institution(attrs)) if kinds.contains(&attrs.kind) => {}
                _ => return false,
            }
        }
        if let Some(wanted) = &wanted_fields
            && !fields_of(graph, id.as_str())
                .iter()
                .any(|f| wanted.contains(f))
        {
            return false;
        }
        true
    };
    let eligible: Vec<&Ranked> = ranked.iter().filter(|r| passes(&r.id)).collect();
    let candidates = eligible.len();
    let distances = hop_distances(&hoods, &node.id);
    let suggestions = eligible
        .into_iter()
        .filter(|r| r.score > 0.0)
        .take(query.first)
        .enumerate()
        .map(|(i, r)| {
            let theirs = fields_of(graph, r.id.as_str());
            let mut shared_partners: Vec<Id> = hoods
                .common_neighbours(a, r.id.as_str())
                .map(|n| n.into_iter().cloned().collect())
                .unwrap_or_default();
            shared_partners.sort();
            Suggestion {
                id: r.id.clone(),
                rank: i + 1,
                score: r.score,
                signals: r.signals,
                shared_partners,
                shared_fields: own_fields.intersection(&theirs).cloned().collect(),
                distance: distances.get(&r.id).copied(),
                paths: coop
                    .paths(a, r.id.as_str(), INTRO_PATHS, INTRO_MAX_HOPS)
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(Suggestions {
        for_id: node.id.clone(),
        existing_partners,
        fields: own_fields.into_iter().collect(),
        candidates,
        suggestions,
    })
}

/// What [`PartnerQuery::check`] resolved.
struct Checked<'g> {
    node: &'g labgraph_domain::Node,
    actors: Actors,
    wanted_fields: Option<HashSet<Id>>,
    kinds: Option<HashSet<InstitutionKind>>,
}

impl PartnerQuery {
    /// Checks the query against `graph` without ranking anything: `for` is an institution or
    /// a person, every field id is a field, no list is empty, `kinds` only for an institution,
    /// `first` in 1..=[`MAX_FIRST`]. Why apart from the ranking: the API refuses bad arguments
    /// before it starts a whole-graph computation.
    pub fn check(&self, graph: &Graph) -> Result<(), PartnerError> {
        check(graph, self).map(|_| ())
    }
}

fn check<'g>(graph: &'g Graph, query: &PartnerQuery) -> Result<Checked<'g>, PartnerError> {
    if !(1..=MAX_FIRST).contains(&query.first) {
        return Err(PartnerError::FirstOutOfRange {
            first: query.first,
            max: MAX_FIRST,
        });
    }
    let node = graph
        .node(&query.for_id)
        .ok_or_else(|| PartnerError::UnknownNode {
            argument: "for",
            id: query.for_id.clone(),
        })?;
    let actors = Actors::of(node.kind()).ok_or_else(|| PartnerError::WrongKind {
        argument: "for",
        id: query.for_id.clone(),
        kind: node.kind(),
        expected: "an institution or a person",
    })?;
    let wanted_fields = match &query.fields {
        Some(fields) => Some(field_subtrees(graph, fields)?),
        None => None,
    };
    let kinds: Option<HashSet<InstitutionKind>> = match &query.kinds {
        Some(k) if k.is_empty() => return Err(PartnerError::EmptyList { argument: "kinds" }),
        Some(_) if actors == Actors::People => {
            return Err(PartnerError::KindsForPerson {
                id: query.for_id.clone(),
            });
        }
        Some(k) => Some(k.iter().copied().collect()),
        None => None,
    };
    Ok(Checked {
        node,
        actors,
        wanted_fields,
        kinds,
    })
}

/// A candidate with its score, before constraints.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ranked {
    pub(crate) id: Id,
    pub(crate) score: f64,
    /// The score without its field-overlap term, for the evaluation's ablation.
    pub(crate) link_score: f64,
    pub(crate) signals: Signals,
}

/// Every node `a` is not tied to, scored and ranked (best first, equal scores by id). `a` must
/// be a node of `hoods`; a node that is not (filtered out) gets no candidates.
pub(crate) fn rank(hoods: &Neighbourhoods, fields: &FieldSets, a: &str) -> Vec<Ranked> {
    let Ok(all) = hoods.scores_from(a) else {
        return Vec::new();
    };
    let own = fields.of(a);
    let max = |f: fn(&LinkScores) -> f64| all.iter().map(|(_, s)| f(s)).fold(0.0, f64::max);
    let (m_ra, m_aa, m_cn, m_pa) = (
        max(|s| s.resource_allocation),
        max(|s| s.adamic_adar),
        max(|s| s.common_neighbours as f64),
        max(|s| s.preferential_attachment),
    );
    let norm = |x: f64, m: f64| if m > 0.0 { x / m } else { 0.0 };
    let [w_ra, w_aa, w_cn, w_j, w_f, w_pa] = WEIGHTS;
    let mut out: Vec<Ranked> = all
        .into_iter()
        .map(|(id, link)| {
            let theirs = fields.of(id.as_str());
            let union = own.union(theirs).count();
            let field_overlap = if union == 0 {
                0.0
            } else {
                own.intersection(theirs).count() as f64 / union as f64
            };
            let link_score = w_ra * norm(link.resource_allocation, m_ra)
                + w_aa * norm(link.adamic_adar, m_aa)
                + w_cn * norm(link.common_neighbours as f64, m_cn)
                + w_j * link.jaccard
                + w_pa * norm(link.preferential_attachment, m_pa);
            Ranked {
                id: id.clone(),
                score: link_score + w_f * field_overlap,
                link_score,
                signals: Signals {
                    link,
                    field_overlap,
                },
            }
        })
        .collect();
    out.sort_by(|x, y| y.score.total_cmp(&x.score).then_with(|| x.id.cmp(&y.id)));
    out
}

/// The field set of every node of a network, computed once (the evaluation ranks thousands
/// of sources against the same sets).
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldSets {
    sets: HashMap<Id, BTreeSet<Id>>,
    empty: BTreeSet<Id>,
}

impl FieldSets {
    /// The field sets of `ids` in `graph`.
    pub(crate) fn new<'a>(graph: &Graph, ids: impl IntoIterator<Item = &'a Id>) -> FieldSets {
        FieldSets {
            sets: ids
                .into_iter()
                .map(|id| (id.clone(), fields_of(graph, id.as_str())))
                .collect(),
            empty: BTreeSet::new(),
        }
    }

    /// The fields of `id`; empty for a node not in the network.
    pub(crate) fn of(&self, id: &str) -> &BTreeSet<Id> {
        self.sets.get(id).unwrap_or(&self.empty)
    }
}

/// The fields `id` works on (see the module docs): its own `WORKS_ON` fields and those of its
/// labs (partner or host for an institution, member for a person).
pub fn fields_of(graph: &Graph, id: &str) -> BTreeSet<Id> {
    let own = |x: &str| {
        graph
            .adjacent_of_kind(x, EdgeKind::WorksOn)
            .filter(|adj| adj.outgoing)
            .map(|adj| adj.neighbour.id.clone())
            .collect::<Vec<_>>()
    };
    let mut fields: BTreeSet<Id> = own(id).into_iter().collect();
    for kind in [EdgeKind::PartnerIn, EdgeKind::MemberOf] {
        for adj in graph.adjacent_of_kind(id, kind) {
            if adj.outgoing {
                fields.extend(own(adj.neighbour.id.as_str()));
            }
        }
    }
    fields
}

/// The given fields and every field below one of them; errors name the first bad id.
fn field_subtrees(graph: &Graph, fields: &[String]) -> Result<HashSet<Id>, PartnerError> {
    if fields.is_empty() {
        return Err(PartnerError::EmptyList { argument: "fields" });
    }
    let mut roots = HashSet::new();
    for f in fields {
        let node = graph.node(f).ok_or_else(|| PartnerError::UnknownNode {
            argument: "fields",
            id: f.clone(),
        })?;
        if node.kind() != NodeKind::Field {
            return Err(PartnerError::WrongKind {
                argument: "fields",
                id: f.clone(),
                kind: node.kind(),
                expected: "a field",
            });
        }
        roots.insert(node.id.clone());
    }
    Ok(graph
        .nodes_of(NodeKind::Field, None)
        .filter(|field| {
            // Walk up the parent chain; the bound guards against a cycle in the data.
            let mut cur = Some(&field.id);
            for _ in 0..64 {
                let Some(id) = cur else { return false };
                if roots.contains(id) {
                    return true;
                }
                cur = match graph.node(id.as_str()).map(|n| &n.attrs) {
                    Some(NodeAttrs::Field(a)) => a.parent.as_ref(),
                    _ => None,
                };
            }
            false
        })
        .map(|f| f.id.clone())
        .collect())
}

/// Hops from `a` to every node it reaches (breadth-first search).
fn hop_distances(hoods: &Neighbourhoods, a: &Id) -> HashMap<Id, usize> {
    let mut dist: HashMap<Id, usize> = HashMap::from([(a.clone(), 0)]);
    let mut queue: VecDeque<(Id, usize)> = VecDeque::from([(a.clone(), 0)]);
    while let Some((u, d)) = queue.pop_front() {
        for v in hoods.neighbours(u.as_str()).unwrap_or_default() {
            if !dist.contains_key(v) {
                dist.insert(v.clone(), d + 1);
                queue.push_back((v.clone(), d + 1));
            }
        }
    }
    dist
}

/// One cross-border tie of an institution that is its only cross-border way into some fields.
#[derive(Debug, Clone, PartialEq)]
pub struct SoleBridge {
    /// The partner across the border.
    pub partner: Id,
    /// The tie, seen from the institution asked about, with the labs, people and
    /// collaborations behind it.
    pub tie: crate::paths::Hop,
    /// The fields no other cross-border partner works on, in id order.
    pub fields: Vec<Id>,
    /// Of those, the ones the institution works on itself.
    pub own_fields: Vec<Id>,
}

/// The cross-border ties of `for_id` that are its only bridge into a field: for each partner in
/// another jurisdiction (a tie of the projection whose ends share no jurisdiction), the fields
/// it works on that no other cross-border partner of `for_id` works on. Partners with no such
/// field are left out; the answer is in partner id order.
///
/// Why this reading of "the only bridge into a field": the liaison office asks which links it
/// cannot afford to lose — if that partner left, no cross-border partner would remain in the
/// field. Fields are those of [`fields_of`] (own and through labs).
///
/// Complexity: O(|V| + |E|) to project, then O(P · F) for P partners of F fields each.
///
/// ```
/// use labgraph_domain::Graph;
/// use labgraph_insights::partners::{PartnerError, sole_bridges};
/// let err = sole_bridges(&Graph::new(), "jnu").unwrap_err();
/// assert_eq!(err, PartnerError::UnknownNode { argument: "for", id: "jnu".into() });
/// ```
pub fn sole_bridges(graph: &Graph, for_id: &str) -> Result<Vec<SoleBridge>, PartnerError> {
    let node = graph
        .node(for_id)
        .ok_or_else(|| PartnerError::UnknownNode {
            argument: "for",
            id: for_id.to_owned(),
        })?;
    let actors = Actors::of(node.kind()).ok_or_else(|| PartnerError::WrongKind {
        argument: "for",
        id: for_id.to_owned(),
        kind: node.kind(),
        expected: "an institution or a person",
    })?;
    let coop = Cooperation::new(graph, actors, true);
    let own = fields_of(graph, for_id);
    let mut partners: Vec<(Id, BTreeSet<Id>)> = coop
        .network()
        .neighbours(for_id)
        .map(|(b, _)| (b.clone(), fields_of(graph, b.as_str())))
        .collect();
    partners.sort_by(|x, y| x.0.cmp(&y.0));
    let mut providers: HashMap<&Id, usize> = HashMap::new();
    for (_, fields) in &partners {
        for f in fields {
            *providers.entry(f).or_default() += 1;
        }
    }
    Ok(partners
        .iter()
        .filter_map(|(b, fields)| {
            let sole: Vec<Id> = fields
                .iter()
                .filter(|f| providers.get(f) == Some(&1))
                .cloned()
                .collect();
            if sole.is_empty() {
                return None;
            }
            let tie = coop.hop(for_id, b.as_str())?;
            Some(SoleBridge {
                partner: b.clone(),
                tie,
                own_fields: sole.iter().filter(|f| own.contains(*f)).cloned().collect(),
                fields: sole,
            })
        })
        .collect())
}
