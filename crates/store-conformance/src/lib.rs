//! The conformance suite of the storage contract: one `pub async fn` per promise of
//! [`GraphStore`] and [`GraphService`], run by every backend's tests through [`suite!`].
//!
//! Why one shared suite (the object_store pattern): the product promises that the embedded
//! store and Neo4j behave the same, and the only proof of that is the same tests passing on
//! both. Differences between backends are [`labgraph_store::Capabilities`] flags, never forked
//! tests; a promise a backend cannot show is skipped with a one-line reason ([`Outcome`]).
//!
//! A backend's test file is two lines:
//!
//! ```text
//! struct MyHarness; // impl labgraph_store_conformance::StoreHarness for MyHarness { ... }
//! labgraph_store_conformance::suite!(MyHarness);
//! ```
//!
//! The test crate needs `tokio` (with `macros` and `rt-multi-thread`) among its dependencies:
//! the macro expands to `#[tokio::test]`s.
//!
//! [`GraphService`]: labgraph_store::GraphService

mod check;
mod promises;
pub mod sample;

use std::sync::Arc;

use async_trait::async_trait;
use labgraph_store::{GraphStore, StoreError};

pub use promises::*;

/// How a backend's tests give the suite stores to test.
///
/// Every promise asks for its own store by the promise's name, so tests running in parallel
/// never share data (sqlx's "own database per test" rule).
#[async_trait]
pub trait StoreHarness: Send + Sync {
    /// A new, empty store for the test named `test`. Anything an earlier run left under that
    /// name is wiped first, so a failed run cannot leak into the next one.
    async fn fresh(&self, test: &str) -> Result<Arc<dyn GraphStore>, StoreError>;

    /// A new handle on the data that [`StoreHarness::fresh`] made for `test`, as a restarted
    /// process would open it. Called only when the store's capabilities say `reopenable`, and
    /// only after the suite dropped every earlier handle (an exclusive backend may hold a lock
    /// until then).
    async fn reopen(&self, test: &str) -> Result<Arc<dyn GraphStore>, StoreError>;
}

/// What a promise found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Outcome {
    /// The backend keeps the promise. (A broken promise panics with what broke.)
    Passed,
    /// The backend's capabilities say it cannot show this promise; the reason says which.
    Skipped(&'static str),
}

/// Prints a skip so it shows in the test output; a pass needs no words.
pub fn report(promise: &str, outcome: Outcome) {
    if let Outcome::Skipped(reason) = outcome {
        eprintln!("SKIPPED {promise}: {reason}");
    }
}

/// Expands to one `#[tokio::test]` per promise, each named after it, running it on a fresh
/// store from the harness `$harness` (an expression evaluated anew in every test).
///
/// The runtime is multi-threaded with two workers so that the concurrency promise really runs
/// writers in parallel.
#[macro_export]
macro_rules! suite {
    ($harness:expr) => {
        $crate::suite!(@promises $harness;
            empty_store_loads_at_version_zero,
            committed_graph_round_trips_exactly,
            upsert_replaces_the_whole_node_or_edge,
            versions_step_by_one_and_repeats_change_nothing,
            invalid_change_sets_are_rejected_and_store_nothing,
            deleting_a_node_cascades_its_edges,
            deleting_a_referenced_city_is_refused,
            stale_commit_conflicts_and_writes_nothing,
            second_service_sees_first_write_after_refresh,
            concurrent_applies_serialize_without_lost_updates,
            subscribers_receive_each_applied_in_order,
            big_change_set_commits_and_reloads,
            symmetric_edges_in_either_direction_are_one_edge,
            reopened_store_continues_where_it_left_off,
        );
    };
    (@promises $harness:expr; $($promise:ident),+ $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $promise() {
                let harness = $harness;
                let outcome = $crate::$promise(&harness, stringify!($promise)).await;
                $crate::report(stringify!($promise), outcome);
            }
        )+
    };
}
