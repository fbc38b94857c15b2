//! The root connections (`institutions`, `labs`, `people`, `cities`, `fields`, `platforms`):
//! `where` filters, `orderBy`, opaque cursors and Relay pagination over one snapshot.
//!
//! Speed: with no condition, ordered by id and paging forward, a page walks the graph's
//! ordered id index from the cursor and takes `first + 1` nodes — nothing is materialised,
//! and the graph keeps the count. Otherwise the matches of the filter are collected in order
//! (O(n) checks for the n nodes of the kind, O(m log m) to sort m matches) into a list that a
//! small per-version memo keeps ([`ListMemo`]): `totalCount` is its length, and every page of
//! the same filter and order after the first is cut from it in O(log m + page).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_graphql::{ID, InputObject, Object, SimpleObject};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use labgraph_domain::{Graph, Id, Node, NodeAttrs, NodeKind};
use tokio::sync::OnceCell;

use super::analytics::{CentralityKind, Ranking};
use super::enums::{
    FieldGroup, InstitutionKind, Jurisdiction, LabKind, LabOrderField, LabStatus, NodeOrderField,
    OrderDirection, PlatformKind, PlatformOrderField, Region, TieClass,
};
use super::error::ApiError;
use super::facts::{Derived, Located, Locations, fields_of};
use super::nodes::{City, Field, Institution, Lab, Person, Platform};

/// Page size when neither `first` nor `last` is given.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 20;

/// Checks a page-size argument: negative is `VALIDATION_FAILED`, above `max` is
/// `PAGE_SIZE_EXCEEDED` (never clamped silently).
pub(crate) fn page_size(
    argument: &'static str,
    value: Option<i32>,
    max: usize,
) -> Result<Option<usize>, ApiError> {
    match value {
        None => Ok(None),
        Some(v) if v < 0 => Err(ApiError::validation(
            argument,
            format!("{v} is negative; a page size is 0 or more"),
        )),
        Some(v) => {
            let v = v as usize;
            if v > max {
                Err(ApiError::PageSizeExceeded {
                    argument,
                    requested: v,
                    max,
                })
            } else {
                Ok(Some(v))
            }
        }
    }
}

/// Complexity of a connection field: its children count once per requested item, so a page
/// of 100 costs 100 times a page of 1 (`first`, else `last`, else the default page size).
pub(crate) fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let n = first
        .or(last)
        .map_or(DEFAULT_PAGE_SIZE, |n| usize::try_from(n).unwrap_or(0));
    child_complexity.saturating_mul(n.max(1)).saturating_add(1)
}

/// Relay page information.
#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    /// True when items exist before this page (paging backward: more to fetch with `last`
    /// and `before: startCursor`; paging forward: there are items before `after`).
    pub has_previous_page: bool,
    /// True when items exist after this page (paging forward: more to fetch with `first`
    /// and `after: endCursor`; paging backward: there are items after `before`).
    pub has_next_page: bool,
    /// The cursor of the first item of this page.
    pub start_cursor: Option<String>,
    /// The cursor of the last item of this page.
    pub end_cursor: Option<String>,
}

/// Encodes cursor text as URL-safe base64: opaque to clients, safe in URLs.
pub(crate) fn encode_text(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

/// Decodes [`encode_text`]; `None` for anything that is not such a cursor.
pub(crate) fn decode_text(cursor: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(bytes).ok()
}

/// What a root connection is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SortField {
    Id,
    Name,
    Degree,
    BatchYear,
    Founded,
    Established,
    /// A centrality on the whole network of the connection's kind (see `analytics.rs`).
    Centrality(CentralityKind),
}

impl SortField {
    /// The name written into cursors, so a cursor of one order is refused by another.
    fn code(self) -> &'static str {
        match self {
            SortField::Id => "id",
            SortField::Name => "name",
            SortField::Degree => "degree",
            SortField::BatchYear => "batch_year",
            SortField::Founded => "founded",
            SortField::Established => "established",
            SortField::Centrality(kind) => kind.order_code(),
        }
    }
}

/// A resolved `orderBy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Order {
    pub(crate) field: SortField,
    pub(crate) desc: bool,
}

/// A node's sort key under one [`SortField`]; the id always follows as the tiebreak.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SortKey {
    /// Ordering by id: the id is the whole key.
    Id,
    Text(String),
    /// `None` (unknown) sorts last in both directions.
    Int(Option<i64>),
}

/// A node's sort key under `field`; `ranking` holds the ranks a centrality order reads
/// (`None` for other orders).
fn sort_key(graph: &Graph, node: &Node, field: SortField, ranking: Option<&Ranking>) -> SortKey {
    let year = |y: Option<i32>| SortKey::Int(y.map(i64::from));
    match (field, &node.attrs) {
        // The negated rank: higher scores sort higher, and scores the ranking counts as equal
        // are equal keys (then ordered by id), exactly as in the `centrality` connection. A
        // node outside the network sorts last.
        (SortField::Centrality(_), _) => SortKey::Int(
            ranking
                .and_then(|r| r.rank(node.id.as_str()))
                .map(|rank| -i64::try_from(rank).unwrap_or(i64::MAX)),
        ),
        (SortField::Id, _) => SortKey::Id,
        (SortField::Name, _) => {
            SortKey::Text(node.names.display().unwrap_or_default().to_lowercase())
        }
        (SortField::Degree, _) => SortKey::Int(Some(
            i64::try_from(graph.adjacent(node.id.as_str()).count()).unwrap_or(i64::MAX),
        )),
        (SortField::BatchYear, NodeAttrs::Lab(a)) => year(a.batch_year),
        (SortField::Founded, NodeAttrs::Lab(a)) => year(a.founded),
        (SortField::Established, NodeAttrs::Platform(a)) => year(a.established),
        _ => SortKey::Int(None),
    }
}

/// The total order of a connection: key (direction applied, unknowns last), then id —
/// descending with the key when ordering by id, ascending otherwise, so ties never reorder.
fn compare(order: Order, a: (&SortKey, &str), b: (&SortKey, &str)) -> Ordering {
    let dir = |o: Ordering| if order.desc { o.reverse() } else { o };
    let primary = match (a.0, b.0) {
        (SortKey::Text(x), SortKey::Text(y)) => dir(x.cmp(y)),
        (SortKey::Int(x), SortKey::Int(y)) => match (x, y) {
            (Some(x), Some(y)) => dir(x.cmp(y)),
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (None, None) => Ordering::Equal,
        },
        _ => Ordering::Equal,
    };
    primary.then_with(|| {
        if order.field == SortField::Id {
            dir(a.1.cmp(b.1))
        } else {
            a.1.cmp(b.1)
        }
    })
}

/// A decoded cursor: the sort key and id of the item it points at.
#[derive(Debug)]
struct Cursor {
    key: SortKey,
    id: String,
}

/// `field:key:id`, base64-encoded. Every edge of a page has one: the text is put together in
/// a buffer kept per thread, so the encoded cursor is the only allocation.
fn encode_cursor(order: Order, key: &SortKey, id: &str) -> String {
    use std::fmt::Write as _;
    thread_local! {
        static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    TEXT.with_borrow_mut(|text| {
        text.clear();
        text.push_str(order.field.code());
        text.push(':');
        match key {
            SortKey::Id => {}
            SortKey::Text(t) => text.push_str(t),
            // Writing into a `String` cannot fail.
            SortKey::Int(Some(v)) => {
                let _ = write!(text, "{v}");
            }
            SortKey::Int(None) => text.push('-'),
        }
        text.push(':');
        text.push_str(id);
        encode_text(text)
    })
}

fn decode_cursor(argument: &'static str, order: Order, cursor: &str) -> Result<Cursor, ApiError> {
    let bad = |reason: String| ApiError::BadCursor { argument, reason };
    let text = decode_text(cursor)
        .ok_or_else(|| bad("not a cursor; pass a cursor this connection returned".to_owned()))?;
    let (field, rest) = text
        .split_once(':')
        .ok_or_else(|| bad("not a cursor of this connection".to_owned()))?;
    if field != order.field.code() {
        return Err(bad(format!(
            "this cursor was made for orderBy {field}, not {}; start again without a cursor",
            order.field.code()
        )));
    }
    // Ids hold no ':' (see `Id`), so the id is whatever follows the last one.
    let (key, id) = rest
        .rsplit_once(':')
        .ok_or_else(|| bad("not a cursor of this connection".to_owned()))?;
    Id::new(id).map_err(|e| bad(format!("the cursor holds an invalid id: {e}")))?;
    let key = match order.field {
        SortField::Id => SortKey::Id,
        SortField::Name => SortKey::Text(key.to_owned()),
        _ if key == "-" => SortKey::Int(None),
        _ => SortKey::Int(Some(key.parse().map_err(|_| {
            bad(format!("the cursor holds {key:?} where a number belongs"))
        })?)),
    };
    Ok(Cursor {
        key,
        id: id.to_owned(),
    })
}

/// Relay pagination arguments, checked.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageArgs {
    pub(crate) first: Option<i32>,
    pub(crate) after: Option<String>,
    pub(crate) last: Option<i32>,
    pub(crate) before: Option<String>,
}

/// The `where` of a root connection, resolved against the snapshot (referenced cities and
/// fields checked, fields expanded to their subtrees). `None` = no condition; an empty list
/// matches nothing.
#[derive(Debug, Clone, Default)]
pub(crate) struct NodeFilter {
    pub(crate) ids: Option<BTreeSet<String>>,
    pub(crate) institution_kinds: Option<Vec<labgraph_domain::InstitutionKind>>,
    pub(crate) lab_kinds: Option<Vec<labgraph_domain::LabKind>>,
    pub(crate) lab_statuses: Option<Vec<labgraph_domain::LabStatus>>,
    pub(crate) platform_kinds: Option<Vec<labgraph_domain::PlatformKind>>,
    pub(crate) field_groups: Option<Vec<labgraph_domain::FieldGroup>>,
    pub(crate) cities: Option<HashSet<Id>>,
    pub(crate) regions: Option<Vec<labgraph_domain::Region>>,
    pub(crate) jurisdictions: Option<Vec<labgraph_domain::Jurisdiction>>,
    /// Field ids, subtrees included: for fields, the field itself must be one of them; for
    /// other kinds, one of its WORKS_ON targets.
    pub(crate) fields: Option<HashSet<Id>>,
    pub(crate) year_from: Option<i32>,
    pub(crate) year_to: Option<i32>,
    pub(crate) verified: Option<bool>,
    pub(crate) cross_border: Option<bool>,
    pub(crate) in_gba: Option<bool>,
    pub(crate) tie_classes: Option<Vec<labgraph_domain::TieClass>>,
    /// Lowercased.
    pub(crate) name_contains: Option<String>,
    /// The location facts the city, region, jurisdiction, tie-class and cross-border
    /// conditions are checked against; set by [`NodeFilter::with_locations`] when
    /// [`NodeFilter::needs_locations`].
    pub(crate) locations: Option<Arc<Locations>>,
}

impl NodeFilter {
    /// True when no condition is set (every node of the kind matches).
    fn is_empty(&self) -> bool {
        self.ids.is_none()
            && self.institution_kinds.is_none()
            && self.lab_kinds.is_none()
            && self.lab_statuses.is_none()
            && self.platform_kinds.is_none()
            && self.field_groups.is_none()
            && self.cities.is_none()
            && self.regions.is_none()
            && self.jurisdictions.is_none()
            && self.fields.is_none()
            && self.year_from.is_none()
            && self.year_to.is_none()
            && self.verified.is_none()
            && self.cross_border.is_none()
            && self.in_gba.is_none()
            && self.tie_classes.is_none()
            && self.name_contains.is_none()
    }

    /// True when a condition is about location (city, region, jurisdiction, tie class,
    /// cross-border), which is checked against the per-version location facts.
    pub(crate) fn needs_locations(&self) -> bool {
        self.cities.is_some()
            || self.regions.is_some()
            || self.jurisdictions.is_some()
            || self.tie_classes.is_some()
            || self.cross_border.is_some()
    }

    /// The filter with the location facts its location conditions are checked against.
    pub(crate) fn with_locations(self, locations: Arc<Locations>) -> NodeFilter {
        NodeFilter {
            locations: Some(locations),
            ..self
        }
    }

    /// Refuses a filter with location conditions but no facts to check them against: a bug
    /// of the caller, reported rather than answered with an empty page.
    pub(crate) fn check_located(&self) -> Result<(), ApiError> {
        if self.needs_locations() && self.locations.is_none() {
            return Err(ApiError::internal(
                "a location filter was resolved without the location facts",
            ));
        }
        Ok(())
    }

    /// Whether `node` passes every condition. Cheap conditions run first.
    pub(crate) fn matches(&self, graph: &Graph, node: &Node) -> bool {
        self.matches_located(graph, node, None)
    }

    /// [`NodeFilter::matches`], with the node's location facts when the caller has them at
    /// hand (saving a lookup by id).
    fn matches_located(&self, graph: &Graph, node: &Node, located: Option<&Located>) -> bool {
        fn within<T: PartialEq>(allowed: &Option<Vec<T>>, value: Option<&T>) -> bool {
            allowed
                .as_ref()
                .is_none_or(|list| value.is_some_and(|v| list.contains(v)))
        }
        let id = node.id.as_str();
        if self.ids.as_ref().is_some_and(|ids| !ids.contains(id)) {
            return false;
        }
        if self.verified.is_some_and(|v| node.provenance.verified != v) {
            return false;
        }
        let ok = match &node.attrs {
            NodeAttrs::Institution(a) => within(&self.institution_kinds, Some(&a.kind)),
            NodeAttrs::Lab(a) => {
                within(&self.lab_kinds, Some(&a.kind))
                    && within(&self.lab_statuses, a.status.as_ref())
                    && self.years_match(&[a.founded, a.batch_year])
            }
            NodeAttrs::Platform(a) => {
                within(&self.platform_kinds, Some(&a.kind)) && self.years_match(&[a.established])
            }
            NodeAttrs::Field(a) => within(&self.field_groups, Some(&a.group)),
            NodeAttrs::City(a) => self.in_gba.is_none_or(|v| a.in_gba == v),
            NodeAttrs::Person(_) => true,
        };
        if !ok {
            return false;
        }
        if let Some(text) = &self.name_contains
            && !node.names.all().any(|n| n.to_lowercase().contains(text))
        {
            return false;
        }
        if self.needs_locations() {
            let passes = match (located, &self.locations) {
                (Some(located), Some(locations)) => self.located_passes(locations, located),
                _ => self.location_matches(id),
            };
            if !passes {
                return false;
            }
        }
        if let Some(fields) = &self.fields {
            let hit = if node.kind() == NodeKind::Field {
                fields.contains(id)
            } else {
                fields_of(graph, id).any(|f| fields.contains(f))
            };
            if !hit {
                return false;
            }
        }
        true
    }

    /// Whether the node `id` passes the location conditions. Without facts (which
    /// [`NodeFilter::check_located`] refuses before any matching) nothing passes.
    fn location_matches(&self, id: &str) -> bool {
        self.locations
            .as_ref()
            .is_some_and(|locations| self.located_passes(locations, &locations.located(id)))
    }

    /// Whether a node with the location facts `located` passes the location conditions.
    fn located_passes(&self, locations: &Locations, located: &Located) -> bool {
        if let Some(cities) = &self.cities
            && !locations.cities_in(located).any(|c| cities.contains(c))
        {
            return false;
        }
        let regions = located.regions();
        if self
            .regions
            .as_ref()
            .is_some_and(|want| !want.iter().any(|r| regions.contains(*r)))
        {
            return false;
        }
        if let Some(want) = &self.jurisdictions {
            let jurisdictions = regions.jurisdictions();
            if !want.iter().any(|j| jurisdictions.contains(*j)) {
                return false;
            }
        }
        if let Some(classes) = &self.tie_classes
            && !located.class().is_some_and(|c| classes.contains(&c))
        {
            return false;
        }
        if self
            .cross_border
            .is_some_and(|want| located.cross_border() != want)
        {
            return false;
        }
        true
    }

    /// True when no year bound is set, or one of `years` lies within the bounds.
    fn years_match(&self, years: &[Option<i32>]) -> bool {
        if self.year_from.is_none() && self.year_to.is_none() {
            return true;
        }
        years.iter().flatten().any(|y| {
            self.year_from.is_none_or(|from| from <= *y) && self.year_to.is_none_or(|to| *y <= to)
        })
    }
}

/// A filter's conditions in a canonical form (sets sorted), so that equal filters give equal
/// keys: what [`ListMemo`] finds a filter's list by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct FilterKey {
    institution_kinds: Option<Vec<labgraph_domain::InstitutionKind>>,
    lab_kinds: Option<Vec<labgraph_domain::LabKind>>,
    lab_statuses: Option<Vec<labgraph_domain::LabStatus>>,
    platform_kinds: Option<Vec<labgraph_domain::PlatformKind>>,
    field_groups: Option<Vec<labgraph_domain::FieldGroup>>,
    cities: Option<Vec<Id>>,
    regions: Option<Vec<labgraph_domain::Region>>,
    jurisdictions: Option<Vec<labgraph_domain::Jurisdiction>>,
    fields: Option<Vec<Id>>,
    year_from: Option<i32>,
    year_to: Option<i32>,
    verified: Option<bool>,
    cross_border: Option<bool>,
    in_gba: Option<bool>,
    tie_classes: Option<Vec<labgraph_domain::TieClass>>,
    name_contains: Option<String>,
}

impl NodeFilter {
    /// The key of this filter's list in [`ListMemo`]; `None` for an `ids` filter, whose list
    /// is at most a page of lookups and not worth a place in the memo.
    fn key(&self) -> Option<FilterKey> {
        // Destructured in full, so that a condition added to the filter cannot be left out of
        // the key (which would hand one filter's list to another).
        let NodeFilter {
            ids,
            institution_kinds,
            lab_kinds,
            lab_statuses,
            platform_kinds,
            field_groups,
            cities,
            regions,
            jurisdictions,
            fields,
            year_from,
            year_to,
            verified,
            cross_border,
            in_gba,
            tie_classes,
            name_contains,
            // Facts of the graph version, which the memo is kept per.
            locations: _,
        } = self;
        if ids.is_some() {
            return None;
        }
        let sorted = |set: &Option<HashSet<Id>>| {
            set.as_ref().map(|set| {
                let mut ids: Vec<Id> = set.iter().cloned().collect();
                ids.sort_unstable();
                ids
            })
        };
        Some(FilterKey {
            institution_kinds: institution_kinds.clone(),
            lab_kinds: lab_kinds.clone(),
            lab_statuses: lab_statuses.clone(),
            platform_kinds: platform_kinds.clone(),
            field_groups: field_groups.clone(),
            cities: sorted(cities),
            regions: regions.clone(),
            jurisdictions: jurisdictions.clone(),
            fields: sorted(fields),
            year_from: *year_from,
            year_to: *year_to,
            verified: *verified,
            cross_border: *cross_border,
            in_gba: *in_gba,
            tie_classes: tie_classes.clone(),
            name_contains: name_contains.clone(),
        })
    }
}

/// One page of nodes, with the flags and the total.
#[derive(Debug)]
pub(crate) struct Page {
    /// Each node with its sort key: its cursor is encoded only when asked for.
    items: Vec<(SortKey, Arc<Node>)>,
    order: Order,
    has_previous_page: bool,
    has_next_page: bool,
    /// `totalCount`: every match of the filter, across all pages.
    total: usize,
}

/// The nodes of one kind passing one filter, in one order, with their sort keys: the list
/// every page of that filter and order is cut from.
#[derive(Debug)]
pub(crate) struct Matches {
    entries: Vec<(SortKey, Arc<Node>)>,
}

impl Matches {
    /// Collects the matches: O(n) filter checks for the n nodes of `kind` (the given ids
    /// only, for an `ids` filter), plus O(m log m) to sort m matches unless ordered by id.
    /// `ranking` holds the scores of a centrality order.
    pub(crate) fn collect(
        graph: &Graph,
        kind: NodeKind,
        filter: &NodeFilter,
        order: Order,
        ranking: Option<&Ranking>,
    ) -> Matches {
        let entry = |n: &Arc<Node>| (sort_key(graph, n, order.field, ranking), Arc::clone(n));
        let mut entries: Vec<(SortKey, Arc<Node>)> = match (&filter.ids, &filter.locations) {
            (Some(ids), _) => ids
                .iter()
                .filter_map(|id| graph.node(id))
                .filter(|n| n.kind() == kind && filter.matches(graph, n))
                .map(entry)
                .collect(),
            // The facts of every node of the kind, in the same id order as the nodes: read
            // side by side, no node's facts are looked up by id.
            (None, Some(locations))
                if filter.needs_locations()
                    && locations.of_kind(kind).len() == graph.count_of(kind) =>
            {
                graph
                    .nodes_of(kind, None)
                    .zip(locations.of_kind(kind))
                    .filter(|(n, located)| filter.matches_located(graph, n, Some(located)))
                    .map(|(n, _)| entry(n))
                    .collect()
            }
            (None, _) => graph
                .nodes_of(kind, None)
                .filter(|n| filter.matches(graph, n))
                .map(entry)
                .collect(),
        };
        if order.field == SortField::Id {
            // Candidates come in id order already.
            if order.desc {
                entries.reverse();
            }
        } else {
            entries
                .sort_by(|a, b| compare(order, (&a.0, a.1.id.as_str()), (&b.0, b.1.id.as_str())));
        }
        Matches { entries }
    }

    /// How many nodes match.
    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// What a memoised list is for: one kind, one order, one filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ListKey {
    kind: NodeKind,
    order: Order,
    filter: FilterKey,
}

/// Most lists the memo keeps at once.
const MEMO_LISTS: usize = 32;
/// Most entries the memo's lists hold together: at about 40 bytes an entry (plus the name of
/// each node when ordered by name), a few tens of MiB whatever clients ask, beside a graph
/// of close to a GiB; room for five lists of all 200,000 people of the benchmark graph.
const MEMO_ENTRIES: usize = 1_000_000;

/// The recently used [`Matches`] of the newest graph version, least recently used evicted
/// first, shared by all requests.
///
/// Why: clients page through the same filter (a frontend shows its `totalCount` and fetches
/// page after page), and counting or cutting a filtered or sorted page needs every match.
/// Memoised, the second page and every `totalCount` after the first cost O(log m + page)
/// instead of a filter check of every node of the kind. Only lists are kept — never pages or
/// responses — so every request still resolves every field it asks for against its own
/// snapshot.
///
/// Single flight: requests missing the same list at the same time share one collection
/// ([`ListMemo::get_or_collect`]) instead of each checking every node of the kind.
#[derive(Debug, Default)]
pub(crate) struct ListMemo {
    slot: Mutex<MemoSlot>,
    /// Collections started, for the tests of single flight.
    collections: AtomicUsize,
}

/// A list being collected: the requests waiting for it share the cell.
type Pending = Arc<OnceCell<Arc<Matches>>>;

#[derive(Debug, Default)]
struct MemoSlot {
    version: u64,
    /// Least recently used first.
    lists: VecDeque<(ListKey, Arc<Matches>)>,
    /// The entries of all `lists`.
    entries: usize,
    /// The lists of this version being collected.
    pending: Vec<(ListKey, Pending)>,
}

impl MemoSlot {
    /// Forgets every list of an older version.
    fn advance(&mut self, version: u64) {
        if version > self.version {
            self.lists.clear();
            self.pending.clear();
            self.entries = 0;
            self.version = version;
        }
    }
}

impl ListMemo {
    /// The list for `key` on `graph`'s version, when memoised; marks it used.
    pub(crate) fn get(&self, graph: &Graph, key: &ListKey) -> Option<Arc<Matches>> {
        let mut slot = self.lock();
        if slot.version != graph.version() {
            return None;
        }
        let at = slot.lists.iter().position(|(k, _)| k == key)?;
        let hit = slot.lists.remove(at)?;
        let matches = Arc::clone(&hit.1);
        slot.lists.push_back(hit);
        Some(matches)
    }

    /// The list for `key` on `graph`'s version: memoised, or made by `collect` and then kept.
    /// Requests asking for the same missing list meanwhile wait for that one collection; if
    /// the request collecting it is dropped or fails, the next waiter collects instead.
    pub(crate) async fn get_or_collect<F, Fut>(
        &self,
        graph: &Graph,
        key: ListKey,
        collect: F,
    ) -> Result<Arc<Matches>, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Matches, ApiError>>,
    {
        if let Some(matches) = self.get(graph, &key) {
            return Ok(matches);
        }
        let version = graph.version();
        let cell = {
            let mut slot = self.lock();
            if version < slot.version {
                // An older snapshot than the memo's: collected for this request alone.
                Arc::new(OnceCell::new())
            } else {
                slot.advance(version);
                match slot.pending.iter().find(|(k, _)| *k == key) {
                    Some((_, cell)) => Arc::clone(cell),
                    None => {
                        // Bounded like the lists; the requests waiting on a dropped cell
                        // hold it still and finish.
                        if slot.pending.len() >= MEMO_LISTS {
                            slot.pending.clear();
                        }
                        let cell = Pending::default();
                        slot.pending.push((key.clone(), Arc::clone(&cell)));
                        cell
                    }
                }
            }
        };
        let matches = cell
            .get_or_try_init(|| async {
                self.collections.fetch_add(1, AtomicOrdering::Relaxed);
                collect().await.map(Arc::new)
            })
            .await?;
        self.insert(graph, key, Arc::clone(matches));
        Ok(Arc::clone(matches))
    }

    /// Keeps `matches` for `key` on `graph`'s version. A newer version drops every list of
    /// the older one; a list of an older version than the memo's is not kept.
    pub(crate) fn insert(&self, graph: &Graph, key: ListKey, matches: Arc<Matches>) {
        let mut slot = self.lock();
        let version = graph.version();
        if version < slot.version {
            return;
        }
        slot.advance(version);
        slot.pending.retain(|(k, _)| *k != key);
        // Every request that waited for the same collection inserts it; one copy is enough.
        if slot.lists.iter().any(|(k, _)| *k == key) {
            return;
        }
        slot.entries += matches.len();
        slot.lists.push_back((key, matches));
        while slot.lists.len() > MEMO_LISTS || slot.entries > MEMO_ENTRIES {
            match slot.lists.pop_front() {
                Some((_, evicted)) => slot.entries -= evicted.len(),
                None => break,
            }
        }
    }

    /// How many lists have been collected through [`ListMemo::get_or_collect`].
    #[cfg(test)]
    pub(crate) fn collections(&self) -> usize {
        self.collections.load(AtomicOrdering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, MemoSlot> {
        // Every change leaves the slot consistent before the next statement that can panic.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Checked Relay arguments of one page, cursors decoded.
#[derive(Debug)]
pub(crate) struct Window {
    first: Option<usize>,
    last: Option<usize>,
    after: Option<Cursor>,
    before: Option<Cursor>,
    order: Order,
}

impl Window {
    /// Checks `args` (sizes, cursors of `order`): `first` is the default page size when
    /// neither `first` nor `last` is given.
    pub(crate) fn new(
        args: &PageArgs,
        order: Order,
        max_page_size: usize,
    ) -> Result<Self, ApiError> {
        let mut first = page_size("first", args.first, max_page_size)?;
        let last = page_size("last", args.last, max_page_size)?;
        if first.is_none() && last.is_none() {
            first = Some(DEFAULT_PAGE_SIZE);
        }
        let after = args
            .after
            .as_deref()
            .map(|c| decode_cursor("after", order, c))
            .transpose()?;
        let before = args
            .before
            .as_deref()
            .map(|c| decode_cursor("before", order, c))
            .transpose()?;
        Ok(Window {
            first,
            last,
            after,
            before,
            order,
        })
    }

    /// The page straight from the graph's ordered id index, when no list is needed: no
    /// condition, id order, paging forward. O(page) — the node count is kept by the graph.
    pub(crate) fn cut_from_index(
        &self,
        graph: &Graph,
        kind: NodeKind,
        filter: &NodeFilter,
    ) -> Option<Page> {
        if self.order.field != SortField::Id
            || !filter.is_empty()
            || self.last.is_some()
            || self.before.is_some()
        {
            return None;
        }
        let first = self.first?;
        let after = self.after.as_ref().map(|c| c.id.as_str());
        let mut items: Vec<&Arc<Node>> = match (self.order.desc, after) {
            (false, after) => graph.nodes_of(kind, after).take(first + 1).collect(),
            (true, None) => graph.nodes_of(kind, None).rev().take(first + 1).collect(),
            (true, Some(after)) => graph
                .nodes_of(kind, None)
                .rev()
                .skip_while(|n| n.id.as_str() >= after)
                .take(first + 1)
                .collect(),
        };
        let has_next_page = items.len() > first;
        items.truncate(first);
        // Items before `after` exist when some node lies on the cursor's side of the order.
        let has_previous_page = match (self.order.desc, after) {
            (_, None) => false,
            (false, Some(after)) => graph
                .nodes_of(kind, None)
                .next()
                .is_some_and(|n| n.id.as_str() <= after),
            (true, Some(after)) => graph
                .nodes_of(kind, None)
                .next_back()
                .is_some_and(|n| n.id.as_str() >= after),
        };
        Some(Page {
            items: items
                .into_iter()
                .map(|n| (SortKey::Id, Arc::clone(n)))
                .collect(),
            order: self.order,
            has_previous_page,
            has_next_page,
            total: graph.count_of(kind),
        })
    }

    /// The page cut from `matches` (which must be in this window's order), per Relay's
    /// pagination algorithm (`first`/`after` forward, `last`/`before` backward; both may be
    /// combined): O(log m + page).
    pub(crate) fn cut(&self, matches: &Matches) -> Page {
        let order = self.order;
        let entries = &matches.entries;
        let position = |cursor: &Cursor, strictly_after: bool| {
            entries.partition_point(|(key, node)| {
                let o = compare(order, (key, node.id.as_str()), (&cursor.key, &cursor.id));
                if strictly_after {
                    o != Ordering::Greater
                } else {
                    o == Ordering::Less
                }
            })
        };
        let start = self.after.as_ref().map_or(0, |c| position(c, true));
        let end = self
            .before
            .as_ref()
            .map_or(entries.len(), |c| position(c, false))
            .max(start);
        let mut window = &entries[start..end];
        let mut has_next_page = self.first.is_none() && end < entries.len();
        let mut has_previous_page = self.last.is_none() && start > 0;
        if let Some(n) = self.first
            && window.len() > n
        {
            window = &window[..n];
            has_next_page = true;
        }
        if let Some(n) = self.last
            && window.len() > n
        {
            window = &window[window.len() - n..];
            has_previous_page = true;
        }
        Page {
            items: window
                .iter()
                .map(|(key, node)| (key.clone(), Arc::clone(node)))
                .collect(),
            order,
            has_previous_page,
            has_next_page,
            total: entries.len(),
        }
    }

    /// The key of the list this page is cut from, `None` when the list is not memoised.
    pub(crate) fn list_key(&self, kind: NodeKind, filter: &NodeFilter) -> Option<ListKey> {
        Some(ListKey {
            kind,
            order: self.order,
            filter: filter.key()?,
        })
    }
}

/// Generates a root connection type and its edge type for one node type.
macro_rules! connection {
    ($conn:ident, $edge:ident, $node:ident, $conn_doc:literal, $edge_doc:literal) => {
        #[doc = $conn_doc]
        #[derive(Debug)]
        pub struct $conn {
            edges: Vec<$edge>,
            page_info: PageInfo,
            total: usize,
        }

        #[doc = $conn_doc]
        #[Object]
        impl $conn {
            /// The edges of this page, in order.
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }

            /// The nodes of this page, in order (the same as `edges { node }`).
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|e| &e.node).collect()
            }

            /// Where this page lies: whether there are more, and the cursors to continue from.
            async fn page_info(&self) -> &PageInfo {
                &self.page_info
            }

            /// How many nodes match the filter, across all pages (counted only when asked).
            async fn total_count(&self) -> usize {
                self.total
            }
        }

        #[doc = $edge_doc]
        #[derive(Debug)]
        pub struct $edge {
            /// The node's sort key: its cursor, before encoding.
            key: SortKey,
            order: Order,
            /// The node.
            pub node: $node,
        }

        #[doc = $edge_doc]
        #[Object]
        impl $edge {
            /// An opaque cursor: pass it as `after` (or `before`) with the same `orderBy`.
            async fn cursor(&self) -> String {
                self.encoded_cursor()
            }

            /// The node.
            async fn node(&self) -> &$node {
                &self.node
            }
        }

        impl $edge {
            /// The cursor, encoded when asked for: a page asking only for nodes or
            /// `totalCount` encodes none.
            pub(crate) fn encoded_cursor(&self) -> String {
                encode_cursor(self.order, &self.key, self.node.node().id.as_str())
            }
        }

        super::fast::sync_connection!($conn, $edge);

        impl $conn {
            /// Wraps a page; nodes of another kind cannot occur (the page is of one kind).
            pub(crate) fn from_page(page: Page) -> Self {
                let edges: Vec<$edge> = page
                    .items
                    .into_iter()
                    .filter_map(|(key, node)| {
                        $node::of(&node).map(|node| $edge {
                            key,
                            order: page.order,
                            node,
                        })
                    })
                    .collect();
                $conn {
                    page_info: PageInfo {
                        has_previous_page: page.has_previous_page,
                        has_next_page: page.has_next_page,
                        start_cursor: edges.first().map($edge::encoded_cursor),
                        end_cursor: edges.last().map($edge::encoded_cursor),
                    },
                    edges,
                    total: page.total,
                }
            }
        }
    };
}

connection!(
    InstitutionConnection,
    InstitutionEdge,
    Institution,
    "A page of institutions.",
    "An institution in a page, with its cursor."
);
connection!(
    LabConnection,
    LabEdge,
    Lab,
    "A page of labs.",
    "A lab in a page, with its cursor."
);
connection!(
    PersonConnection,
    PersonEdge,
    Person,
    "A page of people.",
    "A person in a page, with its cursor."
);
connection!(
    CityConnection,
    CityEdge,
    City,
    "A page of cities.",
    "A city in a page, with its cursor."
);
connection!(
    FieldConnection,
    FieldEdge,
    Field,
    "A page of fields.",
    "A field in a page, with its cursor."
);
connection!(
    PlatformConnection,
    PlatformEdge,
    Platform,
    "A page of platforms.",
    "A platform in a page, with its cursor."
);

/// Generates an `orderBy` input type.
macro_rules! order_input {
    ($name:ident, $field:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(InputObject, Debug, Clone, Copy, Default)]
        pub struct $name {
            /// What to sort by (ID when omitted).
            #[graphql(default)]
            pub field: $field,
            /// Ascending or descending (ASC when omitted).
            #[graphql(default)]
            pub direction: OrderDirection,
        }
    };
    // The connections of a kind that a projection ranks also sort by a centrality.
    ($name:ident, $field:ty, $doc:literal, centrality on $network:literal) => {
        #[doc = $doc]
        #[derive(InputObject, Debug, Clone, Copy, Default)]
        pub struct $name {
            /// What to sort by (ID when omitted).
            #[graphql(default)]
            pub field: $field,
            /// Ascending or descending (ASC when omitted).
            #[graphql(default)]
            pub direction: OrderDirection,
            #[doc = concat!(
                "Sort by this centrality instead of `field`: the scores on the whole ",
                $network,
                " network (no filter, every year, default weighting, weighted), the same as ",
                "the root `centrality(kind:, projection: ",
                $network,
                ")` with no other argument."
            )]
            pub centrality: Option<CentralityKind>,
        }
    };
}

order_input!(
    InstitutionOrder,
    NodeOrderField,
    "How to order institutions: by `field` or `centrality`, ties broken by id.",
    centrality on "INSTITUTIONS"
);
order_input!(
    LabOrder,
    LabOrderField,
    "How to order labs: by `field`, ties broken by id."
);
order_input!(
    PersonOrder,
    NodeOrderField,
    "How to order people: by `field` or `centrality`, ties broken by id.",
    centrality on "PEOPLE"
);
order_input!(
    CityOrder,
    NodeOrderField,
    "How to order cities: by `field`, ties broken by id."
);
order_input!(
    FieldOrder,
    NodeOrderField,
    "How to order fields: by `field`, ties broken by id."
);
order_input!(
    PlatformOrder,
    PlatformOrderField,
    "How to order platforms: by `field`, ties broken by id."
);

fn node_order(field: NodeOrderField, direction: OrderDirection) -> Order {
    Order {
        field: match field {
            NodeOrderField::Id => SortField::Id,
            NodeOrderField::Name => SortField::Name,
            NodeOrderField::Degree => SortField::Degree,
        },
        desc: direction == OrderDirection::Desc,
    }
}

impl From<Option<InstitutionOrder>> for Order {
    fn from(o: Option<InstitutionOrder>) -> Order {
        let o = o.unwrap_or_default();
        centrality_order(o.centrality, o.direction).unwrap_or(node_order(o.field, o.direction))
    }
}

/// The order by a centrality, when one is asked for.
fn centrality_order(kind: Option<CentralityKind>, direction: OrderDirection) -> Option<Order> {
    kind.map(|kind| Order {
        field: SortField::Centrality(kind),
        desc: direction == OrderDirection::Desc,
    })
}

impl From<Option<PersonOrder>> for Order {
    fn from(o: Option<PersonOrder>) -> Order {
        let o = o.unwrap_or_default();
        centrality_order(o.centrality, o.direction).unwrap_or(node_order(o.field, o.direction))
    }
}

impl From<Option<CityOrder>> for Order {
    fn from(o: Option<CityOrder>) -> Order {
        let o = o.unwrap_or_default();
        node_order(o.field, o.direction)
    }
}

impl From<Option<FieldOrder>> for Order {
    fn from(o: Option<FieldOrder>) -> Order {
        let o = o.unwrap_or_default();
        node_order(o.field, o.direction)
    }
}

impl From<Option<LabOrder>> for Order {
    fn from(o: Option<LabOrder>) -> Order {
        let o = o.unwrap_or_default();
        Order {
            field: match o.field {
                LabOrderField::Id => SortField::Id,
                LabOrderField::Name => SortField::Name,
                LabOrderField::Degree => SortField::Degree,
                LabOrderField::BatchYear => SortField::BatchYear,
                LabOrderField::Founded => SortField::Founded,
            },
            desc: o.direction == OrderDirection::Desc,
        }
    }
}

impl From<Option<PlatformOrder>> for Order {
    fn from(o: Option<PlatformOrder>) -> Order {
        let o = o.unwrap_or_default();
        Order {
            field: match o.field {
                PlatformOrderField::Id => SortField::Id,
                PlatformOrderField::Name => SortField::Name,
                PlatformOrderField::Degree => SortField::Degree,
                PlatformOrderField::Established => SortField::Established,
            },
            desc: o.direction == OrderDirection::Desc,
        }
    }
}

/// Resolves ids an argument refers to: each must exist (`NOT_FOUND`) and be of `kind`
/// (`VALIDATION_FAILED`).
pub(crate) fn refs(
    graph: &Graph,
    argument: &str,
    ids: &[ID],
    kind: NodeKind,
) -> Result<Vec<Id>, ApiError> {
    ids.iter()
        .map(|id| match graph.node(id.as_str()) {
            Some(node) if node.kind() == kind => Ok(node.id.clone()),
            Some(node) => Err(ApiError::validation(
                argument,
                format!("{} is a {}, not a {kind}", node.id, node.kind()),
            )),
            None => Err(ApiError::NotFound {
                argument: argument.to_owned(),
                kind: kind.code(),
                id: id.to_string(),
            }),
        })
        .collect()
}

/// The common parts of a `where` input, resolved.
fn base_filter(
    graph: &Graph,
    derived: Option<&Derived>,
    ids: Option<Vec<ID>>,
    city: Option<Vec<ID>>,
    field: Option<Vec<ID>>,
    name_contains: Option<String>,
    verified: Option<bool>,
) -> Result<NodeFilter, ApiError> {
    let fields = match (field, derived) {
        (Some(field), Some(derived)) => {
            Some(derived.subtree(refs(graph, "where.field", &field, NodeKind::Field)?))
        }
        (Some(_), None) => {
            return Err(ApiError::internal(
                "a field filter was resolved without the field index",
            ));
        }
        (None, _) => None,
    };
    Ok(NodeFilter {
        ids: ids.map(|ids| ids.into_iter().map(|id| id.0).collect()),
        cities: city
            .map(|c| refs(graph, "where.city", &c, NodeKind::City).map(|v| v.into_iter().collect()))
            .transpose()?,
        fields,
        name_contains: name_contains.map(|t| t.to_lowercase()),
        verified,
        ..NodeFilter::default()
    })
}

fn domain<T: Copy, D: From<T>>(list: Option<Vec<T>>) -> Option<Vec<D>> {
    list.map(|l| l.into_iter().map(D::from).collect())
}

/// Filters institutions. Every condition given must hold; a list matches any of its values;
/// an empty list matches nothing.
#[derive(InputObject, Debug, Clone, Default)]
pub struct InstitutionWhere {
    /// Only these ids.
    pub ids: Option<Vec<ID>>,
    /// Only these kinds of institution.
    pub kind: Option<Vec<InstitutionKind>>,
    /// Only institutions in these cities (city ids).
    pub city: Option<Vec<ID>>,
    /// Only institutions in these regions.
    pub region: Option<Vec<Region>>,
    /// Only institutions in these jurisdictions.
    pub jurisdiction: Option<Vec<Jurisdiction>>,
    /// Only institutions working (WORKS_ON) on these fields or fields below them (field ids).
    pub field: Option<Vec<ID>>,
    /// Only verified (true) or unverified (false) institutions.
    pub verified: Option<bool>,
    /// true: only institutions that are partners in a cross-border lab (partners spanning two
    /// or more jurisdictions) or have a cross-border COLLABORATES_WITH tie; false: only the
    /// others.
    pub cross_border: Option<bool>,
    /// Only institutions with a name or alias containing this text (case-insensitive).
    pub name_contains: Option<String>,
}

impl InstitutionWhere {
    pub(crate) fn resolve(
        self,
        graph: &Graph,
        derived: Option<&Derived>,
    ) -> Result<NodeFilter, ApiError> {
        Ok(NodeFilter {
            institution_kinds: domain(self.kind),
            regions: domain(self.region),
            jurisdictions: domain(self.jurisdiction),
            cross_border: self.cross_border,
            ..base_filter(
                graph,
                derived,
                self.ids,
                self.city,
                self.field,
                self.name_contains,
                self.verified,
            )?
        })
    }
}

/// Filters labs. Every condition given must hold; a list matches any of its values; an empty
/// list matches nothing.
#[derive(InputObject, Debug, Clone, Default)]
pub struct LabWhere {
    /// Only these ids.
    pub ids: Option<Vec<ID>>,
    /// Only these kinds of lab.
    pub kind: Option<Vec<LabKind>>,
    /// Only labs with these statuses.
    pub status: Option<Vec<LabStatus>>,
    /// Only labs in these cities (city ids; a lab without cities is where its hosts are).
    pub city: Option<Vec<ID>>,
    /// Only labs in these regions.
    pub region: Option<Vec<Region>>,
    /// Only labs in these jurisdictions.
    pub jurisdiction: Option<Vec<Jurisdiction>>,
    /// Only labs working (WORKS_ON) on these fields or fields below them (field ids).
    pub field: Option<Vec<ID>>,
    /// Only labs founded, or approved in a batch, in this year or later.
    pub year_from: Option<i32>,
    /// Only labs founded, or approved in a batch, in this year or earlier.
    pub year_to: Option<i32>,
    /// Only verified (true) or unverified (false) labs.
    pub verified: Option<bool>,
    /// true: only labs whose partners span two or more jurisdictions; false: only the others.
    pub cross_border: Option<bool>,
    /// Only labs whose partners' jurisdictions form one of these classes.
    pub tie_class: Option<Vec<TieClass>>,
    /// Only labs with a name or alias containing this text (case-insensitive).
    pub name_contains: Option<String>,
}

impl LabWhere {
    pub(crate) fn resolve(
        self,
        graph: &Graph,
        derived: Option<&Derived>,
    ) -> Result<NodeFilter, ApiError> {
        if let (Some(from), Some(to)) = (self.year_from, self.year_to)
            && from > to
        {
            return Err(ApiError::validation(
                "where.yearFrom",
                format!("{from} is after yearTo ({to})"),
            ));
        }
        Ok(NodeFilter {
            lab_kinds: domain(self.kind),
            lab_statuses: domain(self.status),
            regions: domain(self.region),
            jurisdictions: domain(self.jurisdiction),
            year_from: self.year_from,
            year_to: self.year_to,
            cross_border: self.cross_border,
            tie_classes: domain(self.tie_class),
            ..base_filter(
                graph,
                derived,
                self.ids,
                self.city,
                self.field,
                self.name_contains,
                self.verified,
            )?
        })
    }

    /// True when resolving needs the field index.
    pub(crate) fn needs_fields(&self) -> bool {
        self.field.is_some()
    }
}

/// Filters people. Every condition given must hold; a list matches any of its values; an
/// empty list matches nothing.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PersonWhere {
    /// Only these ids.
    pub ids: Option<Vec<ID>>,
    /// Only people affiliated (primarily, when marked) with institutions in these cities.
    pub city: Option<Vec<ID>>,
    /// Only people located (by affiliation) in these regions.
    pub region: Option<Vec<Region>>,
    /// Only people located (by affiliation) in these jurisdictions.
    pub jurisdiction: Option<Vec<Jurisdiction>>,
    /// Only people working (WORKS_ON) on these fields or fields below them (field ids).
    pub field: Option<Vec<ID>>,
    /// Only verified (true) or unverified (false) people.
    pub verified: Option<bool>,
    /// Only people with a name or alias containing this text (case-insensitive).
    pub name_contains: Option<String>,
}

impl PersonWhere {
    pub(crate) fn resolve(
        self,
        graph: &Graph,
        derived: Option<&Derived>,
    ) -> Result<NodeFilter, ApiError> {
        Ok(NodeFilter {
            regions: domain(self.region),
            jurisdictions: domain(self.jurisdiction),
            ..base_filter(
                graph,
                derived,
                self.ids,
                self.city,
                self.field,
                self.name_contains,
                self.verified,
            )?
        })
    }
}

/// Filters cities. Every condition given must hold; a list matches any of its values; an
/// empty list matches nothing.
#[derive(InputObject, Debug, Clone, Default)]
pub struct CityWhere {
    /// Only these ids.
    pub ids: Option<Vec<ID>>,
    /// Only cities in these regions.
    pub region: Option<Vec<Region>>,
    /// Only cities in these jurisdictions.
    pub jurisdiction: Option<Vec<Jurisdiction>>,
    /// Only Greater Bay Area cities (true) or only the others (false).
    pub in_gba: Option<bool>,
    /// Only verified (true) or unverified (false) cities.
    pub verified: Option<bool>,
    /// Only cities with a name or alias containing this text (case-insensitive).
    pub name_contains: Option<String>,
}

impl CityWhere {
    pub(crate) fn resolve(self, graph: &Graph) -> Result<NodeFilter, ApiError> {
        Ok(NodeFilter {
            regions: domain(self.region),
            jurisdictions: domain(self.jurisdiction),
            in_gba: self.in_gba,
            ..base_filter(
                graph,
                None,
                self.ids,
                None,
                None,
                self.name_contains,
                self.verified,
            )?
        })
    }
}

/// Filters fields. Every condition given must hold; a list matches any of its values; an
/// empty list matches nothing.
#[derive(InputObject, Debug, Clone, Default)]
pub struct FieldWhere {
    /// Only these ids.
    pub ids: Option<Vec<ID>>,
    /// Only fields in these parts of the taxonomy.
    pub group: Option<Vec<FieldGroup>>,
    /// Only these fields and the fields below them (field ids).
    pub field: Option<Vec<ID>>,
    /// Only verified (true) or unverified (false) fields.
    pub verified: Option<bool>,
    /// Only fields with a name or alias containing this text (case-insensitive).
    pub name_contains: Option<String>,
}

impl FieldWhere {
    pub(crate) fn resolve(
        self,
        graph: &Graph,
        derived: Option<&Derived>,
    ) -> Result<NodeFilter, ApiError> {
        Ok(NodeFilter {
            field_groups: domain(self.group),
            ..base_filter(
                graph,
                derived,
                self.ids,
                None,
                self.field,
                self.name_contains,
                self.verified,
            )?
        })
    }
}

/// Filters platforms. Every condition given must hold; a list matches any of its values; an
/// empty list matches nothing.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PlatformWhere {
    /// Only these ids.
    pub ids: Option<Vec<ID>>,
    /// Only these kinds of platform.
    pub kind: Option<Vec<PlatformKind>>,
    /// Only platforms covering these cities (city ids).
    pub city: Option<Vec<ID>>,
    /// Only platforms in these regions.
    pub region: Option<Vec<Region>>,
    /// Only platforms in these jurisdictions.
    pub jurisdiction: Option<Vec<Jurisdiction>>,
    /// Only platforms established in this year or later.
    pub year_from: Option<i32>,
    /// Only platforms established in this year or earlier.
    pub year_to: Option<i32>,
    /// Only verified (true) or unverified (false) platforms.
    pub verified: Option<bool>,
    /// Only platforms with a name or alias containing this text (case-insensitive).
    pub name_contains: Option<String>,
}

impl PlatformWhere {
    pub(crate) fn resolve(self, graph: &Graph) -> Result<NodeFilter, ApiError> {
        Ok(NodeFilter {
            platform_kinds: domain(self.kind),
            regions: domain(self.region),
            jurisdictions: domain(self.jurisdiction),
            year_from: self.year_from,
            year_to: self.year_to,
            ..base_filter(
                graph,
                None,
                self.ids,
                self.city,
                None,
                self.name_contains,
                self.verified,
            )?
        })
    }
}
