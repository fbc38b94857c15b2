//! Search across Simplified, Traditional and English names and aliases.

use super::fixture::{data, error_code, schema, strings};

#[tokio::test]
async fn simplified_traditional_english_and_alias_find_the_same_node() {
    let schema = schema().await;
    for text in [
        "香港中文大學",
        "香港中文大学",
        "CUHK",
        "Chinese University",
        "港中大",
    ] {
        let query = format!(r#"{{ search(text: "{text}") {{ node {{ id }} score matched }} }}"#);
        let got = data(&schema, &query).await;
        let ids = strings(&got, "/search", "/node/id");
        assert!(ids.contains(&"cuhk".to_owned()), "{text} finds {ids:?}");
        for hit in got["search"].as_array().expect("hits") {
            let score = hit["score"].as_f64().expect("score");
            assert!((0.0..=1.0).contains(&score), "{hit}");
        }
    }
}

#[tokio::test]
async fn kinds_and_first_bound_the_results() {
    let schema = schema().await;
    let got = data(
        &schema,
        r#"{ labs: search(text: "环境", kinds: [LAB]) { node { __typename } }
             one: search(text: "University", first: 1) { node { id } }
             fields: search(text: "Environment", kinds: [FIELD]) { node { id } } }"#,
    )
    .await;
    let labs = got["labs"].as_array().expect("hits");
    assert_eq!(labs.len(), 3);
    assert!(labs.iter().all(|h| h["node"]["__typename"] == "Lab"));
    assert_eq!(got["one"].as_array().map(Vec::len), Some(1));
    assert_eq!(strings(&got, "/fields", "/node/id"), ["environment"]);
}

#[tokio::test]
async fn empty_search_text_is_refused() {
    let schema = schema().await;
    assert_eq!(
        error_code(&schema, r#"{ search(text: "  ") { score } }"#).await,
        "VALIDATION_FAILED"
    );
}
