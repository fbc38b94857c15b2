//! `gaps::reach` on the real graph-seed/ against NetworkX: the hop distances of every Mainland
//! institution to the nearest Hong Kong and Macao institution, as
//! `tests/fixtures/make_reach_fixture.py` computes them with `multi_source_dijkstra_path_length`
//! on an institution network it builds from graph-seed/ by itself.

use std::collections::BTreeMap;
use std::path::Path;

use labgraph_domain::Graph;
use labgraph_insights::gaps;
use serde_json::Value;

fn seed() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
    let parsed = labgraph_io::read_files(&[root]).expect("graph-seed/ reads");
    parsed
        .apply_to(&Graph::new())
        .expect("graph-seed/ applies")
        .0
}

fn fixture() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reach_seed.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
}

#[test]
fn hops_to_hong_kong_and_macao_agree_with_networkx() {
    let want = fixture();
    let reach = gaps::reach(&seed(), gaps::MAX_K, None).expect("valid arguments");
    let got_ids: Vec<&str> = reach.institutions.iter().map(|r| r.id.as_str()).collect();
    let want_ids: Vec<&str> = want["mainland"]
        .as_array()
        .expect("mainland ids")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(got_ids, want_ids);
    let table = |key: &str| -> BTreeMap<String, u32> {
        want[key]
            .as_object()
            .expect("distances")
            .iter()
            .filter_map(|(id, d)| Some((id.clone(), u32::try_from(d.as_u64()?).ok()?)))
            .collect()
    };
    let (hk, macao) = (table("to_hk"), table("to_macao"));
    // Some institutions reach each side, so the comparison says something.
    assert!(!hk.is_empty() && !macao.is_empty());
    for r in &reach.institutions {
        assert_eq!(r.to_hk, hk.get(r.id.as_str()).copied(), "{} to HK", r.id);
        assert_eq!(
            r.to_macao,
            macao.get(r.id.as_str()).copied(),
            "{} to Macao",
            r.id
        );
    }
}
