//! Stage 2, layout: pages of lines → clean logical paragraphs.
//!
//! PDF and text end up in the same shape here, so that later stages never care where a
//! paragraph came from: NFKC (ligatures such as "ﬁ"), running headers/footers and page
//! numbers removed, hyphenated words joined, wrapped lines joined, bullets and table rows
//! kept as their own paragraphs.

use crate::bytescan::{any_below_space, bytes_equal, chunk_at, count_words_upto, leads_but_latin1};
use crate::ingest::{Format, Line, Page, RawDoc};
use regex::Regex;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// What a paragraph looks like on the page; `segment` decides what it means.
#[derive(Debug, Clone, PartialEq)]
pub enum ParaKind {
    /// A heading; `weight` 1 is the most prominent (Markdown `#`, the largest PDF font).
    Heading {
        weight: u8,
    },
    /// A list item; `marker` is the bullet or enumerator as written ("•", "1.", "a)").
    ListItem {
        marker: String,
        indent: u8,
    },
    /// A table row; `cells` holds the cell texts.
    TableRow {
        cells: Vec<String>,
    },
    Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub kind: ParaKind,
    pub text: String,
    pub page: u32,
    pub line: u32,
}

/// Run the layout stage.
pub fn layout(doc: &RawDoc) -> Vec<Para> {
    match doc.format {
        Format::Pdf => pdf_layout(
            doc.pages
                .iter()
                .map(|p| Page {
                    number: p.number,
                    height: p.height,
                    lines: p.lines.iter().map(cleaned).collect(),
                })
                .collect(),
        ),
        // Text lines are cleaned one at a time as they are read, never copied as pages.
        Format::Markdown | Format::Text => text_paras(&doc.pages, doc.format == Format::Markdown),
    }
}

/// [`layout`] for a document that is not needed afterwards: each line is cleaned in place,
/// so the text is not held twice (a 100 MB text file would otherwise need 200 MB more).
pub fn layout_owned(format: Format, mut pages: Vec<Page>) -> Vec<Para> {
    match format {
        Format::Pdf => {
            for line in pages.iter_mut().flat_map(|p| &mut p.lines) {
                clean_in_place(line);
            }
            pdf_layout(pages)
        }
        Format::Markdown | Format::Text => text_paras(&pages, format == Format::Markdown),
    }
}

/// A line with its text and cells cleaned (see [`clean`]).
pub fn cleaned(l: &Line) -> Line {
    Line {
        text: clean(&l.text),
        cells: l.cells.iter().map(|(x, c)| (*x, clean(c))).collect(),
        words: l.words.clone(),
        ..*l
    }
}

/// [`cleaned`] in place: a text or cell that is clean already is left as it is.
fn clean_in_place(l: &mut Line) {
    if let Cow::Owned(t) = clean_cow(&l.text) {
        l.text = t;
    }
    for (_, c) in &mut l.cells {
        if let Cow::Owned(t) = clean_cow(c) {
            *c = t;
        }
    }
}

/// Cleaned PDF pages → paragraphs.
fn pdf_layout(pages: Vec<Page>) -> Vec<Para> {
    let mut paras = pdf_paras(strip_running_lines(pages));
    promote_short_titles(&mut paras);
    paras
}

/// NFKC, soft hyphens and odd spaces removed, whitespace collapsed.
pub fn clean(s: &str) -> String {
    clean_cow(s).into_owned()
}

/// [`clean`], borrowing `s` when it is clean already: most lines of a letter are, and
/// layout cleans every line twice (once as a line, once as a paragraph's text), so the
/// copy `clean` makes was most of its cost.
pub fn clean_cow(s: &str) -> Cow<'_, str> {
    match scan_plain(s.as_bytes()) {
        Plain::Clean => Cow::Borrowed(s),
        Plain::Spaces => Cow::Owned(collapse_ascii_whitespace(s)),
        Plain::No => Cow::Owned(clean_general(s)),
    }
}

/// What [`scan_plain`] found.
#[derive(Debug, PartialEq)]
enum Plain {
    /// Only plain characters, already trimmed and collapsed: `clean` gives it back.
    Clean,
    /// Only plain characters, but ASCII whitespace to trim or collapse.
    Spaces,
    /// Something else: the full `clean`.
    No,
}

/// Whether `c` is a character that NFKC keeps as it is in any text of plain characters
/// (quick check "yes", combining class 0), that is not whitespace and that `clean` does not
/// remove. Besides ASCII and U+00C0..U+00FF (the Latin-1 letters), these are the ones
/// Norwegian letters use; `tests::plain_characters_are_plain` checks each.
fn plain_non_ascii(c: char) -> bool {
    matches!(
        c,
        '\u{C0}'
            ..='\u{FF}'
                | '§'
                | '«'
                | '»'
                | '°'
                | '–'
                | '—'
                | '‘'
                | '’'
                | '“'
                | '”'
                | '•'
                | '€'
                | '→'
    )
}

/// Classify `s` for [`clean_cow`] in one pass. Every character must be ASCII or
/// [`plain_non_ascii`] (the text is then already NFKC, with nothing to remove and only
/// ASCII whitespace).
fn scan_plain(b: &[u8]) -> Plain {
    if let Some(plain) = scan_simple(b) {
        return plain;
    }
    scan_plain_bytes(b)
}

/// [`scan_plain`] of a text of nine bytes or more whose bytes are all at least 0x20, with
/// no UTF-8 lead byte but 0xC3 (ASCII and the Latin-1 letters: most lines of a letter);
/// `None` for any other text. Such a text is plain, and its only whitespace is the space,
/// so it is clean unless it has two spaces in a row or a space at either end. Why: the
/// chunks are read with nothing carried from one to the next (two spaces in a row are a
/// space in the chunk at `i` and in the one at `i + 1`), and the last few bytes as the
/// last eight, so no byte is read alone; [`scan_plain_bytes`] carried the space before
/// each chunk and read a line's last bytes one by one, which made it most of layout.
fn scan_simple(b: &[u8]) -> Option<Plain> {
    let n = b.len();
    let (last_pair, last) = (chunk_at(b, n.checked_sub(9)?)?, chunk_at(b, n - 8)?);
    let word = |c: &[u8]| u64::from_le_bytes(c.try_into().unwrap_or_default());
    let other = |x: u64| leads_but_latin1(x) | any_below_space(x);
    let pair = |x: u64, y: u64| bytes_equal(x, b' ') & bytes_equal(y, b' ');
    let (mut others, mut pairs) = (other(last), pair(last_pair, last));
    // The chunks at `i` and `i + 1` up to the last full pair of them; the last eight bytes
    // (above) cover what they leave.
    for (x, y) in b.chunks_exact(8).zip(b[1..].chunks_exact(8)) {
        let x = word(x);
        others |= other(x);
        pairs |= pair(x, word(y));
    }
    if others != 0 {
        return None;
    }
    let trimmed = b[0] != b' ' && b[n - 1] != b' ';
    Some(if pairs == 0 && trimmed {
        Plain::Clean
    } else {
        Plain::Spaces
    })
}

/// [`scan_plain`] of any text: eight bytes at a time where these hold no control character
/// and no lead byte other than 0xC3, byte by byte elsewhere.
fn scan_plain_bytes(b: &[u8]) -> Plain {
    let mut i = 0;
    // The byte before `i` was a space, or `i` is the start (a leading space is not clean).
    let mut prev_space = true;
    let mut collapsed = true;
    while i < b.len() {
        if let Some(x) = chunk_at(b, i) {
            if leads_but_latin1(x) == 0 && any_below_space(x) == 0 {
                let spaces = bytes_equal(x, b' ');
                if spaces & (spaces << 8) != 0 || (prev_space && spaces & 0x80 != 0) {
                    collapsed = false;
                }
                prev_space = spaces >> 63 != 0;
                i += 8;
                continue;
            }
        }
        let c = b[i];
        if c < 0x80 {
            let space = c == b' ';
            if (9..=13).contains(&c) || (space && prev_space) {
                collapsed = false;
            }
            prev_space = space;
            i += 1;
            continue;
        }
        prev_space = false;
        // A continuation byte: its lead byte, 0xC3, was read eight bytes at a time.
        if c < 0xC0 {
            i += 1;
            continue;
        }
        // The Latin-1 letters (U+00C0..U+00FF) are all plain.
        if c == 0xC3 {
            i += 2;
            continue;
        }
        // Another lead byte: `b` is UTF-8, so the character is whole.
        let len = match c {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let plain = b
            .get(i..i + len)
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| s.chars().next())
            .is_some_and(plain_non_ascii);
        if !plain {
            return Plain::No;
        }
        i += len;
    }
    if (collapsed && !prev_space) || b.is_empty() {
        Plain::Clean
    } else {
        Plain::Spaces
    }
}

/// `clean` of any text: NFKC when the quick check does not say it is so already, then the
/// removed characters dropped and whitespace collapsed character by character.
fn clean_general(s: &str) -> String {
    let normalized: Cow<str> = if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfkc().collect())
    };
    let mut out = String::with_capacity(normalized.len());
    let mut space = false;
    for c in normalized.chars() {
        if c == '\u{AD}' || c == '\u{200B}' || c == '\u{FEFF}' {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// `s` trimmed, with each run of ASCII whitespace made one space (`clean` of text with no
/// other whitespace and nothing to normalise or remove).
fn collapse_ascii_whitespace(s: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut space = false;
    for &b in s.as_bytes() {
        // The ASCII characters `char::is_whitespace` takes (with the vertical tab).
        if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(b' ');
            space = false;
        }
        out.push(b);
    }
    // Only ASCII bytes were dropped or replaced, so this is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(side|page|s\.)?\s*[-–]?\s*[0-9]{1,4}\s*[-–]?\s*((av|of|/)\s*[0-9]{1,4})?$")
        .expect("valid regex")
});

/// Drop lines that repeat near the top or bottom of many pages (running headers and
/// footers) and bare page numbers. The text is compared with digits masked, so
/// "Side 3 av 27" and "Side 4 av 27" are the same footer.
fn strip_running_lines(mut pages: Vec<Page>) -> Vec<Page> {
    let in_margin = |l: &Line, h: f32| h > 0.0 && (l.y < 0.09 * h || l.y > 0.91 * h);
    let mask = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect()
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for p in &pages {
        let mut on_page: Vec<String> = p
            .lines
            .iter()
            .filter(|l| in_margin(l, p.height))
            .map(|l| mask(&l.text))
            .collect();
        on_page.sort();
        on_page.dedup();
        for t in on_page {
            *seen.entry(t).or_default() += 1;
        }
    }
    let min_repeats = if pages.len() >= 3 {
        (pages.len() as f32 * 0.4).ceil() as usize
    } else {
        2
    };
    for p in &mut pages {
        let h = p.height;
        p.lines.retain(|l| {
            if !in_margin(l, h) {
                return true;
            }
            let repeated = seen.get(&mask(&l.text)).copied().unwrap_or(0) >= min_repeats;
            !(repeated || PAGE_NUMBER.is_match(&l.text))
        });
    }
    pages
}

static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<m>[•◦▪■●○·\u{f0b7}\u{f0a7}]|[-–*+](?:\s)|[0-9]{1,2}[.)](?:\s)|[a-zæøå][.)](?:\s)|\(?[ivx]{1,4}\)(?:\s))\s*(?P<rest>.*)$")
        .expect("valid regex")
});

/// `LIST_MARKER` up to where the rest starts: on a line without a newline (where `.*$`
/// takes all that follows) it splits the line where `LIST_MARKER` does, and the regex
/// crate then reads only the marker rather than the whole line.
static LIST_MARKER_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<m>[•◦▪■●○·\u{f0b7}\u{f0a7}]|[-–*+](?:\s)|[0-9]{1,2}[.)](?:\s)|[a-zæøå][.)](?:\s)|\(?[ivx]{1,4}\)(?:\s))\s*")
        .expect("valid regex")
});

/// Split a list marker off the start of a line: ("•", "rest") or None. A bullet whose
/// text opens with a numbered or lettered marker and then a capital ("• a) Vurdere …",
/// "- 2. Vurdere …", as converters and some letters write lettered sub-tasks) is that
/// item: its marker is the inner one, which is what tells sub-tasks from a list of
/// aspects. Before a lower-case word the marker is part of the text: an ordinal ("1.
/// tertial", "2. kvartal"), a date ("1) juni") or an abbreviation ("f. eks.").
pub fn split_marker(text: &str) -> Option<(&str, &str)> {
    let (marker, rest) = split_one_marker(text)?;
    if marker == "•" {
        let inner = split_one_marker(rest)
            .filter(|(m, after)| *m != "•" && after.chars().next().is_some_and(char::is_uppercase));
        if let Some(inner) = inner {
            return Some(inner);
        }
    }
    Some((marker, rest))
}

/// One list marker off the start of a line (see [`split_marker`]).
fn split_one_marker(text: &str) -> Option<(&str, &str)> {
    // Every marker starts with a bullet, a dash, a digit, a lower-case letter or "(": a
    // line that opens otherwise (most do, with a capital) needs no regex.
    let first = text.chars().next()?;
    let may_mark = first.is_numeric()
        || first.is_lowercase()
        || matches!(
            first,
            '•' | '◦'
                | '▪'
                | '■'
                | '●'
                | '○'
                | '·'
                | '\u{f0b7}'
                | '\u{f0a7}'
                | '-'
                | '–'
                | '*'
                | '+'
                | '('
        );
    if !may_mark {
        return None;
    }
    let (marker, rest) = if text.contains('\n') {
        let caps = LIST_MARKER.captures(text)?;
        (caps.name("m")?.as_str(), caps.name("rest")?.as_str())
    } else if let Some(end) = ascii_marker_end(text) {
        // (The rest is trimmed below, so what `\s*` takes after the marker need not go.)
        let end = end?;
        (&text[..end], &text[end..])
    } else {
        let caps = LIST_MARKER_PREFIX.captures(text)?;
        (caps.name("m")?.as_str(), &text[caps.get(0)?.end()..])
    };
    let marker = marker.trim();
    let rest = rest.trim();
    if rest.is_empty() || (marker.ends_with('.') && starts_with_month(rest)) {
        return None;
    }
    let marker = match marker {
        "-" | "–" | "*" | "+" | "·" | "◦" | "▪" | "■" | "●" | "○" | "\u{f0b7}" | "\u{f0a7}" => {
            "•"
        }
        m => m,
    };
    Some((marker, rest))
}

/// Where the `m` group of `LIST_MARKER_PREFIX` ends in `text`, read by hand for the
/// markers that open with an ASCII character ("- ", "1. ", "12) ", "a) ", "(iv) "):
/// `Some(None)` when the regex would not match, `None` when this cannot tell (a first
/// character outside ASCII) and the regex must read the line. The regex tries its
/// alternatives in order, and each needs one whitespace character after the marker,
/// inside the group.
fn ascii_marker_end(text: &str) -> Option<Option<usize>> {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    // The end of the marker when a whitespace character stands at `i`.
    let space_at = |i: usize| -> Option<usize> {
        let c = crate::bytescan::char_at(text, i)?;
        c.is_whitespace().then(|| i + c.len_utf8())
    };
    // `\(?[ivx]{1,4}\)\s` from `i`: only the whole run of numerals can be followed by ")".
    let roman = |i: usize| -> Option<usize> {
        let n = b[i.min(b.len())..]
            .iter()
            .take_while(|c| matches!(c, b'i' | b'v' | b'x'))
            .count();
        if (1..=4).contains(&n) && at(i + n) == b')' {
            space_at(i + n + 1)
        } else {
            None
        }
    };
    Some(match at(0) {
        b'-' | b'*' | b'+' => space_at(1),
        b'0'..=b'9' => match at(1) {
            b'.' | b')' => space_at(2),
            b'0'..=b'9' if matches!(at(2), b'.' | b')') => space_at(3),
            _ => None,
        },
        c @ b'a'..=b'z' => {
            let letter = if matches!(at(1), b'.' | b')') {
                space_at(2)
            } else {
                None
            };
            letter.or_else(|| {
                if matches!(c, b'i' | b'v' | b'x') {
                    roman(0)
                } else {
                    None
                }
            })
        }
        b'(' => roman(1),
        _ => return None,
    })
}

/// "12. mars" starts a date, not a numbered list item.
fn starts_with_month(s: &str) -> bool {
    let first = s.split([' ', ':', ',']).next().unwrap_or("").to_lowercase();
    crate::meta::MONTHS.contains(&first.as_str())
}

/// The words of a text for comparing two texts: lower case, punctuation around each word
/// dropped. Used wherever byrde asks whether two items say the same.
pub fn normal_words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Join two pieces of one paragraph, mending a word hyphenated across the line break.
/// "helse-" + "og omsorg" keeps its hyphen (a suspended compound), "IKT-" + "løsning" too.
pub fn join_wrapped(acc: &mut String, next: &str) {
    if acc.is_empty() {
        acc.push_str(next);
        return;
    }
    if let Some(stem) = acc.strip_suffix('-') {
        let next_word = next.split(' ').next().unwrap_or("");
        let stem_word = stem.rsplit(' ').next().unwrap_or("");
        let starts_lower = next.chars().next().is_some_and(|c| c.is_lowercase());
        let suspended = matches!(next_word, "og" | "eller" | "samt" | "til" | "som");
        let keep_hyphen = stem_word.chars().count() <= 1
            || stem_word
                .chars()
                .all(|c| c.is_uppercase() || c.is_ascii_digit());
        if starts_lower && stem_word.chars().last().is_some_and(|c| c.is_alphabetic()) {
            if suspended {
                acc.push(' ');
            } else if !keep_hyphen {
                acc.pop();
            }
            acc.push_str(next);
            return;
        }
    }
    acc.push(' ');
    acc.push_str(next);
}

/// A table row's text: its non-empty cells joined by single spaces.
pub fn join_cells(cells: &[String]) -> String {
    cells
        .iter()
        .filter(|c| !c.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------
// Text and Markdown

static MD_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(#{1,6})\s+(.*?)\s*#*\s*$").expect("valid regex"));
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").expect("valid regex"));
static MD_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[a-zA-Z][^>]*>").expect("valid regex"));
static TABLE_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$").expect("valid regex"));

/// What `MD_HEADING` captures in a line: the number of `#` and the title. Read by hand
/// (the regex's lazy title before `\s*#*\s*$` ran the regex crate's backtracker over the
/// whole line): the `#` run, at most six, then whitespace, all of which `\s+` takes; the
/// title is the rest less its longest end of the form whitespace, `#`s, whitespace. A
/// line with a newline goes to the regex (`.` stops there).
fn md_heading(t: &str) -> Option<(usize, &str)> {
    if t.contains('\n') {
        let c = MD_HEADING.captures(t)?;
        return Some((c.get(1)?.len(), c.get(2)?.as_str()));
    }
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    let rest = &t[hashes..];
    if !(1..=6).contains(&hashes) || !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let title = rest.trim_start_matches(char::is_whitespace);
    let title = title
        .trim_end_matches(char::is_whitespace)
        .trim_end_matches('#')
        .trim_end_matches(char::is_whitespace);
    Some((hashes, title))
}

/// Remove inline Markdown: emphasis, links, HTML tags, backslash escapes; then [`clean`].
/// Borrows `s` when there is nothing to remove or clean (most lines of a letter).
fn strip_inline_markdown(s: &str) -> Cow<'_, str> {
    if !has_markup(s.as_bytes()) {
        return clean_cow(s);
    }
    strip_markup(s)
}

/// [`strip_inline_markdown`] of a line that [`has_markup`].
fn strip_markup(s: &str) -> Cow<'_, str> {
    // Each step runs only where it can change the text (what it would give otherwise): a
    // link needs a "[", a tag a "<" (the regexes cost a search setup even where the text
    // has neither, which most lines with markup, bold text, do not).
    let s = if memchr::memchr(b'[', s.as_bytes()).is_some() {
        MD_LINK.replace_all(s, "$1")
    } else {
        Cow::Borrowed(s)
    };
    let s = match memchr::memchr(b'<', s.as_bytes()) {
        Some(_) => Cow::Owned(MD_TAG.replace_all(&s, " ").into_owned()),
        None => s,
    };
    let mut s = s.into_owned();
    for mark in ["**", "__"] {
        if memchr::memmem::find(s.as_bytes(), mark.as_bytes()).is_some() {
            s = s.replace(mark, "");
        }
    }
    if memchr::memchr2(b'*', b'\\', s.as_bytes()).is_some() {
        s = drop_stars_and_escapes(&s);
    }
    match clean_cow(&s) {
        Cow::Borrowed(t) if t.len() == s.len() => Cow::Owned(s),
        t => Cow::Owned(t.into_owned()),
    }
}

/// `s` with each `*` dropped and each backslash before ASCII punctuation dropped (the
/// character after it kept as it is, a `*` too). Read byte by byte: a backslash, a `*` and
/// ASCII punctuation are single bytes that no other character's bytes are, so this is
/// what reading characters gives; see [`tests::stars_and_escapes_drop_as_by_characters`].
fn drop_stars_and_escapes(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'*', b'\\', &b[i..]) {
        out.extend_from_slice(&b[i..i + k]);
        i += k;
        match b.get(i + 1) {
            Some(&n) if b[i] == b'\\' && n.is_ascii_punctuation() => {
                out.push(n);
                i += 2;
            }
            _ if b[i] == b'\\' => {
                out.push(b'\\');
                i += 1;
            }
            _ => i += 1,
        }
    }
    out.extend_from_slice(&b[i..]);
    // Only ASCII bytes were dropped, so this is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether a line holds a character that starts inline Markdown: `[`, `<`, `*`, `_` or a
/// backslash.
fn has_markup(b: &[u8]) -> bool {
    memchr::memchr3(b'[', b'<', b'*', b).is_some() || memchr::memchr2(b'_', b'\\', b).is_some()
}

fn text_paras(pages: &[Page], markdown: bool) -> Vec<Para> {
    let mut state = TextParas::new(markdown);
    let mut out = Vec::new();
    for page in pages {
        for line in &page.lines {
            out.extend(state.push_line(page.number, line));
        }
    }
    out.extend(state.finish());
    out
}

/// The paragraphs of a text or Markdown document, built one cleaned line at a time: what
/// [`text_paras`] does for a whole document, and what a large text file streamed in pieces
/// uses (`crate::stream`), so that both give the same paragraphs. A paragraph is handed out
/// once no later line can join it (a continuation line joins only the last paragraph).
#[derive(Debug)]
pub struct TextParas {
    markdown: bool,
    /// The last paragraph, which the next line may continue.
    last: Option<Para>,
    open: bool, // the last paragraph may take a continuation line
    in_front_matter: bool,
    first_content: bool,
}

impl TextParas {
    pub fn new(markdown: bool) -> TextParas {
        TextParas {
            markdown,
            last: None,
            open: false,
            in_front_matter: false,
            first_content: true,
        }
    }

    /// The paragraph still open at the end of the text.
    pub fn finish(self) -> Option<Para> {
        self.last
    }

    /// Put the next new paragraph in place; the one it follows is complete.
    fn start(&mut self, para: Para) -> Option<Para> {
        self.last.replace(para)
    }

    /// Take one cleaned line (see [`cleaned`]) of page `page`; returns the paragraph
    /// this line completed, if any.
    pub fn push(&mut self, page: u32, line: &Line) -> Option<Para> {
        self.push_text(page, line.source_line, &line.text, false)
    }

    /// [`TextParas::push`] of the line cleaned: the same as `push(page, &cleaned(line))`,
    /// without a copy of a line that is clean already, nor a second look at it.
    pub fn push_line(&mut self, page: u32, line: &Line) -> Option<Para> {
        match clean_cow(&line.text) {
            Cow::Borrowed(t) => self.push_text(page, line.source_line, t, true),
            Cow::Owned(t) => self.push_text(page, line.source_line, &t, false),
        }
    }

    /// [`TextParas::push`] of a cleaned line's text and its line number. `unchanged`: the
    /// text is one that [`clean_cow`] gives back as it is (trimmed, so its body is too).
    fn push_text(
        &mut self,
        page: u32,
        source_line: u32,
        raw: &str,
        unchanged: bool,
    ) -> Option<Para> {
        let markdown = self.markdown;
        // A line that `clean_cow` gave back as it is has no whitespace at its ends (a
        // tenth of what was left of this function went to trimming lines that were trimmed).
        let t = if unchanged { raw } else { raw.trim() };
        if markdown && self.first_content && t == "---" {
            self.in_front_matter = true;
            self.first_content = false;
            return None;
        }
        if self.in_front_matter {
            if t == "---" || t == "..." {
                self.in_front_matter = false;
            }
            return None;
        }
        if t.is_empty() {
            self.open = false;
            return None;
        }
        self.first_content = false;
        // (The first four characters lower-cased one by one start with "side" exactly
        // when the lower-cased line does; the regex last, as it is the dear test.)
        // (Only "S" and "s" lower-case to "s", and so on for "i", "d" and "e", except the
        // dotted capital I, which lower-cases to two characters, "i" and a combining dot,
        // and so never gives "side": the first four bytes tell.)
        if t.len() > 3 && t.as_bytes()[..4].eq_ignore_ascii_case(b"side") && PAGE_NUMBER.is_match(t)
        {
            return None;
        }
        let indent = if unchanged {
            0
        } else {
            (raw.len() - raw.trim_start().len()) as u8
        };
        let para = |kind: ParaKind, text: String| Para {
            kind,
            text,
            page,
            line: source_line,
        };
        if markdown {
            if let Some((hashes, title)) = t.starts_with('#').then(|| md_heading(t)).flatten() {
                let text = strip_inline_markdown(title);
                self.open = false;
                if !text.is_empty() {
                    let weight = hashes as u8;
                    return self.start(para(ParaKind::Heading { weight }, text.into_owned()));
                }
                return None;
            }
            if t.starts_with('|') {
                self.open = false;
                if TABLE_SEPARATOR.is_match(t) {
                    return None;
                }
                let inner = t.trim_start_matches('|');
                let inner = inner.strip_suffix('|').unwrap_or(inner);
                // Empty cells are kept: they hold the columns in place (a goal cell
                // merged over several rows leaves the first cell of later rows empty).
                let cells: Vec<String> = inner
                    .split('|')
                    .map(|c| strip_inline_markdown(c).into_owned())
                    .collect();
                if cells.iter().all(|c| c.is_empty()) {
                    return None;
                }
                let text = join_cells(&cells);
                return self.start(para(ParaKind::TableRow { cells }, text));
            }
        }
        let body = if markdown && has_markup(t.as_bytes()) {
            strip_markup(t)
        } else if unchanged {
            Cow::Borrowed(t)
        } else {
            clean_cow(t)
        };
        if body.is_empty() {
            return None;
        }
        if let Some((marker, rest)) = split_marker(&body) {
            self.open = true;
            return self.start(para(
                ParaKind::ListItem {
                    marker: marker.to_string(),
                    indent: indent / 2,
                },
                rest.to_string(),
            ));
        }
        match self.last.as_mut() {
            Some(last)
                if self.open
                    && (matches!(last.kind, ParaKind::Text)
                        || (matches!(last.kind, ParaKind::ListItem { .. })
                            && (indent > 0 || !markdown))) =>
            {
                join_wrapped(&mut last.text, &body);
                None
            }
            _ => {
                self.open = true;
                self.start(para(ParaKind::Text, body.into_owned()))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// PDF

/// The left edge of body text: the line start that carries the most characters.
fn left_margin(pages: &[Page]) -> f32 {
    let mut by_x: HashMap<i32, usize> = HashMap::new();
    for l in pages.iter().flat_map(|p| &p.lines) {
        *by_x.entry(l.x.round() as i32).or_default() += l.text.len();
    }
    by_x.into_iter()
        .max_by_key(|&(x, n)| (n, -x))
        .map_or(0.0, |(x, _)| x as f32)
}

/// The paragraph before is a table row: an indented line there is a cell, not a list item.
fn after_table(out: &[Para]) -> bool {
    matches!(out.last().map(|p| &p.kind), Some(ParaKind::TableRow { .. }))
}

/// The body font size: the size that carries the most characters.
fn body_size(pages: &[Page]) -> f32 {
    let mut by_size: HashMap<i32, usize> = HashMap::new();
    for l in pages.iter().flat_map(|p| &p.lines) {
        *by_size
            .entry((l.font_size * 2.0).round() as i32)
            .or_default() += l.text.len();
    }
    by_size
        .into_iter()
        .max_by_key(|&(size, n)| (n, -size))
        .map_or(10.0, |(s, _)| s as f32 / 2.0)
}

/// A lone short line with no closing punctuation ("Lærlinger", "Beskrivelse av
/// oppdraget") between paragraphs is a heading set in bold body type.
fn promote_short_titles(paras: &mut [Para]) {
    for i in 0..paras.len() {
        let next_is_text = paras
            .get(i + 1)
            .is_some_and(|n| matches!(n.kind, ParaKind::Text | ParaKind::ListItem { .. }));
        let p = &paras[i];
        // (Compared with 6 at most.)
        let words = count_words_upto(&p.text, 7);
        let next_is_list = paras
            .get(i + 1)
            .is_some_and(|n| matches!(n.kind, ParaKind::ListItem { .. }));
        // "Nye tildelinger:" over a list is a heading too; "Direktoratet skal:" then reads
        // as a sub-heading, which changes nothing that depends on it.
        // A label line ("Resultatkrav:") stays a paragraph: segment scopes it to its list.
        let colon_ok = p.text.ends_with(':')
            && next_is_list
            && words <= 4
            && !crate::segment::is_label_line(&p.text);
        if matches!(p.kind, ParaKind::Text)
            && next_is_text
            && (1..=6).contains(&words)
            && (colon_ok || !p.text.ends_with(['.', ',', ';', ':', '!', '?', ')']))
            && p.text.chars().next().is_some_and(|c| c.is_uppercase())
        {
            paras[i].kind = ParaKind::Heading { weight: 6 };
        }
    }
}

fn pdf_paras(pages: Vec<Page>) -> Vec<Para> {
    let body = body_size(&pages);
    // Heading sizes, largest first, give heading weights 1, 2, 3 ...
    let mut heading_sizes: Vec<i32> = pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| l.font_size > body + 0.7)
        .map(|l| (l.font_size * 2.0).round() as i32)
        .collect();
    heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
    heading_sizes.dedup();
    let weight_of = |size: f32| -> u8 {
        let key = (size * 2.0).round() as i32;
        heading_sizes
            .iter()
            .position(|&s| s == key)
            .map_or(6, |i| (i + 1).min(6) as u8)
    };

    // The right edge of the text column: lines ending well before it are short (headings,
    // a paragraph's last line).
    let right_edge = {
        let mut ends: Vec<f32> = pages.iter().flat_map(|p| &p.lines).map(|l| l.end).collect();
        ends.sort_by(f32::total_cmp);
        ends.get(ends.len() * 9 / 10).copied().unwrap_or(0.0)
    };
    let left = left_margin(&pages);
    let mut last_short = false;
    let mut last_lines = 0usize; // lines in the paragraph being built
    let mut out: Vec<Para> = Vec::new();
    // Geometry of the paragraph being built: last line's y and size, first line's x,
    // and for table rows the columns' left edges.
    let mut prev: Option<(f32, f32, f32)> = None;
    let mut columns: Vec<f32> = Vec::new();
    for page in &pages {
        prev = prev.map(|_| (f32::MIN, 0.0, 0.0)); // a new page: only sentence flow joins
        for line in &page.lines {
            let is_heading = line.font_size > body + 0.7;
            let this_short =
                right_edge > 0.0 && line.end < right_edge - 0.2 * (right_edge - line.x);
            let near = prev.is_some_and(|(py, psize, _)| {
                py == f32::MIN || (line.y - py) <= 1.6 * psize.max(line.font_size)
            });
            let same_size = prev.is_some_and(|(_, psize, _)| (psize - line.font_size).abs() < 0.6);
            let para = Para {
                kind: ParaKind::Text,
                text: line.text.clone(),
                page: page.number,
                line: line.source_line,
            };
            // Table rows and their wrapped continuation lines. A wrapped cell line sits a
            // normal line below the row; a new row sits further down (cell padding).
            let first_x = line.cells.first().map_or(line.x, |c| c.0);
            let tight = prev.is_some_and(|(py, psize, _)| {
                py != f32::MIN && (line.y - py) < 1.5 * psize.max(line.font_size)
            });
            let in_table = !columns.is_empty()
                && matches!(out.last().map(|p| &p.kind), Some(ParaKind::TableRow { .. }));
            if in_table && tight {
                if let Some(Para {
                    kind: ParaKind::TableRow { cells },
                    text,
                    ..
                }) = out.last_mut()
                {
                    for (x, t) in parts_of(line) {
                        let col = column_of(&columns, x);
                        if let Some(cell) = cells.get_mut(col) {
                            join_wrapped(cell, &t);
                        }
                    }
                    *text = join_cells(cells);
                }
                last_short = this_short;
                last_lines = 1;
                prev = Some((line.y, line.font_size, columns[0]));
                continue;
            }
            let near_table = in_table
                && prev.is_some_and(|(py, psize, _)| {
                    py == f32::MIN || (line.y - py) < 2.6 * psize.max(line.font_size)
                });
            if line.cells.len() >= 2
                || (near_table && (first_x > columns[0] + 4.0 || fits_columns(line, &columns)))
            {
                // A row with every cell filled fixes the columns (a centred header row
                // does not line up with the data below it).
                if !near_table || line.cells.len() >= columns.len() {
                    columns = line.cells.iter().map(|c| c.0).collect();
                }
                let mut cells = vec![String::new(); columns.len()];
                for (x, t) in parts_of(line) {
                    let col = column_of(&columns, x);
                    join_wrapped(&mut cells[col], &t);
                }
                out.push(Para {
                    kind: ParaKind::TableRow {
                        cells: cells.clone(),
                    },
                    text: join_cells(&cells),
                    ..para
                });
                last_short = this_short;
                last_lines = 1;
                prev = Some((line.y, line.font_size, line.x));
                continue;
            }
            columns.clear();
            if is_heading {
                let weight = weight_of(line.font_size);
                match out.last_mut() {
                    Some(last)
                        if near && same_size && last.kind == (ParaKind::Heading { weight }) =>
                    {
                        join_wrapped(&mut last.text, &line.text)
                    }
                    _ => out.push(Para {
                        kind: ParaKind::Heading { weight },
                        ..para
                    }),
                }
                last_short = this_short;
                last_lines = 1;
                prev = Some((line.y, line.font_size, line.x));
                continue;
            }
            if let Some((marker, rest)) = split_marker(&line.text) {
                out.push(Para {
                    kind: ParaKind::ListItem {
                        marker: marker.to_string(),
                        indent: 0,
                    },
                    text: rest.to_string(),
                    ..para
                });
                last_short = this_short;
                last_lines = 1;
                prev = Some((line.y, line.font_size, line.x));
                continue;
            }
            // A short line followed by one that opens a sentence ends its paragraph: a bold
            // heading in body size ("TB2026-17 Tittel") or a paragraph without spacing.
            let opens = line
                .text
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            // A line that opens with an oppdrag ID starts an item of its own, and a
            // one-line paragraph that reads as a title ends there.
            let after_title = (last_lines == 1
                && opens
                && out
                    .last()
                    .is_some_and(|p| crate::segment::heading_like(&p.text)))
                || crate::segment::starts_with_id(&line.text);
            match out.last_mut() {
                Some(last)
                    if near
                        && same_size
                        && !(last_short && opens)
                        && !after_title
                        && matches!(last.kind, ParaKind::Text | ParaKind::ListItem { .. })
                        && continues_paragraph(last, line, prev) =>
                {
                    join_wrapped(&mut last.text, &line.text);
                    last_lines += 1;
                }
                _ => {
                    // Some writers draw bullets as shapes: an indented line that starts a
                    // paragraph is then a list item.
                    let indented = line.x > left + 8.0 && !line.text.ends_with(':');
                    if indented && !after_table(&out) {
                        out.push(Para {
                            kind: ParaKind::ListItem {
                                marker: "•".into(),
                                indent: 0,
                            },
                            ..para
                        });
                    } else {
                        out.push(para);
                    }
                    last_lines = 1;
                }
            }
            last_short = this_short;
            prev = Some((line.y, line.font_size, line.x));
        }
    }
    out
}

/// A line's pieces with their left edges: its words when known (PDF), else its cells, else
/// the whole line.
fn parts_of(line: &Line) -> Vec<(f32, String)> {
    if !line.words.is_empty() {
        line.words.clone()
    } else if line.cells.is_empty() {
        vec![(line.x, line.text.clone())]
    } else {
        line.cells.clone()
    }
}

/// Whether a line lays its words out in the table's columns: two or more columns get words,
/// and each such column's first word starts at the column's edge (a paragraph's words fall
/// anywhere).
fn fits_columns(line: &Line, columns: &[f32]) -> bool {
    if columns.len() < 2 || line.words.is_empty() {
        return false;
    }
    let mut first_in: Vec<Option<f32>> = vec![None; columns.len()];
    for (x, _) in &line.words {
        let col = column_of(columns, *x);
        first_in[col].get_or_insert(*x);
    }
    let used: Vec<(usize, f32)> = first_in
        .iter()
        .enumerate()
        .filter_map(|(c, x)| x.map(|x| (c, x)))
        .collect();
    // The first column may start left of the edge a centred cell set.
    used.len() >= 2
        && used
            .iter()
            .all(|&(c, x)| (x - columns[c]).abs() < 6.0 || (c == 0 && x < columns[0]))
}

/// The column a cell starting at `x` belongs to: the last column starting at or before it.
fn column_of(columns: &[f32], x: f32) -> usize {
    columns.iter().rposition(|&c| c <= x + 4.0).unwrap_or(0)
}

/// Whether a line continues the paragraph above it. Across a page break only an
/// unfinished sentence continues; on the page, closeness decided it already, except that a
/// short label line such as "Frist: 1.6.2026" or "Styringsparametere" stands alone.
fn continues_paragraph(last: &Para, line: &Line, prev: Option<(f32, f32, f32)>) -> bool {
    let across_page = prev.is_some_and(|(py, _, _)| py == f32::MIN);
    let ends_sentence = last.text.ends_with(['.', ':', '!', '?']);
    if across_page {
        return !ends_sentence
            && line
                .text
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
    }
    let after_lead_in = last.text.ends_with(':') && matches!(last.kind, ParaKind::Text);
    let label_line = ends_sentence && starts_label(&line.text);
    !(after_lead_in || label_line)
}

static LABEL_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(frist|frister|resultatkrav|prestasjonskrav|rapportering|merknad|ansvarleg|ansvarlig)\s*:")
        .expect("valid regex")
});

fn starts_label(text: &str) -> bool {
    LABEL_START.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_hyphenated_words_but_keeps_suspended_compounds() {
        let mut s = String::from("styrings-");
        join_wrapped(&mut s, "parametere for året");
        assert_eq!(s, "styringsparametere for året");
        let mut s = String::from("Helse-");
        join_wrapped(&mut s, "og omsorgsdepartementet");
        assert_eq!(s, "Helse- og omsorgsdepartementet");
        let mut s = String::from("nye IKT-");
        join_wrapped(&mut s, "løsninger");
        assert_eq!(s, "nye IKT-løsninger");
    }

    #[test]
    fn nfkc_unfolds_ligatures() {
        assert_eq!(clean("\u{FB01}nansiering"), "finansiering");
    }

    /// The fast path of `clean` gives what the full one gives.
    #[test]
    fn clean_fast_path_is_exact() {
        let slow = |s: &str| -> String {
            let s: String = s
                .nfkc()
                .filter(|&c| c != '\u{AD}' && c != '\u{200B}' && c != '\u{FEFF}')
                .map(|c| if c.is_whitespace() { ' ' } else { c })
                .collect();
            s.split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        for c in ('\u{0}'..='\u{7F}').chain('\u{C0}'..='\u{FF}') {
            assert_eq!(c.to_string().nfkc().collect::<String>(), c.to_string());
            let s = format!(" a{c}\u{b}b  {c}c\t");
            assert_eq!(clean(&s), slow(&s), "{c:?}");
        }
        for s in [
            "  Mål og  oppdrag\r\n",
            "Søknad\u{A0}frist",
            "ﬁ\u{AD}n",
            "x\u{2003}y",
        ] {
            assert_eq!(clean(s), slow(s), "{s:?}");
        }
    }

    /// Each plain character is one that NFKC keeps in any text of plain characters, that
    /// is not whitespace, and that `clean` keeps.
    #[test]
    fn plain_characters_are_plain() {
        use unicode_normalization::char::canonical_combining_class;
        let plain: Vec<char> = ('\u{80}'..='\u{2FFF}')
            .filter(|&c| plain_non_ascii(c))
            .collect();
        assert!(plain.len() > 64, "{plain:?}");
        for c in plain {
            let s = c.to_string();
            assert_eq!(is_nfkc_quick(s.chars()), IsNormalized::Yes, "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert!(!c.is_whitespace(), "{c:?}");
            assert_eq!(clean_general(&s), s, "{c:?}");
        }
    }

    /// `clean_cow` (eight bytes at a time where it can) gives what the character-by-character
    /// `clean` gives, and borrows exactly when that is the text itself (which then has no
    /// whitespace at its ends).
    #[test]
    fn clean_cow_is_exact() {
        let alphabet = [
            "a", "Z", " ", " ", "  ", "\t", "\r", "\u{b}", "\u{1}", "\u{1f}", "æ", "Ø", "å", "é",
            "×", "–", "«", "§", "•", "’", "\u{a0}", "\u{ad}", "\u{200b}", "\u{feff}", "ﬁ",
            "e\u{301}", "\u{301}", "…", "\u{2003}", "\u{3000}", "½", "x\u{85}y",
        ];
        let mut random = crate::test_random::Random::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let s = random.text(40, &alphabet, &['e', 'n', 'r', 's', 't', 'ø']);
            let want = clean_general(&s);
            let got = clean_cow(&s);
            assert_eq!(got, want, "{s:?}");
            assert_eq!(
                matches!(got, Cow::Borrowed(_)),
                scan_plain(s.as_bytes()) == Plain::Clean
            );
            if let Cow::Borrowed(b) = got {
                assert_eq!(b, s);
                // What `push_text` takes for granted of a line it is handed unchanged.
                assert_eq!(b.trim(), b, "{s:?}");
            }
        }
    }

    /// `scan_simple` (eight bytes at a time, nothing carried from chunk to chunk) answers for
    /// every text of nine bytes or more of ASCII and Latin-1 letters with no control
    /// character, and gives what the byte-by-byte scan gives; two spaces and end spaces fall
    /// at every place of a chunk and across chunks.
    #[test]
    fn simple_scan_is_exact() {
        let rare = [
            " ", " ", "  ", "   ", "æ", "Ø", "å", "é", "ÿ", "\u{7f}", "\t", "–", "\u{1f}", "\u{a0}",
        ];
        let mut random = crate::test_random::Random::new(0x9e37_79b9_7f4a_7c15);
        let (mut clean, mut spaces) = (0, 0);
        for _ in 0..50_000 {
            let s = random.text(40, &rare, &['a', 'e', 'n', ' ', 'ø', '.']);
            let b = s.as_bytes();
            let simple = b.len() >= 9 && b.iter().all(|&c| c >= 0x20 && c != 0xC2 && c < 0xE0);
            let got = scan_simple(b);
            assert_eq!(got.is_some(), simple, "{s:?}");
            if let Some(plain) = got {
                assert_eq!(plain, scan_plain_bytes(b), "{s:?}");
                match plain {
                    Plain::Clean => clean += 1,
                    _ => spaces += 1,
                }
            }
        }
        assert!(clean > 1_000 && spaces > 1_000, "{clean} {spaces}");
    }

    /// `drop_stars_and_escapes` (bytes, spans copied whole) gives what reading the text
    /// character by character gives.
    #[test]
    fn stars_and_escapes_drop_as_by_characters() {
        let by_characters = |s: &str| -> String {
            let mut out = String::with_capacity(s.len());
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek().is_some_and(|n| n.is_ascii_punctuation()) => {
                        out.push(chars.next().expect("peeked"))
                    }
                    '*' => {}
                    _ => out.push(c),
                }
            }
            out
        };
        let rare = [
            "*", "**", "\\", "\\*", "\\\\", "\\.", "\\a", "\\ø", "_", "–", "\\–", " ",
        ];
        let mut random = crate::test_random::Random::new(0x5851_f42d_4c95_7f2d);
        for _ in 0..20_000 {
            let s = random.text(30, &rare, &['a', 'ø', '.', '*', '\\']);
            assert_eq!(drop_stars_and_escapes(&s), by_characters(&s), "{s:?}");
        }
    }

    fn line(text: &str, y: f32) -> Line {
        Line {
            text: text.into(),
            x: 70.0,
            end: 300.0,
            y,
            font_size: 11.0,
            source_line: 1,
            cells: Vec::new(),
            words: Vec::new(),
        }
    }

    #[test]
    fn running_headers_footers_and_page_numbers_go() {
        let pages: Vec<Page> = (1..=3)
            .map(|n| Page {
                number: n,
                height: 842.0,
                lines: vec![
                    line("Tildelingsbrev 2026 – Direktoratet", 30.0),
                    line(&format!("Tekst på side {n}."), 400.0),
                    line(&format!("Side {n} av 3"), 815.0),
                ],
            })
            .collect();
        let kept: Vec<String> = strip_running_lines(pages)
            .into_iter()
            .flat_map(|p| p.lines.into_iter().map(|l| l.text))
            .collect();
        assert_eq!(
            kept,
            ["Tekst på side 1.", "Tekst på side 2.", "Tekst på side 3."]
        );
    }

    #[test]
    fn md_heading_reads_what_the_regex_captures() {
        let mut lines: Vec<String> = [
            "#",
            "# ",
            "#a",
            "# a",
            "#\u{a0}a ##",
            "## a # #",
            "####### a",
            "###### a ###   ",
            "# ##",
            "#  \t a  b  ##  ",
            "# a\r",
            "# #a#",
            "#\u{2003}\u{2003}",
            "# a\nb",
            "# \n",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for letter in crate::sample_corpus::markdown_letters() {
            lines.extend(letter.lines().map(|l| l.trim().to_string()));
        }
        for l in lines.iter().filter(|l| l.starts_with('#')) {
            let want = MD_HEADING
                .captures(l)
                .map(|c| (c[1].len(), c[2].to_string()));
            let got = md_heading(l).map(|(n, t)| (n, t.to_string()));
            assert_eq!(got, want, "{l:?}");
        }
    }

    #[test]
    fn marker_prefix_splits_where_the_full_pattern_does() {
        let mut lines: Vec<String> = [
            "• ",
            "•x",
            "- a",
            "-\ta",
            "1) \u{a0} x",
            "ii) x ",
            "i)  x",
            "(iv) y",
            "a.\u{2003}b",
            "æ) ø",
            "12.  x  ",
            "– tiltak",
            "+ ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for letter in crate::sample_corpus::markdown_letters() {
            lines.extend(letter.lines().map(|l| l.trim().to_string()));
        }
        for l in &lines {
            let full = LIST_MARKER
                .captures(l)
                .map(|c| (c["m"].to_string(), c["rest"].to_string()));
            let prefix = LIST_MARKER_PREFIX.captures(l).map(|c| {
                (
                    c["m"].to_string(),
                    l[c.get(0).expect("match").end()..].to_string(),
                )
            });
            assert_eq!(full, prefix, "{l:?}");
        }
    }

    /// The hand-read markers end where `LIST_MARKER_PREFIX`'s group ends.
    #[test]
    fn ascii_markers_end_where_the_regex_group_does() {
        let mut lines: Vec<String> = Vec::new();
        let heads = [
            "-", "*", "+", "1", "12", "123", "1.", "1)", "12.", "12)", "1a", "a", "a.", "a)", "i",
            "ii", "iv", "ivx", "ivxi", "ivxiv", "xx", "i.", "x)", "ii)", "iiii)", "iiiii)", "(",
            "(i", "(i)", "(ii)", "(iiii)", "(iiiii)", "(a)", "()", "1\u{663}", "z", "q)", "v.",
            "é", "-\u{a0}",
        ];
        let tails = [
            "", " ", "  ", "\u{a0}", "\u{2003}", "\t", "x", " x", "\u{a0}x", ")", ". y",
        ];
        for h in heads {
            for t in tails {
                lines.push(format!("{h}{t}"));
                lines.push(format!("{h}{t} mer tekst"));
            }
        }
        for letter in crate::sample_corpus::markdown_letters() {
            lines.extend(letter.lines().map(|l| l.trim().to_string()));
        }
        for l in &lines {
            let Some(got) = ascii_marker_end(l) else {
                continue;
            };
            let want = LIST_MARKER_PREFIX
                .captures(l)
                .map(|c| c.name("m").expect("group").end());
            assert_eq!(got, want, "{l:?}");
        }
    }

    #[test]
    fn markers() {
        assert_eq!(
            split_marker("• Andel i arbeid"),
            Some(("•", "Andel i arbeid"))
        );
        assert_eq!(split_marker("a) Utrede"), Some(("a)", "Utrede")));
        assert_eq!(split_marker("12. mars: Budsjettforslag"), None);
        assert_eq!(split_marker("12. Rapportere"), Some(("12.", "Rapportere")));
        assert_eq!(split_marker("2026 blir"), None);
    }

    /// A bullet whose text opens with a numbered or lettered marker and a capital is that
    /// item; a bullet before a date, an ordinal, an abbreviation or another bullet stays a
    /// bullet.
    #[test]
    fn a_bullet_before_a_numbered_or_lettered_marker_takes_that_marker() {
        assert_eq!(
            split_marker("• a) Vurdere nye råd"),
            Some(("a)", "Vurdere nye råd"))
        );
        assert_eq!(
            split_marker("- 2. Vurdere behov"),
            Some(("2.", "Vurdere behov"))
        );
        assert_eq!(
            split_marker("• 1. juni leveres rapporten"),
            Some(("•", "1. juni leveres rapporten"))
        );
        assert_eq!(split_marker("• • Andel"), Some(("•", "• Andel")));
        for ordinal in [
            "• 1. tertial 2026: status",
            "- 1) juni: høring",
            "• f. eks. en rapport",
        ] {
            assert_eq!(
                split_marker(ordinal).map(|(m, _)| m),
                Some("•"),
                "{ordinal}"
            );
        }
        let many = "• ".repeat(100_000) + "x";
        assert_eq!(split_marker(&many).map(|(m, _)| m), Some("•"));
    }
}
