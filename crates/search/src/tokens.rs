//! Splitting folded text into the tokens the index stores and queries look up: English words
//! and CJK character bigrams (unigrams for single characters), plus the exact-match key.

use crate::normalize::is_cjk;

/// Words too common in institution names to tell them apart ("The University *of* Hong
/// Kong", Portuguese "Universidade *de* Macau"): neither indexed nor required in queries, so
/// "Chinese University of Hong Kong" equals "The Chinese University of Hong Kong".
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "at", "da", "das", "de", "do", "dos", "e", "for", "in", "of", "on", "the",
];

/// Marks a unigram token so it never collides with a one-letter word or falls in a word's
/// prefix range (U+0001 sorts before every letter).
pub(crate) const UNIGRAM_MARK: char = '\u{1}';

/// A run of folded text: a word or a run of CJK characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Run<'a> {
    Word(&'a str),
    Cjk(&'a str),
}

/// Splits folded text (the output of [`crate::normalize`](fn@crate::normalize)) into words and CJK runs; stopwords
/// are left out. Mixed pieces such as `港科大hkust` split at the script change.
pub(crate) fn runs(folded: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    for piece in folded.split(' ') {
        let mut start = 0;
        let mut prev_cjk = None;
        for (i, c) in piece.char_indices() {
            let cjk = is_cjk(c);
            if prev_cjk.is_some_and(|p| p != cjk) {
                push_run(&mut out, &piece[start..i], prev_cjk == Some(true));
                start = i;
            }
            prev_cjk = Some(cjk);
        }
        if let Some(cjk) = prev_cjk {
            push_run(&mut out, &piece[start..], cjk);
        }
    }
    out
}

fn push_run<'a>(out: &mut Vec<Run<'a>>, text: &'a str, cjk: bool) {
    if cjk {
        out.push(Run::Cjk(text));
    } else if !STOPWORDS.contains(&text) {
        out.push(Run::Word(text));
    }
}

/// The exact-match key: runs joined by one space. Two names are "the same name" when their
/// keys are equal, which ignores case, width, script, punctuation and stopwords.
pub(crate) fn key(runs: &[Run<'_>]) -> String {
    let mut key = String::new();
    for run in runs {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(match run {
            Run::Word(w) | Run::Cjk(w) => w,
        });
    }
    key
}

/// The unigram token of one CJK character.
pub(crate) fn unigram(c: char) -> String {
    let mut s = String::with_capacity(1 + c.len_utf8());
    s.push(UNIGRAM_MARK);
    s.push(c);
    s
}

/// The character of a unigram token, if `token` is one.
pub(crate) fn unigram_char(token: &str) -> Option<char> {
    let mut chars = token.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(UNIGRAM_MARK), Some(c), None) => Some(c),
        _ => None,
    }
}

/// Calls `f` with every positional token of `runs`, in order: each word, and each CJK bigram
/// (a lone CJK character as its unigram). Why bigrams: Chinese has no spaces, and bigrams
/// match any substring of two or more characters (港中大 → 港中, 中大) without a dictionary.
pub(crate) fn for_each_token(runs: &[Run<'_>], mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    for run in runs {
        match *run {
            Run::Word(w) => f(w),
            Run::Cjk(text) => {
                let mut chars = text.chars();
                let Some(mut prev) = chars.next() else {
                    continue;
                };
                let mut lone = true;
                for c in chars {
                    lone = false;
                    buf.clear();
                    buf.push(prev);
                    buf.push(c);
                    f(&buf);
                    prev = c;
                }
                if lone {
                    f(&unigram(prev));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize;

    fn tokens(text: &str) -> Vec<String> {
        let folded = normalize(text);
        let mut out = Vec::new();
        for_each_token(&runs(&folded), |t| out.push(t.to_owned()));
        out
    }

    #[test]
    fn words_skip_stopwords() {
        assert_eq!(
            tokens("The University of Hong Kong"),
            ["university", "hong", "kong"]
        );
    }

    #[test]
    fn cjk_becomes_bigrams_and_lone_characters_unigrams() {
        assert_eq!(tokens("香港大學"), ["香港", "港大", "大学"]);
        assert_eq!(tokens("港"), [unigram('港')]);
        assert_eq!(tokens("港科大HKUST"), ["港科", "科大", "hkust"]);
    }

    #[test]
    fn key_ignores_stopwords_and_punctuation() {
        let k = |t: &str| key(&runs(&normalize(t)));
        assert_eq!(
            k("The Chinese University of Hong Kong"),
            k("chinese university hong-kong")
        );
        assert_eq!(k("香港中文大學(深圳)"), "香港中文大学 深圳");
        assert_ne!(k("香港中文大学"), k("香港中文大学(深圳)"));
    }

    #[test]
    fn unigram_round_trip() {
        assert_eq!(unigram_char(&unigram('澳')), Some('澳'));
        assert_eq!(unigram_char("澳门"), None);
        assert_eq!(unigram_char("a"), None);
    }
}
