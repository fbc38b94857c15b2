//! Keeping several instances on one graph consistent: a server on a shared (Neo4j) store
//! checks the stored graph version every interval and reloads its snapshot when another
//! instance has committed, so instances behind a load balancer drift apart by at most one
//! interval (plus the load time).

use std::sync::Arc;
use std::time::Duration;

use labgraph_store::GraphService;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// The background check of one service; stops when dropped.
#[derive(Debug)]
pub struct Refresher {
    task: JoinHandle<()>,
}

impl Drop for Refresher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Checks `service`'s store every `interval` (in the current tokio runtime) and publishes the
/// stored graph when its version moved. A failed check is logged and the next one tried: a
/// store that is briefly away must not stop a server that can still answer from its snapshot.
pub fn spawn_refresh(service: Arc<GraphService>, interval: Duration) -> Refresher {
    let task = tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        // After a slow reload, wait a whole interval again rather than firing a burst.
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        // The first tick fires at once; the service has just loaded.
        ticks.tick().await;
        let mut failing = false;
        loop {
            ticks.tick().await;
            match service.refresh().await {
                Ok(true) => {
                    let snapshot = service.snapshot();
                    tracing::info!(
                        version = snapshot.version(),
                        nodes = snapshot.node_count(),
                        edges = snapshot.edge_count(),
                        "another instance wrote: reloaded the graph"
                    );
                    failing = false;
                }
                Ok(false) => {
                    if failing {
                        tracing::info!("the store answers again");
                    }
                    failing = false;
                }
                Err(e) => {
                    // Once per outage, not once per interval.
                    if !failing {
                        tracing::warn!(error = %e, "checking the store for new versions failed; serving the last snapshot");
                    }
                    failing = true;
                }
            }
        }
    });
    Refresher { task }
}
