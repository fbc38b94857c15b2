//! labgraph's file formats: the graph-seed record format v1 (JSON Lines, JSON, CSV) with
//! readers that name file, line and field in every error; writers for JSON Lines and CSV that
//! read back into the same graph; GraphML and GEXF export; and the deterministic synthetic
//! graph generator used by benchmarks.
//!
//! The format is specified in `docs/seed-format.md`. In short: a graph is a set of flat
//! records, one fact per record (`{"record":"node","kind":"institution","id":"hku",...}` or
//! `{"record":"edge","kind":"partner_in","from":"jnu","to":"...",...}`), optionally preceded by
//! `{"record":"header","format":"labgraph-seed","version":1}`.
//!
//! This crate knows files and bytes; it knows no store, no async runtime and no GraphQL.

mod error;
mod export;
mod read;
mod record;
pub mod synthetic;
mod write;

pub use error::{ImportError, Location};
pub use export::{write_gexf, write_graphml};
pub use read::{Format, Parsed, read_files, read_sources, read_str};
pub use record::{FORMAT_NAME, FORMAT_VERSION};
pub use write::{write_csv, write_csv_dir, write_jsonl};
