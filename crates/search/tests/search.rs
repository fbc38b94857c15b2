//! Search behaviour on a small graph of real Greater Bay Area institutions, labs and cities,
//! with their names copied from `reference-data/` (aliases are the ones in common use).

use labgraph_domain::{
    ChangeSet, CityAttrs, Graph, Id, InstitutionAttrs, InstitutionKind, LabAttrs, LabKind, Names,
    Node, NodeAttrs, NodeKind, Provenance, Region,
};
use labgraph_search::{Hit, SearchIndex};

fn names(hans: &str, hant: &str, en: &str, short: &str, aliases: &[&str]) -> Names {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Names {
        zh_hans: some(hans),
        zh_hant: some(hant),
        en: some(en),
        pt: None,
        short: some(short),
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
    }
}

fn node(id: &str, names: Names, attrs: NodeAttrs) -> Node {
    Node {
        id: Id::new(id).expect("test ids are valid"),
        names,
        attrs,
        provenance: Provenance::default(),
    }
}

fn university(id: &str, names: Names) -> Node {
    node(
        id,
        names,
        NodeAttrs::Institution(InstitutionAttrs {
            kind: InstitutionKind::University,
            city: None,
            website: None,
        }),
    )
}

fn lab(id: &str, names: Names, kind: LabKind) -> Node {
    node(
        id,
        names,
        NodeAttrs::Lab(LabAttrs {
            kind,
            category: None,
            batch_year: None,
            founded: None,
            status: None,
            cities: Vec::new(),
        }),
    )
}

fn city(id: &str, names: Names, region: Region) -> Node {
    node(
        id,
        names,
        NodeAttrs::City(CityAttrs {
            region,
            in_gba: true,
            lat: None,
            lon: None,
            adcode: None,
        }),
    )
}

/// The reference institutions (institutions.csv), two labs and two cities.
fn graph() -> Graph {
    let mut um = names(
        "澳门大学",
        "澳門大學",
        "University of Macau",
        "UM",
        &["澳大"],
    );
    um.pt = Some("Universidade de Macau".into());
    let mut must = names(
        "澳门科技大学",
        "澳門科技大學",
        "Macau University of Science and Technology",
        "MUST",
        &["澳科大"],
    );
    must.pt = Some("Universidade de Ciência e Tecnologia de Macau".into());
    let mut macao = names("澳门特别行政区", "澳門特別行政區", "Macao", "", &[]);
    macao.pt = Some("Macau".into());

    let mut cs = ChangeSet::new();
    cs.upsert_node(university(
        "hku",
        names(
            "香港大学",
            "香港大學",
            "The University of Hong Kong",
            "HKU",
            &["港大"],
        ),
    ))
    .upsert_node(university(
        "cuhk",
        names(
            "香港中文大学",
            "香港中文大學",
            "The Chinese University of Hong Kong",
            "CUHK",
            &["港中大"],
        ),
    ))
    .upsert_node(university(
        "hkust",
        names(
            "香港科技大学",
            "香港科技大學",
            "The Hong Kong University of Science and Technology",
            "HKUST",
            &["港科大"],
        ),
    ))
    .upsert_node(university(
        "cityu",
        names(
            "香港城市大学",
            "香港城市大學",
            "City University of Hong Kong",
            "CityUHK",
            &[],
        ),
    ))
    .upsert_node(university(
        "lingnan",
        names(
            "岭南大学",
            "嶺南大學",
            "Lingnan University",
            "LU",
            &["嶺大"],
        ),
    ))
    .upsert_node(university("um", um))
    .upsert_node(university("must", must))
    .upsert_node(university(
        "mpu",
        names(
            "澳门理工大学",
            "澳門理工大學",
            "Macao Polytechnic University",
            "MPU",
            &[],
        ),
    ))
    .upsert_node(university(
        "sysu",
        names(
            "中山大学",
            "中山大學",
            "Sun Yat-sen University",
            "SYSU",
            &[],
        ),
    ))
    .upsert_node(university(
        "gzucm",
        names(
            "广州中医药大学",
            "廣州中醫藥大學",
            "Guangzhou University of Chinese Medicine",
            "GZUCM",
            &[],
        ),
    ))
    .upsert_node(university(
        "szu",
        names("深圳大学", "深圳大學", "Shenzhen University", "SZU", &[]),
    ))
    .upsert_node(university(
        "cuhk-sz",
        names(
            "香港中文大学(深圳)",
            "香港中文大學(深圳)",
            "The Chinese University of Hong Kong, Shenzhen",
            "CUHK-Shenzhen",
            &[],
        ),
    ))
    .upsert_node(university(
        "hkust-gz",
        names(
            "香港科技大学(广州)",
            "香港科技大學(廣州)",
            "The Hong Kong University of Science and Technology (Guangzhou)",
            "HKUST(GZ)",
            &[],
        ),
    ))
    .upsert_node(lab(
        "gdhkmo-smart-cities",
        names(
            "粤港澳智慧城市联合实验室",
            "",
            "Guangdong-Hong Kong-Macao Joint Laboratory for Smart Cities",
            "",
            &[],
        ),
        LabKind::JointLab,
    ))
    .upsert_node(lab(
        "mo-skl-iot-smart-city",
        names(
            "智慧城市物联网全国重点实验室",
            "",
            "State Key Laboratory of Internet of Things for Smart City",
            "",
            &[],
        ),
        LabKind::StateKeyLab,
    ))
    .upsert_node(city("macao", macao, Region::Macao))
    .upsert_node(city(
        "hong-kong",
        names("香港特别行政区", "香港特別行政區", "Hong Kong", "", &[]),
        Region::Hk,
    ));
    let (graph, _) = Graph::new().apply(&cs).expect("the test graph is valid");
    graph
}

fn index() -> SearchIndex {
    SearchIndex::build(&graph())
}

fn ids(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

/// The id of the best hit, or "" when there is none.
fn first(index: &SearchIndex, query: &str) -> String {
    index
        .search(query, &[], 10)
        .first()
        .map(|h| h.id.to_string())
        .unwrap_or_default()
}

#[test]
fn every_spelling_of_cuhk_finds_cuhk_first() {
    let index = index();
    for query in [
        "香港中文大學",
        "香港中文大学",
        "CUHK",
        "cuhk",
        "ＣＵＨＫ",
        "Chinese University of Hong Kong",
        "The Chinese University of Hong Kong",
        "the chinese university of hong-kong",
        "chinese university",
        "港中大",
        "港中文",
    ] {
        assert_eq!(first(&index, query), "cuhk", "query {query:?}");
    }
}

#[test]
fn exact_names_score_one_and_report_the_stored_name() {
    let index = index();
    let hits = index.search("香港中文大學", &[], 3);
    assert_eq!(hits[0].score, 1.0);
    // Both scripts fold to one key; the Simplified spelling is indexed first.
    assert_eq!(hits[0].matched, "香港中文大学");
    let hits = index.search("ｃｕｈｋ", &[], 3);
    assert_eq!((hits[0].score, hits[0].matched.as_str()), (1.0, "CUHK"));
    let hits = index.search("university of macau", &[], 3);
    assert_eq!(hits[0].matched, "University of Macau");
}

#[test]
fn each_language_finds_the_right_node_first() {
    let index = index();
    for (query, want) in [
        ("澳門大學", "um"),
        ("澳门大学", "um"),
        ("Universidade de Macau", "um"),
        ("University of Macau", "um"),
        ("澳大", "um"),
        ("universidade de ciencia e tecnologia", "must"),
        ("Universidade de Ciência e Tecnologia de Macau", "must"),
        ("嶺南大學", "lingnan"),
        ("岭南", "lingnan"),
        ("lingnan", "lingnan"),
        ("香港大學", "hku"),
        ("港大", "hku"),
        ("HKU", "hku"),
        ("hong kong univ science", "hkust"),
        ("Hong Kong University of Science and Technology", "hkust"),
        ("港科大", "hkust"),
        ("香港科技大學（廣州）", "hkust-gz"),
        ("HKUST(GZ)", "hkust-gz"),
        ("hkust gz", "hkust-gz"),
        ("中山大學", "sysu"),
        ("sun yat-sen", "sysu"),
        ("Sun Yat sen University", "sysu"),
        ("廣州中醫藥", "gzucm"),
        ("smart cities", "gdhkmo-smart-cities"),
        ("智慧城市联合", "gdhkmo-smart-cities"),
        ("internet of things", "mo-skl-iot-smart-city"),
        ("Macau", "macao"),
    ] {
        assert_eq!(first(&index, query), want, "query {query:?}");
    }
}

#[test]
fn cuhk_and_cuhk_shenzhen_each_win_their_own_name() {
    let index = index();
    let both = |q: &str| {
        let hits = index.search(q, &[], 10);
        let pos = |id: &str| hits.iter().position(|h| h.id.as_str() == id);
        (pos("cuhk"), pos("cuhk-sz"), hits)
    };
    for query in [
        "香港中文大学",
        "The Chinese University of Hong Kong",
        "CUHK",
    ] {
        let (cuhk, sz, hits) = both(query);
        assert_eq!(cuhk, Some(0), "{query:?}: {hits:?}");
        assert!(
            sz.is_some_and(|p| p > 0),
            "{query:?} also finds the Shenzhen campus: {hits:?}"
        );
        assert!(hits[0].score > hits[sz.expect("found")].score);
    }
    for query in [
        "香港中文大學（深圳）",
        "香港中文大学(深圳)",
        "CUHK-Shenzhen",
        "cuhk shenzhen",
        "chinese university hong kong shenzhen",
    ] {
        let (cuhk, sz, hits) = both(query);
        assert_eq!(sz, Some(0), "{query:?}: {hits:?}");
        assert_ne!(cuhk, Some(0), "{query:?}");
    }
}

#[test]
fn whole_words_beat_prefixes() {
    let index = index();
    let hits = index.search("hku", &[], 10);
    assert_eq!(ids(&hits)[..2], ["hku", "hkust"], "{hits:?}");
    assert!(hits[0].score > hits[1].score);
    // A word being typed still finds its name.
    assert_eq!(first(&index, "lingn"), "lingnan");
}

#[test]
fn a_lone_character_matches_inside_names() {
    let index = index();
    let hits = index.search("澳", &[], 20);
    let found = ids(&hits);
    for want in ["um", "must", "mpu", "macao", "gdhkmo-smart-cities"] {
        assert!(found.contains(&want), "{want} missing from {found:?}");
    }
    assert!(!found.contains(&"hku"), "{found:?}");
}

#[test]
fn scores_are_in_range_ordered_and_each_node_appears_once() {
    let index = index();
    for query in [
        "university",
        "香港",
        "hong kong",
        "大学",
        "smart city lab",
        "macao university",
    ] {
        let hits = index.search(query, &[], 100);
        assert!(!hits.is_empty(), "{query:?}");
        for h in &hits {
            assert!((0.0..=1.0).contains(&h.score), "{query:?}: {h:?}");
        }
        for pair in hits.windows(2) {
            assert!(pair[0].score >= pair[1].score, "{query:?}: {pair:?}");
        }
        let mut seen = ids(&hits);
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), hits.len(), "{query:?}: duplicate node");
    }
}

#[test]
fn partial_matches_rank_below_full_matches() {
    let index = index();
    // "shenzhen" is in no HKUST name: HKUST matches only partly, CUHK-Shenzhen fully.
    let hits = index.search("hong kong university shenzhen", &[], 10);
    assert_eq!(hits[0].id.as_str(), "cuhk-sz", "{hits:?}");
    let hkust = hits
        .iter()
        .find(|h| h.id.as_str() == "hkust")
        .expect("hkust partly matches");
    assert!(hkust.score < 0.5 && hits[0].score > 0.5, "{hits:?}");
}

#[test]
fn kinds_filter_keeps_only_the_kinds_asked_for() {
    let index = index();
    let all = index.search("Macau", &[], 20);
    assert!(all.iter().any(|h| h.kind == NodeKind::City));
    assert!(all.iter().any(|h| h.kind == NodeKind::Institution));

    let institutions = index.search("Macau", &[NodeKind::Institution], 20);
    assert!(!institutions.is_empty());
    assert!(
        institutions.iter().all(|h| h.kind == NodeKind::Institution),
        "{institutions:?}"
    );
    assert_eq!(institutions[0].id.as_str(), "um");

    let labs_and_cities = index.search("smart city macao", &[NodeKind::Lab, NodeKind::City], 20);
    let kinds: Vec<NodeKind> = labs_and_cities.iter().map(|h| h.kind).collect();
    assert!(
        kinds.contains(&NodeKind::Lab) && kinds.contains(&NodeKind::City),
        "{labs_and_cities:?}"
    );
    assert!(!kinds.contains(&NodeKind::Institution));

    assert!(index.search("CUHK", &[NodeKind::Person], 10).is_empty());
}

#[test]
fn limit_caps_the_hits_and_keeps_the_best() {
    let index = index();
    let many = index.search("大学", &[], 100);
    assert!(many.len() > 5, "{many:?}");
    let three = index.search("大学", &[], 3);
    assert_eq!(three, many[..3]);
    assert!(index.search("大学", &[], 0).is_empty());
}

#[test]
fn blank_queries_find_nothing() {
    let index = index();
    for blank in ["", " ", "\t \n", "\u{3000}", "（）", "--"] {
        assert!(index.search(blank, &[], 10).is_empty(), "{blank:?}");
    }
}

#[test]
fn unknown_words_find_nothing() {
    let index = index();
    assert!(index.search("zzyzx", &[], 10).is_empty());
    assert!(index.search("火星", &[], 10).is_empty());
}

#[test]
fn index_is_shareable_between_threads_and_debuggable() {
    fn shareable<T: Send + Sync + std::fmt::Debug>() {}
    shareable::<SearchIndex>();
    let debug = format!("{:?}", index());
    assert!(debug.contains("nodes: 17"), "{debug}");
}
