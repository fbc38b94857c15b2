//! Edges: the relationships between nodes, with role, years, weight and provenance.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Id, NodeKind, Provenance, ValidationError, YEAR_RANGE};

/// The seven kinds of edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// Institution → Lab (role: host or partner).
    PartnerIn,
    /// Person → Institution (title, primary).
    AffiliatedWith,
    /// Person → Lab (role: director, PI, member).
    MemberOf,
    /// Person → Institution or Lab: the GBA's flexible talent modes.
    TalentLink,
    /// Person or Institution ↔ Person or Institution (weight: joint papers or projects).
    /// Undirected: stored with `from` < `to`.
    CollaboratesWith,
    /// Lab, Institution or Person → Field.
    WorksOn,
    /// Institution or Lab → Platform.
    PartOf,
}

impl EdgeKind {
    /// All kinds, in a fixed order.
    pub const ALL: [EdgeKind; 7] = [
        EdgeKind::PartnerIn,
        EdgeKind::AffiliatedWith,
        EdgeKind::MemberOf,
        EdgeKind::TalentLink,
        EdgeKind::CollaboratesWith,
        EdgeKind::WorksOn,
        EdgeKind::PartOf,
    ];

    /// The code used in files (`partner_in`, ...).
    pub fn code(self) -> &'static str {
        match self {
            EdgeKind::PartnerIn => "partner_in",
            EdgeKind::AffiliatedWith => "affiliated_with",
            EdgeKind::MemberOf => "member_of",
            EdgeKind::TalentLink => "talent_link",
            EdgeKind::CollaboratesWith => "collaborates_with",
            EdgeKind::WorksOn => "works_on",
            EdgeKind::PartOf => "part_of",
        }
    }

    /// Parses a code, case-insensitively (`PARTNER_IN`, `partner_in`).
    pub fn from_code(code: &str) -> Option<EdgeKind> {
        EdgeKind::ALL
            .into_iter()
            .find(|k| k.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The node kinds allowed at the `from` and `to` ends.
    pub fn endpoints(self) -> (&'static [NodeKind], &'static [NodeKind]) {
        use NodeKind::*;
        match self {
            EdgeKind::PartnerIn => (&[Institution], &[Lab]),
            EdgeKind::AffiliatedWith => (&[Person], &[Institution]),
            EdgeKind::MemberOf => (&[Person], &[Lab]),
            EdgeKind::TalentLink => (&[Person], &[Institution, Lab]),
            EdgeKind::CollaboratesWith => (&[Person, Institution], &[Person, Institution]),
            EdgeKind::WorksOn => (&[Lab, Institution, Person], &[Field]),
            EdgeKind::PartOf => (&[Institution, Lab], &[Platform]),
        }
    }

    /// True when the edge has no direction (stored with `from` < `to`).
    pub fn is_symmetric(self) -> bool {
        self == EdgeKind::CollaboratesWith
    }

    /// The roles an edge of this kind may carry.
    pub fn roles(self) -> &'static [EdgeRole] {
        match self {
            EdgeKind::PartnerIn => &[EdgeRole::Host, EdgeRole::Partner],
            EdgeKind::MemberOf => &[EdgeRole::Director, EdgeRole::Pi, EdgeRole::Member],
            _ => &[],
        }
    }
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The role at the `from` end of a `PARTNER_IN` or `MEMBER_OF` edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeRole {
    /// The institution hosts the lab (依托单位).
    Host,
    /// The institution is a partner of the lab (共建单位).
    Partner,
    Director,
    /// Principal investigator.
    Pi,
    Member,
}

impl EdgeRole {
    /// The code used in files.
    pub fn code(self) -> &'static str {
        match self {
            EdgeRole::Host => "host",
            EdgeRole::Partner => "partner",
            EdgeRole::Director => "director",
            EdgeRole::Pi => "pi",
            EdgeRole::Member => "member",
        }
    }
}

/// The GBA's "flexible talent" modes of a `TALENT_LINK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TalentMode {
    ShortTermCooperation,
    ProjectEquity,
    JointAppointment,
    Visiting,
    Relocation,
}

/// The identity of an edge: one edge per kind and ordered pair of ends (for the symmetric
/// `COLLABORATES_WITH`, per unordered pair). Upserting the same key replaces the edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EdgeKey {
    pub kind: EdgeKind,
    pub from: Id,
    pub to: Id,
}

impl EdgeKey {
    /// Builds a key, putting the ends of a symmetric kind in order.
    pub fn new(kind: EdgeKind, from: Id, to: Id) -> Self {
        if kind.is_symmetric() && to < from {
            EdgeKey {
                kind,
                from: to,
                to: from,
            }
        } else {
            EdgeKey { kind, from, to }
        }
    }

    /// The end that is not `id` (for a self-loop, `id` itself).
    pub fn other(&self, id: &str) -> &Id {
        if self.from.as_str() == id {
            &self.to
        } else {
            &self.from
        }
    }
}

impl fmt::Display for EdgeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({} -> {})", self.kind.code(), self.from, self.to)
    }
}

/// An edge of the graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub kind: EdgeKind,
    pub from: Id,
    pub to: Id,
    /// For `PARTNER_IN` and `MEMBER_OF`.
    pub role: Option<EdgeRole>,
    /// A free-text title or position (`AFFILIATED_WITH`), e.g. "Professor".
    pub title: Option<String>,
    /// For `AFFILIATED_WITH`: the person's primary affiliation.
    pub primary: Option<bool>,
    /// For `TALENT_LINK`.
    pub mode: Option<TalentMode>,
    /// First year the tie held.
    pub since: Option<i32>,
    /// Last year the tie held; `None` while it holds.
    pub until: Option<i32>,
    /// How much the tie counts (joint papers or projects); `None` means 1.
    pub weight: Option<f64>,
    pub provenance: Provenance,
}

impl Edge {
    /// A bare edge of `kind` from `from` to `to` with no attributes.
    pub fn new(kind: EdgeKind, from: Id, to: Id) -> Self {
        Edge {
            kind,
            from,
            to,
            role: None,
            title: None,
            primary: None,
            mode: None,
            since: None,
            until: None,
            weight: None,
            provenance: Provenance::default(),
        }
    }

    /// The edge's identity.
    pub fn key(&self) -> EdgeKey {
        EdgeKey::new(self.kind, self.from.clone(), self.to.clone())
    }

    /// Puts the ends of a symmetric edge in key order, so that stored edges match their key.
    pub fn normalised(mut self) -> Self {
        if self.kind.is_symmetric() && self.to < self.from {
            std::mem::swap(&mut self.from, &mut self.to);
        }
        self
    }

    /// True when the tie held in `year` (an edge without years always holds).
    pub fn active_in(&self, year: i32) -> bool {
        self.since.is_none_or(|s| s <= year) && self.until.is_none_or(|u| year <= u)
    }

    /// The weight, 1 when not given.
    pub fn weight_or_one(&self) -> f64 {
        self.weight.unwrap_or(1.0)
    }

    /// Checks everything that can be checked on the edge alone (years, weight, role and mode
    /// fit the kind, no self-loop). Endpoints are checked by [`crate::Graph::apply`].
    pub fn validate(&self) -> Result<(), ValidationError> {
        let invalid = |field: &'static str, reason: String| ValidationError::InvalidValue {
            what: "edge",
            id: self.key().to_string(),
            field,
            reason,
        };
        if self.from == self.to {
            return Err(invalid("to", "an edge cannot join a node to itself".into()));
        }
        for (field, year) in [("since", self.since), ("until", self.until)] {
            if let Some(y) = year.filter(|y| !YEAR_RANGE.contains(y)) {
                return Err(invalid(
                    field,
                    format!(
                        "{y} is outside {}..={}",
                        YEAR_RANGE.start(),
                        YEAR_RANGE.end()
                    ),
                ));
            }
        }
        if let (Some(s), Some(u)) = (self.since, self.until)
            && u < s
        {
            return Err(invalid("until", format!("{u} is before since ({s})")));
        }
        if let Some(w) = self.weight
            && !(w.is_finite() && w > 0.0)
        {
            return Err(invalid("weight", format!("{w} is not a positive number")));
        }
        if let Some(role) = self.role
            && !self.kind.roles().contains(&role)
        {
            let allowed: Vec<&str> = self.kind.roles().iter().map(|r| r.code()).collect();
            return Err(invalid(
                "role",
                if allowed.is_empty() {
                    format!("a {} edge takes no role", self.kind)
                } else {
                    format!(
                        "{} is not a role of a {} edge (allowed: {})",
                        role.code(),
                        self.kind,
                        allowed.join(", ")
                    )
                },
            ));
        }
        if self.mode.is_some() && self.kind != EdgeKind::TalentLink {
            return Err(invalid("mode", "only talent_link edges have a mode".into()));
        }
        if self.primary.is_some() && self.kind != EdgeKind::AffiliatedWith {
            return Err(invalid(
                "primary",
                "only affiliated_with edges have `primary`".into(),
            ));
        }
        if let Some(reason) = self.provenance.date_problem() {
            return Err(invalid("source_date", reason));
        }
        Ok(())
    }
}
