//! Test support: a Bolt version bridge that lets neo4rs (Bolt 4.x) talk to FalkorDB (Bolt 5.1
//! only), so the Neo4j backend is tested against a real Cypher server on machines where no
//! Neo4j installs.
//!
//! Each point below was measured with neo4rs → bridge → FalkorDB 4.16.3
//! (`/work/shared/notes/neo4j-testing.md`, `docs/decisions/0002-neo4j-backend.md`):
//!
//! 1. Handshake: the client is answered the highest 4.x minor it offered; upstream exactly 5.1
//!    is offered (FalkorDB closes the connection on any 4.x offer).
//! 2. Auth: 5.1 moves credentials out of HELLO into LOGON. The bridge strips them from HELLO
//!    and sends HELLO and `LOGON {scheme: "none"}` (FalkorDB rejects `basic` always), returns
//!    HELLO's SUCCESS and swallows LOGON's. Auth therefore cannot be tested through it.
//! 3. Records: 5.x nodes and relationships carry element ids that neo4rs 0.8's exact struct
//!    sizes reject; the bridge drops them, inside lists, maps and paths too.
//! 4. Every message (all chunks and the end marker) goes out in one write: FalkorDB crashed
//!    when a chunk header and its body arrived in separate TCP segments.
//! 5. FalkorDB streams all records and the summary right after RUN and never answers PULL or
//!    DISCARD: the bridge reads the whole result after RUN, answers PULL {n} from that buffer
//!    (`has_more` while rows are left) and DISCARD by dropping it, forwarding neither.
//! 6. After a FAILURE FalkorDB answers nothing until RESET, then answers RESET twice
//!    (IGNORED, SUCCESS): the bridge answers IGNORED itself until RESET and drops the extra
//!    reply. A RESET with nothing failed (neo4rs's pool sends one per reuse) is answered here.
//! 7. Parameters above ~4 KB crash the server: the bridge inlines them as FalkorDB's native
//!    `CYPHER name=<literal> ...` prefix with an empty parameter map (see [`literal`]).
//! 8. FalkorDB takes the first key *name* of RUN's extra map as the graph: the bridge rewrites
//!    it to `{NAME: NAME}` from the `db` the client asked for (in RUN, or in BEGIN for a
//!    transaction), so one database name per test is one isolated graph.
//!
//! For tests of failure handling the bridge can also break connections on purpose
//! ([`Bridge::drop_connections`]): on a statement containing a given text it closes the
//! client's connection before forwarding the statement, or after FalkorDB ran it but before
//! the client hears the answer — a connection lost mid-request, either way.
//!
//! BEGIN, COMMIT and ROLLBACK are answered by the bridge: FalkorDB has no transactions (each
//! RUN commits on its own), so forwarding them would only pretend otherwise. A ROLLBACK
//! therefore undoes nothing — tests must not rely on one.

pub mod packstream;

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

use crate::packstream::Value;

/// The graph used when a client names no database.
pub const DEFAULT_GRAPH: &str = "neo4j";

// Message tags (Bolt 4.x/5.x).
const HELLO: u8 = 0x01;
const GOODBYE: u8 = 0x02;
const RESET: u8 = 0x0F;
const RUN: u8 = 0x10;
const BEGIN: u8 = 0x11;
const COMMIT: u8 = 0x12;
const ROLLBACK: u8 = 0x13;
const DISCARD: u8 = 0x2F;
const PULL: u8 = 0x3F;
const LOGON: u8 = 0x6A;
const SUCCESS: u8 = 0x70;
const RECORD: u8 = 0x71;
const IGNORED: u8 = 0x7E;
const FAILURE: u8 = 0x7F;

/// When an injected fault breaks the connection, relative to the statement it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropPoint {
    /// The statement never reaches the server.
    BeforeRunning,
    /// The server ran the statement (on FalkorDB: committed it); its answer is lost.
    AfterRunning,
}

/// Connections to break: on statements containing `text`, at `point`, `remaining` more times.
#[derive(Debug)]
struct Fault {
    text: String,
    point: DropPoint,
    remaining: usize,
}

/// The faults to inject and the count of connections broken so far, shared by every
/// connection of one bridge.
#[derive(Debug, Default)]
struct Faults {
    pending: Vec<Fault>,
    dropped: usize,
}

impl Faults {
    /// Whether the statement `query` should break its connection at `point` (and counts it).
    fn strike(shared: &Mutex<Faults>, query: &str, point: DropPoint) -> bool {
        // A poisoned lock means a test panicked already; injecting nothing more is right.
        let Ok(mut faults) = shared.lock() else {
            return false;
        };
        let hit = faults
            .pending
            .iter_mut()
            .find(|f| f.point == point && f.remaining > 0 && query.contains(&f.text));
        match hit {
            Some(fault) => {
                fault.remaining -= 1;
                faults.dropped += 1;
                true
            }
            None => false,
        }
    }
}

/// A running bridge: listens on 127.0.0.1 and connects each client to `upstream`. Dropping it
/// stops the listener and every connection it serves.
#[derive(Debug)]
pub struct Bridge {
    addr: SocketAddr,
    task: JoinHandle<()>,
    faults: Arc<Mutex<Faults>>,
}

impl Bridge {
    /// Starts a bridge on a free port of 127.0.0.1 in the current tokio runtime.
    pub async fn start(upstream: SocketAddr) -> io::Result<Bridge> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let faults = Arc::new(Mutex::new(Faults::default()));
        let shared = Arc::clone(&faults);
        let task = tokio::spawn(async move {
            // Owned here so that aborting this task aborts every connection too.
            let mut connections = JoinSet::new();
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let faults = Arc::clone(&shared);
                connections.spawn(async move {
                    if let Err(e) = serve(client, upstream, faults).await {
                        eprintln!("bolt-bridge: connection to {upstream} ended: {e}");
                    }
                });
                // Reap finished connections so the set does not grow with every test query.
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(Bridge { addr, task, faults })
    }

    /// Breaks the client's connection on the next `times` statements whose text contains
    /// `text`, at `point`: the test's way to show what a dropped connection does.
    pub fn drop_connections(&self, text: &str, point: DropPoint, times: usize) {
        if let Ok(mut faults) = self.faults.lock() {
            faults.pending.push(Fault {
                text: text.to_owned(),
                point,
                remaining: times,
            });
        }
    }

    /// How many connections injected faults have broken so far.
    pub fn dropped(&self) -> usize {
        self.faults.lock().map_or(0, |f| f.dropped)
    }

    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `bolt://` URI of [`Bridge::addr`], as neo4rs takes it.
    pub fn uri(&self) -> String {
        format!("bolt://{}", self.addr)
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn bad(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.into())
}

/// Reads one whole message (all chunks up to the end marker); `None` at a clean end of stream.
/// Empty messages (NOOP keep-alives) are skipped.
async fn read_message(from: &mut (impl AsyncRead + Unpin)) -> io::Result<Option<Vec<u8>>> {
    let mut message = Vec::new();
    loop {
        let mut header = [0u8; 2];
        match from.read_exact(&mut header).await {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && message.is_empty() => {
                return Ok(None);
            }
            Err(e) => return Err(e),
        }
        let size = usize::from(u16::from_be_bytes(header));
        if size == 0 {
            if message.is_empty() {
                continue;
            }
            return Ok(Some(message));
        }
        let start = message.len();
        message.resize(start + size, 0);
        from.read_exact(&mut message[start..]).await?;
    }
}

/// Writes one whole message, chunked, in a single write (point 4).
async fn write_message(to: &mut (impl AsyncWrite + Unpin), message: &[u8]) -> io::Result<()> {
    let mut out = Vec::with_capacity(message.len() + 2 * (message.len() / 0xFFFF + 2));
    for chunk in message.chunks(0xFFFF) {
        out.extend((chunk.len() as u16).to_be_bytes());
        out.extend(chunk);
    }
    out.extend([0, 0]);
    to.write_all(&out).await?;
    to.flush().await
}

async fn send(to: &mut (impl AsyncWrite + Unpin), tag: u8, fields: Vec<Value>) -> io::Result<()> {
    write_message(to, &packstream::encode(&Value::Struct(tag, fields))).await
}

/// Reads and decodes one message into its tag and fields.
async fn receive(from: &mut (impl AsyncRead + Unpin)) -> io::Result<(u8, Vec<Value>)> {
    let bytes = read_message(from)
        .await?
        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "peer closed"))?;
    match packstream::decode(&bytes)? {
        Value::Struct(tag, fields) => Ok((tag, fields)),
        other => Err(bad(format!("a message is not a structure: {other:?}"))),
    }
}

fn failure(message: impl Into<String>) -> Vec<Value> {
    vec![Value::Map(vec![
        (
            "code".into(),
            Value::String("Neo.ClientError.Request.Invalid".into()),
        ),
        ("message".into(), Value::String(message.into())),
    ])]
}

/// A query result read from FalkorDB, waiting for the client's PULLs.
struct Pending {
    /// Each record's message fields (one list of values).
    records: VecDeque<Vec<Value>>,
    /// The summary: SUCCESS metadata, or FAILURE fields.
    end: Result<Value, Vec<Value>>,
}

/// The error that ends a connection broken on purpose; not worth a log line.
fn injected() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, INJECTED)
}

const INJECTED: &str = "bolt-bridge: injected fault";

/// Serves one client connection until it or FalkorDB closes.
async fn serve(
    mut client: TcpStream,
    upstream: SocketAddr,
    faults: Arc<Mutex<Faults>>,
) -> io::Result<()> {
    client.set_nodelay(true)?;
    // Handshake (point 1): magic, then four version offers [0, range, minor, major].
    let mut hello = [0u8; 20];
    client.read_exact(&mut hello).await?;
    if hello[..4] != [0x60, 0x60, 0xB0, 0x17] {
        return Err(bad("client did not send the Bolt magic"));
    }
    let minor = hello[4..]
        .chunks(4)
        .filter(|offer| offer[3] == 4)
        .map(|offer| offer[2].min(4))
        .max();
    let Some(minor) = minor else {
        client.write_all(&[0, 0, 0, 0]).await?;
        return Err(bad("client offered no Bolt 4.x version"));
    };
    let mut server = TcpStream::connect(upstream).await?;
    server.set_nodelay(true)?;
    let mut offer = vec![0x60, 0x60, 0xB0, 0x17, 0, 0, 1, 5];
    offer.extend([0; 12]);
    server.write_all(&offer).await?;
    let mut agreed = [0u8; 4];
    server.read_exact(&mut agreed).await?;
    if agreed != [0, 0, 1, 5] {
        client.write_all(&[0, 0, 0, 0]).await?;
        return Err(bad(format!("server agreed to {agreed:?}, not Bolt 5.1")));
    }
    client.write_all(&[0, 0, minor, 4]).await?;

    // Authentication (point 2).
    let (tag, fields) = receive(&mut client).await?;
    if tag != HELLO {
        return Err(bad(format!("expected HELLO, got message {tag:#04x}")));
    }
    let extra = match fields.into_iter().next() {
        Some(Value::Map(entries)) => entries
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "scheme" | "principal" | "credentials"))
            .collect(),
        _ => Vec::new(),
    };
    send(&mut server, HELLO, vec![Value::Map(extra)]).await?;
    let none = Value::Map(vec![("scheme".into(), Value::String("none".into()))]);
    send(&mut server, LOGON, vec![none]).await?;
    let hello_reply = receive(&mut server).await?;
    if hello_reply.0 != SUCCESS {
        send(&mut client, hello_reply.0, hello_reply.1).await?;
        return Ok(());
    }
    let logon_reply = receive(&mut server).await?;
    let reply = if logon_reply.0 == SUCCESS {
        hello_reply
    } else {
        logon_reply
    };
    send(&mut client, reply.0, reply.1).await?;

    let mut session = Session {
        client,
        server,
        tx_graph: None,
        pending: None,
        client_failed: false,
        server_failed: false,
        faults,
    };
    match session.run().await {
        Err(e) if e.to_string() == INJECTED => Ok(()),
        other => other,
    }
}

struct Session {
    client: TcpStream,
    server: TcpStream,
    /// The graph of the open transaction (BEGIN's `db`).
    tx_graph: Option<String>,
    pending: Option<Pending>,
    /// A FAILURE went to the client: everything but RESET is IGNORED until RESET.
    client_failed: bool,
    /// FalkorDB sent a FAILURE and answers nothing until RESET (point 6).
    server_failed: bool,
    /// Connections to break on purpose.
    faults: Arc<Mutex<Faults>>,
}

impl Session {
    async fn run(&mut self) -> io::Result<()> {
        loop {
            let Some(bytes) = read_message(&mut self.client).await? else {
                return Ok(());
            };
            let (tag, fields) = match packstream::decode(&bytes)? {
                Value::Struct(tag, fields) => (tag, fields),
                other => return Err(bad(format!("a message is not a structure: {other:?}"))),
            };
            match tag {
                GOODBYE => {
                    let _ = write_message(&mut self.server, &bytes).await;
                    return Ok(());
                }
                RESET => self.reset().await?,
                _ if self.client_failed => send(&mut self.client, IGNORED, vec![]).await?,
                RUN => self.run_query(fields).await?,
                PULL => self.pull(fields.first()).await?,
                DISCARD => {
                    if let Some(pending) = &mut self.pending {
                        pending.records.clear();
                    }
                    self.finish().await?;
                }
                BEGIN => {
                    self.tx_graph = fields
                        .first()
                        .and_then(|extra| extra.get("db"))
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    send(&mut self.client, SUCCESS, vec![Value::Map(vec![])]).await?;
                }
                COMMIT | ROLLBACK => {
                    self.tx_graph = None;
                    send(&mut self.client, SUCCESS, vec![Value::Map(vec![])]).await?;
                }
                other => {
                    self.fail(failure(format!(
                        "bolt-bridge: message {other:#04x} is not supported"
                    )))
                    .await?;
                }
            }
        }
    }

    async fn fail(&mut self, fields: Vec<Value>) -> io::Result<()> {
        self.client_failed = true;
        self.pending = None;
        send(&mut self.client, FAILURE, fields).await
    }

    async fn reset(&mut self) -> io::Result<()> {
        self.pending = None;
        self.tx_graph = None;
        if self.server_failed {
            send(&mut self.server, RESET, vec![]).await?;
            // FalkorDB answers IGNORED first, then RESET's own reply.
            loop {
                let (tag, fields) = receive(&mut self.server).await?;
                match tag {
                    IGNORED => continue,
                    SUCCESS => break,
                    _ => {
                        return Err(bad(format!(
                            "server answered RESET with {tag:#04x} {fields:?}"
                        )));
                    }
                }
            }
            self.server_failed = false;
        }
        self.client_failed = false;
        send(&mut self.client, SUCCESS, vec![Value::Map(vec![])]).await
    }

    async fn run_query(&mut self, fields: Vec<Value>) -> io::Result<()> {
        let mut fields = fields.into_iter();
        let (Some(Value::String(query)), params, extra) =
            (fields.next(), fields.next(), fields.next())
        else {
            return self
                .fail(failure("bolt-bridge: RUN without a query string"))
                .await;
        };
        let graph = extra
            .as_ref()
            .and_then(|e| e.get("db"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| self.tx_graph.clone())
            .unwrap_or_else(|| DEFAULT_GRAPH.to_owned());
        if Faults::strike(&self.faults, &query, DropPoint::BeforeRunning) {
            return Err(injected());
        }
        let original = query;
        let query = match inline_parameters(&original, params.as_ref()) {
            Ok(query) => query,
            Err(e) => return self.fail(failure(format!("bolt-bridge: {e}"))).await,
        };
        let run = vec![
            Value::String(query),
            Value::Map(vec![]),
            Value::Map(vec![(graph.clone(), Value::String(graph))]),
        ];
        send(&mut self.server, RUN, run).await?;
        let (tag, reply) = receive(&mut self.server).await?;
        if tag != SUCCESS {
            self.server_failed = tag == FAILURE;
            return self.fail(reply).await;
        }
        // Point 5: the records and the summary follow without a PULL.
        let mut records = VecDeque::new();
        let end = loop {
            let (tag, fields) = receive(&mut self.server).await?;
            match tag {
                RECORD => records.push_back(fields.into_iter().map(strip_element_ids).collect()),
                SUCCESS => break Ok(fields.into_iter().next().unwrap_or(Value::Map(vec![]))),
                FAILURE => {
                    self.server_failed = true;
                    break Err(fields);
                }
                other => return Err(bad(format!("unexpected message {other:#04x} in a result"))),
            }
        };
        if Faults::strike(&self.faults, &original, DropPoint::AfterRunning) {
            return Err(injected());
        }
        self.pending = Some(Pending { records, end });
        send(&mut self.client, SUCCESS, reply).await
    }

    async fn pull(&mut self, extra: Option<&Value>) -> io::Result<()> {
        let n = match extra.and_then(|e| e.get("n")) {
            Some(Value::Int(n)) if *n >= 0 => *n as usize,
            _ => usize::MAX,
        };
        let Some(pending) = &mut self.pending else {
            return self
                .fail(failure("bolt-bridge: PULL without a result"))
                .await;
        };
        let take = n.min(pending.records.len());
        let page: Vec<_> = pending.records.drain(..take).collect();
        let more = !pending.records.is_empty();
        for record in page {
            send(&mut self.client, RECORD, record).await?;
        }
        if more {
            let meta = Value::Map(vec![("has_more".into(), Value::Bool(true))]);
            send(&mut self.client, SUCCESS, vec![meta]).await
        } else {
            self.finish().await
        }
    }

    /// Ends the pending result: its summary, or its failure.
    async fn finish(&mut self) -> io::Result<()> {
        match self.pending.take().map(|p| p.end) {
            Some(Ok(mut meta)) => {
                if let Value::Map(entries) = &mut meta {
                    entries.retain(|(k, _)| k != "has_more");
                }
                send(&mut self.client, SUCCESS, vec![meta]).await
            }
            Some(Err(fields)) => self.fail(fields).await,
            None => send(&mut self.client, SUCCESS, vec![Value::Map(vec![])]).await,
        }
    }
}

/// Drops the 5.x element-id fields neo4rs 0.8 does not expect (point 3), anywhere in a value.
fn strip_element_ids(value: Value) -> Value {
    match value {
        // Node: id, labels, properties, element_id.
        Value::Struct(0x4E, mut f) if f.len() == 4 => {
            f.truncate(3);
            Value::Struct(0x4E, f.into_iter().map(strip_element_ids).collect())
        }
        // Relationship: id, start, end, type, properties, and three element ids.
        Value::Struct(0x52, mut f) if f.len() == 8 => {
            f.truncate(5);
            Value::Struct(0x52, f.into_iter().map(strip_element_ids).collect())
        }
        // UnboundRelationship: id, type, properties, element_id.
        Value::Struct(0x72, mut f) if f.len() == 4 => {
            f.truncate(3);
            Value::Struct(0x72, f.into_iter().map(strip_element_ids).collect())
        }
        Value::Struct(tag, f) => Value::Struct(tag, f.into_iter().map(strip_element_ids).collect()),
        Value::List(items) => Value::List(items.into_iter().map(strip_element_ids).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k, strip_element_ids(v)))
                .collect(),
        ),
        other => other,
    }
}

/// The query with its parameters inlined as a `CYPHER name=<literal> ...` prefix (point 7).
pub fn inline_parameters(query: &str, params: Option<&Value>) -> Result<String, String> {
    let entries = match params {
        None | Some(Value::Null) => return Ok(query.to_owned()),
        Some(Value::Map(entries)) if entries.is_empty() => return Ok(query.to_owned()),
        Some(Value::Map(entries)) => entries,
        Some(other) => return Err(format!("parameters are not a map: {other:?}")),
    };
    let mut out = String::from("CYPHER");
    for (name, value) in entries {
        if !is_identifier(name) {
            return Err(format!("parameter name {name:?} is not a plain identifier"));
        }
        out.push(' ');
        out.push_str(name);
        out.push('=');
        literal(&mut out, value)?;
    }
    out.push(' ');
    out.push_str(query);
    Ok(out)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Writes `value` as a Cypher literal FalkorDB parses back to the same value.
///
/// Strings are double-quoted with backslash escapes for the backslash, both quotes and the
/// control characters (as FalkorDB's own clients quote them); floats use Rust's shortest
/// round-trip form with a decimal point or exponent, so they stay floats; map keys that are
/// not plain identifiers are backquoted. Bytes, temporal and spatial values have no literal
/// form and are refused.
pub fn literal(out: &mut String, value: &Value) -> Result<(), String> {
    use std::fmt::Write;
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) if f.is_finite() => {
            let _ = write!(out, "{f:?}");
        }
        Value::Float(f) => return Err(format!("the float {f} has no Cypher literal")),
        Value::String(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '"' => out.push_str("\\\""),
                    '\'' => out.push_str("\\'"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c.is_control() => {
                        return Err(format!(
                            "the control character U+{:04X} cannot be inlined",
                            c as u32
                        ));
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                literal(out, item)?;
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if is_identifier(key) {
                    out.push_str(key);
                } else {
                    out.push('`');
                    out.push_str(&key.replace('`', "``"));
                    out.push('`');
                }
                out.push_str(": ");
                literal(out, item)?;
            }
            out.push('}');
        }
        Value::Bytes(_) => return Err("byte arrays cannot be inlined".into()),
        Value::Struct(tag, _) => {
            return Err(format!("structure {tag:#04x} values cannot be inlined"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_become_a_cypher_prefix() {
        let params = Value::Map(vec![
            ("n".into(), Value::Int(-3)),
            ("s".into(), Value::String("a\"b\\c'd\ne".into())),
            (
                "rows".into(),
                Value::List(vec![Value::Map(vec![
                    ("id".into(), Value::String("hku".into())),
                    ("odd key".into(), Value::Float(0.5)),
                ])]),
            ),
        ]);
        assert_eq!(
            inline_parameters("RETURN $n", Some(&params)).expect("inlines"),
            "CYPHER n=-3 s=\"a\\\"b\\\\c\\'d\\ne\" rows=[{id: \"hku\", `odd key`: 0.5}] RETURN $n"
        );
        assert_eq!(
            inline_parameters("RETURN 1", Some(&Value::Map(vec![]))).expect("no params"),
            "RETURN 1"
        );
    }

    #[test]
    fn values_without_a_literal_are_refused() {
        let mut out = String::new();
        assert!(literal(&mut out, &Value::Float(f64::NAN)).is_err());
        assert!(literal(&mut out, &Value::Bytes(vec![1])).is_err());
        assert!(literal(&mut out, &Value::String("\u{7}".into())).is_err());
        let params = Value::Map(vec![("bad name".into(), Value::Null)]);
        assert!(inline_parameters("RETURN 1", Some(&params)).is_err());
    }

    #[test]
    fn element_ids_are_dropped_at_any_depth() {
        let node = |id| {
            Value::Struct(
                0x4E,
                vec![
                    Value::Int(id),
                    Value::List(vec![]),
                    Value::Map(vec![]),
                    Value::String("e".into()),
                ],
            )
        };
        let stripped = strip_element_ids(Value::List(vec![node(1), node(2)]));
        let Value::List(items) = stripped else {
            panic!("still a list")
        };
        assert!(
            items
                .iter()
                .all(|n| matches!(n, Value::Struct(0x4E, f) if f.len() == 3))
        );
    }
}
