//! Typed configuration of the server and the logging set-up: the settings of `labgraph serve`
//! merged from flags, environment variables, a TOML file (`--config FILE`) and defaults, in
//! that order of precedence, and the backend a store argument names.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use labgraph_api::http::HttpConfig;
use labgraph_api::schema::SchemaConfig;
use labgraph_store_neo4j::{Neo4jConfig, RetryPolicy};
use serde::Deserialize;

use crate::commands::BadInput;

/// Which backend holds the graph.
#[derive(Clone)]
pub enum StoreLocation {
    /// The embedded store file; created when missing.
    Embedded(PathBuf),
    /// A Neo4j (Bolt/Cypher) server: URI, credentials and database.
    Neo4j(Neo4jConfig),
}

/// The URI schemes of a Bolt server, as neo4rs 0.8 accepts them.
const BOLT_SCHEMES: [&str; 6] = [
    "bolt://",
    "bolt+s://",
    "bolt+ssc://",
    "neo4j://",
    "neo4j+s://",
    "neo4j+ssc://",
];

/// Whether `spec` names a Bolt server rather than a file.
pub fn is_bolt_uri(spec: &str) -> bool {
    BOLT_SCHEMES.iter().any(|scheme| spec.starts_with(scheme))
}

impl StoreLocation {
    /// The store `spec` names: a Bolt URI (`bolt://HOST:PORT`, `neo4j://HOST:PORT`, with TLS
    /// variants), reached with the options `neo4j` (defaults where unset), or else the path of
    /// an embedded store file.
    pub fn parse(spec: &str, neo4j: &Neo4jOptions) -> StoreLocation {
        if is_bolt_uri(spec) {
            StoreLocation::Neo4j(neo4j.config(spec))
        } else {
            StoreLocation::Embedded(PathBuf::from(spec))
        }
    }
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
    /// How often a server on a Neo4j store checks the stored graph version and reloads when
    /// another instance wrote; `None` never checks. (An embedded file is held by one process
    /// only, so it is never polled.)
    pub poll_interval: Option<Duration>,
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

/// The defaults of `labgraph serve`, where neither a flag, an environment variable nor the
/// configuration file says otherwise.
pub mod defaults {
    use std::time::Duration;

    /// Largest page a connection may return.
    pub const MAX_PAGE_SIZE: usize = 100;
    /// Deepest query accepted.
    pub const MAX_DEPTH: usize = 20;
    /// Most complex query accepted.
    pub const MAX_COMPLEXITY: usize = 5_000;
    /// Largest request body accepted, in bytes.
    pub const MAX_BODY_BYTES: usize = 1 << 20;
    /// How often a server on a Neo4j store checks for other instances' writes: a few seconds
    /// of staleness at most, one cheap version read per interval.
    pub const POLL_INTERVAL: Duration = Duration::from_secs(5);
    /// The Neo4j user.
    pub const NEO4J_USER: &str = "neo4j";
    /// How long a request waits for an analytics computation before `TIMEOUT` (the
    /// computation goes on and is cached): long enough for exact betweenness of a
    /// 10,000-node network on a loaded machine, short enough not to hold clients for minutes.
    pub const COMPUTE_TIMEOUT: Duration = Duration::from_secs(30);
}

/// Options for reaching a Neo4j server; `None` leaves the default (or a lower layer's value).
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Neo4jOptions {
    /// The user (default `neo4j`).
    pub user: Option<String>,
    /// The password (default empty). Prefer the environment variable to a file.
    pub password: Option<String>,
    /// The database; the server's default when unset.
    pub database: Option<String>,
    /// The driver's connection pool size.
    pub max_connections: Option<usize>,
    /// Rows asked for per PULL.
    pub fetch_size: Option<usize>,
    /// Nodes read per page when loading.
    pub page_size: Option<usize>,
    /// Rows per `UNWIND` statement when writing.
    pub batch_rows: Option<usize>,
    /// About this many bytes of row data per `UNWIND` statement at most.
    pub batch_bytes: Option<usize>,
    /// How long connecting may take (`10s`, `500ms`).
    #[serde(default, deserialize_with = "de_duration")]
    pub connect_timeout: Option<Duration>,
    /// How long one statement may take.
    #[serde(default, deserialize_with = "de_duration")]
    pub statement_timeout: Option<Duration>,
    /// Tries in all for a read or commit that meets a transient failure (1: no retry).
    pub retry_attempts: Option<u32>,
    /// The wait before the first retry; it doubles up to `retry_max_delay`.
    #[serde(default, deserialize_with = "de_duration")]
    pub retry_initial_delay: Option<Duration>,
    /// The longest wait between retries.
    #[serde(default, deserialize_with = "de_duration")]
    pub retry_max_delay: Option<Duration>,
}

impl fmt::Debug for Neo4jOptions {
    // Written out so that the password stays out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Neo4jOptions")
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "(set)"))
            .field("database", &self.database)
            .finish_non_exhaustive()
    }
}

impl Neo4jOptions {
    /// These options, with `lower`'s values where these have none.
    pub fn or(self, lower: Neo4jOptions) -> Neo4jOptions {
        Neo4jOptions {
            user: self.user.or(lower.user),
            password: self.password.or(lower.password),
            database: self.database.or(lower.database),
            max_connections: self.max_connections.or(lower.max_connections),
            fetch_size: self.fetch_size.or(lower.fetch_size),
            page_size: self.page_size.or(lower.page_size),
            batch_rows: self.batch_rows.or(lower.batch_rows),
            batch_bytes: self.batch_bytes.or(lower.batch_bytes),
            connect_timeout: self.connect_timeout.or(lower.connect_timeout),
            statement_timeout: self.statement_timeout.or(lower.statement_timeout),
            retry_attempts: self.retry_attempts.or(lower.retry_attempts),
            retry_initial_delay: self.retry_initial_delay.or(lower.retry_initial_delay),
            retry_max_delay: self.retry_max_delay.or(lower.retry_max_delay),
        }
    }

    /// The driver configuration for `uri`: these options over the backend's defaults.
    pub fn config(&self, uri: &str) -> Neo4jConfig {
        let mut c = Neo4jConfig::new(
            uri,
            self.user.as_deref().unwrap_or(defaults::NEO4J_USER),
            self.password.as_deref().unwrap_or(""),
        );
        c.database = self.database.clone();
        let set = |target: &mut usize, value: Option<usize>| {
            if let Some(v) = value {
                // Zero would stall the driver or the pager: one is the least that works.
                *target = v.max(1);
            }
        };
        set(&mut c.max_connections, self.max_connections);
        set(&mut c.fetch_size, self.fetch_size);
        set(&mut c.page_size, self.page_size);
        set(&mut c.batch_rows, self.batch_rows);
        set(&mut c.batch_bytes, self.batch_bytes);
        if let Some(t) = self.connect_timeout {
            c.connect_timeout = t;
        }
        if let Some(t) = self.statement_timeout {
            c.statement_timeout = t;
        }
        c.retry = RetryPolicy {
            attempts: self.retry_attempts.unwrap_or(c.retry.attempts).max(1),
            initial_delay: self.retry_initial_delay.unwrap_or(c.retry.initial_delay),
            max_delay: self.retry_max_delay.unwrap_or(c.retry.max_delay),
        };
        c
    }
}

/// The `[limits]` table of the configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsOptions {
    /// Largest page a connection may return.
    pub max_page_size: Option<usize>,
    /// Deepest query accepted.
    pub max_depth: Option<usize>,
    /// Most complex query accepted.
    pub max_complexity: Option<usize>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: Option<usize>,
    /// How long a request waits for an analytics computation before `TIMEOUT` (`30s`); at
    /// least 1 ms.
    #[serde(default, deserialize_with = "de_timeout")]
    pub compute_timeout: Option<Duration>,
}

/// The settings of `labgraph serve` from one source (the flags and environment, as clap
/// merged them, or the configuration file); `None` leaves a setting to the next source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeOptions {
    /// The store: a Bolt URI, or the path of an embedded store file.
    pub store: Option<String>,
    /// Where to listen.
    pub listen: Option<SocketAddr>,
    /// Origins allowed by CORS.
    pub cors_origins: Option<Vec<String>>,
    /// How often to check a Neo4j store for other instances' writes (`5s`; `0s` never).
    #[serde(default, deserialize_with = "de_duration")]
    pub poll_interval: Option<Duration>,
    /// GraphQL and HTTP limits.
    #[serde(default)]
    pub limits: LimitsOptions,
    /// How to reach a Neo4j store.
    #[serde(default)]
    pub neo4j: Neo4jOptions,
}

impl ServeOptions {
    /// Reads a configuration file. An unreadable file, bad TOML, an unknown key or a bad value
    /// is [`BadInput`] naming `file:line`.
    pub fn from_file(path: &Path) -> Result<ServeOptions, BadInput> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            BadInput(format!(
                "{}: cannot read the configuration: {e}",
                path.display()
            ))
        })?;
        ServeOptions::from_toml(&text, &path.display().to_string())
    }

    /// Parses configuration text; `name` is the file it came from, for messages.
    pub fn from_toml(text: &str, name: &str) -> Result<ServeOptions, BadInput> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let start = e.span().map_or(0, |span| span.start.min(text.len()));
            let line = text[..start].matches('\n').count() + 1;
            // The line itself shows which key is meant: TOML's messages name only the value.
            let shown = text.lines().nth(line - 1).unwrap_or("").trim();
            BadInput(format!(
                "{name}:{line}: {} (in `{shown}`)",
                e.message().trim_end()
            ))
        })
    }

    /// These settings, with `lower`'s where these have none.
    pub fn or(self, lower: ServeOptions) -> ServeOptions {
        ServeOptions {
            store: self.store.or(lower.store),
            listen: self.listen.or(lower.listen),
            cors_origins: self.cors_origins.or(lower.cors_origins),
            poll_interval: self.poll_interval.or(lower.poll_interval),
            limits: LimitsOptions {
                max_page_size: self.limits.max_page_size.or(lower.limits.max_page_size),
                max_depth: self.limits.max_depth.or(lower.limits.max_depth),
                max_complexity: self.limits.max_complexity.or(lower.limits.max_complexity),
                max_body_bytes: self.limits.max_body_bytes.or(lower.limits.max_body_bytes),
                compute_timeout: self.limits.compute_timeout.or(lower.limits.compute_timeout),
            },
            neo4j: self.neo4j.or(lower.neo4j),
        }
    }

    /// The server configuration: these settings over the defaults; without a store, the
    /// embedded file `db`.
    pub fn resolve(self, db: &Path, quiet: bool) -> ServeConfig {
        let store = match &self.store {
            Some(spec) => StoreLocation::parse(spec, &self.neo4j),
            None => StoreLocation::Embedded(db.to_path_buf()),
        };
        let listen = self.listen.unwrap_or_else(|| {
            crate::DEFAULT_LISTEN
                .parse()
                .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8080)))
        });
        let limits = &self.limits;
        ServeConfig {
            store,
            listen,
            cors_origins: self.cors_origins.clone().unwrap_or_default(),
            schema: SchemaConfig {
                max_page_size: limits.max_page_size.unwrap_or(defaults::MAX_PAGE_SIZE),
                max_depth: limits.max_depth.unwrap_or(defaults::MAX_DEPTH),
                max_complexity: limits.max_complexity.unwrap_or(defaults::MAX_COMPLEXITY),
                // At most a day (`parse_timeout`), so well within u64 milliseconds.
                compute_timeout_ms: u64::try_from(
                    limits
                        .compute_timeout
                        .unwrap_or(defaults::COMPUTE_TIMEOUT)
                        .as_millis(),
                )
                .unwrap_or(u64::MAX),
            },
            max_body_bytes: limits.max_body_bytes.unwrap_or(defaults::MAX_BODY_BYTES),
            poll_interval: match self.poll_interval {
                Some(d) if d.is_zero() => None,
                Some(d) => Some(d),
                None => Some(defaults::POLL_INTERVAL),
            },
            quiet,
        }
    }
}

/// Parses a duration: a whole number with a unit, `ms`, `s`, `m` or `h` (`250ms`, `5s`), or a
/// bare number of seconds (`5`, `0.5`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (like 250ms, 5s, 2m)"))?;
    let seconds = match unit.trim() {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        other => {
            return Err(format!(
                "{text:?}: unknown unit {other:?} (use ms, s, m or h)"
            ));
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text:?}: {e}"))
}

/// Parses a timeout: a duration as [`parse_duration`] reads it, of at least one millisecond
/// (timeouts count whole milliseconds, and a zero timeout would refuse every computation) and
/// at most a day (more is a typo, not a wish).
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    check_timeout(parse_duration(text)?).map_err(|e| format!("{:?}: {e}", text.trim()))
}

fn check_timeout(duration: Duration) -> Result<Duration, &'static str> {
    if duration < Duration::from_millis(1) {
        Err("a timeout must be at least 1ms")
    } else if duration > Duration::from_secs(24 * 3600) {
        Err("a timeout must be at most a day (24h)")
    } else {
        Ok(duration)
    }
}

/// A timeout in the configuration file: as [`de_duration`], checked as [`parse_timeout`] does.
fn de_timeout<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    de_duration(d)?
        .map(check_timeout)
        .transpose()
        .map_err(serde::de::Error::custom)
}

/// A duration in the configuration file: a string `parse_duration` reads, or a number of
/// seconds.
fn de_duration<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Seconds(u64),
    }
    match Raw::deserialize(d).map_err(|_| {
        serde::de::Error::custom(
            "expected a duration like \"250ms\", \"5s\" or a number of seconds",
        )
    })? {
        Raw::Text(t) => parse_duration(&t)
            .map(Some)
            .map_err(serde::de::Error::custom),
        Raw::Seconds(s) => Ok(Some(Duration::from_secs(s))),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed example, as shipped.
    const EXAMPLE: &str = include_str!("../../../deploy/labgraph.example.toml");

    #[test]
    fn the_committed_example_parses_and_sets_every_section() {
        let options = ServeOptions::from_toml(EXAMPLE, "deploy/labgraph.example.toml")
            .expect("the example parses");
        let config = options.clone().resolve(Path::new("unused.db"), true);
        let StoreLocation::Neo4j(neo4j) = &config.store else {
            panic!("the example names a Neo4j store: {:?}", config.store)
        };
        assert_eq!(neo4j.uri, "bolt://127.0.0.1:7687");
        assert_eq!(neo4j.database.as_deref(), Some("neo4j"));
        assert_eq!(neo4j.max_connections, 16);
        assert_eq!(neo4j.statement_timeout, Duration::from_secs(120));
        assert_eq!(neo4j.retry.attempts, 5);
        assert_eq!(neo4j.retry.initial_delay, Duration::from_millis(100));
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.poll_interval, Some(Duration::from_secs(5)));
        assert_eq!(config.schema.max_page_size, 100);
        assert_eq!(config.schema.compute_timeout_ms, 30_000);
        assert_eq!(config.max_body_bytes, 1 << 20);
        // No password in the example: it belongs in LABGRAPH_NEO4J_PASSWORD.
        assert_eq!(options.neo4j.password, None);
    }

    #[test]
    fn flags_and_environment_beat_the_file_which_beats_the_defaults() {
        let file = ServeOptions::from_toml(
            "listen = \"127.0.0.1:9000\"\npoll_interval = \"2s\"\n[limits]\nmax_depth = 7\n\
             [neo4j]\nuser = \"reader\"\nfetch_size = 500\n",
            "f.toml",
        )
        .expect("parses");
        let flags = ServeOptions {
            store: Some("bolt://db.example:7687".into()),
            listen: Some("127.0.0.1:9100".parse().expect("addr")),
            neo4j: Neo4jOptions {
                user: Some("writer".into()),
                ..Neo4jOptions::default()
            },
            ..ServeOptions::default()
        };
        let config = flags.or(file).resolve(Path::new("x.db"), false);
        assert_eq!(
            config.listen.to_string(),
            "127.0.0.1:9100",
            "flag over file"
        );
        assert_eq!(config.poll_interval, Some(Duration::from_secs(2)), "file");
        assert_eq!(config.schema.max_depth, 7, "file over default");
        assert_eq!(config.schema.max_complexity, defaults::MAX_COMPLEXITY);
        let StoreLocation::Neo4j(neo4j) = config.store else {
            panic!("a bolt store")
        };
        assert_eq!(neo4j.user, "writer", "flag over file");
        assert_eq!(neo4j.fetch_size, 500, "file over default");
        assert_eq!(neo4j.password, "", "default");

        // Nothing anywhere: the embedded file and the defaults.
        let config = ServeOptions::default().resolve(Path::new("x.db"), false);
        assert!(matches!(config.store, StoreLocation::Embedded(ref p) if p == Path::new("x.db")));
        assert_eq!(config.schema.max_depth, defaults::MAX_DEPTH);
        assert_eq!(config.poll_interval, Some(defaults::POLL_INTERVAL));
        // `0s` turns polling off.
        let off = ServeOptions {
            poll_interval: Some(Duration::ZERO),
            ..ServeOptions::default()
        };
        assert_eq!(off.resolve(Path::new("x.db"), false).poll_interval, None);
    }

    #[test]
    fn the_compute_timeout_reaches_the_schema_with_flags_over_the_file() {
        let file = ServeOptions::from_toml("[limits]\ncompute_timeout = \"90s\"\n", "f.toml")
            .expect("parses");
        let from_file = file.clone().resolve(Path::new("x.db"), false);
        assert_eq!(from_file.schema.compute_timeout_ms, 90_000, "file");
        let flags = ServeOptions {
            limits: LimitsOptions {
                compute_timeout: Some(parse_timeout("250ms").expect("a timeout")),
                ..LimitsOptions::default()
            },
            ..ServeOptions::default()
        };
        let both = flags.or(file).resolve(Path::new("x.db"), false);
        assert_eq!(both.schema.compute_timeout_ms, 250, "flag over file");
        // A bare number in the file is seconds, as for the other durations.
        let seconds = ServeOptions::from_toml("[limits]\ncompute_timeout = 5\n", "f.toml")
            .expect("parses")
            .resolve(Path::new("x.db"), false);
        assert_eq!(seconds.schema.compute_timeout_ms, 5_000);
        let none = ServeOptions::default().resolve(Path::new("x.db"), false);
        assert_eq!(
            Duration::from_millis(none.schema.compute_timeout_ms),
            defaults::COMPUTE_TIMEOUT
        );
    }

    #[test]
    fn a_timeout_is_between_a_millisecond_and_a_day() {
        assert_eq!(parse_timeout("1ms"), Ok(Duration::from_millis(1)));
        assert_eq!(parse_timeout("2m"), Ok(Duration::from_secs(120)));
        for bad in ["0s", "0.5ms", "25h", "soon"] {
            let err = parse_timeout(bad).expect_err(bad);
            assert!(err.contains(bad), "{bad}: {err}");
        }
    }

    #[test]
    fn mistakes_in_the_file_name_the_file_and_line() {
        for (text, line, words) in [
            (
                "listen = \"127.0.0.1:1\"\nlisen = 3\n",
                2,
                "unknown field `lisen`",
            ),
            (
                "[neo4j]\nuser = \"a\"\npasword = \"b\"\n",
                3,
                "unknown field `pasword`",
            ),
            ("[limits]\nmax_depth = -1\n", 2, "max_depth"),
            ("poll_interval = \"5 parsecs\"\n", 1, "unknown unit"),
            (
                "[limits]\nmax_depth = 3\ncompute_timeout = \"0s\"\n",
                3,
                "at least 1ms",
            ),
            ("listen = \"not an address\"\n", 1, "address"),
            ("[neo4j\n", 1, ""),
        ] {
            let err = ServeOptions::from_toml(text, "serve.toml")
                .expect_err(&format!("{text:?} must be refused"));
            let message = err.to_string();
            assert!(
                message.starts_with(&format!("serve.toml:{line}: ")),
                "{text:?}: {message}"
            );
            assert!(message.contains(words), "{text:?}: {message}");
        }
        let missing = ServeOptions::from_file(Path::new("/nonexistent/serve.toml"))
            .expect_err("a missing file is refused");
        assert!(missing.to_string().starts_with("/nonexistent/serve.toml: "));
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("fast").is_err());
        assert!(parse_duration("3 days").is_err());
    }

    #[test]
    fn a_store_argument_is_a_bolt_uri_or_a_file() {
        let options = Neo4jOptions {
            database: Some("labs".into()),
            ..Neo4jOptions::default()
        };
        match StoreLocation::parse("neo4j+s://db:7687", &options) {
            StoreLocation::Neo4j(c) => assert_eq!(c.database.as_deref(), Some("labs")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            StoreLocation::parse("data/labgraph.db", &options),
            StoreLocation::Embedded(_)
        ));
    }
}
