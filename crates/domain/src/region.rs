//! Regions, jurisdictions and the cross-border classification of ties.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a city lies: Hong Kong, Macao, or one of Guangdong's four economic regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Hong Kong SAR.
    Hk,
    /// Macao SAR.
    Macao,
    /// The nine Pearl River Delta cities of Guangdong.
    GdPrd,
    /// East Guangdong (Shantou, Shanwei, Jieyang, Chaozhou).
    GdEast,
    /// West Guangdong (Zhanjiang, Maoming, Yangjiang).
    GdWest,
    /// North Guangdong (Shaoguan, Heyuan, Meizhou, Qingyuan, Yunfu).
    GdNorth,
}

impl Region {
    /// All regions, in declaration order.
    pub const ALL: [Region; 6] = [
        Region::Hk,
        Region::Macao,
        Region::GdPrd,
        Region::GdEast,
        Region::GdWest,
        Region::GdNorth,
    ];

    /// The jurisdiction a region belongs to.
    pub fn jurisdiction(self) -> Jurisdiction {
        match self {
            Region::Hk => Jurisdiction::HongKong,
            Region::Macao => Jurisdiction::Macao,
            Region::GdPrd | Region::GdEast | Region::GdWest | Region::GdNorth => {
                Jurisdiction::Mainland
            }
        }
    }

    /// The code used in files and the API (`hk`, `gd_prd`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Region::Hk => "hk",
            Region::Macao => "macao",
            Region::GdPrd => "gd_prd",
            Region::GdEast => "gd_east",
            Region::GdWest => "gd_west",
            Region::GdNorth => "gd_north",
        }
    }

    /// Parses a code, case-insensitively (`HK`, `gd_prd`).
    pub fn from_code(code: &str) -> Option<Region> {
        Region::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// The three legal systems of the Greater Bay Area. A tie is *cross-border* when its two ends
/// are in different jurisdictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Jurisdiction {
    /// Mainland China (here: Guangdong).
    Mainland,
    /// Hong Kong SAR.
    HongKong,
    /// Macao SAR.
    Macao,
}

impl Jurisdiction {
    /// All jurisdictions.
    pub const ALL: [Jurisdiction; 3] = [
        Jurisdiction::Mainland,
        Jurisdiction::HongKong,
        Jurisdiction::Macao,
    ];
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Jurisdiction::Mainland => "Mainland",
            Jurisdiction::HongKong => "Hong Kong",
            Jurisdiction::Macao => "Macao",
        })
    }
}

/// The class of a tie (or of a lab's partner set) by the jurisdictions it joins.
///
/// Bibliometric products only know "international"; this classification is what shows the
/// GBA's cross-border work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieClass {
    /// Both ends in one jurisdiction.
    Domestic,
    /// Mainland and Hong Kong.
    MainlandHk,
    /// Mainland and Macao.
    MainlandMacao,
    /// Hong Kong and Macao.
    HkMacao,
    /// All three jurisdictions (a lab whose partners span Mainland, Hong Kong and Macao).
    TriParty,
}

impl TieClass {
    /// Classifies a set of jurisdictions (the ends of a tie, or all partners of a lab).
    /// `None` when no end has a known jurisdiction.
    pub fn of(jurisdictions: impl IntoIterator<Item = Jurisdiction>) -> Option<TieClass> {
        let (mut m, mut h, mut o) = (false, false, false);
        let mut any = false;
        for j in jurisdictions {
            any = true;
            match j {
                Jurisdiction::Mainland => m = true,
                Jurisdiction::HongKong => h = true,
                Jurisdiction::Macao => o = true,
            }
        }
        any.then_some(match (m, h, o) {
            (true, true, true) => TieClass::TriParty,
            (true, true, false) => TieClass::MainlandHk,
            (true, false, true) => TieClass::MainlandMacao,
            (false, true, true) => TieClass::HkMacao,
            _ => TieClass::Domestic,
        })
    }

    /// True for every class but [`TieClass::Domestic`].
    pub fn is_cross_border(self) -> bool {
        self != TieClass::Domestic
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Jurisdiction::*;

    #[test]
    fn classifies_jurisdiction_sets() {
        assert_eq!(TieClass::of([Mainland, Mainland]), Some(TieClass::Domestic));
        assert_eq!(
            TieClass::of([HongKong, Mainland]),
            Some(TieClass::MainlandHk)
        );
        assert_eq!(
            TieClass::of([Macao, Mainland]),
            Some(TieClass::MainlandMacao)
        );
        assert_eq!(TieClass::of([Macao, HongKong]), Some(TieClass::HkMacao));
        assert_eq!(
            TieClass::of([Macao, HongKong, Mainland]),
            Some(TieClass::TriParty)
        );
        assert_eq!(TieClass::of([]), None);
        assert!(!TieClass::Domestic.is_cross_border());
        assert!(TieClass::TriParty.is_cross_border());
    }

    #[test]
    fn regions_map_to_jurisdictions() {
        assert_eq!(Region::GdNorth.jurisdiction(), Mainland);
        assert_eq!(Region::Hk.jurisdiction(), HongKong);
        assert_eq!(Region::from_code("GD_PRD"), Some(Region::GdPrd));
        assert_eq!(Region::from_code("nowhere"), None);
    }
}
