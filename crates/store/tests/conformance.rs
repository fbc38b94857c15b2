//! Runs the shared conformance suite on `MemoryStore`, the reference backend: if the suite
//! fails here, the suite (or the contract) is wrong, not a backend.

use std::sync::Arc;

use async_trait::async_trait;
use labgraph_store::{GraphStore, MemoryStore, StoreError};
use labgraph_store_conformance::StoreHarness;

/// Memory stores are fresh by construction and cannot be reopened (their data ends with them).
struct Memory;

#[async_trait]
impl StoreHarness for Memory {
    async fn fresh(&self, _test: &str) -> Result<Arc<dyn GraphStore>, StoreError> {
        Ok(Arc::new(MemoryStore::new()))
    }

    async fn reopen(&self, test: &str) -> Result<Arc<dyn GraphStore>, StoreError> {
        Err(StoreError::Unavailable(format!(
            "memory store of {test} cannot be reopened"
        )))
    }
}

labgraph_store_conformance::suite!(Memory);
