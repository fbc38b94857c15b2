//! The file format, version 1: table definitions and key encodings. Changing anything here, or
//! the serde shape of a domain type, changes the format — the fixture test
//! (tests/format.rs, tests/fixtures/format-v1.redb) fails until [`FORMAT_VERSION`] is raised
//! and a migration written.
//!
//! - `labgraph_meta` (`&str` → `u64`): `format_version` = 1, `graph_version` = the graph's
//!   version (0 when empty).
//! - `labgraph_nodes` (`&str` id → bytes): the postcard encoding of the whole `Node`.
//! - `labgraph_edges` (`(u8 kind, &str from, &str to)` → bytes): the postcard encoding of the
//!   whole `Edge`, ends of a symmetric edge in key order. The value repeats the key's ids
//!   because a load then decodes one value per edge and nothing else, and the repeat costs
//!   less than a second decoder would.
//!
//! Why postcard: serde's most compact stable binary encoding (varints, no field names), a
//! documented wire format, and fast; the domain types are plain serde structs and externally
//! tagged enums, which it encodes without any tagging overhead. Enum variants are encoded by
//! position, so reordering a domain enum is a format change (the fixture test catches it).

use labgraph_domain::{EdgeKey, EdgeKind};
use redb::TableDefinition;

/// The format this build writes and reads.
pub const FORMAT_VERSION: u64 = 1;

/// Format and graph versions.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("labgraph_meta");
/// Nodes by id.
pub const NODES: TableDefinition<&str, &[u8]> = TableDefinition::new("labgraph_nodes");
/// Edges by (kind code, from, to).
pub const EDGES: TableDefinition<(u8, &str, &str), &[u8]> = TableDefinition::new("labgraph_edges");

/// The meta key of the format version.
pub const FORMAT_KEY: &str = "format_version";
/// The meta key of the graph version.
pub const VERSION_KEY: &str = "graph_version";

/// The stored code of an edge kind. Spelled out rather than derived from the enum's order, so
/// the key encoding cannot change by accident.
pub fn kind_code(kind: EdgeKind) -> u8 {
    match kind {
        EdgeKind::PartnerIn => 0,
        EdgeKind::AffiliatedWith => 1,
        EdgeKind::MemberOf => 2,
        EdgeKind::TalentLink => 3,
        EdgeKind::CollaboratesWith => 4,
        EdgeKind::WorksOn => 5,
        EdgeKind::PartOf => 6,
    }
}

/// The stored key of an edge (its ends already in key order).
pub fn edge_key(key: &EdgeKey) -> (u8, &str, &str) {
    (kind_code(key.kind), key.from.as_str(), key.to.as_str())
}
