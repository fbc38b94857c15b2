//! Runs the shared conformance suite on `Neo4jStore` against a real Cypher server: FalkorDB
//! (started by scripts/falkordb), reached through the Bolt version bridge. Each test has its
//! own database (a FalkorDB graph named after the test), wiped at the start.

mod support;

use std::sync::Arc;

use async_trait::async_trait;
use labgraph_bolt_bridge::Bridge;
use labgraph_store::{GraphStore, StoreError};
use labgraph_store_conformance::StoreHarness;
use labgraph_store_neo4j::{Neo4jConfig, Neo4jStore};
use tokio::sync::OnceCell;

/// One bridge per test (started on first use, in that test's runtime), shared by its stores.
struct Falkor {
    bridge: OnceCell<Bridge>,
}

impl Falkor {
    fn new() -> Self {
        Falkor {
            bridge: OnceCell::new(),
        }
    }

    async fn bridge(&self) -> &Bridge {
        self.bridge.get_or_init(support::bridge).await
    }

    async fn open(&self, test: &str) -> Result<Arc<dyn GraphStore>, StoreError> {
        let mut config = Neo4jConfig::new(self.bridge().await.uri(), "neo4j", "unused");
        config.database = Some(graph_name(test));
        Ok(Arc::new(Neo4jStore::connect(config).await?))
    }
}

/// The graph of a test: its name, prefixed so the tests' graphs are easy to spot.
fn graph_name(test: &str) -> String {
    format!("conformance_{test}")
}

#[async_trait]
impl StoreHarness for Falkor {
    async fn fresh(&self, test: &str) -> Result<Arc<dyn GraphStore>, StoreError> {
        let graph = support::connect(self.bridge().await, &graph_name(test)).await;
        graph
            .run(neo4rs::query("MATCH (n) DETACH DELETE n"))
            .await
            .map_err(|e| StoreError::Unavailable(format!("wiping graph {test}: {e}")))?;
        self.open(test).await
    }

    async fn reopen(&self, test: &str) -> Result<Arc<dyn GraphStore>, StoreError> {
        self.open(test).await
    }
}

labgraph_store_conformance::suite!(Falkor::new());
