//! Shared support for labgraph's end-to-end tests: serve the app on a real loopback socket with
//! a fresh database seeded from graph-seed/ (an embedded file, or any configured store), and
//! post GraphQL to it.

use std::any::Any;
use std::path::PathBuf;

use labgraph_app::StoreLocation;

use serde_json::Value;

/// A served labgraph on 127.0.0.1 with its own database; stopped when dropped.
pub struct TestServer {
    pub url: String,
    /// Whatever the store needs kept alive (a Bolt bridge, say); dropped before the runtime.
    keep: Option<Box<dyn Any>>,
    runtime: Option<tokio::runtime::Runtime>,
    dir: Option<PathBuf>,
}

impl std::fmt::Debug for TestServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestServer")
            .field("url", &self.url)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl TestServer {
    /// Seeds a new embedded database in a fresh directory and serves it on an ephemeral port.
    pub fn start(name: &str) -> TestServer {
        let dir = std::env::temp_dir().join(format!("labgraph-e2e-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the test directory");
        let runtime = tokio::runtime::Runtime::new().expect("start a tokio runtime");
        let store = StoreLocation::Embedded(dir.join("labgraph.db"));
        let mut server = TestServer::start_in(runtime, store, None);
        server.dir = Some(dir);
        server
    }

    /// Serves `store` (seeded from graph-seed/ when new) on an ephemeral port in `runtime`.
    /// `keep` lives as long as the server: what the store needs running in that runtime.
    pub fn start_in(
        runtime: tokio::runtime::Runtime,
        store: StoreLocation,
        keep: Option<Box<dyn Any>>,
    ) -> TestServer {
        let config = labgraph_app::ServeConfig {
            store,
            listen: "127.0.0.1:0".parse().expect("loopback address"),
            cors_origins: Vec::new(),
            schema: labgraph_app::SchemaConfig::default(),
            max_body_bytes: 1 << 20,
            // An embedded file is never polled; a Neo4j store checks for other writers.
            poll_interval: Some(labgraph_app::defaults::POLL_INTERVAL),
            quiet: true,
        };
        let server = runtime
            .block_on(labgraph_app::serve(config))
            .expect("serve the seeded graph");
        let url = format!("http://{}", server.addr);
        runtime.spawn(server.run());
        TestServer {
            url,
            keep,
            runtime: Some(runtime),
            dir: None,
        }
    }

    /// POSTs one GraphQL operation and returns the response body.
    pub fn post(&self, query: &str, variables: Option<&Value>) -> Value {
        let mut body = serde_json::json!({ "query": query });
        if let Some(v) = variables {
            body["variables"] = v.clone();
        }
        let mut resp = ureq::post(&format!("{}/graphql", self.url))
            .header("Accept", "application/graphql-response+json")
            .config()
            .http_status_as_error(false)
            .build()
            .send_json(&body)
            .expect("POST /graphql");
        resp.body_mut().read_json().expect("a JSON response")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        drop(self.keep.take());
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
