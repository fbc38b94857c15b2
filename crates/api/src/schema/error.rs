//! `ApiError`: every failure the schema reports, each with a stable code in `extensions.code`.

use async_graphql::ErrorExtensions;

/// A failure answered to the client. Clients match on [`ApiError::code`], never on the text.
///
/// The message names the argument (or node) and what is wrong with it; internal failures are
/// logged with their details and answered with no internals.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// A node an argument refers to does not exist. (`NOT_FOUND`)
    #[error("{argument}: no {kind} with id {id:?}")]
    NotFound {
        /// The argument path, e.g. `where.city`.
        argument: String,
        /// The kind of node expected.
        kind: &'static str,
        /// The id given.
        id: String,
    },
    /// An argument has a value the field cannot accept. (`VALIDATION_FAILED`)
    #[error("{argument}: {reason}")]
    Validation {
        /// The argument path, e.g. `search.text`.
        argument: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A page larger than the configured maximum was asked for; the server never clamps
    /// silently. (`PAGE_SIZE_EXCEEDED`)
    #[error("{argument}: {requested} is more than the maximum page size of {max}")]
    PageSizeExceeded {
        /// `first`, `last`, `ids`.
        argument: &'static str,
        /// The size asked for.
        requested: usize,
        /// The configured maximum.
        max: usize,
    },
    /// A cursor that this field did not hand out (garbled, or from another `orderBy`).
    /// (`BAD_CURSOR`)
    #[error("{argument}: {reason}")]
    BadCursor {
        /// `after` or `before`.
        argument: &'static str,
        /// Why it cannot be used.
        reason: String,
    },
    /// An analytics computation took longer than the configured timeout; it goes on in the
    /// background and its result is cached, so asking again later may succeed. (`TIMEOUT`)
    #[error(
        "the {what} computation did not finish within {after_ms} ms; it continues in the \
         background: ask again later"
    )]
    Timeout {
        /// The family computed, e.g. `centrality`.
        what: &'static str,
        /// The timeout, in milliseconds.
        after_ms: u64,
    },
    /// Something failed inside the server. The detail goes to the log, not to the client.
    /// (`INTERNAL`)
    #[error("internal error")]
    Internal {
        /// What failed, for the log.
        detail: String,
    },
}

impl ApiError {
    /// The stable code clients match on (also listed in the module docs).
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "NOT_FOUND",
            ApiError::Validation { .. } => "VALIDATION_FAILED",
            ApiError::PageSizeExceeded { .. } => "PAGE_SIZE_EXCEEDED",
            ApiError::BadCursor { .. } => "BAD_CURSOR",
            ApiError::Timeout { .. } => "TIMEOUT",
            ApiError::Internal { .. } => "INTERNAL",
        }
    }

    /// A `VALIDATION_FAILED` error for `argument`.
    pub(crate) fn validation(argument: impl Into<String>, reason: impl Into<String>) -> Self {
        ApiError::Validation {
            argument: argument.into(),
            reason: reason.into(),
        }
    }

    /// An `INTERNAL` error; `detail` is logged, never shown.
    pub(crate) fn internal(detail: impl Into<String>) -> Self {
        ApiError::Internal {
            detail: detail.into(),
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        if let ApiError::Internal { detail } = self {
            // Logged here, where the detail is dropped, so no internal failure goes unrecorded.
            tracing::error!(detail = %detail, "internal error while resolving a GraphQL field");
        }
        async_graphql::Error::new(self.to_string())
            .extend_with(|_, ext| ext.set("code", self.code()))
    }
}
