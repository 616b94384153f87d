//! Metadata: kind, issuer, recipient, the year the letter governs, date, bokmål/nynorsk.
//!
//! The text decides first; the path convention `corpus/<series>/<year>-<kind>[-<n>].<ext>`
//! fills in what the text does not say. A letter dated 18.12.2025 governs 2026, so the
//! governed year comes from the title ("Tildelingsbrev 2026") before the date.

use crate::bytescan;
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
            r"(?i)supplerende|tillegg\s*(nr\.?\s*[0-9]+\s*)?til|tilleggsbrev|tillegg\s+nr",
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
    LazyLock::new(|| Regex::new(r"(?i)\bnr\.?\s*([0-9]{1,2})\b").expect("valid regex"));
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(20[0-4][0-9])\b").expect("valid regex"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([0-9]{1,2})\.\s*(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\s+(20[0-9][0-9])\b|\b([0-9]{1,2})\.([0-9]{1,2})\.(20[0-9][0-9])\b")
        .expect("valid regex")
});
static DATE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bdato:?\s").expect("valid regex"));
static ORG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:[A-ZÆØÅ][a-zæøå]+-\s+og\s+[a-zæøå]*|[A-ZÆØÅ][a-zæøå]+-,\s+[a-zæøå]+-\s+og\s+[a-zæøå]*|[A-ZÆØÅ][a-zæøå]*)(?:departementet|direktoratet))\b")
        .expect("valid regex")
});
static RECIPIENT_IN_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\s[–-]\s|\bfor\s+(?:20[0-9][0-9]\s+)?(?:til\s+)?|\btil\s+|\bnr\.?\s*[0-9]+\s+(?:for\s+20[0-9][0-9]\s+)?(?:[–-]\s+)?)(?P<r>[A-ZÆØÅ][\wæøåÆØÅ.\- ]+?)(?:\s+for\s+20[0-9][0-9]|\s+20[0-9][0-9])?$")
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
///
/// Read by bytes, as this runs over the first [`LANGUAGE_BLOCKS`] blocks (most letters
/// whole): a word is a run of alphabetic characters. Where eight bytes hold only ASCII and
/// Latin-1 letters ([`latin1_letters`]) they are read at once ([`MarkerCounts::chunk`]);
/// elsewhere one character at a time ([`MarkerCounts::character`]). A word of ASCII and
/// Latin-1 letters only (nearly all) is lower-cased, as `to_lowercase` would, into a
/// number ([`MarkerTable::lower_key`]) that is looked up; any other word goes to
/// [`language_counts_of_word`].
fn language_counts(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let mut counts = MarkerCounts {
        text,
        table: &MARKER_TABLE,
        nn: 0,
        nb: 0,
    };
    // The word open where reading stands.
    let mut word: Option<OpenWord> = None;
    let mut i = 0;
    while i < b.len() {
        let x = bytescan::chunk_at(b, i);
        match x.and_then(|x| Some((x, latin1_letters(x)?))) {
            Some((x, letters)) => {
                word = counts.chunk(i, x, letters, word);
                i += 8;
            }
            None => i += counts.character(i, &mut word),
        }
    }
    if let Some(word) = word {
        counts.count(word.start, b.len(), word.look);
    }
    (counts.nn, counts.nb)
}

/// The reading of one text for marker words ([`language_counts`]).
struct MarkerCounts<'a> {
    text: &'a str,
    table: &'a MarkerTable,
    nn: usize,
    nb: usize,
}

/// A word whose end is not yet read ([`language_counts`]).
#[derive(Clone, Copy)]
struct OpenWord {
    start: usize,
    look: Look,
}

/// What a word takes to be counted once its end is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Look {
    /// Nothing: it is of ASCII and Latin-1 letters and begins as no marker does
    /// ([`MarkerTable::may_start`]).
    No,
    /// [`MarkerCounts::count_latin1`]: it is of ASCII and Latin-1 letters.
    Latin1,
    /// [`language_counts_of_word`]: it holds a letter outside Latin-1.
    Other,
}

impl MarkerCounts<'_> {
    /// Read the eight bytes `x` from `i`, ASCII and Latin-1 letters whole (`letters`: 0x80
    /// in each byte of a letter), with `word` open before them; the word open after them.
    /// Only a word that begins as a marker can ([`MarkerTable::may_start`]) has its end
    /// found and is counted, so most words cost a table look-up at their start; the word
    /// open at the end of the eight bytes is kept whatever it begins with (a letter
    /// outside Latin-1 may follow).
    fn chunk(
        &mut self,
        i: usize,
        x: u64,
        letters: u64,
        word: Option<OpenWord>,
    ) -> Option<OpenWord> {
        use bytescan::HIGH;
        let before = (letters << 8) | if word.is_some() { 0x80 } else { 0 };
        // 0x80 in each byte that ends a word (the first byte after it), and in each that
        // starts one.
        let ends = !letters & before & HIGH;
        let starts = letters & !before;
        let byte = |bit: u32| i + (bit / 8) as usize;
        // Each byte's next one (the first after `x` read from the text).
        let next = self.text.as_bytes().get(i + 8).copied().unwrap_or(0);
        let x_next = (x >> 8) | (next as u64) << 56;
        // Whether the word that starts at the byte with this bit (0x80) may be a marker.
        let may_start = |bit: u32| {
            let shift = bit - 7;
            self.table
                .may_start_with((x >> shift) as u8, (x_next >> shift) as u8)
        };
        if let Some(word) = word {
            if ends == 0 {
                return Some(word);
            }
            if word.look != Look::No {
                self.count(word.start, byte(ends.trailing_zeros()), word.look);
            }
        }
        let mut rest = starts;
        while rest != 0 {
            let bit = rest.trailing_zeros();
            if may_start(bit) {
                let after = ends & (!0u64 << bit);
                if after != 0 {
                    self.count_latin1(byte(bit), byte(after.trailing_zeros()));
                }
            }
            rest &= rest - 1;
        }
        if letters >> 63 == 0 {
            return None;
        }
        // The last word runs on past these bytes.
        let bit = 63 - starts.leading_zeros();
        Some(OpenWord {
            start: byte(bit),
            look: if may_start(bit) {
                Look::Latin1
            } else {
                Look::No
            },
        })
    }

    /// Read the character at byte `i`, with `word` open before it; the number of bytes
    /// read.
    fn character(&mut self, i: usize, word: &mut Option<OpenWord>) -> usize {
        let b = self.text.as_bytes();
        let c = b[i];
        let (letter, len, latin1) = if c < 0x80 {
            (c.is_ascii_alphabetic(), 1, true)
        } else if c == 0xC3 {
            // U+00C0..U+00FF are letters, except "×" and "÷".
            (!matches!(b.get(i + 1), Some(0x97 | 0xB7)), 2, true)
        } else {
            let ch = bytescan::char_at(self.text, i).unwrap_or(' ');
            (ch.is_alphabetic(), ch.len_utf8(), false)
        };
        if letter {
            let look = if latin1 { Look::Latin1 } else { Look::Other };
            match word {
                // A word opened in eight bytes read at once may have been turned away
                // (`Look::No`) as of ASCII and Latin-1 letters only: no longer so.
                Some(word) if !latin1 => word.look = Look::Other,
                Some(_) => {}
                None => *word = Some(OpenWord { start: i, look }),
            }
        } else if let Some(word) = word.take() {
            self.count(word.start, i, word.look);
        }
        len
    }

    /// Count the word `text[start..end]` as `look` says.
    fn count(&mut self, start: usize, end: usize, look: Look) {
        match look {
            Look::No => {}
            Look::Latin1 => self.count_latin1(start, end),
            Look::Other => {
                let (n, m) = language_counts_of_word(&self.text[start..end]);
                self.nn += n as usize;
                self.nb += m as usize;
            }
        }
    }

    /// Count the word `text[start..end]` of ASCII and Latin-1 letters.
    fn count_latin1(&mut self, start: usize, end: usize) {
        let b = self.text.as_bytes();
        if self.table.may_hold(b, start, end) {
            let (n, m) = self.table.get(MarkerTable::lower_key_at(b, start, end));
            self.nn += n as usize;
            self.nb += m as usize;
        }
    }
}

/// 0x80 in each byte of eight (read from a character's start) that belongs to a letter,
/// when all eight are ASCII or Latin-1 letters whole (lead byte 0xC3 and the byte after
/// it, neither "×" nor "÷"); `None` otherwise.
fn latin1_letters(x: u64) -> Option<u64> {
    use bytescan::{bytes_equal, HIGH, ONES};
    // ASCII letters: below 0x80, and in "a".."z" once bit 5 is set. (No sum crosses a
    // byte: each is at most 0x7F + 0x1F.)
    let t = (x | (ONES * 0x20)) & !HIGH;
    let from_a = t + ONES * (0x80 - 0x61);
    let past_z = t + ONES * (0x80 - 0x7B);
    let ascii = from_a & !past_z & !x & HIGH;
    if x & HIGH == 0 {
        return Some(ascii);
    }
    // A 0xC3 in the last byte leads a letter whose second byte is past these eight.
    let split = bytes_equal(x, 0xC3) >> 63 != 0;
    let other_lead = bytescan::leads_but_latin1(x);
    // "×" and "÷" (0xC3 0x97, 0xC3 0xB7): the bytes 0x97 and 0xB7 are those that are
    // 0xB7 once bit 5 is set.
    let times_or_divide = bytes_equal(x | (ONES * 0x20), 0xB7);
    if split || other_lead != 0 || times_or_divide != 0 {
        return None;
    }
    Some(ascii | (x & HIGH))
}

/// The marker words (less the ones both standards use), by the number whose bytes, lowest
/// first, are a word's lower-cased bytes: an open-addressed hash table, nearly always
/// answered by one slot.
struct MarkerTable {
    slots: Vec<(u128, bool, bool)>,
    /// The lengths in bytes (bit `n` for `n` bytes) of the marker words, by their first
    /// two bytes ([`MarkerTable::pair`]), and by their last two.
    heads: [u16; 1 << 10],
    tails: [u16; 1 << 10],
}

static MARKER_TABLE: LazyLock<MarkerTable> = LazyLock::new(MarkerTable::new);

impl MarkerTable {
    /// Bytes of the longest marker word ("virksomheten").
    const LONGEST: usize = 12;
    const SLOTS: usize = 256;

    fn new() -> MarkerTable {
        let mut t = MarkerTable {
            slots: vec![(0, false, false); Self::SLOTS],
            heads: [0; 1 << 10],
            tails: [0; 1 << 10],
        };
        let words = NYNORSK
            .iter()
            .filter(|w| !matches!(**w, "også" | "mellom"))
            .map(|w| (*w, true, false))
            .chain(
                BOKMAAL
                    .iter()
                    .filter(|w| **w != "også")
                    .map(|w| (*w, false, true)),
            );
        for (w, nn, nb) in words {
            let key = Self::key(w.as_bytes());
            let mut s = Self::slot(key);
            while t.slots[s].0 != 0 && t.slots[s].0 != key {
                s = (s + 1) % Self::SLOTS;
            }
            let slot = &mut t.slots[s];
            *slot = (key, slot.1 | nn, slot.2 | nb);
            let w = w.as_bytes();
            if let ([a, b, ..], [.., y, z]) = (w, w) {
                t.heads[Self::pair(*a, *b)] |= 1 << w.len();
                t.tails[Self::pair(*y, *z)] |= 1 << w.len();
            }
        }
        t
    }

    /// The place of two bytes in `heads` and `tails`: their low five bits, which
    /// lower-casing ([`MarkerTable::lower_key`] sets bit 5 alone) leaves as they are.
    fn pair(a: u8, b: u8) -> usize {
        ((a as usize & 0x1F) << 5) | (b as usize & 0x1F)
    }

    /// Whether a word of ASCII and Latin-1 letters whose first two bytes are `a` and `b`
    /// can be a marker: one begins with them, bit 5 aside. (A word of one letter passes
    /// when the byte after it happens to match; [`MarkerTable::may_hold`] turns it away.)
    fn may_start_with(&self, a: u8, b: u8) -> bool {
        self.heads[Self::pair(a, b)] != 0
    }

    /// Whether the word `b[start..end]` of ASCII and Latin-1 letters can be a marker: one
    /// of its length in bytes begins with the same two bytes and ends with the same two,
    /// bit 5 aside. Most words are turned away here, before their key is made. (Every
    /// marker is at least two bytes long, and lower-casing these letters keeps the
    /// length.)
    fn may_hold(&self, b: &[u8], start: usize, end: usize) -> bool {
        let len = end - start;
        if !(2..=Self::LONGEST).contains(&len) {
            return false;
        }
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        let head = self.heads[Self::pair(at(start), at(start + 1))];
        let tail = self.tails[Self::pair(at(end - 2), at(end - 1))];
        head & tail & (1 << len) != 0
    }

    /// The first 16 bytes of `word`, the first the lowest.
    fn key(word: &[u8]) -> u128 {
        word.iter()
            .take(16)
            .enumerate()
            .fold(0, |k, (i, &c)| k | (c as u128) << (8 * i))
    }

    /// The key of a word of ASCII and Latin-1 letters (at most 16 bytes), lower-cased as
    /// `to_lowercase` would: "A".."Z" to "a".."z", and "À".."Þ" (0x80..0x9E after 0xC3;
    /// 0x97, "×", is no letter) to "à".."þ" (0xA0..0xBE), each a set bit 5.
    fn lower_key(word: &[u8]) -> u128 {
        // Built in two registers (bytes written to memory and read back as one number
        // stall the load).
        let (mut lo, mut hi) = (0u64, 0u64);
        let mut after_c3 = false;
        for (k, &c) in word.iter().enumerate().take(16) {
            let upper = c.is_ascii_uppercase() || (after_c3 && (0x80..=0x9E).contains(&c));
            let l = (c | ((upper as u8) << 5)) as u64;
            if k < 8 {
                lo |= l << (8 * k);
            } else {
                hi |= l << (8 * (k - 8));
            }
            after_c3 = c == 0xC3;
        }
        (hi as u128) << 64 | lo as u128
    }

    /// [`MarkerTable::lower_key`] of `b[start..end]` (at most 12 bytes), read as two
    /// eight-byte numbers where `b` has 16 bytes from `start`.
    fn lower_key_at(b: &[u8], start: usize, end: usize) -> u128 {
        use bytescan::chunk_at;
        let len = end - start;
        // (Most words fit in the first eight bytes: the second half is then zero.)
        let hi = if len > 8 {
            chunk_at(b, start + 8)
        } else {
            Some(0)
        };
        let (Some(lo), Some(hi)) = (chunk_at(b, start), hi) else {
            return Self::lower_key(&b[start..end]);
        };
        // The bytes of the word in each half.
        let keep = |n: usize| if n >= 8 { !0u64 } else { (1u64 << (8 * n)) - 1 };
        let (keep_lo, keep_hi) = (keep(len), keep(len.saturating_sub(8)));
        let (lo, hi) = (lo & keep_lo, hi & keep_hi);
        // The first byte of `hi` follows a 0xC3 at the end of `lo`.
        let carry = (bytescan::bytes_equal(lo, 0xC3) >> 63) << 7;
        let lo = Self::lower_half(lo, keep_lo, 0);
        let hi = Self::lower_half(hi, keep_hi, carry);
        (hi as u128) << 64 | lo as u128
    }

    /// Eight bytes of a word of ASCII and Latin-1 letters lower-cased (`keep`: the word's
    /// bytes; `carry`: 0x80 when the first byte follows a 0xC3): bit 5 set in each
    /// upper-case ASCII letter (below 0x80, bit 5 clear) and in each byte after 0xC3 with
    /// bit 5 clear but 0x9F ("ß", which is lower case).
    fn lower_half(x: u64, keep: u64, carry: u64) -> u64 {
        use bytescan::{bytes_equal, HIGH};
        let after_c3 = (bytes_equal(x, 0xC3) << 8) | carry;
        let bit5_clear = (!x << 2) & HIGH;
        let ascii = !x & HIGH;
        let latin1 = after_c3 & !bytes_equal(x, 0x9F);
        let upper = (ascii | latin1) & bit5_clear & keep & HIGH;
        x | (upper >> 2)
    }

    fn slot(key: u128) -> usize {
        let x = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
    }

    /// Whether the word with this key is a nynorsk and a bokmål marker.
    fn get(&self, key: u128) -> (bool, bool) {
        let mut s = Self::slot(key);
        loop {
            match self.slots.get(s) {
                Some(&(k, nn, nb)) if k == key => return (nn, nb),
                Some(&(k, _, _)) if k != 0 => s = (s + 1) % Self::SLOTS,
                _ => return (false, false),
            }
        }
    }
}

/// Whether a word is a nynorsk and a bokmål marker: lower-cased character by character, as the lists are
/// compared with. Lower case has at least as many characters, so a word longer than the
/// longest listed is none of them.
fn language_counts_of_word(word: &str) -> (bool, bool) {
    let longest = NYNORSK
        .iter()
        .chain(&BOKMAAL)
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    if word.chars().nth(longest).is_some() {
        return (false, false);
    }
    let w: String = word.chars().flat_map(char::to_lowercase).collect();
    (
        NYNORSK.contains(&w.as_str()) && w != "også" && w != "mellom",
        BOKMAAL.contains(&w.as_str()) && w != "også",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `language_counts` counted before it read bytes.
    fn language_counts_by_chars(text: &str) -> (usize, usize) {
        let (mut nn, mut nb) = (0, 0);
        for word in text.split(|c: char| !c.is_alphabetic()) {
            let (n, b) = language_counts_of_word(word);
            nn += n as usize;
            nb += b as usize;
        }
        (nn, nb)
    }

    #[test]
    fn language_counts_read_by_bytes_as_by_characters() {
        let mut texts: Vec<String> = [
            "Ikkje eit VERE korleis FRÅ frå Frå verksemda. Dei berre kva òg ÒG ein desse også mellom",
            "ikke et være VÆRE Være hvordan fra virksomheten virksomhet de bare hva disse en noen",
            "I\u{212A}\u{212A}JE FR\u{212B} ×de÷en× ikkjeikkje vere2vere x_ein_y İkke ǅe",
            "skal vere, Skal vere; virksomhetene VIRKSOMHETEN verksemdene én èn",
            "",
            "ß ÿ ÞÆØÅ æøå",
            "abcdefg×ikkje÷ikke ikkjeæ ×××××××× ÷ ikke×",
            "1234567ÆIKKJE det er ikke frå noen hvordan og virksomheten nå",
            "aaaaaaa\u{2003}ein en\u{a0}et x\u{301}et ĳe ǈet Ǆe",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for letter in crate::sample_corpus::markdown_letters() {
            texts.extend(letter.lines().map(|l| l.to_string()));
        }
        // Every offset, so that words meet the eight-byte reads at every place.
        let mut shifted = Vec::new();
        for t in &texts[..9] {
            for k in 0..8 {
                shifted.push(format!("{}{t}", "x".repeat(k)));
                shifted.push(format!("{}{t}", " ".repeat(k)));
            }
        }
        texts.extend(shifted);
        for t in texts {
            assert_eq!(language_counts(&t), language_counts_by_chars(&t), "{t:?}");
        }
    }

    /// A marker word with each letter upper-cased or not at random.
    fn random_case(w: &str, random: &mut crate::test_random::Random) -> String {
        w.chars()
            .map(|c| {
                if random.below(2) == 0 {
                    c.to_uppercase().collect::<String>()
                } else {
                    c.to_string()
                }
            })
            .collect()
    }

    /// The filter of words before their key is made turns away no marker, in any case.
    #[test]
    fn may_hold_every_marker() {
        let table = &*MARKER_TABLE;
        let mut random = crate::test_random::Random::new(0x9E37_79B9_7F4A_7C15);
        // (Less the words the table leaves out: "skal vere" is never one word, "også" and
        // "mellom" count for neither.)
        let words = NYNORSK.iter().chain(&BOKMAAL);
        for w in words.filter(|w| !matches!(**w, "skal vere" | "også" | "mellom")) {
            for _ in 0..64 {
                let w = random_case(w, &mut random);
                let text = format!(" {w}.");
                assert!(table.may_hold(text.as_bytes(), 1, 1 + w.len()), "{w:?}");
            }
        }
    }

    /// Random texts of marker words (in random case), words close to them, and
    /// separators: counted by bytes (with the filter) as by characters.
    #[test]
    fn language_counts_of_random_texts() {
        let mut words: Vec<&str> = NYNORSK.iter().chain(&BOKMAAL).copied().collect();
        words.extend([
            "det",
            "den",
            "dette",
            "deres",
            "eitt",
            "enn",
            "etter",
            "fram",
            "hvor",
            "ikkj",
            "kvar",
            "være\u{301}",
            "verksemdene",
            "virksomhetens",
            "ß",
            "ÿ",
            "×",
            "øg",
        ]);
        let separators = [" ", " ", ", ", ".", "\n", "-", "÷", "\u{a0}", "1", "’"];
        let mut random = crate::test_random::Random::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..5_000 {
            let mut text = " ".repeat(random.below(8));
            for _ in 0..random.below(30) {
                let w = words[random.below(words.len())];
                text.push_str(&random_case(w, &mut random));
                text.push_str(separators[random.below(separators.len())]);
            }
            assert_eq!(
                language_counts(&text),
                language_counts_by_chars(&text),
                "{text:?}"
            );
        }
    }

    /// Words lower-cased eight bytes at a time as byte by byte.
    #[test]
    fn lower_key_at_is_lower_key() {
        let letters: Vec<char> = ('A'..='Z')
            .chain('a'..='z')
            .chain('\u{C0}'..='\u{FF}')
            .filter(|c| c.is_alphabetic())
            .collect();
        let mut random = crate::test_random::Random::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..50_000 {
            let mut w = String::new();
            while w.len() < 1 + random.below(12) {
                w.push(letters[random.below(letters.len())]);
            }
            if w.len() > MarkerTable::LONGEST {
                continue;
            }
            let pad = random.below(8);
            let text = format!("{}{w}{}", " ".repeat(pad), "×".repeat(random.below(10)));
            let b = text.as_bytes();
            let want = MarkerTable::lower_key(w.as_bytes());
            assert_eq!(
                MarkerTable::lower_key_at(b, pad, pad + w.len()),
                want,
                "{w:?}"
            );
            let lower: String = w.chars().flat_map(char::to_lowercase).collect();
            assert_eq!(MarkerTable::key(lower.as_bytes()), want, "{w:?}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("Dato 16. april 2026"), Some("2026-04-16".into()));
        assert_eq!(parse_date("Oslo, 18.12.2025"), Some("2025-12-18".into()));
        assert_eq!(parse_date("ingen dato"), None);
    }
}
