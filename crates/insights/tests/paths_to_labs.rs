//! Introduction paths to (and from) a lab on a graph small enough to check by hand: the k
//! shortest paths to any member, ending in a lab hop with the member's role; a start that is
//! already a member; the hop bound, the border filter, and the arguments refused.

use labgraph_domain::{EdgeRole, Graph, Id, TieClass};
use labgraph_insights::paths::{Actors, Cooperation, IntroPath, PathError, check_path_args};

/// Five institutions and three labs, every length worked out by hand:
///
/// ```text
///   a (gz) ──0.5── b (gz)          ties (length = 1/strength · (1 + 0.25 · years stale)):
///    │  \            │             a–b  collaboration weight 2, 2023          0.5
///   l2    3          2             a–e  shared lab l2, 2021                   1
///    │      \        │             e–c  collaboration, 2021                   1
///   e (mo)   c (hk)  d (hk)        e–d  collaboration weight 4, 2022          0.25
///    e–c 1, e–d 0.25, c–d l1 1     b–d  collaboration 2017–2019 (4 years):    2
///                                  a–c  collaboration 2012–2015 (8 years):    3
///                                  c–d  shared lab l1, 2020                   1
/// ```
///
/// l1 (Hong Kong): c host, d partner. l2 (Guangzhou): a host, e partner. l3: no member at
/// all. People: p1 is a PI of l1 and collaborates with p2 (length 1). The latest year in the
/// graph is 2023.
const SMALL: &str = r#"
{"record":"node","kind":"city","id":"gz","name_en":"Guangzhou","region":"gd_prd","in_gba":true}
{"record":"node","kind":"city","id":"hk","name_en":"Hong Kong","region":"hk","in_gba":true}
{"record":"node","kind":"city","id":"mo","name_en":"Macao","region":"macao","in_gba":true}
{"record":"node","kind":"field","id":"marine","name_en":"Marine","field_group":"discipline"}
{"record":"node","kind":"platform","id":"zone","name_en":"A zone","platform_kind":"cooperation_zone"}
{"record":"node","kind":"institution","id":"a","name_en":"A","institution_kind":"university","city":"gz"}
{"record":"node","kind":"institution","id":"b","name_en":"B","institution_kind":"university","city":"gz"}
{"record":"node","kind":"institution","id":"c","name_en":"C","institution_kind":"university","city":"hk"}
{"record":"node","kind":"institution","id":"d","name_en":"D","institution_kind":"research_institute","city":"hk"}
{"record":"node","kind":"institution","id":"e","name_en":"E","institution_kind":"university","city":"mo"}
{"record":"node","kind":"lab","id":"l1","name_en":"Lab 1","lab_kind":"state_key_lab","cities":["hk"]}
{"record":"node","kind":"lab","id":"l2","name_en":"Lab 2","lab_kind":"joint_lab","cities":["gz"]}
{"record":"node","kind":"lab","id":"l3","name_en":"Lab 3","lab_kind":"other"}
{"record":"node","kind":"person","id":"p1","name_en":"P One"}
{"record":"node","kind":"person","id":"p2","name_en":"P Two"}
{"record":"edge","kind":"partner_in","from":"c","to":"l1","role":"host","since":2020,"source":"a plaque","verified":true}
{"record":"edge","kind":"partner_in","from":"d","to":"l1","role":"partner","since":2020}
{"record":"edge","kind":"partner_in","from":"a","to":"l2","role":"host","since":2021}
{"record":"edge","kind":"partner_in","from":"e","to":"l2","role":"partner","since":2021}
{"record":"edge","kind":"works_on","from":"l1","to":"marine"}
{"record":"edge","kind":"collaborates_with","from":"a","to":"b","weight":2,"since":2023}
{"record":"edge","kind":"collaborates_with","from":"e","to":"c","since":2021}
{"record":"edge","kind":"collaborates_with","from":"e","to":"d","weight":4,"since":2022}
{"record":"edge","kind":"collaborates_with","from":"b","to":"d","since":2017,"until":2019}
{"record":"edge","kind":"collaborates_with","from":"a","to":"c","since":2012,"until":2015}
{"record":"edge","kind":"member_of","from":"p1","to":"l1","role":"pi","since":2020}
{"record":"edge","kind":"collaborates_with","from":"p1","to":"p2","since":2022}
"#;

fn small() -> Graph {
    let parsed = labgraph_io::read_str("small.jsonl", SMALL, labgraph_io::Format::Jsonl)
        .expect("the small graph parses");
    parsed
        .apply_to(&Graph::new())
        .expect("the small graph is valid")
        .0
}

/// Each path as its nodes joined by `-` and its length.
fn summary(paths: &[IntroPath]) -> Vec<(String, f64)> {
    paths
        .iter()
        .map(|p| {
            let nodes: Vec<&str> = p.nodes.iter().map(Id::as_str).collect();
            (nodes.join("-"), p.length)
        })
        .collect()
}

#[track_caller]
fn assert_paths(got: &[IntroPath], expected: &[(&str, f64)]) {
    let got = summary(got);
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for ((g, gl), (e, el)) in got.iter().zip(expected) {
        assert_eq!(g, e, "{got:?}");
        assert!((gl - el).abs() < 1e-12, "{g}: {gl} != {el}");
    }
}

fn institutions(graph: &Graph, cross_border_only: bool) -> Cooperation<'_> {
    Cooperation::new(graph, Actors::Institutions, cross_border_only)
}

#[test]
fn the_k_shortest_paths_to_a_lab_are_the_shortest_to_any_member_overall() {
    let graph = small();
    let coop = institutions(&graph, false);
    // By hand: a reaches l1's members c and d as a-e-d 1 + 0.25, a-e-c 1 + 1, a-b-d 0.5 + 2,
    // a-c 3. Paths stop at the first member, so a-e-d-c (through d into c) is not one.
    // k = 20 is more than the four that exist.
    let paths = coop.paths("a", "l1", 20, 6).expect("paths");
    assert_paths(
        &paths,
        &[
            ("a-e-d-l1", 1.25),
            ("a-e-c-l1", 2.0),
            ("a-b-d-l1", 2.5),
            ("a-c-l1", 3.0),
        ],
    );
    // k = 2: the two shortest overall (both through e), not two per member.
    assert_paths(
        &coop.paths("a", "l1", 2, 6).expect("paths"),
        &[("a-e-d-l1", 1.25), ("a-e-c-l1", 2.0)],
    );

    // The last hop enters the lab, naming the member's role and the membership's provenance.
    let first = &paths[0];
    assert_eq!(first.hops.len(), 3);
    assert!(!first.already_member());
    let tie = &first.hops[1];
    assert_eq!((tie.from.as_str(), tie.to.as_str()), ("e", "d"));
    assert!(tie.membership.is_none() && !tie.is_lab_hop());
    assert_eq!(tie.class, Some(TieClass::HkMacao));
    let last = &first.hops[2];
    assert_eq!((last.from.as_str(), last.to.as_str()), ("d", "l1"));
    assert_eq!((last.strength, last.length), (0.0, 0.0));
    assert_eq!(
        last.class,
        Some(TieClass::Domestic),
        "l1's partners are all in HK"
    );
    assert_eq!((last.since, last.until), (Some(2020), None));
    assert!(last.connectors.is_empty());
    let m = last.membership.as_ref().expect("a lab hop");
    assert_eq!((m.lab.as_str(), m.member.as_str()), ("l1", "d"));
    assert_eq!(m.role, Some(EdgeRole::Partner));
    assert!(!m.provenance.verified);
    let host = paths[1].hops[2].membership.as_ref().expect("a lab hop");
    assert_eq!(
        (host.member.as_str(), host.role),
        ("c", Some(EdgeRole::Host))
    );
    assert_eq!(host.provenance.source.as_deref(), Some("a plaque"));
    assert!(host.provenance.verified);
}

#[test]
fn max_hops_counts_the_ties_and_not_the_lab_hop() {
    let graph = small();
    let coop = institutions(&graph, false);
    // By hand from b: b-a-e-d 0.5 + 1 + 0.25 (3 ties), b-d 2 (1), b-a-e-c 2.5 (3), b-a-c 3.5 (2).
    assert_paths(
        &coop.paths("b", "l1", 10, 6).expect("paths"),
        &[
            ("b-a-e-d-l1", 1.75),
            ("b-d-l1", 2.0),
            ("b-a-e-c-l1", 2.5),
            ("b-a-c-l1", 3.5),
        ],
    );
    assert_paths(
        &coop.paths("b", "l1", 10, 2).expect("paths"),
        &[("b-d-l1", 2.0), ("b-a-c-l1", 3.5)],
    );
    assert_paths(
        &coop.paths("b", "l1", 10, 1).expect("paths"),
        &[("b-d-l1", 2.0)],
    );
}

#[test]
fn cross_border_only_drops_the_domestic_ties_before_the_lab() {
    let graph = small();
    let coop = institutions(&graph, true);
    // a-b (both Guangzhou) is gone, so a-b-d is; the others cross a border at every tie.
    let paths = coop.paths("a", "l1", 10, 6).expect("paths");
    assert_paths(
        &paths,
        &[("a-e-d-l1", 1.25), ("a-e-c-l1", 2.0), ("a-c-l1", 3.0)],
    );
    for p in &paths {
        assert!(
            p.hops
                .iter()
                .filter(|h| !h.is_lab_hop())
                .all(|h| h.class.is_some_and(TieClass::is_cross_border)),
            "{p:?}"
        );
    }
    // b's only cross-border tie is the stale one to d.
    assert_paths(
        &coop.paths("b", "l1", 10, 6).expect("paths"),
        &[("b-d-l1", 2.0)],
    );
}

#[test]
fn a_start_already_in_the_lab_gets_one_path_of_length_zero() {
    let graph = small();
    let coop = institutions(&graph, false);
    for (from, role) in [("a", EdgeRole::Host), ("e", EdgeRole::Partner)] {
        let paths = coop.paths(from, "l2", 5, 6).expect("paths");
        assert_paths(&paths, &[(&format!("{from}-l2"), 0.0)]);
        assert!(paths[0].already_member());
        let m = paths[0].hops[0].membership.as_ref().expect("a lab hop");
        assert_eq!(m.role, Some(role));
        assert_eq!(paths[0].hops[0].class, Some(TieClass::MainlandMacao));
    }
    // The same, the other way round: a member asked for from its lab.
    let back = coop.paths("l1", "c", 5, 6).expect("paths");
    assert_paths(&back, &[("l1-c", 0.0)]);
    assert!(back[0].already_member());
    assert_eq!(
        (back[0].hops[0].from.as_str(), back[0].hops[0].to.as_str()),
        ("l1", "c")
    );
}

#[test]
fn a_lab_at_the_start_leaves_through_one_member_and_never_comes_back() {
    let graph = small();
    let coop = institutions(&graph, false);
    // From l2 (a, e) to d: e-d 0.25, e-c-d 1 + 1, a-b-d 0.5 + 2, a-c-d 3 + 1; a-e-d is no path
    // (e is entered from the lab only).
    let paths = coop.paths("l2", "d", 10, 6).expect("paths");
    assert_paths(
        &paths,
        &[
            ("l2-e-d", 0.25),
            ("l2-e-c-d", 2.0),
            ("l2-a-b-d", 2.5),
            ("l2-a-c-d", 4.0),
        ],
    );
    let leave = &paths[0].hops[0];
    assert_eq!((leave.from.as_str(), leave.to.as_str()), ("l2", "e"));
    assert_eq!(
        leave.membership.as_ref().map(|m| m.role),
        Some(Some(EdgeRole::Partner))
    );

    // Lab to lab (institutions): l1 (c, d) to l2 (a, e): d-e 0.25, c-e 1, d-b-a 2 + 0.5, c-a 3.
    let paths = coop.paths("l1", "l2", 10, 6).expect("paths");
    assert_paths(
        &paths,
        &[
            ("l1-d-e-l2", 0.25),
            ("l1-c-e-l2", 1.0),
            ("l1-d-b-a-l2", 2.5),
            ("l1-c-a-l2", 3.0),
        ],
    );
    assert!(
        paths
            .iter()
            .all(|p| p.hops.first().is_some_and(|h| h.is_lab_hop())
                && p.hops.last().is_some_and(|h| h.is_lab_hop()))
    );
    // One tie at most: the lab hops at both ends do not count.
    assert_paths(
        &coop.paths("l1", "l2", 10, 1).expect("paths"),
        &[("l1-d-e-l2", 0.25), ("l1-c-e-l2", 1.0), ("l1-c-a-l2", 3.0)],
    );
}

#[test]
fn on_the_person_network_a_lab_is_reached_through_its_members() {
    let graph = small();
    assert_eq!(
        check_path_args(&graph, "p2", "l1", 3, 4),
        Ok(Actors::People)
    );
    assert_eq!(
        check_path_args(&graph, "l1", "l2", 3, 4),
        Ok(Actors::Institutions)
    );
    let people = Cooperation::new(&graph, Actors::People, false);
    let paths = people.paths("p2", "l1", 3, 6).expect("paths");
    assert_paths(&paths, &[("p2-p1-l1", 1.0)]);
    let m = paths[0].hops[1].membership.as_ref().expect("a lab hop");
    assert_eq!((m.member.as_str(), m.role), ("p1", Some(EdgeRole::Pi)));
    assert!(
        people.paths("p1", "l1", 3, 6).expect("paths")[0].already_member(),
        "p1 is a member"
    );
    assert_paths(
        &people.paths("l1", "p2", 3, 6).expect("paths"),
        &[("l1-p1-p2", 1.0)],
    );
    // Asked of the institution network, a person's question has no path there.
    let inst = institutions(&graph, false);
    assert!(inst.paths("p2", "l1", 3, 6).expect("paths").is_empty());
}

#[test]
fn bad_ends_are_refused_with_the_argument_named() {
    let graph = small();
    let coop = institutions(&graph, false);
    let err = |from: &str, to: &str| coop.paths(from, to, 3, 6).expect_err("refused");
    assert_eq!(
        err("a", "l3"),
        PathError::NoMembers {
            argument: "to",
            lab: "l3".into(),
            actors: Actors::Institutions
        }
    );
    assert_eq!(
        err("a", "l3").to_string(),
        "to: lab l3 has no member institution (no host or partner: PARTNER_IN), so no \
         introduction path can reach it"
    );
    assert_eq!(
        err("l3", "a"),
        PathError::NoMembers {
            argument: "from",
            lab: "l3".into(),
            actors: Actors::Institutions
        }
    );
    // l2 has institutions but no people.
    assert_eq!(
        err("p2", "l2").to_string(),
        "to: lab l2 has no member person (no MEMBER_OF), so no introduction path can reach it"
    );
    assert_eq!(
        err("a", "atlantis"),
        PathError::UnknownNode {
            argument: "to",
            id: "atlantis".into()
        }
    );
    for (to, kind) in [("gz", "city"), ("marine", "field"), ("zone", "platform")] {
        assert_eq!(
            err("a", to).to_string(),
            format!("to: {to} is a {kind}; introduction paths join institutions, people or labs")
        );
    }
    assert_eq!(err("l1", "l1"), PathError::SameNode { id: "l1".into() });
    assert!(matches!(err("a", "p1"), PathError::MixedKinds { .. }));
    // The same checks before any search.
    assert_eq!(
        check_path_args(&graph, "a", "l3", 3, 6),
        Err(err("a", "l3"))
    );
}

/// A deterministic pseudo-random graph in the seed format: 16 institutions in three
/// jurisdictions, 6 labs of 1 to 3 members, 26 collaborations of weight 1 to 3, some ended.
fn random_graph(seed: u64) -> Graph {
    let mut state = seed;
    let mut next = |n: u64| {
        // Knuth's MMIX linear congruential generator; the high bits are the good ones.
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let mut text = String::from(
        r#"{"record":"node","kind":"city","id":"gz","name_en":"Guangzhou","region":"gd_prd","in_gba":true}
{"record":"node","kind":"city","id":"hk","name_en":"Hong Kong","region":"hk","in_gba":true}
{"record":"node","kind":"city","id":"mo","name_en":"Macao","region":"macao","in_gba":true}
"#,
    );
    let cities = ["gz", "hk", "mo"];
    for i in 0..16 {
        let city = cities[i % 3];
        text.push_str(&format!(
            r#"{{"record":"node","kind":"institution","id":"i{i:02}","name_en":"I{i}","institution_kind":"university","city":"{city}"}}"#
        ));
        text.push('\n');
    }
    for l in 0..6 {
        text.push_str(&format!(
            r#"{{"record":"node","kind":"lab","id":"lab{l}","name_en":"Lab {l}","lab_kind":"joint_lab"}}"#
        ));
        text.push('\n');
        let mut members: Vec<u64> = (0..1 + next(3)).map(|_| next(16)).collect();
        members.sort_unstable();
        members.dedup();
        for (j, m) in members.iter().enumerate() {
            let role = if j == 0 { "host" } else { "partner" };
            text.push_str(&format!(
                r#"{{"record":"edge","kind":"partner_in","from":"i{m:02}","to":"lab{l}","role":"{role}","since":2018}}"#
            ));
            text.push('\n');
        }
    }
    let mut pairs = std::collections::BTreeSet::new();
    while pairs.len() < 26 {
        let (a, b) = (next(16), next(16));
        // i00–i01 is the pinned tie below.
        if a != b && (a.min(b), a.max(b)) != (0, 1) {
            pairs.insert((a.min(b), a.max(b)));
        }
    }
    for (a, b) in pairs {
        let weight = 1 + next(3);
        let until = match next(3) {
            0 => format!(r#","until":{}"#, 2016 + next(6)),
            _ => String::new(),
        };
        text.push_str(&format!(
            r#"{{"record":"edge","kind":"collaborates_with","from":"i{a:02}","to":"i{b:02}","weight":{weight},"since":2015{until}}}"#
        ));
        text.push('\n');
    }
    // Pin the reference year so every ended tie is stale by a known amount.
    text.push_str(
        r#"{"record":"edge","kind":"collaborates_with","from":"i00","to":"i01","since":2023}"#,
    );
    text.push('\n');
    let parsed = labgraph_io::read_str("random.jsonl", &text, labgraph_io::Format::Jsonl)
        .expect("the random graph parses");
    parsed
        .apply_to(&Graph::new())
        .expect("the random graph is valid")
        .0
}

/// Every way from `from` to a member of `members` of at most `max_hops` ties that meets no
/// other member before its last node, by depth-first enumeration: the lengths, shortest first.
fn brute_force_lengths(
    coop: &Cooperation<'_>,
    from: &str,
    members: &[String],
    max_hops: usize,
) -> Vec<f64> {
    fn walk(
        coop: &Cooperation<'_>,
        at: &Id,
        members: &[String],
        seen: &mut Vec<Id>,
        length: f64,
        left: usize,
        out: &mut Vec<f64>,
    ) {
        if members.iter().any(|m| m == at.as_str()) {
            out.push(length);
            return;
        }
        if left == 0 {
            return;
        }
        let next: Vec<(Id, f64)> = coop
            .network()
            .edges()
            .filter_map(|(a, b, _)| {
                let other = if a == at {
                    b
                } else if b == at {
                    a
                } else {
                    return None;
                };
                let hop = coop.hop(at.as_str(), other.as_str())?;
                Some((other.clone(), hop.length))
            })
            .collect();
        for (v, l) in next {
            if seen.contains(&v) {
                continue;
            }
            seen.push(v.clone());
            walk(coop, &v, members, seen, length + l, left - 1, out);
            seen.pop();
        }
    }
    let start = Id::new(from).expect("id");
    let mut out = Vec::new();
    walk(
        coop,
        &start,
        members,
        &mut vec![start.clone()],
        0.0,
        max_hops,
        &mut out,
    );
    out.sort_by(f64::total_cmp);
    out
}

#[test]
fn the_paths_to_a_lab_are_the_shortest_of_all_ways_to_its_members_by_brute_force() {
    // How many paths were compared, how many of three ties or more, and how many started in
    // the lab: the comparison must not pass on empty answers alone.
    let (mut compared, mut long, mut inside) = (0, 0, 0);
    for seed in [1, 2, 3] {
        let graph = random_graph(seed);
        for cross_border_only in [false, true] {
            let coop = institutions(&graph, cross_border_only);
            for lab in 0..6 {
                let lab = format!("lab{lab}");
                let members: Vec<String> = graph
                    .adjacent_of_kind(&lab, labgraph_domain::EdgeKind::PartnerIn)
                    .map(|a| a.neighbour.id.to_string())
                    .collect();
                for from in ["i00", "i05", "i07", "i10", "i15"] {
                    for (k, max_hops) in [(20, 4), (3, 6), (5, 2)] {
                        let what = format!(
                            "seed {seed} {from}->{lab} k {k} h {max_hops} cb {cross_border_only}"
                        );
                        let paths = coop.paths(from, &lab, k, max_hops).expect(&what);
                        let mut expected = brute_force_lengths(&coop, from, &members, max_hops);
                        expected.truncate(k);
                        let got: Vec<f64> = paths.iter().map(|p| p.length).collect();
                        assert_eq!(got.len(), expected.len(), "{what}: {got:?} vs {expected:?}");
                        for (g, e) in got.iter().zip(&expected) {
                            assert!((g - e).abs() < 1e-9, "{what}: {got:?} vs {expected:?}");
                        }
                        compared += paths.len();
                        long += paths.iter().filter(|p| p.hops.len() > 3).count();
                        inside += paths.iter().filter(|p| p.already_member()).count();
                        for p in &paths {
                            let (last, ties) = p.hops.split_last().expect("a hop");
                            let m = last.membership.as_ref().expect("ends with the lab hop");
                            assert_eq!(m.lab.as_str(), lab, "{what}");
                            assert!(ties.len() <= max_hops && ties.iter().all(|h| !h.is_lab_hop()));
                            // No member before the last actor; no node twice.
                            let actors = &p.nodes[..p.nodes.len() - 1];
                            assert!(
                                actors[..actors.len() - 1]
                                    .iter()
                                    .all(|n| !members.iter().any(|m| m == n.as_str())),
                                "{what}"
                            );
                            let distinct: std::collections::BTreeSet<_> = p.nodes.iter().collect();
                            assert_eq!(distinct.len(), p.nodes.len(), "{what}");
                            let sum: f64 = p.hops.iter().map(|h| h.length).sum();
                            assert!((sum - p.length).abs() < 1e-9, "{what}");
                        }
                    }
                }
            }
        }
    }
    assert!(
        compared > 2000 && long > 1000 && inside > 50,
        "compared {compared}, long {long}, inside {inside}"
    );
}
