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
    let mut blocks: Vec<Block> = Vec::with_capacity(paras.len());
    // Stack of (rank, block index) for the open headings.
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut title_seen = false;
    let mut closing = false;
    // Numbering of top-level chapters seen outside entries, and inside the current entry.
    let mut outer_last: Option<u32> = None;
    let mut inner_last: Option<u32> = None;
    // A label written as a plain line ("Resultatkrav:") covers only the list right after
    // it: (its block index, the marker style of that list once seen).
    let mut inline_label: Option<(usize, Option<char>)> = None;
    for (i, p) in paras.into_iter().enumerate() {
        if let Some((h, style)) = inline_label {
            let ends = match &p.kind {
                ParaKind::ListItem { marker, .. } => {
                    let this = marker_style(marker);
                    match style {
                        None => {
                            inline_label = Some((h, Some(this)));
                            false
                        }
                        Some(st) => st != this,
                    }
                }
                ParaKind::Heading { .. } => false,
                _ => style.is_some(),
            };
            if ends {
                while stack.last().is_some_and(|&(_, b)| b >= h) {
                    stack.pop();
                }
                inline_label = None;
            }
        }
        let heading_like = match &p.kind {
            ParaKind::Heading { .. } => true,
            ParaKind::Text => looks_like_heading(&p),
            _ => false,
        };
        if !heading_like && GREETING.is_match(&p.text) {
            closing = true;
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
            blocks.push(Block {
                kind,
                text: p.text,
                page: p.page,
                line: p.line,
                trail: stack.iter().map(|&(_, h)| h).collect(),
                closing,
            });
            continue;
        }
        // A label line, or a bold lead-in line that layout made a heading ("Nye
        // tildelinger:", "Direktoratet skal:"), covers only the list after it.
        let inline = (matches!(p.kind, ParaKind::Text) && is_label_line(&p.text))
            || (p.kind == ParaKind::Heading { weight: 6 } && p.text.ends_with(':'));
        let text = p.text;
        let in_entry = stack
            .iter()
            .any(|&(_, h)| matches!(blocks[h].kind, BlockKind::Heading { entry: true, .. }));
        // Unnumbered headings hang under the nearest numbered heading (or the title).
        let base = stack
            .iter()
            .rev()
            .find(|&&(r, h)| {
                r == 0
                    || matches!(
                        &blocks[h].kind,
                        BlockKind::Heading {
                            number: Some(_),
                            ..
                        }
                    )
            })
            .map_or(0, |&(r, _)| r);
        let entry_rank = stack
            .iter()
            .rev()
            .find(|&&(_, h)| matches!(blocks[h].kind, BlockKind::Heading { entry: true, .. }))
            .map(|&(r, _)| r);
        let (rank, number, entry) = if !title_seen && TITLE.is_match(&text) {
            title_seen = true;
            (0u8, None, false)
        } else if let Some(c) = NUMBERED.captures(&text) {
            let n = c["n"].to_string();
            let depth = n.split('.').count() as u8;
            let top: Option<u32> = if depth == 1 { n.parse().ok() } else { None };
            match (in_entry, top) {
                (true, Some(t)) => {
                    let is_inner = inner_last.map_or(t == 1, |l| t == l + 1);
                    let is_outer = outer_last.is_some_and(|l| t == l + 1);
                    if is_inner || !is_outer {
                        inner_last = Some(t);
                        (entry_rank.unwrap_or(base) + 1, Some(n), false)
                    } else {
                        outer_last = Some(t);
                        inner_last = None;
                        (1, Some(n), false)
                    }
                }
                // "3.2" can only be the letter's own numbering: it closes the entry.
                (true, None) => {
                    inner_last = None;
                    (depth, Some(n), false)
                }
                (false, t) => {
                    if t.is_some() {
                        outer_last = t;
                    }
                    (depth, Some(n), false)
                }
            }
        } else if let Some(c) = CHAPTER.captures(&text) {
            let n = c["n"].to_string();
            if let Ok(t) = n.parse::<u32>() {
                outer_last = Some(t);
            }
            (1, Some(n), false)
        } else if ENTRY.is_match(&text) {
            inner_last = None;
            (base + 2, None, true)
        } else if in_entry && !is_label_line(&text) {
            // A sub-heading inside an oppdrag ("Beskrivelse av oppdraget:", "Frist:").
            (entry_rank.unwrap_or(base) + 1, None, false)
        } else {
            (base + 1, None, false)
        };
        while stack.last().is_some_and(|&(r, _)| r >= rank) {
            stack.pop();
        }
        // Appendices follow the signature but are part of the letter.
        if CHAPTER
            .captures(&text)
            .is_some_and(|c| c[1].to_lowercase().starts_with("vedlegg"))
        {
            closing = false;
        }
        if GREETING.is_match(&text) {
            closing = true;
        }
        blocks.push(Block {
            kind: BlockKind::Heading {
                rank,
                number,
                entry,
            },
            text,
            page: p.page,
            line: p.line,
            trail: stack.iter().map(|&(_, h)| h).collect(),
            closing,
        });
        stack.push((rank, i));
        inline_label = inline.then_some((i, None));
    }
    Document { blocks }
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
