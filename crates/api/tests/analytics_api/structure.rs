//! `communities` (and the per-node `community` reading the same partition), `structure` and
//! `brokerage` agree with labgraph-analytics run here on the same projection, and with
//! hand-checked small graphs.

use std::collections::HashMap;

use labgraph_analytics::algo;
use labgraph_analytics::projection::{Filter, Weighting, institution_network, person_network};
use labgraph_api::schema::{SchemaConfig, build_schema};

use labgraph_domain::ChangeSet;

use super::support::{
    collaboration, data, error_code, path_changes, person, seed, service_with, synthetic_changes,
};

#[tokio::test]
async fn a_path_of_four_has_hand_checked_structure() {
    // a – b – c – d: every tie a bridge, b and c single points of failure.
    let schema = build_schema(service_with(path_changes()).await, &SchemaConfig::default());
    let answer = data(
        &schema,
        "{ structure { nodeCount tieCount components { count largest sizes }
            bridgeCount bridges { a { id } b { id } sides }
            articulationPointCount articulationPoints { node { id } pieces cutOff }
            kCore { maxCore size members { id } } transitivity averageClustering } }",
    )
    .await;
    let s = &answer["structure"];
    assert_eq!(
        (s["nodeCount"].as_u64(), s["tieCount"].as_u64()),
        (Some(4), Some(3))
    );
    assert_eq!(
        s["components"],
        serde_json::json!({"count": 1, "largest": 4, "sizes": [4]})
    );
    assert_eq!(s["bridgeCount"], 3);
    // The b–c bridge splits 2 | 2, the most balanced, so it comes first.
    assert_eq!(
        s["bridges"],
        serde_json::json!([
            {"a": {"id": "b"}, "b": {"id": "c"}, "sides": [2, 2]},
            {"a": {"id": "a"}, "b": {"id": "b"}, "sides": [1, 3]},
            {"a": {"id": "c"}, "b": {"id": "d"}, "sides": [3, 1]},
        ])
    );
    assert_eq!(
        s["articulationPoints"],
        serde_json::json!([
            {"node": {"id": "b"}, "pieces": [2, 1], "cutOff": 1},
            {"node": {"id": "c"}, "pieces": [2, 1], "cutOff": 1},
        ])
    );
    assert_eq!(s["articulationPointCount"], 2);
    assert_eq!(s["kCore"]["maxCore"], 1);
    assert_eq!(s["kCore"]["size"], 4);
    assert_eq!(s["transitivity"], 0.0);
    assert_eq!(s["averageClustering"], 0.0);

    // As of 2020 the c–d lab did not exist: d is alone; a–b–c has one cut point, b.
    let answer = data(
        &schema,
        "{ structure(asOf: 2020) { components { count sizes }
            articulationPoints { node { id } pieces } } }",
    )
    .await;
    assert_eq!(
        answer["structure"],
        serde_json::json!({
            "components": {"count": 2, "sizes": [3, 1]},
            "articulationPoints": [{"node": {"id": "b"}, "pieces": [1, 1]}],
        })
    );
}

#[tokio::test]
async fn structure_of_the_seed_equals_the_analytics_crate() {
    let (schema, graph) = seed().await;
    let net =
        institution_network(&graph, &Filter::default(), Weighting::default()).expect("projects");
    let answer = data(
        &schema,
        "{ structure { components { count largest } bridgeCount articulationPointCount
            articulationPoints(first: 100) { node { id } pieces }
            kCore { maxCore } transitivity } }",
    )
    .await;
    let s = &answer["structure"];
    let components = algo::connected_components(&net);
    assert_eq!(s["components"]["count"], components.len());
    assert_eq!(s["components"]["largest"], components[0].len());
    assert_eq!(s["bridgeCount"], algo::bridges(&net).len());
    let points = algo::articulation_points(&net);
    assert_eq!(s["articulationPointCount"], points.len());
    let cuts = algo::cuts(&net);
    for point in s["articulationPoints"].as_array().expect("a list") {
        let id = point["node"]["id"].as_str().expect("an id");
        let mut sizes = cuts.articulation_point(id).expect("a cut point").sizes();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(point["pieces"], serde_json::json!(sizes), "{id}");
    }
    let max_core = algo::core_number(&net)
        .iter()
        .map(|(_, c)| c)
        .fold(0.0, f64::max);
    assert_eq!(s["kCore"]["maxCore"].as_f64(), Some(max_core));
    assert_eq!(s["transitivity"].as_f64(), Some(algo::transitivity(&net)));
}

#[tokio::test]
async fn communities_of_the_seed_equal_the_analytics_crate() {
    let (schema, graph) = seed().await;
    let net =
        institution_network(&graph, &Filter::default(), Weighting::default()).expect("projects");
    let params = algo::LouvainParams {
        resolution: 1.5,
        weighted: true,
        seed: 7,
    };
    let partition = algo::louvain(&net, &params).expect("runs");
    let answer = data(
        &schema,
        "{ communities(resolution: 1.5, seed: 7) { modularity count
            communities(first: 40) { totalCount edges { node { id size members(first: 61) { id } } } } } }",
    )
    .await;
    let c = &answer["communities"];
    assert_eq!(c["modularity"].as_f64(), Some(partition.modularity()));
    assert_eq!(c["count"], partition.count());
    assert_eq!(c["communities"]["totalCount"], partition.count());
    let want = partition.communities();
    for (i, edge) in c["communities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .enumerate()
    {
        let node = &edge["node"];
        assert_eq!(node["id"], i);
        assert_eq!(node["size"], want[i].len());
        let mut ids: Vec<String> = want[i].iter().map(|id| id.to_string()).collect();
        ids.sort();
        ids.truncate(61);
        let got: Vec<String> = node["members"]
            .as_array()
            .expect("members")
            .iter()
            .map(|m| m["id"].as_str().expect("id").to_owned())
            .collect();
        assert_eq!(got, ids);
    }
    // Leiden, with the same resolution and seed.
    let leiden = algo::leiden(
        &net,
        &algo::LeidenParams {
            resolution: 1.5,
            weighted: true,
            seed: 7,
            ..algo::LeidenParams::default()
        },
    )
    .expect("runs");
    let answer = data(
        &schema,
        "{ communities(algorithm: LEIDEN, resolution: 1.5, seed: 7) { modularity count
            communities(first: 1) { edges { node { size } } } } }",
    )
    .await;
    assert_eq!(
        answer["communities"]["modularity"].as_f64(),
        Some(leiden.modularity())
    );
    assert_eq!(answer["communities"]["count"], leiden.count());
    assert_eq!(
        answer["communities"]["communities"]["edges"][0]["node"]["size"],
        leiden.sizes()[0]
    );
    // Label propagation ignores resolution and seed: the same computation either way.
    let before = schema.computations();
    let a = data(
        &schema,
        "{ communities(algorithm: LABEL_PROPAGATION) { count modularity } }",
    )
    .await;
    let b = data(
        &schema,
        "{ communities(algorithm: LABEL_PROPAGATION, resolution: 2, seed: 3) { count modularity } }",
    )
    .await;
    assert_eq!(a, b);
    assert_eq!(schema.computations(), before + 1);
    let lp = algo::label_propagation(&net).expect("runs");
    assert_eq!(a["communities"]["count"], lp.count());
}

#[tokio::test]
async fn a_node_reads_its_community_from_the_one_shared_partition() {
    let (schema, graph) = seed().await;
    let net =
        institution_network(&graph, &Filter::default(), Weighting::default()).expect("projects");
    let partition = algo::louvain(
        &net,
        &algo::LouvainParams {
            resolution: 1.5,
            weighted: true,
            seed: 7,
        },
    )
    .expect("runs");
    let answer = data(
        &schema,
        "{ institutions(first: 20) { nodes { id community(resolution: 1.5, seed: 7) { id size } } } }",
    )
    .await;
    let nodes = answer["institutions"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 20);
    // Twenty nodes asking for the same partition: one computation.
    assert_eq!(schema.computations(), 1);
    for node in nodes {
        let id = node["id"].as_str().expect("an id");
        let want = partition
            .community(id)
            .expect("every institution is in one");
        assert_eq!(node["community"]["id"], want, "{id}");
        assert_eq!(node["community"]["size"], partition.sizes()[want], "{id}");
    }
    // The root field with the same arguments reads the same computation, and numbers the
    // communities alike: each node is among the members of the community it names.
    let root = data(
        &schema,
        "{ communities(resolution: 1.5, seed: 7) { communities(first: 40) {
            edges { node { id members(first: 61) { id } } } } } }",
    )
    .await;
    assert_eq!(schema.computations(), 1);
    let communities = root["communities"]["communities"]["edges"]
        .as_array()
        .expect("edges");
    for node in nodes {
        let community = &communities[node["community"]["id"].as_u64().expect("id") as usize];
        assert!(
            community["node"]["members"]
                .as_array()
                .expect("members")
                .iter()
                .any(|m| m["id"] == node["id"]),
            "{node} is a member of {community}"
        );
    }
    // Other arguments, another partition: one more computation for the page.
    data(
        &schema,
        "{ institutions(first: 20) { nodes { community(algorithm: LEIDEN) { id } } } }",
    )
    .await;
    assert_eq!(schema.computations(), 2);
    // A lab is in the institution–lab network, unless not yet founded `asOf`; a lab is not
    // in the institution network.
    let answer = data(
        &schema,
        r#"{ node(id: "gdhkmo-smart-cities") { ... on Lab { community { id size }
            before: community(asOf: 2000) { id } } } }"#,
    )
    .await;
    assert!(answer["node"]["community"]["size"].as_u64() >= Some(2));
    assert!(answer["node"]["before"].is_null());
    assert_eq!(
        error_code(
            &schema,
            r#"{ node(id: "gdhkmo-smart-cities") { ... on Lab { community(projection: INSTITUTIONS) { id } } } }"#,
        )
        .await,
        "VALIDATION_FAILED"
    );
}

#[tokio::test]
async fn people_read_their_community_in_the_person_network() {
    // Two triangles p1-p2-p3 and p4-p5-p6 joined by the tie p3-p4, and p7 alone. Checked by
    // hand: the split into the two triangles has modularity 2 · (3/7 − (7/14)²) ≈ 0.357, more
    // than any other; p7 with no tie is a community of its own. Equal sizes are numbered by
    // their first member in id order, so {p1 p2 p3} is 0, {p4 p5 p6} is 1, {p7} is 2.
    let mut changes = ChangeSet::new();
    for p in ["p1", "p2", "p3", "p4", "p5", "p6", "p7"] {
        person(&mut changes, p);
    }
    for (a, b) in [
        ("p1", "p2"),
        ("p1", "p3"),
        ("p2", "p3"),
        ("p3", "p4"),
        ("p4", "p5"),
        ("p4", "p6"),
        ("p5", "p6"),
    ] {
        collaboration(&mut changes, a, b, 1.0);
    }
    let schema = build_schema(service_with(changes).await, &SchemaConfig::default());
    let answer = data(
        &schema,
        "{ people(first: 10) { nodes { id community { id size } } } }",
    )
    .await;
    let got: Vec<(String, u64, u64)> = answer["people"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            (
                n["id"].as_str().expect("id").to_owned(),
                n["community"]["id"].as_u64().expect("community id"),
                n["community"]["size"].as_u64().expect("size"),
            )
        })
        .collect();
    let want: Vec<(String, u64, u64)> = [
        ("p1", 0, 3),
        ("p2", 0, 3),
        ("p3", 0, 3),
        ("p4", 1, 3),
        ("p5", 1, 3),
        ("p6", 1, 3),
        ("p7", 2, 1),
    ]
    .iter()
    .map(|&(id, c, size)| (id.to_owned(), c, size))
    .collect();
    assert_eq!(got, want);
    assert_eq!(schema.computations(), 1);
    // A person is never in the institution network.
    assert_eq!(
        error_code(
            &schema,
            r#"{ node(id: "p1") { ... on Person { community(projection: INSTITUTIONS) { id } } } }"#,
        )
        .await,
        "VALIDATION_FAILED"
    );
}

#[tokio::test]
async fn brokerage_of_the_seed_equals_the_analytics_crate() {
    let (schema, graph) = seed().await;
    let net =
        institution_network(&graph, &Filter::default(), Weighting::default()).expect("projects");
    let roles = algo::brokerage(&net, |id| algo::jurisdiction_group(&graph, id));
    let want: HashMap<String, algo::Roles> = roles
        .iter()
        .filter_map(|(id, r)| Some((id.to_string(), r?)))
        .collect();
    let answer = data(
        &schema,
        "{ brokerage(first: 100) { totalCount edges { node { id } rank total coordinator
            itinerant gatekeeper representative liaison } } }",
    )
    .await;
    let b = &answer["brokerage"];
    assert_eq!(b["totalCount"], want.len());
    let edges = b["edges"].as_array().expect("edges");
    let mut previous = u64::MAX;
    for (i, edge) in edges.iter().enumerate() {
        let id = edge["node"]["id"].as_str().expect("id");
        let w = want[id];
        let total = edge["total"].as_u64().expect("total");
        assert_eq!(
            (
                total,
                edge["coordinator"].as_u64(),
                edge["itinerant"].as_u64(),
                edge["gatekeeper"].as_u64(),
                edge["representative"].as_u64(),
                edge["liaison"].as_u64()
            ),
            (
                w.total,
                Some(w.coordinator),
                Some(w.itinerant),
                Some(w.gatekeeper),
                Some(w.representative),
                Some(w.liaison)
            ),
            "{id}"
        );
        assert!(total <= previous, "ranked by total, most first");
        // Competition rank: 1 + the number of nodes with a strictly larger total.
        let above = want.values().filter(|r| r.total > total).count();
        assert_eq!(edge["rank"], above + 1, "{id} at {i}");
        previous = total;
    }
    assert!(previous < u64::MAX && edges[0]["total"].as_u64() > Some(0));
}

#[tokio::test]
async fn brokerage_on_a_path_of_four_is_hand_checked() {
    // a (HK) – b (Guangzhou) – c (Guangzhou) – d (Macao): b links a with c, its own region's
    // partner (a gatekeeper pair); c links b with d likewise; the ends link no one.
    let schema = build_schema(service_with(path_changes()).await, &SchemaConfig::default());
    let answer = data(
        &schema,
        "{ brokerage(groups: REGION) { totalCount edges { node { id } rank percentile total
            coordinator itinerant gatekeeper representative liaison } } }",
    )
    .await;
    let gatekeeper = |id: &str| {
        serde_json::json!({"node": {"id": id}, "rank": 1, "percentile": 100.0 * 2.0 / 3.0,
            "total": 1, "coordinator": 0, "itinerant": 0, "gatekeeper": 1,
            "representative": 1, "liaison": 0})
    };
    let idle = |id: &str| {
        serde_json::json!({"node": {"id": id}, "rank": 3, "percentile": 0.0, "total": 0,
            "coordinator": 0, "itinerant": 0, "gatekeeper": 0, "representative": 0,
            "liaison": 0})
    };
    assert_eq!(
        answer["brokerage"],
        serde_json::json!({
            "totalCount": 4,
            "edges": [gatekeeper("b"), gatekeeper("c"), idle("a"), idle("d")],
        })
    );
}

/// `iterations` reaches Leiden: on a synthetic person network (1,500 people), where one and four
/// runs give different partitions, the answer for each count is the library's for that count,
/// and its freshness names the count.
#[tokio::test]
async fn leiden_runs_as_many_iterations_as_asked() {
    let service = service_with(synthetic_changes()).await;
    let net = person_network(&service.snapshot(), &Filter::default());
    let schema = build_schema(service, &SchemaConfig::default());
    let run = |iterations| {
        algo::leiden(
            &net,
            &algo::LeidenParams {
                iterations,
                ..algo::LeidenParams::default()
            },
        )
        .expect("runs")
    };
    // Without this the test could not tell whether the argument is used.
    assert_ne!(run(1).modularity(), run(4).modularity());
    for iterations in [1, 2, 4] {
        let want = run(iterations);
        let answer = data(
            &schema,
            &format!(
                "{{ communities(algorithm: LEIDEN, projection: PEOPLE, iterations: {iterations})
                    {{ modularity count freshness {{ parameters }} }} }}"
            ),
        )
        .await;
        let got = &answer["communities"];
        assert_eq!(
            got["modularity"].as_f64(),
            Some(want.modularity()),
            "{iterations}"
        );
        assert_eq!(got["count"], want.count(), "{iterations}");
        let parameters: serde_json::Value =
            serde_json::from_str(got["freshness"]["parameters"].as_str().expect("JSON text"))
                .expect("JSON");
        assert_eq!(parameters["iterations"], iterations, "{parameters}");
    }
    // Omitted, it is 2: the same computation as asking for 2.
    let before = schema.computations();
    data(
        &schema,
        "{ communities(algorithm: LEIDEN, projection: PEOPLE) { count } }",
    )
    .await;
    assert_eq!(schema.computations(), before);
}
