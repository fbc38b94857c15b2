//! PageRank on an undirected weighted network, optionally personalised, with NetworkX's
//! dangling-node handling and stopping rule.

use labgraph_domain::Id;

use crate::{AlgorithmError, Network, Scores};

/// Parameters of [`pagerank`]; the default is NetworkX's (`alpha=0.85, max_iter=100,
/// tol=1e-6`), weighted, not personalised.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRankParams {
    /// Probability of following a tie rather than teleporting, in [0, 1].
    pub damping: f64,
    /// Iterations before giving up with [`AlgorithmError::NoConvergence`].
    pub max_iter: usize,
    /// Stop when the L1 change of an iteration is below `n · tol` (NetworkX's rule).
    pub tol: f64,
    /// Follow ties in proportion to their strength (`true`) or uniformly.
    pub weighted: bool,
    /// Teleport (and dangling) distribution: non-negative weights per node, normalised to sum
    /// 1; nodes not named get 0. `None` is uniform.
    pub personalisation: Option<Vec<(Id, f64)>>,
}

impl Default for PageRankParams {
    fn default() -> Self {
        PageRankParams {
            damping: 0.85,
            max_iter: 100,
            tol: 1e-6,
            weighted: true,
            personalisation: None,
        }
    }
}

/// PageRank: the stationary distribution of a walk that follows a tie with probability
/// `damping` (choosing ties in proportion to strength) and otherwise jumps to a node drawn
/// from the personalisation distribution; a node with no tie (dangling) always jumps.
///
/// Reference: S. Brin & L. Page (1998), "The anatomy of a large-scale hypertextual web search
/// engine", *Computer Networks* 30; power iteration as in A. Langville & C. Meyer (2004), "A
/// survey of eigenvector methods of web information retrieval" — the iteration, dangling
/// redistribution and stopping rule of NetworkX's `pagerank` (the result is not re-normalised
/// after the last step, exactly as there).
///
/// Returns a score per node summing to 1 (within `n · tol`), or an error for a damping outside
/// [0, 1], an unknown or negative personalisation entry, a personalisation summing to 0, or no
/// convergence within `max_iter`. Complexity: O(iterations · (|V| + |E|)) time, O(|V|) memory.
///
/// ```
/// use labgraph_analytics::{algo::{pagerank, PageRankParams}, read_edge_list_str};
/// // A symmetric pair converges at once: each holds half.
/// let net = read_edge_list_str("pair", "a b 3\n")?;
/// let pr = pagerank(&net, &PageRankParams::default())?;
/// assert_eq!((pr.get("a"), pr.get("b")), (Some(0.5), Some(0.5)));
/// // A lone node teleports to itself: all the rank.
/// let one = read_edge_list_str("one", "a\n")?;
/// assert_eq!(pagerank(&one, &PageRankParams::default())?.get("a"), Some(1.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn pagerank(network: &Network, params: &PageRankParams) -> Result<Scores, AlgorithmError> {
    if !(0.0..=1.0).contains(&params.damping) {
        return Err(AlgorithmError::BadParameter {
            name: "damping",
            value: params.damping,
            expected: "between 0 and 1",
        });
    }
    if !(params.tol.is_finite() && params.tol > 0.0) {
        return Err(AlgorithmError::BadParameter {
            name: "tol",
            value: params.tol,
            expected: "finite and positive",
        });
    }
    let csr = &network.csr;
    let n = csr.node_count();
    if n == 0 {
        return Ok(network.scores(Vec::new()));
    }
    let p = match &params.personalisation {
        None => vec![1.0 / n as f64; n],
        Some(entries) => {
            let mut p = vec![0.0; n];
            for (id, w) in entries {
                let u = network
                    .position(id.as_str())
                    .ok_or_else(|| AlgorithmError::UnknownNode { id: id.to_string() })?;
                if !(w.is_finite() && *w >= 0.0) {
                    return Err(AlgorithmError::BadParameter {
                        name: "personalisation",
                        value: *w,
                        expected: "finite and not negative",
                    });
                }
                p[u] += w;
            }
            let total: f64 = p.iter().sum();
            if total == 0.0 {
                return Err(AlgorithmError::ZeroPersonalisation);
            }
            p.iter_mut().for_each(|x| *x /= total);
            p
        }
    };
    let w = |i: usize| if params.weighted { csr.weights[i] } else { 1.0 };
    // 1 / out-strength, 0 for dangling nodes (NetworkX's `S`).
    let inv_out: Vec<f64> = (0..n)
        .map(|u| {
            let s: f64 = (csr.offsets[u]..csr.offsets[u + 1]).map(w).sum();
            if s != 0.0 { 1.0 / s } else { 0.0 }
        })
        .collect();
    let dangling: Vec<usize> = (0..n).filter(|&u| inv_out[u] == 0.0).collect();
    let alpha = params.damping;
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for _ in 0..params.max_iter {
        let dangling_mass: f64 = dangling.iter().map(|&u| x[u]).sum();
        // The graph is undirected, so "in-ties" of v are its ties: a pull, not a push, keeps
        // each node's sum in one place.
        for (v, slot) in next.iter_mut().enumerate() {
            let inflow: f64 = (csr.offsets[v]..csr.offsets[v + 1])
                .map(|i| {
                    let u = csr.targets[i] as usize;
                    x[u] * (inv_out[u] * w(i))
                })
                .sum();
            *slot = alpha * (inflow + dangling_mass * p[v]) + (1.0 - alpha) * p[v];
        }
        let err: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if err < n as f64 * params.tol {
            return Ok(network.scores(x));
        }
    }
    Err(AlgorithmError::NoConvergence {
        max_iter: params.max_iter,
    })
}
