//! Per-request scope: the one graph snapshot a request resolves against, the DataLoader of
//! adjacency lists, and the per-version caches (search index, reverse indexes, location
//! facts) shared by all requests; plus the document cache and the error codes that
//! [`super::LabgraphSchema::execute`] applies around each execution.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Context, ServerError};
use labgraph_domain::{Edge, Graph, Id, Node};
use labgraph_search::SearchIndex;
use labgraph_store::GraphService;
use tokio::sync::OnceCell;

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

/// The parsed documents of recently executed query texts, shared by all requests, and which
/// (operation, variables) of each passed async-graphql's full validation.
///
/// Why: clients send the same few documents over and over (a frontend's queries differ in
/// their variables, not their text), and parsing one costs more than executing a simple
/// query: a fifth of a filtered page's time, measured. Only the syntax tree is kept, which
/// depends on nothing but the text; execution still runs on every request against its own
/// snapshot. When full it is emptied: a client sending ever new texts costs parsing again,
/// never memory.
///
/// Validation (some twenty rules walking the whole document) depends only on the document,
/// the operation chosen and the variables' values, never on the graph: once a request with
/// all three passed it without an error, the same three would pass again, and
/// [`super::LabgraphSchema`] runs them with async-graphql's `ValidationMode::Fast` (still
/// checking depth, complexity and fragment cycles) — see [`DocumentCache::validated`].
#[derive(Debug, Default)]
pub(crate) struct DocumentCache {
    documents: Mutex<HashMap<Box<str>, Cached>>,
}

/// A parsed document and the [`validation_variant`]s that passed the full validation.
#[derive(Debug)]
struct Cached {
    document: ExecutableDocument,
    validated: Vec<Box<str>>,
}

/// Most validated variants kept per document; more are forgotten (and validated again).
const VARIANTS: usize = 16;

/// What besides the text a request's validation depends on: the operation name and, when
/// given, the variables (serialised in their sorted order).
pub(crate) fn validation_variant(request: &async_graphql::Request) -> String {
    let mut variant = request.operation_name.clone().unwrap_or_default();
    if !request.variables.is_empty() {
        variant.push('\n');
        // Serialising variables cannot fail (they are JSON values); should it, the empty
        // text only makes this variant miss the cache.
        variant.push_str(&serde_json::to_string(&request.variables).unwrap_or_default());
    }
    variant
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

    /// True when a request of this text and `variant` passed the full validation before.
    pub(crate) fn validated(&self, text: &str, variant: &str) -> bool {
        self.lock()
            .get(text)
            .is_some_and(|cached| cached.validated.iter().any(|v| **v == *variant))
    }

    /// Records that a request of this text and `variant` passed the full validation (and
    /// everything else: the caller marks only answers without any error).
    pub(crate) fn mark_validated(&self, text: &str, variant: &str) {
        let mut documents = self.lock();
        if let Some(cached) = documents.get_mut(text)
            && !cached.validated.iter().any(|v| **v == *variant)
        {
            if cached.validated.len() >= VARIANTS {
                cached.validated.clear();
            }
            cached.validated.push(variant.into());
        }
    }

    fn get(&self, text: &str) -> Option<ExecutableDocument> {
        self.lock().get(text).map(|cached| cached.document.clone())
    }

    fn insert(&self, text: &str, document: &ExecutableDocument) {
        if text.len() > DOCUMENT_TEXT {
            return;
        }
        let mut documents = self.lock();
        if documents.len() >= DOCUMENTS {
            documents.clear();
        }
        documents.insert(
            text.into(),
            Cached {
                document: document.clone(),
                validated: Vec::new(),
            },
        );
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, Cached>> {
        // Entries are inserted whole, so a panic elsewhere cannot leave one half-written.
        self.documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// One value computed from one graph version, rebuilt lazily when a request on a newer
/// version first needs it. Only the newest version is kept: a request still holding an older
/// snapshot gets a value built for it and not kept, so memory stays at one copy.
///
/// Single flight: the requests that find the newest version's value missing share one build
/// and wait for it. Why: the location facts take O(|V| + |E|) to build; 32 simultaneous first
/// requests once built them 32 times over (a load of ~100 on two cores, seconds per answer),
/// and a client timing out and retrying started more builds still.
#[derive(Debug)]
pub(crate) struct VersionCache<T> {
    slot: Mutex<Slot<T>>,
    /// Builds started, for the tests of single flight.
    builds: AtomicUsize,
}

/// The version kept and its value, built or being built (the cell the builders share).
type Slot<T> = Option<(u64, Arc<OnceCell<Arc<T>>>)>;

impl<T> Default for VersionCache<T> {
    fn default() -> Self {
        VersionCache {
            slot: Mutex::new(None),
            builds: AtomicUsize::new(0),
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
        let cell = {
            let mut slot = self.lock();
            match slot.as_ref() {
                Some((cached, cell)) if *cached == version => {
                    if let Some(value) = cell.get() {
                        return Ok(Arc::clone(value));
                    }
                    Arc::clone(cell)
                }
                // An older snapshot than the one kept: built for this request alone.
                Some((cached, _)) if *cached > version => Arc::new(OnceCell::new()),
                _ => {
                    let cell = Arc::new(OnceCell::new());
                    *slot = Some((version, Arc::clone(&cell)));
                    cell
                }
            }
        };
        // One build at a time per cell; should the request building it be dropped (or the
        // build fail), the next waiter builds instead.
        let value = cell
            .get_or_try_init(|| async {
                self.builds.fetch_add(1, AtomicOrdering::Relaxed);
                let work = Arc::clone(graph);
                tokio::task::spawn_blocking(move || Arc::new(build(&work)))
                    .await
                    .map_err(|e| ApiError::internal(format!("building a per-version index: {e}")))
            })
            .await?;
        Ok(Arc::clone(value))
    }

    /// The value for `graph`'s version when it is already built; never builds.
    pub(crate) fn peek(&self, graph: &Graph) -> Option<Arc<T>> {
        match self.lock().as_ref() {
            Some((cached, cell)) if *cached == graph.version() => cell.get().map(Arc::clone),
            _ => None,
        }
    }

    /// How many builds have started (each version once, unless a build failed or an older
    /// snapshot asked).
    #[cfg(test)]
    pub(crate) fn builds(&self) -> usize {
        self.builds.load(AtomicOrdering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slot<T>> {
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use labgraph_store::MemoryStore;

    use super::*;
    use crate::schema::{LabgraphSchema, SchemaConfig, build_schema};

    /// The graph of `graph-seed/` on a fresh schema: no per-version cache built yet.
    async fn seed_schema() -> (LabgraphSchema, Arc<GraphService>) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
        let parsed = labgraph_io::read_files(&[dir]).expect("graph-seed/ parses");
        let service = Arc::new(
            GraphService::open(Arc::new(MemoryStore::new()))
                .await
                .expect("a memory store opens"),
        );
        service
            .apply(parsed.changes)
            .await
            .expect("the seed is valid");
        (
            build_schema(Arc::clone(&service), &SchemaConfig::default()),
            service,
        )
    }

    /// A request validated in full once runs with the fast validation after; a request of the
    /// same text with other variables is validated in full again, and refused when invalid.
    #[tokio::test]
    async fn validation_is_skipped_only_for_what_passed_it() {
        let (schema, _service) = seed_schema().await;
        let query = "query($r: [Region!]) { institutions(first: 3, where: { region: $r }) { totalCount nodes { id } } }";
        let request = |vars: serde_json::Value| {
            async_graphql::Request::new(query).variables(async_graphql::Variables::from_json(vars))
        };
        let good = serde_json::json!({ "r": ["HK"] });
        let variant = validation_variant(&request(good.clone()));
        assert!(!schema.shared.documents.validated(query, &variant));
        let first = schema.execute(request(good.clone())).await;
        assert!(first.errors.is_empty(), "{:?}", first.errors);
        assert!(schema.shared.documents.validated(query, &variant));
        let again = schema.execute(request(good)).await;
        assert_eq!(
            serde_json::to_string(&again).expect("serialises"),
            serde_json::to_string(&first).expect("serialises")
        );
        // An enum value that does not exist: refused whatever was validated before.
        let bad = schema
            .execute(request(serde_json::json!({ "r": ["ATLANTIS"] })))
            .await;
        assert_eq!(bad.errors.len(), 1, "{:?}", bad.errors);
        let code = bad.errors[0]
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .cloned();
        assert_eq!(code, Some(async_graphql::Value::from("VALIDATION_FAILED")));
        assert!(!schema.shared.documents.validated(
            query,
            &validation_variant(&request(serde_json::json!({ "r": ["ATLANTIS"] })))
        ));
    }

    /// Many simultaneous first requests for the same filtered page: the location facts are
    /// built once and the filtered list collected once, and every request gets the same answer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_first_requests_share_one_build() {
        let (schema, service) = seed_schema().await;
        let query = "{ institutions(first: 5, where: { region: [HK], crossBorder: true }) { totalCount edges { cursor node { id } } } }";
        let ask = |schema: &LabgraphSchema| {
            let schema = schema.clone();
            tokio::spawn(async move { schema.execute(query).await })
        };
        let answers: Vec<_> = (0..32).map(|_| ask(&schema)).collect();
        let mut first: Option<String> = None;
        for answer in answers {
            let response = answer.await.expect("the request task completes");
            assert!(response.errors.is_empty(), "{:?}", response.errors);
            let json = serde_json::to_string(&response.data).expect("serialises");
            match &first {
                Some(first) => assert_eq!(&json, first),
                None => first = Some(json),
            }
        }
        assert!(
            first
                .as_deref()
                .is_some_and(|j| j.contains("\"totalCount\":")),
            "{first:?}"
        );
        assert_eq!(schema.shared.locations.builds(), 1, "location facts built");
        assert_eq!(
            schema.shared.lists.collections(),
            1,
            "filtered lists collected"
        );

        // A new version: one more build of each, however many ask at once.
        let mut changes = labgraph_domain::ChangeSet::new();
        let mut node = (**service.snapshot().node("cuhk").expect("the seed has cuhk")).clone();
        node.names.aliases.push("single-flight test".to_owned());
        changes.upsert_node(node);
        service.apply(changes).await.expect("a valid change");
        let answers: Vec<_> = (0..32).map(|_| ask(&schema)).collect();
        for answer in answers {
            let response = answer.await.expect("the request task completes");
            assert!(response.errors.is_empty(), "{:?}", response.errors);
        }
        assert_eq!(schema.shared.locations.builds(), 2);
        assert_eq!(schema.shared.lists.collections(), 2);
    }
}
