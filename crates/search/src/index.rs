//! The inverted name index: build once per graph version, query many times from many threads.

use std::collections::HashMap;
use std::fmt;

use labgraph_domain::{Graph, Id, NodeKind};

use crate::normalize::{is_cjk, normalize};
use crate::tokens::{Run, UNIGRAM_MARK, for_each_token, key, runs, unigram_char};

/// Score of a name whose folded key equals the query's.
const EXACT: f32 = 1.0;
/// Lowest score of a name that matches every query term; the tier runs up to `0.95`.
const ALL_TERMS: f32 = 0.5;
/// Highest score of a name that matches only some query terms; the tier runs from `0`.
const PARTIAL: f32 = 0.45;
/// Partial matches covering less of the query's weight than this are noise, not hits.
const MIN_PARTIAL_COVERAGE: f32 = 0.3;
/// Credit for a query word that is only a prefix of a name word (`univ` → `university`):
/// below a whole word, so `hku` ranks HKU above HKUST.
const PREFIX_CREDIT: f32 = 0.85;
/// Non-final query words shorter than this must match whole words: a two-letter prefix in the
/// middle of a query is more often an abbreviation than a word being typed.
const MIN_INNER_PREFIX: usize = 3;
/// Most names scored per query. Postings are ordered shortest name first, so when a very
/// common term hits the budget the names cut off are the ones that would rank lowest.
const CANDIDATE_BUDGET: usize = 5_000;

/// A searchable index of every name and alias of every node of a graph.
///
/// Immutable once built and `Send + Sync`: build one per graph version and share it.
pub struct SearchIndex {
    /// Node id and kind, by node number.
    nodes: Vec<(Id, NodeKind)>,
    /// One entry per distinct folded name of a node, ordered by token count then length, so
    /// that every posting list lists short names first.
    entries: Vec<Entry>,
    /// Positional tokens of all entries, back to back (`Entry::tokens` indexes into it).
    entry_tokens: Vec<u32>,
    /// Every token, sorted, so that the words sharing a prefix are one id range.
    vocab: Vec<Box<str>>,
    /// `postings[starts[t]..starts[t + 1]]` are the entries holding token `t`, ascending; the
    /// prefix sums also give the document frequency of a whole id range in O(1).
    starts: Vec<u32>,
    postings: Vec<u32>,
    /// (hash of the folded key, entry), sorted: exact full-name and alias matches.
    exact: Vec<(u64, u32)>,
}

/// One indexed name.
struct Entry {
    node: u32,
    /// The name or alias as stored in the graph, returned in [`Hit::matched`].
    name: Box<str>,
    name_chars: u32,
    tokens: std::ops::Range<u32>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The node found.
    pub id: Id,
    /// Its kind.
    pub kind: NodeKind,
    /// Relevance in `[0, 1]`, higher is better: `1.0` when the query is one of the node's
    /// names or aliases up to case, width, script, punctuation and stopwords; `(0.5, 0.95]`
    /// when every query term is in the name (whole word, word prefix or CJK bigram), higher
    /// for names the query covers more of and for terms in query order; below `0.45` when
    /// only some terms are (and the ones found carry at least 30% of the query's weight).
    pub score: f32,
    /// The name or alias that matched, as stored.
    pub matched: String,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The tables themselves run to millions of rows; their sizes are what a log needs.
        f.debug_struct("SearchIndex")
            .field("nodes", &self.nodes.len())
            .field("names", &self.entries.len())
            .field("tokens", &self.vocab.len())
            .field("postings", &self.postings.len())
            .finish()
    }
}

/// A name being indexed, before entries are ordered and tokens renumbered.
struct Pending {
    node: u32,
    name: Box<str>,
    name_chars: u32,
    /// Its positional tokens in `raw_tokens` (interning numbers); its CJK characters'
    /// unigrams follow them, up to `unigrams_end`, for the postings only.
    tokens: std::ops::Range<u32>,
    unigrams_end: u32,
    key_hash: u64,
}

/// A scored name, with what ranking needs inline so that sorting never chases pointers.
#[derive(Clone, Copy)]
struct Scored {
    node: u32,
    score: f32,
    name_chars: u32,
    entry: u32,
}

impl Scored {
    /// Higher score first, then the shorter name, then the node id (nodes are numbered in
    /// id order).
    fn rank(a: &Scored, b: &Scored) -> std::cmp::Ordering {
        b.score
            .total_cmp(&a.score)
            .then(a.name_chars.cmp(&b.name_chars))
            .then(a.node.cmp(&b.node))
    }
}

/// A query term resolved against the vocabulary.
struct Term {
    /// Token ids this term matches: one id, a prefix's range, or empty when unknown.
    lo: u32,
    hi: u32,
    /// The id of the term itself, when it is a whole token.
    whole: Option<u32>,
    /// For a single CJK character: its postings, matched by membership because the
    /// character sits inside bigrams.
    unigram: Option<std::ops::Range<u32>>,
    /// Inverse document frequency: rare terms count for more.
    weight: f32,
    /// Entries holding a token of the range.
    df: u32,
}

/// Hash of a folded key; equal keys are confirmed by comparing the keys themselves.
fn key_hash(key: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(key)
}

impl SearchIndex {
    /// Indexes every name and alias of every node of the graph.
    ///
    /// O(total name length · log V) for V distinct tokens; about a second for 200,000 nodes.
    pub fn build(graph: &Graph) -> SearchIndex {
        let mut interned: HashMap<Box<str>, u32> = HashMap::new();
        let mut raw_tokens: Vec<u32> = Vec::new();
        let mut intern = |token: &str, out: &mut Vec<u32>| {
            let id = match interned.get(token) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(interned.len()).expect("fewer than 2^32 tokens");
                    interned.insert(token.into(), id);
                    id
                }
            };
            out.push(id);
        };

        let mut nodes = Vec::with_capacity(graph.node_count());
        let mut pending = Vec::new();
        let mut seen_keys: Vec<u64> = Vec::new();
        let mut unigram_buf = String::new();
        // Nodes are numbered in id order: the index is the same for the same graph whatever
        // its hash maps do, and comparing numbers breaks ties by id without touching the ids.
        let mut sorted: Vec<_> = graph.nodes().collect();
        sorted.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        for node in sorted {
            let number = u32::try_from(nodes.len()).expect("fewer than 2^32 nodes");
            nodes.push((node.id.clone(), node.kind()));
            seen_keys.clear();
            for name in node.names.all() {
                let folded = normalize(name);
                let name_runs = runs(&folded);
                let name_key = key(&name_runs);
                let hash = key_hash(&name_key);
                // 深圳大学 is both the Simplified and the Traditional name: index it once,
                // under the first spelling (Simplified, then Traditional, English, ...).
                if name_key.is_empty() || seen_keys.contains(&hash) {
                    continue;
                }
                seen_keys.push(hash);
                let start = raw_tokens.len() as u32;
                for_each_token(&name_runs, |t| intern(t, &mut raw_tokens));
                let positional_end = raw_tokens.len() as u32;
                for run in &name_runs {
                    if let Run::Cjk(text) = run {
                        for c in text.chars().filter(|&c| is_cjk(c)) {
                            unigram_buf.clear();
                            unigram_buf.push(UNIGRAM_MARK);
                            unigram_buf.push(c);
                            intern(&unigram_buf, &mut raw_tokens);
                        }
                    }
                }
                pending.push(Pending {
                    node: number,
                    name: name.into(),
                    name_chars: u32::try_from(name.chars().count()).unwrap_or(u32::MAX),
                    tokens: start..positional_end,
                    unigrams_end: raw_tokens.len() as u32,
                    key_hash: hash,
                });
            }
        }
        // Short names first, so posting lists (built in entry order) list them first.
        pending.sort_by_key(|p| (p.tokens.len(), p.name_chars, p.node));

        // Renumber tokens in sorted order: a prefix's words become one contiguous range.
        let mut vocab: Vec<(Box<str>, u32)> = interned.into_iter().collect();
        vocab.sort_unstable();
        let mut renumber = vec![0u32; vocab.len()];
        for (new, (_, old)) in vocab.iter().enumerate() {
            renumber[*old as usize] = new as u32;
        }
        let vocab: Vec<Box<str>> = vocab.into_iter().map(|(t, _)| t).collect();
        for t in &mut raw_tokens {
            *t = renumber[*t as usize];
        }
        drop(renumber);

        let mut entries = Vec::with_capacity(pending.len());
        let mut entry_tokens = Vec::with_capacity(raw_tokens.len());
        let mut counts = vec![0u32; vocab.len() + 1];
        // Distinct tokens of every entry, back to back, to fill the postings from.
        let mut distinct_all: Vec<u32> = Vec::with_capacity(raw_tokens.len());
        let mut distinct_ends: Vec<u32> = Vec::with_capacity(pending.len());
        let mut exact: Vec<(u64, u32)> = Vec::with_capacity(pending.len());
        for (number, p) in pending.into_iter().enumerate() {
            let number = number as u32;
            let start = entry_tokens.len() as u32;
            entry_tokens
                .extend_from_slice(&raw_tokens[p.tokens.start as usize..p.tokens.end as usize]);
            let from = distinct_all.len();
            distinct_all
                .extend_from_slice(&raw_tokens[p.tokens.start as usize..p.unigrams_end as usize]);
            let distinct = &mut distinct_all[from..];
            distinct.sort_unstable();
            let kept = dedup_sorted(distinct);
            distinct_all.truncate(from + kept);
            for &t in &distinct_all[from..] {
                counts[t as usize + 1] += 1;
            }
            distinct_ends.push(distinct_all.len() as u32);
            exact.push((p.key_hash, number));
            entries.push(Entry {
                node: p.node,
                name: p.name,
                name_chars: p.name_chars,
                tokens: start..entry_tokens.len() as u32,
            });
        }
        drop(raw_tokens);
        exact.sort_unstable();
        for t in 1..counts.len() {
            counts[t] += counts[t - 1];
        }
        let starts = counts;
        let mut fill: Vec<u32> = starts[..vocab.len()].to_vec();
        let mut postings = vec![0u32; starts[vocab.len()] as usize];
        let mut from = 0;
        for (number, &end) in distinct_ends.iter().enumerate() {
            for &t in &distinct_all[from..end as usize] {
                postings[fill[t as usize] as usize] = number as u32;
                fill[t as usize] += 1;
            }
            from = end as usize;
        }

        SearchIndex {
            nodes,
            entries,
            entry_tokens,
            vocab,
            starts,
            postings,
            exact,
        }
    }

    /// Best matches first; `kinds` empty = all kinds; at most `limit` hits.
    ///
    /// Each node appears once, with its best-scoring name. Ties are broken by the shorter
    /// matched name, then the id. Empty, whitespace-only and punctuation-only queries return
    /// no hits. See [`Hit::score`] for what the scores mean.
    pub fn search(&self, text: &str, kinds: &[NodeKind], limit: usize) -> Vec<Hit> {
        let folded = normalize(text);
        let query_runs = runs(&folded);
        if limit == 0 || query_runs.is_empty() {
            return Vec::new();
        }
        let terms = self.terms(&query_runs);
        let query_key = key(&query_runs);
        let exact = self.exact_matches(&query_key);
        let mut scorer = Scorer::new(self, &terms);
        let mut scored: Vec<Scored> = Vec::new();
        let mut score_all = |candidates: &[u32], scored: &mut Vec<Scored>| {
            for &e in candidates {
                let entry = &self.entries[e as usize];
                if !(kinds.is_empty() || kinds.contains(&self.nodes[entry.node as usize].1)) {
                    continue;
                }
                let score = if exact.binary_search(&e).is_ok() {
                    Some(EXACT)
                } else {
                    scorer.score(e)
                };
                if let Some(score) = score {
                    scored.push(Scored {
                        node: entry.node,
                        score,
                        name_chars: entry.name_chars,
                        entry: e,
                    });
                }
            }
        };

        // Phase 1: a name holding every term holds the rarest one, so its postings (and the
        // exact matches) hold every full match.
        let mut by_rarity: Vec<&Term> = terms.iter().collect();
        by_rarity.sort_by_key(|t| t.df);
        let mut first: Vec<u32> = exact.clone();
        if by_rarity[0].df > 0 {
            self.extend_candidates(&mut first, by_rarity[0]);
        }
        first.sort_unstable();
        first.dedup();
        score_all(&first, &mut scored);

        // Phase 2, only when full matches are too few: names holding some terms.
        let mut full_nodes: Vec<u32> = scored
            .iter()
            .filter(|s| s.score >= ALL_TERMS)
            .map(|s| s.node)
            .collect();
        full_nodes.sort_unstable();
        full_nodes.dedup();
        if full_nodes.len() < limit && terms.len() > 1 {
            let total: f32 = terms.iter().map(|t| t.weight).sum();
            // Weight of the terms not yet read: a name first met in a later list holds none
            // of the earlier terms, so once the rest weigh too little, nothing new qualifies.
            let mut rest: f32 = total - by_rarity[0].weight;
            let mut more = Vec::new();
            for term in by_rarity.iter().skip(1) {
                if rest < MIN_PARTIAL_COVERAGE * total
                    || first.len() + more.len() >= CANDIDATE_BUDGET
                {
                    break;
                }
                self.extend_candidates(&mut more, term);
                rest -= term.weight;
            }
            more.sort_unstable();
            more.dedup();
            more.retain(|e| first.binary_search(e).is_err());
            score_all(&more, &mut scored);
        }

        // One hit per node (its best name), then the best `limit` hits in order.
        scored.sort_unstable_by(|a, b| a.node.cmp(&b.node).then(Scored::rank(a, b)));
        scored.dedup_by_key(|s| s.node);
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, Scored::rank);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(Scored::rank);
        scored
            .into_iter()
            .map(|s| {
                let (id, kind) = &self.nodes[s.node as usize];
                Hit {
                    id: id.clone(),
                    kind: *kind,
                    score: s.score,
                    matched: self.entries[s.entry as usize].name.to_string(),
                }
            })
            .collect()
    }

    /// Entries whose folded key is `query_key`, ascending.
    fn exact_matches(&self, query_key: &str) -> Vec<u32> {
        let hash = key_hash(query_key);
        let from = self.exact.partition_point(|&(h, _)| h < hash);
        let mut out: Vec<u32> = self.exact[from..]
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .map(|&(_, e)| e)
            // A 64-bit hash collision is unlikely but not impossible: confirm the key.
            .filter(|&e| {
                let folded = normalize(&self.entries[e as usize].name);
                key(&runs(&folded)) == query_key
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Appends the postings of `term` to `out`, stopping at [`CANDIDATE_BUDGET`]. Postings
    /// list short names first, so what the budget cuts off would rank last.
    fn extend_candidates(&self, out: &mut Vec<u32>, term: &Term) {
        for t in term.lo..term.hi {
            let room = CANDIDATE_BUDGET.saturating_sub(out.len());
            if room == 0 {
                return;
            }
            let list = self.postings_of(t);
            out.extend_from_slice(&list[..list.len().min(room)]);
        }
    }

    fn postings_of(&self, t: u32) -> &[u32] {
        &self.postings[self.starts[t as usize] as usize..self.starts[t as usize + 1] as usize]
    }

    /// Resolves the query's runs into terms: whole words (a prefix for the last word, and for
    /// inner words of [`MIN_INNER_PREFIX`] letters or more), CJK bigrams, or a unigram.
    fn terms(&self, query_runs: &[Run<'_>]) -> Vec<Term> {
        let mut raw: Vec<(String, bool)> = Vec::new();
        let last = query_runs.len() - 1;
        for (i, run) in query_runs.iter().enumerate() {
            match *run {
                Run::Word(w) => raw.push((
                    w.to_owned(),
                    i == last || w.chars().count() >= MIN_INNER_PREFIX,
                )),
                Run::Cjk(_) => for_each_token(std::slice::from_ref(run), |t| {
                    raw.push((t.to_owned(), false))
                }),
            }
        }
        let n = self.entries.len() as f32;
        raw.into_iter()
            .map(|(text, prefix)| {
                let lo = self.vocab.partition_point(|v| **v < *text);
                let len = if prefix {
                    self.vocab[lo..].partition_point(|v| v.starts_with(text.as_str()))
                } else {
                    usize::from(self.vocab.get(lo).is_some_and(|v| **v == *text))
                };
                let hi = lo + len;
                let whole = self
                    .vocab
                    .get(lo)
                    .filter(|v| ***v == *text)
                    .map(|_| lo as u32);
                let df = self.starts[hi] - self.starts[lo];
                Term {
                    lo: lo as u32,
                    hi: hi as u32,
                    whole,
                    unigram: unigram_char(&text)
                        .filter(|_| hi > lo)
                        .map(|_| self.starts[lo]..self.starts[hi]),
                    // Smoothed IDF; an unknown term weighs most, so a typo lowers coverage.
                    weight: (1.0 + n / (1.0 + df as f32)).ln(),
                    df,
                }
            })
            .collect()
    }
}

/// Scores names against one query's terms, reusing its buffers across names.
struct Scorer<'a> {
    index: &'a SearchIndex,
    terms: &'a [Term],
    total_weight: f32,
    positions: Vec<Option<usize>>,
}

impl<'a> Scorer<'a> {
    fn new(index: &'a SearchIndex, terms: &'a [Term]) -> Self {
        Scorer {
            index,
            terms,
            total_weight: terms.iter().map(|t| t.weight).sum(),
            positions: Vec::with_capacity(terms.len()),
        }
    }

    /// How well `term` matches token `t`: 1 for the whole token, [`PREFIX_CREDIT`] for a
    /// prefix, 0 otherwise.
    fn credit(term: &Term, t: u32) -> f32 {
        if term.whole == Some(t) {
            1.0
        } else if (term.lo..term.hi).contains(&t) {
            PREFIX_CREDIT
        } else {
            0.0
        }
    }

    /// Scores entry `e`, or `None` when it matches too little. See [`Hit::score`] for the
    /// tiers.
    fn score(&mut self, e: u32) -> Option<f32> {
        let entry = &self.index.entries[e as usize];
        let tokens =
            &self.index.entry_tokens[entry.tokens.start as usize..entry.tokens.end as usize];
        if tokens.is_empty() {
            return None;
        }
        let mut covered = 0.0f32;
        let mut all = true;
        let mut matched_tokens = 0usize;
        self.positions.clear();
        for term in self.terms {
            let best = if let Some(list) = &term.unigram {
                // A lone character sits inside bigrams: ask its postings, not the tokens.
                let list = &self.index.postings[list.start as usize..list.end as usize];
                list.binary_search(&e).is_ok().then(|| {
                    matched_tokens += 1;
                    (usize::MAX, 1.0)
                })
            } else {
                tokens
                    .iter()
                    .enumerate()
                    .map(|(p, &t)| (p, Self::credit(term, t)))
                    .filter(|&(_, c)| c > 0.0)
                    // Best credit, then earliest position.
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            };
            match best {
                Some((p, c)) => {
                    covered += term.weight * c;
                    self.positions.push(Some(p));
                }
                None => {
                    all = false;
                    self.positions.push(None);
                }
            }
        }
        let coverage = if self.total_weight > 0.0 {
            covered / self.total_weight
        } else {
            0.0
        };
        matched_tokens += tokens
            .iter()
            .filter(|&&t| self.terms.iter().any(|term| Self::credit(term, t) > 0.0))
            .count();
        let name_coverage = (matched_tokens as f32 / tokens.len() as f32).min(1.0);
        if all {
            // Terms found in query order, next to each other: "chinese university" is a
            // phrase of CUHK's name but two scattered words of GZUCM's.
            let in_order = if self.terms.len() < 2 {
                1.0
            } else {
                let adjacent = self
                    .positions
                    .windows(2)
                    .filter(|w| matches!(w, [Some(a), Some(b)] if *a != usize::MAX && *b == *a + 1))
                    .count();
                adjacent as f32 / (self.terms.len() - 1) as f32
            };
            let quality = 0.6 * name_coverage + 0.25 * coverage + 0.15 * in_order;
            Some(ALL_TERMS + (0.95 - ALL_TERMS) * quality)
        } else if coverage >= MIN_PARTIAL_COVERAGE {
            Some(PARTIAL * coverage * (0.5 + 0.5 * name_coverage))
        } else {
            None
        }
    }
}

/// Removes repeats from a sorted slice in place; returns how many distinct values lead it.
fn dedup_sorted(values: &mut [u32]) -> usize {
    let mut kept = 0;
    for i in 0..values.len() {
        if kept == 0 || values[i] != values[kept - 1] {
            values[kept] = values[i];
            kept += 1;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    //! Ranking rules, each isolated on names built so that only that rule separates them
    //! (equal length, and ids ordered against the expected winner).

    use labgraph_domain::{ChangeSet, LabAttrs, LabKind, Names, Node, NodeAttrs, Provenance};

    use super::*;

    fn index(labs: &[(&str, &str)]) -> SearchIndex {
        let mut cs = ChangeSet::new();
        for (id, en) in labs {
            cs.upsert_node(Node {
                id: Id::new(id).expect("test ids are valid"),
                names: Names {
                    en: Some((*en).to_owned()),
                    ..Names::default()
                },
                attrs: NodeAttrs::Lab(LabAttrs {
                    kind: LabKind::Other,
                    category: None,
                    batch_year: None,
                    founded: None,
                    status: None,
                    cities: Vec::new(),
                }),
                provenance: Provenance::default(),
            });
        }
        SearchIndex::build(&Graph::new().apply(&cs).expect("valid test graph").0)
    }

    fn order(index: &SearchIndex, query: &str) -> Vec<String> {
        index
            .search(query, &[], 10)
            .into_iter()
            .map(|h| h.id.to_string())
            .collect()
    }

    #[test]
    fn whole_word_beats_prefix() {
        let index = index(&[("a-prefix", "Oceanic Lab"), ("z-whole", "Ocean Labxx")]);
        assert_eq!(order(&index, "ocean"), ["z-whole", "a-prefix"]);
    }

    #[test]
    fn covering_more_of_the_name_wins() {
        let index = index(&[("a-three", "Ocean Xy Lab"), ("z-two", "Ocean Laboratory")]);
        assert_eq!(order(&index, "ocean"), ["z-two", "a-three"]);
    }

    #[test]
    fn terms_in_query_order_win() {
        let index = index(&[
            ("a-reversed", "Science Marine Lab"),
            ("z-in-order", "Marine Science Lab"),
        ]);
        assert_eq!(
            order(&index, "marine science"),
            ["z-in-order", "a-reversed"]
        );
    }

    #[test]
    fn ties_break_by_shorter_name_then_id() {
        let index = index(&[
            ("a-long", "Ocean Laboratory"),
            ("c-short", "Ocean Labs"),
            ("b-short", "Ocean Labz"),
        ]);
        assert_eq!(order(&index, "ocean"), ["b-short", "c-short", "a-long"]);
    }

    #[test]
    fn rare_terms_weigh_more_in_partial_matches() {
        // "delta" is in one name, "river" in three: the name holding the rare term ranks
        // first although neither name holds both.
        let index = index(&[
            ("a-river", "River Lab"),
            ("b-river", "River Centre"),
            ("c-river", "River Park"),
            ("z-delta", "Delta Labx"),
        ]);
        assert_eq!(order(&index, "delta river")[0], "z-delta");
        assert!(
            index
                .search("delta river", &[], 10)
                .iter()
                .all(|h| h.score < ALL_TERMS)
        );
    }
}
