//! `labgraph-bolt-bridge UPSTREAM`: runs the Bolt version bridge as a process, so the
//! `labgraph` binary itself (not only the tests) can reach the FalkorDB test server — for the
//! Neo4j benchmark (`scripts/bench-neo4j`) and for trying commands by hand. Prints
//! `bolt-bridge: listening on bolt://127.0.0.1:PORT` once ready; runs until killed.

use std::net::SocketAddr;
use std::process::ExitCode;

use labgraph_bolt_bridge::Bridge;

#[tokio::main]
async fn main() -> ExitCode {
    let Some(upstream) = std::env::args().nth(1) else {
        eprintln!(
            "usage: labgraph-bolt-bridge UPSTREAM (FalkorDB's Bolt address, e.g. 127.0.0.1:17687)"
        );
        return ExitCode::from(2);
    };
    let upstream: SocketAddr = match upstream.parse() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("bolt-bridge: {upstream:?} is not an address (HOST:PORT): {e}");
            return ExitCode::from(2);
        }
    };
    let bridge = match Bridge::start(upstream).await {
        Ok(bridge) => bridge,
        Err(e) => {
            eprintln!("bolt-bridge: cannot listen: {e}");
            return ExitCode::from(1);
        }
    };
    // One line on stdout that scripts wait for.
    println!("bolt-bridge: listening on {}", bridge.uri());
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
