//! Per-request scope: the one graph snapshot a request resolves against, the DataLoader of
//! adjacency lists, and the per-version caches (search index, reverse indexes, location
//! facts) shared by all requests; plus the document cache and the error codes that
//! [`super::LabgraphSchema::execute`] applies around each execution.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Context, ServerError};
use labgraph_domain::{Edge, Graph, Id, Node};
use labgraph_search::SearchIndex;
use labgraph_store::GraphService;

use super::SchemaConfig;
use super::error::ApiError;
use super::facts::{Derived, Locations};
use super::list::ListMemo;

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
    /// The recently paged filtered and ordered lists of the newest version.
    pub(crate) lists: ListMemo,
    /// The parsed documents of recently executed query texts.
    pub(crate) documents: DocumentCache,
    /// Recent `search` answers of the newest version (`search_memo.rs`).
    pub(crate) searches: super::search_memo::SearchMemo,
    /// Analytics results of the newest version, and the computations running (`compute.rs`).
    pub(crate) computed: super::compute::ComputeCache,
}

/// Most parsed documents kept.
const DOCUMENTS: usize = 256;
/// Longest query text whose parsed document is kept: bounds the cache's memory at a few MiB.
const DOCUMENT_TEXT: usize = 8 * 1024;

/// The parsed documents of recently executed query texts, shared by all requests.
///
/// Why: clients send the same few documents over and over (a frontend's queries differ in
/// their variables, not their text), and parsing one costs more than executing a simple
/// query: a fifth of a filtered page's time, measured. Only the syntax tree is kept, which
/// depends on nothing but the text; validation, limits and execution still run on every
/// request against its own snapshot. When full it is emptied: a client sending ever new texts
/// costs parsing again, never memory.
#[derive(Debug, Default)]
pub(crate) struct DocumentCache {
    documents: Mutex<HashMap<Box<str>, ExecutableDocument>>,
}

impl DocumentCache {
    /// The parsed document of `text`, from the cache when seen before. Only documents that
    /// parsed are kept; async-graphql still checks each one (recursion depth, directives)
    /// on every request, so a text refused once is refused again.
    pub(crate) fn parse(
        &self,
        text: &str,
    ) -> Result<ExecutableDocument, async_graphql::parser::Error> {
        if let Some(document) = self.get(text) {
            return Ok(document);
        }
        let document = async_graphql::parser::parse_query(text)?;
        self.insert(text, &document);
        Ok(document)
    }

    fn get(&self, text: &str) -> Option<ExecutableDocument> {
        self.lock().get(text).cloned()
    }

    fn insert(&self, text: &str, document: &ExecutableDocument) {
        if text.len() > DOCUMENT_TEXT {
            return;
        }
        let mut documents = self.lock();
        if documents.len() >= DOCUMENTS {
            documents.clear();
        }
        documents.insert(text.into(), document.clone());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, ExecutableDocument>> {
        // Entries are inserted whole, so a panic elsewhere cannot leave one half-written.
        self.documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
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
/// [`super::LabgraphSchema`] before execution, so every field of the request — root fields
/// included — reads the same snapshot, however long the request runs and whatever is written
/// meanwhile.
pub(crate) struct RequestScope {
    pub(crate) graph: Arc<Graph>,
    pub(crate) shared: Arc<Shared>,
    /// Made on the first `links` call: most requests never ask for an adjacency list, and a
    /// DataLoader costs several allocations to set up.
    links: OnceLock<DataLoader<LinkLoader, HashMapCache>>,
}

impl RequestScope {
    /// A scope on the service's current snapshot.
    pub(crate) fn new(shared: &Arc<Shared>) -> Self {
        RequestScope {
            graph: shared.service.snapshot(),
            shared: Arc::clone(shared),
            links: OnceLock::new(),
        }
    }

    /// The scope of the request `ctx` belongs to.
    pub(crate) fn of<'a>(ctx: &'a Context<'_>) -> Result<&'a RequestScope, ApiError> {
        ctx.data::<RequestScope>()
            .map_err(|e| ApiError::internal(format!("request scope missing: {}", e.message)))
    }

    /// The links of `id` (empty for an unknown id), batched with every other node's asked for
    /// in the same turn of execution and cached for the rest of the request.
    pub(crate) async fn links(&self, id: &Id) -> Arc<[Link]> {
        let loader = self.links.get_or_init(|| {
            DataLoader::with_cache(
                LinkLoader {
                    graph: Arc::clone(&self.graph),
                },
                tokio::spawn,
                HashMapCache::default(),
            )
        });
        match loader.load_one(id.clone()).await {
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

/// Gives `error` its stable code: an [`ApiError`]'s own; for errors async-graphql raises
/// itself (syntax, validation, depth and complexity limits, argument coercion) —
/// `VALIDATION_FAILED`, since each of them is a problem with the request.
pub(crate) fn attach_code(error: &mut ServerError) {
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
