//! GraphiQL without internet: the page and the vendored GraphiQL, React and ReactDOM files,
//! embedded in the binary and served by the router (provenance in `assets/README.md`).

use axum::{
    Router,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};

/// The page's Content-Security-Policy: scripts, styles and requests only from this server,
/// so the page cannot reach the internet even if a vendored file tried to. GraphiQL sets
/// inline styles (React `style` props, CodeMirror), hence `'unsafe-inline'` for styles only.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'";

const PAGE: &str = include_str!("../../assets/graphiql/index.html");

/// One embedded file and how to serve it.
struct Asset {
    /// The route, under `/assets/`.
    path: &'static str,
    content_type: &'static str,
    /// Vendored files have the package version in their path, so a URL's content never
    /// changes and browsers may keep it for good; our own script changes with the crate.
    immutable: bool,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        path: "/assets/graphiql-4.1.2/graphiql.min.js",
        content_type: "text/javascript; charset=utf-8",
        immutable: true,
        bytes: include_bytes!("../../assets/vendor/graphiql-4.1.2/graphiql.min.js"),
    },
    Asset {
        path: "/assets/graphiql-4.1.2/graphiql.min.css",
        content_type: "text/css; charset=utf-8",
        immutable: true,
        bytes: include_bytes!("../../assets/vendor/graphiql-4.1.2/graphiql.min.css"),
    },
    Asset {
        path: "/assets/react-18.3.1/react.production.min.js",
        content_type: "text/javascript; charset=utf-8",
        immutable: true,
        bytes: include_bytes!("../../assets/vendor/react-18.3.1/react.production.min.js"),
    },
    Asset {
        path: "/assets/react-dom-18.3.1/react-dom.production.min.js",
        content_type: "text/javascript; charset=utf-8",
        immutable: true,
        bytes: include_bytes!("../../assets/vendor/react-dom-18.3.1/react-dom.production.min.js"),
    },
    Asset {
        path: "/assets/labgraph/graphiql-init.js",
        content_type: "text/javascript; charset=utf-8",
        immutable: false,
        bytes: include_bytes!("../../assets/graphiql/init.js"),
    },
];

/// Adds one route per asset. Exact routes rather than an `/assets/{*path}` wildcard, so
/// other routers (the web explorer's) can be merged with their own files under `/assets/`.
pub(crate) fn routes(mut router: Router) -> Router {
    for asset in ASSETS {
        let cache_control = if asset.immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let headers = [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, cache_control),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ];
        let bytes = asset.bytes;
        router = router.route(asset.path, get(move || async move { (headers, bytes) }));
    }
    router
}

/// The GraphiQL page. `no-cache` so a new binary's page (and its asset versions) is picked
/// up at once; it is small.
pub(crate) fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, PAGE_CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        PAGE,
    )
        .into_response()
}
