//! `AnswersQuery`: the policy staff's answers of labgraph-insights as GraphQL fields — `gaps`
//! (the area × field matrix of cross-border ties, paths to Hong Kong and Macao, fields without
//! a cross-border lab), `bridgesAtRisk`, `whatIf`, `evolution` and `tieChanges` — each
//! computed once per graph version and arguments through [`super::compute`] and stamped with
//! its [`Freshness`].
//!
//! Every answer reads the institution network (institutions tied by shared labs,
//! collaboration and talent links; see `labgraph_analytics::projection`). Ids are domain ids,
//! as `node(id:)` takes them; each comes with its English name so a table can be read
//! without a second query.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use labgraph_domain::{EdgeKind as DomainEdgeKind, Graph, Id};
use labgraph_insights::InsightError;
use labgraph_insights::evolution::{TieChanges as DomainTieChanges, YearFigures as DomainYear};
use labgraph_insights::gaps::{
    self, Area, AreaLevel, AtRisk as DomainAtRisk, GapParams, Gaps as DomainGaps, WeakPoint,
};
use labgraph_insights::whatif::{self, Proposal, ProposedLab, ProposedTie};
use serde_json::json;

use super::compute::{ComputeKey, Freshness, compute};
use super::enums::{EdgeKind, Jurisdiction, Lang, Region, TieClass};
use super::error::ApiError;
use super::nodes::name_in;
use super::scope::RequestScope;

/// What a root answer field costs beyond its selection: it may start a whole-graph
/// computation (the same as an analytics field).
const ANSWER_COST: usize = 50;

/// The answers for policy staff, merged into the root `Query`.
#[derive(Debug, Default, Clone, Copy)]
pub struct AnswersQuery;

impl From<InsightError> for ApiError {
    fn from(error: InsightError) -> Self {
        match error {
            InsightError::UnknownNode { argument, id } => ApiError::NotFound {
                argument,
                kind: "node",
                id,
            },
            InsightError::WrongKind { .. } | InsightError::Invalid { .. } => {
                ApiError::validation(error_argument(&error), error_reason(&error))
            }
        }
    }
}

/// The argument an [`InsightError`] names.
fn error_argument(error: &InsightError) -> String {
    match error {
        InsightError::UnknownNode { argument, .. }
        | InsightError::WrongKind { argument, .. }
        | InsightError::Invalid { argument, .. } => argument.clone(),
    }
}

/// The message of an [`InsightError`] without its argument (the `ApiError` puts it back).
fn error_reason(error: &InsightError) -> String {
    let text = error.to_string();
    let prefix = format!("{}: ", error_argument(error));
    text.strip_prefix(&prefix).unwrap_or(&text).to_owned()
}

/// Reads an id argument; a text that cannot be an id names no node (`NOT_FOUND`).
pub(crate) fn id_arg(argument: String, id: &ID) -> Result<Id, ApiError> {
    Id::new(id.as_str()).map_err(|_| ApiError::NotFound {
        argument,
        kind: "node",
        id: id.to_string(),
    })
}

/// Reads a list of id arguments.
fn ids_arg(argument: &str, ids: &[ID]) -> Result<Vec<Id>, ApiError> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| id_arg(format!("{argument}[{i}]"), id))
        .collect()
}

/// The English name of node `id` (its id when it has none in the graph).
fn name(graph: &Graph, id: &str) -> String {
    graph
        .node(id)
        .map(|n| name_in(&n.names, Some(Lang::En)))
        .unwrap_or_else(|| id.to_owned())
}

/// The rows of a gap matrix.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GapLevel {
    /// One row per city (key: the city's id).
    #[default]
    City,
    /// One row per region (key: the Region value, e.g. `GD_PRD`).
    Region,
}

/// The key and English name of an area.
fn area_key(graph: &Graph, area: &Area) -> (String, String) {
    match area {
        Area::City(id) => (id.to_string(), name(graph, id.as_str())),
        Area::Region(r) => (Region::key(*r).to_owned(), Region::english(*r).to_owned()),
    }
}

/// Gaps in the cross-border network (see `gaps`).
#[derive(Debug)]
pub struct Gaps {
    gaps: Arc<DomainGaps>,
    graph: Arc<Graph>,
    freshness: Freshness,
}

/// One cell of the area × field matrix of cross-border ties.
#[derive(SimpleObject, Debug)]
pub struct GapCell {
    /// The row: a city id, or a Region value (e.g. `GD_EAST`).
    pub area: String,
    /// The area's English name.
    pub area_name: String,
    /// The column: a field (its sub-fields included).
    pub field: ID,
    /// The field's English name.
    pub field_name: String,
    /// Institutions located in the area that work on the field (themselves or through a lab
    /// they are partners in): those that could hold a cross-border tie in it.
    pub institutions: usize,
    /// Cross-border ties in the field with an end in the area, each counted once.
    pub observed: usize,
    /// Cross-border ties expected under the configuration model: the sum over the area's
    /// institutions i and every institution j of another jurisdiction of k_i·k_j / 2m, with
    /// k the number of ties in the field's institution network and m its ties.
    pub expected: f64,
    /// `observed / expected`; null when nothing is expected.
    pub ratio: Option<f64>,
    /// True when the area has institutions in the field but no cross-border tie in it.
    pub gap: bool,
}

/// A Mainland institution's distance to Hong Kong and Macao.
#[derive(SimpleObject, Debug)]
pub struct InstitutionReach {
    /// The institution.
    pub id: ID,
    /// Its English name.
    pub name: String,
    /// Its city.
    pub city: Option<ID>,
    /// Its region.
    pub region: Option<Region>,
    /// Fewest ties to a Hong Kong institution; null when there is no path.
    pub to_hk: Option<u32>,
    /// Fewest ties to a Macao institution; null when there is no path.
    pub to_macao: Option<u32>,
    /// True when Hong Kong or Macao is at most `k` ties away.
    pub within_k: bool,
}

/// A Mainland city's distance to Hong Kong and Macao: that of its nearest institution.
#[derive(SimpleObject, Debug)]
pub struct CityReach {
    /// The city.
    pub id: ID,
    /// Its English name.
    pub name: String,
    /// Its region.
    pub region: Region,
    /// Institutions located in it.
    pub institutions: usize,
    /// Fewest ties from any of its institutions to Hong Kong; null when none has a path (or
    /// it has no institution).
    pub to_hk: Option<u32>,
    /// The same for Macao.
    pub to_macao: Option<u32>,
    /// True when some institution of the city has Hong Kong or Macao at most `k` ties away.
    pub within_k: bool,
}

/// How many institutions of a Guangdong region reach Hong Kong or Macao within `k` ties.
#[derive(SimpleObject, Debug)]
pub struct RegionReach {
    /// The region.
    pub region: Region,
    /// Institutions located in it.
    pub institutions: usize,
    /// Those with Hong Kong at most `k` ties away.
    pub within_k_of_hk: usize,
    /// Those with Macao at most `k` ties away.
    pub within_k_of_macao: usize,
    /// Those with neither within `k`.
    pub unreached: usize,
}

/// A field no cross-border lab works on.
#[derive(SimpleObject, Debug)]
pub struct FieldGap {
    /// The field.
    pub field: ID,
    /// Its English name.
    pub name: String,
    /// Labs working on it (or a sub-field): all domestic, or none at all.
    pub labs: usize,
}

/// Gaps in the cross-border network: the area × field matrix of cross-border ties, the
/// distances of Mainland institutions, cities and regions to Hong Kong and Macao, the fields
/// without a cross-border lab, and the communities with no tie between them.
#[Object]
impl Gaps {
    /// The area × field matrix, fields in the order asked (all fields in id order), then
    /// areas (cities in id order, regions in Region order); only cells with institutions
    /// that could hold a tie are listed.
    async fn matrix(
        &self,
        #[graphql(
            default = false,
            desc = "Only the gap cells: institutions there, no cross-border tie."
        )]
        only_gaps: bool,
    ) -> Vec<GapCell> {
        self.gaps
            .matrix
            .iter()
            .filter(|c| !only_gaps || c.is_gap())
            .map(|c| {
                let (area, area_name) = area_key(&self.graph, &c.area);
                GapCell {
                    area,
                    area_name,
                    field: ID(c.field.to_string()),
                    field_name: name(&self.graph, c.field.as_str()),
                    institutions: c.institutions,
                    observed: c.observed,
                    expected: c.expected,
                    ratio: c.ratio,
                    gap: c.is_gap(),
                }
            })
            .collect()
    }

    /// The bound on path length asked for.
    async fn k(&self) -> u32 {
        self.gaps.reach.k
    }

    /// Mainland institutions with their distances to Hong Kong and Macao, in id order.
    async fn institutions(
        &self,
        #[graphql(
            default = false,
            desc = "Only those with no path of at most `k` ties to Hong Kong or Macao."
        )]
        unreached_only: bool,
    ) -> Vec<InstitutionReach> {
        let k = self.gaps.reach.k;
        self.gaps
            .reach
            .institutions
            .iter()
            .filter(|r| !unreached_only || !r.within(k))
            .map(|r| InstitutionReach {
                id: ID(r.id.to_string()),
                name: name(&self.graph, r.id.as_str()),
                city: r.city.as_ref().map(|c| ID(c.to_string())),
                region: r.region.map(Into::into),
                to_hk: r.to_hk,
                to_macao: r.to_macao,
                within_k: r.within(k),
            })
            .collect()
    }

    /// Mainland cities (with or without institutions) with their nearest institution's
    /// distances to Hong Kong and Macao, in id order.
    async fn cities(
        &self,
        #[graphql(
            default = false,
            desc = "Only cities none of whose institutions has a path of at most `k` ties to Hong Kong or Macao."
        )]
        unreached_only: bool,
    ) -> Vec<CityReach> {
        let k = self.gaps.reach.k;
        let within = |d: Option<u32>| d.is_some_and(|d| d <= k);
        self.gaps
            .reach
            .cities
            .iter()
            .map(|c| CityReach {
                id: ID(c.city.to_string()),
                name: name(&self.graph, c.city.as_str()),
                region: c.region.into(),
                institutions: c.institutions,
                to_hk: c.to_hk,
                to_macao: c.to_macao,
                within_k: within(c.to_hk) || within(c.to_macao),
            })
            .filter(|c| !unreached_only || !c.within_k)
            .collect()
    }

    /// The four Guangdong regions (PRD, East, West, North) and how many of their institutions
    /// reach Hong Kong or Macao within `k` ties.
    async fn regions(&self) -> Vec<RegionReach> {
        self.gaps
            .reach
            .regions
            .iter()
            .map(|r| RegionReach {
                region: r.region.into(),
                institutions: r.institutions,
                within_k_of_hk: r.within_k_of_hk,
                within_k_of_macao: r.within_k_of_macao,
                unreached: r.unreached,
            })
            .collect()
    }

    /// Fields (sub-fields included) on which no lab has partners in two or more
    /// jurisdictions, in id order.
    async fn fields_without_cross_border_lab(&self) -> Vec<FieldGap> {
        self.gaps
            .fields_without_cross_border_lab
            .iter()
            .map(|f| FieldGap {
                field: ID(f.field.to_string()),
                name: name(&self.graph, f.field.as_str()),
                labs: f.labs,
            })
            .collect()
    }

    /// The communities of the institution network (Louvain, two or more institutions each),
    /// largest first.
    async fn communities(&self) -> Vec<InstitutionCommunity> {
        self.gaps
            .communities
            .communities
            .iter()
            .map(|c| InstitutionCommunity {
                index: c.index,
                members: c.members.iter().map(|m| ID(m.to_string())).collect(),
                jurisdictions: c.jurisdictions.iter().map(|&j| j.into()).collect(),
            })
            .collect()
    }

    /// Pairs of communities (by `index`) with no tie from a member of one to a member of the
    /// other.
    async fn community_pairs_without_tie(&self) -> Vec<CommunityPair> {
        self.gaps
            .communities
            .untied
            .iter()
            .map(|&(a, b)| CommunityPair { a, b })
            .collect()
    }

    /// The graph version, time and arguments of the computation.
    async fn freshness(&self) -> &Freshness {
        &self.freshness
    }
}

/// A community of the institution network.
#[derive(SimpleObject, Debug)]
pub struct InstitutionCommunity {
    /// Its number: largest first (equal sizes: by first member).
    pub index: usize,
    /// Its institutions, in id order.
    pub members: Vec<ID>,
    /// The jurisdictions its institutions are in.
    pub jurisdictions: Vec<Jurisdiction>,
}

/// Two communities with no tie between them.
#[derive(SimpleObject, Debug)]
pub struct CommunityPair {
    /// One community's `index`.
    pub a: usize,
    /// The other's (larger than `a`).
    pub b: usize,
}

/// What a single point of failure is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeakPointKind {
    /// A bridge: a tie whose loss splits its component.
    Tie,
    /// An articulation point: an institution whose loss splits its component.
    Institution,
}

/// A tie or institution whose loss cuts Mainland institutions off from Hong Kong or Macao.
#[derive(SimpleObject, Debug)]
pub struct AtRisk {
    /// A tie or an institution.
    pub kind: WeakPointKind,
    /// The institution, or the tie's two institutions.
    pub ends: Vec<ID>,
    /// Their English names, in the same order.
    pub names: Vec<String>,
    /// Mainland institutions that reach Hong Kong now and would not without it, in id order.
    pub cut_off_from_hk: Vec<ID>,
    /// The same for Macao.
    pub cut_off_from_macao: Vec<ID>,
}

/// The single points of failure of the cross-border network.
#[derive(SimpleObject, Debug)]
pub struct BridgesAtRisk {
    /// Ties first, then institutions, each in id order.
    pub points: Vec<AtRisk>,
    /// The graph version, time and arguments of the computation.
    pub freshness: Freshness,
}

fn at_risk(graph: &Graph, risk: &DomainAtRisk) -> AtRisk {
    let (kind, ends): (WeakPointKind, Vec<&Id>) = match &risk.point {
        WeakPoint::Tie(a, b) => (WeakPointKind::Tie, vec![a, b]),
        WeakPoint::Institution(a) => (WeakPointKind::Institution, vec![a]),
    };
    let ids = |list: &[Id]| list.iter().map(|i| ID(i.to_string())).collect();
    AtRisk {
        kind,
        names: ends.iter().map(|i| name(graph, i.as_str())).collect(),
        ends: ends.iter().map(|i| ID(i.to_string())).collect(),
        cut_off_from_hk: ids(&risk.cut_off_from_hk),
        cut_off_from_macao: ids(&risk.cut_off_from_macao),
    }
}

/// What a what-if adds.
#[derive(InputObject, Debug, Default)]
pub struct WhatIfAdd {
    /// Proposed joint labs.
    #[graphql(default)]
    pub labs: Vec<ProposedLabInput>,
    /// Proposed ties between two institutions.
    #[graphql(default)]
    pub ties: Vec<ProposedTieInput>,
}

/// A proposed joint lab.
#[derive(InputObject, Debug)]
pub struct ProposedLabInput {
    /// Its id (new); `proposed-lab-N` by its position when omitted.
    pub id: Option<ID>,
    /// Its English name.
    pub name: Option<String>,
    /// Two or more distinct institutions; the first hosts it.
    pub partners: Vec<ID>,
    /// The fields it would work on.
    #[graphql(default)]
    pub fields: Vec<ID>,
    /// Its city; the host's when omitted.
    pub city: Option<ID>,
}

/// A proposed tie between two institutions.
#[derive(InputObject, Debug)]
pub struct ProposedTieInput {
    /// One institution.
    pub a: ID,
    /// The other.
    pub b: ID,
    /// The kind of edge: only COLLABORATES_WITH joins two institutions directly.
    #[graphql(default_with = "EdgeKind::CollaboratesWith")]
    pub kind: EdgeKind,
    /// Joint papers or projects behind it; 1 when omitted.
    pub strength: Option<f64>,
}

/// The institution network in figures.
#[derive(SimpleObject, Debug)]
pub struct NetworkSummary {
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

impl From<whatif::Summary> for NetworkSummary {
    fn from(s: whatif::Summary) -> Self {
        NetworkSummary {
            institutions: s.institutions,
            ties: s.ties,
            cross_border_ties: s.cross_border_ties,
            components: s.components,
            isolated: s.isolated,
            largest_component: s.largest_component,
        }
    }
}

/// A component named by its smallest institution id.
#[derive(SimpleObject, Debug)]
pub struct ComponentPart {
    /// The smallest institution id in it.
    pub first: ID,
    /// Institutions in it.
    pub size: usize,
}

/// Components joined into one (or one split into several).
#[derive(SimpleObject, Debug)]
pub struct ComponentChange {
    /// Institutions in the joined component (after) or the split one (before).
    pub size: usize,
    /// The parts, largest first.
    pub parts: Vec<ComponentPart>,
}

/// An institution whose hop distance to Hong Kong or Macao changes.
#[derive(SimpleObject, Debug)]
pub struct DistanceChange {
    /// The institution.
    pub id: ID,
    /// Its English name.
    pub name: String,
    /// Fewest ties to Hong Kong before; null for no path.
    pub to_hk_before: Option<u32>,
    /// ... and after.
    pub to_hk_after: Option<u32>,
    /// Fewest ties to Macao before; null for no path.
    pub to_macao_before: Option<u32>,
    /// ... and after.
    pub to_macao_after: Option<u32>,
    /// True when it gets nearer to Hong Kong or Macao.
    pub shortened: bool,
}

/// A top broker's betweenness before and after.
#[derive(SimpleObject, Debug)]
pub struct BetweennessShift {
    /// The institution.
    pub id: ID,
    /// Its English name.
    pub name: String,
    /// Normalised betweenness (hops) before; null when it is not in the network.
    pub before: Option<f64>,
    /// ... and after.
    pub after: Option<f64>,
    /// Its rank before (1 = highest; equal scores by id).
    pub rank_before: Option<usize>,
    /// ... and after.
    pub rank_after: Option<usize>,
}

/// A city × field cell whose cross-border ties go from none to some (or some to none).
#[derive(SimpleObject, Debug)]
pub struct GapChange {
    /// The city.
    pub city: ID,
    /// The field.
    pub field: ID,
    /// Cross-border ties in the cell before.
    pub observed_before: usize,
    /// ... and after.
    pub observed_after: usize,
}

/// What a proposal changes.
#[derive(SimpleObject, Debug)]
pub struct WhatIfDelta {
    /// Change in the number of components (negative: joined).
    pub components: i64,
    /// Change in cross-border ties.
    pub cross_border_ties: i64,
    /// Components that become one.
    pub joined: Vec<ComponentChange>,
    /// Components that fall apart (only removals split).
    pub split: Vec<ComponentChange>,
    /// Institutions whose distance to Hong Kong or Macao changes, in id order.
    pub distances: Vec<DistanceChange>,
    /// The 10 top brokers of before and of after, by rank after.
    pub betweenness: Vec<BetweennessShift>,
    /// City × field cells with no cross-border tie before and some after.
    pub gaps_closed: Vec<GapChange>,
    /// City × field cells with cross-border ties before and none after.
    pub gaps_opened: Vec<GapChange>,
}

/// The institution network before and after a proposal. Nothing is stored.
#[derive(SimpleObject, Debug)]
pub struct WhatIf {
    /// The network now (or `asOf`).
    pub before: NetworkSummary,
    /// The network with the proposal.
    pub after: NetworkSummary,
    /// What changes.
    pub delta: WhatIfDelta,
    /// The graph version, time and arguments of the computation.
    pub freshness: Freshness,
}

fn what_if_answer(graph: &Graph, w: &whatif::WhatIf, freshness: Freshness) -> WhatIf {
    let changes = |list: &[whatif::ComponentChange]| {
        list.iter()
            .map(|c| ComponentChange {
                size: c.size,
                parts: c
                    .parts
                    .iter()
                    .map(|p| ComponentPart {
                        first: ID(p.first.to_string()),
                        size: p.size,
                    })
                    .collect(),
            })
            .collect()
    };
    let gap_changes = |list: &[whatif::GapChange]| {
        list.iter()
            .map(|g| GapChange {
                city: ID(g.area.key().to_owned()),
                field: ID(g.field.to_string()),
                observed_before: g.observed_before,
                observed_after: g.observed_after,
            })
            .collect()
    };
    // Counts of one graph fit an i64 many times over.
    let diff = |a: usize, b: usize| b as i64 - a as i64;
    WhatIf {
        before: w.before.into(),
        after: w.after.into(),
        delta: WhatIfDelta {
            components: diff(w.before.components, w.after.components),
            cross_border_ties: diff(w.before.cross_border_ties, w.after.cross_border_ties),
            joined: changes(&w.delta.joined),
            split: changes(&w.delta.split),
            distances: w
                .delta
                .distances
                .iter()
                .map(|d| DistanceChange {
                    id: ID(d.id.to_string()),
                    name: name(graph, d.id.as_str()),
                    to_hk_before: d.to_hk_before,
                    to_hk_after: d.to_hk_after,
                    to_macao_before: d.to_macao_before,
                    to_macao_after: d.to_macao_after,
                    shortened: d.shortens(),
                })
                .collect(),
            betweenness: w
                .delta
                .betweenness
                .iter()
                .map(|b| BetweennessShift {
                    id: ID(b.id.to_string()),
                    name: name(graph, b.id.as_str()),
                    before: b.before,
                    after: b.after,
                    rank_before: b.rank_before,
                    rank_after: b.rank_after,
                })
                .collect(),
            gaps_closed: gap_changes(&w.delta.gaps_closed),
            gaps_opened: gap_changes(&w.delta.gaps_opened),
        },
        freshness,
    }
}

/// An institution and its betweenness.
#[derive(SimpleObject, Debug)]
pub struct Broker {
    /// The institution.
    pub id: ID,
    /// Its English name.
    pub name: String,
    /// Normalised betweenness (hops) that year.
    pub betweenness: f64,
}

/// The institution network in one year.
#[derive(SimpleObject, Debug)]
pub struct YearFigures {
    /// The year.
    pub year: i32,
    /// Institutions with at least one tie that year.
    pub institutions: usize,
    /// Labs existing that year (from their batch or founding year; a lab with neither always).
    pub labs: usize,
    /// Ties between institutions.
    pub ties: usize,
    /// Those whose ends are in different jurisdictions.
    pub cross_border_ties: usize,
    /// `crossBorderTies / ties`; null without ties.
    pub cross_border_share: Option<f64>,
    /// `2·ties / (n(n − 1))` over the n institutions with a tie; null when n < 2.
    pub density: Option<f64>,
    /// Connected components among the institutions with a tie.
    pub components: usize,
    /// The three institutions of highest betweenness, best first (those scoring 0 left out).
    pub top_brokers: Vec<Broker>,
}

/// The network year by year.
#[derive(SimpleObject, Debug)]
pub struct Evolution {
    /// One entry per year, from `from` to `to`.
    pub years: Vec<YearFigures>,
    /// The graph version, time and arguments of the computation.
    pub freshness: Freshness,
}

fn year_figures(graph: &Graph, y: &DomainYear) -> YearFigures {
    YearFigures {
        year: y.year,
        institutions: y.institutions,
        labs: y.labs,
        ties: y.ties,
        cross_border_ties: y.cross_border_ties,
        cross_border_share: y.cross_border_share,
        density: y.density,
        components: y.components,
        top_brokers: y
            .top_brokers
            .iter()
            .map(|(id, s)| Broker {
                id: ID(id.to_string()),
                name: name(graph, id.as_str()),
                betweenness: *s,
            })
            .collect(),
    }
}

/// A tie between two institutions that began or ended.
#[derive(SimpleObject, Debug)]
pub struct TieChange {
    /// One institution (the smaller id).
    pub a: ID,
    /// Its English name.
    pub a_name: String,
    /// The other.
    pub b: ID,
    /// Its English name.
    pub b_name: String,
    /// The class of the tie by its ends' jurisdictions.
    pub tie_class: Option<TieClass>,
    /// For a new tie, the first year it holds (`since`); for an ended one, the last (`until`).
    pub year: i32,
}

/// Ties that began and ended between two years.
#[derive(SimpleObject, Debug)]
pub struct TieChanges {
    /// Ties holding in `to` but not in `from`, by first year, then ids.
    pub new: Vec<TieChange>,
    /// Ties holding in `from` but not in `to`, by last year, then ids.
    pub ended: Vec<TieChange>,
    /// The graph version, time and arguments of the computation.
    pub freshness: Freshness,
}

fn tie_changes_answer(graph: &Graph, t: &DomainTieChanges, freshness: Freshness) -> TieChanges {
    let list = |changes: &[labgraph_insights::evolution::TieChange]| {
        changes
            .iter()
            .map(|c| TieChange {
                a: ID(c.a.to_string()),
                a_name: name(graph, c.a.as_str()),
                b: ID(c.b.to_string()),
                b_name: name(graph, c.b.as_str()),
                tie_class: c.class.map(Into::into),
                year: c.year,
            })
            .collect()
    };
    TieChanges {
        new: list(&t.new),
        ended: list(&t.ended),
        freshness,
    }
}

#[Object]
impl AnswersQuery {
    /// Gaps in the cross-border network, for policy staff: the area × field matrix of
    /// cross-border ties against the institutions that could hold them and against a
    /// configuration model; the Mainland institutions, cities and regions by their distance
    /// (in ties) to Hong Kong and Macao; the fields without a cross-border lab; and the pairs
    /// of communities with no tie between them. Errors:
    /// `NOT_FOUND` for an unknown field, `VALIDATION_FAILED` for an empty `fields`, a non-field
    /// id, `k` outside 1..6 or a year outside 1900..2100.
    #[graphql(complexity = "ANSWER_COST + child_complexity")]
    async fn gaps(
        &self,
        ctx: &Context<'_>,
        #[graphql(default, desc = "Rows of the matrix: cities or regions.")] level: GapLevel,
        #[graphql(desc = "Columns of the matrix (field ids); every field when omitted.")]
        fields: Option<Vec<ID>>,
        #[graphql(
            default = 2,
            desc = "Longest path (in ties) that counts as reaching Hong Kong or Macao, 1 to 6."
        )]
        k: u32,
        #[graphql(desc = "The network as it stood in this year; today's when omitted.")]
        as_of: Option<i32>,
    ) -> async_graphql::Result<Gaps> {
        let scope = RequestScope::of(ctx)?;
        let fields = fields.map(|f| ids_arg("fields", &f)).transpose()?;
        let params = GapParams {
            level: match level {
                GapLevel::City => AreaLevel::City,
                GapLevel::Region => AreaLevel::Region,
            },
            fields,
            k,
            as_of,
        };
        // Checked before computing: a refused request starts no whole-graph computation.
        params.check(&scope.graph).map_err(ApiError::from)?;
        let key = ComputeKey::new(
            "gaps",
            json!({
                "level": match level { GapLevel::City => "CITY", GapLevel::Region => "REGION" },
                "fields": params.fields.as_ref().map(|f| f.iter().map(Id::as_str).collect::<Vec<_>>()),
                "k": k,
                "asOf": as_of,
            }),
        );
        let (gaps, freshness) = compute(scope, key, move |graph| {
            gaps::gaps(graph, &params).map_err(ApiError::from)
        })
        .await?;
        Ok(Gaps {
            gaps,
            graph: Arc::clone(&scope.graph),
            freshness,
        })
    }

    /// The bridges (ties) and articulation points (institutions) of the institution network
    /// whose loss would leave Mainland institutions with no path to any Hong Kong or any Macao
    /// institution — the single points of failure of cross-border cooperation — with the
    /// institutions each would cut off.
    #[graphql(complexity = "ANSWER_COST + child_complexity")]
    async fn bridges_at_risk(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The network as it stood in this year; today's when omitted.")]
        as_of: Option<i32>,
    ) -> async_graphql::Result<BridgesAtRisk> {
        let scope = RequestScope::of(ctx)?;
        gaps::check_as_of(as_of).map_err(ApiError::from)?;
        let key = ComputeKey::new("bridgesAtRisk", json!({ "asOf": as_of }));
        let (risks, freshness) = compute(scope, key, move |graph| {
            gaps::bridges_at_risk(graph, as_of).map_err(ApiError::from)
        })
        .await?;
        Ok(BridgesAtRisk {
            points: risks.iter().map(|r| at_risk(&scope.graph, r)).collect(),
            freshness,
        })
    }

    /// What would change if the proposed labs and ties were added and the listed nodes
    /// removed: the institution network before and after (components, ties, cross-border
    /// ties), the components joined or split, the institutions whose distance to Hong Kong or
    /// Macao changes, the betweenness of the top 10 brokers, and the city × field gap cells
    /// closed or opened. Computed on a copy of the graph: nothing is stored, the graph version
    /// does not move. Errors: `NOT_FOUND` for an unknown id, `VALIDATION_FAILED` for an id of
    /// the wrong kind, a self-tie, a kind other than COLLABORATES_WITH, a strength that is not
    /// positive, a lab with fewer than two partners, a taken lab id, a node both removed and
    /// used, an empty proposal or a year out of range.
    #[graphql(complexity = "ANSWER_COST + child_complexity")]
    async fn what_if(
        &self,
        ctx: &Context<'_>,
        #[graphql(default, desc = "Labs and ties to add.")] add: WhatIfAdd,
        #[graphql(default, desc = "Nodes to remove, with every edge touching them.")] remove: Vec<
            ID,
        >,
        #[graphql(desc = "The network as it stood in this year; today's when omitted.")]
        as_of: Option<i32>,
    ) -> async_graphql::Result<WhatIf> {
        let scope = RequestScope::of(ctx)?;
        let mut labs = Vec::with_capacity(add.labs.len());
        for (i, lab) in add.labs.iter().enumerate() {
            let at = format!("add.labs[{i}]");
            labs.push(ProposedLab {
                id: lab
                    .id
                    .as_ref()
                    .map(|id| {
                        Id::new(id.as_str())
                            .map_err(|e| ApiError::validation(format!("{at}.id"), e.to_string()))
                    })
                    .transpose()?,
                name: lab.name.clone(),
                partners: ids_arg(&format!("{at}.partners"), &lab.partners)?,
                fields: ids_arg(&format!("{at}.fields"), &lab.fields)?,
                city: lab
                    .city
                    .as_ref()
                    .map(|c| id_arg(format!("{at}.city"), c))
                    .transpose()?,
            });
        }
        let mut ties = Vec::with_capacity(add.ties.len());
        for (i, tie) in add.ties.iter().enumerate() {
            let at = format!("add.ties[{i}]");
            ties.push(ProposedTie {
                a: id_arg(format!("{at}.a"), &tie.a)?,
                b: id_arg(format!("{at}.b"), &tie.b)?,
                kind: DomainEdgeKind::from(tie.kind),
                strength: tie.strength,
            });
        }
        let proposal = Proposal {
            labs,
            ties,
            remove: ids_arg("remove", &remove)?,
            as_of,
        };
        whatif::check(&scope.graph, &proposal).map_err(ApiError::from)?;
        let key = ComputeKey::new(
            "whatIf",
            json!({
                "labs": proposal.labs.iter().map(|l| json!({
                    "id": l.id.as_ref().map(Id::as_str),
                    "name": l.name,
                    "partners": l.partners.iter().map(Id::as_str).collect::<Vec<_>>(),
                    "fields": l.fields.iter().map(Id::as_str).collect::<Vec<_>>(),
                    "city": l.city.as_ref().map(Id::as_str),
                })).collect::<Vec<_>>(),
                "ties": proposal.ties.iter().map(|t| json!({
                    "a": t.a.as_str(),
                    "b": t.b.as_str(),
                    "kind": t.kind.code(),
                    "strength": t.strength,
                })).collect::<Vec<_>>(),
                "remove": proposal.remove.iter().map(Id::as_str).collect::<Vec<_>>(),
                "asOf": as_of,
            }),
        );
        let (answer, freshness) = compute(scope, key, move |graph| {
            whatif::what_if(graph, &proposal).map_err(ApiError::from)
        })
        .await?;
        Ok(what_if_answer(&scope.graph, &answer, freshness))
    }

    /// The institution network year by year, from `from` to `to`: institutions with a tie,
    /// labs, ties, the cross-border share, density, components and the top three brokers by
    /// betweenness. Errors: `VALIDATION_FAILED` for a year outside 1900..2100, `from` after
    /// `to`, or more than 50 years.
    #[graphql(complexity = "ANSWER_COST + child_complexity")]
    async fn evolution(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The first year.")] from: i32,
        #[graphql(desc = "The last year (inclusive).")] to: i32,
    ) -> async_graphql::Result<Evolution> {
        let scope = RequestScope::of(ctx)?;
        // Checked first: a refused request starts no computation.
        labgraph_insights::evolution::check_years(from, to).map_err(ApiError::from)?;
        let key = ComputeKey::new("evolution", json!({ "from": from, "to": to }));
        let (years, freshness) = compute(scope, key, move |graph| {
            labgraph_insights::evolution::evolution(graph, from, to).map_err(ApiError::from)
        })
        .await?;
        Ok(Evolution {
            years: years
                .iter()
                .map(|y| year_figures(&scope.graph, y))
                .collect(),
            freshness,
        })
    }

    /// The institution–institution ties that began (holding in `to`, not in `from`) and
    /// ended (holding in `from`, not in `to`) between two years, with the year each began or
    /// last held. Errors as for `evolution`.
    #[graphql(complexity = "ANSWER_COST + child_complexity")]
    async fn tie_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The earlier year.")] from: i32,
        #[graphql(desc = "The later year.")] to: i32,
    ) -> async_graphql::Result<TieChanges> {
        let scope = RequestScope::of(ctx)?;
        labgraph_insights::evolution::check_years(from, to).map_err(ApiError::from)?;
        let key = ComputeKey::new("tieChanges", json!({ "from": from, "to": to }));
        let (changes, freshness) = compute(scope, key, move |graph| {
            labgraph_insights::evolution::tie_changes(graph, from, to).map_err(ApiError::from)
        })
        .await?;
        Ok(tie_changes_answer(&scope.graph, &changes, freshness))
    }
}
