//! The graph service: reads from an immutable in-memory snapshot, writes through the store,
//! then publishes the next snapshot and tells subscribers what changed.

use std::sync::{Arc, RwLock};

use labgraph_domain::{ChangeSet, Diff, Graph};
use tokio::sync::{Mutex, broadcast};

use crate::{GraphStore, StoreError};

/// A committed change: the version it produced and its net effect.
#[derive(Debug, Clone)]
pub struct Applied {
    pub version: u64,
    pub diff: Diff,
}

/// Serves one graph: many readers on snapshots, one writer at a time.
///
/// Invariant: the published snapshot is always a version the store has committed; a write is
/// published only after the store accepted it, so a reader never sees a change that a crash
/// could take back.
#[derive(Debug)]
pub struct GraphService {
    store: Arc<dyn GraphStore>,
    current: RwLock<Arc<Graph>>,
    write: Mutex<()>,
    changes: broadcast::Sender<Arc<Applied>>,
}

/// How many committed changes a slow subscriber may lag behind before it is told it missed some.
const CHANGE_BUFFER: usize = 256;

impl GraphService {
    /// Loads the stored graph and serves it.
    pub async fn open(store: Arc<dyn GraphStore>) -> Result<Self, StoreError> {
        let graph = store.load().await?;
        Ok(GraphService {
            store,
            current: RwLock::new(Arc::new(graph)),
            write: Mutex::new(()),
            changes: broadcast::channel(CHANGE_BUFFER).0,
        })
    }

    /// The current snapshot. Cheap (an `Arc` clone); hold it for the length of one request so
    /// that the request sees one version throughout.
    pub fn snapshot(&self) -> Arc<Graph> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            // Poisoning needs a panic while the pointer is swapped, which cannot leave it
            // half-written: the value inside is still a whole snapshot.
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// The backend.
    pub fn store(&self) -> &Arc<dyn GraphStore> {
        &self.store
    }

    /// Validates and commits a change set, then publishes the new snapshot. All or nothing: on
    /// any error nothing is stored and the snapshot is unchanged.
    pub async fn apply(&self, changes: ChangeSet) -> Result<Arc<Applied>, StoreError> {
        let _writer = self.write.lock().await;
        let base = self.snapshot();
        // Applying copies the graph: off the async workers, it can take a while on big graphs.
        let work = Arc::clone(&base);
        let (next, diff) = tokio::task::spawn_blocking(move || work.apply(&changes))
            .await
            .map_err(|e| StoreError::Backend(format!("apply task failed: {e}")))??;
        if diff.is_empty() {
            return Ok(Arc::new(Applied {
                version: base.version(),
                diff,
            }));
        }
        if let Err(err) = self.store.commit(base.version(), &diff).await {
            if matches!(err, StoreError::Conflict { .. }) {
                // Another instance wrote first: catch up so the caller can retry on fresh data.
                self.reload_locked().await?;
            }
            return Err(err);
        }
        let applied = Arc::new(Applied {
            version: next.version(),
            diff,
        });
        self.publish(Arc::new(next));
        // No subscriber is not an error.
        let _ = self.changes.send(Arc::clone(&applied));
        Ok(applied)
    }

    /// Reloads from the store when another instance has moved its version on. Returns true
    /// when a newer snapshot was published.
    pub async fn refresh(&self) -> Result<bool, StoreError> {
        let _writer = self.write.lock().await;
        self.reload_locked().await
    }

    async fn reload_locked(&self) -> Result<bool, StoreError> {
        let stored = self.store.version().await?;
        if stored == self.snapshot().version() {
            return Ok(false);
        }
        let graph = self.store.load().await?;
        self.publish(Arc::new(graph));
        Ok(true)
    }

    fn publish(&self, graph: Arc<Graph>) {
        match self.current.write() {
            Ok(mut guard) => *guard = graph,
            Err(poisoned) => *poisoned.into_inner() = graph,
        }
    }

    /// Committed changes from now on, in commit order.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Applied>> {
        self.changes.subscribe()
    }
}
