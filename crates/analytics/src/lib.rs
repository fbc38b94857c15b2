//! labgraph's network analysis: projections of the domain graph into compact CSR networks, and
//! the algorithms that run on them, synchronous and CPU-bound.
//!
//! Start with a [`projection`] (or an edge list, [`read_edge_list`]) to get a [`Network`], then
//! call an algorithm from [`algo`]. Results are keyed by domain ids; the positions inside a
//! network never leave this crate. This crate knows no store, no async runtime and no GraphQL.

pub mod algo;
mod edgelist;
mod error;
mod network;
pub mod projection;

pub use edgelist::{read_edge_list, read_edge_list_str, write_edge_list};
pub use error::{AlgorithmError, EdgeListError, ProjectionError};
pub use network::{Network, PathWeights, Scores};
