//! A small real graph for the schema tests: reference cities, institutions and joint labs
//! copied from `shared/reference-data/` (cities.csv, institutions.csv, joint_labs.csv,
//! platforms.csv), loaded into a real `GraphService` over a `MemoryStore`.

use std::sync::Arc;

use async_graphql::Value;
use labgraph_api::schema::{LabgraphSchema, SchemaConfig, build_schema};
use labgraph_domain::{
    ChangeSet, CityAttrs, Edge, EdgeKind, EdgeRole, FieldAttrs, FieldGroup, Id, InstitutionAttrs,
    InstitutionKind, LabAttrs, LabKind, Names, Node, NodeAttrs, PersonAttrs, PlatformAttrs,
    PlatformKind, Provenance, Region,
};
use labgraph_store::{GraphService, MemoryStore};

fn id(text: &str) -> Id {
    Id::new(text).expect("fixture ids are valid")
}

fn source(url: &str) -> Provenance {
    Provenance {
        source: Some(url.to_owned()),
        date: None,
        verified: true,
        synthetic: false,
    }
}

fn names(zh_hans: &str, zh_hant: &str, en: &str, short: Option<&str>) -> Names {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Names {
        zh_hans: opt(zh_hans),
        zh_hant: opt(zh_hant),
        en: opt(en),
        pt: None,
        short: short.map(str::to_owned),
        aliases: Vec::new(),
    }
}

const CPCA: &str = "PyPI cpca 0.5.5 resources/adcodes.csv (city seat point)";

/// A cities.csv row: id, zh-Hans, zh-Hant, en, region, in GBA, lat, lon, adcode.
type CityRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Region,
    bool,
    f64,
    f64,
    &'static str,
);

/// cities.csv rows.
const CITIES: &[CityRow] = &[
    (
        "guangzhou",
        "广州市",
        "廣州市",
        "Guangzhou",
        Region::GdPrd,
        true,
        23.1291,
        113.2644,
        "440100000000",
    ),
    (
        "shenzhen",
        "深圳市",
        "深圳市",
        "Shenzhen",
        Region::GdPrd,
        true,
        22.5435,
        114.0579,
        "440300000000",
    ),
    (
        "shantou",
        "汕头市",
        "汕頭市",
        "Shantou",
        Region::GdEast,
        false,
        23.3541,
        116.682,
        "440500000000",
    ),
    (
        "yunfu",
        "云浮市",
        "雲浮市",
        "Yunfu",
        Region::GdNorth,
        false,
        22.9151,
        112.0445,
        "445300000000",
    ),
    (
        "hong-kong",
        "香港特别行政区",
        "香港特別行政區",
        "Hong Kong",
        Region::Hk,
        true,
        22.2775,
        114.1712,
        "810000000000",
    ),
    (
        "macao",
        "澳门特别行政区",
        "澳門特別行政區",
        "Macao",
        Region::Macao,
        true,
        22.1868,
        113.543,
        "820000000000",
    ),
];

/// (id, zh-Hans, zh-Hant, en, short, kind, city) — institutions.csv rows.
const INSTITUTIONS: &[(&str, &str, &str, &str, &str, InstitutionKind, &str)] = &[
    (
        "hku",
        "香港大学",
        "香港大學",
        "The University of Hong Kong",
        "HKU",
        InstitutionKind::University,
        "hong-kong",
    ),
    (
        "cuhk",
        "香港中文大学",
        "香港中文大學",
        "The Chinese University of Hong Kong",
        "CUHK",
        InstitutionKind::University,
        "hong-kong",
    ),
    (
        "hkust",
        "香港科技大学",
        "香港科技大學",
        "The Hong Kong University of Science and Technology",
        "HKUST",
        InstitutionKind::University,
        "hong-kong",
    ),
    (
        "polyu",
        "香港理工大学",
        "香港理工大學",
        "The Hong Kong Polytechnic University",
        "PolyU",
        InstitutionKind::University,
        "hong-kong",
    ),
    (
        "um",
        "澳门大学",
        "澳門大學",
        "University of Macau",
        "UM",
        InstitutionKind::University,
        "macao",
    ),
    (
        "must",
        "澳门科技大学",
        "澳門科技大學",
        "Macau University of Science and Technology",
        "MUST",
        InstitutionKind::University,
        "macao",
    ),
    (
        "sysu",
        "中山大学",
        "中山大學",
        "Sun Yat-sen University",
        "SYSU",
        InstitutionKind::University,
        "guangzhou",
    ),
    (
        "scut",
        "华南理工大学",
        "華南理工大學",
        "South China University of Technology",
        "SCUT",
        InstitutionKind::University,
        "guangzhou",
    ),
    (
        "jnu",
        "暨南大学",
        "暨南大學",
        "Jinan University",
        "JNU",
        InstitutionKind::University,
        "guangzhou",
    ),
    (
        "gzmu-1st-hospital",
        "广州医科大学附属第一医院",
        "廣州醫科大學附屬第一醫院",
        "The First Affiliated Hospital of Guangzhou Medical University (Guangzhou Institute of Respiratory Health)",
        "",
        InstitutionKind::ResearchInstitute,
        "guangzhou",
    ),
    (
        "gig-cas",
        "中国科学院广州地球化学研究所",
        "中國科學院廣州地球化學研究所",
        "Guangzhou Institute of Geochemistry, Chinese Academy of Sciences",
        "GIG",
        InstitutionKind::ResearchInstitute,
        "guangzhou",
    ),
    (
        "gd-ieest",
        "广东省生态环境技术研究所",
        "廣東省生態環境技術研究所",
        "Guangdong Institute of Eco-environmental Science and Technology",
        "",
        InstitutionKind::ResearchInstitute,
        "guangzhou",
    ),
    (
        "szu",
        "深圳大学",
        "深圳大學",
        "Shenzhen University",
        "SZU",
        InstitutionKind::University,
        "shenzhen",
    ),
    (
        "hkust-szhk-institute",
        "香港科技大学深港协同创新研究院",
        "香港科技大學深港協同創新研究院",
        "HKUST Shenzhen-Hong Kong Collaborative Innovation Research Institute",
        "",
        InstitutionKind::ResearchInstitute,
        "shenzhen",
    ),
    (
        "stu-med",
        "汕头大学医学院",
        "汕頭大學醫學院",
        "Shantou University Medical College",
        "SUMC",
        InstitutionKind::University,
        "shantou",
    ),
];

/// A lab of the fixture: joint_labs.csv rows, plus one CAS–HK joint lab from platforms.csv
/// that shares its two partners with a joint lab (so one tie is backed by two labs).
struct LabRow {
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    kind: LabKind,
    category: Option<&'static str>,
    batch_year: Option<i32>,
    founded: Option<i32>,
    city: &'static str,
    hosts: &'static [&'static str],
    partners: &'static [&'static str],
    field: &'static str,
    verified: bool,
    source: &'static str,
}

const LABS: &[LabRow] = &[
    LabRow {
        id: "gdhkmo-environmental-quality-innovation",
        zh: "粤港澳环境质量协同创新联合实验室",
        en: "",
        kind: LabKind::JointLab,
        category: None,
        batch_year: Some(2019),
        founded: None,
        city: "guangzhou",
        hosts: &["jnu"],
        partners: &["hkust", "must"],
        field: "environment",
        verified: true,
        source: "http://km.eeju.com/chanpin/2019/1220/1843.html",
    },
    LabRow {
        id: "gdhkmo-smart-cities",
        zh: "粤港澳智慧城市联合实验室",
        en: "Guangdong-Hong Kong-Macao Joint Laboratory for Smart Cities",
        kind: LabKind::JointLab,
        category: None,
        batch_year: Some(2020),
        founded: None,
        city: "shenzhen",
        hosts: &["szu"],
        partners: &["hku", "um"],
        field: "smart-city",
        verified: true,
        source: "https://institute-of-transport-studies.hku.hk/post/n20201130",
    },
    LabRow {
        id: "gdhk-emerging-infectious-diseases",
        zh: "粤港新发传染病联合实验室",
        en: "",
        kind: LabKind::JointLab,
        category: None,
        batch_year: Some(2019),
        founded: None,
        city: "shantou",
        hosts: &["stu-med"],
        partners: &["hku"],
        field: "biomedicine",
        verified: true,
        source: "http://0514f.cn/c/2020-07-23/2625847.shtml",
    },
    LabRow {
        id: "gdhkmo-environmental-pollution-process-control",
        zh: "粤港澳环境污染过程与控制联合实验室",
        en: "Guangdong-Hong Kong-Macau Joint Laboratory of Environmental Pollution Processes and Control",
        kind: LabKind::JointLab,
        category: None,
        batch_year: None,
        founded: None,
        city: "guangzhou",
        hosts: &["gig-cas", "gd-ieest"],
        partners: &["polyu"],
        field: "environment",
        verified: true,
        source: "https://www.polyu.edu.hk/publications/excel/issue/202002/connections/joint-lab-established-to-tackle-environmental-pollution-in-gba",
    },
    LabRow {
        id: "gdhkmo-optoelectronic-magnetic-functional-materials",
        zh: "粤港澳光电磁功能材料联合实验室",
        en: "Guangdong-Hong Kong-Macao Joint Laboratory of Optoelectronic and Magnetic Functional Materials",
        kind: LabKind::JointLab,
        category: None,
        batch_year: Some(2019),
        founded: None,
        city: "guangzhou",
        hosts: &["scut"],
        partners: &[],
        field: "materials",
        // The host is known only from a paper's affiliation line.
        verified: false,
        source: "http://km.eeju.com/chanpin/2019/1220/1843.html",
    },
    LabRow {
        id: "gdhkmo-respiratory-infectious-diseases",
        zh: "粤港澳呼吸系统传染病联合实验室",
        en: "",
        kind: LabKind::JointLab,
        category: None,
        batch_year: Some(2019),
        founded: None,
        city: "guangzhou",
        hosts: &["gzmu-1st-hospital"],
        partners: &[],
        field: "biomedicine",
        verified: true,
        source: "http://0514f.cn/c/2020-07-23/2625847.shtml",
    },
    LabRow {
        id: "cas-polyu-env-pollution-joint-lab",
        zh: "中科院广州地球化学研究所——香港理工大学粤港澳大湾区环境污染过程与控制联合实验室",
        en: "",
        kind: LabKind::Other,
        category: Some("cas_hk_joint_lab"),
        batch_year: None,
        founded: Some(2019),
        city: "hong-kong",
        hosts: &[],
        partners: &["gig-cas", "polyu"],
        field: "environment",
        verified: true,
        source: "platforms.csv cas-polyu-env-pollution-joint-lab",
    },
];

/// The fixture's numbers, derived by hand from the rows above, for assertions.
pub const INSTITUTION_COUNT: usize = 15;
pub const LAB_COUNT: usize = 7;

/// The fixture as one change set.
pub fn changes() -> ChangeSet {
    let mut set = ChangeSet::new();
    for &(cid, hans, hant, en, region, in_gba, lat, lon, adcode) in CITIES {
        set.upsert_node(Node {
            id: id(cid),
            names: names(hans, hant, en, None),
            attrs: NodeAttrs::City(CityAttrs {
                region,
                in_gba,
                lat: Some(lat),
                lon: Some(lon),
                adcode: Some(adcode.to_owned()),
            }),
            provenance: source(CPCA),
        });
    }
    for &(iid, hans, hant, en, short, kind, city) in INSTITUTIONS {
        let mut n = names(hans, hant, en, (!short.is_empty()).then_some(short));
        if iid == "cuhk" {
            n.aliases = vec!["港中大".to_owned(), "中大".to_owned()];
        }
        set.upsert_node(Node {
            id: id(iid),
            names: n,
            attrs: NodeAttrs::Institution(InstitutionAttrs {
                kind,
                city: Some(id(city)),
                website: None,
            }),
            provenance: source("shared/reference-data/institutions.csv"),
        });
    }
    // Field taxonomy: four disciplines named by joint_labs.csv, one future industry cluster
    // (SPEC: "future life and health") above biomedicine.
    let fields: &[(&str, &str, &str, FieldGroup, Option<&str>)] = &[
        (
            "future-life-health",
            "未来生命健康",
            "Future life and health",
            FieldGroup::FutureIndustry,
            None,
        ),
        (
            "biomedicine",
            "生物医药",
            "Biomedicine",
            FieldGroup::Discipline,
            Some("future-life-health"),
        ),
        (
            "environment",
            "环境",
            "Environment",
            FieldGroup::Discipline,
            None,
        ),
        (
            "smart-city",
            "智慧城市",
            "Smart cities",
            FieldGroup::Discipline,
            None,
        ),
        (
            "materials",
            "材料",
            "Materials",
            FieldGroup::Discipline,
            None,
        ),
    ];
    for &(fid, zh, en, group, parent) in fields {
        set.upsert_node(Node {
            id: id(fid),
            names: names(zh, "", en, None),
            attrs: NodeAttrs::Field(FieldAttrs {
                group,
                parent: parent.map(id),
            }),
            provenance: Provenance::default(),
        });
    }
    for lab in LABS {
        set.upsert_node(Node {
            id: id(lab.id),
            names: names(lab.zh, "", lab.en, None),
            attrs: NodeAttrs::Lab(LabAttrs {
                kind: lab.kind,
                category: lab.category.map(str::to_owned),
                batch_year: lab.batch_year,
                founded: lab.founded,
                status: None,
                cities: vec![id(lab.city)],
            }),
            provenance: Provenance {
                verified: lab.verified,
                ..source(lab.source)
            },
        });
        for (ends, role) in [
            (lab.hosts, EdgeRole::Host),
            (lab.partners, EdgeRole::Partner),
        ] {
            for institution in ends {
                let mut edge = Edge::new(EdgeKind::PartnerIn, id(institution), id(lab.id));
                edge.role = Some(role);
                edge.since = lab.batch_year.or(lab.founded);
                edge.provenance = source(lab.source);
                set.upsert_edge(edge);
            }
        }
        set.upsert_edge(Edge::new(EdgeKind::WorksOn, id(lab.id), id(lab.field)));
    }
    // The Hetao Shenzhen–Hong Kong S&T Cooperation Zone (SPEC) and an institute in it
    // (platforms.csv: hetao_institute).
    set.upsert_node(Node {
        id: id("hetao"),
        names: names(
            "河套深港科技创新合作区",
            "河套深港科技創新合作區",
            "Hetao Shenzhen-Hong Kong Science and Technology Innovation Cooperation Zone",
            None,
        ),
        attrs: NodeAttrs::Platform(PlatformAttrs {
            kind: PlatformKind::CooperationZone,
            cities: vec![id("shenzhen"), id("hong-kong")],
            established: None,
        }),
        provenance: Provenance::default(),
    });
    set.upsert_edge(Edge::new(
        EdgeKind::PartOf,
        id("hkust-szhk-institute"),
        id("hetao"),
    ));
    // People named as lab directors in joint_labs.csv.
    for (pid, hans, hant, en, lab, institution) in [
        (
            "zhong-nanshan",
            "钟南山",
            "鍾南山",
            "Zhong Nanshan",
            "gdhkmo-respiratory-infectious-diseases",
            "gzmu-1st-hospital",
        ),
        (
            "shao-min",
            "邵敏",
            "邵敏",
            "Shao Min",
            "gdhkmo-environmental-quality-innovation",
            "jnu",
        ),
    ] {
        set.upsert_node(Node {
            id: id(pid),
            names: names(hans, hant, en, None),
            attrs: NodeAttrs::Person(PersonAttrs {}),
            provenance: source("shared/reference-data/joint_labs.csv"),
        });
        let mut member = Edge::new(EdgeKind::MemberOf, id(pid), id(lab));
        member.role = Some(EdgeRole::Director);
        set.upsert_edge(member);
        let mut affiliation = Edge::new(EdgeKind::AffiliatedWith, id(pid), id(institution));
        affiliation.primary = Some(true);
        set.upsert_edge(affiliation);
    }
    // A made-up collaboration, marked synthetic, so that one institution is cross-border by a
    // COLLABORATES_WITH tie alone.
    let mut collaboration = Edge::new(EdgeKind::CollaboratesWith, id("cuhk"), id("sysu"));
    collaboration.weight = Some(3.0);
    collaboration.provenance.synthetic = true;
    set.upsert_edge(collaboration);
    set
}

/// A graph service over a fresh memory store holding the fixture.
pub async fn service() -> Arc<GraphService> {
    let service = GraphService::open(Arc::new(MemoryStore::new()))
        .await
        .expect("a memory store opens");
    service
        .apply(changes())
        .await
        .expect("the fixture is a valid change set");
    Arc::new(service)
}

/// The schema over the fixture with the default limits.
pub async fn schema() -> LabgraphSchema {
    build_schema(service().await, &SchemaConfig::default())
}

/// Runs `query` and returns its data as JSON, failing on any error.
pub async fn data(schema: &LabgraphSchema, query: &str) -> serde_json::Value {
    let response = schema.execute(query).await;
    assert!(
        response.errors.is_empty(),
        "query failed: {:?}\n{query}",
        response.errors
    );
    response
        .data
        .into_json()
        .expect("GraphQL data converts to JSON")
}

/// Runs `query`, expecting exactly one error, and returns its `extensions.code`.
pub async fn error_code(schema: &LabgraphSchema, query: &str) -> String {
    let response = schema.execute(query).await;
    assert_eq!(response.errors.len(), 1, "{:?}\n{query}", response.errors);
    let code = response.errors[0]
        .extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
        .cloned();
    match code {
        Some(Value::String(code)) => code,
        other => panic!(
            "error without a string code ({other:?}): {:?}",
            response.errors
        ),
    }
}

/// The strings at `pointer` in each element of the array at `array`.
pub fn strings(value: &serde_json::Value, array: &str, pointer: &str) -> Vec<String> {
    value
        .pointer(array)
        .and_then(|v| v.as_array())
        .unwrap_or_else(|| panic!("no array at {array} in {value}"))
        .iter()
        .map(|item| {
            item.pointer(pointer)
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("no string at {pointer} in {item}"))
                .to_owned()
        })
        .collect()
}
