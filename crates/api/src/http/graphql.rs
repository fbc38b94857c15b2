//! The `/graphql` handler: turns one HTTP request into one GraphQL operation and its result
//! into a response with the status and media type the GraphQL-over-HTTP spec asks for.

use std::collections::BTreeMap;

use async_graphql::{
    Positioned, ServerError, Value, Variables,
    parser::types::{DocumentOperations, ExecutableDocument, OperationDefinition, OperationType},
};
use axum::{
    body::Bytes,
    extract::{
        FromRequest, Query, Request,
        rejection::{BytesRejection, FailedToBufferBody},
    },
    http::{HeaderValue, Method, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

use super::{
    HttpSchema,
    errors::{self, HttpError},
    graphiql,
    negotiate::{self, MediaType},
};

/// What the handler needs from [`super::router`].
#[derive(Clone)]
pub(crate) struct State<E> {
    schema: E,
    graphiql: bool,
    max_body_bytes: usize,
}

impl<E> State<E> {
    pub(crate) fn new(schema: E, graphiql: bool, max_body_bytes: usize) -> Self {
        Self {
            schema,
            graphiql,
            max_body_bytes,
        }
    }
}

/// `GET` and `POST /graphql`.
pub(crate) async fn graphql<E: HttpSchema>(
    axum::extract::State(state): axum::extract::State<State<E>>,
    request: Request,
) -> Response {
    let mut response = match handle(&state, request).await {
        Ok(response) => response,
        Err((error, media_type)) => error.into_response_as(media_type),
    };
    // The same URL answers JSON or the GraphiQL page depending on `Accept`; caches must key
    // on it.
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept"));
    response
}

/// A refusal, with the media type to write it in when negotiation got that far.
type Refusal = (HttpError, Option<MediaType>);

async fn handle<E: HttpSchema>(state: &State<E>, request: Request) -> Result<Response, Refusal> {
    // axum answers HEAD with the GET handler (and drops the body).
    let is_get = matches!(*request.method(), Method::GET | Method::HEAD);
    let media_type = negotiate::negotiate(request.headers(), is_get && state.graphiql)
        .ok_or((HttpError::NotAcceptable, None))?;
    if media_type == MediaType::Html {
        return Ok(graphiql::page());
    }
    let refuse = |error| (error, Some(media_type));

    let headers = request.headers().clone();
    let params = if is_get {
        Params::from_url(request.uri())
    } else {
        if !negotiate::is_json_body(&headers) {
            return Err(refuse(HttpError::UnsupportedMediaType));
        }
        let body = read_body(request, state.max_body_bytes)
            .await
            .map_err(refuse)?;
        Params::from_json(&body)
    }
    .map_err(refuse)?;

    let mut graphql_request = params.into_graphql_request().map_err(refuse)?.data(headers);
    // Parse here rather than in `execute`: GET needs the operation's type before anything
    // runs, and a parse failure is the one request error we can name for certain. The
    // document is handed to the request afterwards, so it is parsed only once.
    let document = match state.schema.parse(&graphql_request.query) {
        Ok(document) => document,
        Err(error) => {
            let mut error = ServerError::from(error);
            errors::set_code(&mut error, errors::GRAPHQL_PARSE_FAILED);
            return request_error(media_type, &[error], &BTreeMap::new()).map_err(refuse);
        }
    };
    if let Some(operation) =
        selected_operation(&document, graphql_request.operation_name.as_deref())
    {
        match operation.node.ty {
            OperationType::Mutation if is_get => {
                return Err(refuse(HttpError::MutationOverGet));
            }
            OperationType::Subscription => {
                return Err(refuse(HttpError::BadRequest(
                    "subscriptions are not served over HTTP POST or GET".to_owned(),
                )));
            }
            _ => {}
        }
        let missing = missing_required_variables(operation, &graphql_request.variables);
        if !missing.is_empty() {
            return request_error(media_type, &missing, &BTreeMap::new()).map_err(refuse);
        }
    }
    graphql_request.set_parsed_query(document);

    let mut result = state.schema.execute(graphql_request).await;

    // A request error stops the operation before execution starts: there is no data and no
    // error points into the result. (A field error that nulls the whole result still has a
    // path, and is an execution result like any other.)
    let before_execution = result.data == Value::Null
        && !result.errors.is_empty()
        && result.errors.iter().all(|error| error.path.is_empty());
    let mut response = if before_execution {
        result.errors.iter_mut().for_each(errors::classify);
        request_error(media_type, &result.errors, &result.extensions)
    } else {
        write(
            media_type,
            StatusCode::OK,
            &Body {
                errors: &result.errors,
                data: Some(&result.data),
                extensions: &result.extensions,
            },
        )
    }
    .map_err(refuse)?;

    // Headers resolvers set through `ctx.insert_http_header`, and the schema's cache hints
    // for results that are entirely successful (as async-graphql-axum does).
    let headers = response.headers_mut();
    for (name, value) in &result.http_headers {
        headers.append(name, value.clone());
    }
    if result.errors.is_empty()
        && let Some(cache_control) = result.cache_control.value()
        && let Ok(value) = HeaderValue::from_str(&cache_control)
    {
        headers.insert(header::CACHE_CONTROL, value);
    }
    Ok(response)
}

/// The spec's status for a request error: 400 when the client understands
/// `application/graphql-response+json`; 200 for legacy `application/json` clients.
fn request_error_status(media_type: MediaType) -> StatusCode {
    match media_type {
        MediaType::GraphqlResponseJson => StatusCode::BAD_REQUEST,
        MediaType::Json | MediaType::Html => StatusCode::OK,
    }
}

/// Reads the body within the configured limit (enforced by `DefaultBodyLimit`, which the
/// `Bytes` extractor honours, also for bodies without `Content-Length`).
async fn read_body(request: Request, limit: usize) -> Result<Bytes, HttpError> {
    match Bytes::from_request(request, &()).await {
        Ok(bytes) => Ok(bytes),
        Err(BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_))) => {
            Err(HttpError::PayloadTooLarge { limit })
        }
        Err(rejection) => Err(HttpError::BadRequest(format!(
            "could not read the request body: {rejection}"
        ))),
    }
}

/// The operation a request would run, when the document and the operation name select one
/// (otherwise validation reports why, and nothing runs).
fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), None) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        _ => None,
    }
}

/// The spec's variable coercion for non-null variables, which async-graphql 7.2.1 skips: it
/// runs `query($id: ID!)` with `id` missing or null and reports the problem (if the
/// variable is used at all) as a field error after execution has started. A non-null
/// variable without a default must be given, and never as null, before anything runs.
/// (Values of the wrong type are caught by async-graphql's validation, which checks each
/// argument with the variables substituted.)
fn missing_required_variables(
    operation: &Positioned<OperationDefinition>,
    variables: &Variables,
) -> Vec<ServerError> {
    operation
        .node
        .variable_definitions
        .iter()
        .filter_map(|definition| {
            let name = definition.node.name.node.as_str();
            let ty = &definition.node.var_type.node;
            if ty.nullable {
                return None;
            }
            let message = match variables.get(name) {
                Some(Value::Null) => {
                    format!(r#"Variable "${name}" of non-null type "{ty}" must not be null."#)
                }
                None if definition.node.default_value.is_none() => {
                    format!(r#"Variable "${name}" of required type "{ty}" was not provided."#)
                }
                _ => return None,
            };
            let mut error = ServerError::new(message, Some(definition.pos));
            errors::set_code(&mut error, errors::GRAPHQL_VALIDATION_FAILED);
            Some(error)
        })
        .collect()
}

/// The answer to a request error: no `data` key, and the status the media type calls for.
fn request_error(
    media_type: MediaType,
    errors: &[ServerError],
    extensions: &BTreeMap<String, Value>,
) -> Result<Response, HttpError> {
    write(
        media_type,
        request_error_status(media_type),
        &Body {
            errors,
            data: None,
            extensions,
        },
    )
}

/// A GraphQL response body. Our own struct rather than `async_graphql::Response`'s
/// serialisation, so that a request error can omit `data` (the spec requires it absent, not
/// null) and `errors` come first, as the GraphQL spec recommends.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "<[ServerError]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, Value>,
}

fn write(
    media_type: MediaType,
    status: StatusCode,
    body: &Body<'_>,
) -> Result<Response, HttpError> {
    let bytes = serde_json::to_vec(body).map_err(|error| {
        tracing::error!(%error, "could not serialise a GraphQL response");
        HttpError::Internal
    })?;
    Ok((
        status,
        [(header::CONTENT_TYPE, media_type.content_type())],
        bytes,
    )
        .into_response())
}

/// The GraphQL-over-HTTP request parameters, checked for type.
#[derive(Debug)]
struct Params {
    query: String,
    operation_name: Option<String>,
    variables: Option<serde_json::Map<String, serde_json::Value>>,
    extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Params {
    /// From a POST body: one JSON object.
    fn from_json(body: &[u8]) -> Result<Self, HttpError> {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|error| {
            HttpError::BadRequest(format!("the request body is not valid JSON: {error}"))
        })?;
        let mut object = match value {
            serde_json::Value::Object(object) => object,
            serde_json::Value::Array(_) => return Err(HttpError::BatchNotSupported),
            _ => {
                return Err(HttpError::BadRequest(
                    "the request body must be a JSON object with a `query` string".to_owned(),
                ));
            }
        };
        let query = match object.remove("query") {
            Some(serde_json::Value::String(query)) => query,
            None | Some(serde_json::Value::Null) => return Err(missing_query()),
            Some(_) => {
                return Err(HttpError::BadRequest("`query` must be a string".to_owned()));
            }
        };
        let operation_name = match object.remove("operationName") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(name)) => Some(name),
            Some(_) => {
                return Err(HttpError::BadRequest(
                    "`operationName` must be a string or null".to_owned(),
                ));
            }
        };
        Ok(Self {
            query,
            operation_name,
            variables: optional_object("variables", object.remove("variables"))?,
            extensions: optional_object("extensions", object.remove("extensions"))?,
        })
    }

    /// From a GET's URL: `query`, `operationName`, and `variables` / `extensions` as JSON.
    fn from_url(uri: &Uri) -> Result<Self, HttpError> {
        let Query(pairs) =
            Query::<Vec<(String, String)>>::try_from_uri(uri).map_err(|rejection| {
                HttpError::BadRequest(format!(
                    "the URL query is malformed: {}",
                    rejection.body_text()
                ))
            })?;
        let mut query = None;
        let mut operation_name = None;
        let mut variables = None;
        let mut extensions = None;
        for (name, value) in pairs {
            let slot = match name.as_str() {
                "query" => &mut query,
                "operationName" => &mut operation_name,
                "variables" => &mut variables,
                "extensions" => &mut extensions,
                // Unknown parameters (cache busters and the like) are not ours to judge.
                _ => continue,
            };
            // Two values would leave the operation ambiguous; refuse rather than pick one.
            if slot.replace(value).is_some() {
                return Err(HttpError::BadRequest(format!(
                    "the URL parameter `{name}` is given more than once"
                )));
            }
        }
        let Some(query) = query else {
            return Err(missing_query());
        };
        Ok(Self {
            query,
            operation_name: operation_name.filter(|name| !name.is_empty()),
            variables: json_parameter("variables", variables)?,
            extensions: json_parameter("extensions", extensions)?,
        })
    }

    fn into_graphql_request(self) -> Result<async_graphql::Request, HttpError> {
        let mut request = async_graphql::Request::new(self.query);
        if let Some(name) = self.operation_name {
            request = request.operation_name(name);
        }
        if let Some(variables) = self.variables {
            request = request.variables(Variables::from_json(serde_json::Value::Object(variables)));
        }
        if let Some(extensions) = self.extensions {
            for (name, value) in extensions {
                let value = Value::from_json(value).map_err(|error| {
                    HttpError::BadRequest(format!("`extensions.{name}` is not usable: {error}"))
                })?;
                request.extensions.insert(name, value);
            }
        }
        Ok(request)
    }
}

fn missing_query() -> HttpError {
    HttpError::BadRequest("missing `query`: the request must carry a GraphQL document".to_owned())
}

/// A parameter that must be a JSON object when present; null counts as absent.
fn optional_object(
    name: &str,
    value: Option<serde_json::Value>,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, HttpError> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Object(object)) => Ok(Some(object)),
        Some(_) => Err(HttpError::BadRequest(format!(
            "`{name}` must be a JSON object or null"
        ))),
    }
}

/// A GET parameter carrying a JSON object; empty counts as absent.
fn json_parameter(
    name: &str,
    value: Option<String>,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, HttpError> {
    let Some(text) = value.filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    let value = serde_json::from_str(&text).map_err(|error| {
        HttpError::BadRequest(format!(
            "the URL parameter `{name}` is not valid JSON: {error}"
        ))
    })?;
    optional_object(name, Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(result: Result<Params, HttpError>) -> String {
        match result {
            Ok(params) => format!("ok {params:?}"),
            Err(error) => format!("{error:?}"),
        }
    }

    #[test]
    fn json_bodies_are_checked_for_shape() {
        assert!(code_of(Params::from_json(b"[]")).starts_with("BatchNotSupported"));
        assert!(code_of(Params::from_json(b"{")).contains("not valid JSON"));
        assert!(code_of(Params::from_json(b"\"{ a }\"")).contains("JSON object"));
        assert!(code_of(Params::from_json(br#"{"qeury":"{ a }"}"#)).contains("missing `query`"));
        assert!(code_of(Params::from_json(br#"{"query":1}"#)).contains("must be a string"));
        assert!(
            code_of(Params::from_json(br#"{"query":"{a}","variables":"x"}"#))
                .contains("`variables` must be")
        );
        assert!(
            code_of(Params::from_json(
                br#"{"query":"{a}","operationName":false}"#
            ))
            .contains("`operationName` must be")
        );
        let params = Params::from_json(
            br#"{"query":"{a}","variables":null,"operationName":null,"extensions":{"x":1}}"#,
        )
        .expect("a well-formed request");
        assert_eq!(params.query, "{a}");
        assert!(params.variables.is_none() && params.operation_name.is_none());
        assert!(params.extensions.is_some());
    }

    fn from_url(query: &str) -> Result<Params, HttpError> {
        Params::from_url(
            &format!("/graphql?{query}")
                .parse()
                .expect("a valid test URL"),
        )
    }

    #[test]
    fn url_parameters_are_checked_for_shape() {
        let params = from_url("query=%7Ba%7D&variables=%7B%22x%22%3A1%7D&_=123")
            .expect("a well-formed request");
        assert_eq!(params.query, "{a}");
        assert_eq!(
            params.variables.and_then(|v| v.get("x").cloned()),
            Some(serde_json::json!(1))
        );
        assert!(code_of(from_url("")).contains("missing `query`"));
        assert!(code_of(from_url("query=a&query=b")).contains("more than once"));
        assert!(code_of(from_url("query=a&variables=%7B")).contains("not valid JSON"));
        assert!(code_of(from_url("query=a&variables=1")).contains("JSON object"));
    }
}
