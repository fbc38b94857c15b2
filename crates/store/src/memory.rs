//! The in-memory reference store: the simplest correct backend, against which the conformance
//! suite itself is checked.

use std::sync::Mutex;

use async_trait::async_trait;
use labgraph_domain::{Diff, Graph};

use crate::{Capabilities, GraphStore, StoreError};

/// Keeps the graph in process memory; gone when the process ends.
#[derive(Debug, Default)]
pub struct MemoryStore {
    graph: Mutex<Graph>,
}

impl MemoryStore {
    /// An empty store at version 0.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Graph>, StoreError> {
        // A poisoned lock means a writer panicked midway; refuse rather than serve half a write.
        self.graph
            .lock()
            .map_err(|_| StoreError::Backend("memory store lock poisoned".into()))
    }
}

#[async_trait]
impl GraphStore for MemoryStore {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            durable: false,
            atomic_commits: true,
            reopenable: false,
        }
    }

    async fn load(&self) -> Result<Graph, StoreError> {
        Ok(self.lock()?.clone())
    }

    async fn version(&self) -> Result<u64, StoreError> {
        Ok(self.lock()?.version())
    }

    async fn commit(&self, base: u64, diff: &Diff) -> Result<(), StoreError> {
        let mut graph = self.lock()?;
        if graph.version() != base {
            return Err(StoreError::Conflict {
                base,
                actual: graph.version(),
            });
        }
        let (next, _) = graph.apply(&diff.to_change_set())?;
        *graph = next.with_version(base + 1);
        Ok(())
    }
}
