//! The labgraph graph model: ids, node and edge kinds, multilingual names, regions and
//! jurisdictions, provenance, and the validated in-memory [`Graph`] every other crate reads.
//!
//! This crate knows no I/O, no async runtime, no petgraph, no GraphQL and no database: it is
//! the vocabulary the rest of the workspace shares.

mod change;
mod edge;
mod error;
mod graph;
mod id;
mod names;
mod node;
mod provenance;
mod region;

pub use change::{Change, ChangeSet, Diff};
pub use edge::{Edge, EdgeKey, EdgeKind, EdgeRole, TalentMode};
pub use error::{ApplyError, ValidationError};
pub use graph::{Adjacent, Graph, GraphStats};
pub use id::Id;
pub use names::Names;
pub use node::{
    CityAttrs, FieldAttrs, FieldGroup, InstitutionAttrs, InstitutionKind, LabAttrs, LabKind,
    LabStatus, Node, NodeAttrs, NodeKind, PersonAttrs, PlatformAttrs, PlatformKind,
};
pub use provenance::Provenance;
pub use region::{Jurisdiction, Region, TieClass};

/// Smallest and largest year accepted for `since`, `until`, batch and founding years.
///
/// Why: the GBA cooperation network is a post-1980 phenomenon; anything outside this range is
/// a typo (a missing digit, a month in the year field) and is rejected rather than stored.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1900..=2100;
