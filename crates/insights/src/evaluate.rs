//! An honest measure of the partner finder: hide the ties of the latest year, rank candidates on
//! the graph without them, and count how many of the hidden ties the top of each ranking finds —
//! beside a random ranking and preferential attachment alone.
//!
//! # Protocol
//!
//! 1. The held-out year `Y` is the one asked for, or else the latest year such that removing
//!    every edge whose `since` is `Y` removes at least one tie of the projection (a later year
//!    whose edges create no tie — a lab with a single host — is skipped and reported).
//! 2. The training graph is the graph without every edge whose `since` is `Y` or later (all
//!    kinds: a lab's fields of that year are unknown at training time too; for the latest year
//!    that is exactly "without the ties of the latest year"). Nodes stay. Undated edges stay:
//!    their year is unknown, not late.
//! 3. The new ties are the pairs tied in the projection of the graph without the edges after
//!    `Y` and not in that of the training graph. An earlier `Y` thus measures as if the
//!    graph had been asked at the end of `Y − 1`, with nothing of the future leaking in.
//! 4. For every node with at least one new tie (a *source*), every node it is not tied to in
//!    the training projection is a candidate; the method ranks them all (equal scores by id),
//!    and precision@k = hits in the top k / k, recall@k = hits in the top k / new ties of the
//!    source. The table gives the mean over sources (macro average).
//!
//! The random baseline is the exact expectation of a uniformly random order, not a sample:
//! with `C` candidates of which `P` are new ties, precision@k = `P · min(k, C) / (C · k)` and
//! recall@k = `min(k, C) / C`. Preferential attachment ranks by `k(a) · k(b)` alone; "score
//! without fields" is the partner score less its field-overlap term, to show what the fields
//! add.

use std::collections::{BTreeSet, HashSet};

use labgraph_analytics::Network;
use labgraph_domain::{ChangeSet, Graph, Id};

use crate::linkpred::Neighbourhoods;
use crate::partners::{FieldSets, rank};
use crate::paths::{Actors, project};

/// Why an evaluation cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluationError {
    /// No edge of the graph has a `since` year.
    #[error("no edge has a since year, so no tie can be held out")]
    NoYears,
    /// The year asked for is outside the years the graph's edges start in.
    #[error("year: {year} is outside {first}..={last}, the years the graph's ties start in")]
    YearOutOfRange {
        /// The year given.
        year: i32,
        /// The earliest `since`.
        first: i32,
        /// The latest `since`.
        last: i32,
    },
    /// Removing the edges of `year` removes no tie of the projection.
    #[error(
        "year: the edges starting in {year} make no tie of the projection; nothing to hold out"
    )]
    NothingHeldOut {
        /// The year.
        year: i32,
    },
    /// A `k` of 0.
    #[error("k: precision and recall at 0 are undefined; give k of at least 1")]
    ZeroK,
    /// The training graph could not be built (never, for edges of a valid graph).
    #[error("the graph without the held-out edges is invalid: {0}")]
    Training(String),
}

/// A ranking method compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The partner finder's score ([`crate::partners`]).
    PartnerScore,
    /// The partner finder's score without the field overlap (an ablation: what the fields add).
    LinkOnly,
    /// Preferential attachment alone.
    PreferentialAttachment,
    /// A uniformly random order (exact expectation).
    Random,
}

impl Method {
    /// The name in the table.
    pub fn name(self) -> &'static str {
        match self {
            Method::PartnerScore => "partner score",
            Method::LinkOnly => "score without fields",
            Method::PreferentialAttachment => "preferential attachment",
            Method::Random => "random (expected)",
        }
    }
}

/// Precision and recall of one method at one k.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtK {
    /// The cut-off.
    pub k: usize,
    /// Mean precision@k over sources.
    pub precision: f64,
    /// Mean recall@k over sources.
    pub recall: f64,
}

/// One method's row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodResult {
    /// The method.
    pub method: Method,
    /// One entry per k asked for, in that order.
    pub at: Vec<AtK>,
}

/// The result of an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The held-out year.
    pub year: i32,
    /// Later years whose edges make no tie, skipped when choosing the year.
    pub skipped_years: Vec<i32>,
    /// Edges whose `since` is the year.
    pub held_out_edges: usize,
    /// Ties of the training projection.
    pub training_ties: usize,
    /// The new ties: pairs tied in the whole projection and not in the training one.
    pub new_ties: Vec<(Id, Id)>,
    /// Nodes with at least one new tie.
    pub sources: usize,
    /// Mean number of candidates per source.
    pub mean_candidates: f64,
    /// One row per method.
    pub results: Vec<MethodResult>,
}

/// Evaluates the partner finder on `graph`'s `actors` projection by holding out the ties of
/// `year` (the latest year that makes a tie when `None`), at each cut-off in `ks`.
///
/// Complexity: two projections and, per source, O(|V| + Σ k(w)) to score and O(|V| log |V|)
/// to rank.
///
/// ```
/// use labgraph_domain::Graph;
/// use labgraph_insights::evaluate::{evaluate, EvaluationError};
/// use labgraph_insights::paths::Actors;
/// assert_eq!(evaluate(&Graph::new(), Actors::Institutions, None, &[5]), Err(EvaluationError::NoYears));
/// ```
pub fn evaluate(
    graph: &Graph,
    actors: Actors,
    year: Option<i32>,
    ks: &[usize],
) -> Result<Evaluation, EvaluationError> {
    if ks.contains(&0) {
        return Err(EvaluationError::ZeroK);
    }
    let years: BTreeSet<i32> = graph.edges().filter_map(|e| e.since).collect();
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
        return Err(EvaluationError::NoYears);
    };
    let mut skipped_years = Vec::new();
    let chosen = match year {
        Some(y) if !(first..=last).contains(&y) => {
            return Err(EvaluationError::YearOutOfRange {
                year: y,
                first,
                last,
            });
        }
        Some(y) => {
            let split = split(graph, actors, y)?;
            if split.new_ties.is_empty() {
                return Err(EvaluationError::NothingHeldOut { year: y });
            }
            (y, split)
        }
        None => {
            let mut found = None;
            for &y in years.iter().rev() {
                let split = split(graph, actors, y)?;
                if split.new_ties.is_empty() {
                    skipped_years.push(y);
                } else {
                    found = Some((y, split));
                    break;
                }
            }
            found.ok_or(EvaluationError::NothingHeldOut { year: last })?
        }
    };
    let (
        year,
        Split {
            train,
            new_ties,
            held_out_edges,
        },
    ) = chosen;
    let network = project(&train, actors, false);
    let hoods = Neighbourhoods::new(&network);
    let fields = FieldSets::new(&train, network.ids());

    let mut sources: Vec<&Id> = new_ties.iter().flat_map(|(a, b)| [a, b]).collect();
    sources.sort();
    sources.dedup();
    let new_set: HashSet<(&Id, &Id)> = new_ties
        .iter()
        .flat_map(|(a, b)| [(a, b), (b, a)])
        .collect();
    let methods = [
        Method::PartnerScore,
        Method::LinkOnly,
        Method::PreferentialAttachment,
        Method::Random,
    ];
    // sums[m][i] = (precision, recall) summed over sources at ks[i].
    let mut sums = vec![vec![(0.0, 0.0); ks.len()]; methods.len()];
    let mut candidates_total = 0usize;
    for &src in &sources {
        let positives = new_set.iter().filter(|(a, _)| *a == src).count();
        let ranked = rank(&hoods, &fields, src.as_str());
        let mut pa: Vec<(&Id, f64)> = ranked
            .iter()
            .map(|r| (&r.id, r.signals.link.preferential_attachment))
            .collect();
        pa.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(y.0)));
        let pa: Vec<&Id> = pa.into_iter().map(|(id, _)| id).collect();
        let ours: Vec<&Id> = ranked.iter().map(|r| &r.id).collect();
        let mut link: Vec<(&Id, f64)> = ranked.iter().map(|r| (&r.id, r.link_score)).collect();
        link.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(y.0)));
        let link: Vec<&Id> = link.into_iter().map(|(id, _)| id).collect();
        let c = ours.len();
        candidates_total += c;
        for (i, &k) in ks.iter().enumerate() {
            for (m, order) in [(0, &ours), (1, &link), (2, &pa)] {
                let hits = order
                    .iter()
                    .take(k)
                    .filter(|id| new_set.contains(&(src, **id)))
                    .count();
                sums[m][i].0 += hits as f64 / k as f64;
                sums[m][i].1 += hits as f64 / positives as f64;
            }
            if c > 0 {
                let shown = k.min(c) as f64;
                sums[3][i].0 += positives as f64 * shown / (c as f64 * k as f64);
                sums[3][i].1 += shown / c as f64;
            }
        }
    }
    let n = sources.len().max(1) as f64;
    let results = methods
        .iter()
        .enumerate()
        .map(|(m, &method)| MethodResult {
            method,
            at: ks
                .iter()
                .enumerate()
                .map(|(i, &k)| AtK {
                    k,
                    precision: sums[m][i].0 / n,
                    recall: sums[m][i].1 / n,
                })
                .collect(),
        })
        .collect();
    Ok(Evaluation {
        year,
        skipped_years,
        held_out_edges,
        training_ties: network.edge_count(),
        sources: sources.len(),
        mean_candidates: candidates_total as f64 / n,
        new_ties,
        results,
    })
}

/// Every tie of `network` as an ordered pair (smaller id first).
fn ties(network: &Network) -> HashSet<(Id, Id)> {
    network
        .edges()
        .map(|(a, b, _)| {
            if a < b {
                (a.clone(), b.clone())
            } else {
                (b.clone(), a.clone())
            }
        })
        .collect()
}

/// A held-out split of the graph.
struct Split {
    /// The graph without the edges of the held-out year and later.
    train: Graph,
    /// The ties the held-out year adds, sorted.
    new_ties: Vec<(Id, Id)>,
    /// Edges whose `since` is the held-out year.
    held_out_edges: usize,
}

/// The training graph (without the edges starting in `year` or later), the new ties of
/// `year` (tied once the edges of `year` are added back, sorted) and the number of edges of
/// `year`.
fn split(graph: &Graph, actors: Actors, year: i32) -> Result<Split, EvaluationError> {
    let without = |from: i32| -> Result<Graph, EvaluationError> {
        let mut changes = ChangeSet::new();
        for edge in graph.edges().filter(|e| e.since.is_some_and(|s| s >= from)) {
            changes.delete_edge(edge.key());
        }
        graph
            .apply(&changes)
            .map(|(g, _)| g)
            .map_err(|e| EvaluationError::Training(e.to_string()))
    };
    let (train, upto) = (without(year)?, without(year + 1)?);
    let kept = ties(&project(&train, actors, false));
    let grown = ties(&project(&upto, actors, false));
    let mut new_ties: Vec<(Id, Id)> = grown.difference(&kept).cloned().collect();
    new_ties.sort();
    let held_out_edges = graph.edges().filter(|e| e.since == Some(year)).count();
    Ok(Split {
        train,
        new_ties,
        held_out_edges,
    })
}
