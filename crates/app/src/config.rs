//! Typed configuration of the server and the logging set-up.

use std::net::SocketAddr;
use std::path::PathBuf;

use labgraph_api::http::HttpConfig;
use labgraph_api::schema::SchemaConfig;

/// Everything `labgraph serve` needs. Limits are explicit here, not buried in handlers.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The embedded store file; created and seeded from graph-seed/ when new.
    pub db: PathBuf,
    /// Where to listen.
    pub listen: SocketAddr,
    /// Origins allowed by CORS (exact matches; `*` for any). Empty: no CORS headers.
    pub cors_origins: Vec<String>,
    /// GraphQL limits: page size, depth, complexity.
    pub schema: SchemaConfig,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Hide progress bars.
    pub quiet: bool,
}

impl ServeConfig {
    /// The HTTP layer's part of the configuration.
    pub fn http(&self) -> HttpConfig {
        HttpConfig {
            max_body_bytes: self.max_body_bytes,
            cors_origins: self.cors_origins.clone(),
            graphiql: true,
        }
    }
}

/// Logs to stderr, filtered by `RUST_LOG` (default `info`, or `warn` when `quiet`).
pub fn init_tracing(quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if quiet { "warn" } else { "info" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // A second initialisation (tests running commands in-process) is harmless: keep the first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
