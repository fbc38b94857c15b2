//! GraphQL over HTTP: the axum [`Router`] that serves any async-graphql schema (or the
//! labgraph schema, see [`HttpSchema`]) by the GraphQL-over-HTTP spec, with GraphiQL served from the binary itself.
//!
//! # Routes
//!
//! | route | what it answers |
//! |---|---|
//! | `POST /graphql` | one operation in an `application/json` body |
//! | `GET /graphql` | one query from URL parameters; GraphiQL when the client asks for `text/html` |
//! | `GET /schema.graphql` | the schema as SDL, `text/plain` |
//! | `GET /healthz` | `200 {"status":"ok"}` |
//! | `GET /assets/...` | GraphiQL's vendored files (see `crates/api/assets/README.md`) |
//!
//! # Why a handler of our own
//!
//! A stock async-graphql-axum server fails the spec's `graphql-http` audit (measurements in
//! `shared/notes/graphql-http.md`): it ignores `Accept`, runs mutations over GET, answers
//! request errors with 200 and `"data": null`, and accepts batches, which bypass the
//! per-operation depth and complexity limits. The `graphql` module sits in front of
//! [`HttpSchema::execute`] and fixes each of these.
//!
//! # Error codes
//!
//! Every error this layer writes carries a stable `extensions.code`; clients match on codes,
//! never on messages:
//!
//! | code | status | when |
//! |---|---|---|
//! | `BAD_REQUEST` | 400 | malformed JSON, missing or mistyped `query`/`variables`/`operationName`/`extensions` |
//! | `BATCH_NOT_SUPPORTED` | 400 | a JSON array body |
//! | `METHOD_NOT_ALLOWED` | 405 | a mutation over GET (`Allow: POST`) |
//! | `NOT_ACCEPTABLE` | 406 | `Accept` admits no media type we produce |
//! | `PAYLOAD_TOO_LARGE` | 413 | body over [`HttpConfig::max_body_bytes`] |
//! | `UNSUPPORTED_MEDIA_TYPE` | 415 | a POST that is not `application/json` |
//! | `GRAPHQL_PARSE_FAILED` | 400¹ | the document does not parse |
//! | `GRAPHQL_VALIDATION_FAILED` | 400¹ | the document is invalid for the schema, or its variables do not coerce |
//! | `QUERY_TOO_DEEP` | 400¹ | the schema's depth limit (or async-graphql's recursion limit) rejected it |
//! | `QUERY_TOO_COMPLEX` | 400¹ | the schema's complexity limit rejected it |
//! | `INTERNAL_SERVER_ERROR` | 500 | the response could not be written; details only in the log |
//!
//! ¹ 400 under `application/graphql-response+json`; 200 under `application/json`, as the spec
//! asks for legacy clients. Either way these responses have no `data` key.
//!
//! Errors raised by resolvers keep the codes the schema gave them.

mod errors;
mod graphiql;
mod graphql;
mod negotiate;

use std::future::Future;
use std::time::Duration;

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ObjectType, Schema, SubscriptionType};
use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderValue, Method, header},
    response::IntoResponse,
    routing::get,
};
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    trace::TraceLayer,
};

/// What [`router`] needs of a schema: implemented by every async-graphql [`Schema`] and by
/// [`crate::schema::LabgraphSchema`], which wraps execution with its per-request snapshot and
/// error codes.
pub trait HttpSchema: Clone + Send + Sync + 'static {
    /// Parses a query text. The handler parses before executing (GET must know the operation's
    /// type first) and hands the document to [`HttpSchema::execute`] with the request.
    fn parse(&self, query: &str) -> Result<ExecutableDocument, async_graphql::parser::Error> {
        async_graphql::parser::parse_query(query)
    }

    /// Executes one request, which carries the document [`HttpSchema::parse`] gave.
    fn execute(
        &self,
        request: async_graphql::Request,
    ) -> impl Future<Output = async_graphql::Response> + Send;

    /// The schema in SDL.
    fn sdl(&self) -> String;
}

impl<Q, M, S> HttpSchema for Schema<Q, M, S>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    fn execute(
        &self,
        request: async_graphql::Request,
    ) -> impl Future<Output = async_graphql::Response> + Send {
        Schema::execute(self, request)
    }

    fn sdl(&self) -> String {
        Schema::sdl(self)
    }
}

/// How [`router`] serves the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// The largest request body accepted, in bytes; larger bodies get 413 `PAYLOAD_TOO_LARGE`.
    /// Default 1 MiB: a GraphQL document plus variables is kilobytes, and the limit bounds the
    /// memory one request can take before any GraphQL limit applies.
    pub max_body_bytes: usize,
    /// Browser origins allowed to call the API cross-origin, exactly as browsers send them in
    /// `Origin` (`https://explorer.example.org`, no path, no trailing slash). Empty means no
    /// CORS headers at all, so browsers keep the same-origin policy; `"*"` allows every
    /// origin and must be listed explicitly.
    pub cors_origins: Vec<String>,
    /// Whether `GET /graphql` with `Accept: text/html` answers with the GraphiQL page.
    pub graphiql: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            cors_origins: Vec::new(),
            graphiql: true,
        }
    }
}

/// A configuration [`router`] cannot honour as written.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HttpConfigError {
    /// An entry of `cors_origins` is not an origin browsers could send.
    #[error(
        "cors_origins entry {origin:?} is not an origin like \"https://example.org\" or \"http://localhost:5173\": {reason}"
    )]
    InvalidCorsOrigin {
        /// The entry as configured.
        origin: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// `max_body_bytes` is zero, which would refuse every POST.
    #[error("max_body_bytes must be at least 1")]
    ZeroBodyLimit,
}

impl HttpConfig {
    /// Checks the configuration so the app can refuse to start on a mistake; [`router`]
    /// cannot fail, so it skips (and logs) what this reports.
    pub fn validate(&self) -> Result<(), HttpConfigError> {
        if self.max_body_bytes == 0 {
            return Err(HttpConfigError::ZeroBodyLimit);
        }
        for origin in &self.cors_origins {
            check_origin(origin)?;
        }
        Ok(())
    }
}

/// Checks one `cors_origins` entry. Browsers compare `Origin` byte for byte, so an entry with
/// a path or a trailing slash would silently never match.
fn check_origin(origin: &str) -> Result<(), HttpConfigError> {
    let invalid = |reason| {
        Err(HttpConfigError::InvalidCorsOrigin {
            origin: origin.to_owned(),
            reason,
        })
    };
    if origin == "*" {
        return Ok(());
    }
    let Some((scheme, host)) = origin.split_once("://") else {
        return invalid("it has no scheme (http:// or https://)");
    };
    if scheme != "http" && scheme != "https" {
        return invalid("the scheme must be http or https");
    }
    if host.is_empty() {
        return invalid("it has no host");
    }
    if host.contains('/') {
        return invalid("an origin has no path, not even a trailing slash");
    }
    if HeaderValue::from_str(origin).is_err() || origin.chars().any(char::is_whitespace) {
        return invalid("it contains characters an Origin header cannot carry");
    }
    Ok(())
}

/// The router serving `schema` over HTTP: `/graphql` (POST + GET), `/schema.graphql` (the
/// SDL, text/plain), `/healthz`, GraphiQL for GETs accepting text/html, its assets under
/// `/assets/...`.
///
/// The request's HTTP headers are put in the GraphQL request data, so resolvers and guards
/// can read them with `ctx.data::<axum::http::HeaderMap>()` (e.g. `Authorization`).
pub fn router<E: HttpSchema>(schema: E, config: HttpConfig) -> Router {
    // The SDL cannot change while the process runs; render it once.
    let sdl = schema.sdl();
    let state = graphql::State::new(schema, config.graphiql, config.max_body_bytes);

    let mut router = Router::new()
        .route(
            "/graphql",
            get(graphql::graphql::<E>)
                .post(graphql::graphql::<E>)
                // The `Bytes` extractor in the handler enforces this and reports 413 itself.
                .layer(DefaultBodyLimit::max(config.max_body_bytes)),
        )
        .with_state(state)
        .route(
            "/schema.graphql",
            get(move || async move {
                (
                    [
                        (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                        (header::CACHE_CONTROL, "no-cache"),
                    ],
                    sdl,
                )
            }),
        )
        .route("/healthz", get(healthz));
    if config.graphiql {
        router = graphiql::routes(router);
    }
    if let Some(cors) = cors_layer(&config.cors_origins) {
        router = router.layer(cors);
    }
    // Outermost, so every request (including CORS preflights) gets a span for its logs.
    router.layer(TraceLayer::new_for_http())
}

/// Liveness: the process is up and serving HTTP.
async fn healthz() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        r#"{"status":"ok"}"#,
    )
}

/// The CORS layer for the configured origins, or none when the list is empty.
fn cors_layer(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let allow_origin = if origins.iter().any(|origin| origin == "*") {
        AllowOrigin::any()
    } else {
        let exact: Vec<HeaderValue> = origins
            .iter()
            .filter_map(|origin| match check_origin(origin) {
                Ok(()) => HeaderValue::from_str(origin).ok(),
                Err(error) => {
                    tracing::warn!(%error, "skipping a CORS origin");
                    None
                }
            })
            .collect();
        AllowOrigin::list(exact)
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::POST])
            // `content-type: application/json` makes every cross-origin POST preflighted;
            // `authorization` carries the editor/admin tokens.
            .allow_headers([header::CONTENT_TYPE, header::ACCEPT, header::AUTHORIZATION])
            // Spares a preflight per request; browsers cap this anyway (Chromium at 2 hours).
            .max_age(Duration::from_secs(600)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_browsers_send_are_valid() {
        for origin in ["*", "https://example.org", "http://localhost:5173"] {
            assert_eq!(check_origin(origin), Ok(()), "{origin}");
        }
    }

    #[test]
    fn origins_browsers_never_send_are_refused() {
        for origin in [
            "example.org",
            "https://example.org/",
            "https://example.org/app",
            "ftp://example.org",
            "https://",
            "https://exa mple.org",
        ] {
            assert!(check_origin(origin).is_err(), "{origin}");
        }
    }

    #[test]
    fn validate_reports_the_bad_entry() {
        let config = HttpConfig {
            cors_origins: vec!["https://ok.example".into(), "https://bad.example/".into()],
            ..HttpConfig::default()
        };
        let error = config.validate().expect_err("a trailing slash is invalid");
        assert!(
            error.to_string().contains("https://bad.example/"),
            "{error}"
        );
        let zero = HttpConfig {
            max_body_bytes: 0,
            ..HttpConfig::default()
        };
        assert_eq!(zero.validate(), Err(HttpConfigError::ZeroBodyLimit));
        assert_eq!(HttpConfig::default().validate(), Ok(()));
    }
}
