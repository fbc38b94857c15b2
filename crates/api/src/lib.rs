//! labgraph's API: the GraphQL schema over the graph service ([`schema`]) and the
//! GraphQL-over-HTTP axum router that serves it ([`http`]), with GraphiQL served offline.
//!
//! The schema knows nothing of HTTP; the router knows nothing of the graph. Neither knows
//! which store backend runs.

pub mod http;
pub mod schema;
