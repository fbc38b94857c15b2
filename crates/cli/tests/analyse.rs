//! End-to-end tests of `labgraph analyse` with the real binary: edge lists (scores, weights as
//! lengths, every output format, bad lines), the seed database's projections, exports that
//! read back to the same network, and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_labgraph");

/// A fresh directory per test, wiped at the start.
fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("labgraph-analyse-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create work dir");
    dir
}

/// Runs `labgraph --db DB ARGS`; `quiet` adds `--quiet` (no timings on stderr).
fn run(db: &Path, quiet: bool, args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    if quiet {
        cmd.arg("--quiet");
    }
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run labgraph")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "labgraph failed ({:?}): {}",
        out.status.code(),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// A star c–{a, b, d, e}, a separate pair x–y and a lone node z.
fn star(dir: &Path) -> PathBuf {
    let path = dir.join("star.edges");
    std::fs::write(
        &path,
        "# a star, a pair and a loner\nc a\nc b\nc d\nc e\nx y\nz\n",
    )
    .expect("write star");
    path
}

fn edges_arg(path: &Path) -> String {
    path.to_str().expect("utf-8 path").to_owned()
}

/// `(id, score)` pairs of a JSON result, in the order listed.
fn json_scores(doc: &Value) -> Vec<(String, f64)> {
    doc["scores"]
        .as_array()
        .expect("scores array")
        .iter()
        .map(|s| {
            (
                s["id"].as_str().expect("id").to_owned(),
                s["score"].as_f64().expect("score"),
            )
        })
        .collect()
}

#[test]
fn the_star_centre_ranks_first_with_betweenness_one() {
    let dir = workdir("star-table");
    let edges = edges_arg(&star(&dir));
    let db = dir.join("unused.db");
    let out = ok(&run(
        &db,
        true,
        &["analyse", "betweenness", "--edges", &edges, "--top", "3"],
    ));
    let rows: Vec<Vec<&str>> = out
        .lines()
        .skip(2) // title and column headers
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 3, "--top 3 shows three rows:\n{out}");
    // n = 8 nodes: c lies on every path among its 4 leaves, 6 of the 21 pairs of others.
    assert_eq!(rows[0][..2], ["1", "c"], "{out}");
    let score: f64 = rows[0][2].parse().expect("a number");
    assert!((score - 6.0 / 21.0).abs() < 1e-6, "{out}");
    assert_eq!(rows[1][2], "0.000000", "{out}");
    // The database is not touched (nor created) by an edge-list analysis.
    assert!(!db.exists());

    // The star alone: its centre scores exactly 1, as NetworkX's normalised betweenness.
    let pure = dir.join("pure.edges");
    std::fs::write(&pure, "hub l1\nhub l2\nhub l3\nhub l4\n").expect("write");
    let out = ok(&run(
        &db,
        true,
        &[
            "analyse",
            "betweenness",
            "--edges",
            &edges_arg(&pure),
            "--format",
            "json",
        ],
    ));
    let doc: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json_scores(&doc)[0], ("hub".to_owned(), 1.0));
}

#[test]
fn json_lists_every_node_best_first() {
    let dir = workdir("star-json");
    let edges = edges_arg(&star(&dir));
    let out = ok(&run(
        &dir.join("db"),
        true,
        &[
            "analyse", "degree", "--edges", &edges, "--format", "json", "--top", "1",
        ],
    ));
    let doc: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["algorithm"], "degree");
    assert_eq!(
        (doc["nodes"].as_u64(), doc["ties"].as_u64()),
        (Some(8), Some(5))
    );
    let scores = json_scores(&doc);
    // --top only limits the table: JSON has every node, the lone z included.
    let mut ids: Vec<&str> = scores.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["a", "b", "c", "d", "e", "x", "y", "z"]);
    assert_eq!(scores[0], ("c".to_owned(), 4.0));
    assert_eq!(scores.last(), Some(&("z".to_owned(), 0.0)));
    assert!(scores.windows(2).all(|w| w[0].1 >= w[1].1), "best first");

    // --normalized: NetworkX's degree_centrality, d / (n − 1).
    let out = ok(&run(
        &dir.join("db"),
        true,
        &[
            "analyse",
            "degree",
            "--edges",
            &edges,
            "--format",
            "json",
            "--normalized",
        ],
    ));
    let doc: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json_scores(&doc)[0], ("c".to_owned(), 4.0 / 7.0));
}

#[test]
fn csv_parses_and_pagerank_sums_to_one() {
    let dir = workdir("star-csv");
    let edges = edges_arg(&star(&dir));
    let out = ok(&run(
        &dir.join("db"),
        true,
        &["analyse", "pagerank", "--edges", &edges, "--format", "csv"],
    ));
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("id,pagerank"));
    let rows: Vec<(String, f64)> = lines
        .map(|l| {
            let (id, score) = l.split_once(',').expect("two fields");
            (id.to_owned(), score.parse().expect("a number"))
        })
        .collect();
    assert_eq!(rows.len(), 8);
    assert_eq!(rows[0].0, "c");
    let total: f64 = rows.iter().map(|r| r.1).sum();
    assert!(
        (total - 1.0).abs() < 1e-5,
        "PageRank sums to 1, got {total}"
    );

    // Structural results in CSV: one row per node with its component, largest first.
    let out = ok(&run(
        &dir.join("db"),
        true,
        &[
            "analyse",
            "components",
            "--edges",
            &edges,
            "--format",
            "csv",
        ],
    ));
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows[0], "id,component");
    assert_eq!(rows.len(), 1 + 8);
    assert!(rows.contains(&"c,1") && rows.contains(&"x,2") && rows.contains(&"z,3"));
}

#[test]
fn weighted_edge_lists_read_weights_as_lengths_like_networkx() {
    let dir = workdir("weighted");
    // a–b–c is 2 hops of length 2 each (4); a–d–c is 2 hops of length 1 (2).
    let square = dir.join("square.edges");
    std::fs::write(&square, "a b 2\nb c 2\na d\nd c\n").expect("write");
    let square = edges_arg(&square);
    let betweenness = |weighted: bool| {
        let mut args = vec![
            "analyse",
            "betweenness",
            "--edges",
            &square,
            "--format",
            "json",
        ];
        if weighted {
            args.push("--weighted");
        }
        let doc: Value =
            serde_json::from_str(&ok(&run(&dir.join("db"), true, &args))).expect("json");
        let get = |id: &str| {
            json_scores(&doc)
                .into_iter()
                .find(|(i, _)| i == id)
                .map(|(_, s)| s)
        };
        (doc["weights"].clone(), get("b"), get("d"))
    };
    // By hops the a…c pair splits between b and d: half a pair of the 6 ordered pairs each.
    assert_eq!(
        betweenness(false),
        (Value::from("none"), Some(1.0 / 6.0), Some(1.0 / 6.0))
    );
    // By length (NetworkX's weight="weight", igraph's weights=) only the short way via d.
    assert_eq!(
        betweenness(true),
        (Value::from("length"), Some(0.0), Some(1.0 / 3.0))
    );
}

#[test]
fn a_bad_edge_list_line_exits_3_naming_file_and_line() {
    let dir = workdir("bad-line");
    let bad = dir.join("bad.edges");
    std::fs::write(&bad, "# fine so far\na b\nb c -1\n").expect("write");
    let out = run(
        &dir.join("db"),
        true,
        &["analyse", "degree", "--edges", &edges_arg(&bad)],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{}:3:", bad.display())), "{err}");
    assert!(err.contains("weight"), "{err}");

    let missing = dir.join("missing.edges");
    let out = run(
        &dir.join("db"),
        true,
        &["analyse", "degree", "--edges", &edges_arg(&missing)],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("missing.edges"));
}

#[test]
fn usage_mistakes_exit_2_and_flags_that_do_not_apply_exit_3() {
    let dir = workdir("usage");
    let edges = edges_arg(&star(&dir));
    let db = dir.join("db");
    // Unknown algorithm, and filters that make no sense for an edge list: clap's usage errors.
    for args in [
        vec!["analyse", "eigenvalue", "--edges", &edges],
        vec!["analyse", "degree", "--edges", &edges, "--as-of", "2020"],
        vec!["analyse"],
    ] {
        let out = run(&db, true, &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = run(
        &db,
        true,
        &["analyse", "pagerank", "--edges", &edges, "--raw"],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("do not apply to pagerank"));
}

#[test]
fn timings_go_to_stderr_apart_from_loading() {
    let dir = workdir("timing");
    let edges = edges_arg(&star(&dir));
    let out = run(
        &dir.join("db"),
        false,
        &["analyse", "closeness", "--edges", &edges],
    );
    ok(&out);
    let err = text(&out.stderr);
    let took = err
        .lines()
        .find_map(|l| l.strip_prefix("labgraph: algorithm took "))
        .and_then(|rest| rest.strip_suffix(" s"))
        .unwrap_or_else(|| panic!("no algorithm time in {err:?}"));
    assert!(took.parse::<f64>().is_ok_and(|t| t >= 0.0), "{took}");
    assert!(err.contains("loaded 8 nodes, 5 ties in"), "{err}");
}

#[test]
fn the_seed_database_projections_analyse_and_export() {
    let dir = workdir("seed");
    let db = dir.join("seed.db");
    ok(&run(&db, true, &["seed"]));

    // Institutions (the default projection): every institution is listed, best first.
    let doc: Value = serde_json::from_str(&ok(&run(
        &db,
        true,
        &["analyse", "pagerank", "--weighted", "--format", "json"],
    )))
    .expect("json");
    let stats = ok(&run(&db, true, &["stats"]));
    let institutions: u64 = stats
        .lines()
        .find_map(|l| {
            l.strip_prefix("institution")?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .expect("institution count");
    assert!(institutions > 10, "{stats}");
    assert_eq!(doc["nodes"].as_u64(), Some(institutions));
    assert_eq!(json_scores(&doc).len() as u64, institutions);
    assert_eq!(doc["weights"], "strength");

    // The table: 20 rows by default, ranked 1..20.
    let table = ok(&run(&db, true, &["analyse", "betweenness"]));
    let ranks: Vec<&str> = table
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(ranks, (1..=20).map(|r| r.to_string()).collect::<Vec<_>>());

    // The export reads back to the same network: the same degrees from the file as from
    // the database.
    let exported = dir.join("institutions.edges");
    let from_db = ok(&run(
        &db,
        true,
        &[
            "analyse",
            "degree",
            "--format",
            "csv",
            "--export-edges",
            &edges_arg(&exported),
        ],
    ));
    let from_file = ok(&run(
        &db,
        true,
        &[
            "analyse",
            "degree",
            "--format",
            "csv",
            "--edges",
            &edges_arg(&exported),
        ],
    ));
    assert_eq!(from_db, from_file);

    // Filters only take evidence away: cross-border and verified-only ties are a subset.
    let ties = |args: &[&str]| -> u64 {
        let mut all = vec!["analyse", "degree", "--format", "json"];
        all.extend_from_slice(args);
        let doc: Value = serde_json::from_str(&ok(&run(&db, true, &all))).expect("json");
        doc["ties"].as_u64().expect("ties")
    };
    let all = ties(&[]);
    assert!(all > 0);
    assert!(ties(&["--cross-border-only"]) < all);
    assert!(ties(&["--verified-only"]) <= all);
    assert!(ties(&["--as-of", "1990"]) < all);

    // The bipartite network has institutions and labs; bridges come out as CSV pairs.
    let doc: Value = serde_json::from_str(&ok(&run(
        &db,
        true,
        &[
            "analyse",
            "components",
            "--projection",
            "institution-labs",
            "--format",
            "json",
        ],
    )))
    .expect("json");
    let members: usize = doc["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| c.as_array().expect("ids").len())
        .sum();
    assert_eq!(members as u64, doc["nodes"].as_u64().expect("nodes"));
    assert!(members as u64 > institutions);
    // Bridges come out as CSV pairs with the sizes of the two sides, each at least 1.
    let bridges = ok(&run(&db, true, &["analyse", "bridges", "--format", "csv"]));
    assert_eq!(bridges.lines().next(), Some("a,b,a_side,b_side"));
    assert!(bridges.lines().skip(1).all(|l| {
        let f: Vec<&str> = l.split(',').collect();
        f.len() == 4
            && f[2..]
                .iter()
                .all(|n| n.parse::<u64>().is_ok_and(|n| n >= 1))
    }));
}

#[test]
fn a_missing_database_exits_4_and_is_not_created() {
    let dir = workdir("missing-db");
    let db = dir.join("nowhere.db");
    let out = run(&db, true, &["analyse", "degree"]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no such database"));
    assert!(!db.exists());
}

#[test]
fn structural_holes_brokerage_and_what_cuts_leave_on_the_star() {
    let dir = workdir("holes");
    let edges = edges_arg(&star(&dir));
    let db = dir.join("unused.db");
    let json = |args: &[&str]| -> Value {
        let mut all = vec!["analyse", "--edges", &edges, "--format", "json"];
        all.extend_from_slice(args);
        serde_json::from_str(&ok(&run(&db, true, &all))).expect("json")
    };

    // The centre's four partners share no tie: constraint 4 · (1/4)², effective size 4,
    // efficiency 1, hierarchy 0. A leaf has one partner: no hierarchy. The loner has nothing.
    let doc = json(&["structural-holes"]);
    let nodes = doc["nodes"].as_array().expect("rows");
    assert_eq!(nodes.len(), 7, "z has no tie and no row");
    assert_eq!(nodes[0]["id"], "c", "least constrained first");
    assert_eq!(nodes[0]["constraint"].as_f64(), Some(0.25));
    assert_eq!(nodes[0]["effective_size"].as_f64(), Some(4.0));
    assert_eq!(nodes[0]["efficiency"].as_f64(), Some(1.0));
    assert_eq!(nodes[0]["hierarchy"].as_f64(), Some(0.0));
    assert!(
        nodes[1..]
            .iter()
            .all(|n| n["constraint"] == 1.0 && n["hierarchy"].is_null())
    );

    // Cuts: the centre leaves four single leaves; every tie is a bridge.
    let doc = json(&["articulation-points"]);
    assert_eq!(
        doc["articulation_points"],
        serde_json::json!([{"id": "c", "pieces": [1, 1, 1, 1]}])
    );
    let csv = ok(&run(
        &db,
        true,
        &["analyse", "bridges", "--edges", &edges, "--format", "csv"],
    ));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "a,b,a_side,b_side",
            "c,a,4,1",
            "c,b,4,1",
            "c,d,4,1",
            "c,e,4,1",
            "x,y,1,1"
        ]
    );

    // Brokerage by a group file: c (G1) links a (G1) to b, d (G2) and e (G3): gatekeeper
    // and representative 3; b–d (both G2): itinerant; b–e, d–e: liaison.
    let groups = dir.join("groups.txt");
    std::fs::write(&groups, "# node group\nc g1\na g1\nb g2\nd g2\ne g3\n").expect("write");
    let doc = json(&["brokerage", "--groups", &edges_arg(&groups)]);
    let top = &doc["brokers"][0];
    assert_eq!(top["id"], "c");
    let roles: Vec<u64> = [
        "coordinator",
        "itinerant",
        "gatekeeper",
        "representative",
        "liaison",
        "total",
    ]
    .iter()
    .map(|k| top[*k].as_u64().expect("count"))
    .collect();
    assert_eq!(roles, [0, 1, 3, 3, 2, 6]);
    assert_eq!(
        doc["brokers"].as_array().expect("rows").len(),
        5,
        "x, y, z have no group"
    );

    // Bad input names itself: exit code 3.
    for (args, says) in [
        (vec!["brokerage"], "brokerage needs --groups".to_owned()),
        (
            vec!["brokerage", "--groups", "region"],
            "is an edge list".to_owned(),
        ),
        (
            vec!["pagerank", "--groups", "region"],
            "--groups does not apply to pagerank".to_owned(),
        ),
    ] {
        let mut all = vec!["analyse", "--edges", &edges];
        all.extend_from_slice(&args);
        let out = run(&db, true, &all);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains(&says),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    std::fs::write(&groups, "c g1\na g1\nq g2\n").expect("write");
    let out = run(
        &db,
        true,
        &[
            "analyse",
            "brokerage",
            "--edges",
            &edges,
            "--groups",
            &edges_arg(&groups),
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let want = format!("{}:3: q is not a node of the network", groups.display());
    assert!(text(&out.stderr).contains(&want), "{}", text(&out.stderr));
}

#[test]
fn the_seed_brokers_by_region_and_jurisdiction() {
    let dir = workdir("seed-brokerage");
    let db = dir.join("seed.db");
    ok(&run(&db, true, &["seed"]));
    for (groups, allowed) in [
        ("jurisdiction", &["mainland", "hong_kong", "macao"][..]),
        (
            "region",
            &["hk", "macao", "gd_prd", "gd_east", "gd_west", "gd_north"][..],
        ),
    ] {
        let doc: Value = serde_json::from_str(&ok(&run(
            &db,
            true,
            &[
                "analyse",
                "brokerage",
                "--groups",
                groups,
                "--format",
                "json",
            ],
        )))
        .expect("json");
        let rows = doc["brokers"].as_array().expect("rows");
        assert!(!rows.is_empty());
        for r in rows {
            assert!(
                allowed.contains(&r["group"].as_str().expect("group")),
                "{r}"
            );
            assert_eq!(r["gatekeeper"], r["representative"], "{r}");
        }
        assert!(
            rows[0]["total"].as_u64().expect("total") > 0,
            "someone brokers"
        );
    }
}

/// Two triangles a-b-c and d-e-f joined by c-d, and a loner g.
fn two_triangles(dir: &Path) -> PathBuf {
    let path = dir.join("two.edges");
    std::fs::write(&path, "a b\nb c\nc a\nc d\nd e\ne f\nf d\ng\n").expect("write");
    path
}

#[test]
fn communities_spectral_scores_and_transitivity_from_an_edge_list() {
    let dir = workdir("communities");
    let edges = edges_arg(&two_triangles(&dir));
    let db = dir.join("db");
    for alg in ["communities", "leiden", "label-propagation"] {
        let doc: Value = serde_json::from_str(&ok(&run(
            &db,
            true,
            &["analyse", alg, "--edges", &edges, "--format", "json"],
        )))
        .expect("json");
        let c = &doc["communities"];
        assert_eq!(c["count"], 3, "{alg}");
        assert_eq!(
            c["members"],
            serde_json::json!([["a", "b", "c"], ["d", "e", "f"], ["g"]]),
            "{alg}"
        );
        // 2 (3/7 − (7/14)²) with m = 7: each triangle holds 3 ties and half the degree.
        let q = c["modularity"].as_f64().expect("modularity");
        assert!((q - 5.0 / 14.0).abs() < 1e-12, "{alg}: {q}");
    }
    let csv = ok(&run(
        &db,
        true,
        &[
            "analyse",
            "communities",
            "--edges",
            &edges,
            "--format",
            "csv",
        ],
    ));
    assert!(csv.starts_with("id,community\na,0\n"), "{csv}");
    // The seed and resolution are taken; γ = 0 puts each component in one community.
    let doc: Value = serde_json::from_str(&ok(&run(
        &db,
        true,
        &[
            "analyse",
            "communities",
            "--edges",
            &edges,
            "--format",
            "json",
            "--resolution",
            "0",
            "--seed",
            "7",
        ],
    )))
    .expect("json");
    assert_eq!(doc["communities"]["count"], 2);
    let table = ok(&run(
        &db,
        true,
        &["analyse", "transitivity", "--edges", &edges],
    ));
    // 2 triangles (6 closed triples) among 1+1+3+3+1+1 = 10 triples.
    assert_eq!(table.lines().nth(1), Some("0.600000"), "{table}");
    for alg in ["eigenvector", "katz"] {
        let doc: Value = serde_json::from_str(&ok(&run(
            &db,
            true,
            &["analyse", alg, "--edges", &edges, "--format", "json"],
        )))
        .expect("json");
        let top = &json_scores(&doc)[..2];
        let ids: Vec<&str> = top.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["c", "d"], "{alg}: the bridge ends rank first");
    }
}

#[test]
fn katz_beyond_the_bound_and_options_that_do_not_apply_exit_3() {
    let dir = workdir("katz-bound");
    let edges = edges_arg(&two_triangles(&dir));
    let db = dir.join("db");
    for (args, words) in [
        (
            vec!["katz", "--alpha", "0.5"],
            "alpha = 0.5 must be below 1/λmax",
        ),
        (vec!["katz", "--alpha=-1"], "--alpha -1"),
        (
            vec!["pagerank", "--seed", "1"],
            "--seed does not apply to pagerank",
        ),
        (
            vec!["katz", "--resolution", "2"],
            "--resolution does not apply to katz",
        ),
        (vec!["communities", "--resolution=-1"], "--resolution -1"),
        (
            vec!["communities", "--iterations", "2"],
            "--iterations does not apply to communities",
        ),
        (vec!["leiden", "--iterations", "0"], "--iterations 0"),
    ] {
        let mut full = vec!["analyse", "--edges", &edges];
        full.extend(args.iter().copied());
        let out = run(&db, true, &full);
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains(words), "{args:?}: {err}");
    }
}

/// `--iterations` reaches Leiden: on a synthetic person network (1,500 people) four runs find a
/// partition of higher modularity than one (each run starts from the last partition).
#[test]
fn leiden_runs_as_many_iterations_as_asked() {
    let dir = workdir("leiden-iterations");
    let db = dir.join("db");
    let file = dir.join("synthetic.jsonl");
    let file_arg = file.to_str().expect("UTF-8 path");
    ok(&run(
        &db,
        true,
        &[
            "seed",
            "synthetic",
            "--institutions",
            "100",
            "--people",
            "1500",
            "--seed",
            "7",
            "--out",
            file_arg,
        ],
    ));
    ok(&run(&db, true, &["import", file_arg]));
    let modularity = |iterations: &str| -> f64 {
        let doc: Value = serde_json::from_str(&ok(&run(
            &db,
            true,
            &[
                "analyse",
                "leiden",
                "--projection",
                "people",
                "--weighted",
                "--iterations",
                iterations,
                "--format",
                "json",
            ],
        )))
        .expect("json");
        doc["communities"]["modularity"]
            .as_f64()
            .expect("modularity")
    };
    let (one, four) = (modularity("1"), modularity("4"));
    assert!(four > one, "1 run: {one}, 4 runs: {four}");
}
