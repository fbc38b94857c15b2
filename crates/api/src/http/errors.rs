//! The errors the HTTP layer answers by itself, before or instead of executing GraphQL, and
//! the stable codes it gives them and the request errors async-graphql reports without one.

use async_graphql::ServerError;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::negotiate::MediaType;

/// Codes for request errors async-graphql reports without one (see [`classify`]).
pub(crate) const GRAPHQL_PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub(crate) const GRAPHQL_VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
pub(crate) const QUERY_TOO_DEEP: &str = "QUERY_TOO_DEEP";
pub(crate) const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";

/// A request the HTTP layer refuses; each variant is one stable code and one status.
#[derive(Debug)]
pub(crate) enum HttpError {
    /// The body or the URL parameters are not a GraphQL request.
    BadRequest(String),
    /// A JSON array: batches bypass per-operation limits, so only single operations run.
    BatchNotSupported,
    /// A mutation over GET, which would let a cross-site link change data.
    MutationOverGet,
    /// `Accept` admits nothing we produce.
    NotAcceptable,
    /// The body is over the configured limit.
    PayloadTooLarge { limit: usize },
    /// A POST whose body is not UTF-8 `application/json`.
    UnsupportedMediaType,
    /// Something on our side failed; the details are logged, never sent.
    Internal,
}

impl HttpError {
    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::BatchNotSupported => StatusCode::BAD_REQUEST,
            Self::MutationOverGet => StatusCode::METHOD_NOT_ALLOWED,
            Self::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "BAD_REQUEST",
            Self::BatchNotSupported => "BATCH_NOT_SUPPORTED",
            Self::MutationOverGet => "METHOD_NOT_ALLOWED",
            Self::NotAcceptable => "NOT_ACCEPTABLE",
            Self::PayloadTooLarge { .. } => "PAYLOAD_TOO_LARGE",
            Self::UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
            Self::Internal => "INTERNAL_SERVER_ERROR",
        }
    }

    fn message(&self) -> String {
        match self {
            Self::BadRequest(message) => message.clone(),
            Self::BatchNotSupported => "batched requests are not supported: send one operation \
                                        per request, as a JSON object"
                .to_owned(),
            Self::MutationOverGet => {
                "mutations are not allowed over GET; send them with POST".to_owned()
            }
            Self::NotAcceptable => "the Accept header admits no type this endpoint produces; \
                                    accept application/graphql-response+json or application/json"
                .to_owned(),
            Self::PayloadTooLarge { limit } => {
                format!("the request body is larger than the limit of {limit} bytes")
            }
            Self::UnsupportedMediaType => {
                "a POST body must be JSON with Content-Type: application/json".to_owned()
            }
            Self::Internal => "internal server error".to_owned(),
        }
    }

    /// The response in the negotiated type; plain JSON when negotiation has not happened or
    /// failed (a 406 cannot honour `Accept` anyway).
    pub(crate) fn into_response_as(self, media_type: Option<MediaType>) -> Response {
        let media_type = match media_type {
            Some(MediaType::GraphqlResponseJson) => MediaType::GraphqlResponseJson,
            _ => MediaType::Json,
        };
        let body = serde_json::json!({
            "errors": [{
                "message": self.message(),
                "extensions": { "code": self.code() },
            }],
        });
        let mut response = (
            self.status(),
            [(header::CONTENT_TYPE, media_type.content_type())],
            body.to_string(),
        )
            .into_response();
        if matches!(self, Self::MutationOverGet) {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        response
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        self.into_response_as(None)
    }
}

/// Gives a request error (one raised before execution) a code when it has none.
///
/// async-graphql reports its depth and complexity limits as bare messages, with no code, no
/// location and no path, from `validation::check_rules` (`"Query is nested too deep."`,
/// `"Query is too complex."`); its parse-stage recursion limit reads `"The recursion depth of
/// the query cannot be greater than `N`"`. We recognise them by those exact texts, which is
/// safe because: async-graphql is pinned to `=7.2.1` in Cargo.toml; the limit errors are
/// checked before and instead of every validation rule, so a response that has one has only
/// that one; and `tests/http_graphql.rs` sets both limits and asserts these codes, so an
/// upgrade that rewords them fails the build instead of silently losing the codes.
/// Everything else from before execution is a validation failure (parse failures are caught
/// earlier, by the handler, and coded at that point).
pub(crate) fn classify(error: &mut ServerError) {
    if error
        .extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some())
    {
        return;
    }
    let code = match error.message.as_str() {
        "Query is nested too deep." => QUERY_TOO_DEEP,
        "Query is too complex." => QUERY_TOO_COMPLEX,
        message
            if message.starts_with("The recursion depth of the query cannot be greater than") =>
        {
            QUERY_TOO_DEEP
        }
        _ => GRAPHQL_VALIDATION_FAILED,
    };
    set_code(error, code);
}

/// Sets `extensions.code`, keeping any other extensions.
pub(crate) fn set_code(error: &mut ServerError, code: &'static str) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
}
