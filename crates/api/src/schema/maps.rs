//! `MapsQuery`: map views of labgraph-insights as GraphQL fields — `subgraph`, the
//! neighbourhood of some nodes (or every node passing `where`) with every edge among them (not
//! a tree), community ids, degrees, centralities, deterministic layout coordinates and
//! Cytoscape.js, GEXF and GraphML exports — computed once per graph version and arguments
//! through [`super::compute`] and stamped with its [`Freshness`]. Centralities come from the
//! same cached rankings as every node's `centrality` (`super::analytics::node_centrality`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Json, Object};
use labgraph_domain::{Graph, Id, Node};
use labgraph_insights::subgraph::{self as domain, MAX_NODES, Subgraph as DomainSubgraph};
use serde_json::json;

use super::analytics::{
    CentralityKind, NetworkWhere, NodeCentrality, ProjectionKind, node_centrality,
};
use super::compute::{ComputeKey, Freshness, compute};
use super::enums::{EdgeKind, EdgeRole, Jurisdiction, NodeKind, Region, TalentMode, TieClass};
use super::error::ApiError;
use super::list::{NodeFilter, refs};
use super::neighbours::edge_tie_class;
use super::nodes::{NodeInterface, Provenance};
use super::scope::RequestScope;

/// What a root field of this family costs beyond its selection: it may start a whole-graph
/// computation (the community detection), as the analytics and answers fields do.
const MAPS_COST: usize = 50;

/// Map views, merged into the root `Query`.
#[derive(Debug, Default, Clone, Copy)]
pub struct MapsQuery;

/// Which nodes a map may hold. Every condition given must hold; a list matches any of its
/// values; an empty list matches nothing. The conditions are those of the root connections'
/// `where` (the same predicate, `NodeFilter`), over nodes of every kind.
#[derive(InputObject, Debug, Clone, Default)]
pub struct MapWhere {
    /// Only nodes of these kinds.
    pub kind: Option<Vec<NodeKind>>,
    /// Only nodes in these cities (city ids; a person is where their affiliations are, a lab
    /// without cities where its hosts are).
    pub city: Option<Vec<ID>>,
    /// Only nodes located in these regions.
    pub region: Option<Vec<Region>>,
    /// Only nodes located in these jurisdictions.
    pub jurisdiction: Option<Vec<Jurisdiction>>,
    /// Only nodes working (WORKS_ON) on these fields or fields below them, and those fields
    /// themselves (field ids).
    pub field: Option<Vec<ID>>,
    /// Only verified (true) or unverified (false) nodes.
    pub verified: Option<bool>,
    /// true: only cross-border labs (partners spanning two or more jurisdictions) and the
    /// institutions in one or with a cross-border COLLABORATES_WITH tie; false: only the
    /// other nodes.
    pub cross_border: Option<bool>,
}

/// A [`MapWhere`] checked against the snapshot: the kinds, and the rest as the root
/// connections' filter.
#[derive(Debug, Clone)]
struct MapFilter {
    kinds: Option<Vec<labgraph_domain::NodeKind>>,
    filter: NodeFilter,
}

impl MapFilter {
    fn keeps(&self, graph: &Graph, node: &Node) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.contains(&node.kind()))
            && self.filter.matches(graph, node)
    }
}

impl MapWhere {
    /// The canonical form of the conditions (lists sorted), for the computation's key and
    /// `freshness.parameters`.
    fn parameters(&self) -> serde_json::Value {
        fn sorted<T>(list: &Option<Vec<T>>, text: impl Fn(&T) -> String) -> Option<Vec<String>> {
            list.as_ref().map(|l| {
                let mut v: Vec<String> = l.iter().map(text).collect();
                v.sort();
                v.dedup();
                v
            })
        }
        json!({
            "kind": sorted(&self.kind, |k| labgraph_domain::NodeKind::from(*k).code().to_owned()),
            "city": sorted(&self.city, |c| c.to_string()),
            "region": sorted(&self.region, |r| Region::key((*r).into()).to_owned()),
            "jurisdiction": sorted(&self.jurisdiction, |j| Jurisdiction::key((*j).into()).to_owned()),
            "field": sorted(&self.field, |f| f.to_string()),
            "verified": self.verified,
            "crossBorder": self.cross_border,
        })
    }

    /// Checks the referenced cities and fields (`NOT_FOUND`, or `VALIDATION_FAILED` for an id
    /// of another kind), expands fields to their subtrees, and gives the filter the location
    /// facts its conditions need.
    async fn resolve(self, scope: &RequestScope) -> Result<MapFilter, ApiError> {
        let graph = &scope.graph;
        let fields: Option<HashSet<Id>> = match &self.field {
            Some(field) => {
                let ids = refs(
                    graph,
                    "where.field",
                    field,
                    labgraph_domain::NodeKind::Field,
                )?;
                Some(scope.derived().await?.subtree(ids))
            }
            None => None,
        };
        let cities = self
            .city
            .as_ref()
            .map(|c| {
                refs(graph, "where.city", c, labgraph_domain::NodeKind::City)
                    .map(|v| v.into_iter().collect::<HashSet<Id>>())
            })
            .transpose()?;
        let filter = NodeFilter {
            cities,
            regions: self.region.map(|l| l.into_iter().map(Into::into).collect()),
            jurisdictions: self
                .jurisdiction
                .map(|l| l.into_iter().map(Into::into).collect()),
            fields,
            verified: self.verified,
            cross_border: self.cross_border,
            ..NodeFilter::default()
        };
        let filter = if filter.needs_locations() {
            filter.with_locations(scope.locations().await?)
        } else {
            filter
        };
        filter.check_located()?;
        Ok(MapFilter {
            kinds: self.kind.map(|l| l.into_iter().map(Into::into).collect()),
            filter,
        })
    }
}

/// A neighbourhood to draw: nodes and every edge among them.
#[derive(Debug)]
pub struct Subgraph {
    subgraph: Arc<DomainSubgraph>,
    graph: Arc<Graph>,
    as_of: Option<i32>,
    freshness: Freshness,
}

/// One node of a map, with where to draw it.
#[derive(Debug)]
pub struct MapNode {
    index: usize,
    subgraph: Arc<DomainSubgraph>,
    graph: Arc<Graph>,
    as_of: Option<i32>,
}

impl Subgraph {
    /// The map with each node's score under `kind` in its default network as of the map's
    /// year, from the cached rankings (one computation per version and parameters).
    async fn with_centrality(
        &self,
        ctx: &Context<'_>,
        kind: CentralityKind,
    ) -> async_graphql::Result<DomainSubgraph> {
        let mut scores: HashMap<Id, f64> = HashMap::with_capacity(self.subgraph.nodes.len());
        for node in &self.subgraph.nodes {
            let score = match ProjectionKind::of_node(node.kind) {
                // CLUSTERING is refused on the bipartite network (0 for every node): labs
                // get none rather than failing the whole export.
                Some(ProjectionKind::InstitutionLabs) if kind == CentralityKind::Clustering => None,
                Some(projection) => node_centrality(
                    ctx,
                    &node.id,
                    node.kind,
                    kind,
                    Some(projection),
                    None,
                    self.as_of,
                    None,
                    true,
                )
                .await?
                .map(|c| c.score),
                None => None,
            };
            if let Some(score) = score {
                scores.insert(node.id.clone(), score);
            }
        }
        let measure = format!(
            "{} (institutions among institutions, labs in the institution-lab network, people \
             among people{})",
            kind.code(),
            self.as_of
                .map(|y| format!(", as of {y}"))
                .unwrap_or_default()
        );
        Ok(DomainSubgraph::clone(&self.subgraph)
            .with_centrality(measure, |id, _| scores.get(id).copied()))
    }
}

/// One edge of a map, in the direction it is stored (e.g. institution → lab).
#[derive(Debug)]
pub struct MapEdge {
    index: usize,
    subgraph: Arc<DomainSubgraph>,
}

/// A neighbourhood to draw: nodes and every edge among them, with layout coordinates.
#[Object]
impl Subgraph {
    /// The nodes, ordered by id.
    async fn nodes(&self) -> Vec<MapNode> {
        (0..self.subgraph.nodes.len())
            .map(|index| MapNode {
                index,
                subgraph: Arc::clone(&self.subgraph),
                graph: Arc::clone(&self.graph),
                as_of: self.as_of,
            })
            .collect()
    }

    /// Every edge with both ends among the nodes (holding in `asOf` when given), ordered by
    /// source, target and kind.
    async fn edges(&self) -> Vec<MapEdge> {
        (0..self.subgraph.edges.len())
            .map(|index| MapEdge {
                index,
                subgraph: Arc::clone(&self.subgraph),
            })
            .collect()
    }

    /// The same map as Cytoscape.js elements JSON (`{"elements": {"nodes": [{"data",
    /// "position"}], "edges": [{"data"}]}}`), positions in pixels (coordinates × 1000), for
    /// `cytoscape({ elements, layout: { name: "preset" } })`. Each node's `data` has its
    /// `centrality` under `centrality` (null outside that measure's network). Each edge's
    /// `data` has its `kind`, `role`, `since`, `until`, `weight` (1 when none is stored),
    /// `verified` and `provenance` (its provenance's source; `source` is the start node),
    /// null when unknown.
    #[graphql(complexity = "super::analytics::NODE_ANALYTICS_COST + child_complexity")]
    async fn cytoscape(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The measure written as each node's `centrality`, in its default network \
                    (institutions: INSTITUTIONS, labs: INSTITUTION_LABS, people: PEOPLE) as of \
                    the map's year.",
            default_with = "CentralityKind::Degree"
        )]
        centrality: CentralityKind,
    ) -> async_graphql::Result<Json<serde_json::Value>> {
        Ok(Json(domain::to_cytoscape(
            &self.with_centrality(ctx, centrality).await?,
        )))
    }

    /// The same map as GEXF 1.2 for Gephi: nodes with their kind, names (Chinese, English,
    /// Portuguese), community, degree and centrality as attributes and a `viz:position`
    /// (coordinates × 1000); edges with their weight (1 when none is stored) and their kind,
    /// role, since, until, weight, verified and source (provenance) as attributes, each only
    /// when known. Written by the same writer as `labgraph export --format gexf`.
    #[graphql(complexity = "super::analytics::NODE_ANALYTICS_COST + child_complexity")]
    async fn gexf(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The measure written as each node's `centrality` attribute (as in `cytoscape`).",
            default_with = "CentralityKind::Degree"
        )]
        centrality: CentralityKind,
    ) -> async_graphql::Result<String> {
        Ok(domain::to_gexf(
            &self.with_centrality(ctx, centrality).await?,
        ))
    }

    /// The same map as GraphML (yEd, Cytoscape desktop, NetworkX): the attributes of `gexf`,
    /// positions as `x` and `y` data. Written by the same writer as `labgraph export --format
    /// graphml`.
    #[graphql(complexity = "super::analytics::NODE_ANALYTICS_COST + child_complexity")]
    async fn graphml(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The measure written as each node's `centrality` attribute (as in `cytoscape`).",
            default_with = "CentralityKind::Degree"
        )]
        centrality: CentralityKind,
    ) -> async_graphql::Result<String> {
        Ok(domain::to_graphml(
            &self.with_centrality(ctx, centrality).await?,
        ))
    }

    /// When and from what the map was computed.
    async fn freshness(&self) -> &Freshness {
        &self.freshness
    }
}

impl MapNode {
    fn domain(&self) -> &domain::MapNode {
        &self.subgraph.nodes[self.index]
    }
}

/// One node of a map, with its community and where to draw it.
#[Object]
impl MapNode {
    /// The node.
    async fn node(&self) -> Option<NodeInterface> {
        self.graph
            .node(self.domain().id.as_str())
            .map(NodeInterface::of)
    }

    /// Its kind.
    async fn kind(&self) -> NodeKind {
        self.domain().kind.into()
    }

    /// Its community in the institution network (Louvain, seed 0, as of the same year); null
    /// for nodes outside that network (labs, people, fields, institutions without ties).
    /// Numbers are comparable within one map only.
    async fn community(&self) -> Option<usize> {
        self.domain().community
    }

    /// Edges of this map touching the node.
    async fn degree(&self) -> usize {
        self.domain().degree
    }

    /// Layout abscissa in [0, 1] (Fruchterman–Reingold from a fixed start: the same graph and
    /// arguments give the same coordinates).
    async fn x(&self) -> f64 {
        self.domain().x
    }

    /// Layout ordinate in [0, 1].
    async fn y(&self) -> f64 {
        self.domain().y
    }

    /// The node's centrality in a network (the same cached ranking as an institution's,
    /// lab's or person's own `centrality`, one computation per graph version and arguments
    /// shared by every node), as of the map's year; null for nodes outside the network
    /// (cities, fields, platforms; a kind the projection does not hold; left out by
    /// `where`).
    #[graphql(complexity = "super::analytics::NODE_ANALYTICS_COST + child_complexity")]
    async fn centrality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure.", default_with = "CentralityKind::Degree")]
        kind: CentralityKind,
        #[graphql(
            desc = "The network; when omitted, the node's own: INSTITUTIONS for institutions, \
                    INSTITUTION_LABS for labs, PEOPLE for people."
        )]
        projection: Option<ProjectionKind>,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<NetworkWhere>,
        #[graphql(
            desc = "Read tie strengths (see the root `centrality`).",
            default = true
        )]
        weighted: bool,
    ) -> async_graphql::Result<Option<NodeCentrality>> {
        let node = self.domain();
        let Some(projection) = projection.or_else(|| ProjectionKind::of_node(node.kind)) else {
            return Ok(None);
        };
        // A lab's default network is bipartite, where CLUSTERING is refused (0 for every
        // node): null, so that one measure can be asked of every node of a mixed map.
        if kind == CentralityKind::Clustering && projection == ProjectionKind::InstitutionLabs {
            return Ok(None);
        }
        if !projection.holds(node.kind) {
            return Ok(None);
        }
        node_centrality(
            ctx,
            &node.id,
            node.kind,
            kind,
            Some(projection),
            filter,
            self.as_of,
            None,
            weighted,
        )
        .await
    }
}

/// One edge of a map, in the direction it is stored (e.g. institution → lab).
#[Object]
impl MapEdge {
    /// The id of the edge's start.
    async fn source(&self) -> ID {
        ID(self.subgraph.edges[self.index].source.to_string())
    }

    /// The id of the edge's end.
    async fn target(&self) -> ID {
        ID(self.subgraph.edges[self.index].target.to_string())
    }

    /// The edge's kind.
    async fn kind(&self) -> EdgeKind {
        self.subgraph.edges[self.index].kind.into()
    }

    // The stored edge's properties, with the meaning and descriptions of `NeighbourEdge`'s
    // (tests/maps.rs checks the descriptions are the same).

    /// For PARTNER_IN (HOST, PARTNER) and MEMBER_OF (DIRECTOR, PI, MEMBER), when known.
    async fn role(&self) -> Option<EdgeRole> {
        self.stored().role.map(Into::into)
    }

    /// For AFFILIATED_WITH: the title or position, e.g. Professor.
    async fn title(&self) -> Option<&str> {
        self.stored().title.as_deref()
    }

    /// For AFFILIATED_WITH: true for the person's primary affiliation.
    async fn primary(&self) -> Option<bool> {
        self.stored().primary
    }

    /// For TALENT_LINK: the flexible talent mode.
    async fn mode(&self) -> Option<TalentMode> {
        self.stored().mode.map(Into::into)
    }

    /// First year the tie held, when known.
    async fn since(&self) -> Option<i32> {
        self.stored().since
    }

    /// Last year the tie held; null while it holds.
    async fn until(&self) -> Option<i32> {
        self.stored().until
    }

    /// How much the tie counts (joint papers or projects); null means 1.
    async fn weight(&self) -> Option<f64> {
        self.stored().weight
    }

    /// Where the edge is recorded.
    async fn provenance(&self) -> Provenance {
        (&self.stored().provenance).into()
    }

    /// The class of the edge by the jurisdictions of its two ends; null when an end's
    /// location is unknown or the edge leads to a field or platform (which have no side).
    async fn tie_class(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TieClass>> {
        edge_tie_class(ctx, self.stored())
    }
}

impl MapEdge {
    /// The stored edge this map edge draws.
    fn stored(&self) -> &labgraph_domain::Edge {
        &self.subgraph.edges[self.index].edge
    }
}

#[Object]
impl MapsQuery {
    /// The nodes within `depth` hops of the `around` nodes over edges of every kind (holding
    /// in `asOf` when given), with every edge among them, community ids, degrees,
    /// centralities and deterministic layout coordinates. With `where`, the map holds only
    /// the nodes passing it (the `around` nodes always), and hops step only onto such nodes;
    /// without `around`, it is every node of the graph passing `where`. `NOT_FOUND` for an
    /// unknown id (in `around` or `where`); `VALIDATION_FAILED` for neither `around` nor
    /// `where`, `depth` outside 1..=3, `maxNodes` outside 1..=1000, a year out of range, or
    /// more than `maxNodes` nodes on the map.
    #[graphql(complexity = "MAPS_COST + child_complexity")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn subgraph(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The nodes the map is centred on; none (with `where`) for a filtered map of \
                    the whole graph.",
            default
        )]
        around: Vec<ID>,
        #[graphql(
            name = "where",
            desc = "Which nodes the map may hold (besides `around`)."
        )]
        filter: Option<MapWhere>,
        #[graphql(desc = "Hops from `around`, 1 to 3.", default = 1)] depth: i32,
        #[graphql(desc = "Only edges holding in this year; every edge when absent.")] as_of: Option<
            i32,
        >,
        #[graphql(
            desc = "Most nodes the map may have (at most 1000); more in reach is an error.",
            default = 300
        )]
        max_nodes: i32,
    ) -> async_graphql::Result<Subgraph> {
        let scope = RequestScope::of(ctx)?;
        let around: Vec<Id> = around
            .iter()
            .enumerate()
            .map(|(i, id)| {
                Id::new(id.as_str()).map_err(|_| ApiError::NotFound {
                    argument: format!("around[{i}]"),
                    kind: "node",
                    id: id.to_string(),
                })
            })
            .collect::<Result<_, _>>()?;
        // Negative numbers are refused here, in the client's own words; the rest of the range
        // checks are the insights crate's.
        let depth_arg = u32::try_from(depth).map_err(|_| {
            ApiError::validation(
                "depth",
                format!("{depth} is outside 1..={}", domain::MAX_DEPTH),
            )
        })?;
        let max_nodes_arg = usize::try_from(max_nodes).map_err(|_| {
            ApiError::validation(
                "maxNodes",
                format!("{max_nodes} is outside 1..={MAX_NODES}"),
            )
        })?;
        // Checked first: a refused request starts no computation.
        domain::check_filtered_arguments(
            &around,
            filter.is_some(),
            depth_arg,
            as_of,
            max_nodes_arg,
        )
        .map_err(ApiError::from)?;
        let mut params = json!({
            "around": around.iter().map(Id::as_str).collect::<Vec<_>>(),
            "depth": depth_arg,
            "asOf": as_of,
            "maxNodes": max_nodes_arg,
        });
        // Only when given, so a map without `where` keeps the key it always had.
        if let Some(filter) = &filter {
            params["where"] = filter.parameters();
        }
        let key = ComputeKey::new("subgraph", params);
        let filter = match filter {
            Some(filter) => Some(filter.resolve(scope).await?),
            None => None,
        };
        let (subgraph, freshness) = compute(scope, key, move |graph| {
            let keep = filter
                .as_ref()
                .map(|f| move |node: &Node| f.keeps(graph, node));
            domain::subgraph_where(
                graph,
                &around,
                depth_arg,
                as_of,
                max_nodes_arg,
                keep.as_ref().map(|k| k as domain::Keep<'_>),
            )
            .map_err(ApiError::from)
        })
        .await?;
        Ok(Subgraph {
            subgraph,
            graph: Arc::clone(&scope.graph),
            as_of,
            freshness,
        })
    }
}
