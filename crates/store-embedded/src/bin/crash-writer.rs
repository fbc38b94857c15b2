//! Test helper for tests/crash.rs: writes to a store file until it is killed, printing each
//! committed version only after the commit returned, so that every printed version is one the
//! store has promised to keep.
//!
//! ```text
//! labgraph-crash-writer FILE loop BATCH   commit BATCH institutions per version, forever
//! labgraph-crash-writer FILE big NODES    commit NODES institutions (and edges) in one version
//! ```
//!
//! What each version holds is a pure function of its number (see `add_round`), so the test can
//! check any version it finds after a crash without being told what was written.

use std::error::Error;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use labgraph_domain::{
    ChangeSet, CityAttrs, Edge, EdgeKind, Id, InstitutionAttrs, InstitutionKind, Names, Node,
    NodeAttrs, Provenance, Region,
};
use labgraph_store::{GraphService, GraphStore};
use labgraph_store_embedded::EmbeddedStore;

/// The city every institution is in; its `adcode` holds the version that last wrote it, which
/// ties the stored version to the data in one transaction.
const CITY: &str = "crash-city";

fn main() {
    if let Err(e) = run() {
        eprintln!("labgraph-crash-writer: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, mode, count] = args.as_slice() else {
        return Err("usage: labgraph-crash-writer FILE (loop BATCH | big NODES)".into());
    };
    let count: usize = count.parse()?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let store = Arc::new(EmbeddedStore::open(file).await?);
        match mode.as_str() {
            "loop" => write_forever(store, count).await,
            "big" => write_big(store, count).await,
            other => Err(format!("unknown mode {other:?}").into()),
        }
    })
}

/// Prints one line and flushes it before going on: the parent reads it through a pipe.
fn say(line: &str) -> Result<(), Box<dyn Error>> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

async fn write_forever(store: Arc<EmbeddedStore>, batch: usize) -> Result<(), Box<dyn Error>> {
    let service = GraphService::open(store).await?;
    loop {
        let version = service.snapshot().version() + 1;
        let mut changes = ChangeSet::new();
        changes.upsert_node(city(version)?);
        add_round(&mut changes, &format!("v{version}"), batch)?;
        let applied = service.apply(changes).await?;
        say(&format!("committed {}", applied.version))?;
    }
}

async fn write_big(store: Arc<EmbeddedStore>, nodes: usize) -> Result<(), Box<dyn Error>> {
    let graph = store.load().await?;
    let base = graph.version();
    say(&format!("ready {base}"))?;
    let mut changes = ChangeSet::new();
    changes.upsert_node(city(base + 1)?);
    add_round(&mut changes, &format!("big{}", base + 1), nodes)?;
    let (_, diff) = graph.apply(&changes)?;
    // From here on the only work left is the store's write transaction: a kill lands in it.
    say("writing")?;
    let started = Instant::now();
    store.commit(base, &diff).await?;
    say(&format!(
        "committed {} {}",
        base + 1,
        started.elapsed().as_millis()
    ))?;
    Ok(())
}

fn city(version: u64) -> Result<Node, Box<dyn Error>> {
    Ok(Node {
        id: Id::new(CITY)?,
        names: Names {
            zh_hans: Some("崩溃测试市".into()),
            en: Some("Crash test city".into()),
            ..Names::default()
        },
        attrs: NodeAttrs::City(CityAttrs {
            region: Region::GdPrd,
            in_gba: true,
            lat: None,
            lon: None,
            adcode: Some(version.to_string()),
        }),
        provenance: synthetic(),
    })
}

/// `count` institutions `{prefix}-i{j}` in the crash city, each collaborating with the next.
fn add_round(changes: &mut ChangeSet, prefix: &str, count: usize) -> Result<(), Box<dyn Error>> {
    let ids: Vec<Id> = (0..count)
        .map(|j| Id::new(&format!("{prefix}-i{j}")))
        .collect::<Result<_, _>>()?;
    for id in &ids {
        changes.upsert_node(Node {
            id: id.clone(),
            names: Names {
                en: Some(format!("Institution {id}")),
                ..Names::default()
            },
            attrs: NodeAttrs::Institution(InstitutionAttrs {
                kind: InstitutionKind::ResearchInstitute,
                city: Some(Id::new(CITY)?),
                website: None,
            }),
            provenance: synthetic(),
        });
    }
    for pair in ids.windows(2) {
        let mut edge = Edge::new(EdgeKind::CollaboratesWith, pair[0].clone(), pair[1].clone());
        edge.weight = Some(2.5);
        edge.provenance = synthetic();
        changes.upsert_edge(edge);
    }
    Ok(())
}

fn synthetic() -> Provenance {
    Provenance {
        source: None,
        date: None,
        verified: false,
        synthetic: true,
    }
}
