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
        } => {
            let config = app::ServeConfig {
                db: cli.db,
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
