//! Nodes: institutions, labs, people, cities, fields and platforms, with their attributes.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Id, Names, Provenance, Region, ValidationError, YEAR_RANGE};

/// The six kinds of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Institution,
    Lab,
    Person,
    City,
    Field,
    Platform,
}

impl NodeKind {
    /// All kinds, in a fixed order (also the index order of per-kind tables).
    pub const ALL: [NodeKind; 6] = [
        NodeKind::Institution,
        NodeKind::Lab,
        NodeKind::Person,
        NodeKind::City,
        NodeKind::Field,
        NodeKind::Platform,
    ];

    /// Position in [`NodeKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The code used in files (`institution`, `lab`, ...).
    pub fn code(self) -> &'static str {
        match self {
            NodeKind::Institution => "institution",
            NodeKind::Lab => "lab",
            NodeKind::Person => "person",
            NodeKind::City => "city",
            NodeKind::Field => "field",
            NodeKind::Platform => "platform",
        }
    }

    /// Parses a code, case-insensitively.
    pub fn from_code(code: &str) -> Option<NodeKind> {
        NodeKind::ALL
            .into_iter()
            .find(|k| k.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What kind of organisation an institution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    University,
    ResearchInstitute,
    Enterprise,
    Hospital,
    Government,
    /// A laboratory that is an organisation of its own (e.g. a Guangdong provincial
    /// laboratory such as Peng Cheng Laboratory), as the reference data classifies it.
    LabPlatform,
}

/// What kind of lab a lab is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabStatus {
    Active,
    Planned,
    Closed,
}

/// Which part of the field taxonomy a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldGroup {
    /// Guangdong's strategic industry clusters (integrated circuits, AI, biomedicine, ...).
    StrategicIndustry,
    /// The five future industry clusters.
    FutureIndustry,
    /// Frontier areas (6G, quantum, gene technology, deep sea and space, new-generation AI).
    Frontier,
    /// Research disciplines as sources name them (materials, environment, ...).
    Discipline,
}

/// What kind of platform a platform is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlatformKind {
    CooperationZone,
    Corridor,
    Alliance,
    SciencePark,
    Other,
}

/// Attributes of an institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstitutionAttrs {
    pub kind: InstitutionKind,
    /// The city it is in (a City node).
    pub city: Option<Id>,
    pub website: Option<String>,
}

/// Attributes of a lab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabAttrs {
    pub kind: LabKind,
    /// The category as the source classifies it (e.g. `hk_national_key_lab`), kept verbatim.
    pub category: Option<String>,
    /// For joint labs: the year of the approval batch.
    pub batch_year: Option<i32>,
    /// The founding (or plaque) year, when known.
    pub founded: Option<i32>,
    pub status: Option<LabStatus>,
    /// The cities it is in (City nodes); a few labs span several.
    pub cities: Vec<Id>,
}

/// Attributes of a person. Only public facts; names live in [`Names`], fields in `WORKS_ON`
/// edges.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonAttrs {}

/// Attributes of a city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityAttrs {
    pub region: Region,
    /// One of the eleven Greater Bay Area cities.
    pub in_gba: bool,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The administrative division code.
    pub adcode: Option<String>,
}

/// Attributes of a field of the taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldAttrs {
    pub group: FieldGroup,
    /// The broader field (a Field node), if any.
    pub parent: Option<Id>,
}

/// Attributes of a platform (cooperation zone, corridor, alliance, science park).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformAttrs {
    pub kind: PlatformKind,
    /// The cities it covers (City nodes).
    pub cities: Vec<Id>,
    pub established: Option<i32>,
}

/// The kind-specific part of a node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NodeAttrs {
    Institution(InstitutionAttrs),
    Lab(LabAttrs),
    Person(PersonAttrs),
    City(CityAttrs),
    Field(FieldAttrs),
    Platform(PlatformAttrs),
}

/// A node of the graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: Id,
    pub names: Names,
    pub attrs: NodeAttrs,
    pub provenance: Provenance,
}

impl Node {
    /// The node's kind, as given by its attributes.
    pub fn kind(&self) -> NodeKind {
        match self.attrs {
            NodeAttrs::Institution(_) => NodeKind::Institution,
            NodeAttrs::Lab(_) => NodeKind::Lab,
            NodeAttrs::Person(_) => NodeKind::Person,
            NodeAttrs::City(_) => NodeKind::City,
            NodeAttrs::Field(_) => NodeKind::Field,
            NodeAttrs::Platform(_) => NodeKind::Platform,
        }
    }

    /// The nodes this node's attributes refer to, with the field name and the kind required.
    pub fn references(&self) -> Vec<(&'static str, &Id, NodeKind)> {
        match &self.attrs {
            NodeAttrs::Institution(a) => {
                a.city.iter().map(|c| ("city", c, NodeKind::City)).collect()
            }
            NodeAttrs::Lab(a) => a
                .cities
                .iter()
                .map(|c| ("cities", c, NodeKind::City))
                .collect(),
            NodeAttrs::Platform(a) => a
                .cities
                .iter()
                .map(|c| ("cities", c, NodeKind::City))
                .collect(),
            NodeAttrs::Field(a) => a
                .parent
                .iter()
                .map(|p| ("parent", p, NodeKind::Field))
                .collect(),
            NodeAttrs::Person(_) | NodeAttrs::City(_) => Vec::new(),
        }
    }

    /// Checks everything that can be checked on the node alone (names, years, coordinates,
    /// date shape). References to other nodes are checked by [`crate::Graph::apply`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        let invalid = |field: &'static str, reason: String| ValidationError::InvalidValue {
            what: "node",
            id: self.id.to_string(),
            field,
            reason,
        };
        if !self.names.has_full_name() {
            return Err(ValidationError::MissingName {
                id: self.id.to_string(),
            });
        }
        for name in self.names.all() {
            if name.trim().is_empty() {
                return Err(invalid("names", "a name or alias is blank".into()));
            }
        }
        if let Some(reason) = self.provenance.date_problem() {
            return Err(invalid("source_date", reason));
        }
        let year = |field: &'static str, y: Option<i32>| match y {
            Some(y) if !YEAR_RANGE.contains(&y) => Err(invalid(
                field,
                format!(
                    "{y} is outside {}..={}",
                    YEAR_RANGE.start(),
                    YEAR_RANGE.end()
                ),
            )),
            _ => Ok(()),
        };
        match &self.attrs {
            NodeAttrs::Lab(a) => {
                year("batch_year", a.batch_year)?;
                year("founded", a.founded)?;
            }
            NodeAttrs::Platform(a) => year("established", a.established)?,
            NodeAttrs::City(a) => {
                if let Some(lat) = a.lat.filter(|v| !(-90.0..=90.0).contains(v)) {
                    return Err(invalid("lat", format!("{lat} is not a latitude")));
                }
                if let Some(lon) = a.lon.filter(|v| !(-180.0..=180.0).contains(v)) {
                    return Err(invalid("lon", format!("{lon} is not a longitude")));
                }
            }
            NodeAttrs::Institution(_) | NodeAttrs::Person(_) | NodeAttrs::Field(_) => {}
        }
        Ok(())
    }
}
