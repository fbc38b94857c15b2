//! labgraph's answers to the questions of liaison offices and policy staff (SPEC.md's users
//! table): partner suggestions with explanations, introduction paths, gap matrices, what-if,
//! evolution over the years and map views. Synchronous and CPU-bound, like labgraph-analytics,
//! on which it builds; it knows no store, no async runtime and no GraphQL. Results are keyed
//! by domain ids.

// Gaps, what-if and evolution (issue 4, part B2).
mod error;
pub mod evolution;
pub mod gaps;
mod place;
pub mod whatif;

pub use error::InsightError;

// Partner finder, introduction paths and their evaluation (issue 4, part B1).
pub mod evaluate;
pub mod linkpred;
pub mod partners;
pub mod paths;

// Map views (issue 4, item 6).
pub mod flows;
pub mod subgraph;
