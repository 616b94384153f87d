//! Stage 3, segment: paragraphs → blocks that know their heading trail.
//!
//! Heading levels in real letters are unreliable (converted Word files make every bold line
//! a `#` heading), so the trail is built from what a heading *says*: its numbering
//! ("3", "3.1", "Kapittel 3"), whether it opens an entry (an oppdrag ID, a "Kap. 701, post
//! 21" allocation), and otherwise it is a label under the nearest numbered heading.

use crate::layout::{Para, ParaKind};
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum BlockKind {
    Heading {
        rank: u8,
        /// The heading's own number as written ("3.1", "II"), if any.
        number: Option<String>,
        /// Opens an entry: an oppdrag ID or a kap./post heading.
        entry: bool,
    },
    ListItem {
        marker: String,
        depth: u8,
    },
    Paragraph,
    TableRow {
        cells: Vec<String>,
    },
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    pub page: u32,
    pub line: u32,
    /// Indices (into `Document::blocks`) of the headings above this block, outermost first.
    pub trail: Vec<usize>,
    /// After the signature ("Med hilsen"): copies, addresses, attachments.
    pub closing: bool,
}

impl Block {
    pub fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::Heading { .. })
    }
}

/// The segmented document. `meta` is filled in by the meta stage.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
}

impl Document {
    /// The heading trail of block `i` as text, "Title > 3 Mål > 3.1 Styringsparametere".
    pub fn trail_text(&self, i: usize) -> String {
        self.blocks[i]
            .trail
            .iter()
            .map(|&h| self.blocks[h].text.as_str())
            .collect::<Vec<_>>()
            .join(" > ")
    }

    /// Number of words in the document body, for per-1,000-words figures.
    pub fn word_count(&self) -> usize {
        self.blocks
            .iter()
            .map(|b| crate::bytescan::count_words(&b.text))
            .sum()
    }
}

/// A numbered heading's number, as [`numbered`] reads it by hand.
#[cfg(test)]
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<n>[0-9]{1,2}(?:\.[0-9]{1,2}){0,3})\.?\s+\S").expect("valid regex")
});
static CHAPTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(kapittel|kapitel|del|vedlegg|vedlegg nr\.?)\s+(?P<n>[0-9]{1,2}|[ivx]{1,5})\b",
    )
    .expect("valid regex")
});
/// Headings that open one entry: an oppdrag with an ID, or one kap./post allocation.
static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(id:\s*)?(oppdrag\s+)?(t?tb\s?[0-9]{4}\s?[-–]\s?[0-9]{1,3}|[a-zæøå]{1,4}\s?[0-9]{4}\s?[-–]\s?[0-9]{1,3}|[0-9]{4}\s?[-–]\s?[0-9]{1,3}\b|oppdrag\s+(nr\.?\s*)?[0-9]{1,3}(/[0-9]{4})?\b|kap\.\s*[0-9]{3,4}(,|\s)\s*post\s*[0-9]{2})")
        .expect("valid regex")
});
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(supplerende\s+)?(tildelingsbrev|oppdragsdokument|mål-\s*og\s*disponeringsbrev|md-brev|supplerende|tillegg|hovedinstruks|virksomhetsinstruks|instruks)")
        .expect("valid regex")
});
static GREETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(med (vennlig|venleg|vennleg) hilsen|med hilsen|med helsing|med venleg helsing|vennlig hilsen|venleg helsing)\b")
        .expect("valid regex")
});

/// The style of a list marker: 'n' numbered, 'a' lettered, 'i' roman, 'b' bullet.
fn marker_style(marker: &str) -> char {
    let core = marker.trim_matches(|c| c == '(' || c == ')' || c == '.');
    if core.chars().all(|c| c.is_ascii_digit()) && !core.is_empty() {
        'n'
    } else if core.len() == 1 && core.chars().all(|c| c.is_alphabetic()) {
        'a'
    } else if !core.is_empty() && core.chars().all(|c| "ivx".contains(c)) {
        'i'
    } else {
        'b'
    }
}

/// Text that opens with an oppdrag ID ("TB2026-70 (unntatt offentlighet)", "ID: 2026-01").
pub fn starts_with_id(text: &str) -> bool {
    is_entry(text) && !text.to_lowercase().starts_with("kap")
}

/// Text that reads as a numbered or entry heading ("3.1 Styringsparametere",
/// "TB2026-17 Tittel"), used by layout to end a paragraph after such a line.
pub fn heading_like(text: &str) -> bool {
    looks_like_heading(text)
}

/// A short paragraph that reads like a heading in text without markup: a numbered title
/// ("3.1 Styringsparametere"), a chapter ("Kapittel 3", "DEL II"), or a lone label line.
fn looks_like_heading(text: &str) -> bool {
    // The cheap tests first: most paragraphs end a sentence, and past 16 words the count
    // need not go on.
    if text.ends_with('.') || text.ends_with(',') {
        return false;
    }
    let words = crate::bytescan::count_words_upto(text, 17);
    if words > 16 {
        return false;
    }
    if let Some(n) = numbered(text) {
        let rest = &text[n.len()..].trim_start_matches('.').trim_start();
        return rest.chars().next().is_some_and(|c| c.is_uppercase()) && words <= 14;
    }
    if (is_chapter(text) || is_entry(text)) && words <= 14 {
        return true;
    }
    words <= 6 && is_label_line(text)
}

/// The `n` of `NUMBERED` in `text`, read by hand (see [`numbered_ascii`]): the regex stays
/// as the definition, and a test holds the two to one answer.
fn numbered(text: &str) -> Option<&str> {
    numbered_ascii(text).map(|end| &text[..end])
}

/// `NUMBERED` by hand: where its `n` ends, or `None` for no match. The regex's
/// alternatives are tried in the order it prefers them, first match wins, as the regex
/// crate does: two digits before one, one more `.[0-9]{1,2}` before stopping, a `.` after
/// the number taken before not. `\s` and `\S` are Unicode whitespace and its complement,
/// as `char::is_whitespace` reads them.
fn numbered_ascii(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    // `[0-9]{1,2}` at `i`: the lengths it may take, longest first.
    let digits = |i: usize| -> &'static [usize] {
        if !digit(i) {
            &[]
        } else if digit(i + 1) {
            &[2, 1]
        } else {
            &[1]
        }
    };
    // `\s+\S` at `i`: whitespace, then (after all of it) a character that is not.
    let space_then_word = |i: usize| -> bool {
        let rest = text.get(i..).unwrap_or("");
        rest.starts_with(char::is_whitespace)
            && !rest.trim_start_matches(char::is_whitespace).is_empty()
    };
    // `\.?\s+\S` at `i`.
    let tail = |i: usize| (b.get(i) == Some(&b'.') && space_then_word(i + 1)) || space_then_word(i);
    // `(?:\.[0-9]{1,2}){reps..=3}` then the tail, from `i`.
    fn parts(
        i: usize,
        reps: usize,
        b: &[u8],
        digits: &dyn Fn(usize) -> &'static [usize],
        tail: &dyn Fn(usize) -> bool,
    ) -> Option<usize> {
        if reps < 3 && b.get(i) == Some(&b'.') {
            for &n in digits(i + 1) {
                if let Some(end) = parts(i + 1 + n, reps + 1, b, digits, tail) {
                    return Some(end);
                }
            }
        }
        tail(i).then_some(i)
    }
    digits(0)
        .iter()
        .find_map(|&n| parts(n, 0, b, &digits, &tail))
}

/// Whether `CHAPTER` matches: only text that opens with a letter that case-folds to "k",
/// "d" or "v" can (the Kelvin sign folds to "k").
fn is_chapter(text: &str) -> bool {
    text.starts_with(['k', 'K', 'd', 'D', 'v', 'V', '\u{212A}']) && CHAPTER.is_match(text)
}

/// Whether `GREETING` matches: every greeting opens with "m" or "v", in either case (no
/// other character case-folds to these).
fn is_greeting(text: &str) -> bool {
    text.starts_with(['m', 'M', 'v', 'V']) && GREETING.is_match(text)
}

static LABEL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(styringsparamet(?:er|ere|re|rar)|nøkkeltall|nøkkeltal|resultatkrav|resultatmål|oppdrag|nye oppdrag|fellesføringer|fellesføringar|styringsprinsipper|styringsprinsipp|fullmakter|rapportering|mål|hovudmål|hovedmål|delmål|frist)\s*:?$")
        .expect("valid regex")
});

/// A line that is only a category label ("Resultatkrav:", "Styringsparametere").
pub fn is_label_line(text: &str) -> bool {
    let t = text.trim();
    // Every label opens with one of these letters, in either case ("ſ" case-folds to "s").
    t.starts_with([
        's', 'S', 'n', 'N', 'r', 'R', 'o', 'O', 'f', 'F', 'm', 'M', 'h', 'H', 'd', 'D', 'ſ',
    ]) && LABEL_LINE.is_match(t)
}

/// "Frist" or "Frist:", the one label line (see `LABEL_LINE`) that heads an oppdrag's
/// deadlines rather than a part of the letter.
fn is_deadline_label(text: &str) -> bool {
    text.trim()
        .trim_end_matches(':')
        .trim_end()
        .eq_ignore_ascii_case("frist")
}

/// Whether `ENTRY` matches: each of its forms holds a decimal digit, so text without a
/// numeric character (a wider class) cannot match.
fn is_entry(text: &str) -> bool {
    text.chars().any(char::is_numeric) && ENTRY.is_match(text)
}

/// Run the segment stage.
pub fn segment(paras: Vec<Para>) -> Document {
    let mut seg = Segmenter::default();
    Document {
        blocks: paras.into_iter().map(|p| seg.push(p)).collect(),
    }
}

/// The rank unnumbered headings hang under: that of the nearest open numbered heading, or
/// of the title.
fn base_rank(open: &[Open]) -> u8 {
    open.iter()
        .rev()
        .find(|o| o.rank == 0 || o.numbered)
        .map_or(0, |o| o.rank)
}

/// A heading open above the blocks that follow: what the trail of later blocks needs.
#[derive(Debug, Clone, Copy)]
struct Open {
    rank: u8,
    /// Its block index.
    block: usize,
    /// Opens an entry (`BlockKind::Heading::entry`).
    entry: bool,
    /// Has a number of its own.
    numbered: bool,
}

/// The segment stage one paragraph at a time: each paragraph becomes one block, numbered
/// from 0 in the order pushed. It keeps only the open headings, never the blocks, so a
/// large text streamed in pieces (`crate::stream`) is segmented exactly as
/// [`segment`] segments the whole document.
#[derive(Debug, Default)]
pub struct Segmenter {
    /// The open headings, outermost first.
    stack: Vec<Open>,
    /// Blocks made so far: the index of the next.
    next: usize,
    title_seen: bool,
    closing: bool,
    // Numbering of top-level chapters seen outside entries, and inside the current entry.
    outer_last: Option<u32>,
    inner_last: Option<u32>,
    // A label written as a plain line ("Resultatkrav:") covers only the list right after
    // it: (its block index, the marker style of that list once seen).
    inline_label: Option<(usize, Option<char>)>,
}

impl Segmenter {
    /// The block of the next paragraph.
    pub fn push(&mut self, p: Para) -> Block {
        let i = self.next;
        self.next += 1;
        let stack = &mut self.stack;
        if let Some((h, style)) = self.inline_label {
            let ends = match &p.kind {
                ParaKind::ListItem { marker, .. } => {
                    let this = marker_style(marker);
                    match style {
                        None => {
                            self.inline_label = Some((h, Some(this)));
                            false
                        }
                        Some(st) => st != this,
                    }
                }
                ParaKind::Heading { .. } => false,
                _ => style.is_some(),
            };
            if ends {
                while stack.last().is_some_and(|o| o.block >= h) {
                    stack.pop();
                }
                self.inline_label = None;
            }
        }
        let heading_like = match &p.kind {
            ParaKind::Heading { .. } => true,
            ParaKind::Text => looks_like_heading(&p.text),
            _ => false,
        };
        if !heading_like && is_greeting(&p.text) {
            self.closing = true;
        }
        if !heading_like {
            let kind = match p.kind {
                ParaKind::ListItem { marker, indent } => BlockKind::ListItem {
                    marker,
                    depth: indent,
                },
                ParaKind::TableRow { cells } => BlockKind::TableRow { cells },
                _ => BlockKind::Paragraph,
            };
            return Block {
                kind,
                text: p.text,
                page: p.page,
                line: p.line,
                trail: stack.iter().map(|o| o.block).collect(),
                closing: self.closing,
            };
        }
        // A label line, or a bold lead-in line that layout made a heading ("Nye
        // tildelinger:", "Direktoratet skal:"), covers only the list after it.
        let inline = (matches!(p.kind, ParaKind::Text) && is_label_line(&p.text))
            || (p.kind == ParaKind::Heading { weight: 6 } && p.text.ends_with(':'));
        let text = p.text;
        let in_entry = stack.iter().any(|o| o.entry);
        let base = base_rank(stack);
        let entry_rank = stack.iter().rev().find(|o| o.entry).map(|o| o.rank);
        let (rank, number, entry) = if !self.title_seen && TITLE.is_match(&text) {
            self.title_seen = true;
            (0u8, None, false)
        } else if let Some(n) = numbered(&text) {
            let n = n.to_string();
            let depth = n.split('.').count() as u8;
            let top: Option<u32> = if depth == 1 { n.parse().ok() } else { None };
            match (in_entry, top) {
                (true, Some(t)) => {
                    let is_inner = self.inner_last.map_or(t == 1, |l| t == l + 1);
                    let is_outer = self.outer_last.is_some_and(|l| t == l + 1);
                    if is_inner || !is_outer {
                        self.inner_last = Some(t);
                        (entry_rank.unwrap_or(base) + 1, Some(n), false)
                    } else {
                        self.outer_last = Some(t);
                        self.inner_last = None;
                        (1, Some(n), false)
                    }
                }
                // "3.2" can only be the letter's own numbering: it closes the entry (and
                // any entry open around it), whatever its depth.
                (true, None) => {
                    self.inner_last = None;
                    if let Some(at) = stack.iter().position(|o| o.entry) {
                        stack.truncate(at);
                    }
                    (depth, Some(n), false)
                }
                (false, t) => {
                    if t.is_some() {
                        self.outer_last = t;
                    }
                    (depth, Some(n), false)
                }
            }
        } else if let Some(c) = CHAPTER.captures(&text) {
            let n = c["n"].to_string();
            if let Ok(t) = n.parse::<u32>() {
                self.outer_last = Some(t);
            }
            (1, Some(n), false)
        } else if is_entry(&text) {
            self.inner_last = None;
            // An entry is a sibling of the entry open before it: its rank comes from the
            // headings outside entries, so that a numbered sub-heading inside the last
            // oppdrag ("3. Gjennomføring av alminnelig høring") does not push it, and every
            // oppdrag after it, into that oppdrag.
            let outside = stack.iter().position(|o| o.entry).unwrap_or(stack.len());
            (base_rank(&stack[..outside]) + 2, None, true)
        } else if in_entry && (!is_label_line(&text) || is_deadline_label(&text)) {
            // A sub-heading inside an oppdrag ("Beskrivelse av oppdraget:", "Frist:"). A
            // category label ("Rapportering:") may open the letter's next part, but a
            // deadline label only speaks of the oppdrag it is in.
            (entry_rank.unwrap_or(base) + 1, None, false)
        } else {
            (base + 1, None, false)
        };
        while stack.last().is_some_and(|o| o.rank >= rank) {
            stack.pop();
        }
        // Appendices follow the signature but are part of the letter. (Only a chapter
        // that opens with "v" can be one.)
        if text.starts_with(['v', 'V'])
            && CHAPTER
                .captures(&text)
                .is_some_and(|c| c[1].to_lowercase().starts_with("vedlegg"))
        {
            self.closing = false;
        }
        if is_greeting(&text) {
            self.closing = true;
        }
        let trail = stack.iter().map(|o| o.block).collect();
        stack.push(Open {
            rank,
            block: i,
            entry,
            numbered: number.is_some(),
        });
        self.inline_label = inline.then_some((i, None));
        Block {
            kind: BlockKind::Heading {
                rank,
                number,
                entry,
            },
            text,
            page: p.page,
            line: p.line,
            trail,
            closing: self.closing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(kind: ParaKind, text: &str) -> Para {
        Para {
            kind,
            text: text.into(),
            page: 1,
            line: 1,
        }
    }

    fn h(text: &str) -> Para {
        para(ParaKind::Heading { weight: 2 }, text)
    }

    #[test]
    fn trail_follows_numbering_not_markup() {
        let doc = segment(vec![
            h("Tildelingsbrev 2026 – Direktoratet"),
            h("3 Mål og oppdrag"),
            h("3.1 Hovedmål 1: Flere i arbeid"),
            h("Styringsparametere"),
            para(
                ParaKind::ListItem {
                    marker: "•".into(),
                    indent: 0,
                },
                "Andel som går til arbeid",
            ),
            h("Nøkkeltall"),
            h("3.2 Hovedmål 2"),
        ]);
        assert_eq!(
            doc.trail_text(4),
            "Tildelingsbrev 2026 – Direktoratet > 3 Mål og oppdrag > 3.1 Hovedmål 1: Flere i arbeid > Styringsparametere"
        );
        assert_eq!(
            doc.trail_text(5),
            "Tildelingsbrev 2026 – Direktoratet > 3 Mål og oppdrag > 3.1 Hovedmål 1: Flere i arbeid"
        );
        assert_eq!(
            doc.trail_text(6),
            "Tildelingsbrev 2026 – Direktoratet > 3 Mål og oppdrag"
        );
    }

    #[test]
    fn numbered_sub_headings_inside_an_oppdrag_stay_inside() {
        let doc = segment(vec![
            h("Oppdragsdokument 2026"),
            h("1. Digital samhandling"),
            h("Oppdrag:"),
            h("TB2026-83 Ventetidsarbeid"),
            h("1. Ny indikator"),
            h("2. Flere indikatorer"),
            h("2. Forvaltning og drift"),
        ]);
        assert!(doc.trail_text(5).ends_with("TB2026-83 Ventetidsarbeid"));
        // "2." again cannot continue the inner list (1, 2 seen), so it is chapter 2.
        assert_eq!(doc.trail_text(6), "Oppdragsdokument 2026");
    }

    /// The oppdrag after one that ends in a numbered sub-heading is its sibling, not
    /// inside it; a "Frist:" label stays in its oppdrag.
    #[test]
    fn an_oppdrag_after_a_numbered_sub_heading_is_a_sibling() {
        let doc = segment(vec![
            h("Supplerende tildelingsbrev nr. 4"),
            h("Nye oppdrag:"),
            h("TB2026-78 Revisjon av forskriften"),
            h("2. Utarbeide utkast til veileder"),
            h("3. Gjennomføring av alminnelig høring"),
            para(ParaKind::Text, "Departementet ber om alminnelig høring."),
            h("TB2026-79 Påminnelse etterkontroll etter fødsel"),
            h("Frist:"),
            para(ParaKind::Text, "Frist: 01.10.2026."),
            h("TB2026-80 Kunnskapsstøtte"),
        ]);
        assert!(doc.trail_text(5).contains("TB2026-78"));
        assert_eq!(doc.trail_text(6), doc.trail_text(2));
        assert!(doc
            .trail_text(7)
            .ends_with("TB2026-79 Påminnelse etterkontroll etter fødsel"));
        assert!(doc.trail_text(8).contains("TB2026-79"));
        assert_eq!(doc.trail_text(9), doc.trail_text(2));
    }

    /// A heading the letter numbers itself ("3.1.2") closes the oppdrag before it, also
    /// when it is deeper than that oppdrag, and the next oppdrag falls under it.
    #[test]
    fn a_deep_numbered_heading_closes_the_oppdrag_before_it() {
        let doc = segment(vec![
            h("Tildelingsbrev 2026"),
            h("TB2026-10 Første oppdrag"),
            para(ParaKind::Text, "Direktoratet skal utrede ordningen."),
            h("3.1.2 Oppdrag innen psykisk helse"),
            h("TB2026-11 Andre oppdrag"),
            para(ParaKind::Text, "Direktoratet skal kartlegge tilbudet."),
        ]);
        assert_eq!(doc.trail_text(3), "Tildelingsbrev 2026");
        assert_eq!(
            doc.trail_text(4),
            "Tildelingsbrev 2026 > 3.1.2 Oppdrag innen psykisk helse"
        );
        assert!(doc.trail_text(5).ends_with("TB2026-11 Andre oppdrag"));
    }

    #[test]
    fn an_inline_label_covers_only_the_list_after_it() {
        let li = |m: &str, t: &str| {
            para(
                ParaKind::ListItem {
                    marker: m.into(),
                    indent: 0,
                },
                t,
            )
        };
        let doc = segment(vec![
            h("Tildelingsbrev 2024"),
            h("3.1 Hovudmål 1: Norsk språk"),
            li("a)", "Utvikling av fagspråk"),
            para(ParaKind::Text, "Resultatkrav:"),
            li("1.", "Minst 2 000 nye termar"),
            li("b)", "Tilgang til språkressursar"),
        ]);
        assert!(doc.trail_text(4).ends_with("Resultatkrav:"));
        assert!(doc.trail_text(5).ends_with("3.1 Hovudmål 1: Norsk språk"));
    }

    /// Lines to hold the hand-read patterns against their regexes: edge cases, and every
    /// line of the sample letters.
    fn probe_lines() -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let heads = [
            "1",
            "12",
            "123",
            "1.",
            "12.",
            "1.2",
            "1.23",
            "1.234",
            "12.34.5",
            "1.2.3.4",
            "1.2.3.4.5",
            "1..2",
            "1.2.",
            "3.1.",
            "2026",
            "0",
            "1\u{663}",
            "\u{663}",
            "1.\u{663}",
            "¹",
            "½",
            "1.2.3.",
            "99.99.99.99",
        ];
        let tails = [
            "",
            " ",
            ".",
            ". ",
            " x",
            "  x",
            ". x",
            ".. x",
            " \u{a0}Å",
            "\u{2003}y",
            "x",
            "\tz",
            " .",
            "  ",
            ",1 a",
        ];
        for h in heads {
            for t in tails {
                lines.push(format!("{h}{t}"));
            }
        }
        for letter in crate::sample_corpus::markdown_letters() {
            lines.extend(letter.lines().map(|l| l.to_string()));
            lines.extend(
                letter
                    .lines()
                    .map(|l| l.trim_start_matches(['#', ' ', '-']).to_string()),
            );
        }
        lines
    }

    #[test]
    fn numbered_reads_what_the_regex_captures() {
        for l in probe_lines() {
            let want = NUMBERED.captures(&l).map(|c| c["n"].to_string());
            assert_eq!(numbered(&l).map(str::to_string), want, "{l:?}");
        }
    }

    #[test]
    fn prefilters_keep_every_match() {
        let mut lines = probe_lines();
        for w in [
            "frist:",
            "FRIST",
            "ſtyringsparametere",
            "Mål :",
            "KAPITTEL 2",
            "\u{212A}apittel 3",
            "Med vennlig hilsen",
            "vennlig hilsen",
            "TB2026-1",
            "id: 2026-01",
            "kap. 701, post 21",
        ] {
            lines.push(w.to_string());
        }
        for l in lines {
            assert_eq!(is_label_line(&l), LABEL_LINE.is_match(l.trim()), "{l:?}");
            assert_eq!(is_entry(&l), ENTRY.is_match(&l), "{l:?}");
            assert_eq!(is_chapter(&l), CHAPTER.is_match(&l), "{l:?}");
            assert_eq!(is_greeting(&l), GREETING.is_match(&l), "{l:?}");
        }
    }

    #[test]
    fn plain_text_headings_are_recognised() {
        assert!(looks_like_heading("3.1 Styringsparametere"));
        assert!(looks_like_heading("Kapittel 4 Rapportering"));
        assert!(looks_like_heading("Nøkkeltall"));
        assert!(!looks_like_heading("12 prosent av brukerne fikk svar."));
    }
}
