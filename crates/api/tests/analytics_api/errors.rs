//! Arguments the analytics fields refuse, each with its code.

use super::support::{error_code, seed};

#[tokio::test]
async fn bad_arguments_get_their_codes() {
    let (schema, _) = seed().await;
    for (query, code) in [
        (
            "{ centrality(kind: DEGREE, first: 101) { totalCount } }",
            "PAGE_SIZE_EXCEEDED",
        ),
        (
            "{ centrality(kind: DEGREE, first: -1) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ centrality(kind: DEGREE, asOf: 1800) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ centrality(kind: DEGREE, asOf: 2101) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ centrality(kind: STRENGTH, weighting: {talent: -1}) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ centrality(kind: STRENGTH, projection: PEOPLE, weighting: {talent: 2}) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ centrality(kind: CLUSTERING, projection: INSTITUTION_LABS) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            r#"{ centrality(kind: DEGREE, where: {fields: ["atlantis"]}) { totalCount } }"#,
            "NOT_FOUND",
        ),
        (
            r#"{ centrality(kind: DEGREE, where: {fields: ["hku"]}) { totalCount } }"#,
            "VALIDATION_FAILED",
        ),
        (
            r#"{ centrality(kind: DEGREE, after: "bm90LWEtY3Vyc29y") { totalCount } }"#,
            "BAD_CURSOR",
        ),
        (
            r#"{ node(id: "hku") { ... on Institution { centrality(kind: DEGREE, projection: PEOPLE) { score } } } }"#,
            "VALIDATION_FAILED",
        ),
        (
            r#"{ node(id: "gdhkmo-smart-cities") { ... on Lab { centrality(kind: DEGREE, projection: INSTITUTIONS) { score } } } }"#,
            "VALIDATION_FAILED",
        ),
        (
            "{ centrality(kind: NOT_A_KIND) { totalCount } }",
            "VALIDATION_FAILED",
        ),
    ] {
        assert_eq!(error_code(&schema, query).await, code, "{query}");
    }
    // None of the refused requests started a computation.
    assert_eq!(schema.computations(), 0);
}

#[tokio::test]
async fn bad_analytics_parameters_get_their_codes() {
    let (schema, _) = seed().await;
    for (query, code) in [
        (
            "{ communities(resolution: -0.5) { count } }",
            "VALIDATION_FAILED",
        ),
        ("{ communities(seed: -1) { count } }", "VALIDATION_FAILED"),
        (
            "{ centrality(kind: PAGERANK, alpha: 0.1) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ centrality(kind: KATZ, alpha: -0.1) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ structure(asOf: 3000) { nodeCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ centrality(kind: BETWEENNESS, error: 0) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ centrality(kind: BETWEENNESS, error: 1.5) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ centrality(kind: PAGERANK, error: 0.1) { totalCount } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ communities(algorithm: LEIDEN, resolution: -1) { count } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ communities(algorithm: LEIDEN, iterations: 0) { count } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ communities(algorithm: LEIDEN, iterations: 21) { count } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ communities(algorithm: LOUVAIN, iterations: 2) { count } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ institutions(first: 1) { nodes { community(iterations: 3) { id } } } }",
            "VALIDATION_FAILED",
        ),
        (
            "{ brokerage(first: 500) { totalCount } }",
            "PAGE_SIZE_EXCEEDED",
        ),
    ] {
        assert_eq!(error_code(&schema, query).await, code, "{query}");
    }
    assert_eq!(schema.computations(), 0);
    // Checked after the computation: a page size inside the result.
    assert_eq!(
        error_code(
            &schema,
            "{ communities { communities(first: 101) { totalCount } } }"
        )
        .await,
        "PAGE_SIZE_EXCEEDED"
    );
    // Katz's alpha beyond 1/λmax is refused by the algorithm, after computing λmax.
    assert_eq!(
        error_code(
            &schema,
            "{ centrality(kind: KATZ, alpha: 0.9) { totalCount } }"
        )
        .await,
        "VALIDATION_FAILED"
    );
}

#[tokio::test]
async fn analytics_fields_cost_fifty_more() {
    // `centrality(first: 1) { totalCount }`: 50 for the analytics field, 1 + 1 × 1 for the
    // page of one item's `totalCount` (the module docs' cost model): 52.
    let query = "{ centrality(kind: DEGREE, first: 1) { totalCount } }";
    for (max_complexity, passes) in [(51, false), (52, true)] {
        let schema = labgraph_api::schema::build_schema(
            super::support::service_with(super::support::path_changes()).await,
            &labgraph_api::schema::SchemaConfig {
                max_complexity,
                ..labgraph_api::schema::SchemaConfig::default()
            },
        );
        let response = schema.execute(query).await;
        assert_eq!(
            response.errors.is_empty(),
            passes,
            "{max_complexity}: {response:?}"
        );
    }
}
