//! `AnalyticsQuery`: network analysis as GraphQL fields — the ranked `centrality` connection
//! (exact, or sampled betweenness with a stated error bound), the per-node `centrality` of
//! institutions, labs and people (and `orderBy: {centrality:}` of their connections),
//! `communities`, `structure` and `brokerage` — on the projections of labgraph-analytics, each
//! result computed once per graph version and parameters through [`super::compute`] and
//! stamped with its [`Freshness`].
//!
//! # The network analysed
//!
//! Every field takes the same description of the network: a `projection` (the institution
//! network, the person network, or the bipartite institution–lab network, as
//! `labgraph_analytics::projection` builds them), `where` (regions, fields, verified ties
//! only, cross-border ties only), `asOf` (a year), `weighting` (the blend of evidence into tie
//! strength, institution network only) and `weighted`. With `weighted: true` (the default,
//! the SPEC's "every algorithm runs on the chosen weighting") path measures read a tie of
//! strength s as length 1/s (`PathWeights::InverseStrength`, as `labgraph analyse
//! --weighted` does on a projection), PageRank follows ties in proportion to strength, and
//! STRENGTH sums strengths; with `weighted: false` every tie counts 1, as the CLI without
//! `--weighted`.
//!
//! # Ranking
//!
//! Nodes are ranked by score, highest first, ties broken by id. Ranks are competition ranks
//! ("1224"): a node's rank is 1 + the number of nodes scoring strictly higher, so nodes with
//! equal scores share a rank and the next rank skips. Scores equal to within a relative 1e-9
//! count as equal, so that float rounding in iterative measures (PageRank) never splits
//! symmetric nodes. A node's percentile is the share of the *other* nodes of the network
//! that score strictly lower, times 100: 100 for a node above all others, 0 for the lowest
//! (and for every node when all score the same); a network of one node gives it 100.
//!
//! # Cost
//!
//! A root analytics field costs [`ANALYTICS_COST`] on top of its selection (a connection's
//! selection counted once per item of its page, as everywhere), and a per-node `centrality`
//! [`NODE_ANALYTICS_COST`]: a distinct set of parameters costs a whole-graph computation,
//! however small its page. Repeats are served from the cache.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use labgraph_analytics::projection::{self, Filter, Weighting};
use labgraph_analytics::{AlgorithmError, Network, PathWeights, Scores, algo};
use labgraph_domain::{Graph, Id, NodeKind};
use serde_json::json;

use super::compute::{ComputeKey, Freshness, compute};
use super::enums::Region;
use super::error::ApiError;
use super::list::{PageInfo, decode_text, encode_text, page_size, refs};
use super::nodes::NodeInterface;
use super::scope::RequestScope;

/// What a root analytics field costs beyond its selection: it may start a whole-graph
/// computation.
pub(crate) const ANALYTICS_COST: usize = 50;
/// What a per-node `centrality` field costs beyond its selection: it reads (and, the first
/// time, computes) the whole network's ranking.
pub(crate) const NODE_ANALYTICS_COST: usize = 5;
/// Page size of analytics connections and lists when `first` is not given.
const DEFAULT_FIRST: usize = 20;
/// The probability sampled betweenness may miss its error bound.
const SAMPLED_DELTA: f64 = 0.1;
/// Katz's attenuation when `alpha` is not given: NetworkX's default.
const KATZ_ALPHA: f64 = 0.1;
/// The years `asOf` accepts.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// A centrality measure: a score per node of the network.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CentralityKind {
    /// The number of ties (Freeman 1978; NetworkX's `G.degree`). Weights are ignored.
    Degree,
    /// The sum of tie strengths (weighted degree, Barrat et al. 2004); with `weighted:
    /// false`, the degree.
    Strength,
    /// Exact betweenness (Brandes 2001), normalised by (n − 1)(n − 2) as NetworkX's
    /// `betweenness_centrality`: the share of shortest paths between other nodes through the
    /// node — who brokers between parts of the network.
    Betweenness,
    /// Closeness with the Wasserman–Faust correction for disconnected networks (NetworkX's
    /// `closeness_centrality`): how near the node is to everyone it reaches.
    Closeness,
    /// Harmonic centrality (Marchiori & Latora 2000): the sum of 1/distance to every other
    /// node, unnormalised, 0 for the unreachable.
    Harmonic,
    /// PageRank (damping 0.85, NetworkX's defaults): the share of time a random walk along
    /// ties spends at the node.
    Pagerank,
    /// The core number: the largest k such that the node is in the k-core (every member has
    /// at least k ties inside it). Weights are ignored.
    CoreNumber,
    /// The local clustering coefficient (Watts & Strogatz 1998): the share of pairs of the
    /// node's partners that are tied themselves. Weights are ignored; not offered on the
    /// bipartite INSTITUTION_LABS network, where it is 0 for every node.
    Clustering,
    /// Eigenvector centrality (Bonacich 1972), per connected component, the whole vector of
    /// Euclidean norm 1 (each component's share in proportion to its size): central when the
    /// partners are.
    Eigenvector,
    /// Katz centrality (Katz 1953; NetworkX's `katz_centrality_numpy`, normalised, β = 1):
    /// walks of every length ending at the node, those of length k weighted by αᵏ (the root
    /// field's `alpha`, default 0.1 — a node's `centrality` always uses 0.1; it must be below
    /// 1/λmax of the network, else VALIDATION_FAILED).
    Katz,
    /// Burt's constraint (1992): high when the node's partners are tied to each other (little
    /// room to broker), low when they are not. Ranked highest first like every measure, so
    /// the *least* constrained brokers come last. Nodes with no tie have none and are not
    /// ranked.
    Constraint,
    /// Burt's effective size: the number of partners minus their redundancy (partners tied
    /// to each other). Nodes with no tie are not ranked.
    EffectiveSize,
    /// Burt's efficiency: effective size over degree, in (0, 1]. Nodes with no tie are not
    /// ranked.
    Efficiency,
    /// Burt's hierarchy: how much of the node's constraint falls on one partner, in [0, 1].
    /// Nodes with fewer than two partners have none and are not ranked.
    Hierarchy,
}

impl CentralityKind {
    /// The GraphQL value, for parameters and messages.
    pub(crate) fn code(self) -> &'static str {
        match self {
            CentralityKind::Degree => "DEGREE",
            CentralityKind::Strength => "STRENGTH",
            CentralityKind::Betweenness => "BETWEENNESS",
            CentralityKind::Closeness => "CLOSENESS",
            CentralityKind::Harmonic => "HARMONIC",
            CentralityKind::Pagerank => "PAGERANK",
            CentralityKind::CoreNumber => "CORE_NUMBER",
            CentralityKind::Clustering => "CLUSTERING",
            CentralityKind::Eigenvector => "EIGENVECTOR",
            CentralityKind::Katz => "KATZ",
            CentralityKind::Constraint => "CONSTRAINT",
            CentralityKind::EffectiveSize => "EFFECTIVE_SIZE",
            CentralityKind::Efficiency => "EFFICIENCY",
            CentralityKind::Hierarchy => "HIERARCHY",
        }
    }

    /// The name of an order by this measure, written into the cursors of root connections
    /// so that a cursor of one order is refused by another.
    pub(crate) fn order_code(self) -> &'static str {
        match self {
            CentralityKind::Degree => "centrality_degree",
            CentralityKind::Strength => "centrality_strength",
            CentralityKind::Betweenness => "centrality_betweenness",
            CentralityKind::Closeness => "centrality_closeness",
            CentralityKind::Harmonic => "centrality_harmonic",
            CentralityKind::Pagerank => "centrality_pagerank",
            CentralityKind::CoreNumber => "centrality_core_number",
            CentralityKind::Clustering => "centrality_clustering",
            CentralityKind::Eigenvector => "centrality_eigenvector",
            CentralityKind::Katz => "centrality_katz",
            CentralityKind::Constraint => "centrality_constraint",
            CentralityKind::EffectiveSize => "centrality_effective_size",
            CentralityKind::Efficiency => "centrality_efficiency",
            CentralityKind::Hierarchy => "centrality_hierarchy",
        }
    }

    /// Whether the measure reads tie strengths at all (so `weighted` is part of its key).
    fn reads_weights(self) -> bool {
        !matches!(
            self,
            CentralityKind::Degree | CentralityKind::CoreNumber | CentralityKind::Clustering
        )
    }
}

/// A projection of the graph into a network of one or two kinds of node.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[graphql(name = "Projection")]
pub enum ProjectionKind {
    /// Institutions, tied when they share a lab, collaborate or exchange talent; tie
    /// strength is the `weighting` blend of that evidence.
    #[default]
    Institutions,
    /// People, tied by collaboration; strength = joint papers or projects.
    People,
    /// The bipartite network of institutions and the labs they are partners (or hosts) in.
    InstitutionLabs,
}

impl ProjectionKind {
    /// The network a node of `kind` is in when none is asked for: institutions among
    /// institutions, labs in the institution–lab network, people among people; other kinds
    /// are in none.
    pub(crate) fn of_node(kind: NodeKind) -> Option<ProjectionKind> {
        match kind {
            NodeKind::Institution => Some(ProjectionKind::Institutions),
            NodeKind::Lab => Some(ProjectionKind::InstitutionLabs),
            NodeKind::Person => Some(ProjectionKind::People),
            _ => None,
        }
    }

    /// The network a per-node field reads: `asked`, or when omitted [`Self::of_node`];
    /// `VALIDATION_FAILED` naming `projection` when the node is not in it.
    fn for_node(asked: Option<ProjectionKind>, node_kind: NodeKind) -> Result<Self, ApiError> {
        let projection = asked
            .or_else(|| ProjectionKind::of_node(node_kind))
            .unwrap_or(ProjectionKind::Institutions);
        if projection.holds(node_kind) {
            Ok(projection)
        } else {
            Err(ApiError::validation(
                "projection",
                format!(
                    "a {node_kind} is not a node of the {} network",
                    projection.code()
                ),
            ))
        }
    }

    fn code(self) -> &'static str {
        match self {
            ProjectionKind::Institutions => "INSTITUTIONS",
            ProjectionKind::People => "PEOPLE",
            ProjectionKind::InstitutionLabs => "INSTITUTION_LABS",
        }
    }

    /// Whether nodes of `kind` are nodes of this projection.
    pub(crate) fn holds(self, kind: NodeKind) -> bool {
        match self {
            ProjectionKind::Institutions => kind == NodeKind::Institution,
            ProjectionKind::People => kind == NodeKind::Person,
            ProjectionKind::InstitutionLabs => {
                matches!(kind, NodeKind::Institution | NodeKind::Lab)
            }
        }
    }
}

/// Which nodes and ties of a projection count. Every condition given must hold.
#[derive(InputObject, Debug, Clone, Default)]
#[graphql(name = "NetworkWhere")]
pub struct NetworkWhere {
    /// Only nodes located in one of these regions.
    pub regions: Option<Vec<Region>>,
    /// Only nodes working on one of these fields or a sub-field of one (an institution works
    /// on its own fields and those of its labs; a lab only makes a shared-lab tie when it
    /// works on one). Field ids.
    pub fields: Option<Vec<ID>>,
    /// Only verified edges count as evidence.
    #[graphql(default)]
    pub verified_only: bool,
    /// Only ties joining different jurisdictions; other nodes stay, isolated.
    #[graphql(default)]
    pub cross_border_only: bool,
}

/// How the evidence between two institutions blends into their tie strength: `sharedLab ·
/// shared labs + collaboration · joint works + talent · talent links`. Each weight is 0 or
/// more; a weight of 0 leaves that evidence out (a tie resting on it alone disappears).
#[derive(InputObject, Debug, Clone, Copy)]
#[graphql(name = "Weighting")]
pub struct WeightingInput {
    /// Per lab both institutions are partners (or hosts) in.
    #[graphql(default = 1.0)]
    pub shared_lab: f64,
    /// Per joint paper or project (a collaboration's weight, 1 when not given).
    #[graphql(default = 1.0)]
    pub collaboration: f64,
    /// Per talent link from a person whose primary affiliation is the other institution.
    #[graphql(default = 1.0)]
    pub talent: f64,
}

/// The network an analytics field runs on, arguments checked and defaults applied.
#[derive(Debug, Clone)]
pub(crate) struct NetworkSpec {
    projection: ProjectionKind,
    filter: Filter,
    weighting: Weighting,
    weighted: bool,
}

impl NetworkSpec {
    /// Checks and resolves the network arguments against `graph`.
    fn resolve(
        graph: &Graph,
        projection: ProjectionKind,
        filter: Option<NetworkWhere>,
        as_of: Option<i32>,
        weighting: Option<WeightingInput>,
        weighted: bool,
    ) -> Result<NetworkSpec, ApiError> {
        if let Some(year) = as_of
            && !YEARS.contains(&year)
        {
            return Err(ApiError::validation(
                "asOf",
                format!(
                    "{year} is not a year between {} and {}",
                    YEARS.start(),
                    YEARS.end()
                ),
            ));
        }
        let weighting = match weighting {
            None => Weighting::default(),
            Some(_) if projection != ProjectionKind::Institutions => {
                return Err(ApiError::validation(
                    "weighting",
                    format!(
                        "the blend of evidence applies to the INSTITUTIONS projection only, \
                         not {}",
                        projection.code()
                    ),
                ));
            }
            Some(w) => {
                for (name, value) in [
                    ("weighting.sharedLab", w.shared_lab),
                    ("weighting.collaboration", w.collaboration),
                    ("weighting.talent", w.talent),
                ] {
                    if !(value.is_finite() && value >= 0.0) {
                        return Err(ApiError::validation(
                            name,
                            format!("{value} is negative; a weight is 0 or more"),
                        ));
                    }
                }
                Weighting {
                    shared_lab: w.shared_lab,
                    collaboration: w.collaboration,
                    talent: w.talent,
                }
            }
        };
        let filter_in = filter.unwrap_or_default();
        let fields = filter_in
            .fields
            .map(|ids| refs(graph, "where.fields", &ids, NodeKind::Field))
            .transpose()?
            .map(|ids| ids.into_iter().collect::<BTreeSet<Id>>());
        let regions = filter_in.regions.map(|regions| {
            regions
                .into_iter()
                .map(labgraph_domain::Region::from)
                .collect::<BTreeSet<_>>()
        });
        Ok(NetworkSpec {
            projection,
            filter: Filter {
                as_of,
                verified_only: filter_in.verified_only,
                cross_border_only: filter_in.cross_border_only,
                regions,
                fields,
            },
            weighting,
            weighted,
        })
    }

    /// The canonical parameters of this network, for cache keys and `freshness.parameters`.
    fn parameters(&self) -> serde_json::Value {
        let f = &self.filter;
        let mut params = json!({
            "projection": self.projection.code(),
            "asOf": f.as_of,
            "regions": f.regions.as_ref().map(|r| r.iter().map(|&r| Region::key(r)).collect::<Vec<_>>()),
            "fields": f.fields.as_ref().map(|ids| ids.iter().map(Id::as_str).collect::<Vec<_>>()),
            "verifiedOnly": f.verified_only,
            "crossBorderOnly": f.cross_border_only,
            "weighted": self.weighted,
        });
        if self.projection == ProjectionKind::Institutions {
            params["weighting"] = json!({
                "sharedLab": self.weighting.shared_lab,
                "collaboration": self.weighting.collaboration,
                "talent": self.weighting.talent,
            });
        }
        params
    }

    /// Projects `graph` into the network.
    fn build(&self, graph: &Graph) -> Result<Network, ApiError> {
        Ok(match self.projection {
            ProjectionKind::Institutions => {
                projection::institution_network(graph, &self.filter, self.weighting)
                    .map_err(|e| ApiError::validation("weighting", e.to_string()))?
            }
            ProjectionKind::People => projection::person_network(graph, &self.filter),
            ProjectionKind::InstitutionLabs => {
                projection::institution_lab_network(graph, &self.filter)
            }
        })
    }

    /// How path measures read ties.
    fn path_weights(&self) -> PathWeights {
        if self.weighted {
            PathWeights::InverseStrength
        } else {
            PathWeights::Hops
        }
    }
}

/// An analytics crate error on arguments the API checked: a refusal of the algorithm is the
/// client's (`VALIDATION_FAILED`), a failure to converge is the server's.
fn algorithm_error(argument: &str, error: AlgorithmError) -> ApiError {
    match error {
        AlgorithmError::BadParameter { .. }
        | AlgorithmError::UnknownNode { .. }
        | AlgorithmError::AlphaTooLarge { .. } => ApiError::validation(argument, error.to_string()),
        other => ApiError::internal(other.to_string()),
    }
}

/// One node's place in a ranking.
#[derive(Debug, Clone)]
pub(crate) struct Ranked {
    id: Id,
    score: f64,
    rank: usize,
    percentile: f64,
}

/// A whole network's scores, ranked (see the module docs for ties and percentiles).
#[derive(Debug, Clone, Default)]
pub(crate) struct Ranking {
    entries: Vec<Ranked>,
    position: HashMap<Id, usize>,
}

/// Whether two scores count as equal for ranking: equal to within a relative 1e-9.
fn same_score(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

impl Ranking {
    /// Ranks `scores`: highest first, equal scores (within a relative 1e-9 of the first of
    /// their group) sharing a competition rank and ordered by id.
    pub(crate) fn new<'a>(scores: impl IntoIterator<Item = (&'a Id, f64)>) -> Ranking {
        let mut all: Vec<(Id, f64)> = scores.into_iter().map(|(id, s)| (id.clone(), s)).collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let n = all.len();
        let mut entries = Vec::with_capacity(n);
        let mut start = 0;
        while start < n {
            let leader = all[start].1;
            let end = start
                + all[start..]
                    .iter()
                    .take_while(|(_, s)| same_score(*s, leader))
                    .count();
            let group = &mut all[start..end];
            group.sort_by(|a, b| a.0.cmp(&b.0));
            let below = n - end;
            let percentile = if n <= 1 {
                100.0
            } else {
                100.0 * below as f64 / (n - 1) as f64
            };
            for (id, score) in group.iter() {
                entries.push(Ranked {
                    id: id.clone(),
                    score: *score,
                    rank: start + 1,
                    percentile,
                });
            }
            start = end;
        }
        let position = entries
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Ranking { entries, position }
    }

    /// The competition rank of `id`, when it is a node of the network.
    pub(crate) fn rank(&self, id: &str) -> Option<usize> {
        self.get(id).map(|r| r.rank)
    }

    fn get(&self, id: &str) -> Option<&Ranked> {
        self.position.get(id).map(|&i| &self.entries[i])
    }
}

/// The ranking of `kind` on `network` (checked arguments: `kind` is offered on the
/// projection; `alpha` is Katz's).
fn rank_centrality(
    network: &Network,
    spec: &NetworkSpec,
    kind: CentralityKind,
    alpha: f64,
) -> Result<Ranking, ApiError> {
    let holes = |pick: fn(&algo::HoleMeasures) -> Option<f64>| {
        let holes = algo::structural_holes(network, spec.weighted);
        let scored: Vec<(Id, f64)> = holes
            .iter()
            .filter_map(|(id, m)| Some((id.clone(), pick(&m?)?)))
            .collect();
        Ranking::new(scored.iter().map(|(id, s)| (id, *s)))
    };
    let scores = match kind {
        CentralityKind::Constraint => return Ok(holes(|m| Some(m.constraint))),
        CentralityKind::EffectiveSize => return Ok(holes(|m| Some(m.effective_size))),
        CentralityKind::Efficiency => return Ok(holes(|m| Some(m.efficiency))),
        CentralityKind::Hierarchy => return Ok(holes(|m| m.hierarchy)),
        _ => centrality_scores(network, spec, kind, alpha)?,
    };
    Ok(Ranking::new(scores.iter()))
}

/// The scores of the measures that score every node.
fn centrality_scores(
    network: &Network,
    spec: &NetworkSpec,
    kind: CentralityKind,
    alpha: f64,
) -> Result<Scores, ApiError> {
    let paths = spec.path_weights();
    Ok(match kind {
        CentralityKind::Degree => algo::degree(network),
        CentralityKind::Strength if spec.weighted => algo::strength(network),
        CentralityKind::Strength => algo::degree(network),
        CentralityKind::Betweenness => algo::betweenness(network, paths, true),
        CentralityKind::Closeness => algo::closeness(network, paths),
        CentralityKind::Harmonic => algo::harmonic(network, paths),
        CentralityKind::Pagerank => {
            let params = algo::PageRankParams {
                weighted: spec.weighted,
                ..algo::PageRankParams::default()
            };
            algo::pagerank(network, &params).map_err(|e| algorithm_error("kind", e))?
        }
        CentralityKind::CoreNumber => algo::core_number(network),
        CentralityKind::Clustering => algo::clustering(network),
        CentralityKind::Eigenvector => {
            let params = algo::EigenvectorParams {
                weighted: spec.weighted,
                ..algo::EigenvectorParams::default()
            };
            algo::eigenvector(network, &params).map_err(|e| algorithm_error("kind", e))?
        }
        CentralityKind::Katz => {
            let params = algo::KatzParams {
                alpha,
                weighted: spec.weighted,
                ..algo::KatzParams::default()
            };
            algo::katz(network, &params).map_err(|e| algorithm_error("alpha", e))?
        }
        // Scored by `rank_centrality`, which leaves out the nodes without a measure.
        CentralityKind::Constraint
        | CentralityKind::EffectiveSize
        | CentralityKind::Efficiency
        | CentralityKind::Hierarchy => {
            return Err(ApiError::internal("structural holes are ranked apart"));
        }
    })
}

/// Refuses a measure the projection cannot give meaningfully.
fn check_offered(kind: CentralityKind, projection: ProjectionKind) -> Result<(), ApiError> {
    if kind == CentralityKind::Clustering && projection == ProjectionKind::InstitutionLabs {
        return Err(ApiError::validation(
            "kind",
            "CLUSTERING is 0 for every node of the bipartite INSTITUTION_LABS network (it has \
             no triangles); use the INSTITUTIONS projection",
        ));
    }
    Ok(())
}

/// The ranking of `kind` on `spec`'s network, from the cache or computed.
pub(crate) async fn ranking(
    scope: &RequestScope,
    spec: NetworkSpec,
    kind: CentralityKind,
    alpha: Option<f64>,
    error: Option<f64>,
) -> Result<(Arc<Ranking>, Freshness), ApiError> {
    check_offered(kind, spec.projection)?;
    if let Some(epsilon) = error {
        return sampled_ranking(scope, spec, kind, epsilon).await;
    }
    let alpha = match (kind, alpha) {
        (CentralityKind::Katz, None) => Some(KATZ_ALPHA),
        (CentralityKind::Katz, Some(a)) if a.is_finite() && a > 0.0 => Some(a),
        (CentralityKind::Katz, Some(a)) => {
            return Err(ApiError::validation(
                "alpha",
                format!("{a} is not positive; Katz's attenuation is above 0 and below 1/λmax"),
            ));
        }
        (_, None) => None,
        (other, Some(_)) => {
            return Err(ApiError::validation(
                "alpha",
                format!("alpha is Katz's attenuation; {} takes none", other.code()),
            ));
        }
    };
    let mut spec = spec;
    if !kind.reads_weights() {
        // The result does not depend on it: one cache entry for both values.
        spec.weighted = false;
    }
    let mut params = spec.parameters();
    params["kind"] = json!(kind.code());
    if !kind.reads_weights() {
        params["weighted"] = serde_json::Value::Null;
    }
    if let Some(alpha) = alpha {
        params["alpha"] = json!(alpha);
    }
    let key = ComputeKey::new("centrality", params);
    compute(scope, key, move |graph| {
        let network = spec.build(graph)?;
        rank_centrality(&network, &spec, kind, alpha.unwrap_or(KATZ_ALPHA))
    })
    .await
}

/// Sampled betweenness (Riondato & Kornaropoulos 2016) within `epsilon` of the exact
/// normalised score for every node, with probability 1 − [`SAMPLED_DELTA`]; by hops.
async fn sampled_ranking(
    scope: &RequestScope,
    mut spec: NetworkSpec,
    kind: CentralityKind,
    epsilon: f64,
) -> Result<(Arc<Ranking>, Freshness), ApiError> {
    if kind != CentralityKind::Betweenness {
        return Err(ApiError::validation(
            "error",
            format!("only BETWEENNESS can be sampled, not {}", kind.code()),
        ));
    }
    // Written so that NaN fails too.
    if !(epsilon > 0.0 && epsilon < 1.0) {
        return Err(ApiError::validation(
            "error",
            format!("{epsilon} is not strictly between 0 and 1"),
        ));
    }
    // The guarantee holds for hop-shortest paths only.
    spec.weighted = false;
    let mut params = spec.parameters();
    params["kind"] = json!(kind.code());
    params["epsilon"] = json!(epsilon);
    params["delta"] = json!(SAMPLED_DELTA);
    params["seed"] = json!(0);
    let key = ComputeKey::new("centrality", params).sampled(epsilon);
    compute(scope, key, move |graph| {
        let network = spec.build(graph)?;
        let sampled = algo::betweenness_sampled(
            &network,
            &algo::SampledParams {
                epsilon,
                delta: SAMPLED_DELTA,
                seed: 0,
                threads: 1,
            },
        )
        .map_err(|e| algorithm_error("error", e))?;
        Ok(Ranking::new(sampled.scores.iter()))
    })
    .await
}

/// The ranking a root connection of `node_kind` is ordered by for `orderBy: {centrality:}`:
/// the whole network of that kind — no filter, every year, the default weighting, weighted —
/// the same as `centrality(kind:)` with no other argument.
pub(crate) async fn order_ranking(
    scope: &RequestScope,
    node_kind: NodeKind,
    kind: CentralityKind,
) -> Result<Arc<Ranking>, ApiError> {
    let projection = match node_kind {
        NodeKind::Person => ProjectionKind::People,
        _ => ProjectionKind::Institutions,
    };
    let spec = NetworkSpec::resolve(&scope.graph, projection, None, None, None, true)?;
    Ok(ranking(scope, spec, kind, None, None).await?.0)
}

/// A node of a ranking.
#[derive(SimpleObject, Debug)]
pub struct CentralityEdge {
    /// An opaque cursor: pass it as `after` to continue after this node.
    pub cursor: String,
    /// The node.
    pub node: NodeInterface,
    /// Its score under the measure asked for.
    pub score: f64,
    /// Its competition rank ("1224"): 1 + the number of nodes scoring strictly higher.
    pub rank: usize,
    /// The share of the other nodes scoring strictly lower, in percent (100: above all
    /// others; 0: none lower).
    pub percentile: f64,
}

/// A ranked page of the nodes of a network by a centrality, best first (ties by id).
#[derive(SimpleObject, Debug)]
pub struct CentralityConnection {
    /// The nodes of this page, best first.
    pub edges: Vec<CentralityEdge>,
    /// Whether there are more, and the cursors to continue from.
    pub page_info: PageInfo,
    /// How many nodes the network has (every one is ranked).
    pub total_count: usize,
    /// The graph version, time and parameters of the computation.
    pub freshness: Freshness,
}

/// One node's centrality in a network.
#[derive(SimpleObject, Debug)]
pub struct NodeCentrality {
    /// The node's score.
    pub score: f64,
    /// Its competition rank in the network ("1224").
    pub rank: usize,
    /// The share of the other nodes scoring strictly lower, in percent.
    pub percentile: f64,
    /// How many nodes the network has.
    pub out_of: usize,
    /// The graph version, time and parameters of the computation.
    pub freshness: Freshness,
}

/// The per-node `centrality` field of institutions, labs and people: the node's entry in the
/// whole network's ranking (computed once per version and parameters, shared by every
/// node), or null when the node is not in the network (filtered out by `where`, or a lab
/// not yet founded `asOf`).
#[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
pub(crate) async fn node_centrality(
    ctx: &Context<'_>,
    id: &Id,
    node_kind: NodeKind,
    kind: CentralityKind,
    projection: Option<ProjectionKind>,
    filter: Option<NetworkWhere>,
    as_of: Option<i32>,
    weighting: Option<WeightingInput>,
    weighted: bool,
) -> async_graphql::Result<Option<NodeCentrality>> {
    let scope = RequestScope::of(ctx)?;
    let projection = ProjectionKind::for_node(projection, node_kind)?;
    let spec = NetworkSpec::resolve(&scope.graph, projection, filter, as_of, weighting, weighted)?;
    let (ranking, freshness) = ranking(scope, spec, kind, None, None).await?;
    Ok(ranking.get(id.as_str()).map(|r| NodeCentrality {
        score: r.score,
        rank: r.rank,
        percentile: r.percentile,
        out_of: ranking.entries.len(),
        freshness,
    }))
}

/// The cursor of the ranking entry of `id`.
fn cursor_of(id: &Id) -> String {
    encode_text(&format!("ranked:{id}"))
}

/// The node id a ranking cursor points at; checked before any computation, so a garbled
/// cursor costs nothing.
fn cursor_id(cursor: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    let bad = |reason: &str| ApiError::BadCursor {
        argument: "after",
        reason: reason.to_owned(),
    };
    let text = decode_text(cursor)
        .ok_or_else(|| bad("not a cursor; pass a cursor this connection returned"))?;
    let id = text
        .strip_prefix("ranked:")
        .ok_or_else(|| bad("not a cursor of a ranking"))?;
    Ok(Some(id.to_owned()))
}

/// The position just after the entry of `after` (a node id from [`cursor_id`]).
fn after_position(ranking: &Ranking, after: Option<&str>) -> Result<usize, ApiError> {
    let Some(id) = after else {
        return Ok(0);
    };
    let at = ranking
        .position
        .get(id)
        .copied()
        .ok_or_else(|| ApiError::BadCursor {
            argument: "after",
            reason: "the node of this cursor is not in this network; start again without a \
                     cursor"
                .to_owned(),
        })?;
    Ok(at + 1)
}

/// Cuts a ranked page: `first` entries after `after` (a node id from [`cursor_id`]), with
/// its page information.
fn ranked_window<'r>(
    ranking: &'r Ranking,
    first: usize,
    after: Option<&str>,
) -> Result<(&'r [Ranked], PageInfo), ApiError> {
    let n = ranking.entries.len();
    let start = after_position(ranking, after)?.min(n);
    let end = (start + first).min(n);
    let window = &ranking.entries[start..end];
    let page_info = PageInfo {
        has_previous_page: start > 0,
        has_next_page: end < n,
        start_cursor: window.first().map(|r| cursor_of(&r.id)),
        end_cursor: window.last().map(|r| cursor_of(&r.id)),
    };
    Ok((window, page_info))
}

/// The GraphQL node of a ranked entry (every id of a ranking is a node of the snapshot it was
/// computed from, which is the request's).
fn node_of(scope: &RequestScope, id: &Id) -> Result<NodeInterface, ApiError> {
    scope
        .graph
        .node(id.as_str())
        .map(NodeInterface::of)
        .ok_or_else(|| ApiError::internal(format!("{id} was ranked but is not in the graph")))
}

/// The size of a page asked for with `first` (default 20), checked against the maximum.
fn first_of(scope: &RequestScope, first: Option<i32>) -> Result<usize, ApiError> {
    Ok(page_size("first", first, scope.max_page_size())?.unwrap_or(DEFAULT_FIRST))
}

/// Complexity of a root analytics field with a page of `first`.
pub(crate) fn analytics_cost(first: Option<i32>, child_complexity: usize) -> usize {
    super::list::page_cost(first, None, child_complexity).saturating_add(ANALYTICS_COST)
}

/// The network-analysis fields of the root query.
#[derive(Debug, Default, Clone, Copy)]
pub struct AnalyticsQuery;

/// The network-analysis fields of the root query.
#[Object]
impl AnalyticsQuery {
    /// The nodes of a network ranked by a centrality, best first (ties by id), with competition
    /// ranks and percentiles, paged forward (`first`, default 20, at most the maximum page
    /// size; `after`). Computed once per graph version and arguments; `freshness` says when
    /// and from what.
    #[graphql(complexity = "crate::schema::analytics::analytics_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn centrality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure.")] kind: CentralityKind,
        #[graphql(desc = "The network (INSTITUTIONS when omitted).", default)]
        projection: ProjectionKind,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<NetworkWhere>,
        #[graphql(desc = "The network as it stood in this year (1900–2100).")] as_of: Option<i32>,
        #[graphql(
            desc = "The blend of evidence into tie strength (INSTITUTIONS only; each \
                          kind of evidence counts 1 when omitted)."
        )]
        weighting: Option<WeightingInput>,
        #[graphql(
            desc = "Read tie strengths: as lengths 1/s for path measures, as strengths for \
                    PageRank and STRENGTH. False counts every tie 1.",
            default = true
        )]
        weighted: bool,
        #[graphql(
            desc = "KATZ only: the attenuation per step, above 0 and below 1/λmax \
                          (default 0.1)."
        )]
        alpha: Option<f64>,
        #[graphql(
            desc = "BETWEENNESS only: sample instead of computing exactly, every score \
                          within this absolute error ε of the exact normalised one, in (0, 1), \
                          with probability 0.9 (Riondato–Kornaropoulos); counts hops whatever \
                          `weighted` says. `freshness` reports `exact: false, errorBound: ε`. \
                          For networks where exact betweenness takes too long."
        )]
        error: Option<f64>,
        #[graphql(desc = "Page size (default 20).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<CentralityConnection> {
        let scope = RequestScope::of(ctx)?;
        let first = first_of(scope, first)?;
        let after = cursor_id(after.as_deref())?;
        let spec =
            NetworkSpec::resolve(&scope.graph, projection, filter, as_of, weighting, weighted)?;
        let (ranking, freshness) = ranking(scope, spec, kind, alpha, error).await?;
        let (window, page_info) = ranked_window(&ranking, first, after.as_deref())?;
        let edges = window
            .iter()
            .map(|r| {
                Ok(CentralityEdge {
                    cursor: cursor_of(&r.id),
                    node: node_of(scope, &r.id)?,
                    score: r.score,
                    rank: r.rank,
                    percentile: r.percentile,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(CentralityConnection {
            edges,
            page_info,
            total_count: ranking.entries.len(),
            freshness,
        })
    }

    /// The communities of a network (every node in exactly one), numbered largest first, with
    /// the partition's modularity and how many ties and cross-border ties fall inside
    /// communities. Computed once per graph version and arguments.
    #[graphql(complexity = "crate::schema::analytics::ANALYTICS_COST + child_complexity")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn communities(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How to find them (LOUVAIN when omitted).",
            default_with = "CommunityAlgorithm::Louvain"
        )]
        algorithm: CommunityAlgorithm,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: the resolution γ (0 or more; above 1 favours smaller communities).",
            default = 1.0
        )]
        resolution: f64,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: the seed of the visiting order (0 or more).",
            default = 0
        )]
        seed: i32,
        #[graphql(
            desc = "LEIDEN: runs of the whole algorithm, each starting from the last partition (2 when omitted, as igraph; 1–20); more can only keep or raise the modularity, each costing about as much as the first."
        )]
        iterations: Option<i32>,
        #[graphql(desc = "The network (INSTITUTIONS when omitted).", default)]
        projection: ProjectionKind,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<NetworkWhere>,
        #[graphql(desc = "The network as it stood in this year (1900–2100).")] as_of: Option<i32>,
        #[graphql(desc = "The blend of evidence into tie strength (INSTITUTIONS only).")]
        weighting: Option<WeightingInput>,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: use tie strengths (else every tie counts 1).",
            default = true
        )]
        weighted: bool,
    ) -> async_graphql::Result<Communities> {
        let scope = RequestScope::of(ctx)?;
        let args = CommunityArgs {
            algorithm,
            resolution,
            seed,
            iterations,
            projection,
            filter,
            as_of,
            weighting,
            weighted,
        };
        let (result, freshness) = community_result(scope, args).await?;
        Ok(Communities { result, freshness })
    }

    /// The shape of a network: connected components, bridges and articulation points (single
    /// points of failure) with what their loss would split off, the innermost k-core,
    /// transitivity. Weights are ignored (a tie exists or not). Computed once per graph
    /// version and arguments.
    #[graphql(complexity = "crate::schema::analytics::ANALYTICS_COST + child_complexity")]
    async fn structure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The network (INSTITUTIONS when omitted).", default)]
        projection: ProjectionKind,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<NetworkWhere>,
        #[graphql(desc = "The network as it stood in this year (1900–2100).")] as_of: Option<i32>,
        #[graphql(
            desc = "The blend of evidence (INSTITUTIONS only): a weight of 0 leaves that \
                          evidence out, and the ties resting on it alone."
        )]
        weighting: Option<WeightingInput>,
    ) -> async_graphql::Result<Structure> {
        let scope = RequestScope::of(ctx)?;
        let spec = NetworkSpec::resolve(&scope.graph, projection, filter, as_of, weighting, false)?;
        let mut key = spec.parameters();
        key["weighted"] = serde_json::Value::Null;
        let (result, freshness) = compute(scope, ComputeKey::new("structure", key), move |graph| {
            Ok(StructureResult::build(&spec.build(graph)?))
        })
        .await?;
        Ok(Structure { result, freshness })
    }

    /// Who brokers between groups (Gould & Fernandez 1989): for each node located in exactly
    /// one group, the pairs of its partners — not tied to each other — that it links, by
    /// role; ranked by the total, most first (ties by id). Weights are ignored. Computed once
    /// per graph version and arguments.
    #[graphql(complexity = "crate::schema::analytics::analytics_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn brokerage(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The groups (JURISDICTION when omitted).",
            default_with = "BrokerageGroups::Jurisdiction"
        )]
        groups: BrokerageGroups,
        #[graphql(desc = "The network (INSTITUTIONS when omitted).", default)]
        projection: ProjectionKind,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<NetworkWhere>,
        #[graphql(desc = "The network as it stood in this year (1900–2100).")] as_of: Option<i32>,
        #[graphql(desc = "Page size (default 20).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<BrokerageConnection> {
        let scope = RequestScope::of(ctx)?;
        let first = first_of(scope, first)?;
        let after = cursor_id(after.as_deref())?;
        let spec = NetworkSpec::resolve(&scope.graph, projection, filter, as_of, None, false)?;
        let mut key = spec.parameters();
        key["weighted"] = serde_json::Value::Null;
        key["groups"] = json!(match groups {
            BrokerageGroups::Region => "REGION",
            BrokerageGroups::Jurisdiction => "JURISDICTION",
        });
        let (result, freshness) = compute(scope, ComputeKey::new("brokerage", key), move |graph| {
            let network = spec.build(graph)?;
            let roles = match groups {
                BrokerageGroups::Region => {
                    algo::brokerage(&network, |id| algo::region_group(graph, id))
                }
                BrokerageGroups::Jurisdiction => {
                    algo::brokerage(&network, |id| algo::jurisdiction_group(graph, id))
                }
            };
            let roles: HashMap<Id, algo::Roles> = roles
                .iter()
                .filter_map(|(id, r)| Some((id.clone(), r?)))
                .collect();
            let ranking = Ranking::new(roles.iter().map(|(id, r)| (id, r.total as f64)));
            Ok(BrokerageResult { ranking, roles })
        })
        .await?;
        let (window, page_info) = ranked_window(&result.ranking, first, after.as_deref())?;
        let edges = window
            .iter()
            .map(|r| {
                let roles = result.roles.get(&r.id).copied().unwrap_or_default();
                Ok(BrokerageEdge {
                    cursor: cursor_of(&r.id),
                    node: node_of(scope, &r.id)?,
                    rank: r.rank,
                    percentile: r.percentile,
                    total: roles.total,
                    coordinator: roles.coordinator,
                    itinerant: roles.itinerant,
                    gatekeeper: roles.gatekeeper,
                    representative: roles.representative,
                    liaison: roles.liaison,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(BrokerageConnection {
            edges,
            page_info,
            total_count: result.ranking.entries.len(),
            freshness,
        })
    }
}

/// How to find communities.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommunityAlgorithm {
    /// Louvain (Blondel et al. 2008): greedy modularity optimisation at `resolution`, the
    /// visiting order seeded by `seed` (same seed, same partition).
    Louvain,
    /// Leiden (Traag, Waltman & van Eck 2019): Louvain's moves plus a refinement that keeps
    /// every community well connected; `resolution`, `seed` as for Louvain, randomness 0.01.
    Leiden,
    /// Semi-synchronous label propagation (Cordasco & Gargano 2010): fully determined by the
    /// network; ignores `resolution`, `seed` and weights.
    LabelPropagation,
}

impl CommunityAlgorithm {
    fn code(self) -> &'static str {
        match self {
            CommunityAlgorithm::Louvain => "LOUVAIN",
            CommunityAlgorithm::Leiden => "LEIDEN",
            CommunityAlgorithm::LabelPropagation => "LABEL_PROPAGATION",
        }
    }
}

/// A partition into communities, as cached: numbered largest first (equal sizes: the one
/// whose first member comes first in id order).
#[derive(Debug)]
pub(crate) struct CommunityResult {
    modularity: f64,
    resolution: f64,
    members: Vec<Vec<Id>>,
    /// Each node's community: its index in `members` (for the per-node `community`).
    of: HashMap<Id, usize>,
    /// Ties inside one community, and all ties.
    inside: usize,
    ties: usize,
    /// Cross-border ties inside one community, and all cross-border ties.
    cross_inside: usize,
    cross: usize,
}

/// The communities of a network.
#[derive(Debug)]
pub struct Communities {
    result: Arc<CommunityResult>,
    freshness: Freshness,
}

/// The communities of a network, with the modularity of the partition.
#[Object]
impl Communities {
    /// Newman's modularity of the partition at its resolution, with the weights used: above 0
    /// when there are more ties inside communities than chance would give.
    async fn modularity(&self) -> f64 {
        self.result.modularity
    }

    /// The resolution the modularity is measured at (1 for label propagation).
    async fn resolution(&self) -> f64 {
        self.result.resolution
    }

    /// How many communities (a node with no tie is one of its own).
    async fn count(&self) -> usize {
        self.result.members.len()
    }

    /// The share of ties that lie inside a community (0 when there are no ties).
    async fn inside_share(&self) -> f64 {
        share(self.result.inside, self.result.ties)
    }

    /// The share of cross-border ties (ends in different jurisdictions) that lie inside a
    /// community: low when communities follow the borders (0 when there are no such ties).
    async fn cross_border_inside_share(&self) -> f64 {
        share(self.result.cross_inside, self.result.cross)
    }

    /// The communities, largest first, paged forward (`first`, default 20; `after`).
    #[graphql(complexity = "crate::schema::list::page_cost(first, None, child_complexity)")]
    async fn communities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size (default 20).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<CommunityConnection> {
        let scope = RequestScope::of(ctx)?;
        let first = first_of(scope, first)?;
        let n = self.result.members.len();
        let start = match after.as_deref() {
            None => 0,
            Some(cursor) => decode_text(cursor)
                .and_then(|t| t.strip_prefix("community:")?.parse::<usize>().ok())
                .filter(|&i| i < n)
                .map(|i| i + 1)
                .ok_or_else(|| ApiError::BadCursor {
                    argument: "after",
                    reason: "not a cursor of these communities".to_owned(),
                })?,
        };
        let end = (start + first).min(n);
        let cursor = |i: usize| encode_text(&format!("community:{i}"));
        Ok(CommunityConnection {
            edges: (start..end)
                .map(|i| CommunityEdge {
                    cursor: cursor(i),
                    node: Community {
                        id: i,
                        result: Arc::clone(&self.result),
                    },
                })
                .collect(),
            page_info: PageInfo {
                has_previous_page: start > 0,
                has_next_page: end < n,
                start_cursor: (start < end).then(|| cursor(start)),
                end_cursor: (start < end).then(|| cursor(end - 1)),
            },
            total_count: n,
        })
    }

    /// The graph version, time and parameters of the computation.
    async fn freshness(&self) -> &Freshness {
        &self.freshness
    }
}

/// `part / whole`, 0 for an empty whole.
fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// A page of communities.
#[derive(SimpleObject, Debug)]
pub struct CommunityConnection {
    /// The communities of this page, largest first.
    pub edges: Vec<CommunityEdge>,
    /// Whether there are more, and the cursors to continue from.
    pub page_info: PageInfo,
    /// How many communities there are.
    pub total_count: usize,
}

/// A community in a page, with its cursor.
#[derive(SimpleObject, Debug)]
pub struct CommunityEdge {
    /// An opaque cursor: pass it as `after` to continue after this community.
    pub cursor: String,
    /// The community.
    pub node: Community,
}

/// One community: a set of nodes more tied to each other than to the rest.
#[derive(Debug)]
pub struct Community {
    id: usize,
    result: Arc<CommunityResult>,
}

/// One community: a set of nodes more tied to each other than to the rest.
#[Object]
impl Community {
    /// Its number: 0 for the largest, counting up (stable for the same partition).
    async fn id(&self) -> usize {
        self.id
    }

    /// How many members it has.
    async fn size(&self) -> usize {
        self.result.members.get(self.id).map_or(0, Vec::len)
    }

    /// Its members in id order, the first `first` (default 20, at most the maximum page
    /// size).
    #[graphql(complexity = "crate::schema::list::page_cost(first, None, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (default 20).")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<NodeInterface>> {
        let scope = RequestScope::of(ctx)?;
        let first = first_of(scope, first)?;
        let members = self
            .result
            .members
            .get(self.id)
            .map_or(&[][..], Vec::as_slice);
        Ok(members
            .iter()
            .take(first)
            .map(|id| node_of(scope, id))
            .collect::<Result<_, _>>()?)
    }
}

/// The arguments of the root `communities` field, which the per-node `community` fields
/// take too.
#[derive(Debug)]
struct CommunityArgs {
    algorithm: CommunityAlgorithm,
    resolution: f64,
    seed: i32,
    iterations: Option<i32>,
    projection: ProjectionKind,
    filter: Option<NetworkWhere>,
    as_of: Option<i32>,
    weighting: Option<WeightingInput>,
    weighted: bool,
}

/// The partition `args` asks for: computed once per graph version and parameters and shared
/// by the root `communities` field and every node's `community` (one cache key for both).
async fn community_result(
    scope: &RequestScope,
    args: CommunityArgs,
) -> Result<(Arc<CommunityResult>, Freshness), ApiError> {
    let CommunityArgs {
        algorithm,
        resolution,
        seed,
        iterations,
        projection,
        filter,
        as_of,
        weighting,
        weighted,
    } = args;
    let params = community_params(algorithm, resolution, seed, weighted)?;
    let iterations = leiden_iterations(algorithm, iterations)?;
    let mut spec = NetworkSpec::resolve(
        &scope.graph,
        projection,
        filter,
        as_of,
        weighting,
        params.weighted,
    )?;
    spec.weighted = params.weighted;
    let mut key = spec.parameters();
    key["algorithm"] = json!(algorithm.code());
    key["resolution"] = json!(params.resolution);
    key["seed"] = json!(params.seed);
    if matches!(algorithm, CommunityAlgorithm::Leiden) {
        key["iterations"] = json!(iterations);
    }
    compute(scope, ComputeKey::new("communities", key), move |graph| {
        let network = spec.build(graph)?;
        find_communities(graph, &network, algorithm, &params, iterations)
    })
    .await
}

/// The per-node `community` field of institutions, labs and people: the node's community in
/// the partition the root `communities` field gives for the same arguments (the same
/// numbering; computed once per version and parameters, shared by every node), or null when
/// the node is not in the network (left out by `where`, or a lab not yet founded `asOf`).
/// A `projection` of `None` is the node kind's own network.
#[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
pub(crate) async fn node_community(
    ctx: &Context<'_>,
    id: &Id,
    node_kind: NodeKind,
    algorithm: CommunityAlgorithm,
    resolution: f64,
    seed: i32,
    iterations: Option<i32>,
    projection: Option<ProjectionKind>,
    filter: Option<NetworkWhere>,
    as_of: Option<i32>,
    weighting: Option<WeightingInput>,
    weighted: bool,
) -> async_graphql::Result<Option<Community>> {
    let scope = RequestScope::of(ctx)?;
    let projection = ProjectionKind::for_node(projection, node_kind)?;
    let args = CommunityArgs {
        algorithm,
        resolution,
        seed,
        iterations,
        projection,
        filter,
        as_of,
        weighting,
        weighted,
    };
    let (result, _freshness) = community_result(scope, args).await?;
    let index = result.of.get(id).copied();
    Ok(index.map(|id| Community { id, result }))
}

/// The partition of `network` by `algorithm`, with the tie shares.
fn find_communities(
    graph: &Graph,
    network: &Network,
    algorithm: CommunityAlgorithm,
    params: &algo::LouvainParams,
    iterations: usize,
) -> Result<CommunityResult, ApiError> {
    let partition = match algorithm {
        CommunityAlgorithm::Louvain => {
            algo::louvain(network, params).map_err(|e| algorithm_error("resolution", e))?
        }
        CommunityAlgorithm::Leiden => algo::leiden(
            network,
            &algo::LeidenParams {
                resolution: params.resolution,
                weighted: params.weighted,
                seed: params.seed,
                iterations,
                ..algo::LeidenParams::default()
            },
        )
        .map_err(|e| algorithm_error("resolution", e))?,
        CommunityAlgorithm::LabelPropagation => {
            algo::label_propagation(network).map_err(|e| algorithm_error("algorithm", e))?
        }
    };
    let mut members = partition.communities();
    for community in &mut members {
        community.sort();
    }
    let of = members
        .iter()
        .enumerate()
        .flat_map(|(index, ids)| ids.iter().map(move |id| (id.clone(), index)))
        .collect();
    let (mut inside, mut ties, mut cross_inside, mut cross) = (0, 0, 0, 0);
    for (a, b, _) in network.edges() {
        let same = partition.community(a.as_str()) == partition.community(b.as_str());
        let border = is_cross_border(graph, a, b);
        ties += 1;
        inside += usize::from(same);
        cross += usize::from(border);
        cross_inside += usize::from(same && border);
    }
    Ok(CommunityResult {
        modularity: partition.modularity(),
        resolution: partition.resolution(),
        members,
        of,
        inside,
        ties,
        cross_inside,
        cross,
    })
}

/// Whether a tie joins different jurisdictions (both ends located, the union of their
/// jurisdictions more than one), as the projections' `crossBorderOnly` reads it.
fn is_cross_border(graph: &Graph, a: &Id, b: &Id) -> bool {
    let (ja, jb) = (
        graph.jurisdictions_of(a.as_str()),
        graph.jurisdictions_of(b.as_str()),
    );
    !ja.is_empty()
        && !jb.is_empty()
        && labgraph_domain::TieClass::of(ja.iter().chain(&jb).copied())
            .is_some_and(labgraph_domain::TieClass::is_cross_border)
}

/// What removing one node or tie would split off, and the cohesive centre: one computation
/// per network.
#[derive(Debug)]
pub(crate) struct StructureResult {
    nodes: usize,
    ties: usize,
    /// Component sizes, largest first.
    components: Vec<usize>,
    /// Bridges as (a, b, side of a, side of b), most balanced (largest smaller side) first.
    bridges: Vec<(Id, Id, usize, usize)>,
    /// Articulation points with the sizes of the pieces they leave (largest first), those
    /// cutting off the most nodes from their largest piece first.
    points: Vec<(Id, Vec<usize>)>,
    max_core: usize,
    /// The members of the innermost (max) core, in id order.
    core: Vec<Id>,
    transitivity: f64,
    average_clustering: f64,
}

impl StructureResult {
    fn build(network: &Network) -> StructureResult {
        let components: Vec<usize> = algo::connected_components(network)
            .iter()
            .map(Vec::len)
            .collect();
        let cuts = algo::cuts(network);
        let mut bridges: Vec<(Id, Id, usize, usize)> = cuts
            .bridges()
            .map(|b| {
                let (x, y) = b.ends();
                let (sx, sy) = b.sides();
                // Which side holds which end: the side containing `x` is x's.
                let (side_x, side_y) = if sx.contains(x.as_str()) {
                    (sx.len(), sy.len())
                } else {
                    (sy.len(), sx.len())
                };
                (x.clone(), y.clone(), side_x, side_y)
            })
            .collect();
        bridges.sort_by(|p, q| {
            q.2.min(q.3)
                .cmp(&p.2.min(p.3))
                .then_with(|| (&p.0, &p.1).cmp(&(&q.0, &q.1)))
        });
        let mut points: Vec<(Id, Vec<usize>)> = cuts
            .articulation_points()
            .map(|p| {
                let mut sizes = p.sizes();
                sizes.sort_unstable_by(|a, b| b.cmp(a));
                (p.node().clone(), sizes)
            })
            .collect();
        let cut_off = |sizes: &[usize]| sizes.iter().skip(1).sum::<usize>();
        points.sort_by(|p, q| {
            cut_off(&q.1)
                .cmp(&cut_off(&p.1))
                .then_with(|| p.0.cmp(&q.0))
        });
        let cores = algo::core_number(network);
        let max_core = cores.iter().map(|(_, c)| c).fold(0.0_f64, f64::max);
        let mut core: Vec<Id> = cores
            .iter()
            .filter(|&(_, c)| c == max_core && max_core > 0.0)
            .map(|(id, _)| id.clone())
            .collect();
        core.sort();
        let clustering = algo::clustering(network);
        let average_clustering = if clustering.is_empty() {
            0.0
        } else {
            clustering.sum() / clustering.len() as f64
        };
        StructureResult {
            nodes: network.node_count(),
            ties: network.edge_count(),
            components,
            bridges,
            points,
            max_core: max_core as usize,
            core,
            transitivity: algo::transitivity(network),
            average_clustering,
        }
    }
}

/// The shape of a network: components, single points of failure, the cohesive centre.
#[derive(Debug)]
pub struct Structure {
    result: Arc<StructureResult>,
    freshness: Freshness,
}

/// The connected components of a network.
#[derive(SimpleObject, Debug)]
pub struct Components {
    /// How many (a node with no tie is one of its own).
    pub count: usize,
    /// The size of the largest (0 for an empty network).
    pub largest: usize,
    /// The sizes, largest first: the first `first` of them.
    pub sizes: Vec<usize>,
}

/// A tie whose removal splits its component in two.
#[derive(SimpleObject, Debug)]
pub struct Bridge {
    /// One end.
    pub a: NodeInterface,
    /// The other end.
    pub b: NodeInterface,
    /// The sizes of the two sides the component falls into without the tie: `a`'s side,
    /// then `b`'s.
    pub sides: Vec<usize>,
}

/// A node whose removal splits its component: a single point of failure.
#[derive(SimpleObject, Debug)]
pub struct ArticulationPoint {
    /// The node.
    pub node: NodeInterface,
    /// The sizes of the pieces its component falls into without it, largest first.
    pub pieces: Vec<usize>,
    /// How many nodes would lose their connection to the largest piece: the sum of all
    /// pieces but the largest.
    pub cut_off: usize,
}

/// The innermost k-core: the largest k for which a subnetwork exists where every member has
/// at least k ties inside it.
#[derive(Debug)]
pub struct KCore {
    result: Arc<StructureResult>,
}

/// The innermost k-core of a network.
#[Object]
impl KCore {
    /// Its k: the largest core number (0 for a network with no tie).
    async fn max_core(&self) -> usize {
        self.result.max_core
    }

    /// How many nodes it has (0 when there are no ties).
    async fn size(&self) -> usize {
        self.result.core.len()
    }

    /// Its members in id order, the first `first` (default 20).
    #[graphql(complexity = "crate::schema::list::page_cost(first, None, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (default 20).")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<NodeInterface>> {
        let scope = RequestScope::of(ctx)?;
        let first = first_of(scope, first)?;
        Ok(self
            .result
            .core
            .iter()
            .take(first)
            .map(|id| node_of(scope, id))
            .collect::<Result<_, _>>()?)
    }
}

/// The shape of a network.
#[Object]
impl Structure {
    /// How many nodes the network has.
    async fn node_count(&self) -> usize {
        self.result.nodes
    }

    /// How many ties it has.
    async fn tie_count(&self) -> usize {
        self.result.ties
    }

    /// Its connected components; `sizes` lists the first `first` (default 20).
    async fn components(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many sizes to list (default 20).")] first: Option<i32>,
    ) -> async_graphql::Result<Components> {
        let scope = RequestScope::of(ctx)?;
        let first = first_of(scope, first)?;
        let sizes = &self.result.components;
        Ok(Components {
            count: sizes.len(),
            largest: sizes.first().copied().unwrap_or(0),
            sizes: sizes.iter().take(first).copied().collect(),
        })
    }

    /// How many bridges there are.
    async fn bridge_count(&self) -> usize {
        self.result.bridges.len()
    }

    /// The bridges, those with the largest smaller side first (the ties whose loss would split
    /// off the most), then by their ends' ids: the first `first` (default 20).
    #[graphql(complexity = "crate::schema::list::page_cost(first, None, child_complexity)")]
    async fn bridges(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (default 20).")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<Bridge>> {
        let scope = RequestScope::of(ctx)?;
        let first = first_of(scope, first)?;
        Ok(self
            .result
            .bridges
            .iter()
            .take(first)
            .map(|(a, b, sa, sb)| {
                Ok(Bridge {
                    a: node_of(scope, a)?,
                    b: node_of(scope, b)?,
                    sides: vec![*sa, *sb],
                })
            })
            .collect::<Result<_, ApiError>>()?)
    }

    /// How many articulation points there are.
    async fn articulation_point_count(&self) -> usize {
        self.result.points.len()
    }

    /// The articulation points (single points of failure), those cutting the most nodes off
    /// first, then by id: the first `first` (default 20).
    #[graphql(complexity = "crate::schema::list::page_cost(first, None, child_complexity)")]
    async fn articulation_points(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (default 20).")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<ArticulationPoint>> {
        let scope = RequestScope::of(ctx)?;
        let first = first_of(scope, first)?;
        Ok(self
            .result
            .points
            .iter()
            .take(first)
            .map(|(id, pieces)| {
                Ok(ArticulationPoint {
                    node: node_of(scope, id)?,
                    cut_off: pieces.iter().skip(1).sum(),
                    pieces: pieces.clone(),
                })
            })
            .collect::<Result<_, ApiError>>()?)
    }

    /// The innermost k-core.
    async fn k_core(&self) -> KCore {
        KCore {
            result: Arc::clone(&self.result),
        }
    }

    /// Transitivity (Newman et al. 2001): the share of connected triples that are closed
    /// triangles, over the whole network (0 without triples).
    async fn transitivity(&self) -> f64 {
        self.result.transitivity
    }

    /// The mean of the nodes' local clustering coefficients (0 for an empty network).
    async fn average_clustering(&self) -> f64 {
        self.result.average_clustering
    }

    /// The graph version, time and parameters of the computation.
    async fn freshness(&self) -> &Freshness {
        &self.freshness
    }
}

/// The groups brokerage roles are counted between.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokerageGroups {
    /// The six regions (HK, Macao, and Guangdong's four).
    Region,
    /// The three jurisdictions (Mainland, Hong Kong, Macao).
    Jurisdiction,
}

/// Brokerage roles of every grouped node, ranked by their total.
#[derive(Debug)]
pub(crate) struct BrokerageResult {
    ranking: Ranking,
    roles: HashMap<Id, algo::Roles>,
}

/// A node ranked by brokerage, with its roles.
#[derive(SimpleObject, Debug)]
pub struct BrokerageEdge {
    /// An opaque cursor: pass it as `after` to continue after this node.
    pub cursor: String,
    /// The node.
    pub node: NodeInterface,
    /// Its competition rank by `total` ("1224").
    pub rank: usize,
    /// The share of the other ranked nodes with a strictly lower total, in percent.
    pub percentile: f64,
    /// Pairs of its partners, not tied to each other, that it links (each pair once): the sum
    /// of the roles below, counting gatekeeper and representative once.
    pub total: u64,
    /// All three in one group: brokering inside a group.
    pub coordinator: u64,
    /// The two partners in one group, the node in another (Gould & Fernandez's itinerant,
    /// or consultant).
    pub itinerant: u64,
    /// Exactly one partner in the node's group: letting an outsider in (on undirected ties the
    /// same pairs as `representative`).
    pub gatekeeper: u64,
    /// The same pairs as `gatekeeper`, read the other way: speaking for its group outside.
    pub representative: u64,
    /// All three in different groups.
    pub liaison: u64,
}

/// Nodes ranked by brokerage between groups, most pairs linked first.
#[derive(SimpleObject, Debug)]
pub struct BrokerageConnection {
    /// The nodes of this page, most brokering first.
    pub edges: Vec<BrokerageEdge>,
    /// Whether there are more, and the cursors to continue from.
    pub page_info: PageInfo,
    /// How many nodes are ranked (those located in exactly one group).
    pub total_count: usize,
    /// The graph version, time and parameters of the computation.
    pub freshness: Freshness,
}

/// Most Leiden runs one request may ask for: each costs about a full run.
const MAX_LEIDEN_ITERATIONS: i32 = 20;

/// The runs of Leiden `iterations` asks for: LeidenParams' default when omitted; 0 for the
/// other algorithms, which take none (their cache key and parameters leave it out). Outside
/// 1–20, or given for another algorithm: `VALIDATION_FAILED` naming `iterations`.
fn leiden_iterations(
    algorithm: CommunityAlgorithm,
    iterations: Option<i32>,
) -> Result<usize, ApiError> {
    match (algorithm, iterations) {
        (CommunityAlgorithm::Leiden, None) => Ok(algo::LeidenParams::default().iterations),
        (CommunityAlgorithm::Leiden, Some(n)) if (1..=MAX_LEIDEN_ITERATIONS).contains(&n) => {
            Ok(n as usize)
        }
        (CommunityAlgorithm::Leiden, Some(n)) => Err(ApiError::validation(
            "iterations",
            format!("{n} is out of range; Leiden runs 1 to {MAX_LEIDEN_ITERATIONS} times"),
        )),
        (_, None) => Ok(0),
        (other, Some(_)) => Err(ApiError::validation(
            "iterations",
            format!("only LEIDEN runs in iterations, not {}", other.code()),
        )),
    }
}

/// Checks `resolution` and `seed` of `communities`.
fn community_params(
    algorithm: CommunityAlgorithm,
    resolution: f64,
    seed: i32,
    weighted: bool,
) -> Result<algo::LouvainParams, ApiError> {
    if !(resolution.is_finite() && resolution >= 0.0) {
        return Err(ApiError::validation(
            "resolution",
            format!("{resolution} is negative; a resolution is 0 or more"),
        ));
    }
    let seed = u64::try_from(seed).map_err(|_| {
        ApiError::validation("seed", format!("{seed} is negative; a seed is 0 or more"))
    })?;
    Ok(match algorithm {
        CommunityAlgorithm::Louvain | CommunityAlgorithm::Leiden => algo::LouvainParams {
            resolution,
            weighted,
            seed,
        },
        // Fixed by the algorithm: one cache entry whatever was passed.
        CommunityAlgorithm::LabelPropagation => algo::LouvainParams {
            resolution: 1.0,
            weighted: false,
            seed: 0,
        },
    })
}
