//! labgraph's answers to the questions of liaison offices and policy staff (SPEC.md's users
//! table): partner suggestions with explanations, introduction paths, gap matrices, what-if,
//! evolution over the years and map views. Synchronous and CPU-bound, like labgraph-analytics,
//! on which it builds; it knows no store, no async runtime and no GraphQL. Results are keyed
//! by domain ids.
