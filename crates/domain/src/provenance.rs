//! Provenance: where a fact comes from, when, and whether it was verified.

use serde::{Deserialize, Serialize};

/// Where a node's or edge's facts come from.
///
/// Analyses can keep only verified facts ("only verified ties"); synthetic facts, written by
/// the benchmark generator, are marked so they can never be mistaken for real cooperation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The source: one or more URLs or citations, as given by the reference data.
    pub source: Option<String>,
    /// When the source said so: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The fact was checked against its source.
    pub verified: bool,
    /// The fact was made up by the synthetic generator, for benchmarks only.
    pub synthetic: bool,
}

impl Provenance {
    /// Checks the date's shape (`YYYY`, `YYYY-MM` or `YYYY-MM-DD` with plausible numbers).
    pub(crate) fn date_problem(&self) -> Option<String> {
        let date = self.date.as_deref()?;
        let parts: Vec<&str> = date.split('-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let ok = match parts.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 1, 12),
            [y, m, d] => {
                digits(y, 4)
                    && digits(m, 2)
                    && digits(d, 2)
                    && in_range(m, 1, 12)
                    && in_range(d, 1, 31)
            }
            _ => false,
        };
        (!ok).then(|| format!("{date:?} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"))
    }
}

fn in_range(s: &str, lo: u32, hi: u32) -> bool {
    s.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v))
}
