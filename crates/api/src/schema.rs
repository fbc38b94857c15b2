//! The GraphQL schema (work in progress).
