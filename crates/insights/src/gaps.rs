//! Gaps in the cross-border network, for policy staff: the area × field matrix of cross-border
//! ties against the institutions that could hold them and against a configuration model; the
//! institutions and cities with no short path to Hong Kong or Macao; the fields without a
//! cross-border lab; and the ties and institutions whose loss would cut Mainland institutions
//! off from Hong Kong or Macao.
//!
//! Everything runs on the institution network (`labgraph_analytics::projection`): two
//! institutions are tied when they share a lab, collaborate or exchange talent; a tie is
//! *cross-border* when its ends are in different jurisdictions.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use labgraph_analytics::algo;
use labgraph_analytics::projection::{self, Filter};
use labgraph_domain::{Graph, Id, Jurisdiction, NodeAttrs, NodeKind, Region, YEAR_RANGE};

use crate::InsightError;
use crate::place::{self, Adjacency, FAR, Place};

/// The largest `k` accepted for path lengths to Hong Kong or Macao. Why a bound: beyond a
/// handful of introductions a "path" is no cooperation anyone can use, and an unbounded `k`
/// would make every connected institution "reached".
pub const MAX_K: u32 = 6;

/// The areas a gap matrix has rows for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AreaLevel {
    /// One row per city (every city node, Hong Kong and Macao included).
    #[default]
    City,
    /// One row per region (`hk`, `macao`, `gd_prd`, `gd_east`, `gd_west`, `gd_north`).
    Region,
}

/// A row of a gap matrix: a city or a region.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// A city, by id.
    City(Id),
    /// A region.
    Region(Region),
}

impl Area {
    /// The area's key: the city id, or the region code (`gd_prd`).
    pub fn key(&self) -> &str {
        match self {
            Area::City(id) => id.as_str(),
            Area::Region(r) => r.code(),
        }
    }

    /// The area of `place` at `level`, when known.
    fn of(place: &Place, level: AreaLevel) -> Option<Area> {
        match level {
            AreaLevel::City => place.city.clone().map(Area::City),
            AreaLevel::Region => place.region.map(Area::Region),
        }
    }
}

/// One cell of the area × field matrix of cross-border ties.
#[derive(Debug, Clone, PartialEq)]
pub struct GapCell {
    /// The row: a city or a region.
    pub area: Area,
    /// The column: a field (its sub-fields included).
    pub field: Id,
    /// Institutions located in the area that work on the field (themselves or through a lab
    /// they are partners in): the ones that could hold a cross-border tie in it.
    pub institutions: usize,
    /// Cross-border ties in the field with an end in the area, each counted once.
    pub observed: usize,
    /// Cross-border ties with an end in the area expected under the configuration model (see
    /// [`gap_matrix`]).
    pub expected: f64,
    /// `observed / expected`; `None` when nothing is expected.
    pub ratio: Option<f64>,
}

impl GapCell {
    /// True when institutions that could hold a cross-border tie in the field are there, but
    /// none does.
    pub fn is_gap(&self) -> bool {
        self.institutions > 0 && self.observed == 0
    }
}

/// The area × field matrix of cross-border ties.
///
/// For each field `f`, the institution network restricted to `f` is projected
/// (`Filter { fields: {f}, as_of }`: institutions working on `f` or a sub-field, themselves or
/// through a lab; only labs working on `f` count as shared labs). In it, with `k_i` the number
/// of ties of institution `i` and `m` the number of ties, a cell (area `A`, field `f`) holds:
///
/// - `institutions`: the network's institutions located in `A`;
/// - `observed`: the ties with an end in `A` whose two ends are in different jurisdictions;
/// - `expected`: the same count expected when the ties are rewired at random keeping every
///   degree — the configuration model, in its Chung–Lu form where `i` and `j` are tied with
///   probability `k_i k_j / 2m`:
///   `expected(A, f) = Σ_{i ∈ A} Σ_{j : J(j) ≠ J(i)} k_i k_j / 2m`
///   `= Σ_{i ∈ A} k_i (K − K_{J(i)}) / 2m`, with `K` the sum of degrees of the located
///   institutions and `K_J` that of jurisdiction `J` (no cross-border pair has both ends in
///   one area, so each pair is counted once);
/// - `ratio`: `observed / expected`, below 1 where the area under-uses its partners' activity.
///
/// Cells are listed only where `institutions > 0` (elsewhere nothing could be observed or
/// expected), within each field cities in id order or regions in [`Region::ALL`] order, fields in the order given (all fields in
/// id order when `fields` is `None`). Institutions without a known location are left out.
///
/// Arguments: `fields` must not be empty and must name fields; `as_of` is a year of
/// [`YEAR_RANGE`]. Complexity: one projection per field, O(F · (|V| + |E|)).
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
/// use labgraph_insights::gaps::{gap_matrix, AreaLevel};
/// // bio's network: ties a–h (cross-border) and a–b; degrees a 2, b 1, h 1; 2m = 4.
/// let cells = gap_matrix(&graph, AreaLevel::City, None, None)?;
/// let got: Vec<(&str, &str, usize, usize, f64)> = cells
///     .iter()
///     .map(|c| (c.area.key(), c.field.as_str(), c.institutions, c.observed, c.expected))
///     .collect();
/// // Guangzhou: a·(4−3)/4 + b·(4−3)/4; Hong Kong: h·(4−1)/4. No cell for quantum.
/// assert_eq!(got, [("gz", "bio", 2, 1, 0.75), ("hk", "bio", 1, 1, 0.75)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn gap_matrix(
    graph: &Graph,
    level: AreaLevel,
    fields: Option<&[Id]>,
    as_of: Option<i32>,
) -> Result<Vec<GapCell>, InsightError> {
    check_as_of(as_of)?;
    let fields = match fields {
        Some(list) => place::check_fields(graph, "fields", list)?,
        None => place::all_fields(graph),
    };
    let places: HashMap<Id, Place> = graph
        .nodes_of(NodeKind::Institution, None)
        .map(|n| (n.id.clone(), Place::of(graph, n.id.as_str())))
        .collect();
    let mut cells = Vec::new();
    for field in fields {
        let net = place::institutions_in(graph, as_of, Some(&field))?;
        let located = |id: &Id| places.get(id).filter(|p| p.jurisdiction.is_some());
        let degree = |id: &Id| net.neighbours(id.as_str()).count() as f64;
        let m = net.edge_count() as f64;
        let mut by_jurisdiction: BTreeMap<Jurisdiction, f64> = BTreeMap::new();
        for id in net.ids() {
            if let Some(j) = located(id).and_then(|p| p.jurisdiction) {
                *by_jurisdiction.entry(j).or_default() += degree(id);
            }
        }
        let total: f64 = by_jurisdiction.values().sum();
        // Per area: institutions, observed, expected.
        let mut rows: BTreeMap<Area, (usize, usize, f64)> = BTreeMap::new();
        for id in net.ids() {
            let Some(p) = located(id) else { continue };
            let Some(area) = Area::of(p, level) else {
                continue;
            };
            let row = rows.entry(area).or_default();
            row.0 += 1;
            if m > 0.0
                && let Some(j) = p.jurisdiction
            {
                let others = total - by_jurisdiction.get(&j).copied().unwrap_or(0.0);
                row.2 += degree(id) * others / (2.0 * m);
            }
        }
        for (a, b, _) in net.edges() {
            let (Some(pa), Some(pb)) = (located(a), located(b)) else {
                continue;
            };
            if pa.jurisdiction == pb.jurisdiction {
                continue;
            }
            let areas: BTreeSet<Area> = [Area::of(pa, level), Area::of(pb, level)]
                .into_iter()
                .flatten()
                .collect();
            for area in areas {
                rows.entry(area).or_default().1 += 1;
            }
        }
        cells.extend(
            rows.into_iter()
                .map(|(area, (institutions, observed, expected))| GapCell {
                    area,
                    field: field.clone(),
                    institutions,
                    observed,
                    expected,
                    ratio: (expected > 0.0).then(|| observed as f64 / expected),
                }),
        );
    }
    Ok(cells)
}

/// How far a Mainland institution is from Hong Kong and from Macao.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionReach {
    /// The institution.
    pub id: Id,
    /// Its city, when known.
    pub city: Option<Id>,
    /// Its region, when known.
    pub region: Option<Region>,
    /// Fewest ties to any Hong Kong institution; `None` when there is no path.
    pub to_hk: Option<u32>,
    /// Fewest ties to any Macao institution; `None` when there is no path.
    pub to_macao: Option<u32>,
}

impl InstitutionReach {
    /// True when Hong Kong or Macao is at most `k` ties away.
    pub fn within(&self, k: u32) -> bool {
        self.to_hk.is_some_and(|d| d <= k) || self.to_macao.is_some_and(|d| d <= k)
    }
}

/// How far a Mainland city's institutions are from Hong Kong and Macao: the nearest of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityReach {
    /// The city.
    pub city: Id,
    /// Its region.
    pub region: Region,
    /// Institutions located in it.
    pub institutions: usize,
    /// Fewest ties from any of them to Hong Kong; `None` when none has a path (or it has no
    /// institution).
    pub to_hk: Option<u32>,
    /// The same for Macao.
    pub to_macao: Option<u32>,
}

/// How many institutions of a Mainland region reach Hong Kong or Macao within `k` ties.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Paths of Mainland institutions and cities to Hong Kong and Macao.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The bound on path length asked for.
    pub k: u32,
    /// Every Mainland institution with its distances, in id order.
    pub institutions: Vec<InstitutionReach>,
    /// Every Mainland city (with or without institutions), in id order.
    pub cities: Vec<CityReach>,
    /// The four Guangdong regions, in [`Region::ALL`] order.
    pub regions: Vec<RegionReach>,
}

impl Reach {
    /// The Mainland institutions with no path of at most `k` ties to Hong Kong or Macao.
    pub fn unreached_institutions(&self) -> impl Iterator<Item = &InstitutionReach> {
        self.institutions.iter().filter(|r| !r.within(self.k))
    }

    /// The Mainland cities none of whose institutions has a path of at most `k` ties to Hong
    /// Kong or Macao (cities without institutions included).
    pub fn unreached_cities(&self) -> impl Iterator<Item = &CityReach> {
        self.cities.iter().filter(|c| {
            !(c.to_hk.is_some_and(|d| d <= self.k) || c.to_macao.is_some_and(|d| d <= self.k))
        })
    }
}

/// Distances of every Mainland institution to the nearest Hong Kong and the nearest Macao
/// institution in the institution network (as of `as_of`), rolled up by city and region.
///
/// Reference: breadth-first search from all Hong Kong (then all Macao) institutions at once —
/// the multi-source form of E. F. Moore (1959), "The shortest path through a maze". Hops:
/// a shared lab, a collaboration or a talent link is one tie whatever its strength.
///
/// Arguments: `k` in `1..=`[`MAX_K`]; `as_of` a year of [`YEAR_RANGE`].
/// Complexity: O(|V| + |E|) after the projection.
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
/// let reach = labgraph_insights::gaps::reach(&graph, 1, None)?;
/// let got: Vec<(&str, Option<u32>, Option<u32>)> =
///     reach.institutions.iter().map(|r| (r.id.as_str(), r.to_hk, r.to_macao)).collect();
/// assert_eq!(got, [("a", Some(1), None), ("b", Some(2), None)]);
/// let unreached: Vec<&str> = reach.unreached_institutions().map(|r| r.id.as_str()).collect();
/// assert_eq!(unreached, ["b"]); // two ties from Hong Kong: more than k = 1
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn reach(graph: &Graph, k: u32, as_of: Option<i32>) -> Result<Reach, InsightError> {
    check_k(k)?;
    check_as_of(as_of)?;
    let adj = Adjacency::of(&place::institutions(graph, as_of)?, graph);
    let hk = adj.distances(&adj.in_jurisdiction(Jurisdiction::HongKong));
    let macao = adj.distances(&adj.in_jurisdiction(Jurisdiction::Macao));
    let hop = |d: u32| (d != FAR).then_some(d);
    let institutions: Vec<InstitutionReach> = (0..adj.len())
        .filter(|&u| adj.places[u].jurisdiction == Some(Jurisdiction::Mainland))
        .map(|u| InstitutionReach {
            id: adj.ids[u].clone(),
            city: adj.places[u].city.clone(),
            region: adj.places[u].region,
            to_hk: hop(hk[u]),
            to_macao: hop(macao[u]),
        })
        .collect();
    let nearest = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let cities = graph
        .nodes_of(NodeKind::City, None)
        .filter_map(|n| match &n.attrs {
            NodeAttrs::City(a) if a.region.jurisdiction() == Jurisdiction::Mainland => {
                let here: Vec<&InstitutionReach> = institutions
                    .iter()
                    .filter(|r| r.city.as_ref() == Some(&n.id))
                    .collect();
                Some(CityReach {
                    city: n.id.clone(),
                    region: a.region,
                    institutions: here.len(),
                    to_hk: here.iter().fold(None, |acc, r| nearest(acc, r.to_hk)),
                    to_macao: here.iter().fold(None, |acc, r| nearest(acc, r.to_macao)),
                })
            }
            _ => None,
        })
        .collect();
    let regions = Region::ALL
        .into_iter()
        .filter(|r| r.jurisdiction() == Jurisdiction::Mainland)
        .map(|region| {
            let here: Vec<&InstitutionReach> = institutions
                .iter()
                .filter(|r| r.region == Some(region))
                .collect();
            let within = |d: Option<u32>| d.is_some_and(|d| d <= k);
            RegionReach {
                region,
                institutions: here.len(),
                within_k_of_hk: here.iter().filter(|r| within(r.to_hk)).count(),
                within_k_of_macao: here.iter().filter(|r| within(r.to_macao)).count(),
                unreached: here.iter().filter(|r| !r.within(k)).count(),
            }
        })
        .collect();
    Ok(Reach {
        k,
        institutions,
        cities,
        regions,
    })
}

/// A field no cross-border lab works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldGap {
    /// The field.
    pub field: Id,
    /// Labs working on it (or a sub-field) as of the year asked; all of them domestic, or
    /// none at all.
    pub labs: usize,
}

/// The fields (sub-fields included) on which no lab has partners in two or more
/// jurisdictions, in id order.
///
/// A lab counts when it exists in `as_of` (from its batch or founding year) and its partners
/// are those with a `PARTNER_IN` tie active then: the institution–lab network of
/// `labgraph_analytics::projection` restricted to the field. Complexity: one projection per
/// field, O(F · (|V| + |E|)).
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
/// let gaps = labgraph_insights::gaps::fields_without_cross_border_lab(&graph, None)?;
/// let got: Vec<(&str, usize)> = gaps.iter().map(|g| (g.field.as_str(), g.labs)).collect();
/// assert_eq!(got, [("q", 0)]); // bio has l1, which joins a and h
/// // In 2018 l1 did not exist yet: bio's only lab, l2, is domestic.
/// let gaps = labgraph_insights::gaps::fields_without_cross_border_lab(&graph, Some(2018))?;
/// let got: Vec<(&str, usize)> = gaps.iter().map(|g| (g.field.as_str(), g.labs)).collect();
/// assert_eq!(got, [("bio", 1), ("q", 0)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn fields_without_cross_border_lab(
    graph: &Graph,
    as_of: Option<i32>,
) -> Result<Vec<FieldGap>, InsightError> {
    check_as_of(as_of)?;
    let mut out = Vec::new();
    for field in place::all_fields(graph) {
        let filter = Filter {
            as_of,
            fields: Some(BTreeSet::from([field.clone()])),
            ..Filter::default()
        };
        let net = projection::institution_lab_network(graph, &filter);
        let mut labs = 0;
        let mut cross_border = false;
        for id in net.ids() {
            if graph.node(id.as_str()).map(|n| n.kind()) != Some(NodeKind::Lab) {
                continue;
            }
            labs += 1;
            let sides: BTreeSet<Jurisdiction> = net
                .neighbours(id.as_str())
                .flat_map(|(partner, _)| graph.jurisdictions_of(partner.as_str()))
                .collect();
            cross_border |= sides.len() >= 2;
        }
        if !cross_border {
            out.push(FieldGap { field, labs });
        }
    }
    Ok(out)
}

/// What a single point of failure is: a tie or an institution.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum WeakPoint {
    /// A bridge: the tie between two institutions (in the network's order).
    Tie(Id, Id),
    /// An articulation point: an institution.
    Institution(Id),
}

/// A bridge or articulation point whose loss cuts Mainland institutions off from Hong Kong or
/// Macao.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtRisk {
    /// The tie or institution.
    pub point: WeakPoint,
    /// Mainland institutions that reach a Hong Kong institution now and would not without it,
    /// in id order.
    pub cut_off_from_hk: Vec<Id>,
    /// The same for Macao.
    pub cut_off_from_macao: Vec<Id>,
}

/// The bridges and articulation points of the institution network (as of `as_of`) whose loss
/// leaves some Mainland institution with no path to any Hong Kong or any Macao institution,
/// with the institutions cut off. Ties first, then institutions, each in the network's (id)
/// order; a removed institution is not listed as cut off from anything.
///
/// Reference: the pieces each bridge and articulation point leaves of its component
/// (`labgraph_analytics::algo::cuts`, Hopcroft & Tarjan's low points with subtree sizes). A
/// piece holding no Hong Kong institution, of a component that held one (in another piece, or
/// the removed institution itself), is cut off from Hong Kong: its Mainland institutions are
/// listed; likewise for Macao. Complexity: O(|V| + |E|) for the cuts, then O(size of the
/// pieces) per bridge or articulation point.
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
/// // The path b – a – h: both ties are bridges, a is an articulation point.
/// use labgraph_insights::gaps::{bridges_at_risk, WeakPoint};
/// let risks = bridges_at_risk(&graph, None)?;
/// let got: Vec<(WeakPoint, Vec<&str>)> = risks
///     .iter()
///     .map(|r| (r.point.clone(), r.cut_off_from_hk.iter().map(|i| i.as_str()).collect()))
///     .collect();
/// let id = |s: &str| labgraph_domain::Id::new(s).expect("an id");
/// assert_eq!(got, [
///     (WeakPoint::Tie(id("a"), id("b")), vec!["b"]),
///     (WeakPoint::Tie(id("a"), id("h")), vec!["a", "b"]),
///     (WeakPoint::Institution(id("a")), vec!["b"]),
/// ]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn bridges_at_risk(graph: &Graph, as_of: Option<i32>) -> Result<Vec<AtRisk>, InsightError> {
    check_as_of(as_of)?;
    let net = place::institutions(graph, as_of)?;
    let jurisdiction: HashMap<&Id, Option<Jurisdiction>> = net
        .ids()
        .iter()
        .map(|id| (id, Place::of(graph, id.as_str()).jurisdiction))
        .collect();
    let is = |id: &Id, j: Jurisdiction| jurisdiction.get(id).copied().flatten() == Some(j);
    let cuts = algo::cuts(&net);
    // The Mainland institutions of the pieces without a node of `side`, when the whole
    // (pieces and `removed`) had one; sorted.
    let cut_off = |pieces: &[algo::Piece<'_>], removed: Option<&Id>, side: Jurisdiction| {
        let has: Vec<bool> = pieces
            .iter()
            .map(|p| p.ids().any(|id| is(id, side)))
            .collect();
        let whole = removed.is_some_and(|r| is(r, side)) || has.iter().any(|&h| h);
        let mut out: Vec<Id> = Vec::new();
        if whole {
            for (piece, _) in pieces.iter().zip(&has).filter(|(_, h)| !**h) {
                out.extend(
                    piece
                        .ids()
                        .filter(|id| is(id, Jurisdiction::Mainland))
                        .cloned(),
                );
            }
        }
        out.sort();
        out
    };
    let mut out = Vec::new();
    let mut keep = |point: WeakPoint, pieces: &[algo::Piece<'_>], removed: Option<&Id>| {
        let risk = AtRisk {
            cut_off_from_hk: cut_off(pieces, removed, Jurisdiction::HongKong),
            cut_off_from_macao: cut_off(pieces, removed, Jurisdiction::Macao),
            point,
        };
        if !(risk.cut_off_from_hk.is_empty() && risk.cut_off_from_macao.is_empty()) {
            out.push(risk);
        }
    };
    for bridge in cuts.bridges() {
        let (a, b) = bridge.ends();
        let (side_a, side_b) = bridge.sides();
        keep(
            WeakPoint::Tie(a.clone(), b.clone()),
            &[side_a, side_b],
            None,
        );
    }
    for point in cuts.articulation_points() {
        let pieces: Vec<algo::Piece<'_>> = point.pieces().collect();
        keep(
            WeakPoint::Institution(point.node().clone()),
            &pieces,
            Some(point.node()),
        );
    }
    Ok(out)
}

/// A community of the institution network (two or more institutions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Community {
    /// Its number: communities of two or more institutions, largest first (equal sizes: by
    /// first member).
    pub index: usize,
    /// Its institutions, in id order.
    pub members: Vec<Id>,
    /// The jurisdictions its institutions are in.
    pub jurisdictions: BTreeSet<Jurisdiction>,
}

/// The communities of the institution network and the pairs of them with no tie between.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommunityGaps {
    /// The communities of two or more institutions (an institution alone is a component gap,
    /// see [`reach`], not a community).
    pub communities: Vec<Community>,
    /// Pairs `(a, b)` of community numbers, `a < b`, with no tie from a member of one to a
    /// member of the other; in order.
    pub untied: Vec<(usize, usize)>,
}

/// The communities of the institution network (as of `as_of`) and the pairs of communities
/// with no tie between them: clusters of cooperation that do not talk to each other.
///
/// Reference: communities by the Louvain method (V. D. Blondel et al. (2008), "Fast unfolding
/// of communities in large networks", *J. Stat. Mech.* P10008; `labgraph_analytics::algo::
/// louvain` with resolution 1, tie strengths and seed 0, so the same graph always gives the
/// same communities). Complexity: the Louvain run, then O(|E| + C²) for C communities.
///
/// ```
/// let c = labgraph_insights::gaps::community_pairs_without_tie(&labgraph_domain::Graph::new(), None)?;
/// assert!(c.communities.is_empty() && c.untied.is_empty());
/// # Ok::<(), labgraph_insights::InsightError>(())
/// ```
pub fn community_pairs_without_tie(
    graph: &Graph,
    as_of: Option<i32>,
) -> Result<CommunityGaps, InsightError> {
    check_as_of(as_of)?;
    let net = place::institutions(graph, as_of)?;
    let partition = algo::louvain(&net, &algo::LouvainParams::default())
        .map_err(|e| InsightError::invalid("communities", e.to_string()))?;
    let mut groups: Vec<Vec<Id>> = partition
        .communities()
        .into_iter()
        .filter(|members| members.len() >= 2)
        .map(|mut members| {
            members.sort();
            members
        })
        .collect();
    groups.sort_by(|a, b| {
        b.len()
            .cmp(&a.len())
            .then_with(|| a.first().cmp(&b.first()))
    });
    let number: HashMap<&Id, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(i, members)| members.iter().map(move |id| (id, i)))
        .collect();
    let mut tied: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (a, b, _) in net.edges() {
        if let (Some(&ca), Some(&cb)) = (number.get(a), number.get(b))
            && ca != cb
        {
            tied.insert((ca.min(cb), ca.max(cb)));
        }
    }
    let untied = (0..groups.len())
        .flat_map(|a| (a + 1..groups.len()).map(move |b| (a, b)))
        .filter(|pair| !tied.contains(pair))
        .collect();
    let communities = groups
        .into_iter()
        .enumerate()
        .map(|(index, members)| Community {
            index,
            jurisdictions: members
                .iter()
                .flat_map(|id| graph.jurisdictions_of(id.as_str()))
                .collect(),
            members,
        })
        .collect();
    Ok(CommunityGaps {
        communities,
        untied,
    })
}

/// Everything [`gaps`] answers, for one set of arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Gaps {
    /// The area × field matrix ([`gap_matrix`]).
    pub matrix: Vec<GapCell>,
    /// Paths to Hong Kong and Macao ([`reach`]).
    pub reach: Reach,
    /// Fields without a cross-border lab ([`fields_without_cross_border_lab`]).
    pub fields_without_cross_border_lab: Vec<FieldGap>,
    /// Communities and the pairs of them with no tie ([`community_pairs_without_tie`]).
    pub communities: CommunityGaps,
}

/// The arguments of [`gaps`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapParams {
    /// Rows of the matrix: cities or regions.
    pub level: AreaLevel,
    /// Columns of the matrix; every field when `None`.
    pub fields: Option<Vec<Id>>,
    /// The bound on path length to Hong Kong or Macao.
    pub k: u32,
    /// The network as it stood in this year; today's when `None`.
    pub as_of: Option<i32>,
}

impl Default for GapParams {
    /// Cities × every field, paths of at most 2 ties (one introduction), today.
    fn default() -> Self {
        GapParams {
            level: AreaLevel::City,
            fields: None,
            k: 2,
            as_of: None,
        }
    }
}

/// The gap matrix, the reach, the fields without a cross-border lab and the communities
/// without a tie in one call; see [`gap_matrix`], [`reach`],
/// [`fields_without_cross_border_lab`] and [`community_pairs_without_tie`] for the
/// definitions and the errors.
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
/// use labgraph_insights::gaps::{gaps, GapParams};
/// let g = gaps(&graph, &GapParams::default())?;
/// assert_eq!((g.matrix.len(), g.reach.k, g.fields_without_cross_border_lab.len()), (2, 2, 1));
/// let err = gaps(&graph, &GapParams { k: 0, ..GapParams::default() }).unwrap_err();
/// assert_eq!(err.to_string(), "k: 0 is out of range: paths of 1 to 6 ties");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn gaps(graph: &Graph, params: &GapParams) -> Result<Gaps, InsightError> {
    // Arguments first, so a bad `k` is reported before any work.
    params.check(graph)?;
    Ok(Gaps {
        matrix: gap_matrix(graph, params.level, params.fields.as_deref(), params.as_of)?,
        reach: reach(graph, params.k, params.as_of)?,
        fields_without_cross_border_lab: fields_without_cross_border_lab(graph, params.as_of)?,
        communities: community_pairs_without_tie(graph, params.as_of)?,
    })
}

impl GapParams {
    /// Checks the arguments without computing anything (O(F) for `fields`): the errors
    /// [`gaps`] would report first.
    pub fn check(&self, graph: &Graph) -> Result<(), InsightError> {
        check_k(self.k)?;
        check_as_of(self.as_of)?;
        if let Some(fields) = &self.fields {
            place::check_fields(graph, "fields", fields)?;
        }
        Ok(())
    }
}

/// Refuses a `k` outside `1..=MAX_K`.
fn check_k(k: u32) -> Result<(), InsightError> {
    if (1..=MAX_K).contains(&k) {
        Ok(())
    } else {
        Err(InsightError::invalid(
            "k",
            format!("{k} is out of range: paths of 1 to {MAX_K} ties"),
        ))
    }
}

/// Refuses an `asOf` outside [`YEAR_RANGE`] (argument `asOf`).
pub fn check_as_of(as_of: Option<i32>) -> Result<(), InsightError> {
    check_year("asOf", as_of)
}

/// Refuses a year outside [`YEAR_RANGE`] for `argument`.
pub(crate) fn check_year(argument: &str, year: Option<i32>) -> Result<(), InsightError> {
    match year {
        Some(y) if !YEAR_RANGE.contains(&y) => Err(InsightError::invalid(
            argument,
            format!(
                "{y} is outside the years {}..={}",
                YEAR_RANGE.start(),
                YEAR_RANGE.end()
            ),
        )),
        _ => Ok(()),
    }
}
