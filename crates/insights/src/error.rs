//! `InsightError`: arguments an answer cannot work with, each naming the argument and the id or
//! value at fault, so that the API can give it a code and the CLI an exit code.

use labgraph_domain::NodeKind;

/// Why an answer was refused. Every variant names the argument (`add.labs[0].partners[1]`,
/// `k`, `from`) and the offending id or value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InsightError {
    /// An argument names a node that does not exist.
    #[error("{argument}: no node with id {id:?}")]
    UnknownNode {
        /// Where the id was given, e.g. `remove[0]`.
        argument: String,
        /// The id given.
        id: String,
    },
    /// An argument names a node of the wrong kind (a city where an institution belongs).
    #[error("{argument}: {expected} is wanted, but {id:?} is of kind {found}")]
    WrongKind {
        /// Where the id was given.
        argument: String,
        /// The id given.
        id: String,
        /// The kind (or kinds) the argument takes, e.g. `an institution`.
        expected: &'static str,
        /// The kind the node has.
        found: NodeKind,
    },
    /// An argument has a value out of its range or a shape the answer cannot use (a year out
    /// of range, `from` after `to`, `k` too large, an empty list, a tie from a node to itself).
    #[error("{argument}: {reason}")]
    Invalid {
        /// The argument, e.g. `k`.
        argument: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl InsightError {
    /// An [`InsightError::Invalid`] for `argument`.
    pub(crate) fn invalid(argument: impl Into<String>, reason: impl Into<String>) -> Self {
        InsightError::Invalid {
            argument: argument.into(),
            reason: reason.into(),
        }
    }
}
