//! Depth and complexity limits, measured against GraphiQL's real introspection query, and the
//! rule that every type, field, argument and enum value of the schema is documented.

use std::sync::Arc;

use labgraph_api::schema::{SchemaConfig, build_schema};

use super::fixture::{data, error_code, schema, service};

const INTROSPECTION: &str = include_str!("introspection.graphql");

/// True when the introspection query runs without error under `config`.
async fn introspection_passes(
    service: &Arc<labgraph_store::GraphService>,
    config: &SchemaConfig,
) -> bool {
    let schema = build_schema(Arc::clone(service), config);
    schema.execute(INTROSPECTION).await.errors.is_empty()
}

#[tokio::test]
async fn introspection_passes_the_default_limits_with_room_measured() {
    let service = service().await;
    let defaults = SchemaConfig::default();
    assert!(introspection_passes(&service, &defaults).await);
    // The smallest limits that admit it, each measured with the other limit at its default.
    let mut depth = 1;
    while !introspection_passes(
        &service,
        &SchemaConfig {
            max_depth: depth,
            ..defaults.clone()
        },
    )
    .await
    {
        depth += 1;
        assert!(
            depth <= defaults.max_depth,
            "introspection needs depth > default"
        );
    }
    let mut complexity = 1;
    while !introspection_passes(
        &service,
        &SchemaConfig {
            max_complexity: complexity,
            ..defaults.clone()
        },
    )
    .await
    {
        complexity += 1;
        assert!(
            complexity <= defaults.max_complexity,
            "introspection needs complexity > default"
        );
    }
    println!("introspection needs depth {depth}, complexity {complexity}");
    // The figures quoted in `SchemaConfig`'s docs.
    assert_eq!((depth, complexity), (15, 226));
}

/// A selection `hops` neighbours deep below a node, whatever its type.
fn hops(hops: usize) -> String {
    let mut selection = "id".to_owned();
    for _ in 0..hops {
        let edges = format!("edges(first: 1) {{ edges {{ node {{ {selection} }} }} }}");
        selection = format!("id ... on Institution {{ {edges} }} ... on Lab {{ {edges} }}");
    }
    selection
}

#[tokio::test]
async fn too_deep_a_query_is_refused_before_it_runs() {
    let schema = schema().await;
    // Each hop through `edges { edges { node` adds three levels.
    let query = format!(r#"{{ node(id: "hku") {{ {} }} }}"#, hops(6));
    assert_eq!(error_code(&schema, &query).await, "VALIDATION_FAILED");
    // Four hops below a root connection stay within the default depth of 16.
    let query = format!(
        "{{ labs(first: 1) {{ edges {{ node {{ id edges(first: 1) {{ edges {{ node {{ {} }} }} }} }} }} }} }}",
        hops(3)
    );
    data(&schema, &query).await;
}

#[tokio::test]
async fn connection_cost_multiplies_by_page_size() {
    let schema = schema().await;
    // 100 × 100 neighbours × 2 fields is far above the default of 5000.
    let query = "{ labs(first: 100) { edges { node { id edges(first: 100) { edges { cursor node { id } } } } } } }";
    assert_eq!(error_code(&schema, query).await, "VALIDATION_FAILED");
    // The same shape with small pages is fine.
    let query = "{ labs(first: 10) { edges { node { id edges(first: 10) { edges { cursor node { id } } } } } } }";
    data(&schema, query).await;
    let strict = build_schema(
        service().await,
        &SchemaConfig {
            max_complexity: 50,
            ..SchemaConfig::default()
        },
    );
    assert_eq!(
        error_code(&strict, "{ labs(first: 50) { nodes { id } } }").await,
        "VALIDATION_FAILED"
    );
    data(&strict, "{ labs(first: 10) { nodes { id } } }").await;
}

#[tokio::test]
async fn syntax_errors_carry_a_code() {
    let schema = schema().await;
    assert_eq!(error_code(&schema, "{ labs(").await, "VALIDATION_FAILED");
    assert_eq!(
        error_code(&schema, "{ noSuchField }").await,
        "VALIDATION_FAILED"
    );
}

#[tokio::test]
async fn every_type_field_argument_and_enum_value_is_documented() {
    let schema = schema().await;
    let got = data(&schema, INTROSPECTION).await;
    let mut missing = Vec::new();
    let described = |v: &serde_json::Value| {
        v["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty())
    };
    for ty in got["__schema"]["types"].as_array().expect("types") {
        let name = ty["name"].as_str().expect("type name");
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if !described(ty) {
            missing.push(name.to_owned());
        }
        for (list, label) in [
            ("fields", "field"),
            ("inputFields", "input"),
            ("enumValues", "value"),
        ] {
            for item in ty[list].as_array().into_iter().flatten() {
                let item_name = item["name"].as_str().expect("name");
                if !described(item) {
                    missing.push(format!("{name}.{item_name} ({label})"));
                }
                for arg in item["args"].as_array().into_iter().flatten() {
                    if !described(arg) {
                        missing.push(format!("{name}.{item_name}({})", arg["name"]));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "undocumented: {missing:#?}");
}

#[tokio::test]
async fn a_query_text_seen_before_is_still_checked_against_the_limits() {
    // The schema keeps the parsed documents of recent texts; the depth limit, validation and
    // variables must still apply to every request, whichever parsed it first.
    let service = service().await;
    let shallow = build_schema(
        Arc::clone(&service),
        &SchemaConfig {
            max_depth: 2,
            ..SchemaConfig::default()
        },
    );
    let deep = "{ institutions { edges { node { id } } } }";
    for _ in 0..2 {
        let response = shallow.execute(deep).await;
        assert_eq!(response.errors.len(), 1, "{:?}", response.errors);
    }
    let schema = schema().await;
    let query = "query ($id: ID!) { node(id: $id) { id } }";
    for id in ["hku", "cuhk", "atlantis"] {
        let request = async_graphql::Request::new(query).variables(
            async_graphql::Variables::from_json(serde_json::json!({ "id": id })),
        );
        let response = schema.execute(request).await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let got = response.data.into_json().expect("data converts to JSON");
        let want = if id == "atlantis" {
            serde_json::Value::Null
        } else {
            serde_json::json!({ "id": id })
        };
        assert_eq!(got["node"], want, "{id}");
    }
    assert_eq!(
        error_code(&schema, "{ node { id } }").await,
        "VALIDATION_FAILED"
    );
    assert_eq!(
        error_code(&schema, "{ node { id } }").await,
        "VALIDATION_FAILED"
    );
}
