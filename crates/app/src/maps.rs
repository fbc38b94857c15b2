//! `labgraph subgraph`: a map view (the neighbourhood of some nodes, or every node passing a
//! filter) written as Cytoscape.js JSON, GEXF, GraphML or the whole answer as JSON. Runs the
//! API's own `subgraph` field in-process, so the CLI and GraphQL can never draw a different
//! map: the same filter, the same cached centralities, the same writers.
//! Bad arguments (unknown ids, depth out of range, neither `--around` nor a filter, a map
//! larger than `--max-nodes`) are [`BadInput`]: exit code 3, as everywhere in the CLI.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use labgraph_store::StoreError;

use crate::commands::{BadInput, open_service};
use crate::config::StoreLocation;
use crate::progress::Progress;

/// How a map is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MapFormat {
    /// Cytoscape.js elements JSON (`{"elements": {"nodes", "edges"}}`).
    #[default]
    Cytoscape,
    /// GEXF 1.2, for Gephi.
    Gexf,
    /// GraphML, for yEd, Cytoscape desktop and NetworkX.
    Graphml,
    /// The whole answer as one JSON document: nodes (with community, degree, centrality and
    /// position), edges and freshness.
    Json,
}

/// What `labgraph subgraph` is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubgraphRequest {
    /// The nodes the map is centred on; none for a filtered map of the whole graph.
    pub around: Vec<String>,
    /// Hops from `around` (1 to 3).
    pub depth: u32,
    /// Only edges holding in this year.
    pub as_of: Option<i32>,
    /// Most nodes the map may have.
    pub max_nodes: usize,
    /// Only nodes of these kinds (`institution`, `lab`, `person`, `city`, `field`,
    /// `platform`).
    pub kinds: Vec<String>,
    /// Only nodes working on these fields (or below), and the fields (field ids).
    pub fields: Vec<String>,
    /// Only nodes in these regions (`hk`, `macao`, `gd-prd`, `gd-east`, `gd-west`,
    /// `gd-north`).
    pub regions: Vec<String>,
    /// Only nodes in these jurisdictions (`mainland`, `hong-kong`, `macao`).
    pub jurisdictions: Vec<String>,
    /// Only verified nodes.
    pub verified_only: bool,
    /// Only cross-border labs and the institutions in one or with a cross-border tie.
    pub cross_border_only: bool,
    /// The centrality measure written into the exports (`degree`, `betweenness`, ...).
    pub centrality: String,
}

impl Default for SubgraphRequest {
    fn default() -> Self {
        SubgraphRequest {
            around: Vec::new(),
            depth: 1,
            as_of: None,
            max_nodes: 300,
            kinds: Vec::new(),
            fields: Vec::new(),
            regions: Vec::new(),
            jurisdictions: Vec::new(),
            verified_only: false,
            cross_border_only: false,
            centrality: "degree".to_owned(),
        }
    }
}

/// The map `labgraph subgraph` drew, in the format asked for.
#[derive(Debug, Clone)]
pub struct MapReport {
    /// The graph version read.
    pub version: u64,
    /// The format of `text`.
    pub format: MapFormat,
    /// The document.
    pub text: String,
}

impl MapReport {
    /// Writes the document, ending in a newline.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.text.as_bytes())?;
        if !self.text.ends_with('\n') {
            writeln!(out)?;
        }
        Ok(())
    }
}

/// A command-line value checked against the GraphQL enum values `allowed` (given in
/// lower case with `-`, written in GraphQL as upper case with `_`).
fn enum_values(flag: &str, values: &[String], allowed: &[&str]) -> Result<Vec<String>> {
    values
        .iter()
        .map(|v| {
            let norm = v.trim().to_lowercase().replace('_', "-");
            if allowed.contains(&norm.as_str()) {
                Ok(norm.replace('-', "_").to_uppercase())
            } else {
                bail!(BadInput(format!(
                    "{flag} {v:?}: not one of {}",
                    allowed.join(", ")
                )))
            }
        })
        .collect()
}

/// A list of ids or enum values as a GraphQL list literal. Ids are written as JSON strings,
/// whose escapes GraphQL shares, so no id can break out of its string.
fn list(items: &[String], quoted: bool) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|i| {
            if quoted {
                json!(i).to_string()
            } else {
                i.clone()
            }
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// The GraphQL document asking for the map in `format`.
fn document(request: &SubgraphRequest, format: MapFormat) -> Result<String> {
    let kinds = enum_values(
        "--where-kind",
        &request.kinds,
        &["institution", "lab", "person", "city", "field", "platform"],
    )?;
    let regions = enum_values(
        "--region",
        &request.regions,
        &["hk", "macao", "gd-prd", "gd-east", "gd-west", "gd-north"],
    )?;
    let jurisdictions = enum_values(
        "--jurisdiction",
        &request.jurisdictions,
        &["mainland", "hong-kong", "macao"],
    )?;
    let measure = enum_values(
        "--centrality",
        std::slice::from_ref(&request.centrality),
        &[
            "degree",
            "strength",
            "betweenness",
            "closeness",
            "harmonic",
            "pagerank",
            "core-number",
            "clustering",
            "eigenvector",
            "katz",
            "constraint",
            "effective-size",
            "efficiency",
            "hierarchy",
        ],
    )?
    .remove(0);
    let mut conditions = Vec::new();
    if !kinds.is_empty() {
        conditions.push(format!("kind: {}", list(&kinds, false)));
    }
    if !request.fields.is_empty() {
        conditions.push(format!("field: {}", list(&request.fields, true)));
    }
    if !regions.is_empty() {
        conditions.push(format!("region: {}", list(&regions, false)));
    }
    if !jurisdictions.is_empty() {
        conditions.push(format!("jurisdiction: {}", list(&jurisdictions, false)));
    }
    if request.verified_only {
        conditions.push("verified: true".to_owned());
    }
    if request.cross_border_only {
        conditions.push("crossBorder: true".to_owned());
    }
    let mut arguments = vec![
        format!("around: {}", list(&request.around, true)),
        format!("depth: {}", request.depth),
        format!("maxNodes: {}", request.max_nodes),
    ];
    if let Some(year) = request.as_of {
        arguments.push(format!("asOf: {year}"));
    }
    if !conditions.is_empty() {
        arguments.push(format!("where: {{ {} }}", conditions.join(", ")));
    }
    let selection = match format {
        MapFormat::Cytoscape => format!("cytoscape(centrality: {measure})"),
        MapFormat::Gexf => format!("gexf(centrality: {measure})"),
        MapFormat::Graphml => format!("graphml(centrality: {measure})"),
        MapFormat::Json => format!(
            "nodes {{ node {{ id name }} kind community degree x y \
             centrality(kind: {measure}) {{ score rank outOf }} }} \
             edges {{ source target kind }} \
             freshness {{ graphVersion parameters }}"
        ),
    };
    Ok(format!(
        "{{ subgraph({}) {{ {selection} }} }}",
        arguments.join(", ")
    ))
}

/// `labgraph subgraph`: the map asked for on the database at `db`, in `format`.
pub async fn subgraph(
    db: &Path,
    request: &SubgraphRequest,
    format: MapFormat,
    progress: &Progress,
) -> Result<MapReport> {
    let query = document(request, format)?;
    // Reading never creates a database.
    if !db.exists() {
        return Err(StoreError::Unavailable(format!(
            "{}: no such database (create one with `labgraph seed` or `labgraph import`)",
            db.display()
        ))
        .into());
    }
    let service = open_service(&StoreLocation::Embedded(db.to_path_buf()), false, progress).await?;
    let version = service.snapshot().version();
    // The CLI answers maps as large as the API allows; the usual query limits (depth,
    // complexity) guard a public server against costly documents, not this fixed one.
    let schema =
        labgraph_api::schema::build_schema(service, &labgraph_api::schema::SchemaConfig::default());
    let bar = progress.spinner("drawing the map");
    let response = schema.execute(query.as_str()).await;
    bar.finish_and_clear();
    if let Some(error) = response.errors.first() {
        let code = error
            .extensions
            .as_ref()
            .and_then(|ext| ext.get("code"))
            .map(|c| c.to_string().trim_matches('"').to_owned());
        let message = format!("subgraph: {}", error.message);
        // The client's mistakes are bad input (exit code 3); anything else is a failure.
        return match code.as_deref() {
            Some("NOT_FOUND" | "VALIDATION_FAILED") => Err(BadInput(message).into()),
            _ => Err(anyhow::anyhow!(message)),
        };
    }
    let data = response
        .data
        .into_json()
        .context("subgraph: the answer is not JSON")?;
    let answer = &data["subgraph"];
    let text = match format {
        MapFormat::Cytoscape => serde_json::to_string_pretty(&answer["cytoscape"])?,
        MapFormat::Gexf => text_of(&answer["gexf"])?,
        MapFormat::Graphml => text_of(&answer["graphml"])?,
        // In reading order: async-graphql puts a nested object's fields in the order they
        // complete (see ARCHITECTURE.md, `schema/order.rs`).
        MapFormat::Json => serde_json::to_string_pretty(&json!({
            "nodes": answer["nodes"],
            "edges": answer["edges"],
            "freshness": answer["freshness"],
        }))?,
    };
    Ok(MapReport {
        version,
        format,
        text,
    })
}

/// A string field of the answer.
fn text_of(value: &Value) -> Result<String> {
    value
        .as_str()
        .map(str::to_owned)
        .context("subgraph: the export is not text")
}
