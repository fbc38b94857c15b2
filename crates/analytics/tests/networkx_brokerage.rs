//! Structural holes, brokerage roles and what bridges and articulation points cut off, against
//! the references of `tests/fixtures/make_fixtures_brokerage.py` (NetworkX 3.6.1 for Burt's
//! measures and for the pieces left after each removal, a brute force over all triples for
//! Gould & Fernandez's roles), plus hand-checked cases and the group-file reader's errors.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use labgraph_analytics::algo::{
    self, GroupFileError, HoleMeasures, Roles, jurisdiction_group, read_groups, region_group,
};
use labgraph_analytics::{Network, read_edge_list, read_edge_list_str};
use labgraph_domain::{Graph, Id};
use serde_json::{Map, Value};

const FIXTURES: [&str; 5] = ["hand", "mixed", "tree", "synthetic", "seed-institutions"];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Fixture {
    name: String,
    network: Network,
    doc: Value,
}

impl Fixture {
    fn results(&self, key: &str) -> &Value {
        let v = &self.doc["results"][key];
        assert!(!v.is_null(), "{}: no results.{key}", self.name);
        v
    }

    fn groupings(&self) -> &Map<String, Value> {
        self.doc["groupings"].as_object().expect("groupings")
    }
}

fn load(name: &str) -> Fixture {
    let path = dir().join(format!("brokerage-{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let network = match doc["edge_list"].as_str() {
        Some(file) => read_edge_list(&dir().join(file)).expect("fixture edge list reads"),
        None => {
            let mut text = String::new();
            for n in doc["nodes"].as_array().expect("nodes") {
                text.push_str(str_of(n));
                text.push('\n');
            }
            for e in doc["edges"].as_array().expect("edges") {
                let w = e[2].as_f64().expect("strength");
                text.push_str(&format!("{} {} {w}\n", str_of(&e[0]), str_of(&e[1])));
            }
            read_edge_list_str(name, &text).expect("fixture edges read")
        }
    };
    let nodes = doc["nodes"].as_array().expect("nodes").len();
    assert_eq!(network.node_count(), nodes, "{name}: node count");
    Fixture {
        name: name.into(),
        network,
        doc,
    }
}

fn each(check: impl Fn(&Fixture)) {
    for name in FIXTURES {
        check(&load(name));
    }
}

fn str_of(v: &Value) -> &str {
    v.as_str().expect("string")
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|s| str_of(s).to_owned())
        .collect()
}

/// Relative agreement to 1e-9; values both within 1e-14 of zero agree (hierarchy of equal
/// local constraints is 0 in exact arithmetic, ±1e-17 in either implementation).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) || (a.abs() < 1e-14 && b.abs() < 1e-14)
}

fn id(s: &str) -> Id {
    Id::new(s).expect("valid id")
}

#[test]
fn structural_holes_match_networkx_weighted_and_not() {
    each(|f| {
        for (key, weighted) in [("holes_unweighted", false), ("holes_weighted", true)] {
            let want = f.results(key);
            let got = algo::structural_holes(&f.network, weighted);
            assert_eq!(got.len(), f.network.node_count(), "{}: {key}", f.name);
            let undefined = strings(&want["undefined"]);
            let no_hierarchy = strings(&want["no_hierarchy"]);
            for (node, m) in got.iter() {
                let node = node.as_str();
                let Some(m) = m else {
                    assert!(
                        undefined.contains(node),
                        "{}: {key}: {node} has no measures, NetworkX has",
                        f.name
                    );
                    assert_eq!(got.get(node), None);
                    continue;
                };
                assert!(
                    !undefined.contains(node),
                    "{}: {key}: {node} is NaN in NetworkX",
                    f.name
                );
                for (measure, value) in [
                    ("constraint", m.constraint),
                    ("effective_size", m.effective_size),
                    ("efficiency", m.efficiency),
                ] {
                    let w = want[measure][node].as_f64().expect("number");
                    assert!(
                        close(value, w),
                        "{}: {key}.{measure}[{node}] = {value}, reference {w}",
                        f.name
                    );
                }
                match m.hierarchy {
                    None => assert!(
                        no_hierarchy.contains(node),
                        "{}: {key}: {node} hierarchy",
                        f.name
                    ),
                    Some(h) => {
                        let w = want["hierarchy"][node].as_f64().expect("number");
                        assert!(
                            close(h, w),
                            "{}: {key}.hierarchy[{node}] = {h}, reference {w}",
                            f.name
                        );
                    }
                }
            }
        }
    });
}

#[test]
fn nodes_without_ties_have_no_burt_measures() {
    // NetworkX reports NaN for a lone node; labgraph reports nothing, and a single partner
    // has constraint, effective size and efficiency 1 but no hierarchy (0 / 0).
    let net = read_edge_list_str("g", "a b 2\nb c\nlone\n").expect("reads");
    for weighted in [false, true] {
        let holes = algo::structural_holes(&net, weighted);
        assert_eq!(holes.get("lone"), None);
        assert_eq!(holes.get("not-a-node"), None);
        assert_eq!(
            holes.get("a"),
            Some(HoleMeasures {
                constraint: 1.0,
                effective_size: 1.0,
                efficiency: 1.0,
                hierarchy: None,
            })
        );
        // b: two partners not tied to each other: effective size 2, and the constraint is
        // the sum of the squared shares, which are equal only without weights.
        let b = holes.get("b").expect("b has ties");
        assert_eq!(b.effective_size, 2.0);
        let want = if weighted {
            (2.0f64 / 3.0).powi(2) + (1.0f64 / 3.0).powi(2)
        } else {
            0.5
        };
        assert!(close(b.constraint, want), "{weighted}: {}", b.constraint);
        assert_eq!(b.hierarchy.map(|h| h.abs() < 1e-15), Some(!weighted));
    }
}

fn roles_of(v: &Value) -> Roles {
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k}"));
    Roles {
        coordinator: n("coordinator"),
        itinerant: n("itinerant"),
        gatekeeper: n("gatekeeper"),
        representative: n("representative"),
        liaison: n("liaison"),
        total: n("total"),
    }
}

#[test]
fn brokerage_roles_equal_the_brute_force_counts() {
    each(|f| {
        for (grouping, groups) in f.groupings() {
            let groups = groups.as_object().expect("groups");
            let got = algo::brokerage(&f.network, |id| groups.get(id.as_str()).map(str_of));
            let want = f.results("brokerage")[grouping.as_str()]
                .as_object()
                .expect("roles");
            assert_eq!(got.len(), f.network.node_count());
            for (node, roles) in got.iter() {
                let expected = want.get(node.as_str()).map(roles_of);
                assert_eq!(roles, expected, "{}: {grouping}: {node}", f.name);
                if let Some(r) = roles {
                    assert_eq!(r.gatekeeper, r.representative, "{}: {node}", f.name);
                }
            }
        }
    });
}

#[test]
fn brokerage_by_hand() {
    // b's partners: a1, a2, a3 (its group A; a1–a2 tied), c1, c2 (C, tied), d (D).
    // Open pairs: {a1,a3} {a2,a3} coordinator; A×{c1,c2,d} nine gatekeeper/representative;
    // {c1,d} {c2,d} liaison. d's other partner e has no group: {b, e} is not counted.
    let net = read_edge_list_str(
        "hand",
        "b a1\nb a2\na1 a2\nb a3\nb c1\nb c2\nc1 c2\nb d\nd e\nx y\ny w\nw x\nw t\nz\n",
    )
    .expect("reads");
    let group = |id: &Id| match id.as_str() {
        "e" => None,
        s if s.starts_with('a') || s == "b" => Some("A"),
        s if s.starts_with('c') => Some("C"),
        "d" => Some("D"),
        "x" | "w" => Some("X"),
        "y" | "t" => Some("Y"),
        _ => Some("Z"),
    };
    let roles = algo::brokerage(&net, group);
    let r = |coordinator, itinerant, gk, liaison| Roles {
        coordinator,
        itinerant,
        gatekeeper: gk,
        representative: gk,
        liaison,
        total: coordinator + itinerant + gk + liaison,
    };
    assert_eq!(roles.get("b"), Some(r(2, 0, 9, 2)));
    assert_eq!(roles.get("d"), Some(r(0, 0, 0, 0)));
    assert_eq!(roles.get("e"), None);
    // w (X) links x (X) and t (Y): gatekeeper; y and t (both Y): itinerant; x–y are tied.
    assert_eq!(roles.get("w"), Some(r(0, 1, 1, 0)));
    assert_eq!(roles.get("z"), Some(r(0, 0, 0, 0)));
    // One group for all: every open two-path is coordination.
    let one = algo::brokerage(&net, |_| Some(()));
    assert_eq!(one.get("b"), Some(r(13, 0, 0, 0)));
}

#[test]
fn seed_groups_come_from_the_graph_and_broker_as_the_reference_says() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
    let (graph, _) = labgraph_io::read_files(&[seed])
        .expect("seed reads")
        .apply_to(&Graph::new())
        .expect("seed applies");
    let f = load("seed-institutions");
    let regions = f.groupings()["region"].as_object().expect("regions");
    let jurisdictions = f.groupings()["jurisdiction"]
        .as_object()
        .expect("jurisdictions");
    for node in f.network.ids() {
        assert_eq!(
            region_group(&graph, node).map(|r| r.code()),
            regions.get(node.as_str()).map(str_of),
            "{node}: region"
        );
        let j =
            jurisdiction_group(&graph, node).map(|j| serde_json::to_value(j).expect("serialises"));
        assert_eq!(
            j.as_ref(),
            jurisdictions.get(node.as_str()),
            "{node}: jurisdiction"
        );
    }
    for (grouping, roles) in [
        (
            "region",
            algo::brokerage(&f.network, |id| region_group(&graph, id)),
        ),
        (
            "jurisdiction",
            algo::brokerage(&f.network, |id| jurisdiction_group(&graph, id)),
        ),
    ] {
        let want = f.results("brokerage")[grouping].as_object().expect("roles");
        for (node, r) in roles.iter() {
            assert_eq!(
                r,
                want.get(node.as_str()).map(roles_of),
                "{grouping}: {node}"
            );
        }
    }
}

fn sorted_ids<'a>(ids: impl Iterator<Item = &'a Id>) -> Vec<String> {
    let mut v: Vec<String> = ids.map(|id| id.to_string()).collect();
    v.sort();
    v
}

fn id_lists(v: &Value) -> Vec<Vec<String>> {
    v.as_array()
        .expect("list of lists")
        .iter()
        .map(|l| strings(l).into_iter().collect())
        .collect()
}

#[test]
fn bridge_sides_equal_networkx_after_removal() {
    each(|f| {
        let cuts = algo::cuts(&f.network);
        let plain: Vec<(Id, Id)> = cuts
            .bridges()
            .map(|b| (b.ends().0.clone(), b.ends().1.clone()))
            .collect();
        assert_eq!(plain, algo::bridges(&f.network), "{}: same bridges", f.name);
        let mut got: BTreeMap<(String, String), (Vec<String>, Vec<String>)> = BTreeMap::new();
        for b in cuts.bridges() {
            let (a, z) = b.ends();
            let (sa, sz) = b.sides();
            assert_eq!(b.sizes(), (sa.len(), sz.len()));
            assert!(sa.contains(a.as_str()) && sz.contains(z.as_str()));
            let (sa, sz) = (sorted_ids(sa.ids()), sorted_ids(sz.ids()));
            let entry = if a.as_str() < z.as_str() {
                ((a.to_string(), z.to_string()), (sa, sz))
            } else {
                ((z.to_string(), a.to_string()), (sz, sa))
            };
            got.insert(entry.0, entry.1);
        }
        let want = f.results("cuts")["bridges"].as_array().expect("bridges");
        assert_eq!(got.len(), want.len(), "{}: bridge count", f.name);
        for w in want {
            let key = (
                str_of(&w["ends"][0]).to_owned(),
                str_of(&w["ends"][1]).to_owned(),
            );
            let sides = id_lists(&w["sides"]);
            let g = got
                .get(&key)
                .unwrap_or_else(|| panic!("{}: {key:?} missing", f.name));
            assert_eq!(
                g,
                &(sides[0].clone(), sides[1].clone()),
                "{}: {key:?}",
                f.name
            );
        }
        let (a, b) = plain
            .first()
            .map_or(("", ""), |(a, b)| (a.as_str(), b.as_str()));
        if !a.is_empty() {
            assert!(cuts.bridge(b, a).is_some(), "{}: lookup either way", f.name);
        }
    });
}

#[test]
fn articulation_pieces_equal_networkx_after_removal() {
    each(|f| {
        let cuts = algo::cuts(&f.network);
        let points: Vec<Id> = cuts
            .articulation_points()
            .map(|p| p.node().clone())
            .collect();
        assert_eq!(points, algo::articulation_points(&f.network), "{}", f.name);
        let want = f.results("cuts")["articulation_points"]
            .as_array()
            .expect("points");
        assert_eq!(points.len(), want.len(), "{}: point count", f.name);
        for w in want {
            let node = str_of(&w["node"]);
            let p = cuts
                .articulation_point(node)
                .unwrap_or_else(|| panic!("{}: {node} is a cut vertex", f.name));
            let want_pieces = id_lists(&w["pieces"]);
            let sizes = p.sizes();
            assert_eq!(
                sizes,
                want_pieces.iter().map(Vec::len).collect::<Vec<_>>(),
                "{}: {node}: sizes, largest first",
                f.name
            );
            let mut got: Vec<Vec<String>> =
                p.pieces().map(|piece| sorted_ids(piece.ids())).collect();
            got.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
            assert_eq!(got, want_pieces, "{}: {node}: pieces", f.name);
            // `contains` agrees with `ids` for every node of the network.
            for piece in p.pieces() {
                let members: BTreeSet<&Id> = piece.ids().collect();
                for v in f.network.ids() {
                    assert_eq!(
                        piece.contains(v.as_str()),
                        members.contains(v),
                        "{}: {node}: {v}",
                        f.name
                    );
                }
            }
        }
        assert!(cuts.articulation_point("not-a-node").is_none());
    });
}

#[test]
fn a_long_chain_is_cut_without_recursion() {
    // 200k nodes in a path: every inner node and tie is a cut; the search must not overflow
    // the stack, and the piece sizes follow from the position on the chain.
    let n = 200_000;
    let mut text = String::new();
    for i in 1..n {
        text.push_str(&format!("v{} v{i}\n", i - 1));
    }
    let net = read_edge_list_str("chain", &text).expect("reads");
    let cuts = algo::cuts(&net);
    assert_eq!(cuts.bridges().len(), n - 1);
    assert_eq!(cuts.articulation_points().len(), n - 2);
    let p = cuts.articulation_point("v1000").expect("inner node");
    assert_eq!(p.sizes(), vec![n - 1001, 1000]);
    let b = cuts.bridge("v10", "v9").expect("a tie of the chain");
    assert_eq!(b.ends(), (&id("v9"), &id("v10")));
    assert_eq!(b.sizes(), (10, n - 10));
}

fn groups_file(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("labgraph-groups-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("temp file writes");
    path
}

#[test]
fn group_files_read_and_bad_lines_are_named() {
    let net = read_edge_list_str("g", "a b\nb c\n").expect("reads");
    let ok = groups_file("ok", "# node group\na hk\n\nb gd  # trailing comment\n");
    let groups = read_groups(&ok, &net).expect("reads");
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[&id("a")], "hk");
    assert_eq!(groups.get(&id("c")), None);
    for (name, text, line, reason) in [
        (
            "unknown",
            "a hk\nq gd\n",
            2,
            "q is not a node of the network",
        ),
        (
            "twice",
            "a hk\nb gd\na mo\n",
            3,
            "a was already given a group on line 1",
        ),
        (
            "fields",
            "a hk extra\n",
            1,
            "expected `node group`, found 3 fields: \"a hk extra\"",
        ),
        (
            "alone",
            "\n\nb\n",
            3,
            "expected `node group`, found 1 fields: \"b\"",
        ),
    ] {
        let path = groups_file(name, text);
        let err = read_groups(&path, &net).expect_err(name);
        assert!(
            matches!(&err, GroupFileError::Line { line: l, .. } if *l == line),
            "{name}: {err}"
        );
        assert_eq!(
            err.to_string(),
            format!("{}:{line}: {reason}", path.display())
        );
        std::fs::remove_file(path).expect("removes");
    }
    std::fs::remove_file(&ok).expect("removes");
    let missing = read_groups(Path::new("/nonexistent/groups.txt"), &net).expect_err("missing");
    assert!(
        missing.to_string().starts_with("/nonexistent/groups.txt: "),
        "{missing}"
    );
}
