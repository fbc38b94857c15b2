//! GraphQL-over-HTTP: the axum router (work in progress).
