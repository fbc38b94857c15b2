//! The synthetic generator: deterministic, well-formed, GBA-shaped.

use std::collections::HashMap;

use labgraph_domain::{EdgeKind, Graph, NodeKind};
use labgraph_io::synthetic::{Params, write_synthetic};
use labgraph_io::{Format, read_str};

fn generate(params: &Params) -> (String, labgraph_io::synthetic::SyntheticStats) {
    let mut out = Vec::new();
    let stats = write_synthetic(params, &mut out).expect("write to memory");
    (String::from_utf8(out).expect("UTF-8"), stats)
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let params = Params::new(60, 1_500, 42);
    let (a, _) = generate(&params);
    let (b, _) = generate(&params);
    assert_eq!(a, b);
    let (c, _) = generate(&Params { seed: 43, ..params });
    assert_ne!(a, c);
    assert!(c.contains("synthetic generator seed=43"));
}

#[test]
fn output_imports_cleanly_and_has_the_gba_shape() {
    let params = Params::new(200, 8_000, 7);
    let (text, stats) = generate(&params);
    let parsed = read_str("synthetic.jsonl", &text, Format::Jsonl).expect("reads");
    let (graph, _) = parsed.apply_to(&Graph::new()).expect("applies");
    assert_eq!(graph.node_count(), stats.nodes);
    assert_eq!(graph.edge_count(), stats.edges);
    assert_eq!(graph.count_of(NodeKind::Institution), 200);
    assert_eq!(graph.count_of(NodeKind::Person), 8_000);
    assert_eq!(graph.count_of(NodeKind::Lab), 40);
    assert_eq!(graph.count_of(NodeKind::City), 23, "the real cities");

    // Every generated record is marked synthetic; the real cities and fields are not.
    for node in graph.nodes() {
        let real = matches!(node.kind(), NodeKind::City | NodeKind::Field);
        assert_eq!(node.provenance.synthetic, !real, "{}", node.id);
    }
    assert!(graph.edges().all(|e| e.provenance.synthetic));

    // Collaborations: as many as asked, cross-border share near the requested 6 %.
    let collaborations: Vec<_> = graph
        .edges()
        .filter(|e| e.kind == EdgeKind::CollaboratesWith)
        .collect();
    assert_eq!(collaborations.len(), params.collaborations);
    assert_eq!(stats.collaborations, params.collaborations);
    let cross = collaborations
        .iter()
        .filter(|e| graph.tie_class(e).is_some_and(|c| c.is_cross_border()))
        .count();
    assert_eq!(
        cross, stats.cross_border_collaborations,
        "the graph agrees with the stats"
    );
    let share = cross as f64 / collaborations.len() as f64;
    assert!((0.04..0.15).contains(&share), "cross-border share {share}");
    for e in &collaborations {
        let w = e.weight.expect("weighted");
        assert!(
            w >= 1.0 && w.fract() == 0.0,
            "joint papers are counted: {w}"
        );
        assert!((2010..=2025).contains(&e.since.expect("since")));
    }

    // Heavy tails: the busiest person and the biggest institution stand far above the mean.
    let mut degree: HashMap<&str, usize> = HashMap::new();
    for e in &collaborations {
        *degree.entry(e.from.as_str()).or_default() += 1;
        *degree.entry(e.to.as_str()).or_default() += 1;
    }
    let mean = 2.0 * collaborations.len() as f64 / params.people as f64;
    let max = degree
        .values()
        .copied()
        .max()
        .expect("someone collaborates") as f64;
    assert!(max > 8.0 * mean, "max degree {max} vs mean {mean}");
    let staff: Vec<usize> = graph
        .nodes_of(NodeKind::Institution, None)
        .map(|i| {
            graph
                .adjacent(i.id.as_str())
                .filter(|a| a.edge.kind == EdgeKind::AffiliatedWith)
                .count()
        })
        .collect();
    let mean_staff = staff.iter().sum::<usize>() as f64 / staff.len() as f64;
    let max_staff = *staff.iter().max().expect("institutions") as f64;
    assert!(
        max_staff > 10.0 * mean_staff,
        "max staff {max_staff} vs mean {mean_staff}"
    );

    // Most institutions in the Pearl River Delta, few in East, West and North Guangdong.
    let mut regions: HashMap<labgraph_domain::Region, usize> = HashMap::new();
    for i in graph.nodes_of(NodeKind::Institution, None) {
        for r in graph.regions_of(i.id.as_str()) {
            *regions.entry(r).or_default() += 1;
        }
    }
    use labgraph_domain::Region::*;
    let prd = regions.get(&GdPrd).copied().unwrap_or(0);
    let outer: usize = [GdEast, GdWest, GdNorth]
        .iter()
        .map(|r| regions.get(r).copied().unwrap_or(0))
        .sum();
    assert!(prd > 100, "PRD institutions: {prd}");
    assert!(
        outer > 0 && outer < 50,
        "East/West/North institutions: {outer}"
    );
    assert!(regions.get(&Hk).copied().unwrap_or(0) > 10);
}
