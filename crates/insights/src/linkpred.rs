//! Link prediction on a projected network: the five local similarity indices the partner finder
//! blends — common neighbours, Jaccard, Adamic–Adar, resource allocation and preferential
//! attachment — for one pair or for one node against every node it is not yet tied to.
//!
//! References: Liben-Nowell & Kleinberg, "The link-prediction problem for social networks"
//! (JASIST 2007) for common neighbours, Jaccard, Adamic–Adar and preferential attachment; Zhou,
//! Lü & Zhang, "Predicting missing links via local information" (EPJ B 2009) for resource
//! allocation. The definitions are NetworkX's (`common_neighbors`, `jaccard_coefficient`,
//! `adamic_adar_index`, `resource_allocation_index`, `preferential_attachment`), and the tests
//! check every value against NetworkX 3.6.1.
//!
//! All five read the network as unweighted: a tie exists or it does not. Why: the indices are
//! defined on the topology, and NetworkX computes them so; tie strength enters the partner
//! finder through the introduction paths instead (see [`crate::paths`]).

use std::collections::HashMap;

use labgraph_analytics::Network;
use labgraph_domain::Id;

/// A node named in the arguments is not in the network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkPredError {
    /// `id` is not a node of the network (not an institution, or a person, as the projection
    /// asks, or filtered out).
    #[error("{id} is not a node of the network")]
    UnknownNode {
        /// The id given.
        id: String,
    },
}

/// The five similarity indices of one pair of nodes `(a, b)`, with `Γ(x)` the neighbours of
/// `x` and `k(x) = |Γ(x)|`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LinkScores {
    /// `|Γ(a) ∩ Γ(b)|`.
    pub common_neighbours: usize,
    /// `|Γ(a) ∩ Γ(b)| / |Γ(a) ∪ Γ(b)|`, 0 when both have no neighbour.
    pub jaccard: f64,
    /// `Σ_{w ∈ Γ(a) ∩ Γ(b)} 1 / ln k(w)`.
    pub adamic_adar: f64,
    /// `Σ_{w ∈ Γ(a) ∩ Γ(b)} 1 / k(w)`.
    pub resource_allocation: f64,
    /// `k(a) · k(b)`.
    pub preferential_attachment: f64,
}

/// The neighbour sets of a network, indexed for the similarity indices. Build once, score many
/// pairs: O(|V| + |E|) to build.
///
/// ```
/// use labgraph_analytics::read_edge_list_str;
/// use labgraph_insights::linkpred::Neighbourhoods;
/// // a – b – c and a – d – c: a and c share two partners, b and d.
/// let net = read_edge_list_str("square", "a b\nb c\na d\nd c\n")?;
/// let hoods = Neighbourhoods::new(&net);
/// let s = hoods.scores("a", "c")?;
/// assert_eq!(s.common_neighbours, 2);
/// assert_eq!(s.jaccard, 1.0);
/// assert_eq!(s.resource_allocation, 1.0); // 1/2 + 1/2
/// assert_eq!(s.adamic_adar, 2.0 / 2f64.ln());
/// assert_eq!(s.preferential_attachment, 4.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Neighbourhoods {
    ids: Vec<Id>,
    index: HashMap<Id, usize>,
    /// Sorted neighbour positions of each node.
    adj: Vec<Vec<usize>>,
}

impl Neighbourhoods {
    /// Indexes the neighbour sets of `network`.
    pub fn new(network: &Network) -> Neighbourhoods {
        let ids: Vec<Id> = network.ids().to_vec();
        let index: HashMap<Id, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let adj = ids
            .iter()
            .map(|id| {
                let mut row: Vec<usize> = network
                    .neighbours(id.as_str())
                    .filter_map(|(n, _)| index.get(n).copied())
                    .collect();
                row.sort_unstable();
                row
            })
            .collect();
        Neighbourhoods { ids, index, adj }
    }

    fn position(&self, id: &str) -> Result<usize, LinkPredError> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| LinkPredError::UnknownNode { id: id.to_owned() })
    }

    /// True when `id` is a node of the network.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The number of neighbours of `id`.
    pub fn degree(&self, id: &str) -> Result<usize, LinkPredError> {
        Ok(self.adj[self.position(id)?].len())
    }

    /// The neighbours of `id`, in the network's order.
    pub fn neighbours(&self, id: &str) -> Result<Vec<&Id>, LinkPredError> {
        Ok(self.adj[self.position(id)?]
            .iter()
            .map(|&v| &self.ids[v])
            .collect())
    }

    /// True when `a` and `b` are tied.
    pub fn tied(&self, a: &str, b: &str) -> Result<bool, LinkPredError> {
        let (u, v) = (self.position(a)?, self.position(b)?);
        Ok(self.adj[u].binary_search(&v).is_ok())
    }

    /// The neighbours `a` and `b` share, in the network's order. O(k(a) + k(b)).
    pub fn common_neighbours(&self, a: &str, b: &str) -> Result<Vec<&Id>, LinkPredError> {
        let (u, v) = (self.position(a)?, self.position(b)?);
        Ok(self
            .common(u, v)
            .into_iter()
            .map(|w| &self.ids[w])
            .collect())
    }

    fn common(&self, u: usize, v: usize) -> Vec<usize> {
        // Both rows are sorted: a merge finds the intersection in one pass.
        let (x, y) = (&self.adj[u], &self.adj[v]);
        let (mut i, mut j, mut out) = (0, 0, Vec::new());
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    out.push(x[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        out
    }

    /// The five indices of the pair `(a, b)`. O(k(a) + k(b)).
    pub fn scores(&self, a: &str, b: &str) -> Result<LinkScores, LinkPredError> {
        let (u, v) = (self.position(a)?, self.position(b)?);
        let common = self.common(u, v);
        let (ku, kv) = (self.adj[u].len(), self.adj[v].len());
        let mut s = LinkScores {
            common_neighbours: common.len(),
            preferential_attachment: (ku * kv) as f64,
            ..LinkScores::default()
        };
        for &w in &common {
            let kw = self.adj[w].len() as f64;
            s.adamic_adar += 1.0 / kw.ln();
            s.resource_allocation += 1.0 / kw;
        }
        let union = ku + kv - common.len();
        if union > 0 {
            s.jaccard = common.len() as f64 / union as f64;
        }
        Ok(s)
    }

    /// The five indices of `a` with every node it is not tied to (and is not), in the
    /// network's order — NetworkX's default `ebunch` of non-edges, seen from one node.
    ///
    /// Complexity: O(|V| + Σ_{w ∈ Γ(a)} k(w)): one pass over the nodes two hops away, then one
    /// over all nodes for the pairs with no common neighbour (whose only non-zero index is
    /// preferential attachment).
    pub fn scores_from(&self, a: &str) -> Result<Vec<(&Id, LinkScores)>, LinkPredError> {
        let u = self.position(a)?;
        let ku = self.adj[u].len();
        let mut acc: HashMap<usize, LinkScores> = HashMap::new();
        for &w in &self.adj[u] {
            let kw = self.adj[w].len() as f64;
            for &v in &self.adj[w] {
                let s = acc.entry(v).or_default();
                s.common_neighbours += 1;
                s.adamic_adar += 1.0 / kw.ln();
                s.resource_allocation += 1.0 / kw;
            }
        }
        let mut tied = vec![false; self.ids.len()];
        tied[u] = true;
        for &w in &self.adj[u] {
            tied[w] = true;
        }
        Ok((0..self.ids.len())
            .filter(|&v| !tied[v])
            .map(|v| {
                let kv = self.adj[v].len();
                let mut s = acc.remove(&v).unwrap_or_default();
                s.preferential_attachment = (ku * kv) as f64;
                let union = ku + kv - s.common_neighbours;
                if union > 0 {
                    s.jaccard = s.common_neighbours as f64 / union as f64;
                }
                (&self.ids[v], s)
            })
            .collect())
    }
}
