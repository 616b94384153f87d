//! Word-level readings of an item's text: the normalised text that repeated demands are
//! found by (`norm`), the stems that tie a reporting calendar row to a body demand
//! (`stems`), and the modal verb (`modality`). Each reads words as runs of alphanumeric
//! characters, lower-cased as `str::to_lowercase` does.

use crate::meta::MONTHS;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// The modal verbs, as [`modality`] gives them.
const MODALS: [&str; 4] = ["skal", "bør", "kan", "må"];

/// The modal verbs in every case: ASCII letters in either case by the automaton itself,
/// the other letters spelled out. Pattern `k` is modal `MODAL_OF[k]`.
static MODAL_WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(["skal", "kan", "bør", "bØr", "må", "mÅ"])
        .ok()
});
const MODAL_OF: [usize; 6] = [0, 2, 1, 1, 3, 3];

/// skal / bør / kan: the first modal verb in the text, a word (a run of alphanumeric
/// characters) that lower-cases to one of them. Found by one automaton over the text: a
/// match is taken when it is a whole word. Only the Kelvin and Angstrom signs lower-case
/// to a letter of these words without being one of the automaton's spellings; a text
/// holding either (or another letterlike symbol) is read word by word.
pub(super) fn modality(text: &str) -> Option<String> {
    // Both signs (U+212A, U+212B) start with these bytes, as does the rest of U+2100..U+213F.
    let letterlike = memchr::memmem::find(text.as_bytes(), &[0xE2, 0x84]).is_some();
    let Some(ac) = MODAL_WORDS.as_ref().filter(|_| !letterlike) else {
        return modality_by_words(text);
    };
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    ac.find_iter(text)
        .find(|m| {
            !alnum(text[..m.start()].chars().next_back()) && !alnum(text[m.end()..].chars().next())
        })
        .map(|m| MODALS[MODAL_OF[m.pattern().as_usize()]].to_string())
}

/// [`modality`] word by word: the plain form, for the rare text the automaton cannot read.
fn modality_by_words(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_alphanumeric())
        // Lower case never has fewer characters: a longer word is none of the four.
        .filter(|w| w.chars().nth(4).is_none())
        .find_map(|w| MODALS.into_iter().find(|m| lower_is(w, m)))
        .map(String::from)
}

/// Whether `word` lower-cased is `target`, a text without a sigma (the one letter
/// `str::to_lowercase` maps by its place): `word.to_lowercase() == target` without the
/// allocation.
pub(super) fn lower_is(word: &str, target: &str) -> bool {
    word.chars().flat_map(char::to_lowercase).eq(target.chars())
}

/// Normalised text for comparing two mentions of one demand: the text lower-cased, its
/// words (runs of alphanumeric characters) joined by single spaces.
pub(super) fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    norm_into(s, &mut out);
    out
}

/// [`norm`] of `s`, appended to `out`.
pub(super) fn norm_into(s: &str, out: &mut String) {
    let start = out.len();
    // `str::to_lowercase` maps a capital sigma by its place in the word; every other
    // character lower-cases on its own, so one pass with no copies gives the same.
    if s.contains('Σ') {
        let lower = s.to_lowercase();
        for (n, w) in lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .enumerate()
        {
            if n > 0 {
                out.push(' ');
            }
            out.push_str(w);
        }
        return;
    }
    // Whether a character outside the words came since the last word character.
    let mut gap = false;
    let word_char = |c: char, gap: &mut bool, out: &mut String| {
        if std::mem::take(gap) && out.len() > start {
            out.push(' ');
        }
        out.push(c);
    };
    // ASCII (most of a letter) by a table; other characters decoded where they start.
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            match LOWER_ALNUM[usize::from(b)] {
                0 => gap = true,
                l => word_char(char::from(l), &mut gap, out),
            }
            i += 1;
            continue;
        }
        let Some(c) = crate::bytescan::char_at(s, i) else {
            break;
        };
        for l in c.to_lowercase() {
            if l.is_alphanumeric() {
                word_char(l, &mut gap, out);
            } else {
                gap = true;
            }
        }
        i += c.len_utf8();
    }
}

/// An ASCII byte's lower case if it is a letter or digit, else 0 (for [`norm_into`]).
const LOWER_ALNUM: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Words too common in reporting demands to tell two of them apart.
const GENERIC_WORDS: &[&str] = &[
    "departementet",
    "direktoratet",
    "sendes",
    "sendast",
    "sende",
    "rapport",
    "rapporten",
    "rapportere",
    "rapporteres",
    "rapporterast",
    "rapportering",
    "særskilt",
    "særskild",
    "innen",
    "innan",
    "etter",
    "første",
    "andre",
    "oversikt",
    "status",
    "arbeidet",
    "skal",
    "punkt",
    "kapittel",
    "merknad",
    "leveres",
    "leverast",
    "frist",
    "fristen",
];

/// Distinctive word stems (the first seven letters of words of five or more) for the
/// overlap test between a body sentence and a row: "tertialrapportene" and
/// "Tertialrapport" share "tertial".
pub(super) fn stems(s: &str) -> BTreeSet<String> {
    norm(s)
        .split(' ')
        .filter(|w| w.chars().count() >= 5 && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !GENERIC_WORDS.contains(w))
        .filter(|w| !MONTHS.contains(w))
        .map(|w| w.chars().take(7).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts where lower case is not one character for one: Turkish dotted I (two
    /// characters, the second not alphanumeric), capital sharp s, a ligature, Greek sigma
    /// (by its place), the Kelvin sign, and Norwegian letters.
    const CASE_EDGES: &[&str] = &[
        "Skal İSTANBUL-kontoret  rapportere?",
        "STRASSE ẞ ﬁnans",
        "ΣΟΦΟΣ Σ σΣ",
        "\u{212A}an Bør MÅ Må-krav",
        "  – 1. juni: ÆRLIG, ærlig;  ",
        "",
    ];

    /// `norm` by its definition: the text lower-cased, its words joined by single spaces.
    fn norm_by_definition(s: &str) -> String {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `norm` (ASCII by its table, other characters one by one) is its definition, on the
    /// case edges and on random texts of ASCII of every kind and letters outside it.
    #[test]
    fn norm_is_lower_case_words_joined() {
        for s in CASE_EDGES {
            assert_eq!(norm(s), norm_by_definition(s), "{s:?}");
        }
        let rare = [
            "İ", "ẞ", "ﬁ", "\u{212A}", "Å", "ø", "é", "–", "«", " ", "  ", "\n", "Σ",
        ];
        let common: Vec<char> = (0u8..128).map(char::from).collect();
        let mut random = crate::test_random::Random::new(11);
        for _ in 0..5_000 {
            let s = random.text(40, &rare, &common);
            assert_eq!(norm(&s), norm_by_definition(&s), "{s:?}");
        }
    }

    #[test]
    fn modality_is_the_first_modal_word() {
        for s in CASE_EDGES {
            let slow = s
                .split(|c: char| !c.is_alphanumeric())
                .find_map(|w| {
                    let w = w.to_lowercase();
                    ["skal", "bør", "kan", "må"].into_iter().find(|m| *m == w)
                })
                .map(String::from);
            assert_eq!(modality(s), slow, "{s:?}");
        }
        assert_eq!(modality("\u{212A}an Bør"), Some("kan".into()));
        assert_eq!(modality("Direktoratet BØR vurdere"), Some("bør".into()));
        assert_eq!(modality("m\u{212B} SKALA Må"), Some("må".into()));
        assert_eq!(modality("kanskje skan bør"), Some("bør".into()));
    }

    /// The automaton's answer is the word-by-word answer, on random texts of modal words,
    /// their pieces, other words and the characters at their edges.
    #[test]
    fn modality_by_automaton_is_modality_by_words() {
        let parts = [
            "skal",
            "SKAL",
            "Skal",
            "kan",
            "KAN",
            "bør",
            "BØR",
            "bØr",
            "må",
            "MÅ",
            "mÅ",
            "ska",
            "kanskje",
            "skalere",
            "må\u{301}",
            "ø",
            "å",
            "x",
            "1",
            "_",
            " ",
            "-",
            ".",
            "«",
            "»",
            "\u{212A}",
            "\u{212B}",
            "é",
            "ß",
            "\n",
        ];
        let mut random = crate::test_random::Random::new(7);
        for _ in 0..20_000 {
            let n = random.below(8) + 1;
            let text: String = (0..n).map(|_| parts[random.below(parts.len())]).collect();
            assert_eq!(modality(&text), modality_by_words(&text), "{text:?}");
        }
    }
}
