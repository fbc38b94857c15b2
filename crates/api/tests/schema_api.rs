//! The GraphQL schema executed against a real `GraphService` over a `MemoryStore` holding a
//! small graph of reference data: one module per area of the schema.

mod schema_api {
    pub mod fixture;
    mod limits;
    mod lists;
    mod lookup;
    mod neighbours;
    mod rollup;
    mod search;
}
