//! Shared by the integration tests: the FalkorDB test server that `scripts/falkordb start DIR`
//! runs, reached through the Bolt version bridge (labgraph-bolt-bridge).

use std::net::SocketAddr;
use std::path::PathBuf;

use labgraph_bolt_bridge::Bridge;

/// The variable `scripts/test` sets to the directory `scripts/falkordb start` wrote.
pub const SERVER_DIR_VAR: &str = "LABGRAPH_FALKORDB_DIR";

/// FalkorDB's Bolt address, from the directory named by [`SERVER_DIR_VAR`]. Panics with what
/// to do when it is not set: these tests need the real server and never skip silently.
pub fn falkordb() -> SocketAddr {
    let dir = std::env::var_os(SERVER_DIR_VAR).map(PathBuf::from).unwrap_or_else(|| {
        panic!(
            "{SERVER_DIR_VAR} is not set: these tests need a running FalkorDB. Run them through \
             scripts/test, or: scripts/falkordb start DIR && {SERVER_DIR_VAR}=DIR cargo nextest \
             run -p labgraph-store-neo4j; scripts/falkordb stop DIR"
        )
    });
    let file = dir.join("bolt-port");
    let port: u16 = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (is FalkorDB started there?)", file.display()))
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{}: not a port: {e}", file.display()));
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// A bridge to the test server, running in the current test's runtime.
pub async fn bridge() -> Bridge {
    let upstream = falkordb();
    Bridge::start(upstream)
        .await
        .unwrap_or_else(|e| panic!("starting the Bolt bridge to {upstream}: {e}"))
}

/// A neo4rs connection through `bridge` to the graph `db`.
pub async fn connect(bridge: &Bridge, db: &str) -> neo4rs::Graph {
    let config = neo4rs::ConfigBuilder::default()
        .uri(bridge.uri())
        .user("neo4j")
        .password("unused")
        .db(db)
        .build()
        .expect("a valid neo4rs configuration");
    neo4rs::Graph::connect(config)
        .await
        .unwrap_or_else(|e| panic!("connecting to {}: {e}", bridge.uri()))
}
