//! City-level flows for a flow map (issue 4, item 6): the ties of the institution network
//! between the cities of the Greater Bay Area (the nine Pearl River Delta cities, Hong Kong and
//! Macao) and the rest of Guangdong (East, West and North), by year and field, with the same
//! ties rolled up by region pair — so that "how connected are East, West and North Guangdong to
//! Hong Kong and Macao compared with the Pearl River Delta?" is one table.
//!
//! # Counting rules
//!
//! - **A tie** is a pair of institutions tied in the institution network
//!   (`labgraph_analytics::projection::institution_network`, the projection `evolution` and
//!   `gaps` use): they share a lab, collaborate, or one hosts a talent link of a person
//!   primarily affiliated with the other. A pair counts **once**, however many labs,
//!   collaborations or talent links are behind it — as the roll-ups count ties.
//! - **Its cities** are the cities of its two institutions; a tie with an end of unknown city is
//!   left out of every flow and counted in [`CityFlows::unplaced`]. Both ends in one city make a
//!   flow from the city to itself.
//! - **Cross-border**: the two ends are in different jurisdictions (Mainland, Hong Kong, Macao).
//! - **`as_of`**: the ties holding that year — evidence edges whose `since`/`until` span the
//!   year, labs existing from their joint-lab batch year (or founding year); every tie ever
//!   recorded when `None`.
//! - **Series**: for each year `y` from `from` to `to`, the ties holding in `y` (the projection
//!   as of `y`, with the same field), counted per city pair and region pair.
//! - **Field** (a field or any of its sub-fields): a tie is in the field when a lab its two
//!   institutions share works on it (only such labs are listed as its labs), or — for a
//!   collaboration or a talent link — when both institutions work on it, themselves or through a
//!   lab they are partners in. This is the projection's field filter, applied unchanged.
//!
//! Talent links are given as a count per tie, never with the person: SPEC.md keeps person-level
//! talent data for roles allowed to see it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use labgraph_analytics::Network;
use labgraph_analytics::projection::{self, Filter, Weighting};
use labgraph_domain::{Graph, Id, Jurisdiction, NodeAttrs, NodeKind, Region};

use crate::InsightError;
use crate::evolution::{MAX_YEARS, check_years};
use crate::gaps::{check_as_of, check_year};
use crate::place::{self, Place};

/// The arguments of [`city_flows`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowParams {
    /// Only ties in this field (or a sub-field); every tie when `None`.
    pub field: Option<Id>,
    /// The first year of the series; see [`FlowParams::span`] for the default.
    pub from: Option<i32>,
    /// The last year of the series (inclusive); see [`FlowParams::span`] for the default.
    pub to: Option<i32>,
    /// The flows as they stood in this year; every tie ever recorded when `None`.
    pub as_of: Option<i32>,
}

impl FlowParams {
    /// Checks the arguments without computing anything and gives the years of the series:
    /// `field` must name a field; `asOf`, `from` and `to` must be years of
    /// `labgraph_domain::YEAR_RANGE`, `from <= to`, and the span at most [`MAX_YEARS`] years.
    ///
    /// Defaults: `to` is `asOf`, else the latest year in the graph (of any edge's `since` or
    /// `until`, any lab's batch or founding year), and never before a given `from`; `from` is
    /// the earliest such year, no later than `to` and at most [`MAX_YEARS`] years before it.
    /// `None` — no series — when neither is given and the graph holds no year at all.
    pub fn span(&self, graph: &Graph) -> Result<Option<(i32, i32)>, InsightError> {
        if let Some(field) = &self.field {
            place::expect_node(
                graph,
                "field",
                field.as_str(),
                &[NodeKind::Field],
                "a field",
            )?;
        }
        check_as_of(self.as_of)?;
        check_year("from", self.from)?;
        check_year("to", self.to)?;
        let known = graph_years(graph);
        let to = self.to.or_else(|| {
            self.as_of
                .or(known.map(|(_, last)| last))
                .map(|t| self.from.map_or(t, |f| t.max(f)))
                .or(self.from)
        });
        let Some(to) = to else {
            return Ok(None);
        };
        let from = self.from.unwrap_or_else(|| {
            let first = known.map_or(to, |(first, _)| first.min(to));
            // A default never makes a span the caller would be refused for.
            first.max(to - (MAX_YEARS - 1))
        });
        check_years(from, to)?;
        Ok(Some((from, to)))
    }
}

/// The earliest and latest year anywhere in `graph`: edges' `since` and `until`, labs' batch
/// and founding years.
fn graph_years(graph: &Graph) -> Option<(i32, i32)> {
    let edges = graph.edges().flat_map(|e| [e.since, e.until]);
    let labs = graph
        .nodes_of(NodeKind::Lab, None)
        .flat_map(|n| match &n.attrs {
            NodeAttrs::Lab(a) => [a.batch_year, a.founded],
            _ => [None, None],
        });
    let years: Vec<i32> = edges.chain(labs).flatten().collect();
    Some((*years.iter().min()?, *years.iter().max()?))
}

/// A city of the flow map (every city node, with or without ties).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityNode {
    /// The city.
    pub city: Id,
    /// Its region.
    pub region: Region,
    /// Its jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// One of the eleven Greater Bay Area cities.
    pub in_gba: bool,
    /// Institutions located here in the network (working on the field, when one is given),
    /// with or without ties.
    pub institutions: usize,
    /// Ties with at least one end here, each once (a tie within the city counts once).
    pub ties: usize,
    /// Those whose ends are in different jurisdictions.
    pub cross_border: usize,
}

/// One tie of a flow and what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowTie {
    /// The institution in the flow's `from` city (the smaller id within one city).
    pub a: Id,
    /// The institution in the flow's `to` city.
    pub b: Id,
    /// The labs both are partners (or hosts) in that count for the tie, in id order.
    pub labs: Vec<Id>,
    /// Joint papers or projects of a direct collaboration (its weight, 1 when not given); 0
    /// without one.
    pub collaborations: f64,
    /// Talent links between the two (persons not named, see the module docs).
    pub talent_links: usize,
}

/// Ties holding in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearTies {
    /// The year.
    pub year: i32,
    /// Ties holding that year.
    pub ties: usize,
}

/// The ties between two cities (or within one).
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// One city: the earlier in the order of [`CityFlows::cities`].
    pub from: Id,
    /// The other (the same city for ties within it).
    pub to: Id,
    /// Ties between the two (as of `as_of`), each institution pair once.
    pub ties: usize,
    /// Those whose ends are in different jurisdictions (all of them or none).
    pub cross_border: usize,
    /// The distinct labs behind those ties, in id order.
    pub labs: Vec<Id>,
    /// The ties, by `a` then `b`.
    pub evidence: Vec<FlowTie>,
    /// Ties holding in each year of the series, every year listed.
    pub years: Vec<YearTies>,
}

/// The ties between two regions (or within one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionFlow {
    /// One region (the earlier in `Region::ALL` order: HK, Macao, PRD, East, West, North).
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

/// The flow map: cities, the flows between them and the region table.
#[derive(Debug, Clone, PartialEq)]
pub struct CityFlows {
    /// The field asked for.
    pub field: Option<Id>,
    /// The year asked for.
    pub as_of: Option<i32>,
    /// The years of the series, `from` and `to` with defaults applied; `None` for no series.
    pub span: Option<(i32, i32)>,
    /// Every city: the eleven Greater Bay Area cities first (Hong Kong, Macao, the Pearl River
    /// Delta), then East, West and North Guangdong; by id within a region.
    pub cities: Vec<CityNode>,
    /// Every pair of cities with a tie as of `as_of` or in a year of the series; most ties
    /// first, then in the order of `cities`.
    pub flows: Vec<Flow>,
    /// Every pair of regions (21, ties or not), in `Region::ALL` order.
    pub regions: Vec<RegionFlow>,
    /// Ties placed in the flows.
    pub ties: usize,
    /// Those whose ends are in different jurisdictions.
    pub cross_border: usize,
    /// Ties left out because an end's city is unknown.
    pub unplaced: usize,
}

/// Tallies of one city pair while counting.
#[derive(Default)]
struct FlowTally {
    ties: usize,
    cross_border: usize,
    evidence: Vec<FlowTie>,
    years: Vec<usize>,
}

/// The city-level flows of the institution network (see the module docs for what is counted).
///
/// Arguments: see [`FlowParams::span`]. Complexity: four projections, O(|V| + |E|) each, plus
/// one per year of the series.
///
/// ```
/// use labgraph_insights::flows::{city_flows, FlowParams};
/// let graph = labgraph_domain::Graph::new();
/// let flows = city_flows(&graph, &FlowParams::default())?;
/// // No city, no year: no series; the region table is always whole.
/// assert_eq!((flows.cities.len(), flows.span, flows.regions.len()), (0, None, 21));
/// let bad = FlowParams { from: Some(2024), to: Some(2020), ..FlowParams::default() };
/// assert_eq!(city_flows(&graph, &bad).unwrap_err().to_string(), "from: 2024 is after to (2020)");
/// # Ok::<(), labgraph_insights::InsightError>(())
/// ```
pub fn city_flows(graph: &Graph, params: &FlowParams) -> Result<CityFlows, InsightError> {
    let span = params.span(graph)?;
    let field = params.field.as_ref();
    let as_of = params.as_of;
    let years: Vec<i32> = span.map_or_else(Vec::new, |(from, to)| (from..=to).collect());

    // Cities in map order: region (GBA first), then id.
    let mut cities: Vec<CityNode> = graph
        .nodes_of(NodeKind::City, None)
        .filter_map(|n| match &n.attrs {
            NodeAttrs::City(a) => Some(CityNode {
                city: n.id.clone(),
                region: a.region,
                jurisdiction: a.region.jurisdiction(),
                in_gba: a.in_gba,
                institutions: 0,
                ties: 0,
                cross_border: 0,
            }),
            _ => None,
        })
        .collect();
    cities
        .sort_by(|x, y| (region_index(x.region), &x.city).cmp(&(region_index(y.region), &y.city)));
    let city_index: HashMap<Id, usize> = cities
        .iter()
        .enumerate()
        .map(|(i, c)| (c.city.clone(), i))
        .collect();
    // Where each institution is, as a city position (absent when unknown).
    let places: HashMap<Id, usize> = graph
        .nodes_of(NodeKind::Institution, None)
        .filter_map(|n| {
            let city = Place::of(graph, n.id.as_str()).city?;
            Some((n.id.clone(), *city_index.get(&city)?))
        })
        .collect();
    let city_of = |id: &Id| places.get(id).copied();
    // The pair of city positions of a tie, earlier city first, and whether the ends were
    // swapped to put them so.
    let pair_of = |a: &Id, b: &Id| -> Option<(usize, usize, bool)> {
        let (ca, cb) = (city_of(a)?, city_of(b)?);
        Some(if ca <= cb {
            (ca, cb, false)
        } else {
            (cb, ca, true)
        })
    };

    let net = place::institutions_in(graph, as_of, field)?;
    let evidence = Evidence::new(graph, as_of, field)?;
    let mut flows: BTreeMap<(usize, usize), FlowTally> = BTreeMap::new();
    let mut regions: BTreeMap<(usize, usize), (usize, usize, Vec<usize>)> = BTreeMap::new();
    for (i, j) in region_pairs() {
        regions.insert((i, j), (0, 0, vec![0; years.len()]));
    }
    let region_pair = |cities: &[CityNode], ci: usize, cj: usize| {
        let (ri, rj) = (
            region_index(cities[ci].region),
            region_index(cities[cj].region),
        );
        (ri.min(rj), ri.max(rj))
    };

    for id in net.ids() {
        if let Some(c) = city_of(id) {
            cities[c].institutions += 1;
        }
    }
    let (mut total, mut cross_total, mut unplaced) = (0, 0, 0);
    for (a, b, _) in net.edges() {
        let Some((ci, cj, swapped)) = pair_of(a, b) else {
            unplaced += 1;
            continue;
        };
        let (a, b) = if swapped { (b, a) } else { (a, b) };
        let cross = usize::from(cities[ci].jurisdiction != cities[cj].jurisdiction);
        total += 1;
        cross_total += cross;
        let tally = flows.entry((ci, cj)).or_default();
        tally.ties += 1;
        tally.cross_border += cross;
        tally.evidence.push(evidence.of(a, b));
        for c in BTreeSet::from([ci, cj]) {
            cities[c].ties += 1;
            cities[c].cross_border += cross;
        }
        let row = regions
            .get_mut(&region_pair(&cities, ci, cj))
            .expect("every region pair is listed");
        row.0 += 1;
        row.1 += cross;
    }

    for (slot, &year) in years.iter().enumerate() {
        let net = place::institutions_in(graph, Some(year), field)?;
        for (a, b, _) in net.edges() {
            let Some((ci, cj, _)) = pair_of(a, b) else {
                continue;
            };
            let tally = flows.entry((ci, cj)).or_default();
            tally.years.resize(years.len(), 0);
            tally.years[slot] += 1;
            regions
                .get_mut(&region_pair(&cities, ci, cj))
                .expect("every region pair is listed")
                .2[slot] += 1;
        }
    }

    let series = |counts: &[usize]| -> Vec<YearTies> {
        years
            .iter()
            .enumerate()
            .map(|(i, &year)| YearTies {
                year,
                ties: counts.get(i).copied().unwrap_or(0),
            })
            .collect()
    };
    let mut flows: Vec<((usize, usize), Flow)> = flows
        .into_iter()
        .map(|((ci, cj), mut tally)| {
            tally
                .evidence
                .sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
            let labs: BTreeSet<Id> = tally
                .evidence
                .iter()
                .flat_map(|t| t.labs.iter().cloned())
                .collect();
            let flow = Flow {
                from: cities[ci].city.clone(),
                to: cities[cj].city.clone(),
                ties: tally.ties,
                cross_border: tally.cross_border,
                labs: labs.into_iter().collect(),
                evidence: tally.evidence,
                years: series(&tally.years),
            };
            ((ci, cj), flow)
        })
        .collect();
    flows.sort_by(|(px, x), (py, y)| y.ties.cmp(&x.ties).then(px.cmp(py)));
    let regions = regions
        .into_iter()
        .map(|((i, j), (ties, cross_border, counts))| RegionFlow {
            from: Region::ALL[i],
            to: Region::ALL[j],
            ties,
            cross_border,
            years: series(&counts),
        })
        .collect();
    Ok(CityFlows {
        field: params.field.clone(),
        as_of,
        span,
        cities,
        flows: flows.into_iter().map(|(_, f)| f).collect(),
        regions,
        ties: total,
        cross_border: cross_total,
        unplaced,
    })
}

/// The position of `region` in `Region::ALL`.
fn region_index(region: Region) -> usize {
    Region::ALL
        .iter()
        .position(|&r| r == region)
        .expect("Region::ALL lists every region")
}

/// Every pair of region positions `(i, j)`, `i <= j`, in order.
fn region_pairs() -> impl Iterator<Item = (usize, usize)> {
    let n = Region::ALL.len();
    (0..n).flat_map(move |i| (i..n).map(move |j| (i, j)))
}

/// The evidence behind the ties of one filtered institution network, read off the same
/// projections with one kind of evidence weighted at a time — so that what is listed is what
/// the projection counted, by its own rules.
struct Evidence {
    /// Per institution, the labs it is a partner in that pass the filter (the institution–lab
    /// projection: labs existing `as_of`, working on the field, partner edges holding).
    labs: HashMap<Id, BTreeSet<Id>>,
    /// Only collaboration weighted: the strength is the joint works.
    collaborations: Network,
    /// Only talent links weighted: the strength is their number.
    talent: Network,
}

impl Evidence {
    fn new(
        graph: &Graph,
        as_of: Option<i32>,
        field: Option<&Id>,
    ) -> Result<Evidence, InsightError> {
        let filter = Filter {
            as_of,
            fields: field.map(|f| BTreeSet::from([f.clone()])),
            ..Filter::default()
        };
        let only = |weighting: Weighting| {
            projection::institution_network(graph, &filter, weighting)
                .map_err(|e| InsightError::invalid("weighting", e.to_string()))
        };
        let mut labs: HashMap<Id, BTreeSet<Id>> = HashMap::new();
        for (x, y, _) in projection::institution_lab_network(graph, &filter).edges() {
            let is_lab = |id: &Id| graph.node(id.as_str()).map(|n| n.kind()) == Some(NodeKind::Lab);
            let (institution, lab) = if is_lab(y) { (x, y) } else { (y, x) };
            labs.entry(institution.clone())
                .or_default()
                .insert(lab.clone());
        }
        Ok(Evidence {
            labs,
            collaborations: only(Weighting {
                shared_lab: 0.0,
                collaboration: 1.0,
                talent: 0.0,
            })?,
            talent: only(Weighting {
                shared_lab: 0.0,
                collaboration: 0.0,
                talent: 1.0,
            })?,
        })
    }

    /// The evidence of the tie between `a` and `b`.
    fn of(&self, a: &Id, b: &Id) -> FlowTie {
        let empty = BTreeSet::new();
        let (la, lb) = (
            self.labs.get(a).unwrap_or(&empty),
            self.labs.get(b).unwrap_or(&empty),
        );
        FlowTie {
            a: a.clone(),
            b: b.clone(),
            labs: la.intersection(lb).cloned().collect(),
            collaborations: self
                .collaborations
                .strength(a.as_str(), b.as_str())
                .unwrap_or(0.0),
            // Each talent link counts 1 in this weighting, so the strength is a whole number.
            talent_links: self
                .talent
                .strength(a.as_str(), b.as_str())
                .map_or(0, |s| s.round() as usize),
        }
    }
}
