//! The flat record of seed format v1: its fields, their types, which record kinds each belongs
//! to, and the conversion of one record's fields into a domain [`Node`] or [`Edge`].
//!
//! The three file formats (JSON Lines, JSON, CSV) differ only in how a field's value is spelled;
//! they all hand this module a list of `(name, Cell)` pairs, so that every rule (unknown
//! fields, fields foreign to a kind, required fields, enum codes, ids) is enforced once.

use serde::de::DeserializeOwned;
use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use labgraph_domain::{
    CityAttrs, Edge, EdgeKind, EdgeRole, FieldAttrs, FieldGroup, Id, InstitutionAttrs,
    InstitutionKind, LabAttrs, LabKind, LabStatus, Names, Node, NodeAttrs, NodeKind, PersonAttrs,
    PlatformAttrs, PlatformKind, Provenance, Region, TalentMode, ValidationError,
};

/// The format name a header record must carry.
pub const FORMAT_NAME: &str = "labgraph-seed";
/// The newest seed format version this crate reads and the one it writes.
pub const FORMAT_VERSION: i64 = 1;

/// The type of a field's value; decides how a JSON value or a CSV cell is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Str,
    /// A JSON array of strings, or a CSV cell with `;`-separated items.
    List,
    Bool,
    Int,
    Float,
}

impl Ty {
    fn expected(self) -> &'static str {
        match self {
            Ty::Str => "a string",
            Ty::List => "a list of strings",
            Ty::Bool => "true or false",
            Ty::Int => "an integer",
            Ty::Float => "a number",
        }
    }
}

macro_rules! fields {
    ($($variant:ident = $name:literal : $ty:ident),* $(,)?) => {
        /// Every field name of seed format v1.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Field { $($variant),* }

        impl Field {
            pub(crate) const ALL: &'static [Field] = &[$(Field::$variant),*];

            pub(crate) fn name(self) -> &'static str {
                match self { $(Field::$variant => $name),* }
            }

            fn ty(self) -> Ty {
                match self { $(Field::$variant => Ty::$ty),* }
            }

            pub(crate) fn from_name(name: &str) -> Option<Field> {
                match name { $($name => Some(Field::$variant),)* _ => None }
            }
        }
    };
}

fields! {
    Record = "record": Str,
    Kind = "kind": Str,
    Id = "id": Str,
    NameZhHans = "name_zh_hans": Str,
    NameZhHant = "name_zh_hant": Str,
    NameEn = "name_en": Str,
    NamePt = "name_pt": Str,
    ShortName = "short_name": Str,
    Aliases = "aliases": List,
    InstitutionKind = "institution_kind": Str,
    City = "city": Str,
    Website = "website": Str,
    LabKind = "lab_kind": Str,
    Category = "category": Str,
    BatchYear = "batch_year": Int,
    Founded = "founded": Int,
    Status = "status": Str,
    Cities = "cities": List,
    Region = "region": Str,
    InGba = "in_gba": Bool,
    Lat = "lat": Float,
    Lon = "lon": Float,
    Adcode = "adcode": Str,
    Group = "field_group": Str,
    Parent = "parent": Str,
    PlatformKind = "platform_kind": Str,
    Established = "established": Int,
    From = "from": Str,
    To = "to": Str,
    Role = "role": Str,
    Title = "title": Str,
    Primary = "primary": Bool,
    Mode = "mode": Str,
    Since = "since": Int,
    Until = "until": Int,
    Weight = "weight": Float,
    Source = "source": Str,
    SourceDate = "source_date": Str,
    Verified = "verified": Bool,
    Synthetic = "synthetic": Bool,
    Format = "format": Str,
    Version = "version": Int,
}

const FIELD_COUNT: usize = Field::ALL.len();

use Field as F;

/// Fields every node takes, whatever its kind.
const NODE_COMMON: &[Field] = &[
    F::Record,
    F::Kind,
    F::Id,
    F::NameZhHans,
    F::NameZhHant,
    F::NameEn,
    F::NamePt,
    F::ShortName,
    F::Aliases,
    F::Source,
    F::SourceDate,
    F::Verified,
    F::Synthetic,
];

/// Fields every edge takes. Which of role, title, primary and mode fit which edge kind is
/// checked by the domain's `Edge::validate`, which names the field.
pub(crate) const EDGE_FIELDS: &[Field] = &[
    F::Record,
    F::Kind,
    F::From,
    F::To,
    F::Role,
    F::Title,
    F::Primary,
    F::Mode,
    F::Since,
    F::Until,
    F::Weight,
    F::Source,
    F::SourceDate,
    F::Verified,
    F::Synthetic,
];

const HEADER_FIELDS: &[Field] = &[F::Record, F::Format, F::Version];

/// The fields only nodes of one kind take.
pub(crate) fn node_kind_fields(kind: NodeKind) -> &'static [Field] {
    match kind {
        NodeKind::Institution => &[F::InstitutionKind, F::City, F::Website],
        NodeKind::Lab => &[
            F::LabKind,
            F::Category,
            F::BatchYear,
            F::Founded,
            F::Status,
            F::Cities,
        ],
        NodeKind::Person => &[],
        NodeKind::City => &[F::Region, F::InGba, F::Lat, F::Lon, F::Adcode],
        NodeKind::Field => &[F::Group, F::Parent],
        NodeKind::Platform => &[F::PlatformKind, F::Cities, F::Established],
    }
}

/// The columns of a nodes CSV file, in the order the writer puts them.
pub(crate) fn node_columns() -> Vec<Field> {
    let mut columns: Vec<Field> = NODE_COMMON[..9].to_vec();
    for kind in NodeKind::ALL {
        for f in node_kind_fields(kind) {
            if !columns.contains(f) {
                columns.push(*f);
            }
        }
    }
    columns.extend_from_slice(&NODE_COMMON[9..]);
    columns
}

/// A field's value as it appears in one format.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    /// A JSON value, not yet parsed.
    Json(&'a RawValue),
    /// A CSV cell (never empty: empty cells are left out by the reader).
    Text(&'a str),
}

/// A parsed field value.
#[derive(Debug, Clone)]
enum Value {
    Str(String),
    List(Vec<String>),
    Bool(bool),
    Int(i64),
    Float(f64),
}

impl Cell<'_> {
    /// The cell's value as text, when it is a plain string (used only to describe a record
    /// in an error message before it is parsed).
    fn peek_str(&self) -> Option<String> {
        match self {
            Cell::Json(raw) => serde_json::from_str::<String>(raw.get()).ok(),
            Cell::Text(text) => Some((*text).to_owned()),
        }
    }

    /// Parses the cell as `ty`. `Ok(None)` for JSON `null` and for empty strings and lists,
    /// which mean "not known" exactly like an absent field.
    fn parse(&self, ty: Ty) -> Result<Option<Value>, String> {
        let value = match self {
            Cell::Json(raw) => {
                let text = raw.get();
                let bad = || format!("expected {}, found {}", ty.expected(), snippet(text));
                match ty {
                    Ty::Str => json::<String>(text)
                        .ok_or_else(bad)?
                        .filter(|s| !s.is_empty())
                        .map(Value::Str),
                    Ty::List => json::<Vec<String>>(text)
                        .ok_or_else(bad)?
                        .filter(|l| !l.is_empty())
                        .map(Value::List),
                    Ty::Bool => json::<bool>(text).ok_or_else(bad)?.map(Value::Bool),
                    Ty::Int => json::<i64>(text).ok_or_else(bad)?.map(Value::Int),
                    Ty::Float => json::<f64>(text).ok_or_else(bad)?.map(Value::Float),
                }
            }
            Cell::Text(text) => {
                let bad = || format!("expected {}, found {}", ty.expected(), snippet(text));
                match ty {
                    Ty::Str => Some(Value::Str((*text).to_owned())),
                    Ty::List => {
                        let items: Vec<String> = text
                            .split(';')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect();
                        (!items.is_empty()).then_some(Value::List(items))
                    }
                    Ty::Bool => match text.trim().to_ascii_lowercase().as_str() {
                        "true" => Some(Value::Bool(true)),
                        "false" => Some(Value::Bool(false)),
                        _ => return Err(bad()),
                    },
                    Ty::Int => Some(Value::Int(text.trim().parse().map_err(|_| bad())?)),
                    Ty::Float => {
                        let v: f64 = text.trim().parse().map_err(|_| bad())?;
                        if !v.is_finite() {
                            return Err(bad());
                        }
                        Some(Value::Float(v))
                    }
                }
            }
        };
        Ok(value)
    }
}

/// Parses a JSON value as `Option<T>`; `None` (outer) when it is not a `T` or `null`.
fn json<T: DeserializeOwned>(text: &str) -> Option<Option<T>> {
    serde_json::from_str::<Option<T>>(text).ok()
}

/// A short quotation of a bad value for an error message.
fn snippet(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        format!("`{text}`")
    } else {
        format!("`{}…`", text.chars().take(MAX).collect::<String>())
    }
}

/// One parsed record.
#[derive(Debug)]
pub(crate) enum Record {
    Header,
    Node(Node),
    Edge(Edge),
}

/// Why a record could not be built; the reader adds the location.
#[derive(Debug)]
pub(crate) enum RecordError {
    Field {
        record: String,
        field: String,
        message: String,
    },
    Invalid(ValidationError),
}

/// The fields of one record, parsed and typed, indexed by [`Field`].
struct Values<'p> {
    /// The record as given, to describe it in an error message (only then: describing costs
    /// a second parse of a few fields, too much for every record of a million-record file).
    pairs: &'p [(&'p str, Cell<'p>)],
    slots: [Option<Value>; FIELD_COUNT],
}

impl Values<'_> {
    fn fail(&self, field: Field, message: impl Into<String>) -> RecordError {
        RecordError::Field {
            record: describe(self.pairs),
            field: field.name().to_owned(),
            message: message.into(),
        }
    }

    fn present(&self, field: Field) -> bool {
        self.slots[field as usize].is_some()
    }

    fn take(&mut self, field: Field) -> Option<Value> {
        self.slots[field as usize].take()
    }

    fn string(&mut self, field: Field) -> Option<String> {
        match self.take(field) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    fn list(&mut self, field: Field) -> Vec<String> {
        match self.take(field) {
            Some(Value::List(l)) => l,
            _ => Vec::new(),
        }
    }

    fn boolean(&mut self, field: Field) -> Option<bool> {
        match self.take(field) {
            Some(Value::Bool(b)) => Some(b),
            _ => None,
        }
    }

    fn float(&mut self, field: Field) -> Option<f64> {
        match self.take(field) {
            Some(Value::Float(v)) => Some(v),
            Some(Value::Int(v)) => Some(v as f64),
            _ => None,
        }
    }

    fn year(&mut self, field: Field) -> Result<Option<i32>, RecordError> {
        match self.take(field) {
            Some(Value::Int(v)) => i32::try_from(v)
                .map(Some)
                .map_err(|_| self.fail(field, format!("{v} is not a year"))),
            _ => Ok(None),
        }
    }

    fn required_string(&mut self, field: Field, what: &str) -> Result<String, RecordError> {
        self.string(field)
            .ok_or_else(|| self.fail(field, format!("missing: every {what} needs one")))
    }

    fn enumeration<T: DeserializeOwned>(&mut self, field: Field) -> Result<Option<T>, RecordError> {
        match self.string(field) {
            None => Ok(None),
            Some(code) => parse_code(&code).map(Some).map_err(|m| self.fail(field, m)),
        }
    }

    fn required_enum<T: DeserializeOwned>(
        &mut self,
        field: Field,
        what: &str,
    ) -> Result<T, RecordError> {
        let code = self.required_string(field, what)?;
        parse_code(&code).map_err(|m| self.fail(field, m))
    }

    fn id(&mut self, field: Field) -> Result<Option<Id>, RecordError> {
        match self.string(field) {
            None => Ok(None),
            Some(text) => Id::new(&text)
                .map(Some)
                .map_err(|e| self.fail(field, e.to_string())),
        }
    }

    fn ids(&mut self, field: Field) -> Result<Vec<Id>, RecordError> {
        let items = self.list(field);
        items
            .iter()
            .map(|text| Id::new(text).map_err(|e| self.fail(field, e.to_string())))
            .collect()
    }

    /// Refuses any field outside `allowed`, naming what the record's kind (`a city node`, `an
    /// edge`) does take.
    fn only(&self, allowed: &[Field], kind: &str) -> Result<(), RecordError> {
        if let Some(&field) = Field::ALL
            .iter()
            .find(|f| self.present(**f) && !allowed.contains(f))
        {
            let takes: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
            return Err(self.fail(
                field,
                format!("does not belong to {kind} (it takes: {})", takes.join(", ")),
            ));
        }
        Ok(())
    }

    fn provenance(&mut self) -> Provenance {
        Provenance {
            source: self.string(F::Source),
            date: self.string(F::SourceDate),
            verified: self.boolean(F::Verified).unwrap_or(false),
            synthetic: self.boolean(F::Synthetic).unwrap_or(false),
        }
    }
}

/// Parses a snake_case enum code strictly (files hold one spelling per value, so that they
/// diff cleanly); the error lists the allowed codes.
pub(crate) fn parse_code<T: DeserializeOwned>(code: &str) -> Result<T, String> {
    T::deserialize(StrDeserializer::<ValueError>::new(code)).map_err(|e| e.to_string())
}

/// The snake_case code of a domain enum (the inverse of [`parse_code`]).
pub(crate) fn code_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        // Every domain enum is a unit-variant enum with snake_case codes, so serialisation
        // always yields a string; anything else would be a bug in the domain crate.
        other => unreachable!("an enum code serialises to a string, not {other:?}"),
    }
}

/// How a record is named in an error message before it is fully parsed.
fn describe(pairs: &[(&str, Cell<'_>)]) -> String {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, c)| c.peek_str())
    };
    match get("record").as_deref() {
        Some("header") => "header".to_owned(),
        Some("node") => format!(
            "{} {}",
            get("kind").unwrap_or_else(|| "node".into()),
            get("id").unwrap_or_else(|| "(no id)".into())
        ),
        Some("edge") => format!(
            "edge {}({} -> {})",
            get("kind").unwrap_or_else(|| "?".into()),
            get("from").unwrap_or_else(|| "?".into()),
            get("to").unwrap_or_else(|| "?".into())
        ),
        _ => "record".to_owned(),
    }
}

/// The known field closest to a misspelt one, for a "did you mean" hint.
fn closest(name: &str) -> Option<&'static str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }
    Field::ALL
        .iter()
        .map(|f| (distance(name, f.name()), f.name()))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, n)| n)
}

/// Builds one record from its fields. `pairs` holds each present field once, in file order.
pub(crate) fn build<'p>(pairs: &'p [(&'p str, Cell<'p>)]) -> Result<Record, RecordError> {
    let mut values = Values {
        pairs,
        slots: std::array::from_fn(|_| None),
    };
    for (name, cell) in pairs {
        let Some(field) = Field::from_name(name) else {
            let hint = closest(name)
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            return Err(RecordError::Field {
                record: describe(pairs),
                field: (*name).to_owned(),
                message: format!("unknown field{hint}; see docs/seed-format.md"),
            });
        };
        let value = cell.parse(field.ty()).map_err(|m| values.fail(field, m))?;
        values.slots[field as usize] = value;
    }
    let record = values.required_string(F::Record, "record")?;
    match record.as_str() {
        "header" => header(values),
        "node" => node(values).map(Record::Node),
        "edge" => edge(values).map(Record::Edge),
        other => Err(values.fail(
            F::Record,
            format!("unknown record type {other:?} (expected header, node or edge)"),
        )),
    }
}

fn header(mut v: Values<'_>) -> Result<Record, RecordError> {
    v.only(HEADER_FIELDS, "a header")?;
    let format = v.required_string(F::Format, "header")?;
    if format != FORMAT_NAME {
        return Err(v.fail(
            F::Format,
            format!("{format:?} is not a labgraph seed (expected {FORMAT_NAME:?})"),
        ));
    }
    check_version(
        match v.take(F::Version) {
            Some(Value::Int(n)) => Some(n),
            _ => None,
        },
        |m| v.fail(F::Version, m),
    )?;
    Ok(Record::Header)
}

/// Accepts version 1 and refuses anything else: a newer file may hold fields or meanings this
/// reader would silently drop.
pub(crate) fn check_version(
    version: Option<i64>,
    fail: impl FnOnce(String) -> RecordError,
) -> Result<(), RecordError> {
    match version {
        Some(FORMAT_VERSION) => Ok(()),
        Some(n) if n > FORMAT_VERSION => Err(fail(format!(
            "version {n} is newer than this reader supports ({FORMAT_VERSION}); upgrade labgraph"
        ))),
        Some(n) => Err(fail(format!("version {n} does not exist (the first is 1)"))),
        None => Err(fail("missing: a header needs the format version".into())),
    }
}

fn node(mut v: Values<'_>) -> Result<Node, RecordError> {
    let kind: NodeKind = v.required_enum(F::Kind, "node")?;
    let mut allowed = NODE_COMMON.to_vec();
    allowed.extend_from_slice(node_kind_fields(kind));
    v.only(&allowed, &format!("a {kind} node"))?;
    let id = v
        .id(F::Id)?
        .ok_or_else(|| v.fail(F::Id, "missing: every node needs an id"))?;
    let what = format!("{kind} node");
    let attrs = match kind {
        NodeKind::Institution => NodeAttrs::Institution(InstitutionAttrs {
            kind: v.required_enum::<InstitutionKind>(F::InstitutionKind, &what)?,
            city: v.id(F::City)?,
            website: v.string(F::Website),
        }),
        NodeKind::Lab => NodeAttrs::Lab(LabAttrs {
            kind: v.required_enum::<LabKind>(F::LabKind, &what)?,
            category: v.string(F::Category),
            batch_year: v.year(F::BatchYear)?,
            founded: v.year(F::Founded)?,
            status: v.enumeration::<LabStatus>(F::Status)?,
            cities: v.ids(F::Cities)?,
        }),
        NodeKind::Person => NodeAttrs::Person(PersonAttrs {}),
        NodeKind::City => NodeAttrs::City(CityAttrs {
            region: v.required_enum::<Region>(F::Region, &what)?,
            in_gba: v
                .boolean(F::InGba)
                .ok_or_else(|| v.fail(F::InGba, format!("missing: every {what} needs one")))?,
            lat: v.float(F::Lat),
            lon: v.float(F::Lon),
            adcode: v.string(F::Adcode),
        }),
        NodeKind::Field => NodeAttrs::Field(FieldAttrs {
            group: v.required_enum::<FieldGroup>(F::Group, &what)?,
            parent: v.id(F::Parent)?,
        }),
        NodeKind::Platform => NodeAttrs::Platform(PlatformAttrs {
            kind: v.required_enum::<PlatformKind>(F::PlatformKind, &what)?,
            cities: v.ids(F::Cities)?,
            established: v.year(F::Established)?,
        }),
    };
    let names = Names {
        zh_hans: v.string(F::NameZhHans),
        zh_hant: v.string(F::NameZhHant),
        en: v.string(F::NameEn),
        pt: v.string(F::NamePt),
        short: v.string(F::ShortName),
        aliases: v.list(F::Aliases),
    };
    let node = Node {
        id,
        names,
        attrs,
        provenance: v.provenance(),
    };
    node.validate().map_err(RecordError::Invalid)?;
    Ok(node)
}

fn edge(mut v: Values<'_>) -> Result<Edge, RecordError> {
    let kind: EdgeKind = v.required_enum(F::Kind, "edge")?;
    v.only(EDGE_FIELDS, "an edge")?;
    let from = v
        .id(F::From)?
        .ok_or_else(|| v.fail(F::From, "missing: every edge needs both ends"))?;
    let to = v
        .id(F::To)?
        .ok_or_else(|| v.fail(F::To, "missing: every edge needs both ends"))?;
    let edge = Edge {
        kind,
        from,
        to,
        role: v.enumeration::<EdgeRole>(F::Role)?,
        title: v.string(F::Title),
        primary: v.boolean(F::Primary),
        mode: v.enumeration::<TalentMode>(F::Mode)?,
        since: v.year(F::Since)?,
        until: v.year(F::Until)?,
        weight: v.float(F::Weight),
        provenance: v.provenance(),
    };
    edge.validate().map_err(RecordError::Invalid)?;
    Ok(edge.normalised())
}

/// The envelope of a `.json` file in object form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Envelope<'a> {
    pub format: String,
    pub version: Option<i64>,
    #[serde(borrow)]
    pub records: Vec<&'a RawValue>,
}
