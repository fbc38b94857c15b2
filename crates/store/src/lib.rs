//! The storage contract: the [`GraphStore`] trait every backend implements, [`StoreError`],
//! [`Capabilities`], the [`GraphService`] that serves reads from an in-memory snapshot and
//! publishes a new one after each committed write, and [`MemoryStore`], the reference backend.
//!
//! This crate knows no concrete engine: redb, Neo4j and the rest live in their own crates.

mod error;
mod memory;
mod service;

pub use error::StoreError;
pub use memory::MemoryStore;
pub use service::{Applied, GraphService};

use async_trait::async_trait;
use labgraph_domain::{Diff, Graph};

/// What a backend can show; the conformance suite skips what a backend lacks instead of forking
/// tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// A committed change survives the process being killed.
    pub durable: bool,
    /// A commit that fails midway leaves nothing behind.
    pub atomic_commits: bool,
    /// The store can be reopened by a new instance and shows the same graph.
    pub reopenable: bool,
}

/// A place where the graph is kept.
///
/// The core is deliberately small: read everything, write a diff atomically, read the version.
/// Queries are served from the in-memory [`Graph`] the [`GraphService`] holds, so a backend
/// never answers a query itself — which is what lets every backend behave the same.
#[async_trait]
pub trait GraphStore: Send + Sync + std::fmt::Debug {
    /// What this backend can show.
    fn capabilities(&self) -> Capabilities;

    /// Reads the whole stored graph, labelled with the stored version.
    async fn load(&self) -> Result<Graph, StoreError>;

    /// The stored version (0 for an empty store).
    async fn version(&self) -> Result<u64, StoreError>;

    /// Writes `diff` atomically, moving the stored version from `base` to `base + 1`.
    ///
    /// Fails with [`StoreError::Conflict`] (and writes nothing) when the stored version is not
    /// `base`: another writer got there first.
    async fn commit(&self, base: u64, diff: &Diff) -> Result<(), StoreError>;
}
