//! Eigenvector centrality, computed per connected component by power iteration, and the
//! largest adjacency eigenvalue that Katz centrality needs as its bound.

use crate::algo::components::component_positions;
use crate::network::Csr;
use crate::{AlgorithmError, Network, Scores};

/// Parameters of [`eigenvector`]. The default reads tie strengths, allows 1000 iterations and
/// stops at `tol = 1e-6` (NetworkX's `eigenvector_centrality` default tolerance).
#[derive(Debug, Clone, PartialEq)]
pub struct EigenvectorParams {
    /// Use tie strengths as the adjacency matrix's entries (`true`) or 1 for every tie.
    pub weighted: bool,
    /// Iterations per component before giving up with [`AlgorithmError::NoConvergence`].
    pub max_iter: usize,
    /// A component is done when the L1 change of its unit vector in one iteration is below
    /// `|C| · tol` (NetworkX's rule for `eigenvector_centrality`). The error left is about
    /// `|C| · tol · r / (1 − r)` in L1, `r` the ratio of the component's second to first
    /// eigenvalue of `A + I`: `1e-14` gives NetworkX's `eigenvector_centrality_numpy` to 1e-9
    /// relative on the fixtures.
    pub tol: f64,
}

impl Default for EigenvectorParams {
    fn default() -> Self {
        EigenvectorParams {
            weighted: true,
            max_iter: 1000,
            tol: 1e-6,
        }
    }
}

/// Eigenvector centrality: a node is central when its partners are, `x = (1/λ) A x`, with `A`
/// the adjacency matrix (tie strengths when `weighted`) and `λ` its largest eigenvalue.
///
/// Computed **per connected component**: on a disconnected network the leading eigenvector of
/// the whole matrix lives on one component only and gives every other node 0 (NetworkX's
/// `eigenvector_centrality_numpy` refuses such graphs), so each component `C` gets its own
/// Perron vector. **Normalisation**: each component's vector is positive with Euclidean norm
/// `√(|C| / |V|)`, so the whole vector has norm 1, a connected network gets exactly NetworkX's
/// `eigenvector_centrality_numpy` (unit norm), and a node's score is comparable across
/// components (the mean square score is `1/|V|` in every component). A lone node scores
/// `√(1/|V|)`.
///
/// Power iteration on `A + I` rather than `A`, as NetworkX's `eigenvector_centrality` does:
/// the same eigenvectors, eigenvalues shifted by 1, which keeps a bipartite component (whose
/// spectrum holds both `λ` and `−λ`, so iterating `A` oscillates forever) converging. Starts
/// from the uniform vector and renormalises every step.
///
/// Reference: P. Bonacich (1972), "Factoring and weighting approaches to status scores and
/// clique identification", *J. Math. Sociology* 2(1); power iteration as in Golub & Van Loan,
/// *Matrix Computations*, §7.3.
///
/// Returns a score per node, or [`AlgorithmError::BadParameter`] for a tolerance that is not
/// finite and positive, or [`AlgorithmError::NoConvergence`] when a component is not done
/// within `max_iter` iterations. Time O(iterations · (|V| + |E|)), memory O(|V|).
///
/// ```
/// use labgraph_analytics::{algo::{eigenvector, EigenvectorParams}, read_edge_list_str};
/// // A path a-b-c (bipartite: plain power iteration would oscillate): λ = √2, x = (1, √2, 1)/2.
/// let net = read_edge_list_str("g", "a b\nb c\n")?;
/// let plain = EigenvectorParams { weighted: false, tol: 1e-15, ..EigenvectorParams::default() };
/// let x = eigenvector(&net, &plain)?;
/// assert!((x.get("a").unwrap() - 0.5).abs() < 1e-12);
/// assert!((x.get("b").unwrap() - 0.5_f64.sqrt()).abs() < 1e-12);
/// // A lone node beside a pair: each component has norm √(|C|/|V|), here every node √(1/3).
/// let two = read_edge_list_str("g", "a b\nc\n")?;
/// let y = eigenvector(&two, &plain)?;
/// assert!(y.iter().all(|(_, s)| (s - (1.0_f64 / 3.0).sqrt()).abs() < 1e-12));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn eigenvector(
    network: &Network,
    params: &EigenvectorParams,
) -> Result<Scores, AlgorithmError> {
    check_tol(params.tol)?;
    let csr = &network.csr;
    let n = csr.node_count();
    let mut x = vec![0.0; n];
    let mut scratch = vec![0.0; n];
    for comp in component_positions(network) {
        let done = perron(
            csr,
            params.weighted,
            &comp,
            params.tol,
            params.max_iter,
            &mut x,
            &mut scratch,
        );
        if !done {
            return Err(AlgorithmError::NoConvergence {
                max_iter: params.max_iter,
            });
        }
        let scale = (comp.len() as f64 / n as f64).sqrt();
        for &v in &comp {
            x[v] *= scale;
        }
    }
    Ok(network.scores(x))
}

fn check_tol(tol: f64) -> Result<(), AlgorithmError> {
    if tol.is_finite() && tol > 0.0 {
        Ok(())
    } else {
        Err(AlgorithmError::BadParameter {
            name: "tol",
            value: tol,
            expected: "finite and positive",
        })
    }
}

/// The largest eigenvalue of the adjacency matrix (strengths when `weighted`): the largest
/// Rayleigh quotient `xᵀAx / xᵀx` of the components' Perron vectors, found to `tol` as in
/// [`eigenvector`]. A Rayleigh quotient never exceeds λmax and its error is the square of the
/// vector's, so this is λmax from below to about `tol²`. A component not done within
/// `max_iter` still gives its Rayleigh quotient: a lower bound all the same, which is what
/// [`katz`](fn@crate::algo::katz) needs (it checks the bound again on its solution). 0 for a network
/// without ties.
pub(crate) fn largest_eigenvalue(
    network: &Network,
    weighted: bool,
    tol: f64,
    max_iter: usize,
) -> f64 {
    let csr = &network.csr;
    let n = csr.node_count();
    let mut x = vec![0.0; n];
    let mut scratch = vec![0.0; n];
    let mut best = 0.0_f64;
    for comp in component_positions(network) {
        if comp.len() < 2 {
            continue;
        }
        perron(csr, weighted, &comp, tol, max_iter, &mut x, &mut scratch);
        // x has unit norm on the component.
        let quotient: f64 = comp
            .iter()
            .map(|&v| {
                x[v] * csr
                    .weighted(v)
                    .map(|(u, w)| edge(weighted, w) * x[u])
                    .sum::<f64>()
            })
            .sum();
        best = best.max(quotient);
    }
    best
}

#[inline]
fn edge(weighted: bool, w: f64) -> f64 {
    if weighted { w } else { 1.0 }
}

/// Writes the positive unit Perron vector of the component `comp` (sorted positions) into
/// `x[comp]`, iterating `A + I` from the uniform vector; `next` is scratch of length |V|.
/// Returns whether the tolerance was reached within `max_iter` iterations (if not, `x` holds
/// the last iterate).
fn perron(
    csr: &Csr,
    weighted: bool,
    comp: &[usize],
    tol: f64,
    max_iter: usize,
    x: &mut [f64],
    next: &mut [f64],
) -> bool {
    let size = comp.len() as f64;
    let start = 1.0 / size.sqrt();
    for &v in comp {
        x[v] = start;
    }
    if comp.len() < 3 {
        // A lone node or a pair: the uniform vector is the Perron vector already.
        return true;
    }
    for _ in 0..max_iter {
        let mut norm2 = 0.0;
        for &v in comp {
            let (lo, hi) = (csr.offsets[v], csr.offsets[v + 1]);
            let mut y = x[v];
            if weighted {
                for i in lo..hi {
                    y += csr.weights[i] * x[csr.targets[i] as usize];
                }
            } else {
                for i in lo..hi {
                    y += x[csr.targets[i] as usize];
                }
            }
            next[v] = y;
            norm2 += y * y;
        }
        // Positive: A + I ≥ I and x > 0 keep every entry positive.
        let inv = 1.0 / norm2.sqrt();
        let mut change = 0.0;
        for &v in comp {
            let y = next[v] * inv;
            change += (y - x[v]).abs();
            x[v] = y;
        }
        if change < size * tol {
            return true;
        }
    }
    false
}
