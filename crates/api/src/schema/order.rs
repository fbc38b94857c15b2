//! Puts the root fields of a response back in the order the query asked for them.
//!
//! Why: async-graphql 7.2.1 resolves the fields of an object in a `FuturesUnordered` and
//! inserts each value when its future completes (`resolver_utils::container`, upstream issue
//! async-graphql#612), so a root field that waits (an analytics computation on the blocking
//! pool) comes back after the fields that did not, and the order of the keys changes from one
//! run to the next. The GraphQL spec asks for the query's order, and clients and snapshots
//! compare responses as text. The root is where fields wait in practice (the analytics and
//! answers fields); nested objects whose fields wait on a first computation can still come
//! back reordered (noted in ARCHITECTURE.md).

use std::collections::HashSet;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{Name, Value};

/// Deepest nesting of fragment spreads followed; validation (which runs later) refuses
/// fragment cycles, but this runs before it.
const MAX_FRAGMENT_DEPTH: usize = 32;

/// The response keys of the root selection set of the operation `name` selects (the only
/// one when `name` is `None`), in query order without repeats; `None` when there is no such
/// operation (execution reports that) or when it selects a single field.
pub(crate) fn root_keys(document: &ExecutableDocument, name: Option<&str>) -> Option<Vec<Name>> {
    let operation = match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name)?,
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next()?,
        (DocumentOperations::Multiple(_), None) => return None,
    };
    // One root field cannot be out of order: skip the work (the common reads are these).
    if let [item] = operation.node.selection_set.node.items.as_slice()
        && matches!(item.node, Selection::Field(_))
    {
        return None;
    }
    let mut keys = Vec::new();
    let mut seen = HashSet::new();
    collect(
        document,
        &operation.node.selection_set.node,
        0,
        &mut keys,
        &mut seen,
    );
    Some(keys)
}

fn collect(
    document: &ExecutableDocument,
    set: &SelectionSet,
    depth: usize,
    keys: &mut Vec<Name>,
    seen: &mut HashSet<Name>,
) {
    if depth > MAX_FRAGMENT_DEPTH {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                if seen.insert(key.clone()) {
                    keys.push(key);
                }
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node) {
                    collect(
                        document,
                        &fragment.node.selection_set.node,
                        depth + 1,
                        keys,
                        seen,
                    );
                }
            }
            Selection::InlineFragment(inline) => {
                collect(
                    document,
                    &inline.node.selection_set.node,
                    depth + 1,
                    keys,
                    seen,
                );
            }
        }
    }
}

/// Reorders the keys of `data` (a response's `data`) to follow `keys`; keys not listed keep
/// their relative order after the listed ones. Costs one comparison per key when the order is
/// already right, which is the common case.
pub(crate) fn reorder_root(data: &mut Value, keys: &[Name]) {
    let Value::Object(map) = data else { return };
    let in_order = map
        .keys()
        .zip(keys.iter().filter(|k| map.contains_key(*k)))
        .all(|(a, b)| a == b);
    if in_order {
        return;
    }
    let mut old = std::mem::take(map);
    let mut ordered = IndexMap::with_capacity(old.len());
    for key in keys {
        if let Some(value) = old.shift_remove(key) {
            ordered.insert(key.clone(), value);
        }
    }
    ordered.extend(old);
    *map = ordered;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(query: &str, name: Option<&str>) -> Vec<String> {
        let document = async_graphql::parser::parse_query(query).expect("the test query parses");
        root_keys(&document, name)
            .expect("the operation exists")
            .iter()
            .map(|k| k.to_string())
            .collect()
    }

    #[test]
    fn root_keys_follow_aliases_fragments_and_operations() {
        assert_eq!(
            keys(
                "{ b: stats { nodes } a: node(id: \"x\") { id } ...F } fragment F on Query { c: stats { nodes } b: stats { nodes } }",
                None
            ),
            ["b", "a", "c"]
        );
        assert_eq!(
            keys(
                "query One { x: stats { nodes } } query Two { y: stats { nodes } z: stats { nodes } }",
                Some("Two")
            ),
            ["y", "z"]
        );
    }

    #[test]
    fn reorder_root_restores_the_query_order() {
        let mut data = Value::from_json(serde_json::json!({"b": 2, "extra": 9, "a": 1}))
            .expect("valid JSON value");
        let order = [Name::new("a"), Name::new("b")];
        reorder_root(&mut data, &order);
        let Value::Object(map) = data else {
            panic!("an object")
        };
        let got: Vec<&str> = map.keys().map(|k| k.as_str()).collect();
        assert_eq!(got, ["a", "b", "extra"]);
    }
}
