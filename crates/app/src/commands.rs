//! One function per command of the `labgraph` binary.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use labgraph_domain::{Diff, GraphStats};
use labgraph_store::{GraphService, GraphStore, StoreError};
use labgraph_store_embedded::EmbeddedStore;
use labgraph_store_neo4j::Neo4jStore;

use crate::config::{ServeConfig, StoreLocation};
use crate::progress::Progress;
use crate::refresh::{Refresher, spawn_refresh};
use crate::seed_data;

/// Input that cannot be stored: names the file, line and field. Exit code 3 in the CLI.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Records read from the files.
    pub records: usize,
    /// The graph version after the import (unchanged when the import changed nothing).
    pub version: u64,
    /// Nodes and edges created, replaced or deleted.
    pub changed: usize,
}

/// Opens the store at `location` (an embedded file is created when missing) and serves it
/// through a [`GraphService`]; with `seed_if_new`, a new (version 0, empty) graph is first
/// seeded from graph-seed/.
pub async fn open_service(
    location: &StoreLocation,
    seed_if_new: bool,
    progress: &Progress,
) -> Result<Arc<GraphService>> {
    let store = open_store(location).await?;
    let service = GraphService::open(store)
        .await
        .with_context(|| format!("cannot load the graph from {location}"))?;
    let snapshot = service.snapshot();
    if seed_if_new && snapshot.version() == 0 && snapshot.node_count() == 0 {
        let bar = progress.spinner("seeding the new database from graph-seed/");
        let parsed = seed_data::parse()?;
        let records = parsed.changes.len();
        let applied = service
            .apply(parsed.changes.clone())
            .await
            .map_err(|e| located(e, &parsed))?;
        bar.finish_and_clear();
        tracing::info!(records, version = applied.version, store = %location, "seeded a new database from graph-seed/");
    }
    Ok(Arc::new(service))
}

/// Opens the configured backend. An unreachable server is a [`StoreError::Unavailable`]
/// naming its URI (exit code 4 in the CLI).
pub(crate) async fn open_store(location: &StoreLocation) -> Result<Arc<dyn GraphStore>> {
    Ok(match location {
        StoreLocation::Embedded(db) => Arc::new(EmbeddedStore::open(db).await?),
        StoreLocation::Neo4j(config) => Arc::new(Neo4jStore::connect(config.clone()).await?),
    })
}

/// The embedded store file at `db`, as the file-based commands open it.
fn embedded(db: &Path) -> StoreLocation {
    StoreLocation::Embedded(db.to_path_buf())
}

/// Turns a refused change set into an error naming the file and line of the offending record.
fn located(err: StoreError, parsed: &labgraph_io::Parsed) -> anyhow::Error {
    match err {
        StoreError::Rejected(apply) => anyhow::Error::new(BadInput(format!(
            "{}: {}",
            parsed.locate(&apply),
            apply.error
        ))),
        other => other.into(),
    }
}

/// A bound server, not yet serving: lets callers learn the port before it runs.
#[derive(Debug)]
pub struct Server {
    listener: tokio::net::TcpListener,
    router: axum::Router,
    /// The address bound.
    pub addr: SocketAddr,
    /// Keeps the snapshot in step with other instances' writes while serving (Neo4j stores).
    refresher: Option<Refresher>,
}

impl Server {
    /// Serves until SIGTERM or Ctrl-C, then finishes in-flight requests.
    pub async fn run(self) -> Result<()> {
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("server failed");
        // Checking for new versions stops with the server, not before.
        drop(self.refresher);
        served
    }
}

/// `labgraph serve`: opens (and if new, seeds) the database and binds the GraphQL server.
pub async fn serve(config: ServeConfig) -> Result<Server> {
    let progress = Progress::new(config.quiet);
    // A mistyped CORS origin must stop the server, not silently leave a frontend locked out.
    config
        .http()
        .validate()
        .map_err(|e| BadInput(format!("configuration: {e}")))?;
    let service = open_service(&config.store, true, &progress).await?;
    // Only a shared server store can be written by other instances; an embedded file is held
    // by this process alone.
    let refresher = match (&config.store, config.poll_interval) {
        (StoreLocation::Neo4j(_), Some(interval)) => {
            tracing::info!(?interval, "checking the store for other instances' writes");
            Some(spawn_refresh(Arc::clone(&service), interval))
        }
        _ => None,
    };
    let schema = labgraph_api::schema::build_schema(Arc::clone(&service), &config.schema);
    let router = labgraph_api::http::router(schema, config.http());
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let snapshot = service.snapshot();
    tracing::info!(%addr, version = snapshot.version(), nodes = snapshot.node_count(), edges = snapshot.edge_count(), "serving GraphQL at /graphql");
    Ok(Server {
        listener,
        router,
        addr,
        refresher,
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, only SIGTERM stops the server.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// `labgraph import FILE...`: reads every file, then applies them as one change set — all of
/// it or, on any error, nothing.
pub async fn import(db: &Path, files: &[PathBuf], progress: &Progress) -> Result<ImportReport> {
    import_into(&embedded(db), files, progress).await
}

/// `labgraph import --store LOCATION FILE...`: [`import`] into any store — a Neo4j server
/// too, in batched `UNWIND` statements.
pub async fn import_into(
    store: &StoreLocation,
    files: &[PathBuf],
    progress: &Progress,
) -> Result<ImportReport> {
    if files.is_empty() {
        bail!(BadInput("import: give at least one file".into()));
    }
    let bar = progress.spinner(format!("reading {} file(s)", files.len()));
    let paths = files.to_vec();
    let parsed = tokio::task::spawn_blocking(move || labgraph_io::read_files(&paths))
        .await
        .context("import reading task failed")?
        .map_err(|e| BadInput(e.to_string()))?;
    bar.finish_and_clear();
    let records = parsed.changes.len();
    let service = open_service(store, false, progress).await?;
    let bar = progress.spinner(format!("validating and storing {records} records"));
    let applied = service
        .apply(parsed.changes.clone())
        .await
        .map_err(|e| located(e, &parsed))?;
    bar.finish_and_clear();
    let d = &applied.diff;
    Ok(ImportReport {
        records,
        version: applied.version,
        changed: d.upserted_nodes.len()
            + d.deleted_nodes.len()
            + d.upserted_edges.len()
            + d.deleted_edges.len(),
    })
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// The seed format, one record per line (readable back by `import`).
    Json,
    /// The seed format as CSV: `nodes.csv` and `edges.csv` in the `--out` directory.
    Csv,
    /// GraphML, for Gephi, Cytoscape, NetworkX.
    Graphml,
    /// GEXF, for Gephi.
    Gexf,
}

/// `labgraph export`: writes the whole graph to `out` (stdout when `None`; CSV needs a
/// directory).
pub async fn export(
    db: &Path,
    format: ExportFormat,
    out: Option<&Path>,
    progress: &Progress,
) -> Result<()> {
    let service = open_service(&embedded(db), false, progress).await?;
    let graph = service.snapshot();
    let bar = progress.spinner(format!(
        "exporting {} nodes and {} edges",
        graph.node_count(),
        graph.edge_count()
    ));
    match format {
        ExportFormat::Csv => {
            let dir = out.context("csv export writes two files: give a directory with --out")?;
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            labgraph_io::write_csv_dir(&graph, dir).with_context(|| {
                format!("cannot write nodes.csv and edges.csv in {}", dir.display())
            })?;
        }
        _ => {
            let mut sink: Box<dyn Write> = match out {
                Some(path) => Box::new(BufWriter::new(
                    File::create(path)
                        .with_context(|| format!("cannot create {}", path.display()))?,
                )),
                None => Box::new(BufWriter::new(std::io::stdout().lock())),
            };
            match format {
                ExportFormat::Json => labgraph_io::write_jsonl(&graph, &mut sink)?,
                ExportFormat::Graphml => labgraph_io::write_graphml(&graph, &mut sink)?,
                ExportFormat::Gexf => labgraph_io::write_gexf(&graph, &mut sink)?,
                ExportFormat::Csv => unreachable!("handled above"),
            }
            sink.flush()?;
        }
    }
    bar.finish_and_clear();
    Ok(())
}

/// `labgraph seed`: loads graph-seed/ (built into the binary) into the database; a repeat is a
/// no-op because upserts are idempotent.
pub async fn seed(db: &Path, progress: &Progress) -> Result<ImportReport> {
    let service = open_service(&embedded(db), false, progress).await?;
    let parsed = seed_data::parse()?;
    let records = parsed.changes.len();
    let applied = service
        .apply(parsed.changes.clone())
        .await
        .map_err(|e| located(e, &parsed))?;
    let d = &applied.diff;
    Ok(ImportReport {
        records,
        version: applied.version,
        changed: d.upserted_nodes.len()
            + d.deleted_nodes.len()
            + d.upserted_edges.len()
            + d.deleted_edges.len(),
    })
}

/// `labgraph seed synthetic`: writes a synthetic graph in the seed format.
pub fn seed_synthetic(
    params: &labgraph_io::synthetic::Params,
    out: Option<&Path>,
) -> Result<labgraph_io::synthetic::SyntheticStats> {
    let mut sink: Box<dyn Write> = match out {
        Some(path) => Box::new(BufWriter::with_capacity(
            1 << 20,
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout().lock())),
    };
    let stats = labgraph_io::synthetic::write_synthetic(params, &mut sink)?;
    sink.flush()?;
    Ok(stats)
}

/// `labgraph stats`: node and edge counts by kind.
pub async fn stats(db: &Path, progress: &Progress) -> Result<GraphStats> {
    let service = open_service(&embedded(db), false, progress).await?;
    Ok(service.snapshot().stats())
}

/// What a copy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// Nodes and edges copied.
    pub nodes: usize,
    /// Edges copied.
    pub edges: usize,
    /// The source's graph version.
    pub source_version: u64,
    /// The target's graph version afterwards (1: the copy is its first commit).
    pub version: u64,
}

/// `labgraph copy --from A --to B`: the whole graph of one store into another (an embedded
/// file into a Neo4j server, or back), as the target's first commit.
///
/// The target must be empty (version 0, no nodes; a missing embedded file is created): a copy
/// never merges into or overwrites a graph. A missing source file is
/// [`StoreError::Unavailable`] (nothing is created); the same store on both sides or a
/// non-empty target is [`BadInput`].
pub async fn copy(
    from: &StoreLocation,
    to: &StoreLocation,
    progress: &Progress,
) -> Result<CopyReport> {
    if same_store(from, to) {
        bail!(BadInput(format!(
            "copy: {from} is both the source and the target"
        )));
    }
    if let StoreLocation::Embedded(path) = from
        && !path.exists()
    {
        return Err(
            StoreError::Unavailable(format!("{}: no such database", path.display())).into(),
        );
    }
    let bar = progress.spinner(format!("reading {from}"));
    let source = open_store(from).await?;
    let graph = source
        .load()
        .await
        .with_context(|| format!("cannot load the graph from {from}"))?;
    drop(source);
    bar.finish_and_clear();

    let target = open_store(to).await?;
    let version = target.version().await?;
    if version != 0 {
        bail!(BadInput(format!(
            "copy: the target {to} is not empty (graph version {version}); copy into an empty store"
        )));
    }
    let existing = target.load().await?;
    if existing.node_count() > 0 {
        bail!(BadInput(format!(
            "copy: the target {to} is not empty ({} nodes); copy into an empty store",
            existing.node_count()
        )));
    }
    let diff = Diff {
        upserted_nodes: graph.nodes().cloned().collect(),
        deleted_nodes: Vec::new(),
        upserted_edges: graph.edges().cloned().collect(),
        deleted_edges: Vec::new(),
    };
    let bar = progress.spinner(format!(
        "writing {} nodes and {} edges to {to}",
        diff.upserted_nodes.len(),
        diff.upserted_edges.len()
    ));
    if !diff.is_empty() {
        target
            .commit(0, &diff)
            .await
            .with_context(|| format!("cannot write the graph to {to}"))?;
    }
    bar.finish_and_clear();
    Ok(CopyReport {
        nodes: graph.node_count(),
        edges: graph.edge_count(),
        source_version: graph.version(),
        version: target.version().await?,
    })
}

/// Whether two locations are the same store: the same file, or the same server and database.
fn same_store(a: &StoreLocation, b: &StoreLocation) -> bool {
    match (a, b) {
        (StoreLocation::Embedded(x), StoreLocation::Embedded(y)) => {
            x == y || matches!((x.canonicalize(), y.canonicalize()), (Ok(x), Ok(y)) if x == y)
        }
        (StoreLocation::Neo4j(x), StoreLocation::Neo4j(y)) => {
            x.uri == y.uri && x.database == y.database
        }
        _ => false,
    }
}
