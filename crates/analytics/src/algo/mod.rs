//! The algorithms, one file each, grouped by family: centrality (degree and strength,
//! betweenness, closeness and harmonic, PageRank) and structure (components, bridges and
//! articulation points, k-cores, clustering, transitivity) and communities (modularity, Louvain,
//! Leiden, label propagation); eigenvector and Katz centrality are spectral; brokerage (Burt's structural
//! holes, Gould–Fernandez roles). Each documents its reference, arguments, result and complexity.

mod betweenness;
mod betweenness_sampled;
mod bridges;
mod brokerage;
mod closeness;
mod clustering;
mod components;
mod degree;
mod eigenvector;
mod katz;
mod kcore;
mod label_propagation;
mod leiden;
mod louvain;
mod modularity;
mod pagerank;
mod shortest;
mod structural_holes;

pub use betweenness::{
    BetweennessParams, betweenness, betweenness_with, edge_betweenness, edge_betweenness_with,
};
pub use betweenness_sampled::{SampledBetweenness, SampledParams, betweenness_sampled};
pub use bridges::{BridgeCut, Cuts, Piece, PointCut, articulation_points, bridges, cuts};
pub use brokerage::{
    Brokerage, GroupFileError, Roles, brokerage, jurisdiction_group, read_groups, region_group,
};
pub use closeness::{closeness, harmonic};
pub use clustering::{clustering, transitivity};
pub use components::{Components, connected_components};
pub use degree::{degree, strength};
pub use eigenvector::{EigenvectorParams, eigenvector};
pub use katz::{KatzParams, katz};
pub use kcore::core_number;
pub use label_propagation::label_propagation;
pub use leiden::{LeidenParams, leiden};
pub use louvain::{LouvainParams, louvain};
pub use modularity::{Partition, modularity};
pub use pagerank::{PageRankParams, pagerank};
pub use structural_holes::{HoleMeasures, StructuralHoles, structural_holes};
