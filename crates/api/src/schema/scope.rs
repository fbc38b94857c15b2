//! Per-request scope: the one graph snapshot a request resolves against, the DataLoader of
//! adjacency lists, and the per-version caches (search index, reverse indexes, location
//! facts) shared by all requests; plus the extension that sets the scope up and gives every
//! error its code.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextRequest,
};
use async_graphql::{Context, Request, Response, ServerError, ServerResult};
use labgraph_domain::{Edge, Graph, Id, Node};
use labgraph_search::SearchIndex;
use labgraph_store::GraphService;

use super::SchemaConfig;
use super::error::ApiError;
use super::facts::{Derived, Locations};

/// What the schema keeps between requests: the service, the configuration and the
/// per-version caches.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) service: Arc<GraphService>,
    pub(crate) config: SchemaConfig,
    pub(crate) search: VersionCache<SearchIndex>,
    pub(crate) derived: VersionCache<Derived>,
    /// Kept apart from `derived`: the location facts cost O(|V| + |E|) to build (the field
    /// and city indexes a fraction of that), and many requests need one but not the other.
    pub(crate) locations: VersionCache<Locations>,
}

/// One value computed from one graph version, rebuilt lazily when a request on a newer
/// version first needs it. Only the newest version is kept: a request still holding an older
/// snapshot gets a value built for it and not kept, so memory stays at one copy.
#[derive(Debug)]
pub(crate) struct VersionCache<T> {
    slot: Mutex<Option<(u64, Arc<T>)>>,
}

impl<T> Default for VersionCache<T> {
    fn default() -> Self {
        VersionCache {
            slot: Mutex::new(None),
        }
    }
}

impl<T: Send + Sync + 'static> VersionCache<T> {
    /// The value for `graph`'s version, building it off the async workers when missing.
    pub(crate) async fn get_or_build(
        &self,
        graph: &Arc<Graph>,
        build: fn(&Graph) -> T,
    ) -> Result<Arc<T>, ApiError> {
        let version = graph.version();
        if let Some((cached, value)) = self.lock().as_ref()
            && *cached == version
        {
            return Ok(Arc::clone(value));
        }
        // Building takes O(|V|); two requests racing on a fresh version may both build, which
        // costs time but never correctness, and is cheaper than making every reader wait on a
        // lock held across the build.
        let work = Arc::clone(graph);
        let value = Arc::new(
            tokio::task::spawn_blocking(move || build(&work))
                .await
                .map_err(|e| ApiError::internal(format!("building a per-version index: {e}")))?,
        );
        let mut slot = self.lock();
        if slot.as_ref().is_none_or(|(cached, _)| *cached < version) {
            *slot = Some((version, Arc::clone(&value)));
        }
        Ok(value)
    }

    /// The value for `graph`'s version when it is already built; never builds.
    pub(crate) fn peek(&self, graph: &Graph) -> Option<Arc<T>> {
        match self.lock().as_ref() {
            Some((cached, value)) if *cached == graph.version() => Some(Arc::clone(value)),
            _ => None,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(u64, Arc<T>)>> {
        // The slot is replaced whole, so a panic elsewhere cannot leave it half-written.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// An edge seen from one of its ends, with the node at the other end.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub(crate) edge: Arc<Edge>,
    pub(crate) neighbour: Arc<Node>,
    /// True when the edge leaves the node it was looked up from.
    pub(crate) outgoing: bool,
}

/// Loads the adjacency lists of many nodes at once, sorted by (edge kind, neighbour id,
/// direction): the order the `edges` connection pages through.
pub(crate) struct LinkLoader {
    graph: Arc<Graph>,
}

impl Loader<Id> for LinkLoader {
    type Value = Arc<[Link]>;
    type Error = Infallible;

    async fn load(&self, keys: &[Id]) -> Result<HashMap<Id, Self::Value>, Self::Error> {
        Ok(keys
            .iter()
            .map(|id| {
                let mut links: Vec<Link> = self
                    .graph
                    .adjacent(id.as_str())
                    .map(|adj| Link {
                        edge: Arc::clone(adj.edge),
                        neighbour: Arc::clone(adj.neighbour),
                        outgoing: adj.outgoing,
                    })
                    .collect();
                links.sort_by(|a, b| link_order(a).cmp(&link_order(b)));
                (id.clone(), Arc::from(links))
            })
            .collect())
    }
}

/// The sort key of a link in a node's adjacency list.
pub(crate) fn link_order(link: &Link) -> (labgraph_domain::EdgeKind, &str, bool) {
    (link.edge.kind, link.neighbour.id.as_str(), link.outgoing)
}

/// Everything one request resolves against. Inserted into the request's data by
/// [`ScopeExtension`] before parsing, so every field of the request — root fields included —
/// reads the same snapshot, however long the request runs and whatever is written meanwhile.
pub(crate) struct RequestScope {
    pub(crate) graph: Arc<Graph>,
    pub(crate) shared: Arc<Shared>,
    links: DataLoader<LinkLoader, HashMapCache>,
}

impl RequestScope {
    /// The scope of the request `ctx` belongs to.
    pub(crate) fn of<'a>(ctx: &'a Context<'_>) -> Result<&'a RequestScope, ApiError> {
        ctx.data::<RequestScope>()
            .map_err(|e| ApiError::internal(format!("request scope missing: {}", e.message)))
    }

    /// The links of `id` (empty for an unknown id), batched with every other node's asked for
    /// in the same turn of execution and cached for the rest of the request.
    pub(crate) async fn links(&self, id: &Id) -> Arc<[Link]> {
        match self.links.load_one(id.clone()).await {
            Ok(Some(links)) => links,
            Ok(None) => Arc::from(Vec::new()),
            Err(never) => match never {},
        }
    }

    /// The reverse indexes of this request's graph version.
    pub(crate) async fn derived(&self) -> Result<Arc<Derived>, ApiError> {
        self.shared
            .derived
            .get_or_build(&self.graph, Derived::build)
            .await
    }

    /// The location facts of this request's graph version, built on first use.
    pub(crate) async fn locations(&self) -> Result<Arc<Locations>, ApiError> {
        self.shared
            .locations
            .get_or_build(&self.graph, Locations::build)
            .await
    }

    /// The location facts of this request's graph version if some request has built them.
    /// Why not build: a field such as `regions` on a page of nodes is cheaper to compute
    /// from the graph for those few nodes than to wait for the facts of the whole graph; a
    /// filter or roll-up, which reads every node of a kind, builds them instead.
    pub(crate) fn built_locations(&self) -> Option<Arc<Locations>> {
        self.shared.locations.peek(&self.graph)
    }

    /// The search index of this request's graph version.
    pub(crate) async fn search_index(&self) -> Result<Arc<SearchIndex>, ApiError> {
        self.shared
            .search
            .get_or_build(&self.graph, SearchIndex::build)
            .await
    }

    /// The configured maximum page size.
    pub(crate) fn max_page_size(&self) -> usize {
        self.shared.config.max_page_size
    }
}

/// Installs [`ScopeExtension`] on every request.
pub(crate) struct ScopeFactory {
    pub(crate) shared: Arc<Shared>,
}

impl ExtensionFactory for ScopeFactory {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ScopeExtension {
            shared: Arc::clone(&self.shared),
        })
    }
}

/// Takes the snapshot once per request (in `prepare_request`, before anything resolves) and,
/// once the response is ready, gives every error its `extensions.code`.
struct ScopeExtension {
    shared: Arc<Shared>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for ScopeExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            attach_code(error);
        }
        response
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let graph = self.shared.service.snapshot();
        let links = DataLoader::with_cache(
            LinkLoader {
                graph: Arc::clone(&graph),
            },
            tokio::spawn,
            HashMapCache::default(),
        );
        let scope = RequestScope {
            graph,
            shared: Arc::clone(&self.shared),
            links,
        };
        next.run(ctx, request.data(scope)).await
    }
}

/// Gives `error` its stable code: an [`ApiError`]'s own; for errors async-graphql raises
/// itself (syntax, validation, depth and complexity limits, argument coercion) —
/// `VALIDATION_FAILED`, since each of them is a problem with the request.
fn attach_code(error: &mut ServerError) {
    let has_code = error
        .extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some());
    if has_code {
        return;
    }
    let code = match error.source::<ApiError>() {
        Some(api) => {
            if let ApiError::Internal { detail } = api {
                tracing::error!(detail = %detail, path = ?error.path, "internal error in a GraphQL request");
            }
            api.code()
        }
        None => "VALIDATION_FAILED",
    };
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
}
