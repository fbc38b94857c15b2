//! GraphQL enums: mirrors of the domain's enums (kept in step by `remote`, so a new domain
//! variant fails to compile here instead of leaking out unnamed) and the API's own enums.

use async_graphql::Enum;

/// Where a city lies: Hong Kong, Macao, or one of Guangdong's four economic regions.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::Region")]
pub enum Region {
    /// Hong Kong SAR.
    Hk,
    /// Macao SAR.
    Macao,
    /// The nine Pearl River Delta cities of Guangdong.
    GdPrd,
    /// East Guangdong (Shantou, Shanwei, Jieyang, Chaozhou).
    GdEast,
    /// West Guangdong (Zhanjiang, Maoming, Yangjiang).
    GdWest,
    /// North Guangdong (Shaoguan, Heyuan, Meizhou, Qingyuan, Yunfu).
    GdNorth,
}

/// The three legal systems of the Greater Bay Area. A tie is cross-border when its two ends are
/// in different jurisdictions.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::Jurisdiction")]
pub enum Jurisdiction {
    /// Mainland China (here: Guangdong).
    Mainland,
    /// Hong Kong SAR.
    HongKong,
    /// Macao SAR.
    Macao,
}

/// The class of a tie, or of a lab's partner set, by the jurisdictions it joins.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::TieClass")]
pub enum TieClass {
    /// Every end in one jurisdiction.
    Domestic,
    /// Mainland and Hong Kong.
    MainlandHk,
    /// Mainland and Macao.
    MainlandMacao,
    /// Hong Kong and Macao.
    HkMacao,
    /// Mainland, Hong Kong and Macao together.
    TriParty,
}

/// The six kinds of node.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::NodeKind")]
pub enum NodeKind {
    /// A university, research institute, enterprise, hospital or government body.
    Institution,
    /// A laboratory (joint lab, provincial lab, state key lab, InnoHK centre, ...).
    Lab,
    /// A researcher or expert (public facts only).
    Person,
    /// A city of Guangdong, or Hong Kong or Macao.
    City,
    /// A field of the taxonomy (industry clusters, frontier areas, disciplines).
    Field,
    /// A cooperation zone, corridor, alliance or science park.
    Platform,
}

/// The seven kinds of edge.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::EdgeKind")]
pub enum EdgeKind {
    /// Institution → Lab, with role HOST or PARTNER.
    PartnerIn,
    /// Person → Institution, with a title and whether it is the primary affiliation.
    AffiliatedWith,
    /// Person → Lab, with role DIRECTOR, PI or MEMBER.
    MemberOf,
    /// Person → Institution or Lab: one of the GBA's flexible talent modes.
    TalentLink,
    /// Person or Institution ↔ Person or Institution; weight = joint papers or projects.
    /// Undirected: stored from the smaller id to the larger.
    CollaboratesWith,
    /// Lab, Institution or Person → Field.
    WorksOn,
    /// Institution or Lab → Platform.
    PartOf,
}

/// The role at the `from` end of a PARTNER_IN or MEMBER_OF edge.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::EdgeRole")]
pub enum EdgeRole {
    /// The institution hosts the lab (依托单位).
    Host,
    /// The institution is a partner of the lab (共建单位).
    Partner,
    /// The person directs the lab.
    Director,
    /// The person is a principal investigator of the lab.
    Pi,
    /// The person is a member of the lab.
    Member,
}

/// The GBA's "flexible talent" modes of a TALENT_LINK edge.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::TalentMode")]
pub enum TalentMode {
    /// Short-term cooperation.
    ShortTermCooperation,
    /// A stake in a project.
    ProjectEquity,
    /// A joint appointment.
    JointAppointment,
    /// A visiting position.
    Visiting,
    /// A move to the institution.
    Relocation,
}

/// What kind of organisation an institution is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::InstitutionKind")]
pub enum InstitutionKind {
    /// A university.
    University,
    /// A research institute (including hospitals that the sources list as institutes).
    ResearchInstitute,
    /// A company.
    Enterprise,
    /// A hospital.
    Hospital,
    /// A government body or public agency.
    Government,
    /// A laboratory that is an organisation of its own, such as a Guangdong provincial
    /// laboratory (e.g. Peng Cheng Laboratory).
    LabPlatform,
}

/// What kind of lab a lab is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::LabKind")]
pub enum LabKind {
    /// A Guangdong–Hong Kong–Macao joint laboratory (粤港澳联合实验室).
    JointLab,
    /// A Guangdong provincial laboratory (广东省实验室) or one of its branches.
    ProvincialLab,
    /// A state key laboratory, including those in Hong Kong and Macao.
    StateKeyLab,
    /// An InnoHK research centre.
    InnohkCentre,
    /// Anything else (an institute in a cooperation zone, an enterprise joint lab, ...).
    Other,
}

/// Whether a lab is running.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::LabStatus")]
pub enum LabStatus {
    /// Running.
    Active,
    /// Announced, not yet running.
    Planned,
    /// No longer running.
    Closed,
}

/// Which part of the field taxonomy a field belongs to.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::FieldGroup")]
pub enum FieldGroup {
    /// Guangdong's strategic industry clusters (integrated circuits, AI, biomedicine, ...).
    StrategicIndustry,
    /// The five future industry clusters.
    FutureIndustry,
    /// Frontier areas (6G, quantum, gene technology, deep sea and space, new-generation AI).
    Frontier,
    /// Research disciplines as the sources name them (materials, environment, ...).
    Discipline,
}

/// What kind of platform a platform is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "labgraph_domain::PlatformKind")]
pub enum PlatformKind {
    /// A cooperation zone (e.g. Hetao, Nansha, Hengqin).
    CooperationZone,
    /// A science and technology corridor.
    Corridor,
    /// An alliance of institutions.
    Alliance,
    /// A science park.
    SciencePark,
    /// Anything else.
    Other,
}

/// A language (script) to show a name in.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese (简体).
    ZhHans,
    /// Traditional Chinese (繁體).
    ZhHant,
    /// English.
    En,
    /// Portuguese (for Macao).
    Pt,
}

/// Which way an edge runs, seen from the node it is looked up from.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The edge leaves this node (this node is its `from` end). A symmetric
    /// COLLABORATES_WITH edge leaves the end with the smaller id.
    Outgoing,
    /// The edge arrives at this node (this node is its `to` end).
    Incoming,
    /// Either way (only as an argument).
    Both,
}

/// Sort direction.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest first. Unknown values (a lab without a batch year) come last.
    #[default]
    Asc,
    /// Largest first. Unknown values still come last.
    Desc,
}

/// The level at which roll-ups and tie pairs group institutions and labs.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollupLevel {
    /// By institution (key: the institution's id): a lab counts once for each of its partner
    /// institutions, the first step of lab → institution → city → region → jurisdiction.
    Institution,
    /// By city (key: the city's id).
    City,
    /// By region (key: the Region value, e.g. `GD_PRD`).
    Region,
    /// By jurisdiction (key: the Jurisdiction value, e.g. `HONG_KONG`).
    Jurisdiction,
}

/// Sort fields shared by every kind of node.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NodeOrderField {
    /// The id (the default; the fastest order, served straight from the id index).
    #[default]
    Id,
    /// The display name (English first, see `name`), case-insensitively.
    Name,
    /// The number of edges touching the node, of every kind.
    Degree,
}

/// Sort fields of labs.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LabOrderField {
    /// The id (the default).
    #[default]
    Id,
    /// The display name, case-insensitively.
    Name,
    /// The number of edges touching the lab, of every kind.
    Degree,
    /// The approval batch year of a joint lab; labs without one come last.
    BatchYear,
    /// The founding year; labs without one come last.
    Founded,
}

/// Sort fields of platforms.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlatformOrderField {
    /// The id (the default).
    #[default]
    Id,
    /// The display name, case-insensitively.
    Name,
    /// The number of edges touching the platform, of every kind.
    Degree,
    /// The year the platform was established; platforms without one come last.
    Established,
}

impl Region {
    /// The region's GraphQL value, used as a roll-up key.
    pub(crate) fn key(region: labgraph_domain::Region) -> &'static str {
        match region {
            labgraph_domain::Region::Hk => "HK",
            labgraph_domain::Region::Macao => "MACAO",
            labgraph_domain::Region::GdPrd => "GD_PRD",
            labgraph_domain::Region::GdEast => "GD_EAST",
            labgraph_domain::Region::GdWest => "GD_WEST",
            labgraph_domain::Region::GdNorth => "GD_NORTH",
        }
    }

    /// The region's English name, shown next to its key in roll-ups.
    pub(crate) fn english(region: labgraph_domain::Region) -> &'static str {
        match region {
            labgraph_domain::Region::Hk => "Hong Kong",
            labgraph_domain::Region::Macao => "Macao",
            labgraph_domain::Region::GdPrd => "Pearl River Delta (Guangdong)",
            labgraph_domain::Region::GdEast => "East Guangdong",
            labgraph_domain::Region::GdWest => "West Guangdong",
            labgraph_domain::Region::GdNorth => "North Guangdong",
        }
    }
}

impl Jurisdiction {
    /// The jurisdiction's GraphQL value, used as a roll-up key.
    pub(crate) fn key(jurisdiction: labgraph_domain::Jurisdiction) -> &'static str {
        match jurisdiction {
            labgraph_domain::Jurisdiction::Mainland => "MAINLAND",
            labgraph_domain::Jurisdiction::HongKong => "HONG_KONG",
            labgraph_domain::Jurisdiction::Macao => "MACAO",
        }
    }
}
