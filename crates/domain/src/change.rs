//! Change sets: the unit of writing. A change set is applied whole or not at all.

use std::sync::Arc;

use crate::{Edge, EdgeKey, Id, Node};

/// One change. Upserts replace the whole node or edge with the same id or key; deletes of
/// something absent do nothing, so that replaying a change set is harmless (idempotent).
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    UpsertNode(Arc<Node>),
    /// Deletes the node and every edge touching it (like Cypher's `DETACH DELETE`).
    DeleteNode(Id),
    UpsertEdge(Arc<Edge>),
    DeleteEdge(EdgeKey),
}

/// An ordered list of changes, applied atomically.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeSet {
    pub changes: Vec<Change>,
}

impl ChangeSet {
    /// An empty change set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a node upsert.
    pub fn upsert_node(&mut self, node: Node) -> &mut Self {
        self.changes.push(Change::UpsertNode(Arc::new(node)));
        self
    }

    /// Appends an edge upsert.
    pub fn upsert_edge(&mut self, edge: Edge) -> &mut Self {
        self.changes.push(Change::UpsertEdge(Arc::new(edge)));
        self
    }

    /// Appends a node deletion.
    pub fn delete_node(&mut self, id: Id) -> &mut Self {
        self.changes.push(Change::DeleteNode(id));
        self
    }

    /// Appends an edge deletion.
    pub fn delete_edge(&mut self, key: EdgeKey) -> &mut Self {
        self.changes.push(Change::DeleteEdge(key));
        self
    }

    /// Number of changes.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// True when there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The net effect of an applied change set: what a store must write, and what live clients
/// are told. Unchanged upserts are left out; cascaded edge deletions are included.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    pub upserted_nodes: Vec<Arc<Node>>,
    pub deleted_nodes: Vec<Id>,
    pub upserted_edges: Vec<Arc<Edge>>,
    pub deleted_edges: Vec<EdgeKey>,
}

impl Diff {
    /// True when the change set changed nothing.
    pub fn is_empty(&self) -> bool {
        self.upserted_nodes.is_empty()
            && self.deleted_nodes.is_empty()
            && self.upserted_edges.is_empty()
            && self.deleted_edges.is_empty()
    }
}

impl Diff {
    /// The diff as a change set, for backends that apply rather than write it.
    pub fn to_change_set(&self) -> ChangeSet {
        let mut changes = Vec::with_capacity(
            self.upserted_nodes.len()
                + self.deleted_nodes.len()
                + self.upserted_edges.len()
                + self.deleted_edges.len(),
        );
        // Deletions first: an edge deleted and a node re-created in one diff cannot collide.
        changes.extend(self.deleted_edges.iter().cloned().map(Change::DeleteEdge));
        changes.extend(self.deleted_nodes.iter().cloned().map(Change::DeleteNode));
        changes.extend(self.upserted_nodes.iter().cloned().map(Change::UpsertNode));
        changes.extend(self.upserted_edges.iter().cloned().map(Change::UpsertEdge));
        ChangeSet { changes }
    }
}
