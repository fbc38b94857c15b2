//! The `labgraph` command: parses arguments, runs the matching labgraph-app command, and maps
//! failures to exit codes (see [`exit_code`]).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use labgraph_app as app;

/// labgraph — the Guangdong–Hong Kong–Macao Greater Bay Area research cooperation graph.
#[derive(Debug, Parser)]
#[command(name = "labgraph", version, about)]
struct Cli {
    /// The database file (embedded store).
    #[arg(long, global = true, env = "LABGRAPH_DB", default_value = app::DEFAULT_DB)]
    db: PathBuf,
    /// No progress bars; only warnings and errors on stderr.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the GraphQL API (and GraphiQL) over HTTP; a new database is seeded from graph-seed/.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "LABGRAPH_LISTEN", default_value = app::DEFAULT_LISTEN)]
        listen: SocketAddr,
        /// An origin allowed by CORS (repeatable; `*` allows any).
        #[arg(
            long = "cors-origin",
            env = "LABGRAPH_CORS_ORIGINS",
            value_delimiter = ','
        )]
        cors_origins: Vec<String>,
        /// Largest page a connection may return (`first`/`last`).
        #[arg(long, default_value_t = 100)]
        max_page_size: usize,
        /// Deepest query accepted.
        #[arg(long, default_value_t = 20)]
        max_depth: usize,
        /// Most complex query accepted (a connection counts its page size).
        #[arg(long, default_value_t = 5000)]
        max_complexity: usize,
        /// Largest request body accepted, in bytes.
        #[arg(long, default_value_t = 1 << 20)]
        max_body_bytes: usize,
        /// Serve from a Neo4j server (`bolt://HOST:PORT` or `neo4j://HOST:PORT`) instead of
        /// the embedded --db file.
        #[arg(long, env = "LABGRAPH_STORE", value_name = "URI", value_parser = bolt_uri)]
        store: Option<String>,
        /// The Neo4j user (with --store; ignored without it).
        #[arg(long, env = "LABGRAPH_NEO4J_USER", default_value = "neo4j")]
        neo4j_user: String,
        /// The Neo4j password (with --store; ignored without it).
        #[arg(
            long,
            env = "LABGRAPH_NEO4J_PASSWORD",
            default_value = "",
            hide_env_values = true,
            hide_default_value = true
        )]
        neo4j_password: String,
        /// The Neo4j database (with --store; ignored without it); the server's default when absent.
        #[arg(long, env = "LABGRAPH_NEO4J_DATABASE")]
        neo4j_database: Option<String>,
    },
    /// Import seed-format files (.jsonl, .json, .csv) or directories: all of them or nothing.
    Import {
        /// Files or directories to import.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Export the whole graph.
    Export {
        #[arg(long, value_enum)]
        format: Format,
        /// Output file (a directory for csv); stdout when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Load graph-seed/ (built in) into the database, or write a synthetic graph.
    Seed {
        #[command(subcommand)]
        what: Option<SeedCommand>,
    },
    /// Count nodes and edges by kind.
    Stats,
    /// Run a network algorithm on a projection of the database or on an edge-list file.
    ///
    /// Prints the load and algorithm times to stderr (`algorithm took X s`), so benchmarks
    /// can tell the computation from the loading.
    Analyse {
        /// The algorithm; may be left out with --export-edges.
        #[arg(value_enum, required_unless_present = "export_edges")]
        algorithm: Option<AlgorithmArg>,
        /// Which projection of the database (--db) to analyse.
        #[arg(
            long,
            value_enum,
            default_value = "institutions",
            conflicts_with = "edges"
        )]
        projection: ProjectionArg,
        /// Only evidence active in this year.
        #[arg(long, value_name = "YEAR", conflicts_with = "edges")]
        as_of: Option<i32>,
        /// Only verified evidence.
        #[arg(long, conflicts_with = "edges")]
        verified_only: bool,
        /// Only ties joining different jurisdictions.
        #[arg(long, conflicts_with = "edges")]
        cross_border_only: bool,
        /// Analyse a plain edge list (`u v [w]` per line, `#` comments) instead of the database.
        #[arg(long, value_name = "FILE")]
        edges: Option<PathBuf>,
        /// Read the weights: lengths for betweenness, closeness and harmonic (an edge list's
        /// weight as in NetworkX and igraph; a projection's tie strength s as length 1/s),
        /// strengths for PageRank and strength. Without it every tie counts 1.
        #[arg(long)]
        weighted: bool,
        /// table: the top rows with their rank; json and csv: every node (tie, component).
        #[arg(long, value_enum, default_value = "table")]
        format: OutputFormatArg,
        /// Rows shown by the table format.
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Normalised scores (betweenness and edge-betweenness: the default; degree: d/(n-1)).
        #[arg(long, overrides_with = "raw")]
        normalized: bool,
        /// Raw scores (degree: the default).
        #[arg(long, overrides_with = "normalized")]
        raw: bool,
        /// Also write the network as an edge list to FILE (for NetworkX, igraph and others).
        #[arg(long, value_name = "FILE")]
        export_edges: Option<PathBuf>,
    },
}

/// The algorithms, named as `labgraph_app::Algorithm` names them.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum AlgorithmArg {
    Degree,
    Strength,
    Betweenness,
    EdgeBetweenness,
    Closeness,
    Harmonic,
    Pagerank,
    Components,
    Bridges,
    ArticulationPoints,
    CoreNumber,
    Clustering,
}

impl From<AlgorithmArg> for app::Algorithm {
    fn from(a: AlgorithmArg) -> Self {
        match a {
            AlgorithmArg::Degree => app::Algorithm::Degree,
            AlgorithmArg::Strength => app::Algorithm::Strength,
            AlgorithmArg::Betweenness => app::Algorithm::Betweenness,
            AlgorithmArg::EdgeBetweenness => app::Algorithm::EdgeBetweenness,
            AlgorithmArg::Closeness => app::Algorithm::Closeness,
            AlgorithmArg::Harmonic => app::Algorithm::Harmonic,
            AlgorithmArg::Pagerank => app::Algorithm::Pagerank,
            AlgorithmArg::Components => app::Algorithm::Components,
            AlgorithmArg::Bridges => app::Algorithm::Bridges,
            AlgorithmArg::ArticulationPoints => app::Algorithm::ArticulationPoints,
            AlgorithmArg::CoreNumber => app::Algorithm::CoreNumber,
            AlgorithmArg::Clustering => app::Algorithm::Clustering,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ProjectionArg {
    Institutions,
    People,
    InstitutionLabs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormatArg {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
enum SeedCommand {
    /// Write a deterministic synthetic graph (seed format, JSON lines) for benchmarks.
    Synthetic {
        #[arg(long, default_value_t = 2_000)]
        institutions: usize,
        #[arg(long, default_value_t = 200_000)]
        people: usize,
        /// Random seed: the same seed writes the same bytes.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file; stdout when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
    Graphml,
    Gexf,
}

/// Accepts a Bolt URI for --store.
fn bolt_uri(s: &str) -> Result<String, String> {
    const SCHEMES: [&str; 6] = [
        "bolt://",
        "bolt+s://",
        "bolt+ssc://",
        "neo4j://",
        "neo4j+s://",
        "neo4j+ssc://",
    ];
    if SCHEMES.iter().any(|scheme| s.starts_with(scheme)) {
        Ok(s.to_owned())
    } else {
        Err("expected bolt://HOST:PORT or neo4j://HOST:PORT".to_owned())
    }
}

/// Exit codes: 0 success, 1 failure, 2 bad usage (clap), 3 bad input (nothing was stored),
/// 4 the store is unavailable (missing, locked by another process, unreachable).
fn exit_code(err: &anyhow::Error) -> u8 {
    if err.downcast_ref::<app::BadInput>().is_some() {
        return 3;
    }
    match err.downcast_ref::<labgraph_app::StoreError>() {
        Some(labgraph_app::StoreError::Rejected(_)) => 3,
        Some(labgraph_app::StoreError::Unavailable(_)) => 4,
        _ => 1,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    app::init_tracing(cli.quiet);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("labgraph: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("labgraph: error: {err:#}");
            ExitCode::from(exit_code(&err))
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let progress = app::Progress::new(cli.quiet);
    match cli.command {
        Command::Serve {
            listen,
            cors_origins,
            max_page_size,
            max_depth,
            max_complexity,
            max_body_bytes,
            store,
            neo4j_user,
            neo4j_password,
            neo4j_database,
        } => {
            let store = match store {
                Some(uri) => {
                    let mut neo4j = app::Neo4jConfig::new(uri, neo4j_user, neo4j_password);
                    neo4j.database = neo4j_database;
                    app::StoreLocation::Neo4j(neo4j)
                }
                None => app::StoreLocation::Embedded(cli.db),
            };
            let config = app::ServeConfig {
                store,
                listen,
                cors_origins,
                schema: app::SchemaConfig {
                    max_page_size,
                    max_depth,
                    max_complexity,
                },
                max_body_bytes,
                quiet: cli.quiet,
            };
            let server = app::serve(config).await?;
            // One line on stdout that scripts and tests wait for.
            println!("labgraph: listening on http://{}", server.addr);
            server.run().await
        }
        Command::Import { files } => {
            let report = app::import(&cli.db, &files, &progress).await?;
            println!(
                "imported {} records into {}: {} changes, graph version {}",
                report.records,
                cli.db.display(),
                report.changed,
                report.version
            );
            Ok(())
        }
        Command::Export { format, out } => {
            let format = match format {
                Format::Json => app::ExportFormat::Json,
                Format::Csv => app::ExportFormat::Csv,
                Format::Graphml => app::ExportFormat::Graphml,
                Format::Gexf => app::ExportFormat::Gexf,
            };
            app::export(&cli.db, format, out.as_deref(), &progress).await
        }
        Command::Seed { what: None } => {
            let report = app::seed(&cli.db, &progress).await?;
            println!(
                "seeded {} from graph-seed/ ({} records): {} changes, graph version {}",
                cli.db.display(),
                report.records,
                report.changed,
                report.version
            );
            Ok(())
        }
        Command::Seed {
            what:
                Some(SeedCommand::Synthetic {
                    institutions,
                    people,
                    seed,
                    out,
                }),
        } => {
            let params = app::SyntheticParams::new(institutions, people, seed);
            let stats = app::seed_synthetic(&params, out.as_deref())?;
            eprintln!("labgraph: wrote a synthetic graph: {stats}");
            Ok(())
        }
        Command::Analyse {
            algorithm,
            projection,
            as_of,
            verified_only,
            cross_border_only,
            edges,
            weighted,
            format,
            top,
            normalized,
            raw,
            export_edges,
        } => {
            let source = match edges {
                Some(path) => app::NetworkSource::EdgeList(path),
                None => app::NetworkSource::Database {
                    db: cli.db,
                    projection: match projection {
                        ProjectionArg::Institutions => app::Projection::Institutions,
                        ProjectionArg::People => app::Projection::People,
                        ProjectionArg::InstitutionLabs => app::Projection::InstitutionLabs,
                    },
                    as_of,
                    verified_only,
                    cross_border_only,
                },
            };
            let request = app::AnalyseRequest {
                source,
                algorithm: algorithm.map(Into::into),
                weighted,
                normalized: match (normalized, raw) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
                export_edges,
            };
            let analysis = app::analyse(&request, &progress).await?;
            if !cli.quiet {
                eprintln!(
                    "labgraph: loaded {} nodes, {} ties in {:.3} s",
                    analysis.nodes,
                    analysis.ties,
                    analysis.load_time.as_secs_f64()
                );
                if let Some(took) = analysis.algorithm_time {
                    eprintln!("labgraph: algorithm took {:.9} s", took.as_secs_f64());
                }
            }
            let format = match format {
                OutputFormatArg::Table => app::OutputFormat::Table,
                OutputFormatArg::Json => app::OutputFormat::Json,
                OutputFormatArg::Csv => app::OutputFormat::Csv,
            };
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            analysis.write(format, top, &mut out)?;
            std::io::Write::flush(&mut out)?;
            Ok(())
        }
        Command::Stats => {
            let stats = app::stats(&cli.db, &progress).await?;
            println!("graph version {}", stats.version);
            for (kind, n) in &stats.nodes {
                println!("{:<10} {n:>9} nodes", kind.code());
            }
            for (kind, n) in &stats.edges {
                println!("{:<18} {n:>9} edges", kind.code());
            }
            Ok(())
        }
    }
}
