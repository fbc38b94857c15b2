//! The recent answers of `search` on the newest graph version, shared by all requests.
//!
//! Why: a search box sends the same few texts again and again (every user typing "CUHK", a
//! frontend re-rendering), and scoring the candidates of a common word costs more than
//! everything else a search request does: `SearchIndex::search` alone took 24–27 µs of the
//! benchmark's 50 µs search in process (`tests/schema_throughput.rs`). An answer depends only
//! on the graph version, the text, the kinds and the limit, so it is kept under exactly
//! those; a new version starts an empty memo. Results hold the nodes of their version, as
//! the index they were computed from did.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use labgraph_domain::{Graph, NodeKind};

use super::query::SearchHit;

/// Most answers kept: at most 100 hits each (the maximum page size), a few MiB in all.
const ANSWERS: usize = 512;
/// Longest text whose answer is kept; longer texts are searched every time.
const TEXT: usize = 256;

/// What an answer is for, besides its text (the map's key).
type Variant = (Box<[NodeKind]>, usize);
/// The answers kept for one text.
type Answers = Vec<(Variant, Arc<[SearchHit]>)>;

/// Recent `search` answers of the newest version. When full it is emptied: texts that never
/// repeat cost a search each time, never memory.
#[derive(Debug, Default)]
pub(crate) struct SearchMemo {
    slot: Mutex<Slot>,
}

#[derive(Debug, Default)]
struct Slot {
    version: u64,
    /// By text: the answers for each (kinds, limit) asked with it.
    answers: HashMap<Box<str>, Answers>,
    count: usize,
}

impl SearchMemo {
    /// The answer kept for this search on `graph`'s version.
    pub(crate) fn get(
        &self,
        graph: &Graph,
        text: &str,
        kinds: &[NodeKind],
        limit: usize,
    ) -> Option<Arc<[SearchHit]>> {
        let slot = self.lock();
        if slot.version != graph.version() {
            return None;
        }
        slot.answers
            .get(text)?
            .iter()
            .find_map(|((k, l), hits)| (**k == *kinds && *l == limit).then(|| Arc::clone(hits)))
    }

    /// Keeps `hits` for this search on `graph`'s version; an older version than the memo's
    /// is not kept, a newer one replaces every answer.
    pub(crate) fn insert(
        &self,
        graph: &Graph,
        text: &str,
        kinds: &[NodeKind],
        limit: usize,
        hits: &Arc<[SearchHit]>,
    ) {
        if text.len() > TEXT {
            return;
        }
        let mut slot = self.lock();
        let version = graph.version();
        if version < slot.version {
            return;
        }
        if version > slot.version || slot.count >= ANSWERS {
            slot.answers.clear();
            slot.count = 0;
            slot.version = version;
        }
        let variants = slot.answers.entry(text.into()).or_default();
        // Two requests missing the same answer at once both search; one copy is enough.
        if variants
            .iter()
            .any(|((k, l), _)| **k == *kinds && *l == limit)
        {
            return;
        }
        variants.push(((kinds.into(), limit), Arc::clone(hits)));
        slot.count += 1;
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        // Every change leaves the slot consistent before the next statement that can panic.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
