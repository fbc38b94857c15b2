//! The analytics fields of the GraphQL schema (`centrality`, per-node `centrality`, `orderBy`
//! a centrality, `structure`) executed against a real `GraphService` over a `MemoryStore`:
//! answers compared with labgraph-analytics run in the test on the same graph, hand-checked
//! small graphs, argument errors with their codes, and the per-version cache.

mod analytics_api {
    mod cache;
    mod centrality;
    mod errors;
    mod structure;
    pub mod support;
}
