//! The GraphQL-over-HTTP router driven without a socket (`tower::ServiceExt::oneshot`) on a
//! small schema of its own: status codes, media types, error codes, GraphiQL and its assets,
//! the SDL, health, CORS and the body limit. One module per area.

use async_graphql::{
    Context, Object, Schema, Subscription,
    futures_util::{Stream, stream},
};
use axum::{
    Router,
    body::{Body, Bytes},
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use labgraph_api::http::{HttpConfig, router};
use serde_json::{Value, json};
use tower::ServiceExt;

const GQL: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

struct Query;

#[Object]
impl Query {
    /// A greeting.
    async fn hello(&self, name: Option<String>) -> String {
        format!("Hello, {}!", name.as_deref().unwrap_or("GBA"))
    }

    /// A chain as long as the client asks for, to exceed the depth limit.
    async fn node(&self) -> Node {
        Node(1)
    }

    /// A non-null field whose resolver fails, so `data` is null after execution started.
    async fn broken(&self) -> async_graphql::Result<String> {
        Err("the resolver failed".into())
    }

    /// The `x-probe` request header, read from the HTTP headers the router passes in.
    async fn probe(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let headers = ctx.data::<HeaderMap>()?;
        Ok(headers
            .get("x-probe")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned))
    }
}

struct Node(i32);

#[Object]
impl Node {
    async fn id(&self) -> i32 {
        self.0
    }

    async fn child(&self) -> Node {
        Node(self.0 + 1)
    }
}

struct Mutation;

#[Object]
impl Mutation {
    /// Echoes its argument, so a mutation visibly ran.
    async fn echo(&self, text: String) -> String {
        text
    }
}

struct Subscriptions;

#[Subscription]
impl Subscriptions {
    async fn ticks(&self) -> impl Stream<Item = i32> {
        stream::iter([1, 2, 3])
    }
}

/// Depth 4 admits `{ node { child { child { id } } } }`; complexity 12 admits a dozen fields.
fn schema() -> Schema<Query, Mutation, Subscriptions> {
    Schema::build(Query, Mutation, Subscriptions)
        .limit_depth(4)
        .limit_complexity(12)
        .finish()
}

fn app() -> Router {
    router(schema(), HttpConfig::default())
}

fn app_with(config: HttpConfig) -> Router {
    router(schema(), config)
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Reply {
    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers
            .get(name)
            .map(|value| value.to_str().expect("test headers are ASCII"))
    }

    fn content_type(&self) -> &str {
        self.header(header::CONTENT_TYPE)
            .expect("every response has a Content-Type")
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("bodies are UTF-8")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.text()))
    }

    /// The `extensions.code` of every error, in order.
    fn codes(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .expect("an `errors` array")
            .iter()
            .map(|error| {
                error["extensions"]["code"]
                    .as_str()
                    .unwrap_or_else(|| panic!("error without a code: {error}"))
                    .to_owned()
            })
            .collect()
    }
}

async fn send(app: Router, request: Request<Body>) -> Reply {
    let response = app
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("the body is readable")
        .to_bytes();
    Reply {
        status,
        headers,
        body,
    }
}

fn post_json(accept: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut builder = Request::post("/graphql").header(header::CONTENT_TYPE, JSON);
    if let Some(accept) = accept {
        builder = builder.header(header::ACCEPT, accept);
    }
    builder.body(body.into()).expect("a valid request")
}

fn post_query(accept: Option<&str>, query: &str) -> Request<Body> {
    post_json(accept, json!({ "query": query }).to_string())
}

fn get(uri: &str, accept: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(uri);
    if let Some(accept) = accept {
        builder = builder.header(header::ACCEPT, accept);
    }
    builder.body(Body::empty()).expect("a valid request")
}

/// `/graphql?query=...` with the query percent-encoded.
fn get_query(query: &str, accept: Option<&str>) -> Request<Body> {
    let encoded: String = query
        .bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect();
    get(&format!("/graphql?query={encoded}"), accept)
}

mod media_types {
    use super::*;

    #[tokio::test]
    async fn graphql_response_json_is_preferred_and_echoed() {
        let reply = send(app(), post_query(Some(GQL), "{ hello }")).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            reply.content_type(),
            "application/graphql-response+json; charset=utf-8"
        );
        assert_eq!(reply.text(), r#"{"data":{"hello":"Hello, GBA!"}}"#);

        let both = format!("{JSON}, {GQL}");
        let reply = send(app(), post_query(Some(&both), "{ hello }")).await;
        assert!(reply.content_type().starts_with(GQL));
    }

    #[tokio::test]
    async fn application_json_when_asked_for_or_accept_is_absent_or_any() {
        for accept in [Some(JSON), None, Some("*/*")] {
            let reply = send(app(), post_query(accept, "{ hello }")).await;
            assert_eq!(reply.status, StatusCode::OK, "{accept:?}");
            assert_eq!(
                reply.content_type(),
                "application/json; charset=utf-8",
                "{accept:?}"
            );
            assert_eq!(reply.json()["data"]["hello"], "Hello, GBA!");
        }
    }

    #[tokio::test]
    async fn other_accepted_types_get_406() {
        for accept in ["text/plain", "application/xml", "application/json;q=0"] {
            let reply = send(app(), post_query(Some(accept), "{ hello }")).await;
            assert_eq!(reply.status, StatusCode::NOT_ACCEPTABLE, "{accept}");
            assert_eq!(reply.codes(), ["NOT_ACCEPTABLE"]);
        }
    }

    #[tokio::test]
    async fn post_must_be_application_json() {
        for content_type in [Some("text/plain"), Some("application/graphql"), None] {
            let mut builder = Request::post("/graphql");
            if let Some(content_type) = content_type {
                builder = builder.header(header::CONTENT_TYPE, content_type);
            }
            let request = builder
                .body(Body::from(r#"{"query":"{ hello }"}"#))
                .expect("a valid request");
            let reply = send(app(), request).await;
            assert_eq!(
                reply.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{content_type:?}"
            );
            assert_eq!(reply.codes(), ["UNSUPPORTED_MEDIA_TYPE"]);
        }
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
            .body(Body::from(r#"{"query":"{ hello }"}"#))
            .expect("a valid request");
        assert_eq!(send(app(), request).await.status, StatusCode::OK);
    }

    #[tokio::test]
    async fn every_graphql_answer_varies_on_accept() {
        let reply = send(app(), get_query("{ hello }", None)).await;
        assert_eq!(reply.header(header::VARY), Some("accept"));
    }

    #[tokio::test]
    async fn response_keys_keep_the_query_order() {
        let reply = send(
            app(),
            post_query(None, r#"{ z: hello a: hello(name: "Macao") }"#),
        )
        .await;
        assert_eq!(
            reply.text(),
            r#"{"data":{"z":"Hello, GBA!","a":"Hello, Macao!"}}"#
        );
    }
}

mod requests {
    use super::*;

    #[tokio::test]
    async fn batches_are_refused_with_a_code() {
        let body = json!([{ "query": "{ hello }" }, { "query": "{ hello }" }]).to_string();
        let reply = send(app(), post_json(Some(GQL), body)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.codes(), ["BATCH_NOT_SUPPORTED"]);
        assert!(
            reply.json()["errors"][0]["message"]
                .as_str()
                .expect("a message")
                .contains("one operation per request")
        );
    }

    #[tokio::test]
    async fn malformed_or_incomplete_bodies_are_bad_requests() {
        let cases = [
            ("", "not valid JSON"),
            (r#"{ "not a JSON"#, "not valid JSON"),
            (r#"{"qeury":"{ hello }"}"#, "missing `query`"),
            (r#"{"query":null}"#, "missing `query`"),
            (r#"{"query":7}"#, "`query` must be a string"),
            (r#"{"query":"{ hello }","variables":"x"}"#, "`variables`"),
            (r#"{"query":"{ hello }","extensions":[1]}"#, "`extensions`"),
            (
                r#"{"query":"{ hello }","operationName":0}"#,
                "`operationName`",
            ),
            ("42", "JSON object"),
        ];
        for (body, expected) in cases {
            for accept in [GQL, JSON] {
                let reply = send(app(), post_json(Some(accept), body)).await;
                assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body} as {accept}");
                assert!(reply.content_type().starts_with(accept), "{body}");
                assert_eq!(reply.codes(), ["BAD_REQUEST"], "{body}");
                let message = reply.json()["errors"][0]["message"].to_string();
                assert!(message.contains(expected), "{body}: {message}");
            }
        }
    }

    #[tokio::test]
    async fn null_optional_parameters_are_absent_ones() {
        let body = json!({
            "query": "query Q($name: String) { hello(name: $name) }",
            "variables": null, "operationName": null, "extensions": null,
        });
        let reply = send(app(), post_json(Some(GQL), body.to_string())).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.json(), json!({ "data": { "hello": "Hello, GBA!" } }));
    }

    #[tokio::test]
    async fn variables_and_operation_name_are_used() {
        let body = json!({
            "query": "query A { hello } query B($name: String) { hello(name: $name) }",
            "operationName": "B",
            "variables": { "name": "Shenzhen" },
        });
        let reply = send(app(), post_json(Some(GQL), body.to_string())).await;
        assert_eq!(
            reply.json(),
            json!({ "data": { "hello": "Hello, Shenzhen!" } })
        );
    }

    #[tokio::test]
    async fn get_runs_queries_with_url_variables() {
        let reply = send(
            app(),
            get(
                "/graphql?query=query%20Q(%24n%3A%20String)%20%7B%20hello(name%3A%20%24n)%20%7D\
                 &variables=%7B%22n%22%3A%22Zhuhai%22%7D&operationName=Q",
                Some(GQL),
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(
            reply.json(),
            json!({ "data": { "hello": "Hello, Zhuhai!" } })
        );
    }

    #[tokio::test]
    async fn get_without_query_is_a_bad_request() {
        let reply = send(app(), get("/graphql", Some(GQL))).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.codes(), ["BAD_REQUEST"]);
        let reply = send(
            app(),
            get("/graphql?query=%7Bhello%7D&query=%7Bhello%7D", None),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn mutations_over_get_are_405_with_allow_post() {
        for (query, accept) in [
            (r#"mutation { echo(text: "x") }"#, Some(GQL)),
            (r#"mutation M { echo(text: "x") }"#, None),
        ] {
            let reply = send(app(), get_query(query, accept)).await;
            assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{query}");
            assert_eq!(reply.header(header::ALLOW), Some("POST"));
            assert_eq!(reply.codes(), ["METHOD_NOT_ALLOWED"]);
        }
        // The same document's query operation still runs over GET.
        let reply = send(
            app(),
            get(
                "/graphql?query=query%20Q%20%7B%20hello%20%7D%20mutation%20M%20%7B%20echo(text%3A%20%22x%22)%20%7D\
                 &operationName=Q",
                None,
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        // And the mutation runs over POST.
        let reply = send(
            app(),
            post_query(Some(GQL), r#"mutation { echo(text: "ok") }"#),
        )
        .await;
        assert_eq!(reply.json(), json!({ "data": { "echo": "ok" } }));
    }

    #[tokio::test]
    async fn subscriptions_are_refused_over_http() {
        let reply = send(app(), post_query(Some(GQL), "subscription { ticks }")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.codes(), ["BAD_REQUEST"]);
    }

    #[tokio::test]
    async fn other_methods_are_405() {
        let request = Request::builder()
            .method(Method::PUT)
            .uri("/graphql")
            .body(Body::empty())
            .expect("a valid request");
        assert_eq!(
            send(app(), request).await.status,
            StatusCode::METHOD_NOT_ALLOWED
        );
    }

    #[tokio::test]
    async fn request_headers_reach_resolvers() {
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, JSON)
            .header("x-probe", "seen")
            .body(Body::from(r#"{"query":"{ probe }"}"#))
            .expect("a valid request");
        assert_eq!(
            send(app(), request).await.json(),
            json!({ "data": { "probe": "seen" } })
        );
    }
}

mod request_errors {
    use super::*;

    /// Under graphql-response+json: 400, no `data` key, the given codes.
    async fn assert_request_error(body: Value, codes: &[&str]) {
        let reply = send(app(), post_json(Some(GQL), body.to_string())).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.text()
        );
        assert!(reply.content_type().starts_with(GQL));
        assert!(reply.json().get("data").is_none(), "{}", reply.text());
        assert_eq!(reply.codes(), codes, "{body}");

        // Legacy clients get the same body with 200, as the spec asks.
        let reply = send(app(), post_json(Some(JSON), body.to_string())).await;
        assert_eq!(reply.status, StatusCode::OK, "{body}");
        assert!(reply.content_type().starts_with(JSON));
        assert!(reply.json().get("data").is_none(), "{}", reply.text());
        assert_eq!(reply.codes(), codes, "{body}");
    }

    #[tokio::test]
    async fn parse_failures() {
        assert_request_error(json!({ "query": "{" }), &["GRAPHQL_PARSE_FAILED"]).await;
        assert_request_error(json!({ "query": "" }), &["GRAPHQL_PARSE_FAILED"]).await;
    }

    #[tokio::test]
    async fn validation_failures() {
        assert_request_error(
            json!({ "query": "{ nope }" }),
            &["GRAPHQL_VALIDATION_FAILED"],
        )
        .await;
        assert_request_error(
            json!({ "query": "query A { hello } query B { hello }" }),
            &["GRAPHQL_VALIDATION_FAILED"],
        )
        .await;
        assert_request_error(
            json!({ "query": "{ hello }", "operationName": "Missing" }),
            &["GRAPHQL_VALIDATION_FAILED"],
        )
        .await;
    }

    #[tokio::test]
    async fn variable_coercion_failures() {
        for variables in [
            json!({}),
            json!({ "name": { "not": 1 } }),
            json!({ "name": null }),
        ] {
            let body = json!({
                "query": "query C($name: String!) { hello(name: $name) }",
                "variables": variables,
            });
            let reply = send(app(), post_json(Some(GQL), body.to_string())).await;
            let message = reply.json()["errors"][0]["message"].to_string();
            assert!(
                message.contains(r#"\"name\""#) || message.contains("$name"),
                "{message}"
            );
            assert_request_error(body, &["GRAPHQL_VALIDATION_FAILED"]).await;
        }
    }

    /// async-graphql 7.2.1 would run these and fail inside the resolver; the handler checks
    /// non-null variables before execution, as the spec's coercion does.
    #[tokio::test]
    async fn required_variables_are_checked_before_execution() {
        let query = "query C($name: String!) { hello(name: $name) }";
        for variables in [json!({}), json!({ "name": null })] {
            let body = json!({ "query": query, "variables": variables });
            assert_request_error(body, &["GRAPHQL_VALIDATION_FAILED"]).await;
        }
        let reply = send(
            app(),
            post_json(Some(GQL), json!({ "query": query }).to_string()),
        )
        .await;
        let error = &reply.json()["errors"][0];
        assert_eq!(
            error["message"],
            r#"Variable "$name" of required type "String!" was not provided."#
        );
        assert_eq!(error["locations"], json!([{ "line": 1, "column": 9 }]));

        // A default stands in for a missing value, but not for an explicit null.
        let with_default = r#"query C($name: String! = "Foshan") { hello(name: $name) }"#;
        let reply = send(app(), post_query(Some(GQL), with_default)).await;
        assert_eq!(
            reply.json(),
            json!({ "data": { "hello": "Hello, Foshan!" } })
        );
        let body = json!({ "query": with_default, "variables": { "name": null } });
        assert_request_error(body, &["GRAPHQL_VALIDATION_FAILED"]).await;
    }

    /// Pins the message texts `errors::classify` recognises: if an async-graphql upgrade
    /// rewords them, this fails instead of the codes silently disappearing.
    #[tokio::test]
    async fn depth_limit_gets_query_too_deep() {
        let within = json!({ "query": "{ node { child { child { id } } } }" });
        let reply = send(app(), post_json(Some(GQL), within.to_string())).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

        let beyond = json!({ "query": "{ node { child { child { child { id } } } } }" });
        assert_request_error(beyond, &["QUERY_TOO_DEEP"]).await;
    }

    #[tokio::test]
    async fn complexity_limit_gets_query_too_complex() {
        let fields: String = (0..13).map(|i| format!("h{i}: hello ")).collect();
        assert_request_error(
            json!({ "query": format!("{{ {fields} }}") }),
            &["QUERY_TOO_COMPLEX"],
        )
        .await;
    }

    #[tokio::test]
    async fn recursion_limit_gets_query_too_deep() {
        // async-graphql's parse-stage nesting limit (32) is checked before validation, so it
        // answers first even though `node { node` would not validate.
        let query = format!("{}{}", "{ node ".repeat(40), "}".repeat(40));
        assert_request_error(json!({ "query": query }), &["QUERY_TOO_DEEP"]).await;
    }

    #[tokio::test]
    async fn codes_given_by_the_schema_are_kept_and_execution_errors_are_200() {
        // A failing non-null root field nulls `data` after execution started: that is a
        // result, not a request error, so 200 with `data: null` even under the new type.
        let reply = send(app(), post_query(Some(GQL), "{ broken }")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let body = reply.json();
        assert_eq!(body["data"], Value::Null);
        assert!(body.get("data").is_some());
        assert_eq!(body["errors"][0]["path"], json!(["broken"]));
        // Execution errors are the schema's to code; this layer adds none.
        assert!(body["errors"][0].get("extensions").is_none(), "{body}");
    }

    #[tokio::test]
    async fn errors_come_before_data() {
        let reply = send(app(), post_query(Some(GQL), "{ hello broken }")).await;
        assert!(
            reply.text().starts_with(r#"{"errors":"#),
            "{}",
            reply.text()
        );
    }
}

mod limits {
    use super::*;

    fn small() -> Router {
        app_with(HttpConfig {
            max_body_bytes: 64,
            ..HttpConfig::default()
        })
    }

    #[tokio::test]
    async fn oversized_bodies_get_413_with_a_json_error() {
        let padding = " ".repeat(100);
        let body = format!(r#"{{"query":"{{ hello }}"{padding}}}"#);
        let reply = send(small(), post_json(Some(GQL), body)).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(reply.content_type().starts_with(GQL));
        assert_eq!(reply.codes(), ["PAYLOAD_TOO_LARGE"]);
        assert!(reply.text().contains("64 bytes"), "{}", reply.text());
    }

    /// A streamed body has no `Content-Length` to refuse up front; the limit still holds.
    #[tokio::test]
    async fn streamed_bodies_are_limited_too() {
        let chunks = [
            r#"{"query":"{ hello }""#.to_owned(),
            " ".repeat(100),
            "}".to_owned(),
        ]
        .map(|chunk| Ok::<_, std::io::Error>(Bytes::from(chunk)));
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, JSON)
            .body(Body::from_stream(stream::iter(chunks)))
            .expect("a valid request");
        assert!(request.headers().get(header::CONTENT_LENGTH).is_none());
        let reply = send(small(), request).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(reply.codes(), ["PAYLOAD_TOO_LARGE"]);
    }

    #[tokio::test]
    async fn bodies_within_the_limit_run() {
        let body = r#"{"query":"{ hello }"}"#;
        assert!(body.len() <= 64);
        let reply = send(small(), post_json(Some(GQL), body)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }

    #[tokio::test]
    async fn the_default_limit_is_one_mebibyte() {
        assert_eq!(HttpConfig::default().max_body_bytes, 1024 * 1024);
        let padding = " ".repeat(1024 * 1024);
        let body = format!(r#"{{"query":"{{ hello }}"{padding}}}"#);
        let reply = send(app(), post_json(None, body)).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}

mod graphiql {
    use super::*;

    const CHROMIUM_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,\
                                   image/avif,image/webp,image/apng,*/*;q=0.8";

    #[tokio::test]
    async fn browsers_get_the_page() {
        for accept in ["text/html", CHROMIUM_ACCEPT] {
            let reply = send(app(), get("/graphql", Some(accept))).await;
            assert_eq!(reply.status, StatusCode::OK);
            assert_eq!(reply.content_type(), "text/html; charset=utf-8");
            assert!(reply.text().contains("GraphiQL"));
            let csp = reply
                .header(header::CONTENT_SECURITY_POLICY)
                .expect("the page has a CSP");
            assert!(csp.contains("script-src 'self'"), "{csp}");
        }
    }

    #[tokio::test]
    async fn api_clients_never_get_the_page() {
        for accept in [None, Some("*/*"), Some(JSON), Some(GQL)] {
            let reply = send(app(), get_query("{ hello }", accept)).await;
            assert_eq!(reply.status, StatusCode::OK, "{accept:?}");
            assert_eq!(reply.json()["data"]["hello"], "Hello, GBA!");
        }
        // POST never serves HTML, whatever it accepts.
        let reply = send(app(), post_query(Some("text/html"), "{ hello }")).await;
        assert_eq!(reply.status, StatusCode::NOT_ACCEPTABLE);
    }

    #[tokio::test]
    async fn the_page_can_be_switched_off() {
        let off = || {
            app_with(HttpConfig {
                graphiql: false,
                ..HttpConfig::default()
            })
        };
        let reply = send(off(), get("/graphql", Some("text/html"))).await;
        assert_eq!(reply.status, StatusCode::NOT_ACCEPTABLE);
        let reply = send(off(), get("/graphql", Some(CHROMIUM_ACCEPT))).await;
        assert!(reply.content_type().starts_with(JSON));
        let reply = send(off(), get("/assets/graphiql-4.1.2/graphiql.min.js", None)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }

    /// Every file the page references is served, byte for byte, with its type and caching.
    #[tokio::test]
    async fn the_page_loads_only_served_local_files() {
        let page = send(app(), get("/graphql", Some("text/html"))).await;
        let references: Vec<&str> = page
            .text()
            .split(['"', '\''])
            .filter(|piece| piece.starts_with("assets/") || piece.contains("://"))
            .collect();
        assert_eq!(references.len(), 5, "{references:?}");
        let vendored = env!("CARGO_MANIFEST_DIR");
        for reference in references {
            assert!(!reference.contains("://"), "external reference {reference}");
            let reply = send(app(), get(&format!("/{reference}"), None)).await;
            assert_eq!(reply.status, StatusCode::OK, "{reference}");
            let expected_type = if reference.ends_with(".css") {
                "text/css; charset=utf-8"
            } else {
                "text/javascript; charset=utf-8"
            };
            assert_eq!(reply.content_type(), expected_type, "{reference}");
            assert_eq!(
                reply.header(header::X_CONTENT_TYPE_OPTIONS),
                Some("nosniff")
            );
            let cache = reply.header(header::CACHE_CONTROL).expect("cache headers");
            let on_disk = if let Some(own) = reference.strip_prefix("assets/labgraph/") {
                assert_eq!(cache, "no-cache", "{reference}");
                format!(
                    "{vendored}/assets/graphiql/{}",
                    own.replace("graphiql-", "")
                )
            } else {
                assert!(cache.contains("immutable"), "{reference}: {cache}");
                format!("{vendored}/assets/vendor/{}", &reference["assets/".len()..])
            };
            let expected = std::fs::read(&on_disk).expect("the vendored file exists");
            assert!(reply.body == expected, "{reference} differs from {on_disk}");
        }
    }
}

mod routes {
    use super::*;

    #[tokio::test]
    async fn schema_graphql_serves_the_sdl() {
        let reply = send(app(), get("/schema.graphql", None)).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.content_type(), "text/plain; charset=utf-8");
        assert_eq!(reply.text(), schema().sdl());
        assert!(reply.text().contains("type Query"));
    }

    #[tokio::test]
    async fn healthz_is_ok() {
        let reply = send(app(), get("/healthz", None)).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.content_type(), "application/json");
        assert_eq!(reply.text(), r#"{"status":"ok"}"#);
    }
}

mod cors {
    use super::*;

    const ALLOWED: &str = "https://explorer.example.org";

    fn preflight(origin: &str) -> Request<Body> {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/graphql")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
            .body(Body::empty())
            .expect("a valid request")
    }

    fn configured(origins: &[&str]) -> Router {
        app_with(HttpConfig {
            cors_origins: origins.iter().map(|origin| origin.to_string()).collect(),
            ..HttpConfig::default()
        })
    }

    #[tokio::test]
    async fn allowed_origins_pass_the_preflight() {
        let reply = send(configured(&[ALLOWED]), preflight(ALLOWED)).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            Some(ALLOWED)
        );
        let methods = reply
            .header(header::ACCESS_CONTROL_ALLOW_METHODS)
            .expect("allowed methods");
        assert!(methods.contains("POST"), "{methods}");
        let headers = reply
            .header(header::ACCESS_CONTROL_ALLOW_HEADERS)
            .expect("allowed headers");
        assert!(headers.contains("content-type"), "{headers}");

        let mut request = post_query(Some(GQL), "{ hello }");
        request
            .headers_mut()
            .insert(header::ORIGIN, ALLOWED.parse().expect("a valid header"));
        let reply = send(configured(&[ALLOWED]), request).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(
            reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            Some(ALLOWED)
        );
    }

    #[tokio::test]
    async fn other_origins_get_no_allow_origin() {
        for origin in [
            "https://evil.example",
            "https://explorer.example.org.evil.example",
        ] {
            let reply = send(configured(&[ALLOWED]), preflight(origin)).await;
            assert_eq!(
                reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
                None,
                "{origin}"
            );
        }
    }

    #[tokio::test]
    async fn no_origins_means_no_cors_headers() {
        let reply = send(app(), preflight(ALLOWED)).await;
        assert_eq!(reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), None);
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    }

    #[tokio::test]
    async fn a_listed_wildcard_allows_any_origin() {
        let reply = send(configured(&["*"]), preflight("https://anyone.example")).await;
        assert_eq!(reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
    }

    #[tokio::test]
    async fn invalid_entries_are_skipped_not_widened() {
        // A trailing slash never matches a browser's Origin; the valid entry still works.
        let app = || configured(&["https://bad.example/", ALLOWED]);
        let reply = send(app(), preflight("https://bad.example")).await;
        assert_eq!(reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), None);
        let reply = send(app(), preflight(ALLOWED)).await;
        assert_eq!(
            reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            Some(ALLOWED)
        );
    }
}
