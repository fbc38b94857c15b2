//! Runs the shared conformance suite on `EmbeddedStore`: each test its own file under the
//! target's temp dir, wiped at the start (and left after a failure, to inspect).

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use labgraph_store::{GraphStore, StoreError};
use labgraph_store_conformance::StoreHarness;
use labgraph_store_embedded::EmbeddedStore;

struct Embedded;

impl Embedded {
    fn file(test: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("embedded-conformance")
            .join(format!("{test}.redb"))
    }
}

#[async_trait]
impl StoreHarness for Embedded {
    async fn fresh(&self, test: &str) -> Result<Arc<dyn GraphStore>, StoreError> {
        let file = Self::file(test);
        let dir = file.parent().expect("the file has a directory");
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", dir.display())))?;
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::Unavailable(format!("{}: {e}", file.display()))),
        }
        Ok(Arc::new(EmbeddedStore::open(&file).await?))
    }

    async fn reopen(&self, test: &str) -> Result<Arc<dyn GraphStore>, StoreError> {
        Ok(Arc::new(EmbeddedStore::open(Self::file(test)).await?))
    }
}

labgraph_store_conformance::suite!(Embedded);
