//! labgraph's application layer: typed configuration, the choice of backend, logging, and one
//! function per command of the `labgraph` binary (serve, import, export, seed, stats, analyse).
//!
//! The CLI crate parses arguments and maps errors to exit codes; everything it runs is here, so
//! tests can run the same commands in-process.

mod analyse;
mod answers;
mod commands;
mod config;
mod flows;
mod maps;
mod partners;
mod progress;
mod refresh;
mod seed_data;
mod write_back;

pub use analyse::{
    Algorithm, AlgorithmOptions, AnalyseRequest, Analysis, Groups, NetworkSource, OutputFormat,
    Projection, SampleBound, analyse,
};
pub use answers::{
    AnswerFormat, EvolutionReport, GapsReport, GapsRequest, RollupLevel, RollupReport,
    WhatIfReport, WhatIfRequest, evolution, gaps, parse_lab, parse_tie, rollup, what_if,
};
pub use commands::{
    BadInput, ExportFormat, ImportReport, Server, export, import, open_service, seed,
    seed_synthetic, serve, stats,
};
pub use commands::{CopyReport, copy, import_into};
pub use config::{
    LimitsOptions, Neo4jOptions, ServeOptions, defaults, is_bolt_uri, parse_duration, parse_timeout,
};
pub use config::{ServeConfig, StoreLocation, init_tracing};
pub use flows::{FlowsReport, FlowsRequest, flows};
pub use labgraph_api::schema::SchemaConfig;
pub use labgraph_insights::gaps::AreaLevel;
pub use labgraph_io::synthetic::Params as SyntheticParams;
pub use labgraph_store::StoreError;
pub use labgraph_store_neo4j::Neo4jConfig;
pub use maps::{MapFormat, MapReport, SubgraphRequest, subgraph};
pub use partners::{
    EvaluateReport, EvaluateRequest, EvaluationGraph, PartnersReport, PartnersRequest, PathsReport,
    PathsRequest, parse_institution_kind, parse_jurisdiction, partners, partners_evaluate, paths,
};
pub use progress::Progress;
pub use refresh::{Refresher, spawn_refresh};
pub use write_back::WrittenBack;

/// The default database file, relative to the working directory.
pub const DEFAULT_DB: &str = "labgraph.db";
/// The default listen address: loopback only, so nothing is exposed by accident.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
