//! Helpers shared by the gap, what-if and evolution answers: where an institution is, the
//! institution network as plain adjacency lists, multi-source breadth-first distances to Hong
//! Kong and Macao, and connected components as numbers per node.
//!
//! Why an adjacency list of our own: labgraph-analytics keeps CSR positions inside its crate,
//! and these answers need distances from a whole jurisdiction at once and component numbers
//! to compare two networks node by node, which no public algorithm there offers. Copying the
//! ties out once costs O(|V| + |E|).

use std::collections::{BTreeSet, HashMap};

use labgraph_analytics::Network;
use labgraph_analytics::projection::{self, Filter, Weighting};
use labgraph_domain::{Graph, Id, Jurisdiction, NodeKind, Region};

use crate::InsightError;

/// Where a node is: its city, region and jurisdiction, when known and single.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) city: Option<Id>,
    pub(crate) region: Option<Region>,
    pub(crate) jurisdiction: Option<Jurisdiction>,
}

impl Place {
    /// The place of `id` by [`Graph::cities_of`]; an institution has at most one city. A node
    /// in several cities takes the first (in id order) — only labs and platforms span cities,
    /// and the answers place institutions.
    pub(crate) fn of(graph: &Graph, id: &str) -> Place {
        let city = graph.cities_of(id).into_iter().next();
        let region = graph.regions_of(id).into_iter().next();
        Place {
            city,
            region,
            jurisdiction: region.map(Region::jurisdiction),
        }
    }
}

/// The institution network of `graph` as it stood in `as_of` (everything when `None`), every
/// piece of evidence counting 1.
pub(crate) fn institutions(graph: &Graph, as_of: Option<i32>) -> Result<Network, InsightError> {
    institutions_in(graph, as_of, None)
}

/// [`institutions`] restricted to the institutions working on `field` (or a sub-field), with
/// only the labs working on it as shared-lab evidence.
pub(crate) fn institutions_in(
    graph: &Graph,
    as_of: Option<i32>,
    field: Option<&Id>,
) -> Result<Network, InsightError> {
    let filter = Filter {
        as_of,
        fields: field.map(|f| BTreeSet::from([f.clone()])),
        ..Filter::default()
    };
    projection::institution_network(graph, &filter, Weighting::default())
        .map_err(|e| InsightError::invalid("weighting", e.to_string()))
}

/// A network as adjacency lists over positions, with each node's place.
#[derive(Debug, Clone)]
pub(crate) struct Adjacency {
    pub(crate) ids: Vec<Id>,
    pub(crate) index: HashMap<Id, usize>,
    pub(crate) neighbours: Vec<Vec<usize>>,
    pub(crate) places: Vec<Place>,
}

/// Positions unreachable from every source.
pub(crate) const FAR: u32 = u32::MAX;

impl Adjacency {
    /// Copies `network` out, placing each node in `graph`.
    pub(crate) fn of(network: &Network, graph: &Graph) -> Adjacency {
        let ids: Vec<Id> = network.ids().to_vec();
        let index: HashMap<Id, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let mut neighbours = vec![Vec::new(); ids.len()];
        for (a, b, _) in network.edges() {
            if let (Some(&u), Some(&v)) = (index.get(a), index.get(b)) {
                neighbours[u].push(v);
                neighbours[v].push(u);
            }
        }
        let places = ids.iter().map(|id| Place::of(graph, id.as_str())).collect();
        Adjacency {
            ids,
            index,
            neighbours,
            places,
        }
    }

    /// Number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Positions of the nodes in `jurisdiction`.
    pub(crate) fn in_jurisdiction(&self, jurisdiction: Jurisdiction) -> Vec<usize> {
        (0..self.len())
            .filter(|&u| self.places[u].jurisdiction == Some(jurisdiction))
            .collect()
    }

    /// Hop distances from the nearest of `sources` ([`FAR`] when unreachable). Multi-source
    /// breadth-first search, O(|V| + |E|).
    pub(crate) fn distances(&self, sources: &[usize]) -> Vec<u32> {
        let mut dist = vec![FAR; self.len()];
        let mut queue = Vec::with_capacity(self.len());
        for &s in sources {
            if dist[s] == FAR {
                dist[s] = 0;
                queue.push(s);
            }
        }
        let mut head = 0;
        while head < queue.len() {
            let u = queue[head];
            head += 1;
            for &v in &self.neighbours[u] {
                if dist[v] == FAR {
                    dist[v] = dist[u] + 1;
                    queue.push(v);
                }
            }
        }
        dist
    }

    /// The component number of every node (numbered in order of their first node).
    pub(crate) fn components(&self) -> Vec<usize> {
        let mut comp = vec![usize::MAX; self.len()];
        let mut next = 0;
        for root in 0..self.len() {
            if comp[root] != usize::MAX {
                continue;
            }
            comp[root] = next;
            let mut stack = vec![root];
            while let Some(u) = stack.pop() {
                for &v in &self.neighbours[u] {
                    if comp[v] == usize::MAX {
                        comp[v] = next;
                        stack.push(v);
                    }
                }
            }
            next += 1;
        }
        comp
    }
}

/// Checks that `id` names a node of one of `kinds`, for argument `argument`.
pub(crate) fn expect_node(
    graph: &Graph,
    argument: impl Into<String>,
    id: &str,
    kinds: &[NodeKind],
    expected: &'static str,
) -> Result<Id, InsightError> {
    match graph.node(id) {
        None => Err(InsightError::UnknownNode {
            argument: argument.into(),
            id: id.to_owned(),
        }),
        Some(node) if !kinds.contains(&node.kind()) => Err(InsightError::WrongKind {
            argument: argument.into(),
            id: id.to_owned(),
            expected,
            found: node.kind(),
        }),
        Some(node) => Ok(node.id.clone()),
    }
}

/// Every field id of `graph`, in id order.
pub(crate) fn all_fields(graph: &Graph) -> Vec<Id> {
    graph
        .nodes_of(NodeKind::Field, None)
        .map(|n| n.id.clone())
        .collect()
}

/// Checks a list of field ids: not empty, each a field, no repeats.
pub(crate) fn check_fields(
    graph: &Graph,
    argument: &str,
    fields: &[Id],
) -> Result<Vec<Id>, InsightError> {
    if fields.is_empty() {
        return Err(InsightError::invalid(
            argument,
            "the list of fields is empty: leave the argument out for every field",
        ));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        let at = format!("{argument}[{i}]");
        let id = expect_node(graph, at.clone(), f.as_str(), &[NodeKind::Field], "a field")?;
        if !seen.insert(id.clone()) {
            return Err(InsightError::invalid(at, format!("{id} is given twice")));
        }
        out.push(id);
    }
    Ok(out)
}
