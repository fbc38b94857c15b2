//! The errors of the analytics crate: bad edge-list input (naming file and line), bad
//! projection parameters, and algorithm arguments that cannot be honoured.

use std::path::PathBuf;

/// An edge list that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum EdgeListError {
    /// The file could not be read.
    #[error("{}: {source}", file.display())]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A line is not `u v [w]` (or `u`), names a bad id, a bad weight, a self-loop, or an edge
    /// already given.
    #[error("{}:{line}: {reason}", file.display())]
    Line {
        file: PathBuf,
        /// 1-based line number.
        line: usize,
        reason: String,
    },
}

/// Projection parameters that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectionError {
    /// A weight of the blend is negative or not a number.
    #[error("weighting.{component} is {value}: weights must be finite and not negative")]
    BadWeighting { component: &'static str, value: f64 },
}

/// Arguments an algorithm cannot work with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AlgorithmError {
    /// A node named in the arguments is not in the network.
    #[error("{id} is not a node of the network")]
    UnknownNode { id: String },
    /// A parameter is out of its range.
    #[error("{name} = {value} is out of range: {expected}")]
    BadParameter {
        name: &'static str,
        value: f64,
        expected: &'static str,
    },
    /// A personalisation vector with no positive entry.
    #[error("the personalisation vector sums to zero")]
    ZeroPersonalisation,
    /// Power iteration did not reach the tolerance.
    #[error("power iteration did not converge within {max_iter} iterations")]
    NoConvergence { max_iter: usize },
    /// Katz's attenuation factor is not below 1/λmax, where the series diverges.
    #[error(
        "alpha = {alpha} must be below 1/λmax = {bound} (λmax = {lambda_max}, the largest \
         eigenvalue of the adjacency matrix): the Katz series diverges there"
    )]
    AlphaTooLarge {
        alpha: f64,
        lambda_max: f64,
        bound: f64,
    },
    /// Communities given to `modularity` that are not a partition of the network's nodes.
    #[error("not a partition of the network: {reason}")]
    NotAPartition { reason: String },
}
