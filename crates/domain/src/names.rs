//! Names of a node in Simplified and Traditional Chinese, English and Portuguese, with aliases.

use serde::{Deserialize, Serialize};

/// Every public name a node is known by.
///
/// Empty means "not verified", never "does not exist": reference data leaves a name empty when
/// no source gave it, and so does labgraph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    /// Simplified Chinese, e.g. 香港中文大学.
    pub zh_hans: Option<String>,
    /// Traditional Chinese, e.g. 香港中文大學.
    pub zh_hant: Option<String>,
    /// English, e.g. The Chinese University of Hong Kong.
    pub en: Option<String>,
    /// Portuguese, for Macao, e.g. Universidade de Macau.
    pub pt: Option<String>,
    /// The short name in common use, e.g. CUHK.
    pub short: Option<String>,
    /// Other names and abbreviations, e.g. 港中大, 中大.
    pub aliases: Vec<String>,
}

impl Names {
    /// The name to show when no language is asked for: English, then Simplified, Traditional,
    /// Portuguese, short name. `None` only for a node with no name at all (refused by
    /// validation).
    pub fn display(&self) -> Option<&str> {
        [
            &self.en,
            &self.zh_hans,
            &self.zh_hant,
            &self.pt,
            &self.short,
        ]
        .into_iter()
        .find_map(|n| n.as_deref())
    }

    /// Every name and alias, in a fixed order, for search indexing.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        [
            &self.zh_hans,
            &self.zh_hant,
            &self.en,
            &self.pt,
            &self.short,
        ]
        .into_iter()
        .filter_map(|n| n.as_deref())
        .chain(self.aliases.iter().map(String::as_str))
    }

    /// True when at least one full name (not only a short name or alias) is known.
    pub fn has_full_name(&self) -> bool {
        [&self.zh_hans, &self.zh_hant, &self.en, &self.pt]
            .into_iter()
            .any(|n| n.is_some())
    }
}
