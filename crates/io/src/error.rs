//! Import errors and source locations: every error names the file and line, and where it can,
//! the record (node id or edge key) and the field.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use labgraph_domain::ValidationError;

/// Where a record came from: a file and a 1-based line (for a `.json` array, the line where the
/// element starts; for a CSV row, the line where the row starts).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file as it was named to the reader (or the name given to [`crate::read_str`]).
    pub file: Arc<Path>,
    /// 1-based line.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// A seed file could not be read. Nothing is returned from a failed read, so nothing half-read
/// can be applied.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file or directory could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The path is not something the reader knows how to read (an unknown extension, or a
    /// directory holding no seed file).
    #[error("{}: {reason}", path.display())]
    NotSeed { path: PathBuf, reason: String },
    /// The text is not well-formed JSON, JSON Lines or CSV.
    #[error("{at}: malformed {format}{}: {message}", column.map(|c| format!(" at column {c}")).unwrap_or_default())]
    Syntax {
        at: Location,
        /// 1-based column, when the parser reports one.
        column: Option<usize>,
        format: &'static str,
        message: String,
    },
    /// A field of a record is unknown, missing, of the wrong type, not allowed for the
    /// record's kind, or holds a bad enum value or id.
    #[error("{at}: {record}: field `{field}`: {message}")]
    Field {
        at: Location,
        /// The record as far as it is known: `node hku`, `edge partner_in(jnu -> x)`, `record`.
        record: String,
        field: String,
        message: String,
    },
    /// The same node id or edge key is defined twice, in one file or across files.
    #[error("{at}: {record} is defined twice (first at {first})")]
    Duplicate {
        at: Location,
        first: Location,
        record: String,
    },
    /// A record is refused by the graph model (a value out of range, an edge to an unknown
    /// node, ...).
    #[error("{at}: {error}")]
    Invalid {
        at: Location,
        #[source]
        error: ValidationError,
    },
}

impl ImportError {
    /// The location of the offending record, when the error has one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            ImportError::Io { .. } | ImportError::NotSeed { .. } => None,
            ImportError::Syntax { at, .. }
            | ImportError::Field { at, .. }
            | ImportError::Duplicate { at, .. }
            | ImportError::Invalid { at, .. } => Some(at),
        }
    }
}
