//! `labgraph flows`: the city-level flow map of labgraph-insights (`flows::city_flows`) on the
//! database — the ties between the eleven Greater Bay Area cities and the rest of Guangdong,
//! by year and field, and the region-by-region table — written as tables to read, as JSON for
//! programs or as CSV (one row per city pair) for flow-map tools.
//! Bad arguments (an unknown field, years out of range, `--from` after `--to`) are
//! [`BadInput`]: exit code 3, as everywhere in the CLI.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use labgraph_domain::{Graph, Id, Jurisdiction, NodeAttrs, Region};
use labgraph_insights::flows::{self, CityFlows, FlowParams, YearTies};
use labgraph_store::StoreError;
use serde_json::{Value, json};

use crate::analyse::OutputFormat;
use crate::commands::{BadInput, open_service};
use crate::config::StoreLocation;
use crate::progress::Progress;

/// What `labgraph flows` is asked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowsRequest {
    /// Only ties in this field (or a sub-field).
    pub field: Option<String>,
    /// The first year of the series.
    pub from: Option<i32>,
    /// The last year of the series.
    pub to: Option<i32>,
    /// The flows as they stood in this year.
    pub as_of: Option<i32>,
}

/// What `labgraph flows` found, on one graph version.
#[derive(Debug, Clone)]
pub struct FlowsReport {
    /// The graph version read.
    pub version: u64,
    /// The flow map.
    pub flows: CityFlows,
    /// Each city's English name (its id when it has none), by id, for the table.
    names: Vec<(Id, String)>,
}

/// `labgraph flows`: the city-level flows of the institution network on the database at `db`,
/// which must exist (reading never creates one).
pub async fn flows(db: &Path, request: &FlowsRequest, progress: &Progress) -> Result<FlowsReport> {
    let field = request
        .field
        .as_deref()
        .map(|f| {
            Id::new(f.trim())
                .map_err(|e| anyhow::Error::new(BadInput(format!("--field {f:?}: {e}"))))
        })
        .transpose()?;
    let params = FlowParams {
        field,
        from: request.from,
        to: request.to,
        as_of: request.as_of,
    };
    if !db.exists() {
        return Err(StoreError::Unavailable(format!(
            "{}: no such database (create one with `labgraph seed` or `labgraph import`)",
            db.display()
        ))
        .into());
    }
    let service = open_service(&StoreLocation::Embedded(db.to_path_buf()), false, progress).await?;
    let graph = service.snapshot();
    let bad = |e: labgraph_insights::InsightError| anyhow::Error::new(BadInput(e.to_string()));
    params.span(&graph).map_err(bad)?;
    let bar = progress.spinner("counting city flows");
    let report = tokio::task::spawn_blocking(move || -> Result<FlowsReport> {
        Ok(FlowsReport {
            version: graph.version(),
            flows: flows::city_flows(&graph, &params).map_err(bad)?,
            names: city_names(&graph),
        })
    })
    .await
    .context("the flows task failed")??;
    bar.finish_and_clear();
    Ok(report)
}

/// Every city's English name, by id.
fn city_names(graph: &Graph) -> Vec<(Id, String)> {
    graph
        .nodes_of(labgraph_domain::NodeKind::City, None)
        .filter(|n| matches!(n.attrs, NodeAttrs::City(_)))
        .map(|n| {
            let name = n.names.en.clone().unwrap_or_else(|| n.id.to_string());
            (n.id.clone(), name)
        })
        .collect()
}

/// A region as the API writes it (`GD_EAST`).
fn region(r: Region) -> String {
    r.code().to_uppercase()
}

/// The API's name of a jurisdiction (`HONG_KONG`): the domain's serde name, upper-cased, as
/// [`region`] does for regions.
fn jurisdiction(j: Jurisdiction) -> String {
    json!(j).as_str().unwrap_or_default().to_uppercase()
}

fn counts(years: &[YearTies]) -> Vec<usize> {
    years.iter().map(|y| y.ties).collect()
}

impl FlowsReport {
    fn name<'a>(&'a self, city: &'a Id) -> &'a str {
        self.names
            .binary_search_by(|(id, _)| id.cmp(city))
            .map_or(city.as_str(), |i| self.names[i].1.as_str())
    }

    fn years(&self) -> Vec<i32> {
        self.flows
            .span
            .map_or_else(Vec::new, |(from, to)| (from..=to).collect())
    }

    /// The whole answer as one JSON document (the API's names).
    pub fn to_json(&self) -> Value {
        let f = &self.flows;
        let years = |list: &[YearTies]| -> Vec<Value> {
            list.iter()
                .map(|y| json!({"year": y.year, "ties": y.ties}))
                .collect()
        };
        json!({
            "graphVersion": self.version,
            "field": f.field.as_ref().map(Id::as_str),
            "asOf": f.as_of,
            "from": f.span.map(|(from, _)| from),
            "to": f.span.map(|(_, to)| to),
            "ties": f.ties,
            "crossBorder": f.cross_border,
            "unplaced": f.unplaced,
            "cities": f.cities.iter().map(|c| json!({
                "city": c.city.as_str(), "name": self.name(&c.city), "region": region(c.region),
                "jurisdiction": jurisdiction(c.jurisdiction), "inGba": c.in_gba,
                "institutions": c.institutions, "ties": c.ties, "crossBorder": c.cross_border,
            })).collect::<Vec<_>>(),
            "flows": f.flows.iter().map(|flow| json!({
                "from": flow.from.as_str(), "to": flow.to.as_str(), "ties": flow.ties,
                "crossBorder": flow.cross_border,
                "labs": flow.labs.iter().map(Id::as_str).collect::<Vec<_>>(),
                "evidence": flow.evidence.iter().map(|t| json!({
                    "a": t.a.as_str(), "b": t.b.as_str(),
                    "labs": t.labs.iter().map(Id::as_str).collect::<Vec<_>>(),
                    "collaborations": t.collaborations, "talentLinks": t.talent_links,
                })).collect::<Vec<_>>(),
                "years": years(&flow.years),
            })).collect::<Vec<_>>(),
            "regions": f.regions.iter().map(|r| json!({
                "from": region(r.from), "to": region(r.to), "ties": r.ties,
                "crossBorder": r.cross_border, "years": years(&r.years),
            })).collect::<Vec<_>>(),
        })
    }

    /// Writes the report: the region table, the cities and the flows as tables; everything as
    /// JSON; or one CSV row per city pair (ids, regions, ties, cross-border ties, labs joined
    /// by `;`, then one column per year of the series).
    pub fn write(&self, format: OutputFormat, out: &mut dyn Write) -> io::Result<()> {
        let mut out = BufWriter::new(out);
        match format {
            OutputFormat::Json => {
                serde_json::to_writer(&mut out, &self.to_json())?;
                writeln!(out)?;
            }
            OutputFormat::Csv => self.write_csv(&mut out)?,
            OutputFormat::Table => self.write_table(&mut out)?,
        }
        out.flush()
    }

    /// CSV needs no quoting: domain ids hold only `[a-z0-9._-]`.
    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let region_of = |id: &Id| {
            self.flows
                .cities
                .iter()
                .find(|c| &c.city == id)
                .map_or_else(String::new, |c| region(c.region))
        };
        let years: Vec<String> = self.years().iter().map(|y| format!(",{y}")).collect();
        writeln!(
            out,
            "from,from_region,to,to_region,ties,cross_border,labs{}",
            years.concat()
        )?;
        for f in &self.flows.flows {
            let labs: Vec<&str> = f.labs.iter().map(Id::as_str).collect();
            let series: Vec<String> = counts(&f.years).iter().map(|n| format!(",{n}")).collect();
            writeln!(
                out,
                "{},{},{},{},{},{},{}{}",
                f.from,
                region_of(&f.from),
                f.to,
                region_of(&f.to),
                f.ties,
                f.cross_border,
                labs.join(";"),
                series.concat()
            )?;
        }
        Ok(())
    }

    fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        let f = &self.flows;
        let years = self.years();
        let header_years: String = years.iter().map(|y| format!(" {y:>5}")).collect();
        let row_years = |list: &[YearTies]| -> String {
            counts(list).iter().map(|n| format!(" {n:>5}")).collect()
        };
        writeln!(
            out,
            "city flows on graph version {} — field {}, as of {}, series {}",
            self.version,
            f.field.as_ref().map_or("(all)", Id::as_str),
            f.as_of
                .map_or_else(|| "(every year)".to_owned(), |y| y.to_string()),
            f.span
                .map_or_else(|| "(none)".to_owned(), |(a, b)| format!("{a}–{b}"))
        )?;
        writeln!(
            out,
            "{} ties placed, {} cross-border, {} left out (an end without a city)",
            f.ties, f.cross_border, f.unplaced
        )?;
        writeln!(out, "\nregions")?;
        writeln!(
            out,
            "{:<9} {:<9} {:>5} {:>12}{header_years}",
            "from", "to", "ties", "cross-border"
        )?;
        for r in &f.regions {
            writeln!(
                out,
                "{:<9} {:<9} {:>5} {:>12}{}",
                region(r.from),
                region(r.to),
                r.ties,
                r.cross_border,
                row_years(&r.years)
            )?;
        }
        writeln!(out, "\ncities")?;
        writeln!(
            out,
            "{:<12} {:<16} {:<9} {:>3} {:>12} {:>5} {:>12}",
            "city", "name", "region", "gba", "institutions", "ties", "cross-border"
        )?;
        for c in &f.cities {
            writeln!(
                out,
                "{:<12} {:<16} {:<9} {:>3} {:>12} {:>5} {:>12}",
                c.city.as_str(),
                self.name(&c.city),
                region(c.region),
                if c.in_gba { "yes" } else { "no" },
                c.institutions,
                c.ties,
                c.cross_border
            )?;
        }
        writeln!(out, "\nflows")?;
        writeln!(
            out,
            "{:<12} {:<12} {:>5} {:>12}{header_years}  labs",
            "from", "to", "ties", "cross-border"
        )?;
        for flow in &f.flows {
            let labs: Vec<&str> = flow.labs.iter().map(Id::as_str).collect();
            writeln!(
                out,
                "{:<12} {:<12} {:>5} {:>12}{}  {}",
                flow.from.as_str(),
                flow.to.as_str(),
                flow.ties,
                flow.cross_border,
                row_years(&flow.years),
                labs.join(", ")
            )?;
        }
        Ok(())
    }
}
