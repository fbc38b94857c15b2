//! Shared support for labgraph's end-to-end tests: serve the app on a real loopback socket with
//! a fresh database seeded from graph-seed/, and post GraphQL to it.

use std::path::PathBuf;

use serde_json::Value;

/// A served labgraph on 127.0.0.1 with its own database; stopped when dropped.
#[derive(Debug)]
pub struct TestServer {
    pub url: String,
    runtime: Option<tokio::runtime::Runtime>,
    dir: PathBuf,
}

impl TestServer {
    /// Seeds a new database in a fresh directory and serves it on an ephemeral port.
    pub fn start(name: &str) -> TestServer {
        let dir = std::env::temp_dir().join(format!("labgraph-e2e-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the test directory");
        let runtime = tokio::runtime::Runtime::new().expect("start a tokio runtime");
        let config = labgraph_app::ServeConfig {
            db: dir.join("labgraph.db"),
            listen: "127.0.0.1:0".parse().expect("loopback address"),
            cors_origins: Vec::new(),
            schema: labgraph_app::SchemaConfig::default(),
            max_body_bytes: 1 << 20,
            quiet: true,
        };
        let server = runtime
            .block_on(labgraph_app::serve(config))
            .expect("serve the seeded graph");
        let url = format!("http://{}", server.addr);
        runtime.spawn(server.run());
        TestServer {
            url,
            runtime: Some(runtime),
            dir,
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
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
