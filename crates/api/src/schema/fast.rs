//! A synchronous path through the selection sets of the common reads: a page of a root
//! connection, `search`, `node(id:)` and `nodes(ids:)` asking for the nodes' own fields.
//!
//! Why: async-graphql resolves every field of every object as a boxed future run by a
//! `FuturesUnordered` (one more allocation per field, a waker registration, an `IndexMap`
//! insert, and the frees of all of these), whether the resolver awaits anything or not.
//! Measured under `wrk`, a page of 20 institutions spent most of its time in that machinery
//! (`malloc`/`free`, `FuturesUnordered`, `AtomicWaker`), not in our resolvers. Here the same
//! fields are resolved by walking the selection set directly:
//!
//! - a *leaf* field (no sub-selection: a scalar, an enum or a list of them) is resolved by
//!   the type's own generated `resolve_field`, polled once: the very resolver the async path
//!   runs, so its answer cannot differ;
//! - an *object* field is resolved here (see each type's [`SyncObject::object_field`]) and
//!   its selection set walked in turn;
//! - fragments, aliases, repeated fields and `__typename` follow `Fields::add_set` and
//!   `insert_value` of async-graphql 7.2.1's `resolver_utils::container`.
//!
//! Anything else — an object field not handled here (relationships loaded through the
//! DataLoader, `edges`, analytics), a leaf whose resolver awaits (it is dropped unpolled
//! again), an error, a directive left after `@skip`/`@include` are applied — gives `None`,
//! and the whole root field is resolved by async-graphql as before. A root field is either
//! answered entirely here or entirely there, so answers (values, key order, errors) are the
//! async path's; `tests::both_paths_answer_alike` runs documents both ways.
//!
//! This relies on the schema having no async-graphql extension (see the module docs of
//! [`super`]): with one, every field would have to pass through it, and this path would
//! skip it.

use std::borrow::Cow;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll, Waker};

use async_graphql::indexmap::IndexMap;
use async_graphql::indexmap::map::Entry;
use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::registry::Registry;
use async_graphql::{
    ContainerType, Context, ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value,
};
use labgraph_domain::{Node, NodeAttrs};

use super::list::PageInfo;
use super::nodes::{
    City, Field as FieldNode, Institution, Lab, Names, NodeInterface, Person, Platform, Provenance,
};
use super::query::SearchHit;
use super::scope::RequestScope;

/// An object whose selection sets can be resolved synchronously.
pub(crate) trait SyncObject: ContainerType {
    /// The value of the object-valued field `ctx` selects (its sub-selection applied), or
    /// `None` when it must be resolved by async-graphql.
    fn object_field(&self, ctx: &Context<'_>) -> Option<Value>;

    /// A leaf answered without the generated resolver, where that saves work per item;
    /// `None` for the resolver to answer.
    fn quick_leaf(&self, _name: &str) -> Option<Value> {
        None
    }
}

/// A value whose selection set can be resolved synchronously: what [`Fast`] wraps.
pub(crate) trait SyncOutput {
    /// The value for the selection set of `ctx`, or `None` when some field needs the async
    /// path.
    fn resolve_sync(&self, ctx: &ContextSelectionSet<'_>) -> Option<Value>;
}

/// A root field's value, resolved synchronously when its whole selection allows and by
/// async-graphql otherwise. It is the wrapped type to GraphQL: the schema does not change.
pub struct Fast<T>(pub T);

impl<T> FromIterator<T> for Fast<Vec<T>> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        Fast(items.into_iter().collect())
    }
}

impl<T: OutputType + SyncOutput> OutputType for Fast<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.introspection_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        #[cfg(test)]
        let fast = ctx.data_opt::<tests::AsyncOnly>().is_none();
        #[cfg(not(test))]
        let fast = true;
        if fast && let Some(value) = self.0.resolve_sync(ctx) {
            #[cfg(test)]
            tests::TAKEN.with(|t| t.set(t.get() + 1));
            return Ok(value);
        }
        self.0.resolve(ctx, field).await
    }
}

/// The value of `object` for the selection set of `ctx`: null when no field applies, as
/// async-graphql answers.
pub(crate) fn object<T: SyncObject>(ctx: &ContextSelectionSet<'_>, object: &T) -> Option<Value> {
    // Sized for the selection up front: growing the map (entries and table) was a tenth of
    // the allocations of a page.
    let mut fields = IndexMap::with_capacity(ctx.item.node.items.len());
    collect(ctx, object, &mut fields)?;
    Some(if fields.is_empty() {
        Value::Null
    } else {
        Value::Object(fields)
    })
}

/// Adds the fields of the selection set of `ctx` to `out` (async-graphql's `Fields::add_set`).
fn collect<T: SyncObject>(
    ctx: &ContextSelectionSet<'_>,
    object: &T,
    out: &mut IndexMap<Name, Value>,
) -> Option<()> {
    for selection in &ctx.item.node.items {
        let (condition, selection_set) = match &selection.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                if field.node.name.node == "__typename" {
                    let name = object.introspection_type_name().into_owned();
                    insert(out, key, Value::String(name));
                    continue;
                }
                if !field.node.directives.is_empty() {
                    return None;
                }
                let ctx_field = ctx.with_field(field);
                let value = if field.node.selection_set.node.items.is_empty() {
                    match object.quick_leaf(&field.node.name.node) {
                        Some(value) => value,
                        None => leaf(object, &ctx_field)?,
                    }
                } else {
                    object.object_field(&ctx_field)?
                };
                insert(out, key, value);
                continue;
            }
            Selection::FragmentSpread(spread) => {
                let fragment = ctx
                    .query_env
                    .fragments
                    .get(&spread.node.fragment_name.node)?;
                (
                    Some(fragment.node.type_condition.node.on.node.as_str()),
                    &fragment.node.selection_set,
                )
            }
            Selection::InlineFragment(fragment) => (
                fragment
                    .node
                    .type_condition
                    .as_ref()
                    .map(|c| c.node.on.node.as_str()),
                &fragment.node.selection_set,
            ),
        };
        if applies(ctx, object, condition) {
            collect(&ctx.with_selection_set(selection_set), object, out)?;
        }
    }
    Some(())
}

/// Whether a fragment with `condition` applies to `object`: no condition, the object's own
/// type, or an interface it implements.
fn applies<T: OutputType>(
    ctx: &ContextSelectionSet<'_>,
    object: &T,
    condition: Option<&str>,
) -> bool {
    let Some(condition) = condition else {
        return true;
    };
    let name = object.introspection_type_name();
    *name == *condition
        || T::type_name() == condition
        || ctx
            .schema_env
            .registry
            .implements
            .get(&*name)
            .is_some_and(|interfaces| interfaces.contains(condition))
}

/// Puts a field's value under its response key; a key seen before is merged into the first
/// value (async-graphql's `insert_value`).
fn insert(target: &mut IndexMap<Name, Value>, key: Name, value: Value) {
    // One hash of the key, not a lookup and then an insert.
    let previous = match target.entry(key) {
        Entry::Vacant(vacant) => {
            vacant.insert(value);
            return;
        }
        Entry::Occupied(occupied) => occupied.into_mut(),
    };
    match (previous, value) {
        (Value::Object(previous), Value::Object(object)) => {
            for (key, value) in object {
                insert(previous, key, value);
            }
        }
        (Value::List(previous), Value::List(list)) => {
            for (idx, value) in list.into_iter().enumerate() {
                if let (Some(Value::Object(previous)), Value::Object(object)) =
                    (previous.get_mut(idx), value)
                {
                    for (key, value) in object {
                        insert(previous, key, value);
                    }
                }
            }
        }
        _ => {}
    }
}

/// A leaf field by the object's own resolver, when it answers without waiting.
fn leaf<T: ContainerType>(object: &T, ctx: &Context<'_>) -> Option<Value> {
    let mut resolving = pin!(object.resolve_field(ctx));
    match resolving
        .as_mut()
        .poll(&mut TaskContext::from_waker(Waker::noop()))
    {
        Poll::Ready(Ok(Some(value))) => Some(value),
        // Errors, unknown fields and waiting resolvers are the async path's to handle.
        _ => None,
    }
}

/// The selection set below the field of `ctx`.
fn below<'a>(ctx: &'a Context<'a>) -> ContextSelectionSet<'a> {
    let selection_set: &'a Positioned<SelectionSet> = &ctx.item.node.selection_set;
    ctx.with_selection_set(selection_set)
}

/// An object-valued field's value.
pub(crate) fn one<T: SyncObject>(ctx: &Context<'_>, value: &T) -> Option<Value> {
    object(&below(ctx), value)
}

/// A nullable object-valued field's value.
pub(crate) fn optional<T: SyncObject>(ctx: &Context<'_>, value: Option<&T>) -> Option<Value> {
    match value {
        Some(value) => one(ctx, value),
        None => Some(Value::Null),
    }
}

/// A list of objects' value.
pub(crate) fn list<'a, T: SyncObject + 'a>(
    ctx: &Context<'_>,
    items: impl IntoIterator<Item = &'a T>,
) -> Option<Value> {
    let ctx = below(ctx);
    items
        .into_iter()
        .map(|item| object(&ctx, item))
        .collect::<Option<Vec<Value>>>()
        .map(Value::List)
}

/// A `Node`'s value: the object of its concrete type.
fn node_value(ctx: &ContextSelectionSet<'_>, node: &NodeInterface) -> Option<Value> {
    match node {
        NodeInterface::Institution(n) => object(ctx, n),
        NodeInterface::Lab(n) => object(ctx, n),
        NodeInterface::Person(n) => object(ctx, n),
        NodeInterface::City(n) => object(ctx, n),
        NodeInterface::Field(n) => object(ctx, n),
        NodeInterface::Platform(n) => object(ctx, n),
    }
}

/// The object-valued fields every node type answers here; the rest go the async way.
fn node_object_field(node: &Arc<Node>, ctx: &Context<'_>) -> Option<Value> {
    match (ctx.item.node.name.node.as_str(), &node.attrs) {
        ("names", _) => one(ctx, &Names::of(node)),
        ("provenance", _) => one(ctx, &Provenance::from(&node.provenance)),
        // As `InstitutionFields::city`.
        ("city", NodeAttrs::Institution(attrs)) => {
            let scope = RequestScope::of(ctx).ok()?;
            let city = attrs
                .city
                .as_ref()
                .and_then(|c| scope.graph.node(c.as_str()))
                .and_then(City::of);
            optional(ctx, city.as_ref())
        }
        _ => None,
    }
}

macro_rules! sync_node {
    ($($ty:ident),*) => {$(
        impl SyncObject for $ty {
            fn object_field(&self, ctx: &Context<'_>) -> Option<Value> {
                node_object_field(self.node(), ctx)
            }

            fn quick_leaf(&self, name: &str) -> Option<Value> {
                // The `id` resolver formats the id into an `ID`, which is then copied into
                // the value: one copy instead, on every node of every page.
                (name == "id").then(|| Value::String(self.node().id.as_str().to_owned()))
            }
        }
    )*};
}

sync_node!(Institution, Lab, Person, City, FieldNode, Platform);

/// Objects whose fields are all leaves.
macro_rules! sync_leaves {
    ($($ty:ty),*) => {$(
        impl SyncObject for $ty {
            fn object_field(&self, _ctx: &Context<'_>) -> Option<Value> {
                None
            }
        }
    )*};
}

sync_leaves!(Names, Provenance, PageInfo);

impl SyncObject for SearchHit {
    fn object_field(&self, ctx: &Context<'_>) -> Option<Value> {
        match ctx.item.node.name.node.as_str() {
            "node" => node_value(&below(ctx), &self.node),
            _ => None,
        }
    }
}

impl SyncOutput for Arc<[SearchHit]> {
    fn resolve_sync(&self, ctx: &ContextSelectionSet<'_>) -> Option<Value> {
        self.iter()
            .map(|hit| object(ctx, hit))
            .collect::<Option<Vec<Value>>>()
            .map(Value::List)
    }
}

impl SyncOutput for Option<NodeInterface> {
    fn resolve_sync(&self, ctx: &ContextSelectionSet<'_>) -> Option<Value> {
        match self {
            Some(node) => node_value(ctx, node),
            None => Some(Value::Null),
        }
    }
}

impl SyncOutput for Vec<Option<NodeInterface>> {
    fn resolve_sync(&self, ctx: &ContextSelectionSet<'_>) -> Option<Value> {
        self.iter()
            .map(|node| node.resolve_sync(ctx))
            .collect::<Option<Vec<Value>>>()
            .map(Value::List)
    }
}

/// The synchronous path of a root connection and its edge type (used by `list::connection!`,
/// where their fields are visible).
macro_rules! sync_connection {
    ($conn:ident, $edge:ident) => {
        impl $crate::schema::fast::SyncObject for $conn {
            fn object_field(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> Option<async_graphql::Value> {
                match ctx.item.node.name.node.as_str() {
                    "edges" => $crate::schema::fast::list(ctx, &self.edges),
                    "nodes" => $crate::schema::fast::list(ctx, self.edges.iter().map(|e| &e.node)),
                    "pageInfo" => $crate::schema::fast::one(ctx, &self.page_info),
                    _ => None,
                }
            }
        }

        impl $crate::schema::fast::SyncObject for $edge {
            fn object_field(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> Option<async_graphql::Value> {
                match ctx.item.node.name.node.as_str() {
                    "node" => $crate::schema::fast::one(ctx, &self.node),
                    _ => None,
                }
            }

            fn quick_leaf(&self, name: &str) -> Option<async_graphql::Value> {
                // The resolver's `String` would be copied into the value; moved instead.
                (name == "cursor").then(|| async_graphql::Value::String(self.encoded_cursor()))
            }
        }

        impl $crate::schema::fast::SyncOutput for $conn {
            fn resolve_sync(
                &self,
                ctx: &async_graphql::ContextSelectionSet<'_>,
            ) -> Option<async_graphql::Value> {
                $crate::schema::fast::object(ctx, self)
            }
        }
    };
}
pub(crate) use sync_connection;

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::path::Path;
    use std::sync::Arc;

    use async_graphql::{Request, Variables};
    use labgraph_store::{GraphService, MemoryStore};

    use crate::schema::{LabgraphSchema, SchemaConfig, build_schema};

    /// Request data that turns the synchronous path off: the reference to compare it with.
    pub(crate) struct AsyncOnly;

    thread_local! {
        /// Root fields answered by the synchronous path on this thread.
        pub(crate) static TAKEN: Cell<usize> = const { Cell::new(0) };
    }

    async fn schema_over(changes: labgraph_domain::ChangeSet) -> LabgraphSchema {
        let service = GraphService::open(Arc::new(MemoryStore::new()))
            .await
            .expect("a memory store opens");
        service.apply(changes).await.expect("the graph is valid");
        build_schema(Arc::new(service), &SchemaConfig::default())
    }

    /// The graph of `graph-seed/`, as the server seeds a new store.
    async fn seed_schema() -> LabgraphSchema {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
        let parsed = labgraph_io::read_files(&[dir]).expect("graph-seed/ parses");
        schema_over(parsed.changes).await
    }

    /// A small synthetic graph: people, collaborations and generated names.
    async fn synthetic_schema() -> LabgraphSchema {
        let mut buf = Vec::new();
        let params = labgraph_io::synthetic::Params::new(40, 300, 3);
        labgraph_io::synthetic::write_synthetic(&params, &mut buf).expect("generates");
        let text = String::from_utf8(buf).expect("UTF-8");
        let parsed = labgraph_io::read_str("synthetic.jsonl", &text, labgraph_io::Format::Jsonl)
            .expect("the synthetic graph parses");
        schema_over(parsed.changes).await
    }

    /// Runs `query` both ways; returns how many root fields took the synchronous path.
    async fn both_ways(
        schema: &LabgraphSchema,
        query: &str,
        variables: &serde_json::Value,
    ) -> usize {
        let request = || Request::new(query).variables(Variables::from_json(variables.clone()));
        // Once to fill the per-version caches: a root field that waits (an index being built,
        // an analytics computation) is answered after those that do not, and so comes later
        // in the response; with everything cached, both ways see no wait.
        schema.execute(request().data(AsyncOnly)).await;
        let reference = schema.execute(request().data(AsyncOnly)).await;
        TAKEN.with(|t| t.set(0));
        let fast = schema.execute(request()).await;
        let taken = TAKEN.with(Cell::get);
        let json = |r: &async_graphql::Response| serde_json::to_string(r).expect("serialises");
        assert_eq!(json(&fast), json(&reference), "{query}");
        taken
    }

    /// Documents exercising what the synchronous path handles itself (and what it hands on).
    const DOCUMENTS: &[(&str, &str)] = &[
        (
            "page",
            "{ institutions(first: 20, where: { region: [GD_PRD], crossBorder: true }) { totalCount edges { cursor node { id names { en } } } } }",
        ),
        (
            "every node field, aliases, __typename everywhere",
            r#"query($lang: Lang) { __typename a: institutions(first: 7) { __typename totalCount
                pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
                edges { __typename cursor node { __typename id kind name n2: name(lang: $lang)
                  names { __typename zhHans zhHant en pt short aliases }
                  provenance { __typename source date verified synthetic }
                  regions jurisdictions institutionKind shortName website
                  city { __typename id name(lang: ZH_HANT) region jurisdiction inGba lat lon adcode } } }
                nodes { id } }
              labs(first: 9, orderBy: { field: NAME, direction: DESC }) { edges { node {
                id labKind category batchYear founded status tieClass crossBorder regions } } }
              cities(first: 30) { nodes { id region jurisdiction inGba lat lon adcode names { en } } }
              fields(first: 30) { nodes { id group kind provenance { verified } } }
              platforms(first: 30) { nodes { id platformKind established jurisdictions } }
              people(first: 5, last: 3) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { id name regions } } }"#,
        ),
        (
            "repeated fields and fragments merge",
            r#"{ institutions(first: 3) { edges { cursor } edges { node { id } } edges { node { names { en } id } }
                 ... on InstitutionConnection { totalCount } ...More }
               search(text: "university", first: 6) { ...Hit node { ... on Node { kind } ... on Lab { labKind } } } }
               fragment More on InstitutionConnection { pageInfo { endCursor } edges { node { ...Named } } }
               fragment Named on Node { name names { zhHans } }
               fragment Hit on SearchHit { score matched node { id __typename ... on Institution { institutionKind } } }"#,
        ),
        (
            "no field applies: null",
            r#"{ node(id: "cuhk") { ... on Lab { id } } nodes(ids: ["cuhk", "nowhere", "hku"]) { ... on City { id } } }"#,
        ),
        (
            "node and nodes",
            r#"{ node(id: "cuhk") { id ... on Institution { names { en zhHans } institutionKind city { id } } }
               missing: node(id: "nowhere") { id }
               nodes(ids: ["hku", "nowhere", "guangzhou"]) { id kind ... on City { inGba } } }"#,
        ),
        (
            "skip and include",
            r#"query($yes: Boolean!) { institutions(first: 2) { totalCount @skip(if: $yes)
                 edges @include(if: $yes) { cursor @skip(if: $yes) node { id @include(if: $yes) } } } }"#,
        ),
        (
            "relationships go the async way",
            r#"{ institutions(first: 5) { edges { node { id labs { id } } } }
                 labs(first: 5) { nodes { id partners { role institution { id } } cities { id } } }
                 fields(first: 5) { nodes { id parent { id } children { id } } } }"#,
        ),
        (
            "search kinds",
            r#"{ search(text: "lab", kinds: [LAB, PLATFORM], first: 8) { score matched node { id name(lang: EN) } } }"#,
        ),
    ];

    #[tokio::test]
    async fn both_paths_answer_alike() {
        let vars = serde_json::json!({ "lang": "ZH_HANS", "yes": true });
        for schema in [seed_schema().await, synthetic_schema().await] {
            let first = schema
                .execute("{ institutions(first: 1) { edges { node { id } } } }")
                .await;
            assert!(first.errors.is_empty(), "{:?}", first.errors);
            let mut taken = 0;
            for (label, query) in DOCUMENTS {
                let n = both_ways(&schema, query, &vars).await;
                if *label == "relationships go the async way" {
                    assert_eq!(n, 0, "{label}");
                } else {
                    assert!(n > 0, "{label}: the synchronous path was not taken");
                }
                taken += n;
            }
            assert!(taken > 0);
            let vars = serde_json::json!({ "yes": false, "lang": null });
            both_ways(&schema, DOCUMENTS[5].1, &vars).await;
            both_ways(&schema, DOCUMENTS[1].1, &vars).await;
        }
    }

    /// Every committed `queries/` document, both ways.
    #[tokio::test]
    async fn committed_queries_answer_alike() {
        let schema = seed_schema().await;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../queries");
        let mut documents: Vec<_> = std::fs::read_dir(&dir)
            .expect("queries/ exists")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "graphql"))
            .collect();
        documents.sort();
        assert!(!documents.is_empty());
        for path in documents {
            let query = std::fs::read_to_string(&path).expect("readable");
            let vars_path = path.with_extension("variables.json");
            let vars = match std::fs::read_to_string(&vars_path) {
                Ok(text) => serde_json::from_str(&text).expect("variables are JSON"),
                Err(_) => serde_json::json!({}),
            };
            both_ways(&schema, &query, &vars).await;
        }
    }
}
