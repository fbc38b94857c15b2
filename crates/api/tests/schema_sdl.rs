//! The committed SDL (`schema.graphql` at the repository root) is a snapshot others depend on:
//! this test fails when the schema drifts from it. `UPDATE_SNAPSHOTS=1` rewrites it.

use std::path::PathBuf;

#[test]
fn committed_sdl_matches_the_schema() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema.graphql");
    let current = labgraph_api::schema::sdl();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &current).expect("schema.graphql should be writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    assert!(
        committed == current,
        "schema.graphql differs from the schema; review the change and run \
         `UPDATE_SNAPSHOTS=1 cargo test -p labgraph-api --test schema_sdl` to accept it"
    );
}
