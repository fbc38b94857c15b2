//! `PartnersQuery`: the liaison office's partner finder (`partnerSuggestions`),
//! introduction paths (`paths`) and sole cross-border bridges (`soleBridges`) of
//! labgraph-insights as GraphQL fields, each computed once per graph version and arguments
//! through [`super::compute`] and stamped with its [`Freshness`].
//!
//! All three read the institution network (or, for a person, the person network): institutions
//! tied by shared labs, collaboration and talent links. `paths` also takes a lab as either end:
//! reaching the lab means reaching any of its members, and the path ends with a `LAB` hop that
//! names the member's role and the membership's provenance. Nodes come back as the `Node`
//! interface, so a client selects names in the language it wants; every hop of a path names the
//! lab, person or collaboration behind it with its years and the tie's strength and border
//! class. The score and the length of a tie are documented in `labgraph_insights::partners`
//! and `labgraph_insights::paths`.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use labgraph_domain::{Graph, Id};
use labgraph_insights::partners::{
    self, MAX_FIRST, PartnerError, PartnerQuery, Suggestion, Suggestions,
};
use labgraph_insights::paths::{
    self as domain_paths, ConnectorKind, Cooperation, Hop, IntroPath, MAX_K, Membership, PathError,
};
use serde_json::json;

use super::compute::{ComputeKey, Freshness, compute};
use super::enums::{EdgeRole, InstitutionKind, Jurisdiction, TieClass};
use super::error::ApiError;
use super::nodes::{NodeInterface, Provenance};
use super::scope::RequestScope;

/// What a root field of this family costs beyond its selection: it may start a whole-graph
/// computation (as the analytics and answers fields do).
const PARTNERS_COST: usize = 50;

/// The partner finder and introduction paths, merged into the root `Query`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PartnersQuery;

impl From<PartnerError> for ApiError {
    fn from(error: PartnerError) -> Self {
        match error {
            PartnerError::UnknownNode { argument, id } => ApiError::NotFound {
                argument: argument.into(),
                kind: "node",
                id,
            },
            PartnerError::FirstOutOfRange { first, max } if first > max => {
                ApiError::PageSizeExceeded {
                    argument: "first",
                    requested: first,
                    max,
                }
            }
            other => validation(other.to_string()),
        }
    }
}

impl From<PathError> for ApiError {
    fn from(error: PathError) -> Self {
        match error {
            PathError::UnknownNode { argument, id } => ApiError::NotFound {
                argument: argument.into(),
                kind: "node",
                id,
            },
            PathError::KOutOfRange { k, max } if k > max => ApiError::PageSizeExceeded {
                argument: "k",
                requested: k,
                max,
            },
            other => validation(other.to_string()),
        }
    }
}

/// A `VALIDATION_FAILED` error from an insights message of the form `argument: reason`.
fn validation(message: String) -> ApiError {
    match message.split_once(": ") {
        Some((argument, reason)) if !argument.contains(' ') => {
            ApiError::validation(argument, reason)
        }
        _ => ApiError::validation("arguments", message),
    }
}

/// A count argument: negative is refused (`VALIDATION_FAILED`).
fn count(argument: &str, value: i32) -> Result<usize, ApiError> {
    usize::try_from(value)
        .map_err(|_| ApiError::validation(argument, format!("{value} is negative")))
}

/// The `Node` of `id` (ids in answers come from the graph, so they resolve).
fn node_of(graph: &Graph, id: &Id) -> Option<NodeInterface> {
    graph.node(id.as_str()).map(NodeInterface::of)
}

fn nodes_of(graph: &Graph, ids: &[Id]) -> Vec<NodeInterface> {
    ids.iter().filter_map(|id| node_of(graph, id)).collect()
}

/// Ranked partner suggestions for one institution or person (see `partnerSuggestions`).
#[derive(Debug)]
pub struct PartnerSuggestions {
    answer: Arc<Suggestions>,
    graph: Arc<Graph>,
    freshness: Freshness,
}

/// Ranked partner suggestions for one institution or person, with the constraints' effect
/// and the freshness of the computation.
#[Object]
impl PartnerSuggestions {
    /// The institution or person asked about.
    #[graphql(name = "for")]
    async fn for_node(&self) -> Option<NodeInterface> {
        node_of(&self.graph, &self.answer.for_id)
    }

    /// Its existing partners (tied to it in the network), in id order: never suggested.
    async fn existing_partners(&self) -> Vec<NodeInterface> {
        nodes_of(&self.graph, &self.answer.existing_partners)
    }

    /// The fields it works on (its own, and those of its labs), in id order.
    async fn fields(&self) -> Vec<NodeInterface> {
        nodes_of(&self.graph, &self.answer.fields)
    }

    /// How many candidates passed the constraints, before `first` and before dropping those
    /// with nothing in common (score 0).
    async fn candidates(&self) -> usize {
        self.answer.candidates
    }

    /// The suggestions, best first.
    async fn suggestions(&self) -> Vec<PartnerSuggestion> {
        self.answer
            .suggestions
            .iter()
            .map(|s| PartnerSuggestion {
                suggestion: s.clone(),
                graph: Arc::clone(&self.graph),
            })
            .collect()
    }

    /// The graph version, time and arguments of the computation.
    async fn freshness(&self) -> &Freshness {
        &self.freshness
    }
}

/// One suggested partner, with why.
#[derive(Debug)]
pub struct PartnerSuggestion {
    suggestion: Suggestion,
    graph: Arc<Graph>,
}

/// The link-prediction signals and the field overlap behind a score, raw (before they are
/// divided by their maximum over the candidates).
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct PartnerSignals {
    /// Partners both have.
    pub common_neighbours: usize,
    /// Shared partners as a share of all their partners.
    pub jaccard: f64,
    /// Adamic–Adar: shared partners, each counted 1 / ln(its number of partners).
    pub adamic_adar: f64,
    /// Resource allocation: shared partners, each counted 1 / its number of partners.
    pub resource_allocation: f64,
    /// Preferential attachment: the product of the two numbers of partners.
    pub preferential_attachment: f64,
    /// The Jaccard overlap of the two field sets.
    pub field_overlap: f64,
}

/// One suggested partner: its rank and score, the signals behind the score, and the
/// explanation (shared partners, shared fields, introduction paths).
#[Object]
impl PartnerSuggestion {
    /// 1 for the best.
    async fn rank(&self) -> usize {
        self.suggestion.rank
    }

    /// The candidate.
    async fn node(&self) -> Option<NodeInterface> {
        node_of(&self.graph, &self.suggestion.id)
    }

    /// The score, 0 to 1: 0.30 resource allocation + 0.20 Adamic–Adar + 0.10 common
    /// neighbours (each divided by its maximum over the candidates) + 0.10 Jaccard + 0.25
    /// field overlap + 0.05 preferential attachment (divided by its maximum).
    async fn score(&self) -> f64 {
        self.suggestion.score
    }

    /// The signals the score blends.
    async fn signals(&self) -> PartnerSignals {
        let s = &self.suggestion.signals;
        PartnerSignals {
            common_neighbours: s.link.common_neighbours,
            jaccard: s.link.jaccard,
            adamic_adar: s.link.adamic_adar,
            resource_allocation: s.link.resource_allocation,
            preferential_attachment: s.link.preferential_attachment,
            field_overlap: s.field_overlap,
        }
    }

    /// Ties between the two in the network (2: one introduction away); null when they are
    /// not connected.
    async fn distance(&self) -> Option<usize> {
        self.suggestion.distance
    }

    /// The partners both already have, who could introduce them, in id order.
    async fn shared_partners(&self) -> Vec<NodeInterface> {
        nodes_of(&self.graph, &self.suggestion.shared_partners)
    }

    /// The fields both work on, in id order.
    async fn shared_fields(&self) -> Vec<NodeInterface> {
        nodes_of(&self.graph, &self.suggestion.shared_fields)
    }

    /// The best introduction paths (up to 3, at most 4 ties), shortest first.
    async fn paths(&self) -> Vec<IntroductionPath> {
        self.suggestion
            .paths
            .iter()
            .map(|p| IntroductionPath::new(&self.graph, p))
            .collect()
    }
}

/// A cross-border tie that is the only one into some fields (see `soleBridges`).
#[derive(SimpleObject, Debug, Clone)]
pub struct SoleBridge {
    /// The partner across the border.
    pub partner: Option<NodeInterface>,
    /// The tie, from the institution asked about to the partner, with what it rests on.
    pub tie: PathHop,
    /// The fields no other cross-border partner works on, in id order.
    pub fields: Vec<NodeInterface>,
    /// Of those, the ones the institution works on itself.
    pub own_fields: Vec<NodeInterface>,
}

/// The sole cross-border bridges of an institution (see `soleBridges`).
#[derive(SimpleObject, Debug)]
pub struct SoleBridges {
    /// The bridges, in partner id order.
    pub bridges: Vec<SoleBridge>,
    /// The graph version, time and arguments of the computation.
    pub freshness: Freshness,
}

/// The k shortest introduction paths between two nodes (see `paths`).
#[derive(Debug)]
pub struct IntroductionPaths {
    paths: Vec<IntroductionPath>,
    already_member: bool,
    freshness: Freshness,
}

/// The k shortest introduction paths between two nodes, shortest first, with the freshness of
/// the computation.
#[Object]
impl IntroductionPaths {
    /// The paths, shortest first; empty when the two are not connected within `maxHops`.
    async fn paths(&self) -> &[IntroductionPath] {
        &self.paths
    }

    /// True when one end is a lab and the other already a member of it (host or partner; for
    /// people, a member): no introduction is needed, and the only path is that membership —
    /// one `LAB` hop, length 0. Also true when two labs share a member (the shortest path).
    async fn already_member(&self) -> bool {
        self.already_member
    }

    /// The graph version, time and arguments of the computation.
    async fn freshness(&self) -> &Freshness {
        &self.freshness
    }
}

/// One introduction path: the nodes from one end to the other and the tie of each hop.
#[derive(SimpleObject, Debug, Clone)]
pub struct IntroductionPath {
    /// The sum of the hops' lengths. A tie of strength s that last held y years ago has length
    /// (1 / s) × (1 + 0.25 y); a tie that still holds has y = 0.
    pub length: f64,
    /// The nodes along the path, from the start to the end.
    pub nodes: Vec<NodeInterface>,
    /// The hops, one fewer than the nodes.
    pub hops: Vec<PathHop>,
}

impl IntroductionPath {
    fn new(graph: &Graph, path: &IntroPath) -> IntroductionPath {
        IntroductionPath {
            length: path.length,
            nodes: nodes_of(graph, &path.nodes),
            hops: path.hops.iter().map(|h| PathHop::new(graph, h)).collect(),
        }
    }
}

/// One hop of an introduction path: a tie and what it rests on, or the step into (or out of)
/// a lab at an end of the path.
#[derive(SimpleObject, Debug, Clone)]
pub struct PathHop {
    /// A tie between two institutions (people), or the step into or out of a lab.
    pub kind: PathHopKind,
    /// The node the hop leaves.
    pub from: Option<NodeInterface>,
    /// The node it reaches.
    pub to: Option<NodeInterface>,
    /// The tie's strength: shared labs + joint works + talent links; 0 for a `LAB` hop.
    pub strength: f64,
    /// The tie's length (see `IntroductionPath.length`); 0 for a `LAB` hop.
    pub length: f64,
    /// The jurisdictions the tie joins; for a `LAB` hop, those of all the lab's partners. Null
    /// when a location is unknown.
    pub tie_class: Option<TieClass>,
    /// The first year of the tie (of the membership, for a `LAB` hop), when known.
    pub since: Option<i32>,
    /// The last year of the tie when all its evidence has ended (of the membership, for a
    /// `LAB` hop); null while it holds.
    pub until: Option<i32>,
    /// The labs, people and collaborations behind the tie; empty for a `LAB` hop.
    pub via: Vec<TieEvidence>,
    /// For a `LAB` hop: the lab, the member and its role, with the membership's provenance;
    /// null for a tie.
    pub membership: Option<LabMembership>,
}

/// What a hop of an introduction path is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathHopKind {
    /// A tie between two institutions (or two people).
    Tie,
    /// The step from a member into the lab at the end of the path, or out of the lab at its
    /// start: "through which joint lab".
    Lab,
}

/// How a member belongs to a lab: its PARTNER_IN (institution) or MEMBER_OF (person) edge.
#[derive(SimpleObject, Debug, Clone)]
pub struct LabMembership {
    /// The lab.
    pub lab: Option<NodeInterface>,
    /// The member institution or person.
    pub member: Option<NodeInterface>,
    /// HOST or PARTNER for an institution; DIRECTOR, PI or MEMBER for a person; null when the
    /// source does not say.
    pub role: Option<EdgeRole>,
    /// The first year of the membership, when known.
    pub since: Option<i32>,
    /// The last year, when it ended.
    pub until: Option<i32>,
    /// Where the membership comes from and whether it was checked.
    pub provenance: Provenance,
}

impl LabMembership {
    fn new(graph: &Graph, m: &Membership) -> LabMembership {
        LabMembership {
            lab: node_of(graph, &m.lab),
            member: node_of(graph, &m.member),
            role: m.role.map(EdgeRole::from),
            since: m.since,
            until: m.until,
            provenance: Provenance::from(&m.provenance),
        }
    }
}

impl PathHop {
    fn new(graph: &Graph, hop: &Hop) -> PathHop {
        PathHop {
            kind: if hop.is_lab_hop() {
                PathHopKind::Lab
            } else {
                PathHopKind::Tie
            },
            from: node_of(graph, &hop.from),
            to: node_of(graph, &hop.to),
            strength: hop.strength,
            length: hop.length,
            tie_class: hop.class.map(TieClass::from),
            since: hop.since,
            until: hop.until,
            via: hop
                .connectors
                .iter()
                .map(|c| TieEvidence {
                    kind: match c.kind {
                        ConnectorKind::SharedLab => TieEvidenceKind::SharedLab,
                        ConnectorKind::Collaboration => TieEvidenceKind::Collaboration,
                        ConnectorKind::TalentLink => TieEvidenceKind::TalentLink,
                    },
                    node: c.via.as_ref().and_then(|v| node_of(graph, v)),
                    since: c.since,
                    until: c.until,
                    weight: c.weight,
                    verified: c.verified,
                })
                .collect(),
            membership: hop
                .membership
                .as_ref()
                .map(|m| LabMembership::new(graph, m)),
        }
    }
}

/// What a piece of evidence for a tie is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieEvidenceKind {
    /// Both ends are partners (or hosts) of the lab `node`.
    SharedLab,
    /// The two collaborate directly (joint papers or projects: `weight`).
    Collaboration,
    /// The person `node`, primarily affiliated with one end, has a talent link to the other.
    TalentLink,
}

/// One piece of evidence for a tie: the lab or person connecting its ends.
#[derive(SimpleObject, Debug, Clone)]
pub struct TieEvidence {
    /// What kind of evidence.
    pub kind: TieEvidenceKind,
    /// The lab or person; null for a direct collaboration.
    pub node: Option<NodeInterface>,
    /// The first year both ends held it, when known.
    pub since: Option<i32>,
    /// The last year, when it ended.
    pub until: Option<i32>,
    /// How much it counts towards the strength (joint works of a collaboration, else 1).
    pub weight: f64,
    /// Every edge behind it is verified against its source.
    pub verified: bool,
}

#[Object]
impl PartnersQuery {
    /// Partner suggestions for an institution (or a person): the institutions (people) it is
    /// not yet tied to, ranked by a score blending link prediction (resource allocation,
    /// Adamic–Adar, common neighbours, Jaccard, preferential attachment) with the overlap of
    /// fields, under the constraints given; each explained by the partners both share, the
    /// fields both work on and the best introduction paths. Existing partners are never
    /// suggested. Errors: `NOT_FOUND` for an unknown `for` or field; `VALIDATION_FAILED` for
    /// a `for` that is not an institution or person, an empty `fields` or `kinds`, a non-field
    /// id in `fields`, `kinds` for a person, `first` below 1; `PAGE_SIZE_EXCEEDED` for `first`
    /// above 50.
    #[graphql(complexity = "PARTNERS_COST + child_complexity")]
    async fn partner_suggestions(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "for", desc = "The institution or person looking for partners.")]
        for_id: ID,
        #[graphql(
            desc = "Only candidates working on one of these fields or a sub-field of one; any \
                    field when omitted (an empty list is refused)."
        )]
        fields: Option<Vec<ID>>,
        #[graphql(desc = "Only candidates located in this jurisdiction; any when omitted.")]
        target_jurisdiction: Option<Jurisdiction>,
        #[graphql(
            desc = "Only institutions of these kinds; any when omitted (an empty list is \
                    refused; not for people)."
        )]
        kinds: Option<Vec<InstitutionKind>>,
        #[graphql(default = 10, desc = "How many suggestions, 1 to 50.")] first: i32,
    ) -> async_graphql::Result<PartnerSuggestions> {
        let scope = RequestScope::of(ctx)?;
        let query = PartnerQuery {
            for_id: for_id.to_string(),
            fields: fields.map(|f| f.iter().map(|id| id.to_string()).collect()),
            target_jurisdiction: target_jurisdiction.map(Into::into),
            kinds: kinds.map(|k| k.into_iter().map(Into::into).collect()),
            first: count("first", first)?,
        };
        // Checked before computing: a refused request starts no whole-graph computation.
        query.check(&scope.graph).map_err(ApiError::from)?;
        debug_assert!(query.first <= MAX_FIRST);
        let key = ComputeKey::new(
            "partnerSuggestions",
            json!({
                "for": query.for_id,
                "fields": query.fields,
                "targetJurisdiction": target_jurisdiction.map(|j| Jurisdiction::key(j.into())),
                "kinds": query.kinds.as_ref().map(|k| k.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>()),
                "first": query.first,
            }),
        );
        let (answer, freshness) = compute(scope, key, move |graph| {
            partners::partner_suggestions(graph, &query).map_err(ApiError::from)
        })
        .await?;
        Ok(PartnerSuggestions {
            answer,
            graph: Arc::clone(&scope.graph),
            freshness,
        })
    }

    /// The cross-border ties of an institution (or person) that are its only bridge into a
    /// field: for each partner in another jurisdiction, the fields it works on that no other
    /// cross-border partner works on — the links the institution cannot lose without losing
    /// every cross-border partner in those fields. Partners with no such field are left out.
    /// Errors: `NOT_FOUND` for an unknown `for`; `VALIDATION_FAILED` for a node that is not an
    /// institution or person.
    #[graphql(complexity = "PARTNERS_COST + child_complexity")]
    async fn sole_bridges(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            name = "for",
            desc = "The institution or person whose ties are examined."
        )]
        for_id: ID,
    ) -> async_graphql::Result<SoleBridges> {
        let scope = RequestScope::of(ctx)?;
        let for_id = for_id.to_string();
        // Checked before computing: a refused request starts no whole-graph computation.
        PartnerQuery::new(for_id.clone())
            .check(&scope.graph)
            .map_err(ApiError::from)?;
        let key = ComputeKey::new("soleBridges", json!({ "for": for_id }));
        let (found, freshness) = compute(scope, key, move |graph| {
            partners::sole_bridges(graph, &for_id).map_err(ApiError::from)
        })
        .await?;
        let graph = &scope.graph;
        Ok(SoleBridges {
            bridges: found
                .iter()
                .map(|b| SoleBridge {
                    partner: node_of(graph, &b.partner),
                    tie: PathHop::new(graph, &b.tie),
                    fields: nodes_of(graph, &b.fields),
                    own_fields: nodes_of(graph, &b.own_fields),
                })
                .collect(),
            freshness,
        })
    }

    /// The k shortest introduction paths between two institutions (or two people), or between
    /// one of them and a lab, by Yen's algorithm over the institution (person) network,
    /// shortest first. A tie of strength s that last held y years before the latest year in
    /// the graph has length (1 / s) × (1 + 0.25 y): strong, current ties are short. Each hop
    /// names the labs, people or collaborations behind it. A lab is reached by reaching any of
    /// its members (institutions PARTNER_IN it, or people MEMBER_OF it): the k paths are the k
    /// shortest to the lab overall, each stops at the first member it reaches and ends with a
    /// `LAB` hop of length 0 naming the member's role; a start already in the lab gets one
    /// path of length 0 and `alreadyMember`. Between two labs, the institution network.
    /// Errors: `NOT_FOUND` for an unknown `from` or `to`; `VALIDATION_FAILED` for an end that
    /// is a city, field or platform, an institution and a person, the same node twice, a lab
    /// with no member on the network asked for, `k` below 1, `maxHops` outside 1 to 8;
    /// `PAGE_SIZE_EXCEEDED` for `k` above 20.
    #[graphql(complexity = "PARTNERS_COST + child_complexity")]
    async fn paths(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Where the paths start: an institution, a person or a lab.")] from: ID,
        #[graphql(
            desc = "Where they end: an institution or a person (of the kind of `from`), or a lab."
        )]
        to: ID,
        #[graphql(default = 3, desc = "How many paths, 1 to 20.")] k: i32,
        #[graphql(
            default = false,
            desc = "Only ties joining two jurisdictions: every hop crosses a border."
        )]
        cross_border_only: bool,
        #[graphql(
            default = 6,
            desc = "The most ties in a path, 1 to 8 (the `LAB` hops at a lab end not counted)."
        )]
        max_hops: i32,
    ) -> async_graphql::Result<IntroductionPaths> {
        let scope = RequestScope::of(ctx)?;
        let (k, max_hops) = (count("k", k)?, count("maxHops", max_hops)?);
        let (from, to) = (from.to_string(), to.to_string());
        let actors = domain_paths::check_path_args(&scope.graph, &from, &to, k, max_hops)
            .map_err(ApiError::from)?;
        debug_assert!(k <= MAX_K);
        let key = ComputeKey::new(
            "paths",
            json!({
                "from": from, "to": to, "k": k,
                "crossBorderOnly": cross_border_only, "maxHops": max_hops,
            }),
        );
        let (found, freshness) = compute(scope, key, move |graph| {
            Cooperation::new(graph, actors, cross_border_only)
                .paths(&from, &to, k, max_hops)
                .map_err(ApiError::from)
        })
        .await?;
        Ok(IntroductionPaths {
            paths: found
                .iter()
                .map(|p| IntroductionPath::new(&scope.graph, p))
                .collect(),
            already_member: found.first().is_some_and(IntroPath::already_member),
            freshness,
        })
    }
}
