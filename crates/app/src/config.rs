//! Typed configuration of the server and the logging set-up.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use labgraph_api::http::HttpConfig;
use labgraph_api::schema::SchemaConfig;
use labgraph_store_neo4j::Neo4jConfig;

/// Which backend holds the graph.
#[derive(Clone)]
pub enum StoreLocation {
    /// The embedded store file; created when missing.
    Embedded(PathBuf),
    /// A Neo4j (Bolt/Cypher) server: URI, credentials and database.
    Neo4j(Neo4jConfig),
}

impl fmt::Display for StoreLocation {
    /// The file, or the URI and database: never the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Embedded(path) => write!(f, "{}", path.display()),
            StoreLocation::Neo4j(c) => match &c.database {
                Some(db) => write!(f, "{} (database {db})", c.uri),
                None => write!(f, "{}", c.uri),
            },
        }
    }
}

impl fmt::Debug for StoreLocation {
    // Written out so that the password stays out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Embedded(path) => f.debug_tuple("Embedded").field(path).finish(),
            StoreLocation::Neo4j(c) => f
                .debug_struct("Neo4j")
                .field("uri", &c.uri)
                .field("user", &c.user)
                .field("database", &c.database)
                .finish_non_exhaustive(),
        }
    }
}

/// Everything `labgraph serve` needs. Limits are explicit here, not buried in handlers.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The backend; a new (empty) graph is seeded from graph-seed/.
    pub store: StoreLocation,
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
