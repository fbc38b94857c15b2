//! The algorithms, one file each, grouped by family: centrality (degree and strength,
//! betweenness, closeness and harmonic, PageRank) and structure (components, bridges and
//! articulation points, k-cores, clustering). Each documents its reference, arguments, result and complexity.

mod betweenness;
mod bridges;
mod closeness;
mod clustering;
mod components;
mod degree;
mod kcore;
mod pagerank;
mod shortest;

pub use betweenness::{betweenness, edge_betweenness};
pub use bridges::{articulation_points, bridges};
pub use closeness::{closeness, harmonic};
pub use clustering::clustering;
pub use components::connected_components;
pub use degree::{degree, strength};
pub use kcore::core_number;
pub use pagerank::{PageRankParams, pagerank};
