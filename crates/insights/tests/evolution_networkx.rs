//! `evolution::evolution` on the real graph-seed/, 2017–2025, against NetworkX: ties,
//! cross-border ties, density and components over the institutions with a tie, and the top
//! three brokers by normalised betweenness, as `tests/fixtures/make_evolution_fixture.py`
//! computes them on institution networks it builds from graph-seed/ by itself.

use std::path::Path;

use labgraph_domain::Graph;
use labgraph_insights::evolution;
use serde_json::Value;

fn seed() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
    let parsed = labgraph_io::read_files(&[root]).expect("graph-seed/ reads");
    parsed
        .apply_to(&Graph::new())
        .expect("graph-seed/ applies")
        .0
}

#[test]
fn yearly_figures_agree_with_networkx() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/evolution_seed.json");
    let want: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON");
    let want = want["years"].as_array().expect("years");
    let got = evolution::evolution(&seed(), 2017, 2025).expect("valid years");
    assert_eq!(got.len(), want.len());
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
    for (g, w) in got.iter().zip(want) {
        let year = g.year;
        assert_eq!(Some(i64::from(year)), w["year"].as_i64());
        let count = |key: &str| w[key].as_u64().and_then(|n| usize::try_from(n).ok());
        assert_eq!(Some(g.institutions), count("institutions"), "{year}");
        assert_eq!(Some(g.ties), count("ties"), "{year}");
        assert_eq!(
            Some(g.cross_border_ties),
            count("cross_border_ties"),
            "{year}"
        );
        assert_eq!(Some(g.components), count("components"), "{year}");
        match (g.density, w["density"].as_f64()) {
            (Some(a), Some(b)) => assert!(close(a, b), "{year}: density {a} vs {b}"),
            (a, b) => assert_eq!(a, b, "{year}: density"),
        }
        let brokers = w["top_brokers"].as_array().expect("brokers");
        assert_eq!(g.top_brokers.len(), brokers.len(), "{year}");
        for ((id, score), b) in g.top_brokers.iter().zip(brokers) {
            assert_eq!(Some(id.as_str()), b[0].as_str(), "{year}");
            let want = b[1].as_f64().expect("a score");
            assert!(close(*score, want), "{year} {id}: {score} vs {want}");
        }
    }
}
