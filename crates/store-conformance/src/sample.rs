//! Graphs the suite writes: a small hand-made GBA sample that fills every attribute somewhere,
//! and a deterministic synthetic generator for change sets of any size.

use std::collections::HashSet;

use labgraph_domain::{
    ChangeSet, CityAttrs, Edge, EdgeKey, EdgeKind, EdgeRole, FieldAttrs, FieldGroup, Id,
    InstitutionAttrs, InstitutionKind, LabAttrs, LabKind, LabStatus, Names, Node, NodeAttrs,
    PersonAttrs, PlatformAttrs, PlatformKind, Provenance, Region, TalentMode,
};

/// An id from a literal the suite controls; a bad literal is a bug in the suite itself.
pub fn id(text: &str) -> Id {
    Id::new(text).unwrap_or_else(|e| panic!("suite literal {text:?} is not a valid id: {e}"))
}

/// Names with only an English name, for nodes whose names do not matter to a promise.
pub fn en(name: &str) -> Names {
    Names {
        en: Some(name.to_owned()),
        ..Names::default()
    }
}

/// A node with default provenance.
pub fn node(text: &str, names: Names, attrs: NodeAttrs) -> Node {
    Node {
        id: id(text),
        names,
        attrs,
        provenance: Provenance::default(),
    }
}

/// A Pearl River Delta city with no optional attributes.
pub fn city(text: &str) -> Node {
    node(
        text,
        en(text),
        NodeAttrs::City(CityAttrs {
            region: Region::GdPrd,
            in_gba: true,
            lat: None,
            lon: None,
            adcode: None,
        }),
    )
}

/// A university in `city`, or nowhere known.
pub fn university(text: &str, city: Option<&str>) -> Node {
    node(
        text,
        en(text),
        NodeAttrs::Institution(InstitutionAttrs {
            kind: InstitutionKind::University,
            city: city.map(id),
            website: None,
        }),
    )
}

/// A person with only an English name.
pub fn person(text: &str) -> Node {
    node(text, en(text), NodeAttrs::Person(PersonAttrs {}))
}

/// A lab of kind "other" with no optional attributes.
pub fn lab(text: &str) -> Node {
    node(
        text,
        en(text),
        NodeAttrs::Lab(LabAttrs {
            kind: LabKind::Other,
            category: None,
            batch_year: None,
            founded: None,
            status: None,
            cities: Vec::new(),
        }),
    )
}

/// A bare edge between two literal ids.
pub fn edge(kind: EdgeKind, from: &str, to: &str) -> Edge {
    Edge::new(kind, id(from), id(to))
}

/// The key of an edge between two literal ids, ends taken as given (not normalised).
pub fn raw_key(kind: EdgeKind, from: &str, to: &str) -> EdgeKey {
    EdgeKey {
        kind,
        from: id(from),
        to: id(to),
    }
}

fn names(
    zh_hans: Option<&str>,
    zh_hant: Option<&str>,
    en: Option<&str>,
    pt: Option<&str>,
    short: Option<&str>,
    aliases: &[&str],
) -> Names {
    Names {
        zh_hans: zh_hans.map(str::to_owned),
        zh_hant: zh_hant.map(str::to_owned),
        en: en.map(str::to_owned),
        pt: pt.map(str::to_owned),
        short: short.map(str::to_owned),
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
    }
}

fn verified(source: &str, date: &str) -> Provenance {
    Provenance {
        source: Some(source.to_owned()),
        date: Some(date.to_owned()),
        verified: true,
        synthetic: false,
    }
}

/// A small Greater Bay Area graph that holds all six node kinds and all seven edge kinds, and
/// gives every optional attribute a value on one node or edge and leaves it empty on another,
/// so a backend that drops, merges or rounds anything shows it. Names are in Simplified and
/// Traditional Chinese, English and Portuguese, with aliases; f64 values need all their bits.
///
/// The person is made up (`synthetic`): the suite holds no private data.
pub fn rich() -> ChangeSet {
    let mut cs = ChangeSet::new();
    let city = |text: &str, names: Names, attrs: CityAttrs, provenance: Provenance| Node {
        id: id(text),
        names,
        attrs: NodeAttrs::City(attrs),
        provenance,
    };
    cs.upsert_node(city(
        "hong-kong",
        names(
            Some("香港"),
            Some("香港"),
            Some("Hong Kong"),
            None,
            Some("HK"),
            &["港"],
        ),
        CityAttrs {
            region: Region::Hk,
            in_gba: true,
            lat: Some(22.3193),
            lon: Some(114.1694),
            adcode: Some("810000".into()),
        },
        verified("https://www.gov.hk/", "2024-01"),
    ));
    cs.upsert_node(city(
        "macao",
        names(
            Some("澳门"),
            Some("澳門"),
            Some("Macao"),
            Some("Macau"),
            None,
            &["澳", "Aomen"],
        ),
        CityAttrs {
            region: Region::Macao,
            in_gba: true,
            lat: Some(22.1987),
            lon: Some(113.5439),
            adcode: Some("820000".into()),
        },
        verified("https://www.gov.mo/", "2024"),
    ));
    cs.upsert_node(city(
        "guangzhou",
        names(
            Some("广州"),
            Some("廣州"),
            Some("Guangzhou"),
            None,
            None,
            &[],
        ),
        CityAttrs {
            region: Region::GdPrd,
            in_gba: true,
            lat: Some(23.1291),
            lon: Some(113.2644),
            adcode: Some("440100".into()),
        },
        Provenance::default(),
    ));
    for (text, zh, region) in [
        ("shantou", "汕头", Region::GdEast),
        ("zhanjiang", "湛江", Region::GdWest),
        ("shaoguan", "韶关", Region::GdNorth),
    ] {
        cs.upsert_node(city(
            text,
            names(Some(zh), None, None, None, None, &[]),
            CityAttrs {
                region,
                in_gba: false,
                lat: None,
                lon: None,
                adcode: None,
            },
            Provenance::default(),
        ));
    }

    let institution = |text: &str, names: Names, attrs: InstitutionAttrs, provenance| Node {
        id: id(text),
        names,
        attrs: NodeAttrs::Institution(attrs),
        provenance,
    };
    cs.upsert_node(institution(
        "hku",
        names(
            Some("香港大学"),
            Some("香港大學"),
            Some("The University of Hong Kong"),
            None,
            Some("HKU"),
            &["港大"],
        ),
        InstitutionAttrs {
            kind: InstitutionKind::University,
            city: Some(id("hong-kong")),
            website: Some("https://www.hku.hk/".into()),
        },
        verified("https://www.hku.hk/about/", "2024-03-15"),
    ));
    cs.upsert_node(institution(
        "um",
        names(
            Some("澳门大学"),
            Some("澳門大學"),
            Some("University of Macau"),
            Some("Universidade de Macau"),
            Some("UM"),
            &["澳大", "UMac"],
        ),
        InstitutionAttrs {
            kind: InstitutionKind::University,
            city: Some(id("macao")),
            website: Some("https://www.um.edu.mo/".into()),
        },
        verified("https://www.um.edu.mo/about-um/", "2023-12"),
    ));
    cs.upsert_node(institution(
        "sysu",
        names(
            Some("中山大学"),
            Some("中山大學"),
            Some("Sun Yat-sen University"),
            None,
            Some("SYSU"),
            &["中大"],
        ),
        InstitutionAttrs {
            kind: InstitutionKind::University,
            city: Some(id("guangzhou")),
            website: None,
        },
        Provenance::default(),
    ));
    cs.upsert_node(institution(
        "gd-st-dept",
        names(
            Some("广东省科学技术厅"),
            None,
            Some("Department of Science and Technology of Guangdong Province"),
            None,
            None,
            &[],
        ),
        InstitutionAttrs {
            kind: InstitutionKind::Government,
            city: None,
            website: None,
        },
        Provenance {
            source: Some("http://gdstc.gd.gov.cn/".into()),
            date: None,
            verified: false,
            synthetic: false,
        },
    ));

    cs.upsert_node(Node {
        id: id("gdhkmo-smart-cities"),
        names: names(
            Some("粤港澳智慧城市联合实验室"),
            Some("粵港澳智慧城市聯合實驗室"),
            Some("Guangdong-Hong Kong-Macao Joint Laboratory for Smart Cities"),
            None,
            None,
            &[],
        ),
        attrs: NodeAttrs::Lab(LabAttrs {
            kind: LabKind::JointLab,
            category: Some("gdhkmo_joint_lab".into()),
            batch_year: Some(2019),
            founded: Some(2020),
            status: Some(LabStatus::Active),
            cities: vec![id("guangzhou"), id("hong-kong")],
        }),
        provenance: verified("http://gdstc.gd.gov.cn/", "2019-12-30"),
    });
    cs.upsert_node(Node {
        id: id("skl-iotsc"),
        names: names(
            None,
            Some("智慧城市物聯網國家重點實驗室"),
            Some("State Key Laboratory of Internet of Things for Smart City"),
            Some("Laboratório de Referência do Estado de Internet das Coisas para a Cidade Inteligente"),
            Some("SKL-IOTSC"),
            &[],
        ),
        attrs: NodeAttrs::Lab(LabAttrs {
            kind: LabKind::StateKeyLab,
            category: None,
            batch_year: None,
            founded: Some(2018),
            status: None,
            cities: vec![id("macao")],
        }),
        provenance: Provenance::default(),
    });

    cs.upsert_node(Node {
        id: id("p-synthetic-1"),
        names: names(Some("李明"), Some("李明"), Some("Li Ming"), None, None, &[]),
        attrs: NodeAttrs::Person(PersonAttrs {}),
        provenance: Provenance {
            source: None,
            date: None,
            verified: false,
            synthetic: true,
        },
    });

    let field = |text: &str, names: Names, group, parent: Option<&str>| Node {
        id: id(text),
        names,
        attrs: NodeAttrs::Field(FieldAttrs {
            group,
            parent: parent.map(id),
        }),
        provenance: Provenance::default(),
    };
    cs.upsert_node(field(
        "future-information",
        names(
            Some("未来电子信息"),
            None,
            Some("Future electronic information"),
            None,
            None,
            &[],
        ),
        FieldGroup::FutureIndustry,
        None,
    ));
    cs.upsert_node(field(
        "6g",
        names(
            Some("6G"),
            None,
            Some("6G"),
            None,
            None,
            &["第六代移动通信"],
        ),
        FieldGroup::Frontier,
        Some("future-information"),
    ));
    cs.upsert_node(field(
        "ai",
        names(
            Some("人工智能"),
            Some("人工智能"),
            Some("Artificial intelligence"),
            None,
            Some("AI"),
            &[],
        ),
        FieldGroup::StrategicIndustry,
        None,
    ));

    cs.upsert_node(Node {
        id: id("hetao"),
        names: names(
            Some("河套深港科技创新合作区"),
            Some("河套深港科技創新合作區"),
            Some("Hetao Shenzhen-Hong Kong Science and Technology Innovation Cooperation Zone"),
            None,
            Some("Hetao"),
            &["河套"],
        ),
        attrs: NodeAttrs::Platform(PlatformAttrs {
            kind: PlatformKind::CooperationZone,
            cities: vec![id("hong-kong")],
            established: Some(2017),
        }),
        provenance: verified("https://www.hetao.gov.cn/", "2017-01-03"),
    });
    cs.upsert_node(Node {
        id: id("gba-univ-alliance"),
        names: names(Some("粤港澳高校联盟"), None, None, None, None, &[]),
        attrs: NodeAttrs::Platform(PlatformAttrs {
            kind: PlatformKind::Alliance,
            cities: Vec::new(),
            established: None,
        }),
        provenance: Provenance::default(),
    });

    let mut host = edge(EdgeKind::PartnerIn, "hku", "gdhkmo-smart-cities");
    host.role = Some(EdgeRole::Host);
    host.since = Some(2019);
    host.provenance = verified("http://gdstc.gd.gov.cn/", "2019-12-30");
    cs.upsert_edge(host);
    let mut partner = edge(EdgeKind::PartnerIn, "sysu", "gdhkmo-smart-cities");
    partner.role = Some(EdgeRole::Partner);
    cs.upsert_edge(partner);
    cs.upsert_edge(edge(EdgeKind::PartnerIn, "um", "skl-iotsc"));

    let mut affiliated = edge(EdgeKind::AffiliatedWith, "p-synthetic-1", "hku");
    affiliated.title = Some("Professor 教授".into());
    affiliated.primary = Some(true);
    cs.upsert_edge(affiliated);
    let mut second = edge(EdgeKind::AffiliatedWith, "p-synthetic-1", "sysu");
    second.primary = Some(false);
    cs.upsert_edge(second);

    let mut member = edge(EdgeKind::MemberOf, "p-synthetic-1", "gdhkmo-smart-cities");
    member.role = Some(EdgeRole::Pi);
    member.since = Some(2020);
    member.until = Some(2023);
    cs.upsert_edge(member);

    let mut talent = edge(EdgeKind::TalentLink, "p-synthetic-1", "skl-iotsc");
    talent.mode = Some(TalentMode::JointAppointment);
    talent.since = Some(2021);
    cs.upsert_edge(talent);

    // Given against key order on purpose: the store must keep the normalised edge.
    let mut collab = edge(EdgeKind::CollaboratesWith, "um", "hku");
    collab.weight = Some(0.1 + 0.2);
    collab.provenance = verified("https://doi.org/10.0000/synthetic", "2022-07");
    cs.upsert_edge(collab);
    let mut collab = edge(EdgeKind::CollaboratesWith, "p-synthetic-1", "sysu");
    collab.weight = Some(1e-300);
    cs.upsert_edge(collab);
    let mut collab = edge(EdgeKind::CollaboratesWith, "sysu", "um");
    collab.weight = Some(std::f64::consts::PI);
    cs.upsert_edge(collab);

    cs.upsert_edge(edge(EdgeKind::WorksOn, "gdhkmo-smart-cities", "ai"));
    cs.upsert_edge(edge(EdgeKind::WorksOn, "hku", "6g"));
    cs.upsert_edge(edge(EdgeKind::WorksOn, "p-synthetic-1", "ai"));

    let mut part = edge(EdgeKind::PartOf, "hku", "hetao");
    part.since = Some(2017);
    part.until = None;
    cs.upsert_edge(part);
    cs.upsert_edge(edge(EdgeKind::PartOf, "skl-iotsc", "gba-univ-alliance"));
    cs
}

/// A deterministic pseudo-random sequence (splitmix64): the same seed gives the same graph on
/// every machine, with no dependency for it.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        // The modulo bias is irrelevant for test data.
        (self.next() % n as u64) as usize
    }
}

/// A valid synthetic change set of about `nodes` nodes and exactly `edges` distinct edges of all
/// seven kinds, every fact marked `synthetic`. Ids start with `prefix`, so that several sets can
/// be added to one graph. The same arguments give the same change set.
///
/// Shape: the six regions' cities, 1% fields, 0.5% platforms, then 20% institutions, 15% labs
/// and the rest people — roughly the mix of the reference data.
pub fn synthetic(prefix: &str, nodes: usize, edges: usize, seed: u64) -> ChangeSet {
    let mut rng = SplitMix(seed);
    let mut cs = ChangeSet::new();
    let provenance = Provenance {
        source: None,
        date: None,
        verified: false,
        synthetic: true,
    };
    let make = |cs: &mut ChangeSet, text: String, attrs: NodeAttrs| -> Id {
        let id = id(&text);
        cs.upsert_node(Node {
            id: id.clone(),
            names: Names {
                zh_hans: Some(format!("合成{text}")),
                en: Some(format!("Synthetic {text}")),
                ..Names::default()
            },
            attrs,
            provenance: provenance.clone(),
        });
        id
    };
    let cities: Vec<Id> = Region::ALL
        .iter()
        .map(|&region| {
            make(
                &mut cs,
                format!("{prefix}city-{}", region.code()),
                NodeAttrs::City(CityAttrs {
                    region,
                    in_gba: matches!(region, Region::Hk | Region::Macao | Region::GdPrd),
                    lat: None,
                    lon: None,
                    adcode: None,
                }),
            )
        })
        .collect();
    let rest = nodes.saturating_sub(cities.len()).max(5);
    let fields: Vec<Id> = (0..(rest / 100).max(1))
        .map(|i| {
            make(
                &mut cs,
                format!("{prefix}field-{i}"),
                NodeAttrs::Field(FieldAttrs {
                    group: FieldGroup::Frontier,
                    parent: None,
                }),
            )
        })
        .collect();
    let platforms: Vec<Id> = (0..(rest / 200).max(1))
        .map(|i| {
            make(
                &mut cs,
                format!("{prefix}platform-{i}"),
                NodeAttrs::Platform(PlatformAttrs {
                    kind: PlatformKind::SciencePark,
                    cities: vec![cities[i % cities.len()].clone()],
                    established: Some(2000 + (i % 25) as i32),
                }),
            )
        })
        .collect();
    let left = rest.saturating_sub(fields.len() + platforms.len()).max(3);
    let institutions: Vec<Id> = (0..(left / 5).max(1))
        .map(|i| {
            make(
                &mut cs,
                format!("{prefix}inst-{i}"),
                NodeAttrs::Institution(InstitutionAttrs {
                    kind: InstitutionKind::ResearchInstitute,
                    city: Some(cities[i % cities.len()].clone()),
                    website: None,
                }),
            )
        })
        .collect();
    let labs: Vec<Id> = (0..(left * 3 / 20).max(1))
        .map(|i| {
            make(
                &mut cs,
                format!("{prefix}lab-{i}"),
                NodeAttrs::Lab(LabAttrs {
                    kind: LabKind::JointLab,
                    category: None,
                    batch_year: Some(2019 + (i % 5) as i32),
                    founded: None,
                    status: Some(LabStatus::Active),
                    cities: vec![cities[i % cities.len()].clone()],
                }),
            )
        })
        .collect();
    let people: Vec<Id> = (0..left.saturating_sub(institutions.len() + labs.len()).max(1))
        .map(|i| {
            make(
                &mut cs,
                format!("{prefix}person-{i}"),
                NodeAttrs::Person(PersonAttrs {}),
            )
        })
        .collect();

    let mut seen: HashSet<EdgeKey> = HashSet::with_capacity(edges);
    let mut attempts = 0usize;
    while seen.len() < edges {
        attempts += 1;
        assert!(
            attempts < edges * 20 + 1000,
            "synthetic: cannot place {edges} distinct edges on {nodes} nodes"
        );
        let pick = |rng: &mut SplitMix, pool: &[Id]| pool[rng.below(pool.len())].clone();
        let kind = EdgeKind::ALL[rng.below(EdgeKind::ALL.len())];
        let (from, to) = match kind {
            EdgeKind::PartnerIn => (pick(&mut rng, &institutions), pick(&mut rng, &labs)),
            EdgeKind::AffiliatedWith => (pick(&mut rng, &people), pick(&mut rng, &institutions)),
            EdgeKind::MemberOf => (pick(&mut rng, &people), pick(&mut rng, &labs)),
            EdgeKind::TalentLink => {
                let to = if rng.below(2) == 0 {
                    pick(&mut rng, &institutions)
                } else {
                    pick(&mut rng, &labs)
                };
                (pick(&mut rng, &people), to)
            }
            EdgeKind::CollaboratesWith => {
                let pool = if rng.below(2) == 0 {
                    &institutions
                } else {
                    &people
                };
                (pick(&mut rng, pool), pick(&mut rng, pool))
            }
            EdgeKind::WorksOn => {
                let pool = [&labs, &institutions, &people][rng.below(3)];
                (pick(&mut rng, pool), pick(&mut rng, &fields))
            }
            EdgeKind::PartOf => {
                let pool = if rng.below(2) == 0 {
                    &institutions
                } else {
                    &labs
                };
                (pick(&mut rng, pool), pick(&mut rng, &platforms))
            }
        };
        if from == to {
            continue;
        }
        let mut e = Edge::new(kind, from, to).normalised();
        if !seen.insert(e.key()) {
            continue;
        }
        match kind {
            EdgeKind::PartnerIn => {
                e.role = Some(if rng.below(3) == 0 {
                    EdgeRole::Host
                } else {
                    EdgeRole::Partner
                });
            }
            EdgeKind::MemberOf => e.role = Some(EdgeRole::Member),
            EdgeKind::TalentLink => e.mode = Some(TalentMode::Visiting),
            EdgeKind::CollaboratesWith => e.weight = Some(1.0 + rng.below(20) as f64 / 4.0),
            _ => {}
        }
        e.since = Some(2010 + rng.below(15) as i32);
        e.provenance = provenance.clone();
        cs.upsert_edge(e);
    }
    cs
}
