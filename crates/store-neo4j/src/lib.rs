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
use std::sync::Arc;

mod cypher;

pub use cypher::cypher_statements;

use async_trait::async_trait;
use labgraph_domain::{Diff, Edge, EdgeKey, EdgeKind, Graph, Node};
use labgraph_store::{Capabilities, GraphStore, StoreError};
use neo4rs::{BoltList, BoltMap, BoltString, BoltType, ConfigBuilder, Query, query};

/// Where and how to reach the server.
#[derive(Debug, Clone)]
pub struct Neo4jConfig {
    /// `bolt://host:port` or `neo4j://host:port`.
    pub uri: String,
    pub user: String,
    pub password: String,
    /// The database (on FalkorDB: the graph); `None` for the server's default.
    pub database: Option<String>,
    /// Rows asked for per PULL when reading.
    pub fetch_size: usize,
    /// Nodes read per page by `load`.
    pub page_size: usize,
    /// At most this many rows per `UNWIND` statement.
    pub batch_rows: usize,
    /// At most about this many bytes of row data per `UNWIND` statement: big statements are
    /// slow on Neo4j's planner and FalkorDB receives them as query text (through the bridge).
    pub batch_bytes: usize,
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
            fetch_size: 2_000,
            page_size: 5_000,
            batch_rows: 2_000,
            batch_bytes: 256 * 1024,
        }
    }
}

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
    /// or refuses the login.
    pub async fn connect(config: Neo4jConfig) -> Result<Self, StoreError> {
        let mut builder = ConfigBuilder::default()
            .uri(config.uri.as_str())
            .user(config.user.as_str())
            .password(config.password.as_str())
            .fetch_size(config.fetch_size);
        if let Some(db) = &config.database {
            builder = builder.db(db.as_str());
        }
        let built = builder.build().map_err(|e| {
            StoreError::Unavailable(format!("{}: invalid configuration: {e}", config.uri))
        })?;
        let graph = neo4rs::Graph::connect(built)
            .await
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", config.uri)))?;
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
        probe.await.map_err(|e| store.error("connecting", e))?;
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
        match self.graph.run(query(cypher::CREATE_INDEX)).await {
            Ok(()) => Ok(()),
            Err(e) => {
                let text = e.to_string().to_lowercase();
                if text.contains("already indexed") || text.contains("already exists") {
                    Ok(())
                } else {
                    Err(self.error("creating the index on :Node(id)", e))
                }
            }
        }
    }

    /// Sorts a driver error into the store error a caller can act on, naming the server, the
    /// database and the step.
    fn error(&self, doing: &str, error: neo4rs::Error) -> StoreError {
        let db = self
            .config
            .database
            .as_deref()
            .unwrap_or("(default database)");
        let text = format!("{} {db}: {doing}: {error}", self.config.uri);
        match error {
            neo4rs::Error::IOError { .. }
            | neo4rs::Error::ConnectionError
            | neo4rs::Error::AuthenticationError(_)
            | neo4rs::Error::UnsupportedVersion(_) => StoreError::Unavailable(text),
            _ => StoreError::Backend(text),
        }
    }

    fn corrupt(&self, what: impl std::fmt::Display) -> StoreError {
        let db = self
            .config
            .database
            .as_deref()
            .unwrap_or("(default database)");
        StoreError::Corrupt(format!("{} {db}: {what}", self.config.uri))
    }

    async fn read_version(&self) -> Result<u64, StoreError> {
        let doing = "reading the graph version";
        let mut rows = self
            .graph
            .execute(query(cypher::READ_VERSION))
            .await
            .map_err(|e| self.error(doing, e))?;
        let Some(row) = rows.next().await.map_err(|e| self.error(doing, e))? else {
            return Ok(0);
        };
        let version: Option<i64> = row
            .get("version")
            .map_err(|e| self.corrupt(format!("the graph version is not an integer: {e}")))?;
        u64::try_from(version.unwrap_or(0))
            .map_err(|_| self.corrupt(format!("negative graph version {version:?}")))
    }

    /// Reads every node with its outgoing edges, a page of nodes at a time in id order.
    async fn read_all(&self) -> Result<(Vec<Arc<Node>>, Vec<Arc<Edge>>), StoreError> {
        let doing = "reading nodes and edges";
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        let mut after = String::new();
        loop {
            let page = query(cypher::READ_PAGE)
                .param("after", after.as_str())
                .param("limit", self.config.page_size as i64);
            let mut rows = self
                .graph
                .execute(page)
                .await
                .map_err(|e| self.error(doing, e))?;
            let mut count = 0usize;
            while let Some(row) = rows.next().await.map_err(|e| self.error(doing, e))? {
                count += 1;
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
            if count < self.config.page_size {
                return Ok((nodes, edges));
            }
        }
    }

    /// Runs `statement` once per batch of `rows` (as `$rows`), within `txn`.
    async fn write_batches(
        &self,
        txn: &mut neo4rs::Txn,
        statement: &str,
        rows: Vec<(usize, BoltType)>,
        doing: &str,
    ) -> Result<(), StoreError> {
        let mut batch: Vec<BoltType> = Vec::new();
        let mut bytes = 0usize;
        let mut rows = rows.into_iter().peekable();
        while let Some((size, row)) = rows.next() {
            batch.push(row);
            bytes += size;
            let full = batch.len() >= self.config.batch_rows || bytes >= self.config.batch_bytes;
            if full || rows.peek().is_none() {
                let q: Query = query(statement).param(
                    "rows",
                    BoltType::List(BoltList::from(std::mem::take(&mut batch))),
                );
                bytes = 0;
                txn.run(q).await.map_err(|e| self.error(doing, e))?;
            }
        }
        Ok(())
    }

    async fn write(&self, txn: &mut neo4rs::Txn, base: u64, diff: &Diff) -> Result<(), StoreError> {
        let mut rows = txn
            .execute(
                query(cypher::CHECK_BASE)
                    .param("base", base as i64)
                    .param("next", base as i64 + 1),
            )
            .await
            .map_err(|e| self.error("checking the graph version", e))?;
        let row = rows
            .next(txn.handle())
            .await
            .map_err(|e| self.error("checking the graph version", e))?
            .ok_or_else(|| self.corrupt("the version check returned no row"))?;
        while rows
            .next(txn.handle())
            .await
            .map_err(|e| self.error("checking the graph version", e))?
            .is_some()
        {}
        let actual: i64 = row
            .get("version")
            .map_err(|e| self.corrupt(format!("the graph version is not an integer: {e}")))?;
        let actual = u64::try_from(actual)
            .map_err(|_| self.corrupt(format!("negative graph version {actual}")))?;
        if actual != base {
            return Err(StoreError::Conflict { base, actual });
        }

        let key_row = |key: &EdgeKey| {
            // Keys in a diff are normalised already; normalising again makes the store right
            // whoever built the diff.
            let key = EdgeKey::new(key.kind, key.from.clone(), key.to.clone());
            let mut map = BoltMap::default();
            map.put("from".into(), key.from.as_str().into());
            map.put("to".into(), key.to.as_str().into());
            (key.kind, BoltType::Map(map))
        };
        let mut by_kind: BTreeMap<EdgeKind, Vec<(usize, BoltType)>> = BTreeMap::new();
        for key in &diff.deleted_edges {
            let (kind, row) = key_row(key);
            by_kind.entry(kind).or_default().push((64, row));
        }
        for (kind, rows) in by_kind {
            self.write_batches(txn, &cypher::delete_edges(kind), rows, "deleting edges")
                .await?;
        }

        let ids: Vec<(usize, BoltType)> = diff
            .deleted_nodes
            .iter()
            .map(|id| (id.as_str().len() + 8, BoltType::from(id.as_str())))
            .collect();
        self.write_batches(txn, cypher::DELETE_NODES, ids, "deleting nodes")
            .await?;

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
        self.write_batches(txn, cypher::UPSERT_NODES, nodes, "writing nodes")
            .await?;

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
            self.write_batches(txn, &cypher::upsert_edges(kind), rows, "writing edges")
                .await?;
        }

        txn.run(query(cypher::WRITE_VERSION).param("next", base as i64 + 1))
            .await
            .map_err(|e| self.error("writing the graph version", e))
    }
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
            self.config.uri
        )))
    }

    async fn version(&self) -> Result<u64, StoreError> {
        self.read_version().await
    }

    async fn commit(&self, base: u64, diff: &Diff) -> Result<(), StoreError> {
        let mut txn = self
            .graph
            .start_txn()
            .await
            .map_err(|e| self.error("starting a transaction", e))?;
        match self.write(&mut txn, base, diff).await {
            Ok(()) => txn.commit().await.map_err(|e| self.error("committing", e)),
            Err(e) => {
                // Best effort: the error that made us roll back is the one to report.
                let _ = txn.rollback().await;
                Err(e)
            }
        }
    }
}
