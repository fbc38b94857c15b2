//! What the GraphQL tests on the real graph-seed/ share: a schema over a `GraphService` on a
//! `MemoryStore` holding graph-seed/, and the data or the one coded error of a query.

use std::sync::Arc;

use async_graphql::Value;
use labgraph_api::schema::{LabgraphSchema, SchemaConfig, build_schema};
use labgraph_store::{GraphService, MemoryStore};

/// A schema over the real graph-seed/.
pub async fn schema() -> LabgraphSchema {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
    let parsed = labgraph_io::read_files(&[dir]).expect("graph-seed reads");
    let service = GraphService::open(Arc::new(MemoryStore::new()))
        .await
        .expect("a memory store opens");
    service
        .apply(parsed.changes.clone())
        .await
        .expect("graph-seed is valid");
    build_schema(Arc::new(service), &SchemaConfig::default())
}

/// The data of `query`, which must answer without errors.
pub async fn data(schema: &LabgraphSchema, query: &str) -> serde_json::Value {
    let response = schema.execute(query).await;
    assert!(response.errors.is_empty(), "{:?}\n{query}", response.errors);
    response.data.into_json().expect("JSON data")
}

/// The one error of `query`: its code and message.
pub async fn error(schema: &LabgraphSchema, query: &str) -> (String, String) {
    let response = schema.execute(query).await;
    assert_eq!(response.errors.len(), 1, "{:?}\n{query}", response.errors);
    let e = &response.errors[0];
    match e.extensions.as_ref().and_then(|ext| ext.get("code")) {
        Some(Value::String(code)) => (code.clone(), e.message.clone()),
        other => panic!("error without a code ({other:?}): {e:?}"),
    }
}
