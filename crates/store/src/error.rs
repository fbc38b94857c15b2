//! Store errors, each mapped to a stable code at the API edge.

use labgraph_domain::ApplyError;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The change set is invalid; nothing was written. (`VALIDATION_FAILED`)
    #[error("{0}")]
    Rejected(#[from] ApplyError),
    /// Another writer committed first; nothing was written. (`CONFLICT`)
    #[error("version conflict: the change was based on version {base}, the store is at {actual}")]
    Conflict { base: u64, actual: u64 },
    /// The backend cannot be reached or opened. (`BACKEND_UNAVAILABLE`)
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The stored data cannot be read back (damaged file, unknown format). (`STORE_CORRUPT`)
    #[error("store data is unreadable: {0}")]
    Corrupt(String),
    /// Any other backend failure. (`INTERNAL`)
    #[error("store failure: {0}")]
    Backend(String),
}

impl StoreError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Rejected(_) => "VALIDATION_FAILED",
            StoreError::Conflict { .. } => "CONFLICT",
            StoreError::Unavailable(_) => "BACKEND_UNAVAILABLE",
            StoreError::Corrupt(_) => "STORE_CORRUPT",
            StoreError::Backend(_) => "INTERNAL",
        }
    }
}
