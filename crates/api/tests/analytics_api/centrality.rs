//! `centrality` (root connection and per node) and `orderBy: {centrality:}` agree with
//! labgraph-analytics run here on the same projection, and with hand-checked small graphs.

use labgraph_analytics::projection::{
    Filter, Weighting, institution_lab_network, institution_network,
};
use labgraph_analytics::{PathWeights, algo};
use labgraph_api::schema::{SchemaConfig, build_schema};

use super::support::{
    assert_same_ranking, collaboration, data, expected_ranking, path_changes, person, ranked, seed,
    service_with,
};

const EDGES: &str = "edges { cursor node { id } score rank percentile }";

#[tokio::test]
async fn pagerank_on_the_seed_institution_network_equals_the_analytics_crate() {
    let (schema, graph) = seed().await;
    let net = institution_network(&graph, &Filter::default(), Weighting::default())
        .expect("the seed projects");
    let pr = algo::pagerank(&net, &algo::PageRankParams::default()).expect("converges");
    let want = expected_ranking(&pr);
    assert!(want.len() > 50, "the seed has {} institutions", want.len());
    let answer = data(
        &schema,
        &format!("{{ centrality(kind: PAGERANK, first: 100) {{ totalCount {EDGES} }} }}"),
    )
    .await;
    assert_eq!(answer["centrality"]["totalCount"], want.len());
    assert_same_ranking(&ranked(&answer, "/centrality/edges"), &want);
}

#[tokio::test]
async fn unweighted_betweenness_and_filters_equal_the_analytics_crate() {
    let (schema, graph) = seed().await;
    let filter = Filter {
        as_of: Some(2020),
        cross_border_only: true,
        ..Filter::default()
    };
    let net = institution_network(&graph, &filter, Weighting::default()).expect("projects");
    let want = expected_ranking(&algo::betweenness(&net, PathWeights::Hops, true));
    let answer = data(
        &schema,
        &format!(
            "{{ centrality(kind: BETWEENNESS, weighted: false, asOf: 2020, \
             where: {{crossBorderOnly: true}}, first: 100) {{ {EDGES} }} }}"
        ),
    )
    .await;
    assert_same_ranking(&ranked(&answer, "/centrality/edges"), &want);
    // Weighted (the default): ties of strength s are length 1/s.
    let want = expected_ranking(&algo::betweenness(&net, PathWeights::InverseStrength, true));
    let answer = data(
        &schema,
        &format!(
            "{{ centrality(kind: BETWEENNESS, asOf: 2020, where: {{crossBorderOnly: true}}, \
             first: 100) {{ {EDGES} }} }}"
        ),
    )
    .await;
    assert_same_ranking(&ranked(&answer, "/centrality/edges"), &want);
}

#[tokio::test]
async fn a_weighting_and_the_institution_lab_network_equal_the_analytics_crate() {
    let (schema, graph) = seed().await;
    let weighting = Weighting {
        shared_lab: 2.0,
        collaboration: 0.5,
        talent: 0.0,
    };
    let net = institution_network(&graph, &Filter::default(), weighting).expect("projects");
    let want = expected_ranking(&algo::strength(&net));
    let answer = data(
        &schema,
        &format!(
            "{{ centrality(kind: STRENGTH, weighting: {{sharedLab: 2, collaboration: 0.5, \
             talent: 0}}, first: 100) {{ {EDGES} }} }}"
        ),
    )
    .await;
    assert_same_ranking(&ranked(&answer, "/centrality/edges"), &want);

    let net = institution_lab_network(&graph, &Filter::default());
    let want = expected_ranking(&algo::harmonic(&net, PathWeights::InverseStrength));
    let answer = data(
        &schema,
        &format!(
            "{{ centrality(kind: HARMONIC, projection: INSTITUTION_LABS, first: 100) \
             {{ totalCount {EDGES} }} }}"
        ),
    )
    .await;
    assert_eq!(answer["centrality"]["totalCount"], want.len());
    assert_same_ranking(&ranked(&answer, "/centrality/edges"), &want[..100]);
}

#[tokio::test]
async fn pages_follow_each_other_through_cursors() {
    let (schema, graph) = seed().await;
    let net =
        institution_network(&graph, &Filter::default(), Weighting::default()).expect("projects");
    let want = expected_ranking(&algo::degree(&net));
    let first = data(
        &schema,
        &format!(
            "{{ centrality(kind: DEGREE, first: 7) {{ {EDGES} pageInfo {{ hasNextPage \
             hasPreviousPage endCursor }} }} }}"
        ),
    )
    .await;
    assert_same_ranking(&ranked(&first, "/centrality/edges"), &want[..7]);
    assert_eq!(first["centrality"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["centrality"]["pageInfo"]["hasPreviousPage"], false);
    let cursor = first["centrality"]["pageInfo"]["endCursor"]
        .as_str()
        .expect("a cursor");
    let second = data(
        &schema,
        &format!(
            r#"{{ centrality(kind: DEGREE, first: 7, after: "{cursor}") {{ {EDGES}
                pageInfo {{ hasPreviousPage }} }} }}"#
        ),
    )
    .await;
    assert_same_ranking(&ranked(&second, "/centrality/edges"), &want[7..14]);
    assert_eq!(second["centrality"]["pageInfo"]["hasPreviousPage"], true);
}

#[tokio::test]
async fn a_path_of_four_has_hand_checked_ranks_and_percentiles() {
    // a – b – c – d: b and c each lie on 2 of the 3 pairs of other nodes → 2/3 normalised.
    let schema = build_schema(service_with(path_changes()).await, &SchemaConfig::default());
    let answer = data(
        &schema,
        &format!("{{ centrality(kind: BETWEENNESS) {{ totalCount {EDGES} }} }}"),
    )
    .await;
    let got: Vec<(String, f64, u64, f64)> = ranked(&answer, "/centrality/edges");
    let two_thirds = 2.0 / 3.0;
    let want = vec![
        ("b".to_owned(), two_thirds, 1, 100.0 * 2.0 / 3.0),
        ("c".to_owned(), two_thirds, 1, 100.0 * 2.0 / 3.0),
        ("a".to_owned(), 0.0, 3, 0.0),
        ("d".to_owned(), 0.0, 3, 0.0),
    ];
    assert_same_ranking(&got, &want);
    // As of 2020 the c–d lab did not exist: d is isolated, b alone brokers a–c.
    let answer = data(
        &schema,
        &format!("{{ centrality(kind: BETWEENNESS, asOf: 2020) {{ {EDGES} }} }}"),
    )
    .await;
    let got = ranked(&answer, "/centrality/edges");
    assert_eq!(got[0].0, "b");
    assert_eq!((got[0].1, got[0].2, got[0].3), (1.0 / 3.0, 1, 100.0));
    // The region filter keeps Guangzhou's b and c only: one tie, degree 1 each.
    let answer = data(
        &schema,
        &format!("{{ centrality(kind: DEGREE, where: {{regions: [GD_PRD]}}) {{ {EDGES} }} }}"),
    )
    .await;
    let got = ranked(&answer, "/centrality/edges");
    assert_same_ranking(
        &got,
        &[
            // Both score the same: neither has anyone below.
            ("b".to_owned(), 1.0, 1, 0.0),
            ("c".to_owned(), 1.0, 1, 0.0),
        ],
    );
}

#[tokio::test]
async fn a_node_reads_its_entry_of_the_one_whole_network_ranking() {
    let (schema, graph) = seed().await;
    let net =
        institution_network(&graph, &Filter::default(), Weighting::default()).expect("projects");
    let want = expected_ranking(&algo::closeness(&net, PathWeights::InverseStrength));
    let answer = data(
        &schema,
        "{ institutions(first: 100) { nodes { id centrality(kind: CLOSENESS) { score rank \
         percentile outOf } } } }",
    )
    .await;
    let nodes = answer["institutions"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), want.len());
    for node in nodes {
        let id = node["id"].as_str().expect("an id");
        let w = want
            .iter()
            .find(|w| w.0 == id)
            .expect("every institution is ranked");
        let c = &node["centrality"];
        assert!((c["score"].as_f64().expect("score") - w.1).abs() <= 1e-12);
        assert_eq!(c["rank"], w.2);
        assert!((c["percentile"].as_f64().expect("pct") - w.3).abs() <= 1e-9);
        assert_eq!(c["outOf"], want.len());
    }
    // Sixty-one nodes asking for the same ranking: one computation.
    assert_eq!(schema.computations(), 1);
    // A lab's default projection is the institution–lab network; a lab not yet founded in
    // `asOf` is not in it.
    let net = institution_lab_network(&graph, &Filter::default());
    let degree = algo::degree(&net);
    let answer = data(
        &schema,
        r#"{ node(id: "gdhkmo-smart-cities") { ... on Lab { centrality(kind: DEGREE) { score }
            before: centrality(kind: DEGREE, asOf: 2000) { score } } } }"#,
    )
    .await;
    assert_eq!(
        answer["node"]["centrality"]["score"].as_f64(),
        degree.get("gdhkmo-smart-cities")
    );
    assert!(answer["node"]["before"].is_null());
}

#[tokio::test]
async fn institutions_and_people_order_by_a_centrality() {
    let (schema, graph) = seed().await;
    let net =
        institution_network(&graph, &Filter::default(), Weighting::default()).expect("projects");
    let want = expected_ranking(
        &algo::pagerank(&net, &algo::PageRankParams::default()).expect("converges"),
    );
    let answer = data(
        &schema,
        "{ institutions(orderBy: {centrality: PAGERANK, direction: DESC}, first: 10) { \
         nodes { id } pageInfo { endCursor } } }",
    )
    .await;
    let ids: Vec<&str> = answer["institutions"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id"))
        .collect();
    let top: Vec<&str> = want[..10].iter().map(|w| w.0.as_str()).collect();
    assert_eq!(ids, top);
    // The next page continues the ranking; a filter keeps the order among its matches.
    let cursor = answer["institutions"]["pageInfo"]["endCursor"]
        .as_str()
        .expect("cursor");
    let next = data(
        &schema,
        &format!(
            r#"{{ institutions(orderBy: {{centrality: PAGERANK, direction: DESC}}, first: 10,
                after: "{cursor}") {{ nodes {{ id }} }} }}"#
        ),
    )
    .await;
    let ids: Vec<&str> = next["institutions"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id"))
        .collect();
    let following: Vec<&str> = want[10..20].iter().map(|w| w.0.as_str()).collect();
    assert_eq!(ids, following);
    // Another centrality on the same filter is another list (the memo keys on the order).
    let by_degree = expected_ranking(&algo::degree(&net));
    let answer = data(
        &schema,
        "{ institutions(orderBy: {centrality: DEGREE, direction: DESC}, first: 10) { nodes { id } } }",
    )
    .await;
    let ids: Vec<&str> = answer["institutions"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id"))
        .collect();
    let top: Vec<&str> = by_degree[..10].iter().map(|w| w.0.as_str()).collect();
    assert_eq!(ids, top);
    // A cursor of another order is refused.
    let response = schema
        .execute(format!(
            r#"{{ institutions(orderBy: {{centrality: DEGREE, direction: DESC}}, after: "{cursor}") {{ totalCount }} }}"#
        ))
        .await;
    assert_eq!(response.errors.len(), 1);

    // People, on a small person network: p1 – p2 – p3, p2 strongest.
    let mut changes = labgraph_domain::ChangeSet::new();
    for p in ["p1", "p2", "p3", "p4"] {
        person(&mut changes, p);
    }
    collaboration(&mut changes, "p1", "p2", 1.0);
    collaboration(&mut changes, "p2", "p3", 5.0);
    let schema = build_schema(service_with(changes).await, &SchemaConfig::default());
    let answer = data(
        &schema,
        "{ people(orderBy: {centrality: STRENGTH, direction: DESC}) { nodes { id
            centrality(kind: STRENGTH) { score rank } } } }",
    )
    .await;
    let got: Vec<(String, f64)> = answer["people"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            (
                n["id"].as_str().expect("id").to_owned(),
                n["centrality"]["score"].as_f64().expect("score"),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("p2".to_owned(), 6.0),
            ("p3".to_owned(), 5.0),
            ("p1".to_owned(), 1.0),
            ("p4".to_owned(), 0.0)
        ]
    );
}

#[tokio::test]
async fn sampled_betweenness_states_its_bound_and_equals_the_analytics_crate() {
    let (schema, graph) = seed().await;
    let net =
        institution_network(&graph, &Filter::default(), Weighting::default()).expect("projects");
    let params = algo::SampledParams {
        epsilon: 0.05,
        delta: 0.1,
        seed: 0,
        threads: 1,
    };
    let sampled = algo::betweenness_sampled(&net, &params).expect("samples");
    let want = expected_ranking(&sampled.scores);
    let answer = data(
        &schema,
        &format!(
            "{{ centrality(kind: BETWEENNESS, error: 0.05, first: 100) {{ {EDGES}
                freshness {{ exact errorBound parameters }} }} }}"
        ),
    )
    .await;
    let got = ranked(&answer, "/centrality/edges");
    assert_same_ranking(&got, &want);
    let freshness = &answer["centrality"]["freshness"];
    assert_eq!(freshness["exact"], false);
    assert_eq!(freshness["errorBound"], 0.05);
    let parameters: serde_json::Value =
        serde_json::from_str(freshness["parameters"].as_str().expect("text")).expect("JSON");
    assert_eq!(
        (
            &parameters["epsilon"],
            &parameters["delta"],
            &parameters["weighted"]
        ),
        (
            &serde_json::json!(0.05),
            &serde_json::json!(0.1),
            &serde_json::json!(false)
        )
    );
    // The stated bound holds against the exact scores (by hops) on the seed.
    let exact = algo::betweenness(&net, PathWeights::Hops, true);
    for (id, score, _, _) in &got {
        let truth = exact.get(id).expect("ranked nodes are in the network");
        assert!(
            (score - truth).abs() <= 0.05,
            "{id}: {score} vs exact {truth}"
        );
    }
}
