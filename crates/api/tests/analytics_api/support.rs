//! Graphs for the analytics tests: the real graph-seed/, and small hand-checkable graphs
//! built change by change, each in a real `GraphService` over a `MemoryStore`.

use std::path::Path;
use std::sync::Arc;

use async_graphql::Value;
use labgraph_api::schema::{LabgraphSchema, SchemaConfig, build_schema};
use labgraph_domain::{
    ChangeSet, CityAttrs, Edge, EdgeKind, EdgeRole, Graph, Id, InstitutionAttrs, InstitutionKind,
    LabAttrs, LabKind, Names, Node, NodeAttrs, PersonAttrs, Provenance, Region,
};
use labgraph_store::{GraphService, MemoryStore};

pub fn id(text: &str) -> Id {
    Id::new(text).expect("test ids are valid")
}

/// graph-seed/ as one change set.
pub fn seed_changes() -> ChangeSet {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
    labgraph_io::read_files(&[root])
        .expect("graph-seed/ reads")
        .changes
}

/// The synthetic generator's graph of 100 institutions and 1,500 people (seed 7): ~7,500
/// collaborations, large enough for analytics to take time and for Leiden's runs to differ.
pub fn synthetic_changes() -> ChangeSet {
    let mut buf = Vec::new();
    labgraph_io::synthetic::write_synthetic(
        &labgraph_io::synthetic::Params::new(100, 1_500, 7),
        &mut buf,
    )
    .expect("the generator writes to memory");
    let text = String::from_utf8(buf).expect("UTF-8");
    labgraph_io::read_str("synthetic.jsonl", &text, labgraph_io::Format::Jsonl)
        .expect("the synthetic graph parses")
        .changes
}

/// A service over a fresh memory store holding `changes`.
pub async fn service_with(changes: ChangeSet) -> Arc<GraphService> {
    let service = GraphService::open(Arc::new(MemoryStore::new()))
        .await
        .expect("a memory store opens");
    service.apply(changes).await.expect("a valid change set");
    Arc::new(service)
}

/// The schema over graph-seed/, and its graph.
pub async fn seed() -> (LabgraphSchema, Arc<Graph>) {
    let service = service_with(seed_changes()).await;
    let graph = service.snapshot();
    (build_schema(service, &SchemaConfig::default()), graph)
}

fn names(en: &str) -> Names {
    Names {
        en: Some(en.to_owned()),
        ..Names::default()
    }
}

/// A city in `region`.
pub fn city(changes: &mut ChangeSet, cid: &str, region: Region) {
    changes.upsert_node(Node {
        id: id(cid),
        names: names(cid),
        attrs: NodeAttrs::City(CityAttrs {
            region,
            in_gba: true,
            lat: None,
            lon: None,
            adcode: None,
        }),
        provenance: Provenance::default(),
    });
}

/// A university in `city`.
pub fn institution(changes: &mut ChangeSet, iid: &str, city: &str) {
    changes.upsert_node(Node {
        id: id(iid),
        names: names(iid),
        attrs: NodeAttrs::Institution(InstitutionAttrs {
            kind: InstitutionKind::University,
            city: Some(id(city)),
            website: None,
        }),
        provenance: Provenance::default(),
    });
}

/// A joint lab in `city` founded in `founded`, with these partners.
pub fn lab(changes: &mut ChangeSet, lid: &str, city: &str, founded: i32, partners: &[&str]) {
    changes.upsert_node(Node {
        id: id(lid),
        names: names(lid),
        attrs: NodeAttrs::Lab(LabAttrs {
            kind: LabKind::JointLab,
            category: None,
            batch_year: Some(founded),
            founded: None,
            status: None,
            cities: vec![id(city)],
        }),
        provenance: Provenance::default(),
    });
    for partner in partners {
        let mut edge = Edge::new(EdgeKind::PartnerIn, id(partner), id(lid));
        edge.role = Some(EdgeRole::Partner);
        edge.since = Some(founded);
        changes.upsert_edge(edge);
    }
}

/// A person.
pub fn person(changes: &mut ChangeSet, pid: &str) {
    changes.upsert_node(Node {
        id: id(pid),
        names: names(pid),
        attrs: NodeAttrs::Person(PersonAttrs {}),
        provenance: Provenance::default(),
    });
}

/// A collaboration of `weight` joint works between two people or institutions.
pub fn collaboration(changes: &mut ChangeSet, a: &str, b: &str, weight: f64) {
    let mut edge = Edge::new(EdgeKind::CollaboratesWith, id(a), id(b));
    edge.weight = Some(weight);
    changes.upsert_edge(edge);
}

/// A path of institutions a – b – c – d (HK, Guangzhou, Guangzhou, Macao), tied by one lab
/// per pair: a-b (2018), b-c (2019), c-d (2021).
pub fn path_changes() -> ChangeSet {
    let mut changes = ChangeSet::new();
    city(&mut changes, "hong-kong", Region::Hk);
    city(&mut changes, "guangzhou", Region::GdPrd);
    city(&mut changes, "macao", Region::Macao);
    institution(&mut changes, "a", "hong-kong");
    institution(&mut changes, "b", "guangzhou");
    institution(&mut changes, "c", "guangzhou");
    institution(&mut changes, "d", "macao");
    lab(&mut changes, "lab-ab", "guangzhou", 2018, &["a", "b"]);
    lab(&mut changes, "lab-bc", "guangzhou", 2019, &["b", "c"]);
    lab(&mut changes, "lab-cd", "guangzhou", 2021, &["c", "d"]);
    changes
}

/// Runs `query` and returns its data as JSON, failing on any error.
pub async fn data(schema: &LabgraphSchema, query: &str) -> serde_json::Value {
    let response = schema.execute(query).await;
    assert!(
        response.errors.is_empty(),
        "query failed: {:?}\n{query}",
        response.errors
    );
    response
        .data
        .into_json()
        .expect("GraphQL data converts to JSON")
}

/// Runs `query`, expecting exactly one error, and returns its `extensions.code`.
pub async fn error_code(schema: &LabgraphSchema, query: &str) -> String {
    let response = schema.execute(query).await;
    assert_eq!(response.errors.len(), 1, "{:?}\n{query}", response.errors);
    match response.errors[0]
        .extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
    {
        Some(Value::String(code)) => code.clone(),
        other => panic!("error without a code ({other:?}): {:?}", response.errors),
    }
}

/// The edges of the connection at `pointer` as (id, score, rank, percentile).
pub fn ranked(value: &serde_json::Value, pointer: &str) -> Vec<(String, f64, u64, f64)> {
    value
        .pointer(pointer)
        .and_then(|v| v.as_array())
        .unwrap_or_else(|| panic!("no array at {pointer} in {value}"))
        .iter()
        .map(|e| {
            (
                e["node"]["id"].as_str().expect("an id").to_owned(),
                e["score"].as_f64().expect("a score"),
                e["rank"].as_u64().expect("a rank"),
                e["percentile"].as_f64().expect("a percentile"),
            )
        })
        .collect()
}

/// Competition ranks and percentiles of `scores` by the schema's documented rule, written
/// out independently here: sort by score (highest first, then id); scores within a relative
/// 1e-9 of the first of their group tie; rank = 1 + the number scoring strictly higher;
/// percentile = 100 × (the number scoring strictly lower) / (n − 1).
pub fn expected_ranking(scores: &labgraph_analytics::Scores) -> Vec<(String, f64, u64, f64)> {
    let mut all: Vec<(String, f64)> = scores.iter().map(|(id, s)| (id.to_string(), s)).collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let n = all.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let lead = all[i].1;
        let mut j = i;
        while j < n && (all[j].1 == lead || (all[j].1 - lead).abs() <= 1e-9 * lead.abs()) {
            j += 1;
        }
        let mut group = all[i..j].to_vec();
        group.sort_by(|a, b| a.0.cmp(&b.0));
        let pct = if n == 1 {
            100.0
        } else {
            100.0 * (n - j) as f64 / (n - 1) as f64
        };
        for (id, s) in group {
            out.push((id, s, i as u64 + 1, pct));
        }
        i = j;
    }
    out
}

/// Asserts two rankings agree: same ids, ranks and percentiles in the same order, scores to
/// floating-point tolerance.
pub fn assert_same_ranking(got: &[(String, f64, u64, f64)], want: &[(String, f64, u64, f64)]) {
    assert_eq!(got.len(), want.len(), "lengths differ");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(
            (&g.0, g.2),
            (&w.0, w.2),
            "id and rank: got {g:?}, want {w:?}"
        );
        assert!(
            (g.1 - w.1).abs() <= 1e-12,
            "score of {}: {} vs {}",
            g.0,
            g.1,
            w.1
        );
        assert!(
            (g.3 - w.3).abs() <= 1e-9,
            "percentile of {}: {} vs {}",
            g.0,
            g.3,
            w.3
        );
    }
}
