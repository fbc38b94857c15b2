//! labgraph's application layer: typed configuration, the choice of backend, logging, and one
//! function per command of the `labgraph` binary (serve, import, export, seed, stats, analyse).
//!
//! The CLI crate parses arguments and maps errors to exit codes; everything it runs is here, so
//! tests can run the same commands in-process.

mod analyse;
mod commands;
mod config;
mod progress;
mod seed_data;

pub use analyse::{
    Algorithm, AnalyseRequest, Analysis, NetworkSource, OutputFormat, Projection, analyse,
};
pub use commands::{
    BadInput, ExportFormat, ImportReport, Server, export, import, open_service, seed,
    seed_synthetic, serve, stats,
};
pub use config::{ServeConfig, StoreLocation, init_tracing};
pub use labgraph_api::schema::SchemaConfig;
pub use labgraph_io::synthetic::Params as SyntheticParams;
pub use labgraph_store::StoreError;
pub use labgraph_store_neo4j::Neo4jConfig;
pub use progress::Progress;

/// The default database file, relative to the working directory.
pub const DEFAULT_DB: &str = "labgraph.db";
/// The default listen address: loopback only, so nothing is exposed by accident.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
