//! A plain edge-list reader and writer (`u v [w]` per line, `#` comments), so that the same
//! network can be handed to NetworkX, igraph or any other tool and the results compared.
//!
//! Format, one record per line, fields separated by whitespace:
//! - `u v` — a tie of strength 1; `u v w` — a tie of strength `w` (finite, > 0);
//! - `u` alone — a node with no tie (an extension: isolated nodes change closeness and
//!   component counts, and a pure edge list cannot show them);
//! - `#` starts a comment, to the end of the line; blank lines are skipped.
//!
//! Node names must be valid domain ids (lowercase ASCII letters, digits, `-`, `_`, `.`), because
//! results are keyed by [`Id`]. A self-loop or a pair given twice is an error naming both lines:
//! other tools disagree on what a repeated line means (NetworkX keeps the last weight), so
//! labgraph refuses to guess.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use labgraph_domain::Id;

use crate::{EdgeListError, Network};

/// Reads an edge list file. Nodes are numbered in order of first appearance.
///
/// Errors name the file and the 1-based line.
pub fn read_edge_list(path: &Path) -> Result<Network, EdgeListError> {
    let file = std::fs::File::open(path).map_err(|source| EdgeListError::Io {
        file: path.to_path_buf(),
        source,
    })?;
    parse(path, io::BufReader::new(file))
}

/// Reads an edge list held in memory; `name` stands for the file in errors.
///
/// ```
/// use labgraph_analytics::read_edge_list_str;
/// let net = read_edge_list_str("example", "# a triangle and a loner\na b 2\nb c\nc a 0.5\nd\n")?;
/// assert_eq!((net.node_count(), net.edge_count()), (4, 3));
/// assert_eq!(net.strength("a", "b"), Some(2.0));
/// let err = read_edge_list_str("bad.edges", "a b\nb b\n").unwrap_err();
/// assert_eq!(err.to_string(), "bad.edges:2: b is tied to itself; self-loops are not allowed");
/// # Ok::<(), labgraph_analytics::EdgeListError>(())
/// ```
pub fn read_edge_list_str(name: &str, text: &str) -> Result<Network, EdgeListError> {
    parse(Path::new(name), text.as_bytes())
}

fn parse(path: &Path, reader: impl BufRead) -> Result<Network, EdgeListError> {
    let err = |line: usize, reason: String| EdgeListError::Line {
        file: PathBuf::from(path),
        line,
        reason,
    };
    let mut ids: Vec<Id> = Vec::new();
    let mut index: HashMap<Id, u32> = HashMap::new();
    let mut seen: HashMap<(u32, u32), usize> = HashMap::new();
    let mut edges: Vec<(u32, u32, f64)> = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let lineno = i + 1;
        let line = line.map_err(|source| EdgeListError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        let content = line.split('#').next().unwrap_or("");
        let fields: Vec<&str> = content.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        if fields.len() > 3 {
            return Err(err(
                lineno,
                format!(
                    "expected `u v [w]`, found {} fields: {:?}",
                    fields.len(),
                    content.trim()
                ),
            ));
        }
        let mut node = |name: &str| -> Result<u32, EdgeListError> {
            if let Some(&u) = index.get(name) {
                return Ok(u);
            }
            let id = Id::new(name).map_err(|e| err(lineno, e.to_string()))?;
            let u = ids.len() as u32;
            ids.push(id.clone());
            index.insert(id, u);
            Ok(u)
        };
        let u = node(fields[0])?;
        let Some(&b) = fields.get(1) else { continue };
        let v = node(b)?;
        let w = match fields.get(2) {
            None => 1.0,
            Some(text) => match text.parse::<f64>() {
                Ok(w) if w.is_finite() && w > 0.0 => w,
                _ => {
                    return Err(err(
                        lineno,
                        format!("weight {text:?} is not a finite positive number"),
                    ));
                }
            },
        };
        if u == v {
            return Err(err(
                lineno,
                format!(
                    "{} is tied to itself; self-loops are not allowed",
                    fields[0]
                ),
            ));
        }
        let key = (u.min(v), u.max(v));
        if let Some(first) = seen.insert(key, lineno) {
            return Err(err(
                lineno,
                format!(
                    "the tie {} {} was already given on line {first}",
                    fields[0], fields[1]
                ),
            ));
        }
        edges.push((u, v, w));
    }
    Ok(Network::from_parts(ids, edges))
}

/// Writes `network` as an edge list that [`read_edge_list`] reads back to the same network:
/// a comment header, each node without a tie on its own line, then every tie as `u v w`.
/// Strengths are written in Rust's shortest round-trip form, so Python's `float()` reads the
/// same `f64`.
pub fn write_edge_list(network: &Network, mut out: impl Write) -> io::Result<()> {
    writeln!(
        out,
        "# labgraph edge list: {} nodes, {} ties; `u v strength`, lone nodes on their own line",
        network.node_count(),
        network.edge_count()
    )?;
    for u in 0..network.node_count() {
        if network.csr.degree(u) == 0 {
            writeln!(out, "{}", network.id(u))?;
        }
    }
    for (a, b, w) in network.edges() {
        writeln!(out, "{a} {b} {w}")?;
    }
    Ok(())
}
