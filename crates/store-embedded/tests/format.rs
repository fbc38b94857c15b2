//! The file format: a committed fixture written by format version 1 must open with exactly its
//! content (so the format never silently breaks), and files of another format, or not stores at
//! all, or held by another handle, are refused with errors that name the file.
//!
//! The fixture `tests/fixtures/format-v1.redb` was made by `write_format_v1_fixture` below:
//!
//! ```text
//! LABGRAPH_WRITE_FIXTURE=1 cargo test -p labgraph-store-embedded --test format \
//!     -- --ignored write_format_v1_fixture
//! ```
//!
//! Never regenerate an existing fixture to make its test pass: a failure means the format
//! changed. Raise `FORMAT_VERSION`, write a migration, and add a `format-v2.redb` beside it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use labgraph_domain::{
    ChangeSet, CityAttrs, Edge, EdgeKind, EdgeRole, FieldAttrs, FieldGroup, Graph, Id,
    InstitutionAttrs, InstitutionKind, LabAttrs, LabKind, LabStatus, Names, Node, NodeAttrs,
    NodeKind, PersonAttrs, PlatformAttrs, PlatformKind, Provenance, Region, TalentMode,
};
use labgraph_store::{GraphStore, StoreError};
use labgraph_store_embedded::EmbeddedStore;
use labgraph_store_embedded::format::{FORMAT_KEY, META};
use redb::{ReadableDatabase, TableDefinition};

fn id(text: &str) -> Id {
    Id::new(text).expect("fixture ids are valid")
}

fn names(zh_hans: &str, zh_hant: &str, en: &str, pt: Option<&str>, aliases: &[&str]) -> Names {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Names {
        zh_hans: some(zh_hans),
        zh_hant: some(zh_hant),
        en: some(en),
        pt: pt.map(str::to_owned),
        short: None,
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
    }
}

fn node(text: &str, names: Names, attrs: NodeAttrs) -> Node {
    Node {
        id: id(text),
        names,
        attrs,
        provenance: Provenance::default(),
    }
}

/// What the fixture holds: version 1 writes one node of each kind and one edge of each kind,
/// version 2 changes a node, deletes an edge and re-adds a symmetric edge reversed. Pinned
/// here, not shared with other tests, so that nothing but a format change can break it.
fn fixture_versions() -> Vec<ChangeSet> {
    let mut v1 = ChangeSet::new();
    v1.upsert_node(Node {
        id: id("macao"),
        names: names("澳门", "澳門", "Macao", Some("Macau"), &["澳"]),
        attrs: NodeAttrs::City(CityAttrs {
            region: Region::Macao,
            in_gba: true,
            lat: Some(22.1987),
            lon: Some(113.5439),
            adcode: Some("820000".into()),
        }),
        provenance: Provenance {
            source: Some("https://www.gov.mo/".into()),
            date: Some("2024-05-01".into()),
            verified: true,
            synthetic: false,
        },
    });
    v1.upsert_node(node(
        "um",
        Names {
            short: Some("UM".into()),
            ..names(
                "澳门大学",
                "澳門大學",
                "University of Macau",
                Some("Universidade de Macau"),
                &["澳大"],
            )
        },
        NodeAttrs::Institution(InstitutionAttrs {
            kind: InstitutionKind::University,
            city: Some(id("macao")),
            website: Some("https://www.um.edu.mo/".into()),
        }),
    ));
    v1.upsert_node(node(
        "must",
        names(
            "澳门科技大学",
            "澳門科技大學",
            "Macau University of Science and Technology",
            None,
            &[],
        ),
        NodeAttrs::Institution(InstitutionAttrs {
            kind: InstitutionKind::University,
            city: None,
            website: None,
        }),
    ));
    v1.upsert_node(node(
        "skl-lunar",
        names(
            "",
            "月球與行星科學國家重點實驗室",
            "State Key Laboratory of Lunar and Planetary Sciences",
            None,
            &[],
        ),
        NodeAttrs::Lab(LabAttrs {
            kind: LabKind::StateKeyLab,
            category: Some("macao_state_key_lab".into()),
            batch_year: None,
            founded: Some(2018),
            status: Some(LabStatus::Active),
            cities: vec![id("macao")],
        }),
    ));
    v1.upsert_node(Node {
        provenance: Provenance {
            source: None,
            date: None,
            verified: false,
            synthetic: true,
        },
        ..node(
            "p-fixture",
            names("陈一", "陳一", "Chen Yi", None, &[]),
            NodeAttrs::Person(PersonAttrs {}),
        )
    });
    v1.upsert_node(node(
        "deep-space",
        names("深海深空", "", "Deep sea and space", None, &[]),
        NodeAttrs::Field(FieldAttrs {
            group: FieldGroup::Frontier,
            parent: None,
        }),
    ));
    v1.upsert_node(node(
        "hengqin",
        names(
            "横琴粤澳深度合作区",
            "橫琴粵澳深度合作區",
            "Guangdong-Macao In-Depth Cooperation Zone in Hengqin",
            Some("Zona de Cooperação Aprofundada entre Guangdong e Macau em Hengqin"),
            &["横琴"],
        ),
        NodeAttrs::Platform(PlatformAttrs {
            kind: PlatformKind::CooperationZone,
            cities: vec![id("macao")],
            established: Some(2021),
        }),
    ));
    let mut e = Edge::new(EdgeKind::PartnerIn, id("must"), id("skl-lunar"));
    e.role = Some(EdgeRole::Host);
    e.since = Some(2018);
    v1.upsert_edge(e);
    let mut e = Edge::new(EdgeKind::AffiliatedWith, id("p-fixture"), id("must"));
    e.title = Some("Professor 教授".into());
    e.primary = Some(true);
    v1.upsert_edge(e);
    let mut e = Edge::new(EdgeKind::MemberOf, id("p-fixture"), id("skl-lunar"));
    e.role = Some(EdgeRole::Pi);
    e.since = Some(2019);
    e.until = Some(2024);
    v1.upsert_edge(e);
    let mut e = Edge::new(EdgeKind::TalentLink, id("p-fixture"), id("um"));
    e.mode = Some(TalentMode::Visiting);
    v1.upsert_edge(e);
    let mut e = Edge::new(EdgeKind::CollaboratesWith, id("um"), id("must"));
    e.weight = Some(0.1 + 0.2);
    v1.upsert_edge(e);
    v1.upsert_edge(Edge::new(
        EdgeKind::WorksOn,
        id("skl-lunar"),
        id("deep-space"),
    ));
    v1.upsert_edge(Edge::new(EdgeKind::PartOf, id("um"), id("hengqin")));

    let mut v2 = ChangeSet::new();
    v2.delete_edge(labgraph_domain::EdgeKey::new(
        EdgeKind::TalentLink,
        id("p-fixture"),
        id("um"),
    ));
    let mut e = Edge::new(EdgeKind::CollaboratesWith, id("must"), id("um"));
    e.weight = Some(7.25);
    v2.upsert_edge(e);
    v2.upsert_node(node(
        "must",
        names(
            "澳门科技大学",
            "澳門科技大學",
            "Macau University of Science and Technology",
            None,
            &["澳科大", "MUST"],
        ),
        NodeAttrs::Institution(InstitutionAttrs {
            kind: InstitutionKind::University,
            city: Some(id("macao")),
            website: None,
        }),
    ));
    vec![v1, v2]
}

fn expected_graph() -> Graph {
    fixture_versions()
        .iter()
        .fold(Graph::new(), |graph, changes| {
            graph
                .apply(changes)
                .expect("fixture change sets are valid")
                .0
        })
}

fn fixture_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format-v1.redb")
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("format");
    std::fs::create_dir_all(&dir).expect("create the scratch dir");
    let file = dir.join(name);
    let _ = std::fs::remove_file(&file);
    file
}

#[tokio::test]
#[ignore = "writes tests/fixtures/format-v1.redb; only for a new format version"]
async fn write_format_v1_fixture() {
    assert_eq!(
        std::env::var("LABGRAPH_WRITE_FIXTURE").as_deref(),
        Ok("1"),
        "set LABGRAPH_WRITE_FIXTURE=1 to (re)write the committed fixture"
    );
    let file = fixture_path();
    let _ = std::fs::remove_file(&file);
    let store = EmbeddedStore::open(&file)
        .await
        .expect("create the fixture");
    let mut graph = Graph::new();
    for changes in fixture_versions() {
        let (next, diff) = graph.apply(&changes).expect("valid fixture");
        store.commit(graph.version(), &diff).await.expect("commit");
        graph = next;
    }
}

#[tokio::test]
async fn format_v1_fixture_opens_with_its_exact_content() {
    // Open a copy: opening writes (recovery, allocator state), and the fixture must not change.
    let copy = scratch("format-v1-copy.redb");
    std::fs::copy(fixture_path(), &copy).expect("copy the committed fixture");
    let store = EmbeddedStore::open(&copy)
        .await
        .expect("open the v1 fixture");
    let loaded = store.load().await.expect("load the v1 fixture");
    let expected = expected_graph();

    assert_eq!(loaded.version(), 2);
    assert_eq!(loaded.stats(), expected.stats());
    for node in expected.nodes() {
        assert_eq!(
            loaded.node(node.id.as_str()),
            Some(node),
            "node {}",
            node.id
        );
    }
    for edge in expected.edges() {
        assert_eq!(loaded.edge(&edge.key()), Some(edge), "edge {}", edge.key());
    }
    // Literal spot checks, independent of the builder above.
    assert_eq!(loaded.node_count(), 7);
    assert_eq!(loaded.edge_count(), 6);
    for kind in NodeKind::ALL {
        assert_eq!(
            loaded.count_of(kind),
            if kind == NodeKind::Institution { 2 } else { 1 }
        );
    }
    let um = loaded.node("um").expect("um");
    assert_eq!(um.names.pt.as_deref(), Some("Universidade de Macau"));
    assert_eq!(um.names.short.as_deref(), Some("UM"));
    let must = loaded.node("must").expect("must");
    assert_eq!(must.names.aliases, ["澳科大", "MUST"]);
    let collab = loaded
        .edges()
        .find(|e| e.kind == EdgeKind::CollaboratesWith)
        .expect("the collaboration");
    assert_eq!((collab.from.as_str(), collab.to.as_str()), ("must", "um"));
    assert_eq!(collab.weight, Some(7.25));
    let macao = loaded.node("macao").expect("macao");
    let NodeAttrs::City(city) = &macao.attrs else {
        panic!("macao is not a city: {macao:?}");
    };
    assert_eq!(city.lat.map(f64::to_bits), Some(22.1987f64.to_bits()));
    assert_eq!(macao.provenance.date.as_deref(), Some("2024-05-01"));
    assert!(
        loaded.edges().all(|e| e.kind != EdgeKind::TalentLink),
        "the talent link deleted in version 2 is back"
    );
    drop(store);

    // And the fixture is still writable by this build.
    let store = Arc::new(EmbeddedStore::open(&copy).await.expect("reopen the copy"));
    let service = labgraph_store::GraphService::open(store.clone())
        .await
        .expect("serve the copy");
    let mut changes = ChangeSet::new();
    changes.delete_node(id("p-fixture"));
    let applied = service.apply(changes).await.expect("write to the v1 file");
    assert_eq!(applied.version, 3);
    assert_eq!(store.load().await.expect("reload").edge_count(), 4);
}

#[tokio::test]
async fn unknown_format_version_is_refused_naming_the_file() {
    let file = scratch("format-v99.redb");
    drop(EmbeddedStore::open(&file).await.expect("create a store"));
    {
        let db = redb::Database::open(&file).expect("open with redb");
        let txn = db.begin_write().expect("write");
        txn.open_table(META)
            .expect("meta")
            .insert(FORMAT_KEY, 99)
            .expect("set a future format");
        txn.commit().expect("commit");
    }
    match EmbeddedStore::open(&file).await {
        Err(StoreError::Corrupt(message)) => {
            assert!(message.contains(&file.display().to_string()), "{message}");
            assert!(message.contains("format version 99"), "{message}");
        }
        other => panic!("expected Corrupt for format 99, got {other:?}"),
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_labgraph_store_is_refused() {
    let text = scratch("not-a-store.txt");
    std::fs::write(&text, "id,name\nhku,香港大學\n".repeat(500)).expect("write a text file");
    match EmbeddedStore::open(&text).await {
        Err(StoreError::Corrupt(message)) => {
            assert!(message.contains(&text.display().to_string()), "{message}");
        }
        other => panic!("expected Corrupt for a text file, got {other:?}"),
    }
    let before = std::fs::read(&text).expect("read back");
    assert!(
        before.starts_with(b"id,name"),
        "the refused file was written to"
    );

    let other = scratch("other-app.redb");
    {
        let db = redb::Database::create(&other).expect("create a redb file");
        let txn = db.begin_write().expect("write");
        const THEIRS: TableDefinition<&str, &str> = TableDefinition::new("settings");
        txn.open_table(THEIRS)
            .expect("table")
            .insert("theme", "dark")
            .expect("insert");
        txn.commit().expect("commit");
    }
    match EmbeddedStore::open(&other).await {
        Err(StoreError::Corrupt(message)) => {
            assert!(message.contains("not a labgraph store"), "{message}");
            assert!(message.contains("settings"), "{message}");
        }
        other => panic!("expected Corrupt for another app's redb file, got {other:?}"),
    }
    let db = redb::Database::open(&other).expect("still a redb file");
    let tables: Vec<String> = db
        .begin_read()
        .expect("read")
        .list_tables()
        .expect("tables")
        .map(|t| redb::TableHandle::name(&t).to_owned())
        .collect();
    assert_eq!(tables, ["settings"], "the refused file was written to");
}

#[tokio::test]
async fn a_second_handle_on_one_file_is_unavailable() {
    let file = scratch("held.redb");
    let first = EmbeddedStore::open(&file).await.expect("first handle");
    match EmbeddedStore::open(&file).await {
        Err(StoreError::Unavailable(message)) => {
            assert!(message.contains(&file.display().to_string()), "{message}");
            assert!(message.contains("locked"), "{message}");
        }
        other => panic!("expected Unavailable for a held file, got {other:?}"),
    }
    drop(first);
    let again = EmbeddedStore::open(&file)
        .await
        .expect("open after the first handle is gone");
    assert_eq!(again.version().await.expect("version"), 0);
}

#[tokio::test]
async fn a_missing_directory_is_unavailable() {
    let file = scratch("no-such-dir").join("store.redb");
    match EmbeddedStore::open(&file).await {
        Err(StoreError::Unavailable(message)) => {
            assert!(message.contains(&file.display().to_string()), "{message}");
        }
        other => panic!("expected Unavailable for a missing directory, got {other:?}"),
    }
}
