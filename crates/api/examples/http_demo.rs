//! A tiny server for checking the HTTP layer from outside (the graphql-http audit, the
//! browser check): its own two-field schema behind `labgraph_api::http::router`, on
//! `127.0.0.1:$PORT` (default 8080).
//!
//! `PORT=8080 cargo run -p labgraph-api --example http_demo`

use std::sync::atomic::{AtomicI32, Ordering};

use async_graphql::{EmptySubscription, Object, Schema};
use labgraph_api::http::{HttpConfig, router};

struct Query;

#[Object]
impl Query {
    /// A greeting, to show that queries run.
    async fn hello(&self) -> &'static str {
        "Hello from the Greater Bay Area"
    }
}

/// A counter, so that the mutation type exists (the audit checks mutations are refused over
/// GET) and visibly changes something.
#[derive(Default)]
struct Mutation {
    count: AtomicI32,
}

#[Object]
impl Mutation {
    /// Adds one to the counter and returns its new value.
    async fn increment(&self) -> i32 {
        self.count.fetch_add(1, Ordering::SeqCst) + 1
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|error| format!("PORT={port:?} is not a port number: {error}"))?,
        Err(_) => 8080,
    };
    let schema = Schema::build(Query, Mutation::default(), EmptySubscription)
        // The limits GraphiQL's introspection needs (shared/notes/graphql-http.md).
        .limit_depth(15)
        .limit_complexity(250)
        .finish();
    let config = HttpConfig::default();
    config.validate()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://{}/graphql", listener.local_addr()?);
    axum::serve(listener, router(schema, config))
        .with_graceful_shutdown(async {
            // Ctrl-C or SIGTERM (how CI and the lead's scripts stop it).
            let ctrl_c = tokio::signal::ctrl_c();
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("installing a SIGTERM handler");
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        })
        .await?;
    Ok(())
}
