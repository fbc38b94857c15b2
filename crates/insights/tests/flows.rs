//! City-level flows on a seven-institution graph whose every tie, year and field is worked out
//! by hand in the comments (small enough to check with a pencil), the argument errors, and on
//! the real graph-seed/ the agreement of the flows with `evolution` year by year.

use std::path::Path;

use labgraph_domain::{Graph, Id, Jurisdiction, NodeKind, Region};
use labgraph_insights::InsightError;
use labgraph_insights::evolution;
use labgraph_insights::flows::{CityFlows, FlowParams, city_flows};

/// ```text
/// cities: hong-kong (HK), macao (MACAO), guangzhou, shenzhen (GD_PRD), shantou (GD_EAST),
///         zhanjiang (GD_WEST, no institution), meizhou (GD_NORTH, no institution)
/// fields: bio, ai > ai-vision
///
/// gz1 ─ hk1   l1 (bio, batch 2019, partners from 2019) and l3 (ai, batch 2021, from 2021)
/// st1 ─ hk1   l2 (ai-vision, batch 2018, partners 2018–2020)
/// gz1 ─ sz1   collaboration, 3 joint works, from 2020; sz1 works on bio itself
/// gz2 ─ mo1   talent link of p1 (primarily at mo1) to gz2, from 2021
/// un1 ─ hk1   collaboration from 2019; un1 has no city (unplaced)
/// ```
const TINY: &str = r#"
{"record":"node","kind":"city","id":"hong-kong","name_en":"Hong Kong","region":"hk","in_gba":true}
{"record":"node","kind":"city","id":"macao","name_en":"Macao","region":"macao","in_gba":true}
{"record":"node","kind":"city","id":"guangzhou","name_en":"Guangzhou","region":"gd_prd","in_gba":true}
{"record":"node","kind":"city","id":"shenzhen","name_en":"Shenzhen","region":"gd_prd","in_gba":true}
{"record":"node","kind":"city","id":"shantou","name_en":"Shantou","region":"gd_east","in_gba":false}
{"record":"node","kind":"city","id":"zhanjiang","name_en":"Zhanjiang","region":"gd_west","in_gba":false}
{"record":"node","kind":"city","id":"meizhou","name_en":"Meizhou","region":"gd_north","in_gba":false}
{"record":"node","kind":"field","id":"bio","name_en":"Bio","field_group":"strategic_industry"}
{"record":"node","kind":"field","id":"ai","name_en":"AI","field_group":"strategic_industry"}
{"record":"node","kind":"field","id":"ai-vision","name_en":"Vision","field_group":"frontier","parent":"ai"}
{"record":"node","kind":"institution","id":"gz1","name_en":"GZ1","institution_kind":"university","city":"guangzhou"}
{"record":"node","kind":"institution","id":"gz2","name_en":"GZ2","institution_kind":"university","city":"guangzhou"}
{"record":"node","kind":"institution","id":"sz1","name_en":"SZ1","institution_kind":"university","city":"shenzhen"}
{"record":"node","kind":"institution","id":"st1","name_en":"ST1","institution_kind":"university","city":"shantou"}
{"record":"node","kind":"institution","id":"hk1","name_en":"HK1","institution_kind":"university","city":"hong-kong"}
{"record":"node","kind":"institution","id":"mo1","name_en":"MO1","institution_kind":"university","city":"macao"}
{"record":"node","kind":"institution","id":"un1","name_en":"UN1","institution_kind":"enterprise"}
{"record":"node","kind":"person","id":"p1","name_en":"P1"}
{"record":"node","kind":"lab","id":"l1","name_en":"L1","lab_kind":"joint_lab","batch_year":2019}
{"record":"node","kind":"lab","id":"l2","name_en":"L2","lab_kind":"joint_lab","batch_year":2018}
{"record":"node","kind":"lab","id":"l3","name_en":"L3","lab_kind":"joint_lab","batch_year":2021}
{"record":"edge","kind":"partner_in","from":"gz1","to":"l1","role":"host","since":2019}
{"record":"edge","kind":"partner_in","from":"hk1","to":"l1","role":"partner","since":2019}
{"record":"edge","kind":"partner_in","from":"st1","to":"l2","role":"host","since":2018,"until":2020}
{"record":"edge","kind":"partner_in","from":"hk1","to":"l2","role":"partner","since":2018,"until":2020}
{"record":"edge","kind":"partner_in","from":"gz1","to":"l3","role":"host","since":2021}
{"record":"edge","kind":"partner_in","from":"hk1","to":"l3","role":"partner","since":2021}
{"record":"edge","kind":"works_on","from":"l1","to":"bio"}
{"record":"edge","kind":"works_on","from":"l2","to":"ai-vision"}
{"record":"edge","kind":"works_on","from":"l3","to":"ai"}
{"record":"edge","kind":"works_on","from":"sz1","to":"bio"}
{"record":"edge","kind":"collaborates_with","from":"gz1","to":"sz1","weight":3,"since":2020}
{"record":"edge","kind":"collaborates_with","from":"un1","to":"hk1","since":2019}
{"record":"edge","kind":"affiliated_with","from":"p1","to":"mo1","primary":true}
{"record":"edge","kind":"talent_link","from":"p1","to":"gz2","mode":"visiting","since":2021}
"#;

fn tiny() -> Graph {
    let parsed = labgraph_io::read_str("tiny.jsonl", TINY.trim(), labgraph_io::Format::Jsonl)
        .expect("the tiny graph reads");
    parsed.apply_to(&Graph::new()).expect("a valid graph").0
}

fn seed() -> Graph {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../graph-seed");
    let parsed = labgraph_io::read_files(&[root]).expect("graph-seed/ reads");
    parsed
        .apply_to(&Graph::new())
        .expect("graph-seed/ applies")
        .0
}

fn id(text: &str) -> Id {
    Id::new(text).expect("a valid test id")
}

fn field(f: &str) -> FlowParams {
    FlowParams {
        field: Some(id(f)),
        ..FlowParams::default()
    }
}

/// (from, to, ties, crossBorder, labs, ties per year of the series)
type FlowRow = (String, String, usize, usize, Vec<String>, Vec<usize>);

fn flow_rows(flows: &CityFlows) -> Vec<FlowRow> {
    flows
        .flows
        .iter()
        .map(|f| {
            (
                f.from.to_string(),
                f.to.to_string(),
                f.ties,
                f.cross_border,
                f.labs.iter().map(|l| l.to_string()).collect(),
                f.years.iter().map(|y| y.ties).collect(),
            )
        })
        .collect()
}

fn row(from: &str, to: &str, ties: usize, cb: usize, labs: &[&str], years: &[usize]) -> FlowRow {
    (
        from.to_owned(),
        to.to_owned(),
        ties,
        cb,
        labs.iter().map(|l| (*l).to_owned()).collect(),
        years.to_vec(),
    )
}

/// The non-empty region pairs: (from, to, ties, crossBorder, ties per year).
fn region_rows(flows: &CityFlows) -> Vec<(Region, Region, usize, usize, Vec<usize>)> {
    flows
        .regions
        .iter()
        .filter(|r| r.ties > 0 || r.years.iter().any(|y| y.ties > 0))
        .map(|r| {
            (
                r.from,
                r.to,
                r.ties,
                r.cross_border,
                r.years.iter().map(|y| y.ties).collect(),
            )
        })
        .collect()
}

#[test]
fn every_tie_once_between_cities_with_years() {
    let flows = city_flows(&tiny(), &FlowParams::default()).expect("valid arguments");
    // Years in the graph: 2018 (l2) to 2021 (l3, the talent link).
    assert_eq!(flows.span, Some((2018, 2021)));
    // Four placed ties, three of them cross-border; un1–hk1 has no city for un1.
    assert_eq!((flows.ties, flows.cross_border, flows.unplaced), (4, 3, 1));
    // All four flows hold one tie: listed in city order (HK, Macao, PRD by id, East...).
    // gz1–hk1 rests on two labs but is one tie; it holds from 2019 (l1). st1–hk1 holds
    // 2018–2020; gz2–mo1 from 2021; gz1–sz1 from 2020.
    assert_eq!(
        flow_rows(&flows),
        [
            row("hong-kong", "guangzhou", 1, 1, &["l1", "l3"], &[0, 1, 1, 1]),
            row("hong-kong", "shantou", 1, 1, &["l2"], &[1, 1, 1, 0]),
            row("macao", "guangzhou", 1, 1, &[], &[0, 0, 0, 1]),
            row("guangzhou", "shenzhen", 1, 0, &[], &[0, 0, 1, 1]),
        ]
    );
    // The evidence: the institution in the `from` city first; collaboration weight and talent
    // links counted, the person not named.
    let evidence: Vec<(String, String, usize, f64, usize)> = flows
        .flows
        .iter()
        .flat_map(|f| &f.evidence)
        .map(|t| {
            (
                t.a.to_string(),
                t.b.to_string(),
                t.labs.len(),
                t.collaborations,
                t.talent_links,
            )
        })
        .collect();
    let e =
        |a: &str, b: &str, labs, works, talent| (a.to_owned(), b.to_owned(), labs, works, talent);
    assert_eq!(
        evidence,
        [
            e("hk1", "gz1", 2, 0.0, 0),
            e("hk1", "st1", 1, 0.0, 0),
            e("mo1", "gz2", 0, 0.0, 1),
            e("gz1", "sz1", 0, 3.0, 0),
        ]
    );
    // Every city, the empty ones too: (city, region, jurisdiction, GBA, institutions, ties,
    // cross-border). Guangzhou's three ties go to Hong Kong, Macao and Shenzhen.
    let cities: Vec<(&str, Region, Jurisdiction, bool, usize, usize, usize)> = flows
        .cities
        .iter()
        .map(|c| {
            (
                c.city.as_str(),
                c.region,
                c.jurisdiction,
                c.in_gba,
                c.institutions,
                c.ties,
                c.cross_border,
            )
        })
        .collect();
    use Jurisdiction::{HongKong, Macao, Mainland};
    assert_eq!(
        cities,
        [
            ("hong-kong", Region::Hk, HongKong, true, 1, 2, 2),
            ("macao", Region::Macao, Macao, true, 1, 1, 1),
            ("guangzhou", Region::GdPrd, Mainland, true, 2, 3, 2),
            ("shenzhen", Region::GdPrd, Mainland, true, 1, 1, 0),
            ("shantou", Region::GdEast, Mainland, false, 1, 1, 1),
            ("zhanjiang", Region::GdWest, Mainland, false, 0, 0, 0),
            ("meizhou", Region::GdNorth, Mainland, false, 0, 0, 0),
        ]
    );
    // The region table has all 21 pairs; four hold a tie.
    assert_eq!(flows.regions.len(), 21);
    assert_eq!(
        region_rows(&flows),
        [
            (Region::Hk, Region::GdPrd, 1, 1, vec![0, 1, 1, 1]),
            (Region::Hk, Region::GdEast, 1, 1, vec![1, 1, 1, 0]),
            (Region::Macao, Region::GdPrd, 1, 1, vec![0, 0, 0, 1]),
            (Region::GdPrd, Region::GdPrd, 1, 0, vec![0, 0, 1, 1]),
        ]
    );
    let years: Vec<i32> = flows.regions[0].years.iter().map(|y| y.year).collect();
    assert_eq!(years, [2018, 2019, 2020, 2021]);
}

#[test]
fn a_field_keeps_its_labs_and_the_collaborations_of_two_institutions_in_it() {
    let graph = tiny();
    // bio: gz1 and hk1 through l1, sz1 itself. gz1–hk1 counts l1 only (l3 is ai); gz1–sz1 is a
    // collaboration of two bio institutions. st1 and the talent link's ends are not in bio.
    let bio = city_flows(&graph, &field("bio")).expect("valid arguments");
    assert_eq!(
        flow_rows(&bio),
        [
            row("hong-kong", "guangzhou", 1, 1, &["l1"], &[0, 1, 1, 1]),
            row("guangzhou", "shenzhen", 1, 0, &[], &[0, 0, 1, 1]),
        ]
    );
    let institutions: Vec<usize> = bio.cities.iter().map(|c| c.institutions).collect();
    assert_eq!(institutions, [1, 0, 1, 1, 0, 0, 0]);
    // ai, with its sub-field ai-vision: l2 (2018–2020) and l3 (from 2021). sz1 is not in ai,
    // so its collaboration with gz1 is not either.
    let ai = city_flows(&graph, &field("ai")).expect("valid arguments");
    assert_eq!(
        flow_rows(&ai),
        [
            row("hong-kong", "guangzhou", 1, 1, &["l3"], &[0, 0, 0, 1]),
            row("hong-kong", "shantou", 1, 1, &["l2"], &[1, 1, 1, 0]),
        ]
    );
    assert_eq!(
        region_rows(&ai),
        [
            (Region::Hk, Region::GdPrd, 1, 1, vec![0, 0, 0, 1]),
            (Region::Hk, Region::GdEast, 1, 1, vec![1, 1, 1, 0]),
        ]
    );
}

#[test]
fn as_of_a_year_and_a_chosen_span() {
    let graph = tiny();
    // In 2019: gz1–hk1 through l1 only (l3 comes in 2021), st1–hk1 through l2, un1–hk1
    // unplaced. The series runs to asOf by default: 2018–2019, in which neither gz1–sz1 nor
    // gz2–mo1 holds, so they are not listed.
    let flows = city_flows(
        &graph,
        &FlowParams {
            as_of: Some(2019),
            ..FlowParams::default()
        },
    )
    .expect("valid arguments");
    assert_eq!(flows.span, Some((2018, 2019)));
    assert_eq!((flows.ties, flows.unplaced), (2, 1));
    assert_eq!(
        flow_rows(&flows),
        [
            row("hong-kong", "guangzhou", 1, 1, &["l1"], &[0, 1]),
            row("hong-kong", "shantou", 1, 1, &["l2"], &[1, 1]),
        ]
    );
    // In 2018 with a series to 2021: flows holding in a year of the series are listed with
    // their count as of 2018 (0), most ties first.
    let flows = city_flows(
        &graph,
        &FlowParams {
            as_of: Some(2018),
            from: Some(2020),
            to: Some(2021),
            ..FlowParams::default()
        },
    )
    .expect("valid arguments");
    assert_eq!(
        flow_rows(&flows),
        [
            row("hong-kong", "shantou", 1, 1, &["l2"], &[1, 0]),
            row("hong-kong", "guangzhou", 0, 0, &[], &[1, 1]),
            row("macao", "guangzhou", 0, 0, &[], &[0, 1]),
            row("guangzhou", "shenzhen", 0, 0, &[], &[1, 1]),
        ]
    );
    // A `from` after the graph's last year moves the default `to` with it.
    let later = FlowParams {
        from: Some(2023),
        ..FlowParams::default()
    };
    assert_eq!(later.span(&graph), Ok(Some((2023, 2023))));
}

#[test]
fn bad_arguments_name_the_argument() {
    let graph = tiny();
    let err = |p: FlowParams| city_flows(&graph, &p).expect_err("refused");
    assert_eq!(
        err(field("nope")),
        InsightError::UnknownNode {
            argument: "field".into(),
            id: "nope".into()
        }
    );
    assert_eq!(
        err(field("gz1")),
        InsightError::WrongKind {
            argument: "field".into(),
            id: "gz1".into(),
            expected: "a field",
            found: NodeKind::Institution,
        }
    );
    let years = |from, to, as_of| FlowParams {
        from,
        to,
        as_of,
        ..FlowParams::default()
    };
    let message = |p| err(p).to_string();
    assert_eq!(
        message(years(Some(2022), Some(2019), None)),
        "from: 2022 is after to (2019)"
    );
    assert_eq!(
        message(years(None, None, Some(1800))),
        "asOf: 1800 is outside the years 1900..=2100"
    );
    assert_eq!(
        message(years(Some(1899), None, None)),
        "from: 1899 is outside the years 1900..=2100"
    );
    assert_eq!(
        message(years(None, Some(2101), None)),
        "to: 2101 is outside the years 1900..=2100"
    );
    assert_eq!(
        message(years(Some(1950), Some(2021), None)),
        "to: 1950..=2021 spans 72 years; at most 50 at a time"
    );
}

/// On the real seed: the flows hold every tie of the institution network once (placed or
/// not), the cities' and the region table's sums agree with the flows, and each year of the
/// series holds as many ties as `evolution` counts that year.
#[test]
fn seed_flows_agree_with_evolution() {
    let graph = seed();
    let flows = city_flows(&graph, &FlowParams::default()).expect("valid arguments");
    let (from, to) = flows.span.expect("the seed has years");
    let all = evolution::evolution(&graph, to, to).expect("valid years");
    let region_sum: usize = flows.regions.iter().map(|r| r.ties).sum();
    let flow_sum: usize = flows.flows.iter().map(|f| f.ties).sum();
    assert_eq!(flow_sum, flows.ties);
    assert_eq!(region_sum, flows.ties);
    let evidence: usize = flows.flows.iter().map(|f| f.evidence.len()).sum();
    assert_eq!(evidence, flows.ties);
    // Every tie has some evidence behind it.
    assert!(
        flows
            .flows
            .iter()
            .flat_map(|f| &f.evidence)
            .all(|t| !t.labs.is_empty() || t.collaborations > 0.0 || t.talent_links > 0)
    );
    // Without asOf every tie ever recorded is counted: at least those of the last year.
    assert!(flows.ties + flows.unplaced >= all[0].ties);
    let years = evolution::evolution(&graph, from, to).expect("valid years");
    for (i, year) in years.iter().enumerate() {
        let in_flows: usize = flows.flows.iter().map(|f| f.years[i].ties).sum();
        let in_regions: usize = flows.regions.iter().map(|r| r.years[i].ties).sum();
        assert_eq!(in_regions, in_flows, "{}", year.year);
        // The seed places every institution in a city.
        assert_eq!(in_flows, year.ties, "{}", year.year);
        let cross: usize = flows
            .flows
            .iter()
            .filter(|f| f.cross_border > 0 || f.ties == 0)
            .filter(|f| {
                let city = |c: &Id| graph.jurisdictions_of(c.as_str());
                city(&f.from) != city(&f.to)
            })
            .map(|f| f.years[i].ties)
            .sum();
        assert_eq!(cross, year.cross_border_ties, "{}", year.year);
    }
    // Each city's ties: the flows touching it, a flow within it once.
    for c in &flows.cities {
        let touching: usize = flows
            .flows
            .iter()
            .filter(|f| f.from == c.city || f.to == c.city)
            .map(|f| f.ties)
            .sum();
        assert_eq!(touching, c.ties, "{}", c.city);
    }
    // The eleven Greater Bay Area cities come first.
    let gba: Vec<bool> = flows.cities.iter().map(|c| c.in_gba).collect();
    assert_eq!(gba.iter().filter(|&&g| g).count(), 11);
    assert!(gba[..11].iter().all(|&g| g));
}
