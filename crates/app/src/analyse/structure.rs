//! `labgraph analyse` for cuts and brokerage: bridges and articulation points with the sizes of
//! what they cut off, Burt's structural holes, and Gould & Fernandez brokerage roles by region,
//! jurisdiction or a group file — resolving the groups, ranking, and writing table, JSON, CSV.
//! Kept apart from `analyse.rs` so the per-algorithm output code does not crowd the command.

use std::collections::HashMap;
use std::io::{self, Write};

use anyhow::Result;
use labgraph_analytics::Network;
use labgraph_analytics::algo::{self, Brokerage, Cuts, HoleMeasures, Roles, StructuralHoles};
use labgraph_domain::{Graph, Id, Jurisdiction};
use serde_json::{Value, json};

use super::{Groups, NetworkSource};
use crate::commands::BadInput;

/// Refuses `--groups region|jurisdiction` on an edge list, which has no regions: the user's
/// input, before anything is loaded.
pub(super) fn check_groups(groups: Option<&Groups>, source: &NetworkSource) -> Result<()> {
    match (groups, source) {
        (Some(g @ (Groups::Region | Groups::Jurisdiction)), NetworkSource::EdgeList(path)) => {
            let name = if *g == Groups::Region {
                "region"
            } else {
                "jurisdiction"
            };
            Err(BadInput(format!(
                "--groups {name}: {} is an edge list, which has no {name}s; they come from a \
                 projection of the database (--db), or give --groups FILE with `node group` lines",
                path.display()
            ))
            .into())
        }
        _ => Ok(()),
    }
}

/// The group of every node that has one, by region or jurisdiction of the graph (codes `hk`,
/// `gd_prd`, ...; `mainland`, `hong_kong`, `macao`) or from a file; `None` without `--groups`.
pub(super) fn resolve_groups(
    groups: Option<&Groups>,
    graph: Option<&Graph>,
    network: &Network,
) -> Result<Option<HashMap<Id, String>>> {
    let Some(groups) = groups else {
        return Ok(None);
    };
    let from_graph =
        |label: &dyn Fn(&Graph, &Id) -> Option<String>| -> Result<HashMap<Id, String>> {
            let graph =
                graph.ok_or_else(|| anyhow::anyhow!("internal: regions need the loaded graph"))?;
            Ok(network
                .ids()
                .iter()
                .filter_map(|id| label(graph, id).map(|g| (id.clone(), g)))
                .collect())
        };
    Ok(Some(match groups {
        Groups::Region => {
            from_graph(&|g, id| algo::region_group(g, id).map(|r| r.code().to_owned()))?
        }
        Groups::Jurisdiction => from_graph(&|g, id| {
            algo::jurisdiction_group(g, id).map(|j| jurisdiction_code(j).to_owned())
        })?,
        Groups::File(path) => {
            algo::read_groups(path, network).map_err(|e| BadInput(e.to_string()))?
        }
    }))
}

/// The serde names of the domain, as files and the API spell them.
fn jurisdiction_code(j: Jurisdiction) -> &'static str {
    match j {
        Jurisdiction::Mainland => "mainland",
        Jurisdiction::HongKong => "hong_kong",
        Jurisdiction::Macao => "macao",
    }
}

/// Bridges or articulation points with the sizes of the pieces each leaves.
#[derive(Debug, Clone)]
pub(super) enum CutRows {
    /// Each bridge `(a, b)` with the size of `a`'s side and of `b`'s side, in the network's
    /// order.
    Bridges(Vec<(Id, Id, usize, usize)>),
    /// Each articulation point with the sizes of the pieces it leaves, largest first, in the
    /// network's order.
    Points(Vec<(Id, Vec<usize>)>),
}

impl CutRows {
    pub(super) fn bridges(cuts: &Cuts) -> CutRows {
        CutRows::Bridges(
            cuts.bridges()
                .map(|b| {
                    let ((a, z), (sa, sz)) = (b.ends(), b.sizes());
                    (a.clone(), z.clone(), sa, sz)
                })
                .collect(),
        )
    }

    pub(super) fn points(cuts: &Cuts) -> CutRows {
        CutRows::Points(
            cuts.articulation_points()
                .map(|p| (p.node().clone(), p.sizes()))
                .collect(),
        )
    }

    /// The count line benchmarks read ("N bridges"), then the rows.
    pub(super) fn write_table(&self, top: usize, out: &mut dyn Write) -> io::Result<()> {
        match self {
            CutRows::Bridges(rows) => {
                writeln!(out, "{} bridges", rows.len())?;
                let wa = rows
                    .iter()
                    .take(top)
                    .map(|r| r.0.as_str().len())
                    .max()
                    .unwrap_or(1);
                let wb = rows
                    .iter()
                    .take(top)
                    .map(|r| r.1.as_str().len())
                    .max()
                    .unwrap_or(1);
                writeln!(
                    out,
                    "{:<wa$}  {:<wb$}  {:>9}  {:>9}",
                    "a", "b", "a side", "b side"
                )?;
                for (a, b, sa, sb) in rows.iter().take(top) {
                    let (a, b) = (a.as_str(), b.as_str());
                    writeln!(out, "{a:<wa$}  {b:<wb$}  {sa:>9}  {sb:>9}")?;
                }
            }
            CutRows::Points(rows) => {
                writeln!(out, "{} articulation points", rows.len())?;
                let w = rows
                    .iter()
                    .take(top)
                    .map(|r| r.0.as_str().len())
                    .max()
                    .unwrap_or(2);
                writeln!(out, "{:<w$}  pieces left (sizes, largest first)", "id")?;
                for (id, sizes) in rows.iter().take(top) {
                    writeln!(out, "{:<w$}  {}", id.as_str(), join(sizes, " "))?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn json(&self) -> (&'static str, Value) {
        match self {
            CutRows::Bridges(rows) => (
                "bridges",
                rows.iter()
                    .map(|(a, b, sa, sb)| {
                        json!({"a": a.as_str(), "b": b.as_str(), "a_side": sa, "b_side": sb})
                    })
                    .collect(),
            ),
            CutRows::Points(rows) => (
                "articulation_points",
                rows.iter()
                    .map(|(id, sizes)| json!({"id": id.as_str(), "pieces": sizes}))
                    .collect(),
            ),
        }
    }

    /// Piece sizes of an articulation point in one cell, `;`-separated (CSV needs no quoting).
    pub(super) fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            CutRows::Bridges(rows) => {
                writeln!(out, "a,b,a_side,b_side")?;
                for (a, b, sa, sb) in rows {
                    writeln!(out, "{a},{b},{sa},{sb}")?;
                }
            }
            CutRows::Points(rows) => {
                writeln!(out, "id,pieces")?;
                for (id, sizes) in rows {
                    writeln!(out, "{id},{}", join(sizes, ";"))?;
                }
            }
        }
        Ok(())
    }
}

fn join(sizes: &[usize], sep: &str) -> String {
    sizes
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(sep)
}

/// Burt's measures per node with ties, least constrained (most room to broker) first.
#[derive(Debug, Clone)]
pub(super) struct HoleRows {
    rows: Vec<(Id, HoleMeasures)>,
    /// Nodes without ties, which have no measures.
    without_ties: usize,
}

impl HoleRows {
    pub(super) fn new(holes: &StructuralHoles) -> HoleRows {
        let mut rows: Vec<(Id, HoleMeasures)> = holes
            .iter()
            .filter_map(|(id, m)| m.map(|m| (id.clone(), m)))
            .collect();
        rows.sort_by(|x, y| {
            x.1.constraint
                .total_cmp(&y.1.constraint)
                .then_with(|| x.0.cmp(&y.0))
        });
        HoleRows {
            without_ties: holes.len() - rows.len(),
            rows,
        }
    }

    pub(super) fn write_table(&self, top: usize, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{} nodes with ties, least constrained first ({} without ties have no measures)",
            self.rows.len(),
            self.without_ties
        )?;
        let w = self
            .rows
            .iter()
            .take(top)
            .map(|r| r.0.as_str().len())
            .max()
            .unwrap_or(2);
        writeln!(
            out,
            "{:>5}  {:<w$}  {:>10}  {:>14}  {:>10}  {:>9}",
            "rank", "id", "constraint", "effective size", "efficiency", "hierarchy"
        )?;
        for (rank, (id, m)) in self.rows.iter().take(top).enumerate() {
            let hierarchy = m.hierarchy.map_or("-".to_owned(), |h| format!("{h:.6}"));
            writeln!(
                out,
                "{:>5}  {:<w$}  {:>10.6}  {:>14.6}  {:>10.6}  {hierarchy:>9}",
                rank + 1,
                id.as_str(),
                m.constraint,
                m.effective_size,
                m.efficiency
            )?;
        }
        Ok(())
    }

    pub(super) fn json(&self) -> (&'static str, Value) {
        (
            "nodes",
            self.rows
                .iter()
                .enumerate()
                .map(|(i, (id, m))| {
                    json!({
                        "rank": i + 1,
                        "id": id.as_str(),
                        "constraint": m.constraint,
                        "effective_size": m.effective_size,
                        "efficiency": m.efficiency,
                        "hierarchy": m.hierarchy,
                    })
                })
                .collect(),
        )
    }

    /// A node with a single partner has no hierarchy: an empty cell.
    pub(super) fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "id,constraint,effective_size,efficiency,hierarchy")?;
        for (id, m) in &self.rows {
            let h = m.hierarchy.map_or(String::new(), |h| h.to_string());
            writeln!(
                out,
                "{id},{},{},{},{h}",
                m.constraint, m.effective_size, m.efficiency
            )?;
        }
        Ok(())
    }
}

/// Brokerage roles per node with a group, most brokering (total) first.
#[derive(Debug, Clone)]
pub(super) struct BrokerRows {
    rows: Vec<(Id, String, Roles)>,
    /// Nodes without a group, which have no roles.
    without_group: usize,
}

impl BrokerRows {
    pub(super) fn new(brokerage: &Brokerage, groups: &HashMap<Id, String>) -> BrokerRows {
        let mut rows: Vec<(Id, String, Roles)> = brokerage
            .iter()
            .filter_map(|(id, r)| Some((id.clone(), groups.get(id)?.clone(), r?)))
            .collect();
        rows.sort_by(|x, y| y.2.total.cmp(&x.2.total).then_with(|| x.0.cmp(&y.0)));
        BrokerRows {
            without_group: brokerage.len() - rows.len(),
            rows,
        }
    }

    pub(super) fn write_table(&self, top: usize, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{} nodes with a group, most brokering first ({} without a group have no roles); \
             each open two-path a–b–c counted once, gatekeeper = representative on undirected ties",
            self.rows.len(),
            self.without_group
        )?;
        let w = self
            .rows
            .iter()
            .take(top)
            .map(|r| r.0.as_str().len())
            .max()
            .unwrap_or(2);
        let wg = self
            .rows
            .iter()
            .take(top)
            .map(|r| r.1.len())
            .max()
            .unwrap_or(5)
            .max(5);
        writeln!(
            out,
            "{:>5}  {:<w$}  {:<wg$}  {:>11}  {:>9}  {:>10}  {:>14}  {:>9}  {:>9}",
            "rank",
            "id",
            "group",
            "coordinator",
            "itinerant",
            "gatekeeper",
            "representative",
            "liaison",
            "total"
        )?;
        for (rank, (id, group, r)) in self.rows.iter().take(top).enumerate() {
            writeln!(
                out,
                "{:>5}  {:<w$}  {group:<wg$}  {:>11}  {:>9}  {:>10}  {:>14}  {:>9}  {:>9}",
                rank + 1,
                id.as_str(),
                r.coordinator,
                r.itinerant,
                r.gatekeeper,
                r.representative,
                r.liaison,
                r.total
            )?;
        }
        Ok(())
    }

    pub(super) fn json(&self) -> (&'static str, Value) {
        (
            "brokers",
            self.rows
                .iter()
                .enumerate()
                .map(|(i, (id, group, r))| {
                    json!({
                        "rank": i + 1,
                        "id": id.as_str(),
                        "group": group,
                        "coordinator": r.coordinator,
                        "itinerant": r.itinerant,
                        "gatekeeper": r.gatekeeper,
                        "representative": r.representative,
                        "liaison": r.liaison,
                        "total": r.total,
                    })
                })
                .collect(),
        )
    }

    /// Groups are written as given; a group file's labels are single whitespace-free tokens,
    /// but may hold a comma, so they are quoted when they do.
    pub(super) fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "id,group,coordinator,itinerant,gatekeeper,representative,liaison,total"
        )?;
        for (id, group, r) in &self.rows {
            let group = if group.contains([',', '"']) {
                format!("\"{}\"", group.replace('"', "\"\""))
            } else {
                group.clone()
            };
            writeln!(
                out,
                "{id},{group},{},{},{},{},{},{}",
                r.coordinator, r.itinerant, r.gatekeeper, r.representative, r.liaison, r.total
            )?;
        }
        Ok(())
    }
}
