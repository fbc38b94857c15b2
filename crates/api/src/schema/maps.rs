//! `MapsQuery`: map views of labgraph-insights as GraphQL fields — `subgraph`, the
//! neighbourhood of some nodes with every edge among them (not a tree), community ids,
//! degrees, deterministic layout coordinates and a Cytoscape.js export — computed once per
//! graph version and arguments through [`super::compute`] and stamped with its [`Freshness`].

use std::sync::Arc;

use async_graphql::{Context, ID, Json, Object};
use labgraph_domain::{Graph, Id};
use labgraph_insights::subgraph::{self as domain, MAX_NODES, Subgraph as DomainSubgraph};
use serde_json::json;

use super::compute::{ComputeKey, Freshness, compute};
use super::enums::EdgeKind;
use super::error::ApiError;
use super::nodes::NodeInterface;
use super::scope::RequestScope;

/// What a root field of this family costs beyond its selection: it may start a whole-graph
/// computation (the community detection), as the analytics and answers fields do.
const MAPS_COST: usize = 50;

/// Map views, merged into the root `Query`.
#[derive(Debug, Default, Clone, Copy)]
pub struct MapsQuery;

/// A neighbourhood to draw: nodes and every edge among them.
#[derive(Debug)]
pub struct Subgraph {
    subgraph: Arc<DomainSubgraph>,
    graph: Arc<Graph>,
    freshness: Freshness,
}

/// One node of a map, with where to draw it.
#[derive(Debug)]
pub struct MapNode {
    index: usize,
    subgraph: Arc<DomainSubgraph>,
    graph: Arc<Graph>,
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
    /// `cytoscape({ elements, layout: { name: "preset" } })`.
    async fn cytoscape(&self) -> Json<serde_json::Value> {
        Json(domain::to_cytoscape(&self.subgraph))
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
}

#[Object]
impl MapsQuery {
    /// The nodes within `depth` hops of the `around` nodes over edges of every kind (holding
    /// in `asOf` when given), with every edge among them, community ids, degrees and
    /// deterministic layout coordinates. `NOT_FOUND` for an unknown id; `VALIDATION_FAILED`
    /// for an empty `around`, `depth` outside 1..=3, `maxNodes` outside 1..=1000, a year out
    /// of range, or more than `maxNodes` nodes in reach.
    #[graphql(complexity = "MAPS_COST + child_complexity")]
    async fn subgraph(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The nodes the map is centred on.")] around: Vec<ID>,
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
        domain::check_arguments(&around, depth_arg, as_of, max_nodes_arg)
            .map_err(ApiError::from)?;
        let key = ComputeKey::new(
            "subgraph",
            json!({
                "around": around.iter().map(Id::as_str).collect::<Vec<_>>(),
                "depth": depth_arg,
                "asOf": as_of,
                "maxNodes": max_nodes_arg,
            }),
        );
        let (subgraph, freshness) = compute(scope, key, move |graph| {
            domain::subgraph(graph, &around, depth_arg, as_of, max_nodes_arg)
                .map_err(ApiError::from)
        })
        .await?;
        Ok(Subgraph {
            subgraph,
            graph: Arc::clone(&scope.graph),
            freshness,
        })
    }
}
