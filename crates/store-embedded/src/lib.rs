//! The default labgraph store: the whole graph in one crash-safe, transactional redb file on
//! local disk, opened by the same process — nothing to install (docs/decisions/0001).
//!
//! The file holds three tables (see [`mod@format`]): meta (format and graph versions), nodes by id,
//! and edges by key, values encoded with postcard. A commit writes the whole diff and the new
//! version in one redb write transaction, which fsyncs before it returns; a crash at any point
//! leaves the file at the last committed version. `load` decodes both tables in bulk, on two
//! threads, and builds the [`Graph`] with [`Graph::from_parts`], which checks every node and
//! edge as a change set would: every load is also a full validation of what is stored.

pub mod format;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use labgraph_domain::{Diff, Edge, EdgeKey, EdgeKind, Graph, Node};
use labgraph_store::{Capabilities, GraphStore, StoreError};
use redb::{Database, DatabaseError, ReadableDatabase, ReadableTable, ReadableTableMetadata};

use crate::format::{EDGES, FORMAT_KEY, FORMAT_VERSION, META, NODES, VERSION_KEY, edge_key};

/// A graph store in one redb file.
///
/// One process (and one handle in it) has the file open at a time: redb locks it, and a
/// second open fails with [`StoreError::Unavailable`]. Share the handle (it is cheap to put in
/// an `Arc`) rather than opening the file twice.
#[derive(Debug)]
pub struct EmbeddedStore {
    db: Arc<Database>,
    path: Arc<Path>,
}

impl EmbeddedStore {
    /// Opens the store in `path`, creating the file (an empty graph at version 0) if it is
    /// missing or empty.
    ///
    /// Fails with [`StoreError::Unavailable`] when the file cannot be opened (another process
    /// holds it, no permission, no such directory) and with [`StoreError::Corrupt`] when it is
    /// not a labgraph store of a format this build reads. Both name the file. After a crash the
    /// open repairs the file first, which reads all of it.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path: Arc<Path> = Arc::from(path.as_ref());
        let at = Arc::clone(&path);
        let db = blocking(move || open_file(&at)).await?;
        Ok(EmbeddedStore {
            db: Arc::new(db),
            path,
        })
    }

    /// The file this store keeps the graph in.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[async_trait]
impl GraphStore for EmbeddedStore {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            durable: true,
            atomic_commits: true,
            reopenable: true,
        }
    }

    async fn load(&self) -> Result<Graph, StoreError> {
        let (db, path) = (Arc::clone(&self.db), Arc::clone(&self.path));
        blocking(move || read_graph(&db, &path)).await
    }

    async fn version(&self) -> Result<u64, StoreError> {
        let (db, path) = (Arc::clone(&self.db), Arc::clone(&self.path));
        blocking(move || {
            let txn = db.begin_read().at(&path, "starting a read")?;
            let meta = txn.open_table(META).at(&path, "opening the meta table")?;
            stored_version(&meta, &path)
        })
        .await
    }

    async fn commit(&self, base: u64, diff: &Diff) -> Result<(), StoreError> {
        let (db, path) = (Arc::clone(&self.db), Arc::clone(&self.path));
        // A clone of a diff copies pointers, not nodes: cheap, and the blocking task owns it.
        let diff = diff.clone();
        blocking(move || write_diff(&db, &path, base, &diff)).await
    }
}

/// Runs blocking redb work off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Backend(format!("embedded store task failed: {e}")))?
}

/// Adds the file and the step to a redb error, and sorts it into the store error a caller can
/// act on: damaged data is `Corrupt`, a lock held elsewhere is `Unavailable`, the rest
/// `Backend`.
trait At<T> {
    fn at(self, path: &Path, doing: &str) -> Result<T, StoreError>;
}

impl<T, E: Into<redb::Error>> At<T> for Result<T, E> {
    fn at(self, path: &Path, doing: &str) -> Result<T, StoreError> {
        self.map_err(|e| classify(path, doing, e.into()))
    }
}

fn classify(path: &Path, doing: &str, error: redb::Error) -> StoreError {
    let text = format!("{}: {doing}: {error}", path.display());
    match error {
        redb::Error::Corrupted(_)
        | redb::Error::UpgradeRequired(_)
        | redb::Error::TableTypeMismatch { .. }
        | redb::Error::TypeDefinitionChanged { .. }
        | redb::Error::TableIsMultimap(_)
        | redb::Error::TableIsNotMultimap(_) => StoreError::Corrupt(text),
        redb::Error::DatabaseAlreadyOpen | redb::Error::LockProtocolMismatch => {
            StoreError::Unavailable(text)
        }
        _ => StoreError::Backend(text),
    }
}

fn corrupt(path: &Path, what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{}: {what}", path.display()))
}

/// redb's page cache. Its default (1 GiB) would keep the whole file in memory after a load,
/// beside the `Graph` built from it; queries never read the file, so a small cache for the
/// write path is enough, and the load reads through the OS page cache just as fast.
const CACHE_BYTES: usize = 32 * 1024 * 1024;

/// Opens (or creates) the file and checks, or on a new file writes, the format version.
fn open_file(path: &Path) -> Result<Database, StoreError> {
    let db = Database::builder()
        .set_cache_size(CACHE_BYTES)
        .create(path)
        .map_err(|e| match e {
            DatabaseError::DatabaseAlreadyOpen => StoreError::Unavailable(format!(
                "{}: the store file is locked: another process (or another handle in this one) \
             has it open",
                path.display()
            )),
            // redb reports a file that is not a redb database as invalid data.
            DatabaseError::Storage(redb::StorageError::Io(io))
                if io.kind() == std::io::ErrorKind::InvalidData =>
            {
                corrupt(path, format!("not a labgraph store: {io}"))
            }
            DatabaseError::Storage(redb::StorageError::Io(io)) => StoreError::Unavailable(format!(
                "{}: cannot open the store file: {io}",
                path.display()
            )),
            other => classify(path, "opening the store file", other.into()),
        })?;

    let txn = db.begin_read().at(path, "starting a read")?;
    let format = match txn.open_table(META) {
        Ok(meta) => meta
            .get(FORMAT_KEY)
            .at(path, "reading the format version")?
            .map(|v| v.value()),
        Err(redb::TableError::TableDoesNotExist(_)) => None,
        Err(e) => return Err(e).at(path, "opening the meta table"),
    };
    match format {
        Some(FORMAT_VERSION) => return Ok(db),
        Some(other) => {
            return Err(corrupt(
                path,
                format!(
                    "store format version {other}, but this build reads only version \
                     {FORMAT_VERSION}: open it with the labgraph release that wrote it"
                ),
            ));
        }
        None => {}
    }
    // No format version: a new file — unless it holds tables, then it is some other redb file
    // that must not be written to.
    let tables: Vec<String> = txn
        .list_tables()
        .at(path, "listing tables")?
        .map(|t| redb::TableHandle::name(&t).to_owned())
        .collect();
    if !tables.is_empty() {
        return Err(corrupt(
            path,
            format!(
                "not a labgraph store (no format version; tables: {})",
                tables.join(", ")
            ),
        ));
    }
    drop(txn);
    let txn = db.begin_write().at(path, "starting the first write")?;
    {
        let mut meta = txn.open_table(META).at(path, "creating the meta table")?;
        meta.insert(FORMAT_KEY, FORMAT_VERSION)
            .at(path, "writing the format version")?;
        meta.insert(VERSION_KEY, 0)
            .at(path, "writing the graph version")?;
        txn.open_table(NODES).at(path, "creating the nodes table")?;
        txn.open_table(EDGES).at(path, "creating the edges table")?;
    }
    txn.commit().at(path, "committing the new store")?;
    Ok(db)
}

fn stored_version(
    meta: &impl ReadableTable<&'static str, u64>,
    path: &Path,
) -> Result<u64, StoreError> {
    meta.get(VERSION_KEY)
        .at(path, "reading the graph version")?
        .map(|v| v.value())
        .ok_or_else(|| corrupt(path, "the meta table has no graph version"))
}

/// Reads and validates the whole graph at one version (one read transaction).
fn read_graph(db: &Database, path: &Path) -> Result<Graph, StoreError> {
    let txn = db.begin_read().at(path, "starting a read")?;
    let meta = txn.open_table(META).at(path, "opening the meta table")?;
    let version = stored_version(&meta, path)?;
    let nodes = txn.open_table(NODES).at(path, "opening the nodes table")?;
    let edges = txn.open_table(EDGES).at(path, "opening the edges table")?;
    let edge_count = edges.len().at(path, "counting edges")? as usize;

    // Decoding is about half of a load, and the machine has two cores: this thread takes the
    // nodes and the first three edge kinds, another the last four. A split by kind needs no
    // counting and roughly halves the work when edges spread over the kinds; a skewed graph
    // is slower to load, never wrong.
    let split = (format::kind_code(EdgeKind::TalentLink), "", "");
    let (nodes, edges) = std::thread::scope(|scope| {
        let later = scope.spawn(|| read_edges(edges.range(split..), path));
        let nodes = read_nodes(&nodes, path);
        let mut edges_vec = Vec::with_capacity(edge_count);
        let first = read_edges(edges.range(..split), path).map(|e| edges_vec.extend(e));
        let later = later
            .join()
            .unwrap_or_else(|_| Err(corrupt(path, "the edge reader panicked")));
        let edges = first.and(later).map(|later| {
            edges_vec.extend(later);
            edges_vec
        });
        (nodes, edges)
    });
    Graph::from_parts(version, nodes?, edges?)
        .map_err(|e| corrupt(path, format!("the stored graph does not validate: {e}")))
}

fn read_nodes(
    table: &impl ReadableTable<&'static str, &'static [u8]>,
    path: &Path,
) -> Result<Vec<Arc<Node>>, StoreError> {
    let mut out = Vec::with_capacity(table.len().at(path, "counting nodes")? as usize);
    for entry in table.iter().at(path, "reading nodes")? {
        let (key, value) = entry.at(path, "reading a node")?;
        let node: Node = postcard::from_bytes(value.value())
            .map_err(|e| corrupt(path, format!("table nodes, key {:?}: {e}", key.value())))?;
        if node.id.as_str() != key.value() {
            return Err(corrupt(
                path,
                format!("table nodes, key {:?} holds node {}", key.value(), node.id),
            ));
        }
        out.push(Arc::new(node));
    }
    Ok(out)
}

/// A range of the edges table, as redb hands it out.
type EdgeRange = redb::Range<'static, (u8, &'static str, &'static str), &'static [u8]>;

fn read_edges(
    range: Result<EdgeRange, redb::StorageError>,
    path: &Path,
) -> Result<Vec<Arc<Edge>>, StoreError> {
    let mut out = Vec::new();
    for entry in range.at(path, "reading edges")? {
        let (key, value) = entry.at(path, "reading an edge")?;
        let edge: Edge = postcard::from_bytes(value.value())
            .map_err(|e| corrupt(path, format!("table edges, key {:?}: {e}", key.value())))?;
        let stored = edge.key();
        if edge_key(&stored) != key.value() {
            return Err(corrupt(
                path,
                format!("table edges, key {:?} holds edge {stored}", key.value()),
            ));
        }
        out.push(Arc::new(edge));
    }
    Ok(out)
}

/// Writes `diff` and the version `base + 1` in one transaction, after checking that the stored
/// version is `base`. Dropping the transaction on any error aborts it: nothing is written.
fn write_diff(db: &Database, path: &Path, base: u64, diff: &Diff) -> Result<(), StoreError> {
    let txn = db.begin_write().at(path, "starting a write")?;
    {
        let mut meta = txn.open_table(META).at(path, "opening the meta table")?;
        let actual = stored_version(&meta, path)?;
        if actual != base {
            return Err(StoreError::Conflict { base, actual });
        }
        let mut nodes = txn.open_table(NODES).at(path, "opening the nodes table")?;
        let mut edges = txn.open_table(EDGES).at(path, "opening the edges table")?;
        for key in &diff.deleted_edges {
            // Keys in a diff are normalised already; normalising again costs two pointer
            // copies and makes the store right whoever built the diff.
            let key = EdgeKey::new(key.kind, key.from.clone(), key.to.clone());
            edges.remove(edge_key(&key)).at(path, "deleting an edge")?;
        }
        for id in &diff.deleted_nodes {
            nodes.remove(id.as_str()).at(path, "deleting a node")?;
        }
        // Inserting in key order keeps the B-tree writes sequential: much faster for the big
        // change sets of an import.
        let mut upserted: Vec<&Arc<Node>> = diff.upserted_nodes.iter().collect();
        upserted.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let mut buffer = Vec::new();
        for node in upserted {
            buffer.clear();
            buffer = postcard::to_extend(&**node, buffer)
                .map_err(|e| StoreError::Backend(format!("encoding node {}: {e}", node.id)))?;
            nodes
                .insert(node.id.as_str(), buffer.as_slice())
                .at(path, "writing a node")?;
        }
        let mut upserted: Vec<(EdgeKey, &Arc<Edge>)> = diff
            .upserted_edges
            .iter()
            .map(|edge| (edge.key(), edge))
            .collect();
        upserted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (key, edge) in upserted {
            // The store keeps a symmetric edge with its ends in key order, as the graph does.
            let normalised;
            let edge: &Edge = if (&edge.from, &edge.to) == (&key.from, &key.to) {
                edge
            } else {
                normalised = Edge::clone(edge).normalised();
                &normalised
            };
            buffer.clear();
            buffer = postcard::to_extend(edge, buffer)
                .map_err(|e| StoreError::Backend(format!("encoding edge {key}: {e}")))?;
            edges
                .insert(edge_key(&key), buffer.as_slice())
                .at(path, "writing an edge")?;
        }
        meta.insert(VERSION_KEY, base + 1)
            .at(path, "writing the graph version")?;
    }
    txn.commit().at(path, "committing")
}
