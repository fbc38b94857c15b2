//! The Neo4j labgraph store: the graph kept in a Neo4j 5 server (or another Bolt/Cypher
//! server), reached through neo4rs, with parameterised Cypher only (docs/decisions/0002).
//!
//! Layout in the server's database:
//! - `(:Node {id, kind, data})` per node: `id` and `kind` for querying (an index on
//!   `:Node(id)`), `data` the whole domain `Node` as JSON, so every attribute round-trips exactly
//!   (f64 included) and a new attribute needs no schema change. Years live inside `data` as
//!   integers; no temporal type is ever stored (FalkorDB crashes returning one).
//! - `(:Node)-[:PARTNER_IN {data}]->(:Node)`, one relationship type per edge kind, in upper
//!   case; `data` the whole `Edge` as JSON, a symmetric edge stored with its ends in key order.
//! - `(:Meta {key: 'graph', version})`: the graph version (absent means 0).
//!
//! A commit checks the version equals `base` and writes the diff in batched
//! `UNWIND $rows AS row ...` statements inside one Bolt transaction. On Neo4j that transaction
//! makes the commit atomic; on FalkorDB (the test server) each statement commits on its own, so
//! [`Capabilities::atomic_commits`] is `false` until the backend is proven on a real Neo4j.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

mod cypher;
mod retry;

pub use cypher::{NodeScore, cypher_statements};
pub use retry::{RetryPolicy, is_transient};

use async_trait::async_trait;
use labgraph_domain::{Diff, Edge, EdgeKey, EdgeKind, Graph, Id, Node};
use labgraph_store::{Capabilities, GraphStore, StoreError};
use neo4rs::{BoltList, BoltMap, BoltString, BoltType, ConfigBuilder, Query, Row, query};

/// Where and how to reach the server.
#[derive(Clone)]
pub struct Neo4jConfig {
    /// `bolt://host:port` or `neo4j://host:port`.
    pub uri: String,
    /// The user to log in as.
    pub user: String,
    /// The user's password; never logged, never part of an error message.
    pub password: String,
    /// The database (on FalkorDB: the graph); `None` for the server's default.
    pub database: Option<String>,
    /// Connections the driver keeps open at most (its pool size).
    pub max_connections: usize,
    /// Rows asked for per PULL when reading.
    pub fetch_size: usize,
    /// Nodes read per page by `load`: one statement per page, so no result is larger.
    pub page_size: usize,
    /// At most this many rows per `UNWIND` statement.
    pub batch_rows: usize,
    /// At most about this many bytes of row data per `UNWIND` statement: big statements are
    /// slow on Neo4j's planner and FalkorDB receives them as query text (through the bridge).
    pub batch_bytes: usize,
    /// How long connecting (TCP, handshake, login, a first query) may take.
    pub connect_timeout: Duration,
    /// How long one statement (a page of a load, a batch of a commit) may take before it
    /// counts as a broken connection.
    pub statement_timeout: Duration,
    /// Retries of reads and commits after transient failures.
    pub retry: RetryPolicy,
}

impl std::fmt::Debug for Neo4jConfig {
    // Written out so that the password stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Neo4jConfig")
            .field("uri", &self.uri)
            .field("user", &self.user)
            .field("database", &self.database)
            .field("max_connections", &self.max_connections)
            .field("fetch_size", &self.fetch_size)
            .field("page_size", &self.page_size)
            .field("batch_rows", &self.batch_rows)
            .field("batch_bytes", &self.batch_bytes)
            .field("connect_timeout", &self.connect_timeout)
            .field("statement_timeout", &self.statement_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Neo4jConfig {
    /// A configuration with the defaults for everything but the address and credentials.
    pub fn new(
        uri: impl Into<String>,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Neo4jConfig {
            uri: uri.into(),
            user: user.into(),
            password: password.into(),
            database: None,
            max_connections: 16,
            fetch_size: 2_000,
            page_size: 5_000,
            batch_rows: 2_000,
            batch_bytes: 256 * 1024,
            connect_timeout: Duration::from_secs(10),
            // Generous: one batch of a bulk import on a loaded server can take seconds.
            statement_timeout: Duration::from_secs(120),
            retry: RetryPolicy::default(),
        }
    }

    /// The server and database, for messages: never the password.
    pub fn location(&self) -> String {
        format!(
            "{} {}",
            self.uri,
            self.database.as_deref().unwrap_or("(default database)")
        )
    }
}

/// A failed try: the error to report, and whether another try may succeed.
struct Failed {
    error: StoreError,
    transient: bool,
}

impl From<StoreError> for Failed {
    /// Errors the store makes itself (corrupt data, a conflict) are never transient.
    fn from(error: StoreError) -> Self {
        Failed {
            error,
            transient: false,
        }
    }
}

/// One statement of a commit with its rows (each with its approximate size in bytes, for
/// cutting batches) and what it does, for messages.
type Batches = (String, Vec<(usize, BoltType)>, &'static str);

/// A graph store in a Neo4j database.
pub struct Neo4jStore {
    graph: neo4rs::Graph,
    config: Arc<Neo4jConfig>,
}

impl std::fmt::Debug for Neo4jStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The password stays out of logs.
        f.debug_struct("Neo4jStore")
            .field("uri", &self.config.uri)
            .field("database", &self.config.database)
            .finish_non_exhaustive()
    }
}

impl Neo4jStore {
    /// Connects, checks the server answers, and makes sure the id index exists.
    ///
    /// Fails with [`StoreError::Unavailable`] naming the URI when the server cannot be reached
    /// within [`Neo4jConfig::connect_timeout`] or refuses the login.
    pub async fn connect(config: Neo4jConfig) -> Result<Self, StoreError> {
        let mut builder = ConfigBuilder::default()
            .uri(config.uri.as_str())
            .user(config.user.as_str())
            .password(config.password.as_str())
            .fetch_size(config.fetch_size.max(1))
            .max_connections(config.max_connections.max(1));
        if let Some(db) = &config.database {
            builder = builder.db(db.as_str());
        }
        let built = builder.build().map_err(|e| {
            StoreError::Unavailable(format!("{}: invalid configuration: {e}", config.uri))
        })?;
        let timeout = config.connect_timeout;
        let uri = config.uri.clone();
        let graph = tokio::time::timeout(timeout, neo4rs::Graph::connect(built))
            .await
            .map_err(|_| {
                StoreError::Unavailable(format!("{uri}: no connection within {timeout:?}"))
            })?
            .map_err(|e| StoreError::Unavailable(format!("{uri}: {e}")))?;
        let store = Neo4jStore {
            graph,
            config: Arc::new(config),
        };
        // Probed in a transaction: neo4rs retries a failed connection of `Graph::run` with
        // backoff for up to a minute, but not of `start_txn`, so a wrong address fails fast.
        let probe = async {
            let mut txn = store.graph.start_txn().await?;
            txn.run(query(cypher::PROBE)).await?;
            txn.commit().await
        };
        match tokio::time::timeout(timeout, probe).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return Err(StoreError::Unavailable(format!(
                    "{}: connecting: {e}",
                    store.config.location()
                )));
            }
            Err(_) => {
                return Err(StoreError::Unavailable(format!(
                    "{}: the server did not answer within {timeout:?}",
                    store.config.location()
                )));
            }
        }
        store.ensure_index().await?;
        Ok(store)
    }

    /// The configuration this store was opened with.
    pub fn config(&self) -> &Neo4jConfig {
        &self.config
    }

    /// Creates the index on `:Node(id)` unless it exists. `IF NOT EXISTS` and named indexes
    /// are not understood by every server this backend runs on (FalkorDB), so the unnamed form
    /// is sent and the "exists already" answer accepted.
    async fn ensure_index(&self) -> Result<(), StoreError> {
        let doing = "creating the index on :Node(id)";
        let attempt = || async {
            let mut txn = self.begin(doing).await?;
            match self
                .timed(doing, txn.run(query(cypher::CREATE_INDEX)))
                .await
            {
                Ok(()) => self.timed(doing, txn.commit()).await,
                Err(f) => {
                    let text = f.error.to_string().to_lowercase();
                    if text.contains("already indexed") || text.contains("already exists") {
                        Ok(())
                    } else {
                        Err(f)
                    }
                }
            }
        };
        self.retrying(doing, attempt).await
    }

    /// Sorts a driver error into the store error a caller can act on, naming the server, the
    /// database and the step, and says whether another try may succeed.
    fn fail(&self, doing: &str, error: neo4rs::Error) -> Failed {
        let transient = is_transient(&error);
        let text = format!("{}: {doing}: {error}", self.config.location());
        let error = match error {
            neo4rs::Error::IOError { .. }
            | neo4rs::Error::ConnectionError
            | neo4rs::Error::AuthenticationError(_)
            | neo4rs::Error::UnsupportedVersion(_) => StoreError::Unavailable(text),
            _ => StoreError::Backend(text),
        };
        Failed { error, transient }
    }

    fn corrupt(&self, what: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(format!("{}: {what}", self.config.location()))
    }

    /// Runs one driver call with the statement timeout; a timeout counts as a broken
    /// connection (transient): the statement may not have reached the server at all.
    async fn timed<T>(
        &self,
        doing: &str,
        call: impl Future<Output = Result<T, neo4rs::Error>>,
    ) -> Result<T, Failed> {
        let limit = self.config.statement_timeout;
        match tokio::time::timeout(limit, call).await {
            Ok(result) => result.map_err(|e| self.fail(doing, e)),
            Err(_) => Err(Failed {
                error: StoreError::Unavailable(format!(
                    "{}: {doing}: no answer within {limit:?}",
                    self.config.location()
                )),
                transient: true,
            }),
        }
    }

    /// Starts a transaction. Reads run in explicit transactions too: neo4rs's
    /// `Graph::execute` would retry a broken connection on its own for up to a minute, outside
    /// the configured policy and timeouts.
    async fn begin(&self, doing: &str) -> Result<neo4rs::Txn, Failed> {
        self.timed(doing, self.graph.start_txn()).await
    }

    /// Runs `attempt` until it succeeds, fails for good, or the policy's tries are used up,
    /// waiting a jittered, growing delay between tries. Only for idempotent work.
    async fn retrying<T, F, Fut>(&self, doing: &str, mut attempt: F) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Failed>>,
    {
        let attempts = self.config.retry.attempts.max(1);
        let mut tried = 0;
        loop {
            tried += 1;
            match attempt().await {
                Ok(value) => return Ok(value),
                Err(f) if f.transient && tried < attempts => {
                    let delay = self.config.retry.jittered_delay(tried - 1);
                    tracing::warn!(
                        store = %self.config.location(),
                        doing,
                        error = %f.error,
                        retry = tried,
                        ?delay,
                        "transient failure; retrying"
                    );
                    tokio::time::sleep(delay).await;
                }
                Err(f) => return Err(f.error),
            }
        }
    }

    /// Runs one read statement in its own transaction and returns all its rows.
    async fn fetch(&self, doing: &str, statement: Query) -> Result<Vec<Row>, Failed> {
        let mut txn = self.begin(doing).await?;
        let mut stream = self.timed(doing, txn.execute(statement)).await?;
        let mut rows = Vec::new();
        while let Some(row) = self.timed(doing, stream.next(txn.handle())).await? {
            rows.push(row);
        }
        self.timed(doing, txn.commit()).await?;
        Ok(rows)
    }

    async fn read_version(&self) -> Result<u64, StoreError> {
        Ok(self.read_commit().await?.0)
    }

    /// The stored version and the token of the commit that set it (none before the first).
    async fn read_commit(&self) -> Result<(u64, Option<String>), StoreError> {
        let doing = "reading the graph version";
        let rows = self
            .retrying(doing, || self.fetch(doing, query(cypher::READ_VERSION)))
            .await?;
        let Some(row) = rows.first() else {
            return Ok((0, None));
        };
        let version: Option<i64> = row
            .get("version")
            .map_err(|e| self.corrupt(format!("the graph version is not an integer: {e}")))?;
        let version = u64::try_from(version.unwrap_or(0))
            .map_err(|_| self.corrupt(format!("negative graph version {version:?}")))?;
        let token: Option<String> = row
            .get("commit")
            .map_err(|e| self.corrupt(format!("the commit token is not a string: {e}")))?;
        Ok((version, token))
    }

    /// Reads every node with its outgoing edges, a page of nodes at a time in id order; each
    /// page is one statement, retried on its own after a transient failure.
    async fn read_all(&self) -> Result<(Vec<Arc<Node>>, Vec<Arc<Edge>>), StoreError> {
        let doing = "reading nodes and edges";
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        let mut after = String::new();
        loop {
            let page = || {
                self.fetch(
                    doing,
                    query(cypher::READ_PAGE)
                        .param("after", after.as_str())
                        .param("limit", self.config.page_size as i64),
                )
            };
            let rows = self.retrying(doing, page).await?;
            let count = rows.len();
            for row in rows {
                let id: String = row
                    .get("id")
                    .map_err(|e| self.corrupt(format!("a node without a string id: {e}")))?;
                let data: String = row
                    .get("data")
                    .map_err(|e| self.corrupt(format!("node {id}: no data: {e}")))?;
                let node: Node = serde_json::from_str(&data)
                    .map_err(|e| self.corrupt(format!("node {id}: {e}")))?;
                if node.id.as_str() != id {
                    return Err(self.corrupt(format!("node {id} holds node {}", node.id)));
                }
                let out: Vec<String> = row
                    .get("edges")
                    .map_err(|e| self.corrupt(format!("node {id}: edge data: {e}")))?;
                for data in out {
                    let edge: Edge = serde_json::from_str(&data)
                        .map_err(|e| self.corrupt(format!("an edge of node {id}: {e}")))?;
                    if edge.from.as_str() != id {
                        return Err(
                            self.corrupt(format!("edge {} is stored on node {id}", edge.key()))
                        );
                    }
                    edges.push(Arc::new(edge));
                }
                if id > after {
                    after = id;
                }
                nodes.push(Arc::new(node));
            }
            if count < self.config.page_size.max(1) {
                return Ok((nodes, edges));
            }
        }
    }

    /// Runs `statement` once per batch of `rows` (as `$rows`), within `txn`.
    async fn write_batches(
        &self,
        txn: &mut neo4rs::Txn,
        statement: &str,
        rows: &[(usize, BoltType)],
        doing: &str,
    ) -> Result<(), Failed> {
        let mut batch: Vec<BoltType> = Vec::new();
        let mut bytes = 0usize;
        let mut rows = rows.iter().peekable();
        while let Some((size, row)) = rows.next() {
            batch.push(row.clone());
            bytes += size;
            let full = batch.len() >= self.config.batch_rows || bytes >= self.config.batch_bytes;
            if full || rows.peek().is_none() {
                let q: Query = query(statement).param(
                    "rows",
                    BoltType::List(BoltList::from(std::mem::take(&mut batch))),
                );
                bytes = 0;
                self.timed(doing, txn.run(q)).await?;
            }
        }
        Ok(())
    }

    /// The statements of a commit, their rows encoded once so that a retry sends the same.
    fn encode(&self, diff: &Diff) -> Result<Vec<Batches>, StoreError> {
        let key_row = |key: &EdgeKey| {
            // Keys in a diff are normalised already; normalising again makes the store right
            // whoever built the diff.
            let key = EdgeKey::new(key.kind, key.from.clone(), key.to.clone());
            let mut map = BoltMap::default();
            map.put("from".into(), key.from.as_str().into());
            map.put("to".into(), key.to.as_str().into());
            (key.kind, BoltType::Map(map))
        };
        let mut plan = Vec::new();
        let mut by_kind: BTreeMap<EdgeKind, Vec<(usize, BoltType)>> = BTreeMap::new();
        for key in &diff.deleted_edges {
            let (kind, row) = key_row(key);
            by_kind.entry(kind).or_default().push((64, row));
        }
        for (kind, rows) in by_kind {
            plan.push((cypher::delete_edges(kind), rows, "deleting edges"));
        }

        let ids: Vec<(usize, BoltType)> = diff
            .deleted_nodes
            .iter()
            .map(|id| (id.as_str().len() + 8, BoltType::from(id.as_str())))
            .collect();
        plan.push((cypher::DELETE_NODES.to_owned(), ids, "deleting nodes"));

        let mut nodes = Vec::with_capacity(diff.upserted_nodes.len());
        for node in &diff.upserted_nodes {
            let data = serde_json::to_string(&**node)
                .map_err(|e| StoreError::Backend(format!("encoding node {}: {e}", node.id)))?;
            let mut map = BoltMap::default();
            map.put("id".into(), node.id.as_str().into());
            map.put("kind".into(), node.kind().code().into());
            let size = data.len() + node.id.as_str().len() + 32;
            map.put("data".into(), BoltType::String(BoltString::from(data)));
            nodes.push((size, BoltType::Map(map)));
        }
        plan.push((cypher::UPSERT_NODES.to_owned(), nodes, "writing nodes"));

        let mut by_kind: BTreeMap<EdgeKind, Vec<(usize, BoltType)>> = BTreeMap::new();
        for edge in &diff.upserted_edges {
            let edge = Edge::clone(edge).normalised();
            let data = serde_json::to_string(&edge)
                .map_err(|e| StoreError::Backend(format!("encoding edge {}: {e}", edge.key())))?;
            let (kind, row) = key_row(&edge.key());
            let BoltType::Map(mut map) = row else {
                unreachable!("key_row builds a map")
            };
            let size = data.len() + 64;
            map.put("data".into(), BoltType::String(BoltString::from(data)));
            by_kind
                .entry(kind)
                .or_default()
                .push((size, BoltType::Map(map)));
        }
        for (kind, rows) in by_kind {
            plan.push((cypher::upsert_edges(kind), rows, "writing edges"));
        }
        Ok(plan)
    }

    /// One try at a commit: check the base, write every batch, move the version and record
    /// `token` as the commit that did, in one transaction.
    async fn commit_once(&self, base: u64, plan: &[Batches], token: &str) -> Result<(), Failed> {
        let doing = "checking the graph version";
        let mut txn = self.begin("starting a transaction").await?;
        let result = async {
            let check = query(cypher::CHECK_BASE)
                .param("base", base as i64)
                .param("next", base as i64 + 1);
            let mut rows = self.timed(doing, txn.execute(check)).await?;
            let row = self
                .timed(doing, rows.next(txn.handle()))
                .await?
                .ok_or_else(|| self.corrupt("the version check returned no row"))?;
            while self.timed(doing, rows.next(txn.handle())).await?.is_some() {}
            let actual: i64 = row
                .get("version")
                .map_err(|e| self.corrupt(format!("the graph version is not an integer: {e}")))?;
            let actual = u64::try_from(actual)
                .map_err(|_| self.corrupt(format!("negative graph version {actual}")))?;
            if actual != base {
                return Err(StoreError::Conflict { base, actual }.into());
            }
            for (statement, rows, doing) in plan {
                if !rows.is_empty() {
                    self.write_batches(&mut txn, statement, rows, doing).await?;
                }
            }
            let write_version = query(cypher::WRITE_VERSION)
                .param("next", base as i64 + 1)
                .param("token", token);
            self.timed("writing the graph version", txn.run(write_version))
                .await
        }
        .await;
        match result {
            Ok(()) => self.timed("committing", txn.commit()).await,
            Err(e) => {
                // Best effort: the error that made us roll back is the one to report.
                let _ = tokio::time::timeout(self.config.statement_timeout, txn.rollback()).await;
                Err(e)
            }
        }
    }

    /// Writes `scores` as the property of `score` on the nodes with those ids, in batched
    /// `UNWIND` statements (the write mode of Neo4j's Graph Data Science library). Nodes that
    /// are not stored are skipped. Repeating it writes the same values: each batch is retried
    /// on its own after a transient failure. Returns the number of nodes written.
    pub async fn write_scores(
        &self,
        score: NodeScore,
        scores: &[(Id, f64)],
    ) -> Result<usize, StoreError> {
        let doing = format!("writing {} on nodes", score.property());
        let statement = cypher::write_score(score);
        let mut written = 0usize;
        for chunk in scores.chunks(self.config.batch_rows.max(1)) {
            let rows: Vec<BoltType> = chunk
                .iter()
                .map(|(id, value)| {
                    let mut map = BoltMap::default();
                    map.put("id".into(), id.as_str().into());
                    map.put("score".into(), BoltType::from(*value));
                    BoltType::Map(map)
                })
                .collect();
            let attempt = || async {
                let batch =
                    query(&statement).param("rows", BoltType::List(BoltList::from(rows.clone())));
                let found = self.fetch(&doing, batch).await?;
                let count: i64 = found
                    .first()
                    .and_then(|row| row.get("written").ok())
                    .unwrap_or(0);
                Ok(usize::try_from(count).unwrap_or(0))
            };
            written += self.retrying(&doing, attempt).await?;
        }
        Ok(written)
    }

    /// Every node's value of `score`, by id (nodes without one left out): what
    /// [`Neo4jStore::write_scores`] wrote, as the server holds it.
    pub async fn read_scores(&self, score: NodeScore) -> Result<Vec<(Id, f64)>, StoreError> {
        let doing = format!("reading {} from nodes", score.property());
        let rows = self
            .retrying(&doing, || {
                self.fetch(&doing, query(&cypher::read_score(score)))
            })
            .await?;
        rows.into_iter()
            .map(|row| {
                let id: String = row
                    .get("id")
                    .map_err(|e| self.corrupt(format!("a node without a string id: {e}")))?;
                let value: f64 = row
                    .get("score")
                    .map_err(|e| self.corrupt(format!("node {id}: {}: {e}", score.property())))?;
                let id = Id::new(id.as_str())
                    .map_err(|e| self.corrupt(format!("node id {id:?}: {e}")))?;
                Ok((id, value))
            })
            .collect()
    }
}

/// A token naming one commit, unique enough that another instance's commit never carries it:
/// the process, the time and the per-call random jitter source.
fn commit_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    format!("{}-{nanos}-{:016x}", std::process::id(), hasher.finish())
}

#[async_trait]
impl GraphStore for Neo4jStore {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            // The server's own durability; a committed transaction survives this process.
            durable: true,
            // See the crate docs: not shown on the test server, which has no transactions.
            atomic_commits: false,
            reopenable: true,
        }
    }

    async fn load(&self) -> Result<Graph, StoreError> {
        // Without a snapshot read on every server, read the version before and after: a
        // commit in between shows as a change, and the read is repeated.
        for _ in 0..5 {
            let before = self.read_version().await?;
            let (nodes, edges) = self.read_all().await?;
            if self.read_version().await? == before {
                return Graph::from_parts(before, nodes, edges)
                    .map_err(|e| self.corrupt(format!("the stored graph does not validate: {e}")));
            }
        }
        Err(StoreError::Backend(format!(
            "{}: the graph kept changing during five loads",
            self.config.location()
        )))
    }

    async fn version(&self) -> Result<u64, StoreError> {
        self.read_version().await
    }

    /// Commits in one transaction; after a transient failure (a dropped connection, a
    /// deadlock) the commit is retried — safely, because every try is guarded by the base
    /// version and leaves a token naming itself beside the version it sets. Before a retry the
    /// stored version is read: at `base + 1` with this commit's token, the lost answer hid a
    /// success (done); still at `base`, nothing was committed (Neo4j rolled the transaction
    /// back; on FalkorDB, which commits statement by statement, the earlier statements'
    /// MERGEs and deletes are simply repeated); anything else is another writer (a conflict).
    async fn commit(&self, base: u64, diff: &Diff) -> Result<(), StoreError> {
        let started = std::time::Instant::now();
        let plan = self.encode(diff)?;
        let token = commit_token();
        // Bulk imports are measured by this line (scripts/bench-neo4j), operators see it too.
        let done = || {
            tracing::info!(
                store = %self.config.location(),
                version = base + 1,
                nodes = diff.upserted_nodes.len(),
                edges = diff.upserted_edges.len(),
                deleted = diff.deleted_nodes.len() + diff.deleted_edges.len(),
                batch_rows = self.config.batch_rows,
                batch_bytes = self.config.batch_bytes,
                seconds = started.elapsed().as_secs_f64(),
                "committed"
            );
        };
        let attempts = self.config.retry.attempts.max(1);
        let mut tried = 0;
        loop {
            tried += 1;
            let failed = match self.commit_once(base, &plan, &token).await {
                Ok(()) => {
                    done();
                    return Ok(());
                }
                Err(f) if f.transient && tried < attempts => f,
                Err(f) => return Err(f.error),
            };
            let delay = self.config.retry.jittered_delay(tried - 1);
            tracing::warn!(
                store = %self.config.location(),
                error = %failed.error,
                retry = tried,
                ?delay,
                "commit failed transiently; checking whether it landed before retrying"
            );
            tokio::time::sleep(delay).await;
            let (version, stored_token) = self.read_commit().await?;
            if version == base + 1 && stored_token.as_deref() == Some(token.as_str()) {
                done();
                return Ok(());
            }
            if version != base {
                return Err(StoreError::Conflict {
                    base,
                    actual: version,
                });
            }
        }
    }
}
