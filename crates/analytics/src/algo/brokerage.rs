//! Gould & Fernandez brokerage roles: for every node, how many pairs of its partners it links
//! that are not tied to each other, by the groups (regions, jurisdictions) of the three.

use std::collections::HashMap;
use std::hash::Hash;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use labgraph_domain::{Graph, Id, Jurisdiction, Region};

use crate::Network;
use crate::network::NodeTable;

const NONE: u32 = u32::MAX;

/// The brokerage roles of one node: the open two-paths `a – b – c` it is the middle `b` of (`a`
/// and `c` its partners, not tied to each other), counted once per unordered pair `{a, c}`
/// and classified by the groups of `a`, `b` and `c` (Gould & Fernandez 1989).
///
/// On undirected ties the gatekeeper and representative roles coincide: a pair with exactly
/// one end in `b`'s group is, read one way, `b` representing its group to an outsider and,
/// read the other way, `b` admitting an outsider to its group. Such a pair counts once, in
/// both [`Roles::gatekeeper`] and [`Roles::representative`] (always equal), and once in
/// [`Roles::total`]. Counting the two directions of every pair instead (as UCINET and R's
/// `sna::brokerage` do on a symmetric network) doubles coordinator, itinerant and liaison and
/// leaves gatekeeper and representative as here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Roles {
    /// `a`, `b` and `c` all in one group: brokering within a group.
    pub coordinator: u64,
    /// `a` and `c` in one group, `b` in another: an outsider linking two members (Gould &
    /// Fernandez's "itinerant" or "consultant").
    pub itinerant: u64,
    /// Exactly one of `a`, `c` in `b`'s group: `b` lets an outsider into its group.
    pub gatekeeper: u64,
    /// The same pairs as `gatekeeper`, read the other way: `b` speaks for its group outside.
    pub representative: u64,
    /// `a`, `b` and `c` in three different groups.
    pub liaison: u64,
    /// Every counted pair once: coordinator + itinerant + gatekeeper (= representative) +
    /// liaison.
    pub total: u64,
}

/// The brokerage roles of every node, keyed by id. A node without a group has none.
#[derive(Debug, Clone)]
pub struct Brokerage {
    nodes: Arc<NodeTable>,
    roles: Vec<Option<Roles>>,
}

impl Brokerage {
    /// The roles of `id`; `None` when it has no group or is not a node of the network.
    pub fn get(&self, id: &str) -> Option<Roles> {
        self.nodes
            .index
            .get(id)
            .and_then(|&u| self.roles[u as usize])
    }

    /// Every node, in the network's order, with its roles (`None` for a node without group).
    pub fn iter(&self) -> impl Iterator<Item = (&Id, Option<Roles>)> + '_ {
        self.nodes.ids.iter().zip(self.roles.iter().copied())
    }

    /// Number of nodes (with or without group).
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    /// True for an empty network.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }
}

/// Gould & Fernandez's brokerage roles of every node, by the group `group_of` gives each node
/// (`None`: no group). Weights are ignored: a tie exists or not.
///
/// Reference: R. V. Gould & R. M. Fernandez (1989), "Structures of mediation: a formal approach
/// to brokerage in transaction networks", *Sociological Methodology* 19, pp. 89–126. The roles
/// are defined on directed two-paths `a → b → c` with no tie `a → c`; here ties are
/// undirected and each open two-path is counted once per unordered pair, as [`Roles`] says.
/// A two-path counts only when `a`, `b` and `c` all have a group; a node without group has no
/// roles (`None`).
///
/// How: for a broker `b` with `k` grouped partners, `n_g` of them in group `g` and `own` in
/// its own, every pair of partners is counted at once from the `n_g` —
/// coordinator `own(own−1)/2`, itinerant `Σ_{g≠own} n_g(n_g−1)/2`, gatekeeper
/// `own·(k−own)`, liaison `((k−own)² − Σ_{g≠own} n_g²)/2` — and then each pair that is tied
/// (a triangle `a b c`, found once with the degree-ordered marker-array listing of Chiba &
/// Nishizeki 1985) is taken back off at each of its three corners.
///
/// Complexity: O(|V| + |E|^{3/2}) time (the triangle listing; O(|E|) for the counts), O(|V| +
/// |E|) memory.
///
/// ```
/// use labgraph_analytics::{algo::brokerage, read_edge_list_str};
/// // b is tied to a1 and a2 (group A), c (group C) and d (group D); a1–a2 are tied.
/// let net = read_edge_list_str("g", "b a1\nb a2\na1 a2\nb c\nb d\n")?;
/// let roles = brokerage(&net, |id| match id.as_str() {
///     "a1" | "a2" | "b" => Some('A'),
///     "c" => Some('C'),
///     "d" => Some('D'),
///     _ => None,
/// });
/// let b = roles.get("b").expect("b has a group");
/// // Pairs of b's partners: {a1,a2} is tied (not counted); {a1,c}, {a1,d}, {a2,c}, {a2,d}
/// // have one end in A (gatekeeper = representative); {c,d} are two other groups (liaison).
/// assert_eq!((b.coordinator, b.itinerant, b.gatekeeper, b.representative, b.liaison, b.total),
///            (0, 0, 4, 4, 1, 5));
/// // a1 links a2 and b? They are tied: a1 brokers nothing.
/// assert_eq!(roles.get("a1").expect("grouped").total, 0);
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn brokerage<G: Eq + Hash>(
    network: &Network,
    mut group_of: impl FnMut(&Id) -> Option<G>,
) -> Brokerage {
    let csr = &network.csr;
    let n = csr.node_count();
    let mut codes: HashMap<G, u32> = HashMap::new();
    let group: Vec<u32> = network
        .ids()
        .iter()
        .map(|id| match group_of(id) {
            Some(g) => {
                let next = codes.len() as u32;
                *codes.entry(g).or_insert(next)
            }
            None => NONE,
        })
        .collect();

    // Every pair of grouped partners, counted from the group sizes among the partners.
    let mut count = vec![0u64; codes.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut roles: Vec<Option<Roles>> = Vec::with_capacity(n);
    for b in 0..n {
        let own = group[b];
        if own == NONE {
            roles.push(None);
            continue;
        }
        let mut k = 0u64;
        for &a in csr.neighbours(b) {
            let g = group[a as usize];
            if g == NONE {
                continue;
            }
            if count[g as usize] == 0 {
                touched.push(g);
            }
            count[g as usize] += 1;
            k += 1;
        }
        let mine = count[own as usize];
        let (mut same_pairs, mut squares) = (0u64, 0u64);
        for &g in &touched {
            let c = count[g as usize];
            if g != own {
                same_pairs += c * (c - 1) / 2;
                squares += c * c;
            }
            count[g as usize] = 0;
        }
        touched.clear();
        let others = k - mine;
        roles.push(Some(Roles {
            coordinator: mine * mine.saturating_sub(1) / 2,
            itinerant: same_pairs,
            gatekeeper: mine * others,
            representative: mine * others,
            liaison: (others * others - squares) / 2,
            total: 0,
        }));
    }

    // Take tied pairs back off: each triangle of grouped nodes, at each of its corners.
    for_each_triangle(network, &group, |x, y, z| {
        for (apex, p, q) in [(x, y, z), (y, x, z), (z, x, y)] {
            // Always `Some`: triangles join grouped nodes only.
            let Some(r) = roles[apex].as_mut() else {
                continue;
            };
            let (g, gp, gq) = (group[apex], group[p], group[q]);
            let slot = match (gp == g, gq == g) {
                (true, true) => &mut r.coordinator,
                (false, false) if gp == gq => &mut r.itinerant,
                (false, false) => &mut r.liaison,
                _ => {
                    r.representative -= 1;
                    &mut r.gatekeeper
                }
            };
            *slot -= 1;
        }
    });
    for r in roles.iter_mut().flatten() {
        r.total = r.coordinator + r.itinerant + r.gatekeeper + r.liaison;
    }
    Brokerage {
        nodes: Arc::clone(&network.nodes),
        roles,
    }
}

/// Calls `visit(x, y, z)` once for every triangle of nodes whose `group` is not `NONE`.
///
/// Each tie is oriented from the lower to the higher (degree, position) end, so every node has
/// at most O(√|E|) higher partners and each triangle is found once, from its lowest corner:
/// mark the lowest corner's higher partners, then look for a mark among each of their higher
/// partners (Chiba & Nishizeki 1985, "Arboricity and subgraph listing algorithms", *SIAM J.
/// Comput.* 14(1)).
fn for_each_triangle(network: &Network, group: &[u32], mut visit: impl FnMut(usize, usize, usize)) {
    let csr = &network.csr;
    let n = csr.node_count();
    let rank = |u: usize| (csr.degree(u), u);
    let mut offsets = Vec::with_capacity(n + 1);
    let mut higher: Vec<u32> = Vec::new();
    offsets.push(0);
    for u in 0..n {
        if group[u] != NONE {
            higher.extend(
                csr.neighbours(u)
                    .iter()
                    .copied()
                    .filter(|&v| group[v as usize] != NONE && rank(v as usize) > rank(u)),
            );
        }
        offsets.push(higher.len());
    }
    let mut mark = vec![0u32; n];
    for u in 0..n {
        let out = &higher[offsets[u]..offsets[u + 1]];
        for &v in out {
            mark[v as usize] = u as u32 + 1;
        }
        for &v in out {
            for &w in &higher[offsets[v as usize]..offsets[v as usize + 1]] {
                if mark[w as usize] == u as u32 + 1 {
                    visit(u, v as usize, w as usize);
                }
            }
        }
    }
}

/// A node's group by region, for [`brokerage`]: its region when it is located (see
/// [`Graph::regions_of`]) in exactly one; `None` when in none or several (a lab hosted on
/// both sides of a border belongs to no one side).
pub fn region_group(graph: &Graph, id: &Id) -> Option<Region> {
    sole(graph.regions_of(id.as_str()))
}

/// A node's group by jurisdiction, for [`brokerage`]: its jurisdiction when it is located in
/// exactly one (Mainland, Hong Kong or Macao); `None` when in none or several.
pub fn jurisdiction_group(graph: &Graph, id: &Id) -> Option<Jurisdiction> {
    sole(graph.jurisdictions_of(id.as_str()))
}

fn sole<T>(set: std::collections::BTreeSet<T>) -> Option<T> {
    if set.len() == 1 {
        set.into_iter().next()
    } else {
        None
    }
}

/// A group file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum GroupFileError {
    /// The file could not be read.
    #[error("{}: {source}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A line is not `node group`, names a node not in the network, or a node already given.
    #[error("{}:{line}: {reason}", file.display())]
    Line {
        /// The file.
        file: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// Reads groups for [`brokerage`] from a file of `node group` lines (whitespace-separated, `#`
/// comments, blank lines skipped), for a network read from an edge list. Every node named must
/// be a node of `network`, once; a node of the network not named has no group.
///
/// Errors name the file and the 1-based line.
pub fn read_groups(path: &Path, network: &Network) -> Result<HashMap<Id, String>, GroupFileError> {
    let io = |source| GroupFileError::Io {
        file: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut groups: HashMap<Id, (String, usize)> = HashMap::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io)?;
        let err = |reason: String| GroupFileError::Line {
            file: path.to_path_buf(),
            line: i + 1,
            reason,
        };
        let content = line.split('#').next().unwrap_or("");
        let fields: Vec<&str> = content.split_whitespace().collect();
        match fields[..] {
            [] => continue,
            [node, group] => {
                let Some(u) = network.position(node) else {
                    return Err(err(format!("{node} is not a node of the network")));
                };
                let id = network.id(u).clone();
                if let Some((_, first)) = groups.insert(id, (group.to_owned(), i + 1)) {
                    return Err(err(format!(
                        "{node} was already given a group on line {first}"
                    )));
                }
            }
            _ => {
                return Err(err(format!(
                    "expected `node group`, found {} fields: {:?}",
                    fields.len(),
                    content.trim()
                )));
            }
        }
    }
    Ok(groups.into_iter().map(|(id, (g, _))| (id, g)).collect())
}
