//! Metadata: kind, issuer, recipient, the year the letter governs, date, bokmål/nynorsk.
//!
//! The text decides first; the path convention `corpus/<series>/<year>-<kind>[-<n>].<ext>`
//! fills in what the text does not say. A letter dated 18.12.2025 governs 2026, so the
//! governed year comes from the title ("Tildelingsbrev 2026") before the date.

use crate::segment::{BlockKind, Document};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::LazyLock;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default, Hash,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Tildelingsbrev,
    Supplerende,
    Oppdragsdokument,
    MdBrev,
    Instruks,
    #[default]
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Tildelingsbrev => "tildelingsbrev",
            Kind::Supplerende => "supplerende",
            Kind::Oppdragsdokument => "oppdragsdokument",
            Kind::MdBrev => "md-brev",
            Kind::Instruks => "instruks",
            Kind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Meta {
    pub kind: Kind,
    pub number: Option<u32>,
    pub issuer: Option<String>,
    pub recipient: Option<String>,
    pub year: Option<i32>,
    pub language: String,
    pub date: Option<String>,
}

static KIND_WORDS: LazyLock<Vec<(Regex, Kind)>> = LazyLock::new(|| {
    [
        (
            r"(?i)supplerende|tillegg\s*(nr\.?\s*\d+\s*)?til|tilleggsbrev|tillegg\s+nr",
            Kind::Supplerende,
        ),
        (r"(?i)mål-\s*og\s*disponeringsbrev|\bmd-brev", Kind::MdBrev),
        (r"(?i)oppdragsdokument", Kind::Oppdragsdokument),
        (r"(?i)tildelingsbrev", Kind::Tildelingsbrev),
        (r"(?i)instruks", Kind::Instruks),
    ]
    .into_iter()
    .map(|(p, k)| (Regex::new(p).expect("valid regex"), k))
    .collect()
});

static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bnr\.?\s*(\d{1,2})\b").expect("valid regex"));
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(20[0-4]\d)\b").expect("valid regex"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})\.\s*(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\s+(20\d\d)\b|\b(\d{1,2})\.(\d{1,2})\.(20\d\d)\b")
        .expect("valid regex")
});
static DATE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bdato:?\s").expect("valid regex"));
static ORG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:[A-ZÆØÅ][a-zæøå]+-\s+og\s+[a-zæøå]*|[A-ZÆØÅ][a-zæøå]+-,\s+[a-zæøå]+-\s+og\s+[a-zæøå]*|[A-ZÆØÅ][a-zæøå]*)(?:departementet|direktoratet))\b")
        .expect("valid regex")
});
static RECIPIENT_IN_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\s[–-]\s|\bfor\s+(?:20\d\d\s+)?(?:til\s+)?|\btil\s+|\bnr\.?\s*\d+\s+(?:for\s+20\d\d\s+)?(?:[–-]\s+)?)(?P<r>[A-ZÆØÅ][\wæøåÆØÅ.\- ]+?)(?:\s+for\s+20\d\d|\s+20\d\d)?$")
        .expect("valid regex")
});

pub const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

/// Find the metadata of a segmented document.
pub fn detect(doc: &Document, path: &Path) -> Meta {
    let mut reader = MetaReader::default();
    for b in &doc.blocks {
        reader.push(b);
    }
    reader.finish(path)
}

/// Blocks of the head of a letter that metadata is read from (date, recipient).
const HEAD_BLOCKS: usize = 60;
/// Blocks the written standard (bokmål, nynorsk) is told from.
const LANGUAGE_BLOCKS: usize = 400;
/// Head blocks the issuer is looked for in before the text is searched for the ministry
/// that speaks.
const ISSUER_BLOCKS: usize = 8;

/// [`detect`] one block at a time, in document order. It keeps what metadata is read
/// from (the title, the head's texts, the language counts, the first ministry named) and
/// never the blocks, so that a large text streamed in pieces (`crate::stream`) needs only
/// to read on until [`MetaReader::settled`], and gets the metadata of the whole document.
#[derive(Debug, Default)]
pub struct MetaReader {
    blocks: usize,
    /// The rank-0 heading (segment makes at most one).
    title: Option<String>,
    /// The texts of the first `HEAD_BLOCKS` blocks.
    head: Vec<String>,
    /// Marker words counted over the first `LANGUAGE_BLOCKS` blocks: (nynorsk, bokmål).
    language: (usize, usize),
    /// The issuer standing alone on a line of the first `ISSUER_BLOCKS` blocks, once
    /// those are read.
    head_issuer: Option<Option<String>>,
    /// The first ministry that opens a sentence, and the first one named.
    speaking: Option<String>,
    first_named: Option<String>,
}

impl MetaReader {
    pub fn push(&mut self, b: &crate::segment::Block) {
        if self.title.is_none() && matches!(b.kind, BlockKind::Heading { rank: 0, .. }) {
            self.title = Some(b.text.clone());
        }
        if self.blocks < HEAD_BLOCKS {
            self.head.push(b.text.clone());
        }
        if self.blocks < LANGUAGE_BLOCKS {
            let (nn, nb) = language_counts(&b.text);
            self.language.0 += nn;
            self.language.1 += nb;
        }
        if self.speaking.is_none() && !self.issuer_in_head() {
            speaking_ministry(&b.text, &mut self.speaking, &mut self.first_named);
        }
        self.blocks += 1;
        if self.blocks == ISSUER_BLOCKS {
            self.head_issuer = Some(self.find_head_issuer());
        }
    }

    /// The issuer stands alone on a line of the head (known once those blocks are read).
    fn issuer_in_head(&self) -> bool {
        matches!(self.head_issuer, Some(Some(_)))
    }

    fn find_head_issuer(&self) -> Option<String> {
        self.head
            .iter()
            .take(ISSUER_BLOCKS)
            .find(|t| {
                ORG.find(t)
                    .is_some_and(|m| m.start() == 0 && m.end() == t.trim_end().len())
            })
            .map(|t| t.trim().to_string())
    }

    /// Whether more blocks can no longer change the metadata: the title is found, the
    /// head and language blocks are read, and the issuer is known.
    pub fn settled(&self) -> bool {
        self.title.is_some()
            && self.blocks >= LANGUAGE_BLOCKS.max(HEAD_BLOCKS)
            && (self.issuer_in_head() || self.speaking.is_some())
    }

    /// The metadata of the blocks pushed; `path` fills in what the text does not say.
    pub fn finish(self, path: &Path) -> Meta {
        let title = self.title.as_deref();
        let head: Vec<&str> = self.head.iter().map(String::as_str).collect();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();

        let kind_of = |s: &str| {
            KIND_WORDS
                .iter()
                .find(|(re, _)| re.is_match(s))
                .map(|(_, k)| *k)
        };
        let kind = title
            .and_then(kind_of)
            .or_else(|| head.iter().find_map(|t| kind_of(t)))
            .or_else(|| kind_of(&stem.replace(['-', '_'], " ")))
            .unwrap_or(Kind::Other);

        let number = if kind == Kind::Supplerende {
            title
                .and_then(|t| NUMBER.captures(t))
                .and_then(|c| c[1].parse().ok())
                .or_else(|| {
                    stem.rsplit('-')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|&n: &u32| n < 100)
                })
        } else {
            None
        };

        let date = head
            .iter()
            .filter(|t| DATE_LINE.is_match(t))
            .chain(head.iter())
            .find_map(|t| parse_date(t));

        let title_year = title
            .and_then(|t| YEAR.captures(t))
            .and_then(|c| c[1].parse::<i32>().ok());
        let path_year = stem
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .filter(|y| (2000..2100).contains(y));
        let date_year = date.as_deref().and_then(|d| {
            let y: i32 = d.get(..4)?.parse().ok()?;
            let m: u32 = d.get(5..7)?.parse().ok()?;
            // Annual letters are written in the autumn before the year they govern.
            let annual = matches!(
                kind,
                Kind::Tildelingsbrev | Kind::Oppdragsdokument | Kind::MdBrev
            );
            Some(if annual && m >= 10 { y + 1 } else { y })
        });
        let year = title_year.or(path_year).or(date_year);

        // The ministry that speaks in the letter: the first one that opens a sentence
        // ("Helse- og omsorgsdepartementet viser til ..."), else the first one named.
        let issuer = self
            .head_issuer
            .clone()
            .unwrap_or_else(|| self.find_head_issuer())
            .or(self.speaking.clone())
            .or(self.first_named.clone());

        let recipient = title
            .and_then(|t| RECIPIENT_IN_TITLE.captures(t))
            .map(|c| c["r"].trim().to_string())
            .or_else(|| {
                head.iter().find_map(|t| {
                    t.find(" Postboks ")
                        .map(|i| t[..i].trim().to_string())
                        .filter(|s| !s.is_empty())
                })
            });

        let (nn, nb) = self.language;
        Meta {
            kind,
            number,
            issuer,
            recipient,
            year,
            language: if nn > nb { "nn" } else { "nb" }.to_string(),
            date,
        }
    }
}

/// "16. april 2026" or "16.04.2026" as ISO 8601.
pub fn parse_date(s: &str) -> Option<String> {
    let c = DATE.captures(s)?;
    let (d, m, y) = if let Some(d) = c.get(1) {
        let month = MONTHS.iter().position(|&m| m.eq_ignore_ascii_case(&c[2]))? + 1;
        (d.as_str().parse::<u32>().ok()?, month as u32, &c[3])
    } else {
        (c[4].parse().ok()?, c[5].parse().ok()?, &c[6])
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(format!("{y}-{m:02}-{d:02}"))
}

/// Read one block's text for the ministry that speaks: the first one that opens a
/// sentence goes to `speaking`, the first one named to `first_named`.
fn speaking_ministry(text: &str, speaking: &mut Option<String>, first_named: &mut Option<String>) {
    for m in ORG.find_iter(text) {
        if !m.as_str().ends_with("departementet") {
            continue;
        }
        let before = text[..m.start()].trim_end();
        if before.is_empty() || before.ends_with(['.', ':']) {
            *speaking = Some(m.as_str().to_string());
            return;
        }
        first_named.get_or_insert_with(|| m.as_str().to_string());
    }
}

/// Words that only one of the two written standards uses.
const NYNORSK: [&str; 16] = [
    "ikkje",
    "eit",
    "vere",
    "korleis",
    "frå",
    "verksemda",
    "verksemd",
    "dei",
    "berre",
    "kva",
    "skal vere",
    "òg",
    "ein",
    "desse",
    "også",
    "mellom",
];
const BOKMAAL: [&str; 14] = [
    "ikke",
    "et",
    "være",
    "hvordan",
    "fra",
    "virksomheten",
    "virksomhet",
    "de",
    "bare",
    "hva",
    "disse",
    "også",
    "en",
    "noen",
];

/// The nynorsk and the bokmål marker words in one text.
fn language_counts(text: &str) -> (usize, usize) {
    let (mut nn, mut nb) = (0usize, 0usize);
    // Each word lower-cased character by character into one buffer: the same as
    // `to_lowercase` for comparing with these words (none holds a sigma), without an
    // allocation per word. Lower case has at least as many characters, so a word longer
    // than the longest listed is none of them.
    let longest = NYNORSK
        .iter()
        .chain(&BOKMAAL)
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    let mut w = String::new();
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.chars().nth(longest).is_some() {
            continue;
        }
        w.clear();
        if word.is_ascii() {
            w.push_str(word);
            w.make_ascii_lowercase();
        } else {
            w.extend(word.chars().flat_map(char::to_lowercase));
        }
        if NYNORSK.contains(&w.as_str()) && w != "også" && w != "mellom" {
            nn += 1;
        }
        if BOKMAAL.contains(&w.as_str()) && w != "også" {
            nb += 1;
        }
    }
    (nn, nb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("Dato 16. april 2026"), Some("2026-04-16".into()));
        assert_eq!(parse_date("Oslo, 18.12.2025"), Some("2025-12-18".into()));
        assert_eq!(parse_date("ingen dato"), None);
    }
}
