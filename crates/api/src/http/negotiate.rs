//! Media-type negotiation for `/graphql`: which of our representations the `Accept` header
//! admits, and whether a POST body's `Content-Type` is one we read.

use axum::http::{HeaderMap, header};

/// A representation `/graphql` can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaType {
    /// `application/graphql-response+json`: the spec's own type, whose status codes carry
    /// meaning (400 for request errors).
    GraphqlResponseJson,
    /// `application/json`: for legacy clients, which expect 200 for every GraphQL result.
    Json,
    /// The GraphiQL page, for browsers navigating to the endpoint.
    Html,
}

impl MediaType {
    /// The `Content-Type` of a response in this representation.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
            Self::Html => "text/html; charset=utf-8",
        }
    }

    fn essence(self) -> (&'static str, &'static str) {
        match self {
            Self::GraphqlResponseJson => ("application", "graphql-response+json"),
            Self::Json => ("application", "json"),
            Self::Html => ("text", "html"),
        }
    }
}

/// One media range of an `Accept` header, lower-cased, with its weight.
struct Range<'a> {
    kind: &'a str,
    subtype: &'a str,
    q: f32,
}

/// Picks the representation for a request, or `None` when `Accept` admits none (406).
///
/// The rules, in order:
/// - no `Accept` (or an empty one) means `application/json`, as the spec asks for clients
///   that predate `application/graphql-response+json`;
/// - the highest `q` wins, taking for each type the most specific range that matches it, so
///   `application/json;q=0, */*` refuses JSON;
/// - among equal weights, a type named explicitly beats one reached through a wildcard, and
///   `application/graphql-response+json` beats `application/json` beats HTML;
/// - a bare `*/*` gets `application/json` (what the spec recommends);
/// - HTML (GraphiQL) is offered only when `html` is set, and only to an `Accept` that names
///   `text/html` or `text/*`: API clients sending `*/*` must never get a web page.
pub(crate) fn negotiate(headers: &HeaderMap, html: bool) -> Option<MediaType> {
    let mut accept = String::new();
    for value in headers.get_all(header::ACCEPT) {
        // A header that is not even ASCII names nothing we produce.
        let Ok(value) = value.to_str() else {
            continue;
        };
        if !accept.is_empty() {
            accept.push(',');
        }
        accept.push_str(value);
    }
    let accept = accept.to_ascii_lowercase();
    let ranges: Vec<Range<'_>> = accept.split(',').filter_map(parse_range).collect();
    if ranges.is_empty() && accept.trim().is_empty() {
        return Some(MediaType::Json);
    }

    let mut candidates = vec![MediaType::GraphqlResponseJson, MediaType::Json];
    if html {
        candidates.push(MediaType::Html);
    }
    candidates
        .into_iter()
        .filter_map(|media_type| {
            let (q, specificity) = weigh(media_type, &ranges)?;
            let explicit = specificity > 0;
            if media_type == MediaType::Html && !explicit {
                return None;
            }
            // Tie-breaks: explicit beats wildcard; then our preference, which differs for a
            // wildcard-only match so that `*/*` gets plain JSON.
            let preference = match (media_type, explicit) {
                (MediaType::GraphqlResponseJson, true) => 3,
                (MediaType::Json, true) => 2,
                (MediaType::Html, _) => 1,
                (MediaType::Json, false) => 2,
                (MediaType::GraphqlResponseJson, false) => 1,
            };
            (q > 0.0).then_some((q, explicit, preference, media_type))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)))
        .map(|(.., media_type)| media_type)
}

/// The weight `Accept` gives `media_type` and how specific the deciding range was
/// (2 exact, 1 `type/*`, 0 `*/*`), or `None` when no range matches it.
fn weigh(media_type: MediaType, ranges: &[Range<'_>]) -> Option<(f32, u8)> {
    let (kind, subtype) = media_type.essence();
    ranges
        .iter()
        .filter_map(|range| {
            let specificity = match (range.kind, range.subtype) {
                (k, s) if k == kind && s == subtype => 2,
                (k, "*") if k == kind => 1,
                ("*", "*") => 0,
                _ => return None,
            };
            Some((specificity, range.q))
        })
        // The most specific range decides; among equally specific ones, the most generous.
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(specificity, q)| (q, specificity))
}

/// Parses one media range (`type/subtype;param=value;q=0.5`); `None` for a malformed one,
/// which is skipped rather than failing the whole header.
fn parse_range(range: &str) -> Option<Range<'_>> {
    let mut parts = range.split(';');
    let (kind, subtype) = parts.next()?.trim().split_once('/')?;
    let (kind, subtype) = (kind.trim(), subtype.trim());
    if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
        return None;
    }
    let mut q = 1.0;
    for param in parts {
        if let Some((name, value)) = param.split_once('=')
            && name.trim() == "q"
        {
            q = value
                .trim()
                .parse::<f32>()
                .ok()
                .filter(|q| (0.0..=1.0).contains(q))?;
        }
    }
    Some(Range { kind, subtype, q })
}

/// Whether a POST's `Content-Type` is `application/json` in UTF-8, the only body the spec
/// requires and the only one we read. A missing header is refused too: the spec asks for a
/// 4xx rather than a guess.
pub(crate) fn is_json_body(headers: &HeaderMap) -> bool {
    let Some(Ok(value)) = headers.get(header::CONTENT_TYPE).map(|v| v.to_str()) else {
        return false;
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return false;
    }
    parts.all(|param| match param.split_once('=') {
        Some((name, charset)) if name.trim().eq_ignore_ascii_case("charset") => charset
            .trim()
            .trim_matches('"')
            .eq_ignore_ascii_case("utf-8"),
        // Other parameters do not change how JSON is read.
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(values: &[&str], html: bool) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                header::ACCEPT,
                HeaderValue::from_str(value).expect("test headers are ASCII"),
            );
        }
        negotiate(&headers, html)
    }

    use MediaType::{GraphqlResponseJson as Gql, Html, Json};

    #[test]
    fn absent_or_any_accept_gets_plain_json() {
        assert_eq!(accept(&[], false), Some(Json));
        assert_eq!(accept(&[""], false), Some(Json));
        assert_eq!(accept(&["*/*"], true), Some(Json));
        assert_eq!(accept(&["application/*"], false), Some(Gql));
    }

    #[test]
    fn explicit_types_are_honoured() {
        assert_eq!(
            accept(&["application/graphql-response+json"], false),
            Some(Gql)
        );
        assert_eq!(accept(&["application/json"], true), Some(Json));
        assert_eq!(
            accept(
                &["application/json, application/graphql-response+json"],
                false
            ),
            Some(Gql)
        );
        assert_eq!(
            accept(
                &["application/graphql-response+json;q=0.5, application/json"],
                false
            ),
            Some(Json)
        );
        // GraphiQL's fetcher.
        assert_eq!(
            accept(&["application/json, multipart/mixed"], true),
            Some(Json)
        );
        assert_eq!(
            accept(
                &["application/json", "application/graphql-response+json"],
                false
            ),
            Some(Gql),
            "repeated Accept headers are one list"
        );
        assert_eq!(
            accept(&["Application/JSON; charset=utf-8"], false),
            Some(Json)
        );
    }

    #[test]
    fn zero_weight_refuses_even_through_a_wildcard() {
        assert_eq!(
            accept(
                &["application/json;q=0, application/graphql-response+json;q=0, */*"],
                false
            ),
            None
        );
        assert_eq!(
            accept(&["application/json;q=0, */*;q=0.1"], false),
            Some(Gql)
        );
    }

    #[test]
    fn unknown_types_are_not_acceptable() {
        assert_eq!(accept(&["text/plain"], true), None);
        assert_eq!(accept(&["text/html"], false), None);
        assert_eq!(accept(&["garbage"], false), None);
        assert_eq!(accept(&["application/json;q=2"], false), None);
    }

    #[test]
    fn browsers_navigating_get_html_only_when_offered() {
        let chromium = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,\
                        image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
        assert_eq!(accept(&[chromium], true), Some(Html));
        assert_eq!(accept(&[chromium], false), Some(Json));
        assert_eq!(accept(&["text/*"], true), Some(Html));
        assert_eq!(accept(&["application/json, text/html"], true), Some(Json));
    }

    fn content_type(value: Option<&str>) -> bool {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(value).expect("test headers are ASCII"),
            );
        }
        is_json_body(&headers)
    }

    #[test]
    fn only_utf8_json_bodies_are_read() {
        assert!(content_type(Some("application/json")));
        assert!(content_type(Some("application/json; charset=utf-8")));
        assert!(content_type(Some("Application/JSON; Charset=\"UTF-8\"")));
        assert!(!content_type(Some("application/json; charset=latin1")));
        assert!(!content_type(Some("text/plain")));
        assert!(!content_type(Some("application/graphql")));
        assert!(!content_type(Some("application/x-www-form-urlencoded")));
        assert!(!content_type(None));
    }
}
