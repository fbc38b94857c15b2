//! The `labgraph` command: parses arguments, runs the matching labgraph-app command, and maps
//! failures to exit codes (see [`exit_code`]).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use labgraph_app as app;

/// mimalloc, as in `labgraph`: glibc malloc/free took a fifth of a served page's CPU
/// (docs/benchmarks.md, run I).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Whether --db (or LABGRAPH_DB) was given rather than defaulted: an explicit --db beats
    /// the store of a `serve --config` file.
    #[arg(skip)]
    db_given: bool,
    #[command(subcommand)]
    command: Command,
}

/// How to reach a Neo4j server (with a `bolt://` or `neo4j://` store; ignored otherwise). Each
/// overrides the same key of a `serve --config` file's `[neo4j]` table.
#[derive(Debug, Args)]
struct Neo4jArgs {
    /// The Neo4j user [default: neo4j].
    #[arg(long, env = "LABGRAPH_NEO4J_USER")]
    neo4j_user: Option<String>,
    /// The Neo4j password [default: empty].
    #[arg(long, env = "LABGRAPH_NEO4J_PASSWORD", hide_env_values = true)]
    neo4j_password: Option<String>,
    /// The Neo4j database; the server's default when absent.
    #[arg(long, env = "LABGRAPH_NEO4J_DATABASE")]
    neo4j_database: Option<String>,
    /// The driver's connection pool size [default: 16].
    #[arg(long, env = "LABGRAPH_NEO4J_MAX_CONNECTIONS", value_name = "N")]
    neo4j_max_connections: Option<usize>,
    /// Rows fetched per PULL [default: 2000].
    #[arg(long, env = "LABGRAPH_NEO4J_FETCH_SIZE", value_name = "ROWS")]
    neo4j_fetch_size: Option<usize>,
    /// Rows per UNWIND statement when writing [default: 2000].
    #[arg(long, env = "LABGRAPH_NEO4J_BATCH_ROWS", value_name = "ROWS")]
    neo4j_batch_rows: Option<usize>,
    /// Bytes of row data per UNWIND statement at most, about [default: 262144].
    #[arg(long, env = "LABGRAPH_NEO4J_BATCH_BYTES", value_name = "BYTES")]
    neo4j_batch_bytes: Option<usize>,
    /// How long connecting may take [default: 10s].
    #[arg(long, env = "LABGRAPH_NEO4J_CONNECT_TIMEOUT", value_name = "DURATION", value_parser = app::parse_duration)]
    neo4j_connect_timeout: Option<Duration>,
    /// How long one statement may take [default: 120s].
    #[arg(long, env = "LABGRAPH_NEO4J_STATEMENT_TIMEOUT", value_name = "DURATION", value_parser = app::parse_duration)]
    neo4j_statement_timeout: Option<Duration>,
    /// Tries in all for a read or commit meeting a transient failure [default: 5; 1: none].
    #[arg(long, env = "LABGRAPH_NEO4J_RETRY_ATTEMPTS", value_name = "N")]
    neo4j_retry_attempts: Option<u32>,
}

impl Neo4jArgs {
    fn options(self) -> app::Neo4jOptions {
        app::Neo4jOptions {
            user: self.neo4j_user,
            password: self.neo4j_password,
            database: self.neo4j_database,
            max_connections: self.neo4j_max_connections,
            fetch_size: self.neo4j_fetch_size,
            batch_rows: self.neo4j_batch_rows,
            batch_bytes: self.neo4j_batch_bytes,
            connect_timeout: self.neo4j_connect_timeout,
            statement_timeout: self.neo4j_statement_timeout,
            retry_attempts: self.neo4j_retry_attempts,
            ..app::Neo4jOptions::default()
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the GraphQL API (and GraphiQL) over HTTP; a new database is seeded from graph-seed/.
    ///
    /// Settings come from flags, then LABGRAPH_* environment variables, then the --config
    /// file, then the defaults shown.
    Serve {
        /// A TOML configuration file (see deploy/labgraph.example.toml).
        #[arg(long, env = "LABGRAPH_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
        /// Address to listen on [default: 127.0.0.1:8080].
        #[arg(long, env = "LABGRAPH_LISTEN")]
        listen: Option<SocketAddr>,
        /// An origin allowed by CORS (repeatable; `*` allows any).
        #[arg(
            long = "cors-origin",
            env = "LABGRAPH_CORS_ORIGINS",
            value_delimiter = ','
        )]
        cors_origins: Vec<String>,
        /// Largest page a connection may return (`first`/`last`) [default: 100].
        #[arg(long)]
        max_page_size: Option<usize>,
        /// Deepest query accepted [default: 20].
        #[arg(long)]
        max_depth: Option<usize>,
        /// Most complex query accepted (a connection counts its page size) [default: 5000].
        #[arg(long)]
        max_complexity: Option<usize>,
        /// Largest request body accepted, in bytes [default: 1048576].
        #[arg(long)]
        max_body_bytes: Option<usize>,
        /// How long a request waits for an analytics computation before TIMEOUT; the
        /// computation goes on and is cached (`90s`, `500ms`; 1ms to 24h) [default: 30s].
        #[arg(long, env = "LABGRAPH_COMPUTE_TIMEOUT", value_name = "DURATION", value_parser = app::parse_timeout)]
        compute_timeout: Option<Duration>,
        /// Serve from a Neo4j server (`bolt://HOST:PORT` or `neo4j://HOST:PORT`) instead of
        /// the embedded --db file.
        #[arg(long, env = "LABGRAPH_STORE", value_name = "URI", value_parser = bolt_uri)]
        store: Option<String>,
        /// With a Neo4j store: how often to check for other instances' writes and reload
        /// [default: 5s; 0 never].
        #[arg(long, env = "LABGRAPH_POLL_INTERVAL", value_name = "DURATION", value_parser = app::parse_duration)]
        poll_interval: Option<Duration>,
        #[command(flatten)]
        neo4j: Neo4jArgs,
    },
    /// Import seed-format files (.jsonl, .json, .csv) or directories: all of them or nothing.
    Import {
        /// Files or directories to import.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Import into a Neo4j server (`bolt://HOST:PORT`) instead of the embedded --db file.
        #[arg(long, env = "LABGRAPH_STORE", value_name = "URI", value_parser = bolt_uri)]
        store: Option<String>,
        #[command(flatten)]
        neo4j: Neo4jArgs,
    },
    /// Copy the whole graph from one store into another, empty one: an embedded file into a
    /// Neo4j server (`bolt://HOST:PORT`) or back.
    Copy {
        /// The source: an embedded store file or a Bolt URI.
        #[arg(long, value_name = "FILE|URI")]
        from: String,
        /// The target, which must be empty: an embedded store file (created) or a Bolt URI.
        #[arg(long, value_name = "FILE|URI")]
        to: String,
        #[command(flatten)]
        neo4j: Neo4jArgs,
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
    /// Gaps in the cross-border network (policy staff): the city (or region) × field matrix
    /// of cross-border ties against the institutions that could hold them and a configuration
    /// model, institutions and cities with no path of ≤ K ties to Hong Kong or Macao, fields
    /// without a cross-border lab, and the bridges at risk.
    Gaps {
        /// Longest path (in ties) that counts as reaching Hong Kong or Macao, 1 to 6.
        #[arg(long, default_value_t = 2)]
        k: u32,
        /// Rows of the matrix.
        #[arg(long, value_enum, default_value = "city")]
        level: GapLevelArg,
        /// A column of the matrix (repeatable); every field when absent.
        #[arg(long = "field", value_name = "FIELD")]
        fields: Vec<String>,
        /// The network as it stood in this year.
        #[arg(long, value_name = "YEAR")]
        as_of: Option<i32>,
        /// table: to read; json: everything, for programs.
        #[arg(long, value_enum, default_value = "table")]
        format: AnswerFormatArg,
    },
    /// What would change if labs or ties were added or nodes removed — computed on a copy
    /// of the graph, nothing stored.
    // The flags' syntax, `A,B[,STRENGTH]`, is --help text, not a rustdoc link.
    #[allow(rustdoc::broken_intra_doc_links)]
    WhatIf {
        /// A proposed joint lab: PARTNER,PARTNER[,...][:FIELD[,FIELD...][:CITY]] (repeatable).
        #[arg(long = "add-lab", value_name = "LAB")]
        labs: Vec<String>,
        /// A proposed collaboration between two institutions: A,B[,STRENGTH] (repeatable).
        #[arg(long = "add-tie", value_name = "A,B[,STRENGTH]")]
        ties: Vec<String>,
        /// A node to remove, with its edges (repeatable).
        #[arg(long = "remove", value_name = "ID")]
        remove: Vec<String>,
        /// The network as it stood in this year.
        #[arg(long, value_name = "YEAR")]
        as_of: Option<i32>,
        /// table: to read; json: everything, for programs.
        #[arg(long, value_enum, default_value = "table")]
        format: AnswerFormatArg,
    },
    /// Labs and their ties rolled up lab → institution → city → region → jurisdiction, each
    /// tie (a pair of institutions sharing a lab) counted once per group.
    Rollup {
        /// The level to group by.
        #[arg(long, value_enum, default_value = "city")]
        level: RollupLevelArg,
        /// Only Guangdong–Hong Kong–Macao joint labs.
        #[arg(long)]
        joint_labs: bool,
        /// table: to read; json: everything, for programs.
        #[arg(long, value_enum, default_value = "table")]
        format: AnswerFormatArg,
    },
    /// City-level flows: the ties between the eleven Greater Bay Area cities and the rest of
    /// Guangdong (each institution pair once), by year and field, and the region-by-region
    /// table (PRD, East, West, North Guangdong, Hong Kong, Macao).
    Flows {
        /// Only ties in this field (or a sub-field).
        #[arg(long, value_name = "FIELD")]
        field: Option<String>,
        /// The first year of the series (default: the graph's earliest year).
        #[arg(long, value_name = "YEAR")]
        from: Option<i32>,
        /// The last year of the series (default: --as-of, else the graph's latest year).
        #[arg(long, value_name = "YEAR")]
        to: Option<i32>,
        /// The flows as they stood in this year (default: every tie ever recorded).
        #[arg(long, value_name = "YEAR")]
        as_of: Option<i32>,
        /// table: to read; json: everything, for programs; csv: one row per city pair.
        #[arg(long, value_enum, default_value = "table")]
        format: OutputFormatArg,
    },
    /// The institution network year by year (size, cross-border share, density, components,
    /// top brokers) and the ties that began or ended.
    Evolution {
        /// The first year.
        #[arg(long, value_name = "YEAR")]
        from: i32,
        /// The last year (inclusive).
        #[arg(long, value_name = "YEAR")]
        to: i32,
        /// table: to read; json: everything, for programs.
        #[arg(long, value_enum, default_value = "table")]
        format: AnswerFormatArg,
    },
    /// A map view: the neighbourhood of some nodes (or every node passing the filters) with
    /// every edge among them, community ids, centrality and layout positions, as Cytoscape.js
    /// JSON, GEXF (Gephi), GraphML or the whole answer as JSON.
    Subgraph {
        /// A node the map is centred on (repeatable); none for a filtered map of the whole
        /// graph (then give a filter).
        #[arg(long, value_name = "ID", num_args = 1..)]
        around: Vec<String>,
        /// Hops from the --around nodes, 1 to 3.
        #[arg(long, default_value_t = 1)]
        depth: u32,
        /// Only edges holding in this year.
        #[arg(long, value_name = "YEAR")]
        as_of: Option<i32>,
        /// Most nodes the map may have, 1 to 1000; more is an error.
        #[arg(long, default_value_t = 300)]
        max_nodes: usize,
        /// Only nodes of this kind (repeatable): institution, lab, person, city, field,
        /// platform.
        #[arg(long = "where-kind", value_name = "KIND")]
        kinds: Vec<String>,
        /// Only nodes working on this field or a sub-field, and the fields (repeatable).
        #[arg(long = "field", value_name = "FIELD")]
        fields: Vec<String>,
        /// Only nodes in this region (repeatable): hk, macao, gd-prd, gd-east, gd-west,
        /// gd-north.
        #[arg(long = "region", value_name = "REGION")]
        regions: Vec<String>,
        /// Only nodes in this jurisdiction (repeatable): mainland, hong-kong, macao.
        #[arg(long = "jurisdiction", value_name = "JURISDICTION")]
        jurisdictions: Vec<String>,
        /// Only verified nodes.
        #[arg(long)]
        verified_only: bool,
        /// Only cross-border labs and institutions in one or with a cross-border tie.
        #[arg(long)]
        cross_border_only: bool,
        /// The centrality written for each node (degree, betweenness, pagerank, ...).
        #[arg(long, default_value = "degree")]
        centrality: String,
        /// cytoscape: Cytoscape.js elements; gexf: Gephi; graphml; json: the whole answer.
        #[arg(long, value_enum, default_value = "cytoscape")]
        format: MapFormatArg,
        /// Output file; stdout when absent.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Partner suggestions for an institution or person (liaison offices): candidates not yet
    /// tied to it, ranked by link prediction and field overlap, each with shared partners,
    /// shared fields and the best introduction paths.
    Partners {
        /// The institution (or person) asking.
        #[arg(long = "for", value_name = "ID")]
        for_id: String,
        /// Only candidates working on this field or a sub-field (repeatable).
        #[arg(long = "field", value_name = "FIELD")]
        fields: Vec<String>,
        /// Only candidates in this jurisdiction: hk, mo (macao) or mainland.
        #[arg(long, value_name = "hk|mo|mainland")]
        jurisdiction: Option<String>,
        /// Only institutions of this kind (repeatable): university, research_institute,
        /// enterprise, hospital, government, lab_platform.
        #[arg(long = "kind", value_name = "KIND")]
        kinds: Vec<String>,
        /// How many suggestions, 1 to 50.
        #[arg(long, default_value_t = 10)]
        first: usize,
        /// table: to read; json: everything, for programs.
        #[arg(long, value_enum, default_value = "table")]
        format: AnswerFormatArg,
    },
    /// The k shortest introduction paths between two institutions (or two people), or to (from)
    /// a lab through any of its members, each hop with the lab, person or collaboration behind
    /// it, its strength, years and border class; a lab end adds the hop into the lab with the
    /// member's role and source.
    Paths {
        /// Where the paths start: an institution, a person or a lab.
        #[arg(long, value_name = "ID")]
        from: String,
        /// Where they end: an institution, a person or a lab (e.g. a joint lab's id).
        #[arg(long, value_name = "ID")]
        to: String,
        /// How many paths, 1 to 20.
        #[arg(long, default_value_t = 3)]
        k: usize,
        /// Only ties joining two jurisdictions.
        #[arg(long)]
        cross_border_only: bool,
        /// The most hops of a path, 1 to 8.
        #[arg(long, default_value_t = 6)]
        max_hops: usize,
        /// table: to read; json: everything, for programs.
        #[arg(long, value_enum, default_value = "table")]
        format: AnswerFormatArg,
    },
    /// Measure the partner finder: hold out the ties of the latest year, rank on the graph
    /// without them, print precision@k and recall@k beside preferential attachment and a
    /// random order.
    PartnersEvaluate {
        /// The graph: the --db file, the built-in graph-seed, or the synthetic generator's.
        #[arg(long, value_enum, default_value = "db")]
        graph: EvalGraphArg,
        /// synthetic: number of institutions.
        #[arg(long, default_value_t = 2000)]
        institutions: usize,
        /// synthetic: number of people.
        #[arg(long, default_value_t = 20000)]
        people: usize,
        /// synthetic: the generator's seed.
        #[arg(long, default_value_t = 1)]
        synthetic_seed: u64,
        /// Rank people (the person network) instead of institutions.
        #[arg(long)]
        person_network: bool,
        /// The held-out year; the latest year whose edges make a tie when absent.
        #[arg(long, value_name = "YEAR")]
        year: Option<i32>,
        /// The cut-offs k (repeatable).
        #[arg(long = "k", default_values_t = [5, 10, 20])]
        ks: Vec<usize>,
        /// table: to read; json: everything, for programs.
        #[arg(long, value_enum, default_value = "table")]
        format: AnswerFormatArg,
    },
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
        /// communities, leiden: the modularity's resolution γ (above 1: smaller communities;
        /// default 1).
        #[arg(long, value_name = "GAMMA")]
        resolution: Option<f64>,
        /// communities, leiden, betweenness with --error: the seed of the random choices; the
        /// same seed, the same result.
        #[arg(long)]
        seed: Option<u64>,
        /// leiden: runs of the whole algorithm, each from the last partition (default 2, as
        /// igraph); more can only keep or raise the modularity, each costing about as much.
        #[arg(long, value_name = "N")]
        iterations: Option<usize>,
        /// betweenness, edge-betweenness: worker threads (default 1; the result does not depend
        /// on it beyond floating-point rounding).
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// betweenness: sample instead of computing exactly, every normalised score within EPS
        /// of the exact one with probability 1 − δ (Riondato & Kornaropoulos; by hops).
        #[arg(long, value_name = "EPS")]
        error: Option<f64>,
        /// betweenness with --error: the probability δ allowed of missing EPS (default 0.1).
        #[arg(long, value_name = "D")]
        delta: Option<f64>,
        /// katz: the attenuation factor per step, below 1/λmax (default 0.1).
        #[arg(long)]
        alpha: Option<f64>,
        /// brokerage: the group of each node — `region` or `jurisdiction` (of a projection of
        /// the database), or a FILE of `node group` lines (write ./region for a file so named).
        #[arg(long, value_name = "region|jurisdiction|FILE")]
        groups: Option<String>,
        /// Analyse the graph of a Neo4j server (`bolt://HOST:PORT`) instead of the --db file.
        #[arg(long, env = "LABGRAPH_STORE", value_name = "URI", value_parser = bolt_uri)]
        store: Option<String>,
        /// Store each node's score as the node property `labgraph_<algorithm>` in the Neo4j
        /// store analysed (the write mode of Neo4j GDS). Needs --store.
        #[arg(long)]
        write_back: bool,
        #[command(flatten)]
        neo4j: Neo4jArgs,
    },
}

/// Rows of `labgraph gaps`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum GapLevelArg {
    City,
    Region,
}

/// The graph `partners-evaluate` measures on.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum EvalGraphArg {
    Db,
    Seed,
    Synthetic,
}

/// Levels of `labgraph rollup`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum RollupLevelArg {
    Institution,
    City,
    Region,
    Jurisdiction,
}

/// Output of `subgraph`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum MapFormatArg {
    Cytoscape,
    Gexf,
    Graphml,
    Json,
}

/// Output of `gaps`, `what-if`, `evolution` and `rollup`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum AnswerFormatArg {
    Table,
    Json,
}

impl From<OutputFormatArg> for app::OutputFormat {
    fn from(f: OutputFormatArg) -> Self {
        match f {
            OutputFormatArg::Table => app::OutputFormat::Table,
            OutputFormatArg::Json => app::OutputFormat::Json,
            OutputFormatArg::Csv => app::OutputFormat::Csv,
        }
    }
}

impl From<AnswerFormatArg> for app::AnswerFormat {
    fn from(f: AnswerFormatArg) -> Self {
        match f {
            AnswerFormatArg::Table => app::AnswerFormat::Table,
            AnswerFormatArg::Json => app::AnswerFormat::Json,
        }
    }
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
    Eigenvector,
    Katz,
    Transitivity,
    /// Louvain communities and their modularity.
    Communities,
    /// Leiden communities (connected, refined Louvain) and their modularity.
    Leiden,
    LabelPropagation,
    /// Burt's constraint, effective size, efficiency and hierarchy.
    StructuralHoles,
    /// Gould & Fernandez brokerage roles between the groups of --groups.
    Brokerage,
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
            AlgorithmArg::Eigenvector => app::Algorithm::Eigenvector,
            AlgorithmArg::Katz => app::Algorithm::Katz,
            AlgorithmArg::Transitivity => app::Algorithm::Transitivity,
            AlgorithmArg::Communities => app::Algorithm::Communities,
            AlgorithmArg::Leiden => app::Algorithm::Leiden,
            AlgorithmArg::LabelPropagation => app::Algorithm::LabelPropagation,
            AlgorithmArg::StructuralHoles => app::Algorithm::StructuralHoles,
            AlgorithmArg::Brokerage => app::Algorithm::Brokerage,
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
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    cli.db_given = matches
        .value_source("db")
        .is_some_and(|source| source != clap::parser::ValueSource::DefaultValue);
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

/// Writes a report to standard output through one buffer (a report is many small writes),
/// flushed before the command returns so a write error is reported, not lost on drop.
fn print(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write(&mut out)?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let progress = app::Progress::new(cli.quiet);
    match cli.command {
        Command::Serve {
            config,
            listen,
            cors_origins,
            max_page_size,
            max_depth,
            max_complexity,
            max_body_bytes,
            compute_timeout,
            store,
            poll_interval,
            neo4j,
        } => {
            // Flags and environment (clap merged those) over the file over the defaults.
            let mut file = match &config {
                Some(path) => app::ServeOptions::from_file(path)?,
                None => app::ServeOptions::default(),
            };
            if cli.db_given {
                file.store = None;
            }
            let flags = app::ServeOptions {
                store,
                listen,
                cors_origins: (!cors_origins.is_empty()).then_some(cors_origins),
                poll_interval,
                limits: app::LimitsOptions {
                    max_page_size,
                    max_depth,
                    max_complexity,
                    max_body_bytes,
                    compute_timeout,
                },
                neo4j: neo4j.options(),
            };
            let config = flags.or(file).resolve(&cli.db, cli.quiet);
            let server = app::serve(config).await?;
            // One line on stdout that scripts and tests wait for.
            println!("labgraph: listening on http://{}", server.addr);
            server.run().await
        }
        Command::Import {
            files,
            store,
            neo4j,
        } => {
            let store = match store {
                Some(uri) => app::StoreLocation::parse(&uri, &neo4j.options()),
                None => app::StoreLocation::Embedded(cli.db),
            };
            let report = app::import_into(&store, &files, &progress).await?;
            println!(
                "imported {} records into {store}: {} changes, graph version {}",
                report.records, report.changed, report.version
            );
            Ok(())
        }
        Command::Copy { from, to, neo4j } => {
            let options = neo4j.options();
            let from = app::StoreLocation::parse(&from, &options);
            let to = app::StoreLocation::parse(&to, &options);
            let report = app::copy(&from, &to, &progress).await?;
            println!(
                "copied {} nodes and {} edges (graph version {}) from {from} to {to}: graph version {}",
                report.nodes, report.edges, report.source_version, report.version
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
            resolution,
            seed,
            iterations,
            threads,
            error,
            delta,
            alpha,
            groups,
            store,
            write_back,
            neo4j,
        } => {
            let source = match edges {
                Some(path) => app::NetworkSource::EdgeList(path),
                None => app::NetworkSource::Database {
                    store: match store {
                        Some(uri) => app::StoreLocation::parse(&uri, &neo4j.options()),
                        None => app::StoreLocation::Embedded(cli.db),
                    },
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
                write_back,
                options: app::AlgorithmOptions {
                    resolution,
                    seed,
                    iterations,
                    threads,
                    error,
                    delta,
                    alpha,
                    groups: groups.map(|g| match g.as_str() {
                        "region" => app::Groups::Region,
                        "jurisdiction" => app::Groups::Jurisdiction,
                        _ => app::Groups::File(PathBuf::from(g)),
                    }),
                },
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
                if let Some(b) = &analysis.sampled {
                    eprintln!(
                        "labgraph: sampled {} pairs (vertex diameter ≤ {}): every score within \
                         {} of the exact one with probability ≥ {}",
                        b.samples,
                        b.vertex_diameter_bound,
                        b.epsilon,
                        1.0 - b.delta
                    );
                }
                if let Some(w) = &analysis.written_back {
                    eprintln!(
                        "labgraph: wrote {} on {} nodes of {}",
                        w.property, w.nodes, w.store
                    );
                }
            }
            print(|out| analysis.write(format.into(), top, out))
        }
        Command::Gaps {
            k,
            level,
            fields,
            as_of,
            format,
        } => {
            let request = app::GapsRequest {
                level: match level {
                    GapLevelArg::City => app::AreaLevel::City,
                    GapLevelArg::Region => app::AreaLevel::Region,
                },
                fields,
                k,
                as_of,
            };
            let report = app::gaps(&cli.db, &request, &progress).await?;
            print(|out| report.write(format.into(), out))
        }
        Command::WhatIf {
            labs,
            ties,
            remove,
            as_of,
            format,
        } => {
            let request = app::WhatIfRequest {
                labs,
                ties,
                remove,
                as_of,
            };
            let report = app::what_if(&cli.db, &request, &progress).await?;
            print(|out| report.write(format.into(), out))
        }
        Command::Rollup {
            level,
            joint_labs,
            format,
        } => {
            let level = match level {
                RollupLevelArg::Institution => app::RollupLevel::Institution,
                RollupLevelArg::City => app::RollupLevel::City,
                RollupLevelArg::Region => app::RollupLevel::Region,
                RollupLevelArg::Jurisdiction => app::RollupLevel::Jurisdiction,
            };
            let report = app::rollup(&cli.db, level, joint_labs, &progress).await?;
            print(|out| report.write(format.into(), out))
        }
        Command::Subgraph {
            around,
            depth,
            as_of,
            max_nodes,
            kinds,
            fields,
            regions,
            jurisdictions,
            verified_only,
            cross_border_only,
            centrality,
            format,
            out,
        } => {
            let request = app::SubgraphRequest {
                around,
                depth,
                as_of,
                max_nodes,
                kinds,
                fields,
                regions,
                jurisdictions,
                verified_only,
                cross_border_only,
                centrality,
            };
            let format = match format {
                MapFormatArg::Cytoscape => app::MapFormat::Cytoscape,
                MapFormatArg::Gexf => app::MapFormat::Gexf,
                MapFormatArg::Graphml => app::MapFormat::Graphml,
                MapFormatArg::Json => app::MapFormat::Json,
            };
            let report = app::subgraph(&cli.db, &request, format, &progress).await?;
            match out {
                Some(path) => {
                    let mut file = std::io::BufWriter::new(
                        std::fs::File::create(&path)
                            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
                    );
                    report.write(&mut file)?;
                    std::io::Write::flush(&mut file)?;
                }
                None => print(|out| report.write(out))?,
            }
            Ok(())
        }
        Command::Flows {
            field,
            from,
            to,
            as_of,
            format,
        } => {
            let request = app::FlowsRequest {
                field,
                from,
                to,
                as_of,
            };
            let report = app::flows(&cli.db, &request, &progress).await?;
            print(|out| report.write(format.into(), out))
        }
        Command::Evolution { from, to, format } => {
            let report = app::evolution(&cli.db, from, to, &progress).await?;
            print(|out| report.write(format.into(), out))
        }
        Command::Partners {
            for_id,
            fields,
            jurisdiction,
            kinds,
            first,
            format,
        } => {
            let request = app::PartnersRequest {
                for_id,
                fields,
                jurisdiction,
                kinds,
                first,
            };
            let report = app::partners(&cli.db, &request, &progress).await?;
            print(|out| report.write(format.into(), out))
        }
        Command::Paths {
            from,
            to,
            k,
            cross_border_only,
            max_hops,
            format,
        } => {
            let request = app::PathsRequest {
                from,
                to,
                k,
                cross_border_only,
                max_hops,
            };
            let report = app::paths(&cli.db, &request, &progress).await?;
            print(|out| report.write(format.into(), out))
        }
        Command::PartnersEvaluate {
            graph,
            institutions,
            people,
            synthetic_seed,
            person_network,
            year,
            ks,
            format,
        } => {
            let request = app::EvaluateRequest {
                graph: match graph {
                    EvalGraphArg::Db => app::EvaluationGraph::Database(cli.db.clone()),
                    EvalGraphArg::Seed => app::EvaluationGraph::Seed,
                    EvalGraphArg::Synthetic => app::EvaluationGraph::Synthetic(
                        app::SyntheticParams::new(institutions, people, synthetic_seed),
                    ),
                },
                people: person_network,
                year,
                ks,
            };
            let report = app::partners_evaluate(&request, &progress).await?;
            print(|out| report.write(format.into(), out))
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
