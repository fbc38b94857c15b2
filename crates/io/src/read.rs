//! Reading seed files (`.jsonl`, `.json`, `.csv`) into one [`ChangeSet`], remembering where
//! every record came from so that any later error can name its file and line.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use labgraph_domain::{ApplyError, ChangeSet, Diff, EdgeKey, Graph, Id};

use crate::error::{ImportError, Location};
use crate::record::{self, Cell, Envelope, Record, RecordError};

/// The three spellings of a seed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON Lines: one record object per line (the canonical form of `graph-seed/`).
    Jsonl,
    /// A JSON array of record objects, or `{"format":"labgraph-seed","version":1,"records":[...]}`.
    Json,
    /// A header row of field names, then one record per row; list cells split on `;`.
    Csv,
}

impl Format {
    /// The format a path's extension names (`.jsonl`, `.json`, `.csv`, any case).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" => Some(Format::Jsonl),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Format::Jsonl => "JSON Lines",
            Format::Json => "JSON",
            Format::Csv => "CSV",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Seed files read into one change set, with the location of every change.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// One upsert per node or edge record, in file and line order.
    pub changes: ChangeSet,
    /// `locations[i]` is where `changes.changes[i]` came from.
    locations: Vec<Location>,
    /// The files read, in the order read.
    pub files: Vec<PathBuf>,
}

impl Parsed {
    /// Where change `index` came from.
    pub fn location(&self, index: usize) -> Option<&Location> {
        self.locations.get(index)
    }

    /// Where the change refused by [`Graph::apply`] (or by a store applying these changes)
    /// came from. An error from another change set, whose index lies outside this one, gives
    /// the placeholder `<not from these files>:0` rather than a wrong place.
    pub fn locate(&self, error: &ApplyError) -> &Location {
        static ELSEWHERE: OnceLock<Location> = OnceLock::new();
        self.location(error.index).unwrap_or_else(|| {
            ELSEWHERE.get_or_init(|| Location {
                file: Arc::from(Path::new("<not from these files>")),
                line: 0,
            })
        })
    }

    /// Applies the changes to `graph`, turning a refusal into an error with file and line.
    pub fn apply_to(&self, graph: &Graph) -> Result<(Graph, Diff), ImportError> {
        graph
            .apply(&self.changes)
            .map_err(|e| ImportError::Invalid {
                at: self.locate(&e).clone(),
                error: e.error,
            })
    }

    /// Number of records (changes) read.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// True when no record was read.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Reads seed files into one change set. A directory stands for every `.jsonl`, `.json` and
/// `.csv` file directly in it, in name order (other files, such as a README, are skipped).
///
/// Every record is checked on its own (fields, types, codes, ids, value ranges) and across
/// files (an id or edge key defined twice is an error naming both places). References between
/// records — an edge's ends, a lab's cities — are checked when the change set is applied: use
/// [`Parsed::apply_to`] or [`Parsed::locate`] to get the file and line of a refusal.
pub fn read_files<P: AsRef<Path>>(paths: &[P]) -> Result<Parsed, ImportError> {
    let mut reader = Collector::default();
    for path in expand(paths)? {
        let format = Format::from_path(&path).ok_or_else(|| ImportError::NotSeed {
            path: path.clone(),
            reason: "not a seed file: the extension must be .jsonl, .json or .csv".into(),
        })?;
        let io = |source| ImportError::Io {
            path: path.clone(),
            source,
        };
        let file = File::open(&path).map_err(io)?;
        let name: Arc<Path> = Arc::from(path.as_path());
        match format {
            Format::Jsonl => reader.jsonl(&name, BufReader::with_capacity(1 << 16, file))?,
            Format::Csv => reader.csv(&name, BufReader::with_capacity(1 << 16, file))?,
            Format::Json => {
                let mut text = String::new();
                BufReader::new(file).read_to_string(&mut text).map_err(io)?;
                reader.json(&name, &text)?;
            }
        }
        reader.files.push(path);
    }
    Ok(reader.finish())
}

/// Reads one seed text in `format`; `name` stands for the file in locations and errors.
pub fn read_str(name: &str, text: &str, format: Format) -> Result<Parsed, ImportError> {
    let mut reader = Collector::default();
    reader.text(&Arc::from(Path::new(name)), text, format)?;
    reader.files.push(PathBuf::from(name));
    Ok(reader.finish())
}

/// Reads several seed texts held in memory (for example files built into a binary) as one
/// set of files: each is `(name, text)`, its format given by the name's extension, and an id
/// or edge key defined in two of them is an error naming both.
pub fn read_sources(sources: &[(&str, &str)]) -> Result<Parsed, ImportError> {
    let mut reader = Collector::default();
    for &(name, text) in sources {
        let path = Path::new(name);
        let format = Format::from_path(path).ok_or_else(|| ImportError::NotSeed {
            path: path.to_path_buf(),
            reason: "not a seed file: the extension must be .jsonl, .json or .csv".into(),
        })?;
        reader.text(&Arc::from(path), text, format)?;
        reader.files.push(path.to_path_buf());
    }
    Ok(reader.finish())
}

/// Replaces each directory by its seed files, sorted; keeps files as given.
fn expand<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let io = |source| ImportError::Io {
            path: path.to_path_buf(),
            source,
        };
        if fs::metadata(path).map_err(io)?.is_dir() {
            let mut found: Vec<PathBuf> = fs::read_dir(path)
                .map_err(io)?
                .map(|entry| entry.map(|e| e.path()))
                .collect::<Result<_, _>>()
                .map_err(io)?;
            found.retain(|p| p.is_file() && Format::from_path(p).is_some());
            found.sort();
            if found.is_empty() {
                return Err(ImportError::NotSeed {
                    path: path.to_path_buf(),
                    reason: "the directory holds no .jsonl, .json or .csv file".into(),
                });
            }
            files.extend(found);
        } else {
            files.push(path.to_path_buf());
        }
    }
    Ok(files)
}

/// Accumulates records from any number of files.
#[derive(Default)]
struct Collector {
    changes: ChangeSet,
    locations: Vec<Location>,
    files: Vec<PathBuf>,
    /// Where each node id and edge key was first defined (index into `locations`).
    nodes: HashMap<Id, usize>,
    edges: HashMap<EdgeKey, usize>,
}

impl Collector {
    fn finish(self) -> Parsed {
        Parsed {
            changes: self.changes,
            locations: self.locations,
            files: self.files,
        }
    }

    /// Reads one text held in memory.
    fn text(&mut self, file: &Arc<Path>, text: &str, format: Format) -> Result<(), ImportError> {
        match format {
            Format::Jsonl => self.jsonl(file, text.as_bytes()),
            Format::Json => self.json(file, text),
            Format::Csv => self.csv(file, text.as_bytes()),
        }
    }

    /// Adds one record found at `at`; `first` is true for the first record of its file (the
    /// only place a header may stand).
    fn add(
        &mut self,
        at: Location,
        pairs: &[(&str, Cell<'_>)],
        first: bool,
    ) -> Result<(), ImportError> {
        let record = record::build(pairs).map_err(|e| match e {
            RecordError::Field {
                record,
                field,
                message,
            } => ImportError::Field {
                at: at.clone(),
                record,
                field,
                message,
            },
            RecordError::Invalid(error) => ImportError::Invalid {
                at: at.clone(),
                error,
            },
        })?;
        match record {
            Record::Header if first => {}
            Record::Header => {
                return Err(ImportError::Field {
                    at,
                    record: "header".into(),
                    field: "record".into(),
                    message: "a header must be the first record of its file".into(),
                });
            }
            Record::Node(node) => {
                let index = self.locations.len();
                match self.nodes.entry(node.id.clone()) {
                    Entry::Occupied(seen) => {
                        return Err(ImportError::Duplicate {
                            first: self.locations[*seen.get()].clone(),
                            at,
                            record: format!("node {}", node.id),
                        });
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(index);
                    }
                }
                self.changes.upsert_node(node);
                self.locations.push(at);
            }
            Record::Edge(edge) => {
                let index = self.locations.len();
                match self.edges.entry(edge.key()) {
                    Entry::Occupied(seen) => {
                        return Err(ImportError::Duplicate {
                            first: self.locations[*seen.get()].clone(),
                            at,
                            record: format!("edge {}", seen.key()),
                        });
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(index);
                    }
                }
                self.changes.upsert_edge(edge);
                self.locations.push(at);
            }
        }
        Ok(())
    }

    fn jsonl(&mut self, file: &Arc<Path>, mut input: impl BufRead) -> Result<(), ImportError> {
        let mut buf = Vec::with_capacity(512);
        let mut line = 0;
        let mut first = true;
        loop {
            buf.clear();
            let n = input
                .read_until(b'\n', &mut buf)
                .map_err(|source| ImportError::Io {
                    path: file.to_path_buf(),
                    source,
                })?;
            if n == 0 {
                return Ok(());
            }
            line += 1;
            let at = Location {
                file: Arc::clone(file),
                line,
            };
            let text = std::str::from_utf8(&buf).map_err(|e| ImportError::Syntax {
                at: at.clone(),
                column: Some(e.valid_up_to() + 1),
                format: Format::Jsonl.label(),
                message: "the line is not valid UTF-8".into(),
            })?;
            let text = text.trim_end_matches(['\n', '\r']);
            if text.trim().is_empty() {
                continue;
            }
            let object = parse_object(text).map_err(|e| ImportError::Syntax {
                at: at.clone(),
                column: Some(e.column()),
                format: Format::Jsonl.label(),
                message: strip_position(&e),
            })?;
            let pairs = object.pairs(|field| ImportError::Field {
                at: at.clone(),
                record: "record".into(),
                field: field.into(),
                message: "given twice".into(),
            })?;
            self.add(at, &pairs, first)?;
            first = false;
        }
    }

    fn json(&mut self, file: &Arc<Path>, text: &str) -> Result<(), ImportError> {
        let syntax = |e: serde_json::Error, base_line: usize| ImportError::Syntax {
            at: Location {
                file: Arc::clone(file),
                line: base_line + e.line().saturating_sub(1),
            },
            column: Some(e.column()),
            format: Format::Json.label(),
            message: strip_position(&e),
        };
        let start = text.trim_start();
        let records: Vec<&RawValue> = if start.starts_with('{') {
            let envelope: Envelope<'_> = serde_json::from_str(text).map_err(|e| syntax(e, 1))?;
            let at = Location {
                file: Arc::clone(file),
                line: 1,
            };
            if envelope.format != record::FORMAT_NAME {
                return Err(ImportError::Field {
                    at,
                    record: "envelope".into(),
                    field: "format".into(),
                    message: format!(
                        "{:?} is not a labgraph seed (expected {:?})",
                        envelope.format,
                        record::FORMAT_NAME
                    ),
                });
            }
            record::check_version(envelope.version, |message| RecordError::Field {
                record: "envelope".into(),
                field: "version".into(),
                message,
            })
            .map_err(|e| match e {
                RecordError::Field {
                    record,
                    field,
                    message,
                } => ImportError::Field {
                    at: at.clone(),
                    record,
                    field,
                    message,
                },
                RecordError::Invalid(error) => ImportError::Invalid {
                    at: at.clone(),
                    error,
                },
            })?;
            envelope.records
        } else {
            serde_json::from_str(text).map_err(|e| syntax(e, 1))?
        };
        // Elements come in text order, so one forward scan counts the lines before each.
        let base = text.as_ptr() as usize;
        let (mut line, mut scanned) = (1, 0);
        for (i, raw) in records.into_iter().enumerate() {
            let offset = raw.get().as_ptr() as usize - base;
            line += text.as_bytes()[scanned..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            scanned = offset;
            let at = Location {
                file: Arc::clone(file),
                line,
            };
            let object = parse_object(raw.get()).map_err(|e| syntax(e, line))?;
            let pairs = object.pairs(|field| ImportError::Field {
                at: at.clone(),
                record: "record".into(),
                field: field.into(),
                message: "given twice".into(),
            })?;
            self.add(at, &pairs, i == 0)?;
        }
        Ok(())
    }

    fn csv(&mut self, file: &Arc<Path>, input: impl Read) -> Result<(), ImportError> {
        let at_line = |line: usize| Location {
            file: Arc::clone(file),
            line,
        };
        let syntax = |e: csv::Error, lines: &mut Lines<_>| {
            let line = e.position().map_or(1, |p| lines.line_at(p.byte()));
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("the row has {len} cells but the header has {expected_len}"),
                csv::ErrorKind::Utf8 { err, .. } => {
                    format!("cell {} is not valid UTF-8", err.field() + 1)
                }
                _ => e.to_string(),
            };
            ImportError::Syntax {
                at: at_line(line),
                column: None,
                format: Format::Csv.label(),
                message,
            }
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(Lines::new(input));
        let header: Vec<String> = match reader.headers() {
            Ok(header) => header.iter().map(str::to_owned).collect(),
            Err(e) => return Err(syntax(e, reader.get_mut())),
        };
        for (i, name) in header.iter().enumerate() {
            let problem = if record::Field::from_name(name).is_none() {
                Some("unknown column; see docs/seed-format.md for the field names")
            } else if header[..i].contains(name) {
                Some("the column appears twice")
            } else {
                None
            };
            if let Some(message) = problem {
                return Err(ImportError::Field {
                    at: at_line(1),
                    record: "header row".into(),
                    field: name.clone(),
                    message: message.into(),
                });
            }
        }
        let mut row = csv::StringRecord::new();
        let mut first = true;
        loop {
            match reader.read_record(&mut row) {
                Ok(true) => {}
                Ok(false) => return Ok(()),
                Err(e) => return Err(syntax(e, reader.get_mut())),
            }
            let line = row
                .position()
                .map_or(1, |p| reader.get_mut().line_at(p.byte()));
            let pairs: Vec<(&str, Cell<'_>)> = header
                .iter()
                .zip(row.iter())
                .filter(|(_, cell)| !cell.is_empty())
                .map(|(name, cell)| (name.as_str(), Cell::Text(cell)))
                .collect();
            if pairs.is_empty() {
                continue;
            }
            self.add(at_line(line), &pairs, first)?;
            first = false;
        }
    }
}

/// The byte stream under the CSV parser, watched to number rows by line. Why: the csv crate's
/// own line count skips newlines inside quoted cells, so every row after a multi-line cell
/// would get a wrong line number; and the row start it reports may sit on the previous row's
/// line ending (after `\r\n`) or before blank lines.
struct Lines<R> {
    inner: R,
    /// Bytes handed to the parser so far.
    offset: u64,
    /// Newlines handed to the parser so far.
    newlines: usize,
    /// True inside a run of `\r` and `\n` bytes.
    in_break: bool,
    /// For each first byte after a line break not yet asked about: its offset and line.
    starts: VecDeque<(u64, usize)>,
}

impl<R> Lines<R> {
    fn new(inner: R) -> Self {
        Lines {
            inner,
            offset: 0,
            newlines: 0,
            in_break: false,
            starts: VecDeque::new(),
        }
    }

    /// The line of the first content byte at or after `offset` (a row start as the parser
    /// reports it). Offsets must not decrease between calls, which holds because rows are
    /// reported in order.
    fn line_at(&mut self, offset: u64) -> usize {
        while self.starts.front().is_some_and(|&(at, _)| at < offset) {
            self.starts.pop_front();
        }
        match self.starts.front() {
            Some(&(_, line)) => line,
            None => self.newlines + 1,
        }
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            match b {
                b'\n' => {
                    self.newlines += 1;
                    self.in_break = true;
                }
                b'\r' => self.in_break = true,
                _ if self.in_break => {
                    self.in_break = false;
                    self.starts
                        .push_back((self.offset + i as u64, self.newlines + 1));
                }
                _ => {}
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// serde_json's message without its trailing " at line L column C" (the caller reports the
/// position itself, relative to the file).
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// A record object split into its fields, values left unparsed.
struct Object<'a> {
    fields: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> Object<'a> {
    /// The fields as `(name, cell)` pairs, refusing a field given twice (JSON allows it, but
    /// the second would silently win).
    fn pairs(
        &'a self,
        twice: impl FnOnce(&str) -> ImportError,
    ) -> Result<Vec<(&'a str, Cell<'a>)>, ImportError> {
        for (i, (name, _)) in self.fields.iter().enumerate() {
            if self.fields[..i].iter().any(|(n, _)| n == name) {
                return Err(twice(name));
            }
        }
        Ok(self
            .fields
            .iter()
            .map(|(name, raw)| (name.as_ref(), Cell::Json(raw)))
            .collect())
    }
}

fn parse_object(text: &str) -> Result<Object<'_>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let object = (&mut de).deserialize_map(ObjectVisitor)?;
    de.end()?;
    Ok(object)
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Object<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object holding one record's fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(12));
        while let Some(Key(name)) = map.next_key()? {
            fields.push((name, map.next_value::<&'de RawValue>()?));
        }
        Ok(Object { fields })
    }
}

/// A field name, borrowed from the text unless it holds escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}
