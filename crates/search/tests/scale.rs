//! Speed and correctness of the index on a synthetic graph of 200,000 nodes.
//!
//! Ignored by default (it builds a large graph); run it in release mode:
//! `cargo test -p labgraph-search --release --test scale -- --ignored --nocapture`.
//! Speed targets are asserted only in release builds, where they are meaningful; the
//! correctness checks run in any build.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use labgraph_domain::{
    ChangeSet, Graph, Id, InstitutionAttrs, InstitutionKind, LabAttrs, LabKind, Names, Node,
    NodeAttrs, NodeKind, PersonAttrs, Provenance,
};
use labgraph_search::SearchIndex;

/// Common Simplified characters, to make Chinese names from.
const CJK: &str = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴医存州";

/// Words that real institution names share, so posting lists are as skewed as in real data.
const COMMON: &[&str] = &[
    "university",
    "institute",
    "laboratory",
    "hospital",
    "technology",
    "science",
    "hong",
    "kong",
    "guangzhou",
    "shenzhen",
];

/// SplitMix64: a tiny deterministic generator, so every run indexes the same graph.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Synthetic {
    graph: Graph,
    /// (id, English name, Chinese name) of every node.
    names: Vec<(String, String, String)>,
}

fn synthetic(nodes: usize) -> Synthetic {
    let mut rng = Rng(0x1abc_0ffe);
    let syllables: Vec<String> = "bcdfghjklmnprstvwxz"
        .chars()
        .flat_map(|c| "aeiou".chars().map(move |v| format!("{c}{v}")))
        .collect();
    let words: Vec<String> = (0..6000)
        .map(|_| {
            (0..2 + rng.below(2))
                .map(|_| syllables[rng.below(syllables.len())].as_str())
                .collect()
        })
        .collect();
    let cjk: Vec<char> = CJK.chars().collect();

    let mut cs = ChangeSet::new();
    let mut names = Vec::with_capacity(nodes);
    for i in 0..nodes {
        let mut en: Vec<&str> = (0..2 + rng.below(3))
            .map(|_| words[rng.below(words.len())].as_str())
            .collect();
        if rng.below(3) == 0 {
            en.push(COMMON[rng.below(COMMON.len())]);
        }
        let en = en.join(" ");
        let zh: String = (0..3 + rng.below(6))
            .map(|_| cjk[rng.below(cjk.len())])
            .collect();
        let (id, attrs, short) = match i % 10 {
            0..=2 => (
                format!("inst-{i}"),
                NodeAttrs::Institution(InstitutionAttrs {
                    kind: InstitutionKind::University,
                    city: None,
                    website: None,
                }),
                Some(format!("U{i}")),
            ),
            3 => (
                format!("lab-{i}"),
                NodeAttrs::Lab(LabAttrs {
                    kind: LabKind::JointLab,
                    category: None,
                    batch_year: None,
                    founded: None,
                    status: None,
                    cities: Vec::new(),
                }),
                None,
            ),
            _ => (
                format!("person-{i}"),
                NodeAttrs::Person(PersonAttrs {}),
                None,
            ),
        };
        cs.upsert_node(Node {
            id: Id::new(&id).expect("generated ids are valid"),
            names: Names {
                zh_hans: Some(zh.clone()),
                zh_hant: None,
                en: Some(en.clone()),
                pt: None,
                short,
                aliases: Vec::new(),
            },
            attrs,
            provenance: Provenance {
                synthetic: true,
                ..Provenance::default()
            },
        });
        names.push((id, en, zh));
    }
    let (graph, _) = Graph::new()
        .apply(&cs)
        .expect("the synthetic graph is valid");
    Synthetic { graph, names }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[test]
#[ignore = "builds a 200k-node graph; run with --release --ignored"]
fn search_200k_nodes() {
    let data = synthetic(200_000);

    let started = Instant::now();
    let index = SearchIndex::build(&data.graph);
    let build = started.elapsed();
    println!(
        "build: {build:?} for {} nodes ({index:?})",
        data.graph.node_count()
    );

    let mut rng = Rng(7);
    let mut queries: Vec<(&str, String, Option<String>)> = Vec::new();
    for _ in 0..400 {
        let (id, en, zh) = &data.names[rng.below(data.names.len())];
        // The exact English name: the node itself must rank first unless another node has
        // the same name (possible, with random words) — then it is still in the top 10.
        queries.push(("english name", en.clone(), Some(id.clone())));
        queries.push(("chinese name", zh.clone(), Some(id.clone())));
        // Sloppy: the first words with the last one cut short.
        let mut sloppy: Vec<&str> = en.split(' ').take(2).collect();
        let cut = &sloppy[1][..sloppy[1].len().min(3)];
        sloppy[1] = cut;
        queries.push(("word + prefix", sloppy.join(" "), None));
        // A Chinese substring, and a single character.
        let chars: Vec<char> = zh.chars().collect();
        queries.push(("chinese bigram", chars[1..3].iter().collect(), None));
        queries.push(("chinese char", chars[0].to_string(), None));
    }
    // The worst cases: one very common word, alone and as a one-letter prefix.
    queries.push(("common word", "university".into(), None));
    queries.push(("one letter", "u".into(), None));

    let mut times = Vec::with_capacity(queries.len());
    let mut by_category: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut misses = Vec::new();
    for (category, query, want) in &queries {
        let started = Instant::now();
        let hits = index.search(query, &[], 10);
        let took = started.elapsed();
        times.push(took);
        by_category.entry(category).or_default().push(took);
        assert!(!hits.is_empty(), "{query:?} found nothing");
        if let Some(want) = want
            && !hits.iter().any(|h| h.id.as_str() == want && h.score == 1.0)
        {
            misses.push((query.clone(), want.clone(), hits));
        }
    }
    assert!(misses.is_empty(), "exact names not found: {misses:?}");

    let filtered = Instant::now();
    let labs = index.search("university", &[NodeKind::Lab], 10);
    let filtered = filtered.elapsed();
    assert!(labs.iter().all(|h| h.kind == NodeKind::Lab) && !labs.is_empty());

    times.sort_unstable();
    let median = percentile(&times, 0.5);
    println!(
        "search over {} queries: median {median:?}, p90 {:?}, p99 {:?}, max {:?}; \"university\" labs only {filtered:?}",
        times.len(),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
        times[times.len() - 1],
    );
    for (category, mut times) in by_category {
        times.sort_unstable();
        println!(
            "  {category:>15}: {:>4} queries, median {:?}, max {:?}",
            times.len(),
            percentile(&times, 0.5),
            times[times.len() - 1]
        );
    }
    if cfg!(not(debug_assertions)) {
        assert!(build < Duration::from_secs(2), "build took {build:?}");
        assert!(
            median < Duration::from_millis(1),
            "median search took {median:?}"
        );
    }
}
