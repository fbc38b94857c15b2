//! The one place heavy analytics run for GraphQL: every analytics field (centrality,
//! communities, structure, brokerage) and the answers of issue 4 compute through [`compute`],
//! which caches results per graph version and parameters, runs each distinct computation
//! once however many requests ask for it at the same time, keeps the work off the async
//! workers, bounds how long a request waits, and stamps every result with its [`Freshness`].
//!
//! # How to use it
//!
//! ```ignore
//! let key = ComputeKey::new("centrality", json!({ "kind": "PAGERANK", "asOf": 2022 }));
//! let (ranking, freshness) = compute(scope, key, move |graph| {
//!     // CPU-bound, synchronous: project `graph`, run algorithms, build the answer.
//!     Ok(Ranking::build(graph, ...)?)
//! })
//! .await?;
//! ```
//!
//! Rules for callers:
//! - `what` names the family *and the result type*: one `what` always produces the same `T`
//!   (a different `T` under a `what` already cached is reported as `INTERNAL`).
//! - `parameters` holds every argument the closure reads, after defaults are applied and
//!   arguments are checked, so that two requests meaning the same thing share one result
//!   and two meaning different things never do. It is canonicalised (object keys sorted), and
//!   it is what clients see as `freshness.parameters`.
//! - The closure reads only the graph it is handed (the request's snapshot) and what it
//!   captured; it returns an [`ApiError`] for arguments it cannot honour (e.g. `From` of the
//!   analytics crate's errors), which the client receives with its code.
//! - Check arguments *before* calling `compute`: a refused request should not start a
//!   whole-graph computation.
//! - A sampled (approximate) result says so with [`ComputeKey::sampled`], which sets
//!   `freshness.exact = false` and `errorBound`.
//!
//! # What it guarantees
//!
//! - **Cached per version and parameters**: results of the newest graph version are kept (at
//!   most [`CACHED`], least recently used evicted first); the first request on a newer version
//!   drops every result of the older ones. A request still reading an older snapshot gets a
//!   result computed for it and not kept.
//! - **Single flight**: identical requests arriving while a computation runs wait for it
//!   rather than starting their own (one computation per key, counted by
//!   [`ComputeCache::computations`]).
//! - **Off the async workers, bounded**: the work runs on tokio's blocking pool, at most
//!   as many computations at once as the machine has cores (the rest queue), so analytics never
//!   stall the requests that only read. A request waits at most
//!   [`super::SchemaConfig::compute_timeout_ms`] and then gets `TIMEOUT`. The computation is
//!   not abandoned — a thread cannot be stopped safely — it runs to its end and its result is
//!   cached, so asking again later answers at once; meanwhile identical requests keep waiting
//!   on that one run instead of starting more.
//! - **Failures**: an error of the closure reaches every waiting request; a panic becomes
//!   `INTERNAL` (logged). Neither is cached: the next request tries again.

use std::any::Any;
use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use async_graphql::SimpleObject;
use labgraph_domain::Graph;
use tokio::sync::{Semaphore, watch};

use super::error::ApiError;
use super::scope::RequestScope;

/// Most results kept for the newest graph version. A centrality ranking of the 200,000-person
/// benchmark graph takes ~10 MiB, so the cache stays well below the graph's own size.
pub(crate) const CACHED: usize = 64;

/// How fresh an analytics result is and what it was computed from.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Freshness {
    /// The graph version the result was computed on: the version this request read. A later
    /// write gives a new version and a new computation.
    pub graph_version: u64,
    /// When the computation finished, in RFC 3339 UTC (e.g. `2026-11-26T07:30:00.123Z`).
    /// Requests answered from the cache show the time of the computation they reuse.
    pub computed_at: String,
    /// The arguments the result was computed with, defaults applied, as canonical JSON (object
    /// keys sorted): equal texts mean equal computations.
    pub parameters: String,
    /// True for an exact result; false for a sampled approximation (see `errorBound`).
    pub exact: bool,
    /// For an approximation, the bound on each score's absolute error, holding with the
    /// probability the parameters state; null when exact.
    pub error_bound: Option<f64>,
}

/// What a computation is: its family (which fixes the result type) and its canonical
/// parameters.
#[derive(Debug, Clone)]
pub(crate) struct ComputeKey {
    what: &'static str,
    parameters: String,
    error_bound: Option<f64>,
}

impl ComputeKey {
    /// The key of family `what` (e.g. `"centrality"`) with these parameters.
    pub(crate) fn new(what: &'static str, parameters: serde_json::Value) -> Self {
        let mut text = String::new();
        canonical(&parameters, &mut text);
        ComputeKey {
            what,
            parameters: text,
            error_bound: None,
        }
    }

    /// Marks the result as a sampled approximation with this error bound.
    pub(crate) fn sampled(self, error_bound: f64) -> Self {
        ComputeKey {
            error_bound: Some(error_bound),
            ..self
        }
    }

    /// The cache's key: family and parameters together.
    fn cache_key(&self) -> String {
        format!("{}:{}", self.what, self.parameters)
    }
}

/// Writes `value` as JSON with object keys sorted, whatever order the map keeps them in.
fn canonical(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    canonical(v, out);
                }
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A finished computation: the type-erased result and when it finished.
#[derive(Clone)]
struct Done {
    value: Arc<dyn Any + Send + Sync>,
    computed_at: String,
}

/// What waiting requests watch: `None` while the computation runs.
type Outcome = Option<Result<Done, ApiError>>;

/// The results of the newest graph version, and the computations running for it.
pub(crate) struct ComputeCache {
    state: Mutex<State>,
    /// Computations started since the schema was built: cache misses.
    computations: AtomicU64,
    /// Bounds the computations running at once to the machine's cores.
    permits: Arc<Semaphore>,
}

#[derive(Default)]
struct State {
    version: u64,
    /// Least recently used first; an entry is there from the moment its computation starts.
    entries: VecDeque<(String, watch::Receiver<Outcome>)>,
}

impl Default for ComputeCache {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        ComputeCache {
            state: Mutex::new(State::default()),
            computations: AtomicU64::new(0),
            permits: Arc::new(Semaphore::new(cores)),
        }
    }
}

impl std::fmt::Debug for ComputeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("ComputeCache")
            .field("version", &state.version)
            .field("entries", &state.entries.len())
            .field("computations", &self.computations())
            .finish()
    }
}

impl ComputeCache {
    /// How many computations have started (each cache miss starts one; a request served from
    /// the cache or joining a running computation starts none).
    pub(crate) fn computations(&self) -> u64 {
        self.computations.load(Ordering::Relaxed)
    }

    /// The receiver of `key`'s computation on `version`, when one is cached or running;
    /// marks it used. A newer version first drops every entry of the older one.
    fn find(&self, version: u64, key: &str) -> Option<watch::Receiver<Outcome>> {
        let mut state = self.lock();
        if version > state.version {
            state.entries.clear();
            state.version = version;
        }
        if version != state.version {
            return None;
        }
        let at = state.entries.iter().position(|(k, _)| k == key)?;
        let entry = state.entries.remove(at)?;
        let receiver = entry.1.clone();
        state.entries.push_back(entry);
        Some(receiver)
    }

    /// Keeps `receiver` as `key`'s computation on `version` unless another request put one
    /// there first, which is returned instead (so both wait on one run). An older version's
    /// computation is not kept.
    fn insert(
        &self,
        version: u64,
        key: &str,
        receiver: watch::Receiver<Outcome>,
    ) -> Result<(), watch::Receiver<Outcome>> {
        let mut state = self.lock();
        if version > state.version {
            state.entries.clear();
            state.version = version;
        }
        if version != state.version {
            return Ok(());
        }
        if let Some((_, existing)) = state.entries.iter().find(|(k, _)| k == key) {
            return Err(existing.clone());
        }
        state.entries.push_back((key.to_owned(), receiver));
        while state.entries.len() > CACHED {
            state.entries.pop_front();
        }
        Ok(())
    }

    /// Drops `key`'s entry if it is still the computation `receiver` watches (a failed one).
    fn forget(&self, key: &str, receiver: &watch::Receiver<Outcome>) {
        let mut state = self.lock();
        state
            .entries
            .retain(|(k, r)| !(k == key && r.same_channel(receiver)));
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every change leaves the state consistent before anything that can panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Computes `work` on the request's graph snapshot, or reuses its result: see the module docs
/// for the caching, single-flight, timeout and failure rules. Returns the result and its
/// freshness.
pub(crate) async fn compute<T, F>(
    scope: &RequestScope,
    key: ComputeKey,
    work: F,
) -> Result<(Arc<T>, Freshness), ApiError>
where
    T: Send + Sync + 'static,
    F: FnOnce(&Graph) -> Result<T, ApiError> + Send + 'static,
{
    let shared = &scope.shared;
    let cache = &shared.computed;
    let version = scope.graph.version();
    let cache_key = key.cache_key();
    let mut receiver = match cache.find(version, &cache_key) {
        Some(receiver) => receiver,
        None => {
            let (sender, receiver) = watch::channel(None);
            match cache.insert(version, &cache_key, receiver.clone()) {
                // Another request started the same computation a moment ago: wait on it.
                Err(existing) => existing,
                Ok(()) => {
                    cache.computations.fetch_add(1, Ordering::Relaxed);
                    start(
                        Arc::clone(&scope.graph),
                        Arc::clone(&cache.permits),
                        key.what,
                        work,
                        sender,
                    );
                    receiver
                }
            }
        }
    };
    let timeout = Duration::from_millis(shared.config.compute_timeout_ms);
    let outcome = match tokio::time::timeout(timeout, receiver.wait_for(Option::is_some)).await {
        Err(_) => {
            return Err(ApiError::Timeout {
                what: key.what,
                after_ms: shared.config.compute_timeout_ms,
            });
        }
        Ok(Err(_)) => Some(Err(ApiError::internal(format!(
            "the {} computation ended without a result",
            key.what
        )))),
        Ok(Ok(outcome)) => outcome.clone(),
    };
    let done = match outcome {
        Some(Ok(done)) => done,
        Some(Err(error)) => {
            cache.forget(&cache_key, &receiver);
            return Err(error);
        }
        None => return Err(ApiError::internal("a computation was awaited but not done")),
    };
    let value = Arc::clone(&done.value).downcast::<T>().map_err(|_| {
        ApiError::internal(format!(
            "the cached {} result is of another type than asked for",
            key.what
        ))
    })?;
    let freshness = Freshness {
        graph_version: version,
        computed_at: done.computed_at,
        parameters: key.parameters,
        exact: key.error_bound.is_none(),
        error_bound: key.error_bound,
    };
    Ok((value, freshness))
}

/// Runs `work` on the blocking pool once a permit is free, and sends its outcome (a panic
/// becomes `INTERNAL`) to every request watching.
fn start<T, F>(
    graph: Arc<Graph>,
    permits: Arc<Semaphore>,
    what: &'static str,
    work: F,
    sender: watch::Sender<Outcome>,
) where
    T: Send + Sync + 'static,
    F: FnOnce(&Graph) -> Result<T, ApiError> + Send + 'static,
{
    // A task of its own, so the computation goes on when the request that started it times
    // out or is dropped (its result still fills the cache for the next request).
    tokio::spawn(async move {
        let _permit = permits.acquire_owned().await;
        let ran = tokio::task::spawn_blocking(move || {
            std::panic::catch_unwind(AssertUnwindSafe(|| work(&graph)))
        })
        .await;
        let outcome = match ran {
            Ok(Ok(Ok(value))) => Ok(Done {
                value: Arc::new(value),
                computed_at: rfc3339(SystemTime::now()),
            }),
            Ok(Ok(Err(error))) => Err(error),
            Ok(Err(panic)) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Err(ApiError::internal(format!(
                    "the {what} computation panicked: {message}"
                )))
            }
            Err(join) => Err(ApiError::internal(format!(
                "the {what} computation failed: {join}"
            ))),
        };
        // No receiver left (every request gone, the entry evicted) is fine: nobody waits.
        let _ = sender.send(Some(outcome));
    });
}

/// `time` in RFC 3339, UTC, to the millisecond.
fn rfc3339(time: SystemTime) -> String {
    let since = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = since.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-compatible low-level date
    // algorithms", days_from_civil's inverse).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    //! The cache's promises with computations whose cost and failures the test controls;
    //! `tests/analytics_*.rs` checks the same through GraphQL on real analytics.

    use std::sync::atomic::AtomicUsize;

    use labgraph_domain::{ChangeSet, Names, Node, NodeAttrs, PersonAttrs, Provenance};
    use labgraph_store::{GraphService, MemoryStore};
    use serde_json::json;

    use super::*;
    use crate::schema::{SchemaConfig, build_schema};

    async fn schema(timeout_ms: u64) -> (crate::schema::LabgraphSchema, Arc<GraphService>) {
        let service = Arc::new(
            GraphService::open(Arc::new(MemoryStore::new()))
                .await
                .expect("a memory store opens"),
        );
        let config = SchemaConfig {
            compute_timeout_ms: timeout_ms,
            ..SchemaConfig::default()
        };
        (build_schema(Arc::clone(&service), &config), service)
    }

    async fn add_person(service: &GraphService, id: &str) {
        let mut changes = ChangeSet::new();
        changes.upsert_node(Node {
            id: labgraph_domain::Id::new(id).expect("a valid id"),
            names: Names {
                en: Some(id.to_owned()),
                ..Names::default()
            },
            attrs: NodeAttrs::Person(PersonAttrs {}),
            provenance: Provenance::default(),
        });
        service.apply(changes).await.expect("a valid change");
    }

    fn scope(schema: &crate::schema::LabgraphSchema) -> RequestScope {
        RequestScope::new(&schema.shared)
    }

    #[test]
    fn parameters_are_canonical_whatever_the_key_order() {
        let a = ComputeKey::new("x", json!({"b": 1, "a": {"d": [1, 2], "c": null}}));
        let b = ComputeKey::new("x", json!({"a": {"c": null, "d": [1, 2]}, "b": 1}));
        assert_eq!(a.parameters, r#"{"a":{"c":null,"d":[1,2]},"b":1}"#);
        assert_eq!(a.cache_key(), b.cache_key());
        assert_ne!(
            a.cache_key(),
            ComputeKey::new("y", json!({"b": 1, "a": {"d": [1, 2], "c": null}})).cache_key()
        );
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(951_782_400_007); // 2000-02-29
        assert_eq!(rfc3339(t), "2000-02-29T00:00:00.007Z");
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        assert_eq!(rfc3339(t), "2026-11-18T11:06:40.000Z");
    }

    #[tokio::test]
    async fn a_second_identical_request_reuses_the_result() {
        let (schema, service) = schema(30_000).await;
        add_person(&service, "p1").await;
        let runs = Arc::new(AtomicUsize::new(0));
        let ask = |params: serde_json::Value| {
            let runs = Arc::clone(&runs);
            let scope = scope(&schema);
            async move {
                compute(&scope, ComputeKey::new("count", params), move |g| {
                    runs.fetch_add(1, Ordering::SeqCst);
                    Ok(g.count_of(labgraph_domain::NodeKind::Person))
                })
                .await
            }
        };
        let (first, f1) = ask(json!({"n": 1})).await.expect("computes");
        let (second, f2) = ask(json!({"n": 1})).await.expect("computes");
        assert_eq!((*first, *second), (1, 1));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(f1, f2, "the same computation, the same freshness");
        assert_eq!(schema.shared.computed.computations(), 1);
        // Other parameters: another computation.
        ask(json!({"n": 2})).await.expect("computes");
        assert_eq!(runs.load(Ordering::SeqCst), 2);
        // A write: a new version, so a new computation, which sees the new graph.
        add_person(&service, "p2").await;
        let (third, f3) = ask(json!({"n": 1})).await.expect("computes");
        assert_eq!(*third, 2);
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        assert_eq!(f3.graph_version, f1.graph_version + 1);
        assert!(f3.exact && f3.error_bound.is_none());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn identical_concurrent_requests_share_one_computation() {
        let (schema, _service) = schema(30_000).await;
        let runs = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let runs = Arc::clone(&runs);
            let scope = scope(&schema);
            tasks.push(tokio::spawn(async move {
                compute(&scope, ComputeKey::new("slow", json!({})), move |_| {
                    runs.fetch_add(1, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(200));
                    Ok(42_u32)
                })
                .await
                .map(|(v, _)| *v)
            }));
        }
        for task in tasks {
            assert_eq!(task.await.expect("the task ran"), Ok(42));
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(schema.shared.computed.computations(), 1);
    }

    #[tokio::test]
    async fn a_slow_computation_times_out_then_answers_from_the_cache() {
        let (schema, _service) = schema(20).await;
        let scope = scope(&schema);
        let slow = |_: &Graph| {
            std::thread::sleep(Duration::from_millis(300));
            Ok(7_u8)
        };
        let error = compute(&scope, ComputeKey::new("slow", json!({})), slow)
            .await
            .expect_err("20 ms is too short");
        assert_eq!(error.code(), "TIMEOUT");
        // The run was not abandoned: once it ends, the same request is answered from it.
        tokio::time::sleep(Duration::from_millis(600)).await;
        let (value, _) = compute(&scope, ComputeKey::new("slow", json!({})), slow)
            .await
            .expect("cached by now");
        assert_eq!(*value, 7);
        assert_eq!(schema.shared.computed.computations(), 1);
    }

    #[tokio::test]
    async fn a_panic_is_internal_and_not_cached() {
        let (schema, _service) = schema(30_000).await;
        let scope = scope(&schema);
        let error = compute(
            &scope,
            ComputeKey::new("boom", json!({})),
            |_| -> Result<u8, _> { panic!("on purpose") },
        )
        .await
        .expect_err("it panics");
        assert_eq!(error.code(), "INTERNAL");
        let (value, _) = compute(&scope, ComputeKey::new("boom", json!({})), |_| Ok(1_u8))
            .await
            .expect("tried again");
        assert_eq!(*value, 1);
    }

    #[tokio::test]
    async fn a_sampled_result_says_so_in_its_freshness() {
        let (schema, _service) = schema(30_000).await;
        let scope = scope(&schema);
        let key = ComputeKey::new("estimate", json!({"epsilon": 0.05})).sampled(0.05);
        let (_, freshness) = compute(&scope, key, |_| Ok(0.5_f64))
            .await
            .expect("computes");
        assert!(!freshness.exact);
        assert_eq!(freshness.error_bound, Some(0.05));
        assert_eq!(freshness.parameters, r#"{"epsilon":0.05}"#);
    }

    #[tokio::test]
    async fn an_error_of_the_work_reaches_the_client_with_its_code() {
        let (schema, _service) = schema(30_000).await;
        let scope = scope(&schema);
        let error = compute(
            &scope,
            ComputeKey::new("bad", json!({})),
            |_| -> Result<u8, _> { Err(ApiError::validation("resolution", "must be positive")) },
        )
        .await
        .expect_err("refused");
        assert_eq!(error.code(), "VALIDATION_FAILED");
    }
}
