//! `FlowsQuery`: the city-level flow map of labgraph-insights (`flows::city_flows`) as the
//! GraphQL field `cityFlows` — the ties of the institution network between the eleven Greater
//! Bay Area cities and the rest of Guangdong, by year and field, with the region-by-region
//! table — computed once per graph version and arguments through [`super::compute`] and
//! stamped with its [`Freshness`].

use async_graphql::{Context, ID, Object, SimpleObject};
use labgraph_domain::{Graph, Id};
use labgraph_insights::flows::{
    self, CityFlows as DomainFlows, FlowParams, YearTies as DomainYear,
};
use serde_json::json;

use super::compute::{ComputeKey, Freshness, compute};
use super::enums::{Jurisdiction, Region};
use super::error::ApiError;
use super::nodes::{City, Institution, Lab};
use super::scope::RequestScope;

/// What the root field costs beyond its selection: it may start a whole-graph computation, as
/// the analytics and answers fields do.
const FLOWS_COST: usize = 50;

/// The flow map, merged into the root `Query`.
#[derive(Debug, Default, Clone, Copy)]
pub struct FlowsQuery;

/// Ties holding in one year.
#[derive(SimpleObject, Debug)]
pub struct YearTies {
    /// The year.
    pub year: i32,
    /// Ties holding that year, each institution pair once.
    pub ties: usize,
}

/// A city of the flow map, with or without ties.
#[derive(SimpleObject, Debug)]
pub struct CityFlowNode {
    /// The city.
    pub city: City,
    /// Its region.
    pub region: Region,
    /// Its jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// One of the eleven Greater Bay Area cities.
    pub in_gba: bool,
    /// Institutions located here (working on the field, when one is given), with or without
    /// ties.
    pub institutions: usize,
    /// Ties with at least one end here, each once (a tie within the city counts once).
    pub ties: usize,
    /// Those whose ends are in different jurisdictions.
    pub cross_border: usize,
}

/// One tie of a flow and what it rests on.
#[derive(SimpleObject, Debug)]
pub struct CityFlowTie {
    /// The institution in the flow's `from` city (the smaller id within one city).
    pub a: Institution,
    /// The institution in the flow's `to` city.
    pub b: Institution,
    /// The labs both are partners (or hosts) in that count for the tie, in id order.
    pub labs: Vec<ID>,
    /// Joint papers or projects of a direct collaboration; 0 without one.
    pub collaborations: f64,
    /// Talent links between the two (the persons are not named: person-level talent data is
    /// not public).
    pub talent_links: usize,
}

/// The ties between two cities (or within one).
#[derive(SimpleObject, Debug)]
pub struct CityFlow {
    /// One city: the earlier in the order of `cities`.
    pub from: City,
    /// The other (the same city for ties within it).
    pub to: City,
    /// Ties between the two (as of `asOf`), each institution pair once.
    pub ties: usize,
    /// Those whose ends are in different jurisdictions (all of them or none).
    pub cross_border: usize,
    /// The distinct labs behind those ties, in id order.
    pub labs: Vec<Lab>,
    /// The ties, by `a` then `b`.
    pub evidence: Vec<CityFlowTie>,
    /// Ties holding in each year from `from` to `to` of the series, every year listed.
    pub years: Vec<YearTies>,
}

/// The ties between two regions (or within one).
#[derive(SimpleObject, Debug)]
pub struct RegionFlow {
    /// One region (the earlier in the order HK, MACAO, GD_PRD, GD_EAST, GD_WEST, GD_NORTH).
    pub from: Region,
    /// The other (the same region for ties within it).
    pub to: Region,
    /// Ties between the two, each institution pair once.
    pub ties: usize,
    /// Those whose ends are in different jurisdictions.
    pub cross_border: usize,
    /// Ties holding in each year of the series, every year listed.
    pub years: Vec<YearTies>,
}

/// The city-level flow map.
#[derive(SimpleObject, Debug)]
pub struct CityFlows {
    /// The first year of the series, defaults applied; null for no series (a graph without
    /// years).
    pub from: Option<i32>,
    /// The last year of the series, defaults applied.
    pub to: Option<i32>,
    /// Every city: the eleven Greater Bay Area cities first (Hong Kong, Macao, the Pearl River
    /// Delta), then East, West and North Guangdong; by id within a region.
    pub cities: Vec<CityFlowNode>,
    /// Every pair of cities with a tie as of `asOf` or in a year of the series; most ties
    /// first, then in the order of `cities`.
    pub flows: Vec<CityFlow>,
    /// Every pair of regions (21, ties or not), in Region order.
    pub regions: Vec<RegionFlow>,
    /// Ties placed in the flows.
    pub ties: usize,
    /// Those whose ends are in different jurisdictions.
    pub cross_border: usize,
    /// Ties left out because an end's city is unknown.
    pub unplaced: usize,
    /// The graph version, time and arguments of the computation.
    pub freshness: Freshness,
}

/// The years of a series.
fn years(list: &[DomainYear]) -> Vec<YearTies> {
    list.iter()
        .map(|y| YearTies {
            year: y.year,
            ties: y.ties,
        })
        .collect()
}

/// The answer in GraphQL types. Every id comes from `graph`, on which it was computed; an id
/// of another kind (impossible there) would be skipped rather than fail the request.
fn answer(graph: &Graph, f: &DomainFlows, freshness: Freshness) -> CityFlows {
    let city = |id: &Id| graph.node(id.as_str()).and_then(City::of);
    let institution = |id: &Id| graph.node(id.as_str()).and_then(Institution::of);
    CityFlows {
        from: f.span.map(|(from, _)| from),
        to: f.span.map(|(_, to)| to),
        cities: f
            .cities
            .iter()
            .filter_map(|c| {
                Some(CityFlowNode {
                    city: city(&c.city)?,
                    region: c.region.into(),
                    jurisdiction: c.jurisdiction.into(),
                    in_gba: c.in_gba,
                    institutions: c.institutions,
                    ties: c.ties,
                    cross_border: c.cross_border,
                })
            })
            .collect(),
        flows: f
            .flows
            .iter()
            .filter_map(|flow| {
                Some(CityFlow {
                    from: city(&flow.from)?,
                    to: city(&flow.to)?,
                    ties: flow.ties,
                    cross_border: flow.cross_border,
                    labs: flow
                        .labs
                        .iter()
                        .filter_map(|l| graph.node(l.as_str()).and_then(Lab::of))
                        .collect(),
                    evidence: flow
                        .evidence
                        .iter()
                        .filter_map(|t| {
                            Some(CityFlowTie {
                                a: institution(&t.a)?,
                                b: institution(&t.b)?,
                                labs: t.labs.iter().map(|l| ID(l.to_string())).collect(),
                                collaborations: t.collaborations,
                                talent_links: t.talent_links,
                            })
                        })
                        .collect(),
                    years: years(&flow.years),
                })
            })
            .collect(),
        regions: f
            .regions
            .iter()
            .map(|r| RegionFlow {
                from: r.from.into(),
                to: r.to.into(),
                ties: r.ties,
                cross_border: r.cross_border,
                years: years(&r.years),
            })
            .collect(),
        ties: f.ties,
        cross_border: f.cross_border,
        unplaced: f.unplaced,
        freshness,
    }
}

#[Object]
impl FlowsQuery {
    /// The city-level flow map: the ties of the institution network (shared labs,
    /// collaborations, talent links; each institution pair once) between every two cities —
    /// the eleven Greater Bay Area cities and the rest of Guangdong — with the labs and ties
    /// behind each flow, a per-year series, and the same ties by region pair (one table for
    /// "how connected are East, West and North Guangdong to Hong Kong and Macao compared with
    /// the Pearl River Delta?"). A tie is in a field when a lab its two institutions share
    /// works on it (or a sub-field), or, for a collaboration or talent link, when both
    /// institutions work on it (themselves or through a lab). Errors: `NOT_FOUND` for an
    /// unknown field; `VALIDATION_FAILED` for an id that is not a field, a year outside
    /// 1900..2100, `from` after `to`, or a series of more than 50 years.
    #[graphql(complexity = "FLOWS_COST + child_complexity")]
    async fn city_flows(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only ties in this field (or a sub-field); every tie when omitted.")]
        field: Option<ID>,
        #[graphql(
            desc = "The first year of the series; the graph's earliest year (at most 50 before `to`) when omitted."
        )]
        from: Option<i32>,
        #[graphql(
            desc = "The last year of the series; `asOf`, else the graph's latest year, when omitted."
        )]
        to: Option<i32>,
        #[graphql(
            desc = "The flows as they stood in this year; every tie ever recorded when omitted."
        )]
        as_of: Option<i32>,
    ) -> async_graphql::Result<CityFlows> {
        let scope = RequestScope::of(ctx)?;
        let field = field
            .map(|f| super::answers::id_arg("field".to_owned(), &f))
            .transpose()?;
        let params = FlowParams {
            field,
            from,
            to,
            as_of,
        };
        // Checked first: a refused request starts no computation. The key holds the years
        // with defaults applied, so equal series share one computation.
        let span = params.span(&scope.graph).map_err(ApiError::from)?;
        let key = ComputeKey::new(
            "cityFlows",
            json!({
                "field": params.field.as_ref().map(Id::as_str),
                "from": span.map(|(from, _)| from),
                "to": span.map(|(_, to)| to),
                "asOf": as_of,
            }),
        );
        let (flows, freshness) = compute(scope, key, move |graph| {
            flows::city_flows(graph, &params).map_err(ApiError::from)
        })
        .await?;
        Ok(answer(&scope.graph, &flows, freshness))
    }
}
