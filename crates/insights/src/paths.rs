//! Introduction paths: the k shortest loopless paths (Yen 1971) between two institutions (or
//! two people), or from one of them to a lab, over the cooperation network, each hop with the
//! labs, people and collaborations behind it, and the tie's strength, years and jurisdiction
//! class.
//!
//! # The network
//!
//! Two institutions are tied as in the institution projection
//! ([`labgraph_analytics::projection::institution_network`], default weighting): they share a
//! lab, collaborate directly, or one hosts a talent link of a person primarily affiliated with
//! the other; two people are tied when they collaborate. With `cross_border_only`, only ties
//! joining two jurisdictions remain, so every hop of every path crosses a border.
//!
//! # Length of a tie
//!
//! `length = (1 / s) · (1 + 0.25 · age)`, where `s` is the tie strength (the number of shared
//! labs, joint works and talent links) and `age` is the number of years since the tie last
//! held: 0 for a tie that still holds (any of its evidence has no `until`, or an `until` in or
//! after the reference year), else `reference year − the latest until`. The reference year is
//! the latest `since` or `until` anywhere in the graph, not the clock, so the same graph always
//! gives the same answer.
//!
//! Why `1 / s`: the convention of the analytics crate (`PathWeights::InverseStrength`) — two
//! shared labs make the way half as long. Why `0.25` a year: a contact goes stale over a
//! funding or PhD cycle of three to five years; a tie that ended four years ago counts as half
//! as strong as one that holds. Undated evidence is taken to hold: the seed's state key labs
//! carry no years and are running.
//!
//! # A lab as an end
//!
//! "Who could introduce us to CityU's marine lab, and through which joint lab?" A lab is
//! reached by reaching any of its members: the institutions `PARTNER_IN` it (host or partner)
//! on the institution network, the people `MEMBER_OF` it on the person network. The search
//! adds one virtual node for the lab, joined to every member by a step of length 0 that only
//! leads into the lab, and runs Yen once to that node — so the k paths are the k shortest to
//! the lab overall, not k per member. The virtual node comes back as the lab itself, and the
//! step into it as a last hop carrying the [`Membership`] (the member's role and the edge's
//! years and provenance), so each path says through which member and in what role it enters.
//! A lab as `from` works the same way round (the first hop leaves the lab through a member);
//! between two labs the institution network is used.
//!
//! Decisions, each for a reason:
//! - A path stops at the first member it reaches: a member's only way on is into the lab (and,
//!   for a lab at the start, a member is entered only from the lab). Going on from one member
//!   to another would be an introduction to someone already inside, never shorter.
//! - So a start that is itself a member gets exactly one path: length 0, one lab hop — "already
//!   a host (or partner)", [`IntroPath::already_member`] — not an error and not a list of
//!   detours.
//! - `max_hops` counts the ties between actors; the lab hops are extra.
//! - The lab hop has length 0 whatever the membership's years: its years are shown, and the
//!   staleness that matters is that of the ties leading to the member.
//! - A lab without members on the projection asked for is refused ([`PathError::NoMembers`]):
//!   no path can ever reach it, and saying so beats an empty answer.
//!
//! # Algorithm
//!
//! Yen, "Finding the K shortest loopless paths in a network", Management Science 17 (1971),
//! with a hop-bounded shortest-path search (Bellman–Ford by layers, one layer per hop) as its
//! subroutine, so that `max_hops` bounds every path: with positive lengths the shortest walk of
//! at most `h` hops is a simple path, which is what Yen's spur step needs. Complexity:
//! O(k · L · H · (|V| + |E|)) for k paths of at most L nodes and a hop bound H. Equal lengths
//! are broken by fewer hops, then by the nodes' ids in order, so answers are stable.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use labgraph_analytics::Network;
use labgraph_analytics::projection::{self, Filter, Weighting};
use labgraph_domain::{EdgeKind, EdgeRole, Graph, Id, NodeKind, Provenance, TieClass};

/// The largest `k` accepted.
pub const MAX_K: usize = 20;
/// The largest `max_hops` accepted. Why a bound: the layered search costs O(H · |E|) per spur,
/// and an introduction chain of more than eight people is no introduction.
pub const MAX_HOPS: usize = 8;
/// The `k` used when none is given.
pub const DEFAULT_K: usize = 3;
/// The `max_hops` used when none is given.
pub const DEFAULT_MAX_HOPS: usize = 6;
/// How much longer a tie gets per year since it last held (see the module docs).
pub const STALENESS_PER_YEAR: f64 = 0.25;

/// Arguments the path search cannot work with; each names the argument and the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// No node has this id.
    #[error("{argument}: no node with id {id:?}")]
    UnknownNode {
        /// `from`, `to` or `for`.
        argument: &'static str,
        /// The id given.
        id: String,
    },
    /// The node exists but paths do not run through nodes of its kind (a city, field or
    /// platform).
    #[error("{argument}: {id} is a {kind}; introduction paths join institutions, people or labs")]
    WrongKind {
        /// `from` or `to`.
        argument: &'static str,
        /// The id given.
        id: String,
        /// Its kind.
        kind: NodeKind,
    },
    /// `from` and `to` are an institution and a person (a lab goes with either).
    #[error(
        "from is a {from} and to is a {to}; introduction paths join two institutions or two people"
    )]
    MixedKinds {
        /// The kind of `from`.
        from: NodeKind,
        /// The kind of `to`.
        to: NodeKind,
    },
    /// `from` and `to` are the same node.
    #[error("from and to are both {id}; an introduction path joins two different nodes")]
    SameNode {
        /// The id given twice.
        id: String,
    },
    /// The lab has no member on the network the path runs on, so no path can reach it.
    #[error(
        "{argument}: lab {lab} has no {}, so no introduction path can reach it",
        .actors.member_noun()
    )]
    NoMembers {
        /// `from` or `to`.
        argument: &'static str,
        /// The lab's id.
        lab: String,
        /// The network the path runs on.
        actors: Actors,
    },
    /// `k` is 0 or above [`MAX_K`].
    #[error("k: {k} is out of range 1..={max}")]
    KOutOfRange {
        /// The value given.
        k: usize,
        /// [`MAX_K`].
        max: usize,
    },
    /// `max_hops` is 0 or above [`MAX_HOPS`].
    #[error("maxHops: {max_hops} is out of range 1..={max}")]
    MaxHopsOutOfRange {
        /// The value given.
        max_hops: usize,
        /// [`MAX_HOPS`].
        max: usize,
    },
}

/// Which projection a path or a suggestion runs on, chosen by the kind of the node asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actors {
    /// The institution network.
    Institutions,
    /// The person network.
    People,
}

impl Actors {
    /// The projection nodes of `kind` live on, if any.
    pub fn of(kind: NodeKind) -> Option<Actors> {
        match kind {
            NodeKind::Institution => Some(Actors::Institutions),
            NodeKind::Person => Some(Actors::People),
            _ => None,
        }
    }

    /// What a member of a lab is on this network, for messages.
    pub fn member_noun(self) -> &'static str {
        match self {
            Actors::Institutions => "member institution (no host or partner: PARTNER_IN)",
            Actors::People => "member person (no MEMBER_OF)",
        }
    }

    /// The edge kind that makes a node of this network a member of a lab.
    pub fn membership_edge(self) -> EdgeKind {
        match self {
            Actors::Institutions => EdgeKind::PartnerIn,
            Actors::People => EdgeKind::MemberOf,
        }
    }
}

/// What the evidence for a tie is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConnectorKind {
    /// Both institutions are partners (or hosts) of the lab `via`.
    SharedLab,
    /// A direct `COLLABORATES_WITH` edge; `weight` joint papers or projects.
    Collaboration,
    /// The person `via`, primarily affiliated with one institution, has a talent link to the
    /// other.
    TalentLink,
}

impl ConnectorKind {
    /// The code used in output (`shared_lab`, `collaboration`, `talent_link`).
    pub fn code(self) -> &'static str {
        match self {
            ConnectorKind::SharedLab => "shared_lab",
            ConnectorKind::Collaboration => "collaboration",
            ConnectorKind::TalentLink => "talent_link",
        }
    }
}

/// One piece of evidence for a tie: the lab or person that connects its two ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Connector {
    /// What kind of evidence.
    pub kind: ConnectorKind,
    /// The lab (shared lab) or person (talent link); `None` for a direct collaboration.
    pub via: Option<Id>,
    /// The first year both ends held the connection, when known.
    pub since: Option<i32>,
    /// The last year, when it ended.
    pub until: Option<i32>,
    /// How much it counts towards the tie's strength (joint works for a collaboration, else 1).
    pub weight: f64,
    /// Every edge behind it is verified.
    pub verified: bool,
}

/// How a member belongs to a lab: its `PARTNER_IN` (institution) or `MEMBER_OF` (person) edge —
/// the step a path takes into the lab at its end (or out of the lab at its start).
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    /// The lab.
    pub lab: Id,
    /// The member institution or person.
    pub member: Id,
    /// Host or partner (institutions); director, PI or member (people); `None` when unknown.
    pub role: Option<EdgeRole>,
    /// The first year of the membership, when known.
    pub since: Option<i32>,
    /// The last year, when it ended.
    pub until: Option<i32>,
    /// Where the membership comes from and whether it is verified.
    pub provenance: Provenance,
}

/// One hop of a path: a tie and what it rests on, or the step into (or out of) a lab at an end.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    /// The end the hop leaves.
    pub from: Id,
    /// The end it reaches.
    pub to: Id,
    /// The tie's strength in the projection.
    pub strength: f64,
    /// The tie's length (see the module docs).
    pub length: f64,
    /// The jurisdiction class of the tie; `None` when an end's location is unknown.
    pub class: Option<TieClass>,
    /// The first year of the tie: the earliest `since` of its evidence, when any is known.
    pub since: Option<i32>,
    /// The last year of the tie when all its evidence has ended; `None` while it holds.
    pub until: Option<i32>,
    /// The labs, people and collaborations behind the tie, ordered by kind then id.
    pub connectors: Vec<Connector>,
    /// `None` for a tie between two actors. `Some` for a lab hop — the step from a member into
    /// the lab at the end of a path (or out of the lab at its start): then strength and length
    /// are 0, `class` is the lab's (the jurisdictions of all its partners,
    /// [`Graph::lab_class`]), the years are the membership's and there are no connectors.
    pub membership: Option<Membership>,
}

impl Hop {
    /// Whether this is the step into or out of a lab rather than a tie.
    pub fn is_lab_hop(&self) -> bool {
        self.membership.is_some()
    }
}

/// One introduction path.
#[derive(Debug, Clone, PartialEq)]
pub struct IntroPath {
    /// The nodes from `from` to `to`.
    pub nodes: Vec<Id>,
    /// The hops, `nodes.len() - 1` of them.
    pub hops: Vec<Hop>,
    /// The sum of the hops' lengths.
    pub length: f64,
}

impl IntroPath {
    /// Whether every hop is a lab hop: the start is already a member of the lab asked for (or
    /// the end a member of the lab at the start, or two labs share a member) — no introduction
    /// is needed. Such a path has length 0.
    pub fn already_member(&self) -> bool {
        !self.hops.is_empty() && self.hops.iter().all(Hop::is_lab_hop)
    }
}

/// The cooperation network of one graph, ready for path searches: the projection, each tie's
/// length, and the way back to the evidence. Build once and ask many paths (the partner finder
/// does): O(|V| + |E|) of the graph to build.
#[derive(Debug)]
pub struct Cooperation<'g> {
    graph: &'g Graph,
    actors: Actors,
    network: Network,
    cross_border_only: bool,
    reference_year: Option<i32>,
    ids: Vec<Id>,
    index: HashMap<Id, usize>,
    /// Per node: (neighbour, strength, length), sorted by neighbour.
    adj: Vec<Vec<(usize, f64, f64)>>,
}

impl<'g> Cooperation<'g> {
    /// The cooperation network of `actors` in `graph`; with `cross_border_only`, only the
    /// ties that join two jurisdictions.
    pub fn new(graph: &'g Graph, actors: Actors, cross_border_only: bool) -> Cooperation<'g> {
        let network = project(graph, actors, cross_border_only);
        let reference_year = graph
            .edges()
            .flat_map(|e| [e.since, e.until])
            .flatten()
            .max();
        let ids: Vec<Id> = network.ids().to_vec();
        let index: HashMap<Id, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let mut coop = Cooperation {
            graph,
            actors,
            network,
            cross_border_only,
            reference_year,
            ids,
            index,
            adj: Vec::new(),
        };
        let mut adj: Vec<Vec<(usize, f64, f64)>> = vec![Vec::new(); coop.ids.len()];
        for (a, b, s) in coop.network.edges() {
            let (u, v) = (coop.index[a], coop.index[b]);
            let connectors = coop.connectors(a.as_str(), b.as_str());
            let length = tie_length(s, coop.age(&connectors));
            adj[u].push((v, s, length));
            adj[v].push((u, s, length));
        }
        for row in &mut adj {
            row.sort_by_key(|&(v, _, _)| v);
        }
        coop.adj = adj;
        coop
    }

    /// The projection the paths run on.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// Which projection this is.
    pub fn actors(&self) -> Actors {
        self.actors
    }

    /// Whether only cross-border ties are kept.
    pub fn cross_border_only(&self) -> bool {
        self.cross_border_only
    }

    /// The year ages are counted to: the latest `since` or `until` in the graph.
    pub fn reference_year(&self) -> Option<i32> {
        self.reference_year
    }

    /// The tie between `a` and `b` as a hop from `a` to `b`, if they are tied.
    pub fn hop(&self, a: &str, b: &str) -> Option<Hop> {
        let (u, v) = (*self.index.get(a)?, *self.index.get(b)?);
        let i = self.adj[u].binary_search_by_key(&v, |&(w, _, _)| w).ok()?;
        let (_, strength, length) = self.adj[u][i];
        let (a, b) = (&self.ids[u], &self.ids[v]);
        let connectors = self.connectors(a.as_str(), b.as_str());
        let since = connectors.iter().filter_map(|c| c.since).min();
        let until = if connectors.iter().any(|c| c.until.is_none()) {
            None
        } else {
            connectors.iter().filter_map(|c| c.until).max()
        };
        let class = self.graph.tie_class(&labgraph_domain::Edge::new(
            EdgeKind::CollaboratesWith,
            a.clone(),
            b.clone(),
        ));
        Some(Hop {
            from: a.clone(),
            to: b.clone(),
            strength,
            length,
            class,
            since,
            until,
            connectors,
            membership: None,
        })
    }

    /// The lab hop of `membership`: into the lab (`into`) or out of it.
    fn lab_hop(&self, membership: &Membership, into: bool) -> Hop {
        let (lab, member) = (membership.lab.clone(), membership.member.clone());
        let (from, to) = if into { (member, lab) } else { (lab, member) };
        Hop {
            from,
            to,
            strength: 0.0,
            length: 0.0,
            class: self.graph.lab_class(membership.lab.as_str()),
            since: membership.since,
            until: membership.until,
            connectors: Vec::new(),
            membership: Some(membership.clone()),
        }
    }

    /// Years since a tie with this evidence last held; 0 while it holds.
    fn age(&self, connectors: &[Connector]) -> f64 {
        let Some(reference) = self.reference_year else {
            return 0.0;
        };
        let holds = connectors
            .iter()
            .any(|c| c.until.is_none_or(|u| u >= reference));
        if holds || connectors.is_empty() {
            return 0.0;
        }
        let last = connectors
            .iter()
            .filter_map(|c| c.until)
            .max()
            .unwrap_or(reference);
        f64::from(reference - last)
    }

    /// The evidence behind the tie between `a` and `b` (the same evidence the projection
    /// counted), ordered by kind, then by the lab or person id.
    pub fn connectors(&self, a: &str, b: &str) -> Vec<Connector> {
        let graph = self.graph;
        let mut out = Vec::new();
        if let Some(adj) = graph
            .adjacent_of_kind(a, EdgeKind::CollaboratesWith)
            .find(|adj| adj.neighbour.id.as_str() == b)
        {
            let edge = adj.edge;
            out.push(Connector {
                kind: ConnectorKind::Collaboration,
                via: None,
                since: edge.since,
                until: edge.until,
                weight: edge.weight_or_one(),
                verified: edge.provenance.verified,
            });
        }
        if self.actors == Actors::Institutions {
            let labs_of = |x: &str| -> BTreeMap<Id, &labgraph_domain::Edge> {
                graph
                    .adjacent_of_kind(x, EdgeKind::PartnerIn)
                    .map(|adj| (adj.neighbour.id.clone(), &**adj.edge))
                    .collect()
            };
            let (la, lb) = (labs_of(a), labs_of(b));
            for (lab, ea) in &la {
                if let Some(eb) = lb.get(lab) {
                    out.push(Connector {
                        kind: ConnectorKind::SharedLab,
                        via: Some(lab.clone()),
                        since: match (ea.since, eb.since) {
                            (Some(x), Some(y)) => Some(x.max(y)),
                            (x, y) => x.or(y),
                        },
                        until: match (ea.until, eb.until) {
                            (Some(x), Some(y)) => Some(x.min(y)),
                            (x, y) => x.or(y),
                        },
                        weight: 1.0,
                        verified: ea.provenance.verified && eb.provenance.verified,
                    });
                }
            }
            for (host, home) in [(a, b), (b, a)] {
                for adj in graph.adjacent_of_kind(host, EdgeKind::TalentLink) {
                    let person = adj.neighbour.id.as_str();
                    if primary_affiliations(graph, person).contains(home) {
                        out.push(Connector {
                            kind: ConnectorKind::TalentLink,
                            via: Some(adj.neighbour.id.clone()),
                            since: adj.edge.since,
                            until: adj.edge.until,
                            weight: 1.0,
                            verified: adj.edge.provenance.verified,
                        });
                    }
                }
            }
        }
        out.sort_by(|x, y| (x.kind, &x.via).cmp(&(y.kind, &y.via)));
        out
    }

    /// The `k` shortest introduction paths from `from` to `to` of at most `max_hops` ties,
    /// shortest first (see the module docs for the length and the order of equal lengths).
    /// Either end may be a lab (see the module docs): the paths then end (start) with a lab
    /// hop. Fewer than `k` when fewer exist; none when the two are not connected, or when the
    /// ends belong to the other projection.
    ///
    /// ```
    /// use labgraph_domain::Graph;
    /// use labgraph_insights::paths::{Actors, Cooperation, PathError};
    /// let graph = Graph::new();
    /// let coop = Cooperation::new(&graph, Actors::Institutions, false);
    /// let err = coop.paths("hku", "sysu", 3, 4).unwrap_err();
    /// assert_eq!(err, PathError::UnknownNode { argument: "from", id: "hku".into() });
    /// ```
    pub fn paths(
        &self,
        from: &str,
        to: &str,
        k: usize,
        max_hops: usize,
    ) -> Result<Vec<IntroPath>, PathError> {
        check_k(k)?;
        check_max_hops(max_hops)?;
        let ends = resolve_ends(self.graph, from, to)?;
        if ends.actors != self.actors {
            return Ok(Vec::new());
        }
        let mut search = Search::new(self);
        let (s, s_lab) = match &ends.from {
            End::Actor(id) => (search.position(id), None),
            End::Lab(members) => (search.enter_from(members), Some(members)),
        };
        let (t, t_lab) = match &ends.to {
            End::Actor(id) => (search.position(id), None),
            End::Lab(members) => (search.exit_to(members), Some(members)),
        };
        let lab_hops = usize::from(s_lab.is_some()) + usize::from(t_lab.is_some());
        let membership = |members: &[Membership], member: &Id| {
            members
                .iter()
                .find(|m| &m.member == member)
                .cloned()
                .expect("a lab hop leads to one of the lab's members")
        };
        Ok(yen(&search.adj, s, t, k, max_hops + lab_hops)
            .into_iter()
            .map(|(nodes, length)| {
                let ids: Vec<Id> = nodes.iter().map(|&u| search.id(u).clone()).collect();
                let hops = nodes
                    .windows(2)
                    .zip(ids.windows(2))
                    .filter_map(|(w, i)| match (s_lab, t_lab) {
                        (Some(members), _) if w[0] == s => {
                            Some(self.lab_hop(&membership(members, &i[1]), false))
                        }
                        (_, Some(members)) if w[1] == t => {
                            Some(self.lab_hop(&membership(members, &i[0]), true))
                        }
                        _ => self.hop(i[0].as_str(), i[1].as_str()),
                    })
                    .collect();
                IntroPath {
                    nodes: ids,
                    hops,
                    length,
                }
            })
            .collect())
    }
}

/// The adjacency one search runs on: the projection's ties as directed steps, plus members of
/// an end lab missing from the projection (no ties) and a virtual node per lab end.
struct Search<'c, 'g> {
    coop: &'c Cooperation<'g>,
    adj: Vec<Vec<(usize, f64)>>,
    /// The id of each position at or past the projection's: a member, or a lab's virtual node.
    extra: Vec<Id>,
    extra_index: HashMap<Id, usize>,
}

impl<'c, 'g> Search<'c, 'g> {
    fn new(coop: &'c Cooperation<'g>) -> Self {
        Search {
            coop,
            adj: coop
                .adj
                .iter()
                .map(|row| row.iter().map(|&(v, _, l)| (v, l)).collect())
                .collect(),
            extra: Vec::new(),
            extra_index: HashMap::new(),
        }
    }

    /// The position of an actor, added without ties when the projection lacks it.
    fn position(&mut self, id: &Id) -> usize {
        if let Some(&u) = self.coop.index.get(id) {
            return u;
        }
        if let Some(&u) = self.extra_index.get(id) {
            return u;
        }
        self.push(id.clone())
    }

    fn push(&mut self, id: Id) -> usize {
        let u = self.adj.len();
        self.adj.push(Vec::new());
        self.extra.push(id);
        u
    }

    fn id(&self, u: usize) -> &Id {
        self.coop
            .ids
            .get(u)
            .unwrap_or_else(|| &self.extra[u - self.coop.ids.len()])
    }

    /// The virtual node of a lab at the start: steps of length 0 to each member, and no other
    /// way into a member (a path leaves the lab once).
    fn enter_from(&mut self, members: &[Membership]) -> usize {
        let mut firsts: Vec<usize> = members.iter().map(|m| self.position(&m.member)).collect();
        firsts.sort_unstable();
        firsts.dedup();
        for row in &mut self.adj {
            row.retain(|(v, _)| firsts.binary_search(v).is_err());
        }
        let lab = self.push(members[0].lab.clone());
        self.adj[lab] = firsts.into_iter().map(|m| (m, 0.0)).collect();
        lab
    }

    /// The virtual node of a lab at the end: each member's only step is into it, length 0 (a
    /// path stops at the first member it reaches).
    fn exit_to(&mut self, members: &[Membership]) -> usize {
        let positions: Vec<usize> = members.iter().map(|m| self.position(&m.member)).collect();
        let lab = self.push(members[0].lab.clone());
        for u in positions {
            self.adj[u] = vec![(lab, 0.0)];
        }
        lab
    }
}

/// One end of a path search, resolved.
#[derive(Debug)]
enum End {
    /// An institution or a person.
    Actor(Id),
    /// A lab, reached through its members (never empty), in member id order.
    Lab(Vec<Membership>),
}

/// Both ends and the projection they run on.
#[derive(Debug)]
struct Ends {
    actors: Actors,
    from: End,
    to: End,
}

/// The members of `lab` on the network of `actors`, in member id order (one per member: the
/// first edge when several join the same pair).
fn members(graph: &Graph, lab: &str, actors: Actors) -> Vec<Membership> {
    let mut out: BTreeMap<Id, Membership> = BTreeMap::new();
    let wanted = match actors {
        Actors::Institutions => NodeKind::Institution,
        Actors::People => NodeKind::Person,
    };
    for adj in graph.adjacent_of_kind(lab, actors.membership_edge()) {
        if adj.neighbour.kind() != wanted {
            continue;
        }
        let edge = &**adj.edge;
        out.entry(adj.neighbour.id.clone())
            .or_insert_with(|| Membership {
                lab: edge.to.clone(),
                member: adj.neighbour.id.clone(),
                role: edge.role,
                since: edge.since,
                until: edge.until,
                provenance: edge.provenance.clone(),
            });
    }
    out.into_values().collect()
}

/// Checks both ends (existence, kinds, distinct, labs with members) and picks the projection:
/// that of the actor end(s); institutions between two labs.
fn resolve_ends(graph: &Graph, from: &str, to: &str) -> Result<Ends, PathError> {
    let kind_of = |argument: &'static str, id: &str| {
        let node = graph.node(id).ok_or_else(|| PathError::UnknownNode {
            argument,
            id: id.to_owned(),
        })?;
        let kind = node.kind();
        if kind == NodeKind::Lab || Actors::of(kind).is_some() {
            Ok((kind, node.id.clone()))
        } else {
            Err(PathError::WrongKind {
                argument,
                id: id.to_owned(),
                kind,
            })
        }
    };
    let ((fk, from_id), (tk, to_id)) = (kind_of("from", from)?, kind_of("to", to)?);
    let actors = match (Actors::of(fk), Actors::of(tk)) {
        (Some(a), Some(b)) if a != b => return Err(PathError::MixedKinds { from: fk, to: tk }),
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => Actors::Institutions,
    };
    if from == to {
        return Err(PathError::SameNode {
            id: from.to_owned(),
        });
    }
    let end = |argument: &'static str, kind: NodeKind, id: Id| {
        if kind != NodeKind::Lab {
            return Ok(End::Actor(id));
        }
        let found = members(graph, id.as_str(), actors);
        if found.is_empty() {
            return Err(PathError::NoMembers {
                argument,
                lab: id.to_string(),
                actors,
            });
        }
        Ok(End::Lab(found))
    };
    Ok(Ends {
        actors,
        from: end("from", fk, from_id)?,
        to: end("to", tk, to_id)?,
    })
}

/// The projection of `actors` in `graph` with the default weighting (every piece of evidence
/// counts 1); with `cross_border_only`, only ties joining two jurisdictions.
pub fn project(graph: &Graph, actors: Actors, cross_border_only: bool) -> Network {
    let filter = Filter {
        cross_border_only,
        ..Filter::default()
    };
    match actors {
        Actors::Institutions => {
            projection::institution_network(graph, &filter, Weighting::default())
                .expect("the default weighting is finite and not negative")
        }
        Actors::People => projection::person_network(graph, &filter),
    }
}

/// Checks the arguments of a path search without searching: `from` and `to` exist, are two
/// different institutions, two different people, or a lab (with members on that network) and
/// either, `k` is in 1..=[`MAX_K`] and `max_hops` in 1..=[`MAX_HOPS`]. Returns the projection
/// the search runs on. Why apart from the search: the API refuses bad arguments before it
/// starts a whole-graph computation.
///
/// ```
/// use labgraph_domain::Graph;
/// use labgraph_insights::paths::{check_path_args, PathError};
/// let err = check_path_args(&Graph::new(), "a", "b", 0, 4).unwrap_err();
/// assert_eq!(err, PathError::KOutOfRange { k: 0, max: 20 });
/// ```
pub fn check_path_args(
    graph: &Graph,
    from: &str,
    to: &str,
    k: usize,
    max_hops: usize,
) -> Result<Actors, PathError> {
    check_k(k)?;
    check_max_hops(max_hops)?;
    resolve_ends(graph, from, to).map(|ends| ends.actors)
}

fn check_max_hops(max_hops: usize) -> Result<(), PathError> {
    if (1..=MAX_HOPS).contains(&max_hops) {
        Ok(())
    } else {
        Err(PathError::MaxHopsOutOfRange {
            max_hops,
            max: MAX_HOPS,
        })
    }
}

fn check_k(k: usize) -> Result<(), PathError> {
    if (1..=MAX_K).contains(&k) {
        Ok(())
    } else {
        Err(PathError::KOutOfRange { k, max: MAX_K })
    }
}

/// The institutions a person is primarily affiliated with: those marked primary, or all when
/// none is (the rule of the projection and of [`Graph::cities_of`]).
fn primary_affiliations<'g>(graph: &'g Graph, person: &str) -> BTreeSet<&'g str> {
    let all: Vec<_> = graph
        .adjacent_of_kind(person, EdgeKind::AffiliatedWith)
        .collect();
    let any_primary = all.iter().any(|a| a.edge.primary == Some(true));
    all.into_iter()
        .filter(|a| !any_primary || a.edge.primary == Some(true))
        .map(|a| a.neighbour.id.as_str())
        .collect()
}

/// The length of a tie of strength `s` that last held `age` years ago.
pub fn tie_length(strength: f64, age: f64) -> f64 {
    (1.0 / strength) * (1.0 + STALENESS_PER_YEAR * age)
}

/// The `k` shortest loopless paths from `from` to `to` with at most `max_hops` hops on a plain
/// network, reading each tie through `length(a, b, strength)` (which must be positive and
/// finite). Returns each path's nodes and length, shortest first; ties are broken by fewer
/// hops, then by the nodes' positions in the network's order. The building block of
/// [`Cooperation::paths`], public so it can be checked against NetworkX's
/// `shortest_simple_paths` on a plain edge list.
///
/// Complexity: O(k · L · H · (|V| + |E|)) for paths of at most L nodes and H = `max_hops`.
///
/// ```
/// use labgraph_analytics::read_edge_list_str;
/// use labgraph_insights::paths::k_shortest_paths;
/// // a square a–b–d, a–c–d with a short cut b–c: two ways of 3.5 tie, fewer hops first, then
/// // the nodes in the network's order (a, b, d, c as read).
/// let net = read_edge_list_str("sq", "a b 1\nb d 1\na c 2\nc d 2\nb c 0.5\n")?;
/// let paths = k_shortest_paths(&net, "a", "d", 4, 3, |_, _, w| w)?;
/// let names: Vec<String> = paths
///     .iter()
///     .map(|(p, _)| p.iter().map(|i| i.as_str()).collect::<Vec<_>>().join("-"))
///     .collect();
/// assert_eq!(names, ["a-b-d", "a-b-c-d", "a-c-b-d", "a-c-d"]);
/// assert_eq!(paths.iter().map(|p| p.1).collect::<Vec<_>>(), [2.0, 3.5, 3.5, 4.0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn k_shortest_paths(
    network: &Network,
    from: &str,
    to: &str,
    k: usize,
    max_hops: usize,
    length: impl Fn(&Id, &Id, f64) -> f64,
) -> Result<Vec<(Vec<Id>, f64)>, PathError> {
    check_k(k)?;
    let ids = network.ids();
    let index: HashMap<&Id, usize> = ids.iter().enumerate().map(|(i, id)| (id, i)).collect();
    let pos = |argument: &'static str, id: &str| {
        ids.iter()
            .position(|x| x.as_str() == id)
            .ok_or_else(|| PathError::UnknownNode {
                argument,
                id: id.to_owned(),
            })
    };
    let (s, t) = (pos("from", from)?, pos("to", to)?);
    if s == t {
        return Err(PathError::SameNode {
            id: from.to_owned(),
        });
    }
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); ids.len()];
    for (a, b, w) in network.edges() {
        let (u, v) = (index[a], index[b]);
        adj[u].push((v, length(a, b, w)));
        adj[v].push((u, length(b, a, w)));
    }
    for row in &mut adj {
        row.sort_by_key(|&(v, _)| v);
    }
    Ok(yen(&adj, s, t, k, max_hops)
        .into_iter()
        .map(|(p, l)| (p.into_iter().map(|u| ids[u].clone()).collect(), l))
        .collect())
}

/// A candidate path in Yen's heap, ordered by length, then hops, then node positions.
#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    length: f64,
    nodes: Vec<usize>,
}

impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.length
            .total_cmp(&other.length)
            .then_with(|| self.nodes.len().cmp(&other.nodes.len()))
            .then_with(|| self.nodes.cmp(&other.nodes))
    }
}

/// The length of `path`, summed from its start (so equal paths always sum equal).
fn path_length(adj: &[Vec<(usize, f64)>], path: &[usize]) -> f64 {
    path.windows(2)
        .map(|w| {
            adj[w[0]]
                .iter()
                .find(|&&(v, _)| v == w[1])
                .map_or(f64::INFINITY, |&(_, l)| l)
        })
        .sum()
}

/// Yen's algorithm over positions.
fn yen(
    adj: &[Vec<(usize, f64)>],
    s: usize,
    t: usize,
    k: usize,
    max_hops: usize,
) -> Vec<(Vec<usize>, f64)> {
    let none_nodes = HashSet::new();
    let none_edges = HashSet::new();
    let Some(first) = bounded_shortest(adj, s, t, max_hops, &none_nodes, &none_edges) else {
        return Vec::new();
    };
    let mut found: Vec<Candidate> = vec![Candidate {
        length: path_length(adj, &first),
        nodes: first,
    }];
    let mut heap: BTreeSet<Candidate> = BTreeSet::new();
    while found.len() < k {
        let Some(prev) = found.last().map(|c| c.nodes.clone()) else {
            break;
        };
        for j in 0..prev.len() - 1 {
            let spur = prev[j];
            let root = &prev[..=j];
            let mut banned_edges: HashSet<(usize, usize)> = HashSet::new();
            for p in &found {
                if p.nodes.len() > j + 1 && &p.nodes[..=j] == root {
                    banned_edges.insert((p.nodes[j], p.nodes[j + 1]));
                }
            }
            let banned_nodes: HashSet<usize> = root[..j].iter().copied().collect();
            let Some(spur_path) =
                bounded_shortest(adj, spur, t, max_hops - j, &banned_nodes, &banned_edges)
            else {
                continue;
            };
            let mut nodes = root[..j].to_vec();
            nodes.extend(spur_path);
            let candidate = Candidate {
                length: path_length(adj, &nodes),
                nodes,
            };
            if !found.iter().any(|c| c.nodes == candidate.nodes) {
                heap.insert(candidate);
            }
        }
        match heap.pop_first() {
            Some(best) => found.push(best),
            None => break,
        }
    }
    found.into_iter().map(|c| (c.nodes, c.length)).collect()
}

/// The shortest path from `s` to `t` of at most `max_hops` hops avoiding `banned_nodes` and the
/// directed `banned_edges`: Bellman–Ford by layers, layer `h` holding only the nodes whose best
/// distance improved with `h` hops. Equal distances keep the path found first (neighbours
/// visited in position order), so the answer is deterministic.
fn bounded_shortest(
    adj: &[Vec<(usize, f64)>],
    s: usize,
    t: usize,
    max_hops: usize,
    banned_nodes: &HashSet<usize>,
    banned_edges: &HashSet<(usize, usize)>,
) -> Option<Vec<usize>> {
    if banned_nodes.contains(&s) || banned_nodes.contains(&t) {
        return None;
    }
    // best[v] = (distance, hops) of the best path found so far; layers[h][v] = (distance,
    // predecessor, predecessor's layer) for the nodes improved at layer h.
    let mut best: HashMap<usize, f64> = HashMap::from([(s, 0.0)]);
    let mut layers: Vec<BTreeMap<usize, (f64, usize, usize)>> =
        vec![BTreeMap::from([(s, (0.0, s, 0))])];
    let mut best_t: Option<(f64, usize)> = None;
    for h in 1..=max_hops {
        let mut next: BTreeMap<usize, (f64, usize, usize)> = BTreeMap::new();
        for (&u, &(du, _, _)) in &layers[h - 1] {
            if u == t {
                continue;
            }
            for &(v, len) in &adj[u] {
                if banned_nodes.contains(&v) || banned_edges.contains(&(u, v)) || v == s {
                    continue;
                }
                let dv = du + len;
                if best_t.is_some_and(|(d, _)| dv >= d) {
                    continue;
                }
                if best.get(&v).is_none_or(|&d| dv < d) {
                    best.insert(v, dv);
                    next.insert(v, (dv, u, h - 1));
                    if v == t {
                        best_t = Some((dv, h));
                    }
                }
            }
        }
        if next.is_empty() {
            break;
        }
        layers.push(next);
    }
    let (_, mut h) = best_t?;
    let mut path = vec![t];
    let mut v = t;
    while v != s {
        let &(_, u, hu) = layers[h].get(&v)?;
        path.push(u);
        v = u;
        h = hu;
    }
    path.reverse();
    Some(path)
}
