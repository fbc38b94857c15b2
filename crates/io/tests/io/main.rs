//! Integration tests of labgraph-io, one module per area, all on real files.

mod common;
mod errors;
mod export;
mod perf;
mod roundtrip;
mod seed;
mod synthetic;
