//! The GraphQL schema over the graph service: Relay `Node`/`node`/`nodes`, filtered and
//! ordered cursor connections, neighbour edges, search, roll-ups, statistics and network
//! analytics (centrality, communities, structure, brokerage). It knows
//! nothing of HTTP: [`build_schema`] gives a [`LabgraphSchema`] to execute requests on.
//!
//! # One snapshot per request
//!
//! [`LabgraphSchema::execute`] takes `GraphService::snapshot()` once, before the query is
//! parsed, and puts it into the request's data with a per-request DataLoader (made on first
//! use). Every resolver, root fields included, reads that snapshot, so a response never mixes
//! two graph versions, whatever is written while it runs. The schema also keeps the parsed
//! documents of recent query texts, so a text seen before is not parsed again, and which
//! (operation, variables) of each passed the full validation, so those run with
//! async-graphql's fast validation (depth, complexity) after; execution runs every time.
//!
//! Why not an async-graphql extension: with any extension installed, async-graphql sends every
//! field resolution through its extension chain (a registry lookup, a boxed future and
//! formatted strings per field and list item), which cost more than the fields themselves. So
//! the schema has none; the work is done around `execute` instead.
//!
//! # Fast path and field order
//!
//! The common reads (a root connection's page, `search`, `node`, `nodes` asking for the
//! nodes' own fields) are answered by a synchronous walk of the selection set (`fast`), which
//! gives the async path's answer byte for byte at a fraction of its cost; anything else goes
//! through async-graphql. async-graphql inserts an object's fields in the order they complete,
//! so after execution the root keys are put back in query order (`order`).
//!
//! # Batching
//!
//! Adjacency lists (the `edges` connection and every relationship field such as `labs`,
//! `partners`, `members`, `fields`) are loaded through one DataLoader per request: all nodes
//! of a list asking for neighbours at the same level of the query are loaded in one batch,
//! and a node asked for twice is loaded once. The search index, the reverse indexes
//! (city → institutions and labs, field → sub-fields) and the location facts (each node's
//! cities, regions and jurisdictions, each lab's class, the cross-border flags) are built once
//! per graph version, each on the first request that needs it, and shared by all requests on
//! that version; so are the filtered and ordered lists of the root connections recently paged
//! through (a small memo, see `list::ListMemo`), so that later pages and `totalCount` of the
//! same filter cost O(page).
//!
//! # Error codes
//!
//! Every error carries a stable code in `extensions.code`; clients match on the code, never
//! on the message:
//!
//! | code | meaning |
//! |---|---|
//! | `NOT_FOUND` | an argument refers to a node that does not exist (e.g. `where: {city: ["atlantis"]}`); `node(id:)` answers null instead |
//! | `VALIDATION_FAILED` | the request is malformed or exceeds the depth or complexity limit, or an argument has a value the field refuses (empty search text, negative `first`, a city id where a field id belongs) |
//! | `PAGE_SIZE_EXCEEDED` | `first`, `last` or the number of `ids` is above the maximum page size (never clamped silently) |
//! | `BAD_CURSOR` | `after`/`before` is not a cursor this field handed out with the same `orderBy` |
//! | `TIMEOUT` | an analytics computation took longer than [`SchemaConfig::compute_timeout_ms`]; it finishes in the background and is cached, so a later identical request may succeed |
//! | `INTERNAL` | a failure inside the server; logged with `tracing`, reported without internals |
//!
//! # Limits
//!
//! Queries deeper than [`SchemaConfig::max_depth`] or costlier than
//! [`SchemaConfig::max_complexity`] are refused before they run. Each field costs 1; a
//! connection or bounded list costs 1 + its page size (`first`, else `last`, else 20) times
//! the cost of its selection, so nested pages multiply. The defaults admit GraphiQL's full
//! introspection query (measured in the tests). Analytics fields cost more, because a new
//! set of arguments starts a whole-graph computation however small the page: the root
//! `centrality`, `communities`, `structure` and `brokerage` add 50, a node's `centrality` 5
//! (`analytics.rs`).
//!
//! # Analytics
//!
//! Network analysis (`analytics.rs`) runs through `compute.rs`: computed off the async
//! workers once per graph version and arguments, shared by identical concurrent requests,
//! bounded by [`SchemaConfig::compute_timeout_ms`], every result stamped with its freshness.

mod analytics;
mod answers;
mod compute;
mod enums;
mod error;
mod facts;
mod fast;
mod flows;
mod list;
mod maps;
mod neighbours;
mod nodes;
mod order;
mod partners;
mod query;
mod rollup;
mod scope;
mod search_memo;

use std::sync::Arc;

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{EmptyMutation, EmptySubscription, MergedObject, Request, Response, Schema};
use labgraph_store::GraphService;

pub use error::ApiError;
pub use query::QueryRoot;

// The fields of each family live in their own object (graph look-ups and connections in
// `QueryRoot`; analytics and answers add theirs), merged here so that each family's resolvers
// stay in one file.
/// The root of every query. Every field of one request reads the same graph snapshot.
#[derive(MergedObject, Default, Debug)]
#[graphql(name = "Query")]
pub struct Query(
    QueryRoot,
    analytics::AnalyticsQuery,
    answers::AnswersQuery,
    partners::PartnersQuery,
    maps::MapsQuery,
    flows::FlowsQuery,
);

use scope::{RequestScope, Shared};

/// Limits of the schema, set by the operator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SchemaConfig {
    /// Largest `first`/`last` of a connection, `first` of a bounded list or search, and
    /// number of `ids` of `nodes`. Larger requests are refused with `PAGE_SIZE_EXCEEDED`.
    pub max_page_size: usize,
    /// Deepest selection accepted. GraphiQL's introspection query needs 15 (measured in the tests); 16 leaves room
    /// for four hops of `edges { edges { node ... } }` below a root connection.
    pub max_depth: usize,
    /// Costliest query accepted (see the module docs for the cost model). GraphiQL's
    /// introspection query costs 226 (measured in the tests); a page of 100 labs with their
    /// 20 first neighbours' names costs a few thousand.
    pub max_complexity: usize,
    /// Longest a request waits for an analytics computation (centrality, communities,
    /// structure, brokerage, answers), in milliseconds; then it gets `TIMEOUT` while the
    /// computation finishes in the background for later requests. Exact betweenness of a
    /// 10,000-node network takes seconds; of 100,000 nodes, hours (use sampling there).
    pub compute_timeout_ms: u64,
}

impl Default for SchemaConfig {
    fn default() -> Self {
        SchemaConfig {
            max_page_size: 100,
            max_depth: 16,
            max_complexity: 5_000,
            compute_timeout_ms: 30_000,
        }
    }
}

/// The labgraph schema: queries only (changes and subscriptions come later). Execute requests
/// with [`LabgraphSchema::execute`], which gives each one its snapshot and each error its code.
#[derive(Clone)]
pub struct LabgraphSchema {
    schema: Schema<Query, EmptyMutation, EmptySubscription>,
    /// The same schema with `ValidationMode::Fast`, for requests whose document, operation
    /// and variables passed the full validation before (`scope::DocumentCache`).
    validated: Schema<Query, EmptyMutation, EmptySubscription>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for LabgraphSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabgraphSchema")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl LabgraphSchema {
    /// Executes one request on one snapshot of the graph; every error of the response carries
    /// its `extensions.code`.
    pub async fn execute(&self, request: impl Into<Request>) -> Response {
        let scope = RequestScope::new(&self.shared);
        let mut request = request.into();
        // A text that does not parse is left to async-graphql, which reports the error.
        if let Ok(document) = self.shared.documents.parse(&request.query) {
            request.set_parsed_query(document);
        }
        self.execute_parsed(request.data(scope)).await
    }

    /// Executes `request`, which carries its parsed document already (or is parsed by
    /// async-graphql), on a snapshot taken now.
    async fn execute_scoped(&self, request: Request) -> Response {
        let scope = RequestScope::new(&self.shared);
        self.execute_parsed(request.data(scope)).await
    }

    async fn execute_parsed(&self, mut request: Request) -> Response {
        // The root fields' order is read before execution (see `order`: async-graphql inserts
        // them in the order they complete).
        let operation = request.operation_name.clone();
        let root_keys = request
            .parsed_query()
            .ok()
            .and_then(|document| order::root_keys(document, operation.as_deref()));
        // Validated in full once per (text, operation, variables); see `scope::DocumentCache`.
        let variant = scope::validation_variant(&request);
        let mut response = if self.shared.documents.validated(&request.query, &variant) {
            self.validated.execute(request).await
        } else {
            let text = request.query.clone();
            let response = self.schema.execute(request).await;
            if response.errors.is_empty() {
                self.shared.documents.mark_validated(&text, &variant);
            }
            response
        };
        if let Some(keys) = root_keys {
            order::reorder_root(&mut response.data, &keys);
        }
        for error in &mut response.errors {
            scope::attach_code(error);
        }
        response
    }

    /// The parsed document of `query`, from the schema's cache of recent texts.
    pub fn parse(&self, query: &str) -> Result<ExecutableDocument, async_graphql::parser::Error> {
        self.shared.documents.parse(query)
    }

    /// The schema in SDL.
    pub fn sdl(&self) -> String {
        self.schema.sdl()
    }

    /// How many analytics computations this schema has started: one per distinct
    /// (graph version, field, parameters) not found in its cache. For tests and metrics.
    pub fn computations(&self) -> u64 {
        self.shared.computed.computations()
    }
}

impl crate::http::HttpSchema for LabgraphSchema {
    fn parse(&self, query: &str) -> Result<ExecutableDocument, async_graphql::parser::Error> {
        LabgraphSchema::parse(self, query)
    }

    async fn execute(&self, request: Request) -> Response {
        self.execute_scoped(request).await
    }

    fn sdl(&self) -> String {
        LabgraphSchema::sdl(self)
    }
}

/// Builds the schema over `service`, with the limits of `config`.
pub fn build_schema(service: Arc<GraphService>, config: &SchemaConfig) -> LabgraphSchema {
    let shared = Arc::new(Shared {
        service,
        config: config.clone(),
        search: Default::default(),
        derived: Default::default(),
        locations: Default::default(),
        lists: Default::default(),
        documents: Default::default(),
        searches: Default::default(),
        computed: Default::default(),
    });
    let build = || {
        Schema::build(Query::default(), EmptyMutation, EmptySubscription)
            .limit_depth(config.max_depth)
            .limit_complexity(config.max_complexity)
    };
    LabgraphSchema {
        schema: build().finish(),
        validated: build()
            .validation_mode(async_graphql::ValidationMode::Fast)
            .finish(),
        shared,
    }
}

/// The schema in SDL, as committed in `schema.graphql` at the repository root.
pub fn sdl() -> String {
    Schema::build(Query::default(), EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}
