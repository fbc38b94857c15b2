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

/// The graph version (no row means 0).
pub(crate) const READ_VERSION: &str = "MATCH (m:Meta {key: 'graph'}) RETURN m.version AS version";

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

/// Sets the new version `$next` and drops the marker [`CHECK_BASE`] set.
pub(crate) const WRITE_VERSION: &str =
    "MATCH (m:Meta {key: 'graph'}) SET m.version = $next REMOVE m.writing";

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
    all
}
