//! `QueryRoot`: the entry points — Relay `node`/`nodes`, the six root connections, search,
//! roll-ups, tie pairs and statistics.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};
use labgraph_domain::{Graph, NodeKind as DomainNodeKind};

use super::enums::{EdgeKind, NodeKind, RollupLevel};
use super::error::ApiError;
use super::facts::Derived;
use super::fast::Fast;
use super::list::{
    CityConnection, CityOrder, CityWhere, FieldConnection, FieldOrder, FieldWhere,
    InstitutionConnection, InstitutionOrder, InstitutionWhere, LabConnection, LabOrder, LabWhere,
    Matches, NodeFilter, Order, Page, PageArgs, PersonConnection, PersonOrder, PersonWhere,
    PlatformConnection, PlatformOrder, PlatformWhere, SortField, Window, page_size,
};
use super::nodes::NodeInterface;
use super::rollup::{RollupRow, TiePair, rollup, tie_pairs};
use super::scope::RequestScope;

/// The root of every query. Every field of one request reads the same graph snapshot.
#[derive(Debug, Default, Clone, Copy)]
pub struct QueryRoot;

/// A search result.
#[derive(SimpleObject, Debug)]
pub struct SearchHit {
    /// The node found.
    pub node: NodeInterface,
    /// Relevance in [0, 1]; higher is better. Results come best first.
    pub score: f32,
    /// The name or alias that matched, as stored.
    pub matched: String,
}

/// Counts of nodes of one kind.
#[derive(SimpleObject, Debug)]
pub struct NodeCount {
    /// The kind.
    pub kind: NodeKind,
    /// How many nodes of that kind.
    pub count: usize,
}

/// Counts of edges of one kind.
#[derive(SimpleObject, Debug)]
pub struct EdgeCount {
    /// The kind.
    pub kind: EdgeKind,
    /// How many edges of that kind.
    pub count: usize,
}

/// Size of the graph.
#[derive(SimpleObject, Debug)]
pub struct GraphStats {
    /// The version of the snapshot this request read: 0 for an empty store, +1 per committed
    /// change. Every field of one response comes from this version.
    pub graph_version: u64,
    /// Nodes by kind, every kind listed.
    pub nodes: Vec<NodeCount>,
    /// Edges by kind, every kind listed.
    pub edges: Vec<EdgeCount>,
}

/// Fetches the field index only when a filter needs it.
async fn derived_if(scope: &RequestScope, needed: bool) -> Result<Option<Arc<Derived>>, ApiError> {
    if needed {
        scope.derived().await.map(Some)
    } else {
        Ok(None)
    }
}

/// Gives `filter` the location facts when a condition needs them (building them for this
/// version if no request has yet).
async fn located(scope: &RequestScope, filter: NodeFilter) -> Result<NodeFilter, ApiError> {
    if filter.needs_locations() {
        Ok(filter.with_locations(scope.locations().await?))
    } else {
        Ok(filter)
    }
}

/// One page of the nodes of `kind` that pass `filter`, in `order`.
///
/// Why three ways: with no condition and id order the graph's index answers in O(page); a list
/// already memoised for this version is cut in O(log m + page), right here on the async
/// worker; only when the list has to be collected (O(n) filter checks, a sort) is the work
/// sent off the async workers, and the list is memoised for the pages and counts after it.
async fn page(
    scope: &RequestScope,
    kind: DomainNodeKind,
    filter: NodeFilter,
    order: Order,
    args: PageArgs,
) -> Result<Page, ApiError> {
    let filter = located(scope, filter).await?;
    filter.check_located()?;
    let window = Window::new(&args, order, scope.max_page_size())?;
    if let Some(page) = window.cut_from_index(&scope.graph, kind, &filter) {
        return Ok(page);
    }
    let key = window.list_key(kind, &filter);
    let collect = || async move {
        // Only a centrality order reads scores: a whole-network computation, cached per
        // version.
        let ranking = match order.field {
            SortField::Centrality(centrality) => {
                Some(super::analytics::order_ranking(scope, kind, centrality).await?)
            }
            _ => None,
        };
        let graph: Arc<Graph> = Arc::clone(&scope.graph);
        tokio::task::spawn_blocking(move || {
            Matches::collect(&graph, kind, &filter, order, ranking.as_deref())
        })
        .await
        .map_err(|e| ApiError::internal(format!("paging {kind}s: {e}")))
    };
    // Memoised (and collected once for concurrent requests) unless it is an `ids` list.
    let matches = match key {
        Some(key) => {
            scope
                .shared
                .lists
                .get_or_collect(&scope.graph, key, collect)
                .await?
        }
        None => Arc::new(collect().await?),
    };
    Ok(window.cut(&matches))
}

/// The root of every query. Every field of one request reads the same graph snapshot.
#[Object]
impl QueryRoot {
    /// The node with this global id (its domain id, e.g. `hku`), or null when there is none.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id: the node's domain id.")] id: ID,
    ) -> async_graphql::Result<Fast<Option<NodeInterface>>> {
        let scope = RequestScope::of(ctx)?;
        Ok(Fast(scope.graph.node(id.as_str()).map(NodeInterface::of)))
    }

    /// The nodes with these global ids, in the order given; null for each unknown id. At most
    /// the maximum page size of ids (else PAGE_SIZE_EXCEEDED).
    #[graphql(complexity = "ids.len().max(1) * child_complexity + 1")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids (domain ids).")] ids: Vec<ID>,
    ) -> async_graphql::Result<Fast<Vec<Option<NodeInterface>>>> {
        let scope = RequestScope::of(ctx)?;
        if ids.len() > scope.max_page_size() {
            return Err(ApiError::PageSizeExceeded {
                argument: "ids",
                requested: ids.len(),
                max: scope.max_page_size(),
            }
            .into());
        }
        Ok(ids
            .iter()
            .map(|id| scope.graph.node(id.as_str()).map(NodeInterface::of))
            .collect())
    }

    /// Institutions, filtered, ordered and paged (Relay connection). A page holds `first`
    /// (default 20) or `last` items, at most the maximum page size (else PAGE_SIZE_EXCEEDED).
    #[graphql(complexity = "crate::schema::list::page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn institutions(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where", desc = "Which institutions.")] filter: Option<InstitutionWhere>,
        #[graphql(desc = "Their order (by id when omitted).")] order_by: Option<InstitutionOrder>,
        #[graphql(desc = "Page size counted from the start (or from `after`).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end (or from `before`).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<Fast<InstitutionConnection>> {
        let scope = RequestScope::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let derived = derived_if(scope, filter.field.is_some()).await?;
        let filter = filter.resolve(&scope.graph, derived.as_deref())?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = page(
            scope,
            DomainNodeKind::Institution,
            filter,
            order_by.into(),
            args,
        )
        .await?;
        Ok(Fast(InstitutionConnection::from_page(page)))
    }

    /// Labs, filtered, ordered and paged (Relay connection). A page holds `first` (default
    /// 20) or `last` items, at most the maximum page size (else PAGE_SIZE_EXCEEDED).
    #[graphql(complexity = "crate::schema::list::page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn labs(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where", desc = "Which labs.")] filter: Option<LabWhere>,
        #[graphql(desc = "Their order (by id when omitted).")] order_by: Option<LabOrder>,
        #[graphql(desc = "Page size counted from the start (or from `after`).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end (or from `before`).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<Fast<LabConnection>> {
        let scope = RequestScope::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let derived = derived_if(scope, filter.needs_fields()).await?;
        let filter = filter.resolve(&scope.graph, derived.as_deref())?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = page(scope, DomainNodeKind::Lab, filter, order_by.into(), args).await?;
        Ok(Fast(LabConnection::from_page(page)))
    }

    /// People, filtered, ordered and paged (Relay connection). A page holds `first` (default
    /// 20) or `last` items, at most the maximum page size (else PAGE_SIZE_EXCEEDED).
    #[graphql(complexity = "crate::schema::list::page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where", desc = "Which people.")] filter: Option<PersonWhere>,
        #[graphql(desc = "Their order (by id when omitted).")] order_by: Option<PersonOrder>,
        #[graphql(desc = "Page size counted from the start (or from `after`).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end (or from `before`).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<Fast<PersonConnection>> {
        let scope = RequestScope::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let derived = derived_if(scope, filter.field.is_some()).await?;
        let filter = filter.resolve(&scope.graph, derived.as_deref())?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = page(scope, DomainNodeKind::Person, filter, order_by.into(), args).await?;
        Ok(Fast(PersonConnection::from_page(page)))
    }

    /// Cities, filtered, ordered and paged (Relay connection). A page holds `first` (default
    /// 20) or `last` items, at most the maximum page size (else PAGE_SIZE_EXCEEDED).
    #[graphql(complexity = "crate::schema::list::page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn cities(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where", desc = "Which cities.")] filter: Option<CityWhere>,
        #[graphql(desc = "Their order (by id when omitted).")] order_by: Option<CityOrder>,
        #[graphql(desc = "Page size counted from the start (or from `after`).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end (or from `before`).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<Fast<CityConnection>> {
        let scope = RequestScope::of(ctx)?;
        let filter = filter.unwrap_or_default().resolve(&scope.graph)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = page(scope, DomainNodeKind::City, filter, order_by.into(), args).await?;
        Ok(Fast(CityConnection::from_page(page)))
    }

    /// Fields of the taxonomy, filtered, ordered and paged (Relay connection). A page holds
    /// `first` (default 20) or `last` items, at most the maximum page size (else
    /// PAGE_SIZE_EXCEEDED).
    #[graphql(complexity = "crate::schema::list::page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn fields(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where", desc = "Which fields.")] filter: Option<FieldWhere>,
        #[graphql(desc = "Their order (by id when omitted).")] order_by: Option<FieldOrder>,
        #[graphql(desc = "Page size counted from the start (or from `after`).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end (or from `before`).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<Fast<FieldConnection>> {
        let scope = RequestScope::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let derived = derived_if(scope, filter.field.is_some()).await?;
        let filter = filter.resolve(&scope.graph, derived.as_deref())?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = page(scope, DomainNodeKind::Field, filter, order_by.into(), args).await?;
        Ok(Fast(FieldConnection::from_page(page)))
    }

    /// Platforms, filtered, ordered and paged (Relay connection). A page holds `first`
    /// (default 20) or `last` items, at most the maximum page size (else
    /// PAGE_SIZE_EXCEEDED).
    #[graphql(complexity = "crate::schema::list::page_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn platforms(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where", desc = "Which platforms.")] filter: Option<PlatformWhere>,
        #[graphql(desc = "Their order (by id when omitted).")] order_by: Option<PlatformOrder>,
        #[graphql(desc = "Page size counted from the start (or from `after`).")] first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Page size counted from the end (or from `before`).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<Fast<PlatformConnection>> {
        let scope = RequestScope::of(ctx)?;
        let filter = filter.unwrap_or_default().resolve(&scope.graph)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let page = page(
            scope,
            DomainNodeKind::Platform,
            filter,
            order_by.into(),
            args,
        )
        .await?;
        Ok(Fast(PlatformConnection::from_page(page)))
    }

    /// Finds nodes by any of their names or aliases, in Simplified or Traditional Chinese,
    /// English or Portuguese (香港中文大學, 香港中文大学, CUHK and "Chinese University" find
    /// the same node). Best matches first. Empty text is VALIDATION_FAILED.
    #[graphql(complexity = "crate::schema::list::page_cost(Some(first), None, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to look for.")] text: String,
        #[graphql(desc = "Only nodes of these kinds (all kinds when omitted).")] kinds: Option<
            Vec<NodeKind>,
        >,
        #[graphql(
            desc = "How many results: at most the maximum page size.",
            default = 10
        )]
        first: i32,
    ) -> async_graphql::Result<Fast<Arc<[SearchHit]>>> {
        let scope = RequestScope::of(ctx)?;
        if text.trim().is_empty() {
            return Err(ApiError::validation("text", "the search text is empty").into());
        }
        let limit = page_size("first", Some(first), scope.max_page_size())?.unwrap_or(0);
        let kinds: Vec<DomainNodeKind> = kinds
            .unwrap_or_default()
            .into_iter()
            .map(DomainNodeKind::from)
            .collect();
        // Answers repeat: see `search_memo.rs`.
        let memo = &scope.shared.searches;
        if let Some(hits) = memo.get(&scope.graph, &text, &kinds, limit) {
            return Ok(Fast(hits));
        }
        let index = scope.search_index().await?;
        let hits: Arc<[SearchHit]> = index
            .search(&text, &kinds, limit)
            .into_iter()
            .filter_map(|hit| {
                let node = scope.graph.node(hit.id.as_str())?;
                Some(SearchHit {
                    node: NodeInterface::of(node),
                    score: hit.score,
                    matched: hit.matched,
                })
            })
            .collect();
        memo.insert(&scope.graph, &text, &kinds, limit, &hits);
        Ok(Fast(hits))
    }

    /// Labs, institutions and ties rolled up by city, region or jurisdiction, one row per
    /// group (every group listed, zeros included), in key order. A lab counts where it is
    /// located; an institution where its city is. A *tie* is a pair of distinct institutions
    /// that are both partners (host or partner) in the same selected lab; each pair counts
    /// once per group however many labs they share, and a group counts the ties with at least
    /// one end in it. A tie is cross-border when its ends are in different jurisdictions.
    async fn rollup(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The grouping level.")] level: RollupLevel,
        #[graphql(name = "where", desc = "Which labs to count (all when omitted).")] filter: Option<
            LabWhere,
        >,
    ) -> async_graphql::Result<Vec<RollupRow>> {
        let scope = RequestScope::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let derived = derived_if(scope, filter.needs_fields()).await?;
        let filter = filter.resolve(&scope.graph, derived.as_deref())?;
        let locations = scope.locations().await?;
        let filter = filter.with_locations(Arc::clone(&locations));
        let graph = Arc::clone(&scope.graph);
        Ok(
            tokio::task::spawn_blocking(move || rollup(&graph, &locations, level, &filter))
                .await
                .map_err(|e| ApiError::internal(format!("rollup: {e}")))?,
        )
    }

    /// Ties between groups at a level: for each pair of groups (a ≤ b; a = b for ties inside
    /// one group), the institution pairs that share a lab with one end in each, each pair
    /// counted once, and the distinct labs behind them. A *tie* is a pair of distinct
    /// institutions that are both partners (host or partner) in the same lab. Institutions
    /// with no known location are left out.
    async fn tie_pairs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The grouping level.")] level: RollupLevel,
        #[graphql(name = "where", desc = "Which labs make ties (all when omitted).")]
        filter: Option<LabWhere>,
    ) -> async_graphql::Result<Vec<TiePair>> {
        let scope = RequestScope::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let derived = derived_if(scope, filter.needs_fields()).await?;
        let filter = filter.resolve(&scope.graph, derived.as_deref())?;
        let locations = scope.locations().await?;
        let filter = filter.with_locations(Arc::clone(&locations));
        let graph = Arc::clone(&scope.graph);
        Ok(
            tokio::task::spawn_blocking(move || tie_pairs(&graph, &locations, level, &filter))
                .await
                .map_err(|e| ApiError::internal(format!("tiePairs: {e}")))?,
        )
    }

    /// Size of the graph, and the version this request read.
    async fn stats(&self, ctx: &Context<'_>) -> async_graphql::Result<GraphStats> {
        let scope = RequestScope::of(ctx)?;
        let stats = scope.graph.stats();
        Ok(GraphStats {
            graph_version: stats.version,
            nodes: stats
                .nodes
                .into_iter()
                .map(|(kind, count)| NodeCount {
                    kind: kind.into(),
                    count,
                })
                .collect(),
            edges: stats
                .edges
                .into_iter()
                .map(|(kind, count)| EdgeCount {
                    kind: kind.into(),
                    count,
                })
                .collect(),
        })
    }
}
