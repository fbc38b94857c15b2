//! The Neo4j backend's commands end to end, on the FalkorDB test server through the Bolt
//! bridge (`scripts/falkordb start DIR`, named by `LABGRAPH_FALKORDB_DIR`; the tests fail,
//! never skip, without it): several servers on one graph stay consistent by polling the stored
//! version; `copy` moves a graph from a file into the server and back unchanged; `import`
//! writes straight into the server; `analyse --write-back` leaves every score on its node.
//! Each test uses its own graph.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use labgraph_app::{self as app, Neo4jConfig, StoreLocation};
use labgraph_bolt_bridge::Bridge;
use labgraph_store_neo4j::{Neo4jStore, NodeScore};
use serde_json::{Value, json};

/// The variable `scripts/test` sets to the directory `scripts/falkordb start` wrote.
const SERVER_DIR_VAR: &str = "LABGRAPH_FALKORDB_DIR";

/// FalkorDB's Bolt address, from the directory named by [`SERVER_DIR_VAR`].
fn falkordb() -> SocketAddr {
    let dir = std::env::var_os(SERVER_DIR_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!(
                "{SERVER_DIR_VAR} is not set: these tests need a running FalkorDB. Run them \
                 through scripts/test, or: scripts/falkordb start DIR && {SERVER_DIR_VAR}=DIR \
                 cargo nextest run -p labgraph-tests; scripts/falkordb stop DIR"
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

/// A graph name no other run has used, so each test starts from an empty database.
fn fresh_graph(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("labgraph-{test}-{}-{nanos}", std::process::id())
}

/// The Neo4j store `graph` behind `bridge`.
fn neo4j(bridge: &Bridge, graph: &str) -> StoreLocation {
    let mut config = Neo4jConfig::new(bridge.uri(), "neo4j", "unused");
    config.database = Some(graph.to_owned());
    StoreLocation::Neo4j(config)
}

/// A fresh directory for a test's files.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("labgraph-neo4j-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating the test directory");
    dir
}

/// One new institution in the seed format, as a file to import.
fn new_institution(dir: &Path, id: &str) -> PathBuf {
    let path = dir.join(format!("{id}.jsonl"));
    let lines = [
        json!({"record": "header", "format": "labgraph-seed", "version": 1}),
        json!({"record": "node", "kind": "institution", "id": id, "name_en": format!("Institute {id}"),
               "institution_kind": "university", "city": "hong-kong"}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, text).expect("writing the import file");
    path
}

/// A served labgraph on `store` with `poll_interval`, in `runtime`.
fn serve(
    runtime: &tokio::runtime::Runtime,
    store: StoreLocation,
    poll_interval: Option<Duration>,
) -> String {
    let mut config = app::ServeOptions::default().resolve(Path::new("unused.db"), true);
    config.store = store;
    config.listen = "127.0.0.1:0".parse().expect("a loopback address");
    config.poll_interval = poll_interval;
    let server = runtime
        .block_on(app::serve(config))
        .expect("serving the Neo4j store");
    let url = format!("http://{}", server.addr);
    runtime.spawn(server.run());
    url
}

/// The version the server at `url` answers from, and whether it knows node `id`.
fn version_at(url: &str, id: &str) -> (i64, bool) {
    let body: Value = ureq::post(&format!("{url}/graphql"))
        .header("Accept", "application/graphql-response+json")
        .send_json(json!({
            "query": "query($id: ID!) { stats { graphVersion } node(id: $id) { id } }",
            "variables": { "id": id },
        }))
        .expect("posting to the server")
        .body_mut()
        .read_json()
        .expect("a JSON answer");
    assert!(body.get("errors").is_none(), "the query failed: {body}");
    let version = body["data"]["stats"]["graphVersion"]
        .as_i64()
        .unwrap_or_else(|| panic!("no version in {body}"));
    (version, !body["data"]["node"].is_null())
}

#[test]
fn a_server_sees_another_instance_s_write_within_its_poll_interval() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let bridge = runtime
        .block_on(Bridge::start(falkordb()))
        .expect("starting the Bolt bridge");
    let graph = fresh_graph("poll");
    let interval = Duration::from_millis(300);
    // The first server seeds the new graph from graph-seed/ (version 1).
    let polling = serve(&runtime, neo4j(&bridge, &graph), Some(interval));
    // The control: a second server that never polls.
    let still = serve(&runtime, neo4j(&bridge, &graph), None);
    let id = "poll-test-institute";
    assert_eq!(version_at(&polling, id), (1, false));
    assert_eq!(version_at(&still, id), (1, false));

    // Another instance writes: `labgraph import --store bolt://...`, through its own service.
    let dir = temp_dir("poll");
    let report = runtime
        .block_on(app::import_into(
            &neo4j(&bridge, &graph),
            &[new_institution(&dir, id)],
            &app::Progress::new(true),
        ))
        .expect("importing through another instance");
    assert_eq!(report.version, 2);
    let written = Instant::now();

    let seen = loop {
        if version_at(&polling, id) == (2, true) {
            break written.elapsed();
        }
        assert!(
            written.elapsed() < Duration::from_secs(10),
            "the polling server never saw version 2"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    // One interval, plus the reload of a small graph through the bridge.
    assert!(
        seen < interval + Duration::from_secs(2),
        "the polling server took {seen:?} to see the write"
    );
    assert_eq!(
        version_at(&still, id),
        (1, false),
        "a server without polling keeps its snapshot: the change came from the polling"
    );
    drop(bridge);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn copy_moves_a_graph_from_a_file_into_neo4j_and_back_unchanged() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let bridge = runtime
        .block_on(Bridge::start(falkordb()))
        .expect("starting the Bolt bridge");
    let dir = temp_dir("copy");
    let progress = app::Progress::new(true);
    let original = dir.join("original.db");
    let back = dir.join("back.db");
    let server = neo4j(&bridge, &fresh_graph("copy"));
    let (seeded, there, home) = runtime.block_on(async {
        let seeded = app::seed(&original, &progress)
            .await
            .expect("seeding a file");
        let there = app::copy(
            &StoreLocation::Embedded(original.clone()),
            &server,
            &progress,
        )
        .await
        .expect("copying the file into Neo4j");
        let home = app::copy(&server, &StoreLocation::Embedded(back.clone()), &progress)
            .await
            .expect("copying Neo4j back into a new file");
        (seeded, there, home)
    });
    assert!(seeded.changed > 100, "the seed graph is not trivial");
    assert_eq!((there.nodes, there.edges), (home.nodes, home.edges));
    assert_eq!((there.version, home.version), (1, 1));

    // The same graph: every node and edge, exported in the seed format.
    let export = |db: &Path, name: &str| {
        let out = dir.join(name);
        runtime
            .block_on(app::export(
                db,
                app::ExportFormat::Json,
                Some(&out),
                &progress,
            ))
            .expect("exporting");
        std::fs::read_to_string(out).expect("reading the export")
    };
    let before = export(&original, "before.jsonl");
    assert!(before.lines().count() > 100);
    assert_eq!(
        before,
        export(&back, "after.jsonl"),
        "the round trip changed the graph"
    );

    // Into a store that holds a graph: refused, exit code 3, nothing written.
    let err = runtime
        .block_on(app::copy(
            &StoreLocation::Embedded(original.clone()),
            &server,
            &progress,
        ))
        .expect_err("copying into a non-empty store must fail");
    assert!(err.downcast_ref::<app::BadInput>().is_some(), "{err:#}");
    assert!(err.to_string().contains("not empty"), "{err:#}");
    // From a file that does not exist: unavailable (exit code 4), and not created.
    let missing = dir.join("missing.db");
    let err = runtime
        .block_on(app::copy(
            &StoreLocation::Embedded(missing.clone()),
            &server,
            &progress,
        ))
        .expect_err("a missing source must fail");
    assert!(
        matches!(
            err.downcast_ref::<app::StoreError>(),
            Some(app::StoreError::Unavailable(_))
        ),
        "{err:#}"
    );
    assert!(!missing.exists());
    drop(bridge);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn import_writes_straight_into_neo4j() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let bridge = runtime
        .block_on(Bridge::start(falkordb()))
        .expect("starting the Bolt bridge");
    let dir = temp_dir("import");
    let graph = fresh_graph("import");
    let store = neo4j(&bridge, &graph);
    let progress = app::Progress::new(true);
    let seed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../graph-seed");
    let report = runtime
        .block_on(app::import_into(&store, &[seed_dir], &progress))
        .expect("importing graph-seed/ into Neo4j");
    assert_eq!(report.version, 1);
    assert!(report.records > 100);
    let server = serve(&runtime, store, None);
    let (version, has_hku) = version_at(&server, "hku");
    assert_eq!((version, has_hku), (1, true));
    // A file with an unknown city is bad input naming file and line; nothing is stored.
    let bad = dir.join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"record\":\"header\",\"format\":\"labgraph-seed\",\"version\":1}\n\
         {\"record\":\"node\",\"kind\":\"institution\",\"id\":\"x-inst\",\"name_en\":\"X\",\
         \"institution_kind\":\"university\",\"city\":\"atlantis\"}\n",
    )
    .expect("writing the bad file");
    let err = runtime
        .block_on(app::import_into(&neo4j(&bridge, &graph), &[bad], &progress))
        .expect_err("an unknown city is refused");
    assert!(err.downcast_ref::<app::BadInput>().is_some(), "{err:#}");
    assert!(err.to_string().contains("bad.jsonl:2"), "{err:#}");
    assert_eq!(version_at(&server, "x-inst"), (1, false));
    let loaded = runtime
        .block_on(app::open_service(&neo4j(&bridge, &graph), false, &progress))
        .expect("reopening");
    assert_eq!(loaded.snapshot().version(), 1, "nothing was stored");
    assert!(loaded.snapshot().node("x-inst").is_none());
    drop(bridge);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn analyse_write_back_stores_every_score_as_a_node_property() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let bridge = runtime
        .block_on(Bridge::start(falkordb()))
        .expect("starting the Bolt bridge");
    let graph = fresh_graph("write-back");
    let store = neo4j(&bridge, &graph);
    let progress = app::Progress::new(true);
    let seed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../graph-seed");
    runtime
        .block_on(app::import_into(&store, &[seed_dir], &progress))
        .expect("importing graph-seed/ into Neo4j");
    let request = |store: StoreLocation| app::AnalyseRequest {
        source: app::NetworkSource::Database {
            store,
            projection: app::Projection::Institutions,
            as_of: None,
            verified_only: false,
            cross_border_only: false,
        },
        algorithm: Some(app::Algorithm::Pagerank),
        weighted: true,
        normalized: None,
        export_edges: None,
        write_back: true,
        options: app::AlgorithmOptions::default(),
    };
    let analysis = runtime
        .block_on(app::analyse(&request(store.clone()), &progress))
        .expect("analysing with --write-back");
    let written = analysis.written_back.clone().expect("scores were written");
    assert_eq!(written.property, "labgraph_pagerank");
    assert!(analysis.nodes > 20, "the projection is not trivial");
    assert_eq!(
        written.nodes, analysis.nodes,
        "every node of the projection"
    );

    // The scores as computed: the CSV output, whose shortest round-trip decimals Rust's own
    // (correctly rounded) parser reads back bit for bit, unlike serde_json's default one.
    let mut out = Vec::new();
    analysis
        .write(app::OutputFormat::Csv, 0, &mut out)
        .expect("writing CSV");
    let text = String::from_utf8(out).expect("UTF-8 output");
    let computed: BTreeMap<String, f64> = text
        .lines()
        .skip(1)
        .map(|line| {
            let (id, score) = line.rsplit_once(',').expect("id,score");
            (id.to_owned(), score.parse().expect("a number"))
        })
        .collect();
    // ... and as the server holds them, read with Cypher.
    let StoreLocation::Neo4j(config) = &store else {
        unreachable!("a Neo4j store")
    };
    let stored: BTreeMap<String, f64> = runtime
        .block_on(async {
            let store = Neo4jStore::connect(config.clone()).await?;
            store.read_scores(NodeScore::Pagerank).await
        })
        .expect("reading the property back")
        .into_iter()
        .map(|(id, score)| (id.as_str().to_owned(), score))
        .collect();
    assert_eq!(computed.len(), analysis.nodes);
    assert_eq!(
        stored.keys().collect::<Vec<_>>(),
        computed.keys().collect::<Vec<_>>(),
        "the property is on exactly the projection's nodes"
    );
    for (id, score) in &computed {
        assert_eq!(
            stored[id].to_bits(),
            score.to_bits(),
            "{id}: stored {} computed {score}",
            stored[id]
        );
    }

    // On the embedded store: refused before any work, naming what to do instead.
    let dir = temp_dir("write-back");
    let db = dir.join("labgraph.db");
    runtime
        .block_on(app::seed(&db, &progress))
        .expect("seeding a file");
    let err = runtime
        .block_on(app::analyse(
            &request(StoreLocation::Embedded(db)),
            &progress,
        ))
        .expect_err("--write-back on the embedded store must fail");
    assert!(err.downcast_ref::<app::BadInput>().is_some(), "{err:#}");
    assert!(
        err.to_string().contains("Neo4j store (--store bolt://"),
        "{err:#}"
    );
    drop(bridge);
    let _ = std::fs::remove_dir_all(dir);
}
