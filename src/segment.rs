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
            .map(|b| b.text.split_whitespace().count())
            .sum()
    }
}

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+\S").expect("valid regex")
});
static CHAPTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(kapittel|kapitel|del|vedlegg|vedlegg nr\.?)\s+(?P<n>\d{1,2}|[ivx]{1,5})\b")
        .expect("valid regex")
});
/// Headings that open one entry: an oppdrag with an ID, or one kap./post allocation.
static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(id:\s*)?(oppdrag\s+)?(t?tb\s?\d{4}\s?[-–]\s?\d{1,3}|[a-zæøå]{1,4}\s?\d{4}\s?[-–]\s?\d{1,3}|\d{4}\s?[-–]\s?\d{1,3}\b|oppdrag\s+(nr\.?\s*)?\d{1,3}(/\d{4})?\b|kap\.\s*\d{3,4}(,|\s)\s*post\s*\d{2})")
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
    ENTRY.is_match(text) && !text.to_lowercase().starts_with("kap")
}

/// Text that reads as a numbered or entry heading ("3.1 Styringsparametere",
/// "TB2026-17 Tittel"), used by layout to end a paragraph after such a line.
pub fn heading_like(text: &str) -> bool {
    looks_like_heading(&Para {
        kind: ParaKind::Text,
        text: text.to_string(),
        page: 0,
        line: 0,
    })
}

/// A short paragraph that reads like a heading in text without markup: a numbered title
/// ("3.1 Styringsparametere"), a chapter ("Kapittel 3", "DEL II"), or a lone label line.
fn looks_like_heading(p: &Para) -> bool {
    let words = p.text.split_whitespace().count();
    if words > 16 || p.text.ends_with('.') || p.text.ends_with(',') {
        return false;
    }
    if let Some(c) = NUMBERED.captures(&p.text) {
        let rest = &p.text[c["n"].len()..].trim_start_matches('.').trim_start();
        return rest.chars().next().is_some_and(|c| c.is_uppercase()) && words <= 14;
    }
    if (CHAPTER.is_match(&p.text) || ENTRY.is_match(&p.text)) && words <= 14 {
        return true;
    }
    words <= 6 && is_label_line(&p.text)
}

static LABEL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(styringsparamet(?:er|ere|re|rar)|nøkkeltall|nøkkeltal|resultatkrav|resultatmål|oppdrag|nye oppdrag|fellesføringer|fellesføringar|styringsprinsipper|styringsprinsipp|fullmakter|rapportering|mål|hovudmål|hovedmål|delmål|frist)\s*:?$")
        .expect("valid regex")
});

/// A line that is only a category label ("Resultatkrav:", "Styringsparametere").
pub fn is_label_line(text: &str) -> bool {
    LABEL_LINE.is_match(text.trim())
}

/// Run the segment stage.
pub fn segment(paras: Vec<Para>) -> Document {
    let mut seg = Segmenter::default();
    Document {
        blocks: paras.into_iter().map(|p| seg.push(p)).collect(),
    }
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
            ParaKind::Text => looks_like_heading(&p),
            _ => false,
        };
        if !heading_like && GREETING.is_match(&p.text) {
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
        // Unnumbered headings hang under the nearest numbered heading (or the title).
        let base = stack
            .iter()
            .rev()
            .find(|o| o.rank == 0 || o.numbered)
            .map_or(0, |o| o.rank);
        let entry_rank = stack.iter().rev().find(|o| o.entry).map(|o| o.rank);
        let (rank, number, entry) = if !self.title_seen && TITLE.is_match(&text) {
            self.title_seen = true;
            (0u8, None, false)
        } else if let Some(c) = NUMBERED.captures(&text) {
            let n = c["n"].to_string();
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
                // "3.2" can only be the letter's own numbering: it closes the entry.
                (true, None) => {
                    self.inner_last = None;
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
        } else if ENTRY.is_match(&text) {
            self.inner_last = None;
            (base + 2, None, true)
        } else if in_entry && !is_label_line(&text) {
            // A sub-heading inside an oppdrag ("Beskrivelse av oppdraget:", "Frist:").
            (entry_rank.unwrap_or(base) + 1, None, false)
        } else {
            (base + 1, None, false)
        };
        while stack.last().is_some_and(|o| o.rank >= rank) {
            stack.pop();
        }
        // Appendices follow the signature but are part of the letter.
        if CHAPTER
            .captures(&text)
            .is_some_and(|c| c[1].to_lowercase().starts_with("vedlegg"))
        {
            self.closing = false;
        }
        if GREETING.is_match(&text) {
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

    #[test]
    fn plain_text_headings_are_recognised() {
        assert!(looks_like_heading(&para(
            ParaKind::Text,
            "3.1 Styringsparametere"
        )));
        assert!(looks_like_heading(&para(
            ParaKind::Text,
            "Kapittel 4 Rapportering"
        )));
        assert!(looks_like_heading(&para(ParaKind::Text, "Nøkkeltall")));
        assert!(!looks_like_heading(&para(
            ParaKind::Text,
            "12 prosent av brukerne fikk svar."
        )));
    }
}
