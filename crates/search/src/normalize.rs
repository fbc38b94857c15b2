//! Text folding shared by indexing and querying, so that every spelling of a name meets in one
//! form: Traditional→Simplified, full-width→ASCII, lowercase, no accents, punctuation → space.

/// Folds text for matching: Traditional→Simplified, full-width→ASCII, lowercase, punctuation →
/// space.
///
/// Also strips Latin accents (Portuguese `Ciência` → `ciencia`), drops apostrophes inside
/// words (`People's` → `peoples`, `Xi'an` → `xian`) and collapses runs of spaces, so the
/// result is a single-space-separated string with no leading or trailing space. Whitespace-only
/// or punctuation-only text folds to the empty string.
///
/// ```
/// use labgraph_search::normalize;
/// assert_eq!(normalize("香港中文大學（深圳）"), "香港中文大学 深圳");
/// assert_eq!(normalize("ＣＵＨＫ-Shenzhen"), "cuhk shenzhen");
/// ```
pub fn normalize(text: &str) -> String {
    // Width first: fast2s only rewrites CJK characters and full-width letters would otherwise
    // survive lowercasing as distinct code points.
    let narrow: String = text.chars().map(narrow_char).collect();
    let simplified = fast2s::convert(&narrow);
    let mut out = String::with_capacity(simplified.len());
    let mut pending_space = false;
    for c in simplified.chars().flat_map(char::to_lowercase) {
        if is_apostrophe(c) {
            // Joining keeps `people's` one word, as people type it both ways.
            continue;
        }
        let c = strip_accent(c);
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// Full-width ASCII (U+FF01–U+FF5E) and the ideographic space to their ASCII forms.
fn narrow_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`')
}

/// Lowercase Latin letters with the accents Portuguese (and French/Spanish names) use.
fn strip_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        _ => c,
    }
}

/// True for characters written without spaces between words (Han, kana, Hangul): these are
/// matched by character n-grams rather than by words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x3134F) // CJK Extensions B–G
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_folds_to_simplified() {
        for (hant, hans) in [
            ("香港中文大學", "香港中文大学"),
            ("澳門大學", "澳门大学"),
            ("嶺南大學", "岭南大学"),
            ("鵬城實驗室", "鹏城实验室"),
            ("廣州醫科大學", "广州医科大学"),
            ("粵港澳大灣區", "粤港澳大湾区"),
            ("香港浸會大學", "香港浸会大学"),
            ("這", "这"),
        ] {
            assert_eq!(normalize(hant), hans, "{hant}");
            assert_eq!(normalize(hans), hans, "simplified stays put: {hans}");
        }
    }

    #[test]
    fn simplified_characters_that_look_traditional_are_kept() {
        // 著 is standard Simplified (著名); a naive table maps it to 着 and breaks names.
        assert_eq!(normalize("著名"), "著名");
    }

    #[test]
    fn full_width_case_and_punctuation_fold() {
        assert_eq!(normalize("ＣＵＨＫ"), "cuhk");
        assert_eq!(
            normalize("  The  Chinese University, of Hong-Kong. "),
            "the chinese university of hong kong"
        );
        assert_eq!(normalize("香港科技大學（廣州）"), "香港科技大学 广州");
        assert_eq!(normalize("HKUST(GZ)"), "hkust gz");
        assert_eq!(normalize("香港中文大学·深圳"), "香港中文大学 深圳");
        assert_eq!(normalize("Ｓｕｎ　Ｙａｔ－ｓｅｎ"), "sun yat sen");
    }

    #[test]
    fn accents_and_apostrophes_fold() {
        assert_eq!(
            normalize("Universidade de Ciência e Tecnologia de Macau"),
            "universidade de ciencia e tecnologia de macau"
        );
        assert_eq!(normalize("People’s Hospital"), "peoples hospital");
    }

    #[test]
    fn blank_and_punctuation_only_fold_to_empty() {
        for blank in ["", "   ", "\t\n", "（）", "- . ,", "\u{3000}"] {
            assert_eq!(normalize(blank), "", "{blank:?}");
        }
    }

    #[test]
    fn cjk_detection() {
        assert!(is_cjk('港'));
        assert!(is_cjk('學'));
        assert!(!is_cjk('a'));
        assert!(!is_cjk('（'));
    }
}
