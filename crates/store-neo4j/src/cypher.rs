//! Every Cypher statement the backend sends, built here and only here: the store calls these
//! functions, and [`cypher_statements`] lists the same texts so a test can check each one
//! with Neo4j's own parser without a server (FalkorDB, the test server, accepts Cypher that a
//! real Neo4j 5 refuses, so the conformance tests alone would not catch that).

use labgraph_domain::EdgeKind;

/// The connection probe: any answer proves the server runs Cypher for us.
pub(crate) const PROBE: &str = "RETURN 1";

/// The index on `:Node(id)`. Unnamed and without `IF NOT EXISTS`: FalkorDB understands neither,
/// so the store accepts the "exists already" answer instead.
pub(crate) const CREATE_INDEX: &str = "CREATE INDEX FOR (n:Node) ON (n.id)";

/// The graph version (no row means 0) and the token of the commit that set it.
pub(crate) const READ_VERSION: &str =
    "MATCH (m:Meta {key: 'graph'}) RETURN m.version AS version, m.commit AS commit";

/// A page of nodes after `$after` in id order, `$limit` of them, each with its outgoing edges.
/// Keyset paging on the indexed id: each page costs the same however deep it is.
pub(crate) const READ_PAGE: &str = "MATCH (n:Node) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $limit \
     OPTIONAL MATCH (n)-[r]->(:Node) \
     RETURN n.id AS id, n.data AS data, collect(r.data) AS edges";

/// Takes the Meta node's write lock (Neo4j) and checks the version is `$base` in one
/// statement; the marker is set only when it is, so a conflict writes nothing.
pub(crate) const CHECK_BASE: &str = "MERGE (m:Meta {key: 'graph'}) ON CREATE SET m.version = 0 \
     WITH m SET m.writing = CASE WHEN m.version = $base THEN $next ELSE null END \
     RETURN m.version AS version";

/// Deletes the nodes whose ids are `$rows`. DETACH: a plain DELETE of a connected node fails
/// on Neo4j (and silently leaves dangling state on FalkorDB).
pub(crate) const DELETE_NODES: &str = "UNWIND $rows AS id MATCH (n:Node {id: id}) DETACH DELETE n";

/// Creates or replaces the nodes in `$rows` (`{id, kind, data}` maps).
pub(crate) const UPSERT_NODES: &str =
    "UNWIND $rows AS row MERGE (n:Node {id: row.id}) SET n.kind = row.kind, n.data = row.data";

/// Sets the new version `$next`, records `$token` as the commit that set it (so a retry after a
/// lost answer can tell its own success from another writer's) and drops the marker
/// [`CHECK_BASE`] set.
pub(crate) const WRITE_VERSION: &str =
    "MATCH (m:Meta {key: 'graph'}) SET m.version = $next, m.commit = $token REMOVE m.writing";

/// Deletes the edges of `kind` whose ends are in `$rows` (`{from, to}` maps).
pub(crate) fn delete_edges(kind: EdgeKind) -> String {
    format!(
        "UNWIND $rows AS row MATCH (:Node {{id: row.from}})-[r:{}]->(:Node {{id: row.to}}) \
         DELETE r",
        rel_type(kind)
    )
}

/// Creates or replaces the edges of `kind` in `$rows` (`{from, to, data}` maps).
pub(crate) fn upsert_edges(kind: EdgeKind) -> String {
    format!(
        "UNWIND $rows AS row MATCH (a:Node {{id: row.from}}), (b:Node {{id: row.to}}) \
         MERGE (a)-[r:{}]->(b) SET r.data = row.data",
        rel_type(kind)
    )
}

/// A per-node score `labgraph analyse --write-back` stores as a node property: a closed set,
/// so that a property name — which Cypher cannot take as a parameter — never comes from input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeScore {
    /// Degree (or degree centrality).
    Degree,
    /// Strength (weighted degree).
    Strength,
    /// Betweenness centrality.
    Betweenness,
    /// Closeness centrality.
    Closeness,
    /// Harmonic centrality.
    Harmonic,
    /// PageRank.
    Pagerank,
    /// Core number (k-core).
    CoreNumber,
    /// Local clustering coefficient.
    Clustering,
    /// Eigenvector centrality.
    Eigenvector,
    /// Katz centrality.
    Katz,
}

impl NodeScore {
    /// Every score, for checks that must see each statement.
    pub const ALL: [NodeScore; 10] = [
        NodeScore::Degree,
        NodeScore::Strength,
        NodeScore::Betweenness,
        NodeScore::Closeness,
        NodeScore::Harmonic,
        NodeScore::Pagerank,
        NodeScore::CoreNumber,
        NodeScore::Clustering,
        NodeScore::Eigenvector,
        NodeScore::Katz,
    ];

    /// The node property that holds it: `labgraph_` and the algorithm, so it never collides
    /// with the store's own `id`, `kind` and `data`.
    pub fn property(self) -> &'static str {
        match self {
            NodeScore::Degree => "labgraph_degree",
            NodeScore::Strength => "labgraph_strength",
            NodeScore::Betweenness => "labgraph_betweenness",
            NodeScore::Closeness => "labgraph_closeness",
            NodeScore::Harmonic => "labgraph_harmonic",
            NodeScore::Pagerank => "labgraph_pagerank",
            NodeScore::CoreNumber => "labgraph_core_number",
            NodeScore::Clustering => "labgraph_clustering",
            NodeScore::Eigenvector => "labgraph_eigenvector",
            NodeScore::Katz => "labgraph_katz",
        }
    }
}

/// Sets the score of each node in `$rows` (`{id, score}` maps) and counts the nodes found.
pub(crate) fn write_score(score: NodeScore) -> String {
    format!(
        "UNWIND $rows AS row MATCH (n:Node {{id: row.id}}) SET n.{} = row.score \
         RETURN count(n) AS written",
        score.property()
    )
}

/// Every node's value of the score, where it has one.
pub(crate) fn read_score(score: NodeScore) -> String {
    let p = score.property();
    format!("MATCH (n:Node) WHERE n.{p} IS NOT NULL RETURN n.id AS id, n.{p} AS score")
}

/// The relationship type of an edge kind: its code in upper case (`PARTNER_IN`). Types cannot
/// be parameters in Cypher; these come from a closed enum, never from data.
fn rel_type(kind: EdgeKind) -> String {
    kind.code().to_ascii_uppercase()
}

/// Every statement text the backend can send, named (`delete_edges/PARTNER_IN`): the
/// statements built per edge kind once for each kind, so a checker sees every variant.
pub fn cypher_statements() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = [
        ("probe", PROBE),
        ("create_index", CREATE_INDEX),
        ("read_version", READ_VERSION),
        ("read_page", READ_PAGE),
        ("check_base", CHECK_BASE),
        ("delete_nodes", DELETE_NODES),
        ("upsert_nodes", UPSERT_NODES),
        ("write_version", WRITE_VERSION),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_owned(), text.to_owned()))
    .collect();
    for kind in EdgeKind::ALL {
        let rel = rel_type(kind);
        all.push((format!("delete_edges/{rel}"), delete_edges(kind)));
        all.push((format!("upsert_edges/{rel}"), upsert_edges(kind)));
    }
    for score in NodeScore::ALL {
        let p = score.property();
        all.push((format!("write_score/{p}"), write_score(score)));
        all.push((format!("read_score/{p}"), read_score(score)));
    }
    all
}
