//! Validation errors: each names the thing (id, edge, field) and what is wrong with it.

use crate::NodeKind;

/// Why a node, an edge or a change set was refused.
///
/// Every variant names the offending id or edge and the field, so that an importer can add the
/// file and line and an API can add the request path without re-deriving what went wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    #[error("invalid id {id:?}: {reason}")]
    InvalidId { id: String, reason: &'static str },
    #[error("{what} {id}: field `{field}`: {reason}")]
    InvalidValue {
        what: &'static str,
        id: String,
        field: &'static str,
        reason: String,
    },
    #[error(
        "node {id} has no name: give at least one of name_zh_hans, name_zh_hant, name_en, name_pt"
    )]
    MissingName { id: String },
    #[error("{referrer}: field `{field}` refers to unknown node {id}")]
    UnknownNode {
        referrer: String,
        field: &'static str,
        id: String,
    },
    #[error("{referrer}: field `{field}` must refer to a {expected} node, but {id} is a {found}")]
    WrongKind {
        referrer: String,
        field: &'static str,
        id: String,
        expected: String,
        found: NodeKind,
    },
    #[error(
        "node {id} is a {existing} and cannot become a {requested}: ids are stable, delete it first"
    )]
    KindChange {
        id: String,
        existing: NodeKind,
        requested: NodeKind,
    },
    #[error("node {id} cannot be deleted: {referrer} still refers to it in field `{field}`")]
    StillReferenced {
        id: String,
        referrer: String,
        field: &'static str,
    },
}

/// A change set was refused: which change (0-based, in the order given) and why.
///
/// Nothing of a refused change set is applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("change #{index}: {error}")]
pub struct ApplyError {
    /// Position of the offending change in the change set.
    pub index: usize,
    /// What is wrong with it.
    #[source]
    pub error: ValidationError,
}
