//! Evolution: the institution network year by year (size, cross-border share, density,
//! components, top brokers) and the ties that began or ended between two years, each year
//! being the projection `as_of` that year.

use std::collections::BTreeSet;

use labgraph_analytics::projection::{self, Filter};
use labgraph_analytics::{Network, PathWeights, algo};
use labgraph_domain::{Graph, Id, NodeKind, TieClass};

use crate::InsightError;
use crate::gaps::check_year;
use crate::place::{self, Adjacency};

/// Longest span of years one call covers. Why a bound: each year is a projection and a
/// betweenness computation; a century of them is a mistake, not a question.
pub const MAX_YEARS: i32 = 50;

/// How many top brokers each year lists.
pub const TOP_BROKERS: usize = 3;

/// The institution network in one year.
#[derive(Debug, Clone, PartialEq)]
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
    /// `cross_border_ties / ties`; `None` without ties.
    pub cross_border_share: Option<f64>,
    /// `2 · ties / (n (n − 1))` over the `n` institutions with a tie; `None` when `n < 2`.
    pub density: Option<f64>,
    /// Connected components among the institutions with a tie.
    pub components: usize,
    /// The [`TOP_BROKERS`] institutions of highest normalised betweenness (hops), best first,
    /// those scoring 0 left out.
    pub top_brokers: Vec<(Id, f64)>,
}

/// The institution network every year from `from` to `to` (inclusive).
///
/// Each year `y` is the institution network projected with `Filter { as_of: y }`: ties whose
/// evidence holds in `y` (edges without years always hold; a shared lab counts from its batch
/// or founding year). Betweenness is Brandes (2001) by hops, normalised as NetworkX does.
///
/// Arguments: both years in `labgraph_domain::YEAR_RANGE`, `from <= to`, at most
/// [`MAX_YEARS`] years. Complexity: per year one projection, O(|V| + |E|), and one
/// betweenness, O(|V||E|).
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
/// let years = labgraph_insights::evolution::evolution(&graph, 2018, 2019)?;
/// let got: Vec<(i32, usize, usize, usize, Option<f64>)> = years
///     .iter()
///     .map(|y| (y.year, y.institutions, y.ties, y.cross_border_ties, y.cross_border_share))
///     .collect();
/// assert_eq!(got, [(2018, 2, 1, 0, Some(0.0)), (2019, 3, 2, 1, Some(0.5))]);
/// // 2019: a lies between b and h, the one pair of three institutions: normalised 1.
/// assert_eq!(years[1].top_brokers, [(labgraph_domain::Id::new("a")?, 1.0)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evolution(graph: &Graph, from: i32, to: i32) -> Result<Vec<YearFigures>, InsightError> {
    check_years(from, to)?;
    let mut years = Vec::new();
    for year in from..=to {
        let net = place::institutions(graph, Some(year))?;
        let adj = Adjacency::of(&net, graph);
        let active: Vec<usize> = (0..adj.len())
            .filter(|&u| !adj.neighbours[u].is_empty())
            .collect();
        let n = active.len();
        let ties = net.edge_count();
        let cross_border_ties = (0..adj.len())
            .flat_map(|u| adj.neighbours[u].iter().map(move |&v| (u, v)))
            .filter(|&(u, v)| u < v)
            .filter(|&(u, v)| {
                let (a, b) = (adj.places[u].jurisdiction, adj.places[v].jurisdiction);
                a.is_some() && b.is_some() && a != b
            })
            .count();
        let comp = adj.components();
        let components = active
            .iter()
            .map(|&u| comp[u])
            .collect::<BTreeSet<_>>()
            .len();
        let scores = algo::betweenness(&net, PathWeights::Hops, true);
        let top_brokers = scores
            .top(TOP_BROKERS)
            .into_iter()
            .filter(|&(_, s)| s > 0.0)
            .map(|(id, s)| (id.clone(), s))
            .collect();
        years.push(YearFigures {
            year,
            institutions: n,
            labs: labs_in(graph, year),
            ties,
            cross_border_ties,
            cross_border_share: (ties > 0).then(|| cross_border_ties as f64 / ties as f64),
            density: (n >= 2).then(|| 2.0 * ties as f64 / (n as f64 * (n as f64 - 1.0))),
            components,
            top_brokers,
        });
    }
    Ok(years)
}

/// Labs existing in `year`, by the projection's rule (the institution–lab network's labs).
fn labs_in(graph: &Graph, year: i32) -> usize {
    let filter = Filter {
        as_of: Some(year),
        ..Filter::default()
    };
    projection::institution_lab_network(graph, &filter)
        .ids()
        .iter()
        .filter(|id| graph.node(id.as_str()).map(|n| n.kind()) == Some(NodeKind::Lab))
        .count()
}

/// A tie between two institutions that began or ended between two years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieChange {
    /// One institution (the smaller id).
    pub a: Id,
    /// The other.
    pub b: Id,
    /// The class of the tie by its ends' jurisdictions; `None` when an end's is unknown.
    pub class: Option<TieClass>,
    /// For a new tie, the first year it holds; for an ended one, the last.
    pub year: i32,
}

/// The ties that began and ended between two years.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TieChanges {
    /// Ties holding in `to` but not in `from`, by first year, then ids.
    pub new: Vec<TieChange>,
    /// Ties holding in `from` but not in `to`, by last year, then ids.
    pub ended: Vec<TieChange>,
}

/// The institution–institution ties that hold in `to` but not in `from` (new, with the first
/// year they hold) and those that hold in `from` but not in `to` (ended, with the last year
/// they hold), comparing the institution networks as of each year in between. A tie that
/// begins and ends within the span is in neither list.
///
/// Arguments as for [`evolution`]. Complexity: one projection per year, O(Y · (|V| + |E|)).
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
/// use labgraph_domain::TieClass;
/// let changes = labgraph_insights::evolution::tie_changes(&graph, 2017, 2024)?;
/// let new: Vec<(&str, &str, Option<TieClass>, i32)> =
///     changes.new.iter().map(|c| (c.a.as_str(), c.b.as_str(), c.class, c.year)).collect();
/// assert_eq!(new, [("a", "h", Some(TieClass::MainlandHk), 2019)]);
/// assert!(changes.ended.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tie_changes(graph: &Graph, from: i32, to: i32) -> Result<TieChanges, InsightError> {
    check_years(from, to)?;
    let mut by_year: Vec<BTreeSet<(Id, Id)>> = Vec::new();
    for year in from..=to {
        by_year.push(pairs(&place::institutions(graph, Some(year))?));
    }
    let (first, last) = match (by_year.first(), by_year.last()) {
        (Some(f), Some(l)) => (f, l),
        _ => return Ok(TieChanges::default()),
    };
    let class = |a: &Id, b: &Id| {
        let (ja, jb) = (
            graph.jurisdictions_of(a.as_str()),
            graph.jurisdictions_of(b.as_str()),
        );
        if ja.is_empty() || jb.is_empty() {
            return None;
        }
        TieClass::of(ja.into_iter().chain(jb))
    };
    let mut new: Vec<TieChange> = last
        .difference(first)
        .map(|(a, b)| {
            // The first year from which the tie holds to the end of the span.
            let mut year = to;
            for (offset, set) in by_year.iter().enumerate().rev() {
                if !set.contains(&(a.clone(), b.clone())) {
                    break;
                }
                year = from + offset as i32;
            }
            TieChange {
                a: a.clone(),
                b: b.clone(),
                class: class(a, b),
                year,
            }
        })
        .collect();
    let mut ended: Vec<TieChange> = first
        .difference(last)
        .map(|(a, b)| {
            let mut year = from;
            for (offset, set) in by_year.iter().enumerate() {
                if !set.contains(&(a.clone(), b.clone())) {
                    break;
                }
                year = from + offset as i32;
            }
            TieChange {
                a: a.clone(),
                b: b.clone(),
                class: class(a, b),
                year,
            }
        })
        .collect();
    let order = |x: &TieChange, y: &TieChange| (x.year, &x.a, &x.b).cmp(&(y.year, &y.a, &y.b));
    new.sort_by(order);
    ended.sort_by(order);
    Ok(TieChanges { new, ended })
}

/// Every tie of `net` as an ordered pair of ids.
fn pairs(net: &Network) -> BTreeSet<(Id, Id)> {
    net.edges()
        .map(|(a, b, _)| {
            if a <= b {
                (a.clone(), b.clone())
            } else {
                (b.clone(), a.clone())
            }
        })
        .collect()
}

/// Refuses years out of range, `from > to` and spans over [`MAX_YEARS`]: the checks of
/// [`evolution`] and [`tie_changes`], without computing anything.
pub fn check_years(from: i32, to: i32) -> Result<(), InsightError> {
    check_year("from", Some(from))?;
    check_year("to", Some(to))?;
    if from > to {
        return Err(InsightError::invalid(
            "from",
            format!("{from} is after to ({to})"),
        ));
    }
    if to - from >= MAX_YEARS {
        return Err(InsightError::invalid(
            "to",
            format!(
                "{from}..={to} spans {} years; at most {MAX_YEARS} at a time",
                to - from + 1
            ),
        ));
    }
    Ok(())
}
