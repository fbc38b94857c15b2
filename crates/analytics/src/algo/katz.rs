//! Katz centrality: every walk to a node counts, a walk of length k attenuated by alpha^k;
//! solved as a linear system by conjugate gradients.

use crate::algo::eigenvector::largest_eigenvalue;
use crate::{AlgorithmError, Network, Scores};

/// Parameters of [`katz`]; the default is NetworkX's `katz_centrality_numpy` (`alpha = 0.1`,
/// `beta = 1`, normalised) but weighted, with a residual tolerance of 1e-12.
#[derive(Debug, Clone, PartialEq)]
pub struct KatzParams {
    /// Attenuation per step of a walk; must be positive and below `1 / λmax`.
    pub alpha: f64,
    /// The score every node has before any walk (NetworkX's scalar `beta`); positive.
    pub beta: f64,
    /// Scale the result to Euclidean norm 1 (NetworkX's `normalized=True`), or leave it raw.
    pub normalized: bool,
    /// Use tie strengths as the adjacency matrix's entries (`true`) or 1 for every tie.
    pub weighted: bool,
    /// Conjugate-gradient iterations before giving up with [`AlgorithmError::NoConvergence`]
    /// (the power iteration that finds λmax first gets this many, at least 1000).
    pub max_iter: usize,
    /// Stop when the residual `‖β·1 − (I − αA)x‖₂` is below `tol · ‖β·1‖₂`. The error left in
    /// `x` is at most the condition number `(1 + αλmax) / (1 − αλmax)` times that.
    pub tol: f64,
}

impl Default for KatzParams {
    fn default() -> Self {
        KatzParams {
            alpha: 0.1,
            beta: 1.0,
            normalized: true,
            weighted: true,
            max_iter: 1000,
            tol: 1e-12,
        }
    }
}

/// Katz centrality: `x = β·1 + αAx`, i.e. `x = β Σ_k α^k A^k 1`, the number of walks ending at
/// each node, those of length k weighted by α^k (A holds tie strengths when `weighted`).
///
/// The series converges only for `α < 1/λmax`, λmax the largest eigenvalue of `A`; beyond it
/// the linear system still has a solution, meaningless and partly negative, which NetworkX's
/// `katz_centrality_numpy` returns without a word. Here λmax is found first (power iteration
/// per component: a Rayleigh quotient, from below, its error the square of its vector's) and
/// `α ≥ 1/λmax` is refused with [`AlgorithmError::AlphaTooLarge`]; should the iteration stop
/// short of λmax, the solution is checked too: it is positive exactly when α is below the
/// bound (Perron–Frobenius), and a solution that is not is refused the same way. `I − αA` is then symmetric positive definite, and the
/// system is solved by conjugate gradients in O(√κ · log(1/tol)) iterations, κ the condition
/// number above; a direction of non-positive curvature (α within rounding of the bound) is
/// reported as the same error. `normalized` divides by the Euclidean norm, as NetworkX does.
///
/// Reference: L. Katz (1953), "A new status index derived from sociometric analysis",
/// *Psychometrika* 18(1); conjugate gradients: M. Hestenes & E. Stiefel (1952), *J. Res. Nat.
/// Bur. Standards* 49(6). Matches NetworkX's `katz_centrality_numpy(G, alpha, beta,
/// normalized, weight)`.
///
/// Returns a score per node, or [`AlgorithmError::BadParameter`] for an `alpha`, `beta` or
/// `tol` that is not finite and positive, [`AlgorithmError::AlphaTooLarge`], or
/// [`AlgorithmError::NoConvergence`]. Time O((iterations + power iterations) · (|V| + |E|)),
/// memory O(|V|).
///
/// ```
/// use labgraph_analytics::{algo::{katz, KatzParams}, read_edge_list_str, AlgorithmError};
/// // A pair: x = 1 + αx on each end, x = 1/(1 − α); raw with α = 0.5 that is 2.
/// let net = read_edge_list_str("pair", "a b\n")?;
/// let raw = KatzParams { alpha: 0.5, normalized: false, ..KatzParams::default() };
/// let x = katz(&net, &raw)?;
/// assert!((x.get("a").unwrap() - 2.0).abs() < 1e-12);
/// // λmax of a pair is 1: α = 1 diverges.
/// let too_big = KatzParams { alpha: 1.0, ..raw };
/// assert!(matches!(katz(&net, &too_big), Err(AlgorithmError::AlphaTooLarge { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn katz(network: &Network, params: &KatzParams) -> Result<Scores, AlgorithmError> {
    for (name, value) in [
        ("alpha", params.alpha),
        ("beta", params.beta),
        ("tol", params.tol),
    ] {
        if !(value.is_finite() && value > 0.0) {
            return Err(AlgorithmError::BadParameter {
                name,
                value,
                expected: "finite and positive",
            });
        }
    }
    let weighted = params.weighted;
    let lambda_max = largest_eigenvalue(network, weighted, 1e-7, params.max_iter.max(1000));
    let too_large = || AlgorithmError::AlphaTooLarge {
        alpha: params.alpha,
        lambda_max,
        bound: 1.0 / lambda_max,
    };
    if params.alpha * lambda_max >= 1.0 {
        return Err(too_large());
    }
    let csr = &network.csr;
    let n = csr.node_count();
    let alpha = params.alpha;
    // y = (I − αA) p
    let apply = |p: &[f64], y: &mut [f64]| {
        for (v, slot) in y.iter_mut().enumerate() {
            let (lo, hi) = (csr.offsets[v], csr.offsets[v + 1]);
            let mut s = 0.0;
            if weighted {
                for i in lo..hi {
                    s += csr.weights[i] * p[csr.targets[i] as usize];
                }
            } else {
                for i in lo..hi {
                    s += p[csr.targets[i] as usize];
                }
            }
            *slot = p[v] - alpha * s;
        }
    };
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let mut x = vec![0.0; n];
    let mut r = vec![params.beta; n];
    let mut p = r.clone();
    let mut q = vec![0.0; n];
    let mut rr = dot(&r, &r);
    let goal = params.tol * params.tol * rr;
    let mut converged = rr <= goal;
    for _ in 0..params.max_iter {
        if converged {
            break;
        }
        apply(&p, &mut q);
        let curvature = dot(&p, &q);
        if curvature <= 0.0 {
            return Err(too_large());
        }
        let step = rr / curvature;
        for i in 0..n {
            x[i] += step * p[i];
            r[i] -= step * q[i];
        }
        let rr_next = dot(&r, &r);
        converged = rr_next <= goal;
        let keep = rr_next / rr;
        for i in 0..n {
            p[i] = r[i] + keep * p[i];
        }
        rr = rr_next;
    }
    if !converged {
        return Err(AlgorithmError::NoConvergence {
            max_iter: params.max_iter,
        });
    }
    // The rigorous check: by Perron–Frobenius, (I − αA)x = β·1 with β > 0 has a positive
    // solution on a component exactly when α is below that component's 1/λ. The power
    // iteration's λmax is a lower bound that may fall short when it stopped early.
    if x.iter().any(|&v| v <= 0.0) {
        return Err(too_large());
    }
    if params.normalized {
        // Positive, so NetworkX's sign is +.
        let norm = dot(&x, &x).sqrt();
        if norm > 0.0 {
            x.iter_mut().for_each(|v| *v /= norm);
        }
    }
    Ok(network.scores(x))
}
