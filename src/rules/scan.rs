//! One pass over a text for all rules: an Aho-Corasick automaton over the words every
//! pattern needs.
//!
//! Each pattern is reduced to the literal pieces any match of it must contain ("factors":
//! in `(?i)\b(skal|bes)\s+(\S+\s+){0,4}(sende|levere)\b` a match holds one of "skal", "bes"
//! and one of "sende", "levere"). One automaton finds all of them in a text at once; a
//! pattern whose every factor was seen is a candidate, and only candidates are run as the
//! exact regex, on the text or on any piece of it (a sentence, a cell). A pattern with no
//! literal piece (`\S`) is always a candidate.
//!
//! Why not a `RegexSet`: a Unicode `\b` (in nearly every rule) makes the regex crate leave
//! its DFA for its NFA simulation as soon as the text holds a letter outside ASCII (æ, ø,
//! å), and a DFA over the patterns loosened to do without `\b` grows too many states to be
//! fast. Text and literals are both mapped character by character to lower case
//! ([`fold`]), so a case-insensitive pattern is one literal per word; the automaton takes
//! ASCII capitals itself, so a text is copied folded only when it holds other capitals.
//!
//! Candidates are checked first in their loose form (without word boundaries, a DFA);
//! a pattern whose boundaries are only at its ends is settled there when they hold at the
//! ends of the loose match ([`Edges`]), and the others run the exact regex from where the
//! loose match starts.

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};
use rayon::prelude::*;
use regex::Regex;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{meta, Input};
use regex_syntax::hir::{Class, Hir, HirKind, Look};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Most strings one literal set may hold before the piece counts as "not literal".
const MAX_SET: usize = 64;
/// A class with at most this many characters is a set of literals (`[Ss]`, `[:.–-]`).
const MAX_CLASS: u32 = 8;
/// Factors whose shortest literal is shorter than this are dropped when a pattern has a
/// longer one: they are in nearly every text and only cost time.
const GOOD_FACTOR: usize = 3;

/// The automaton and which patterns each literal speaks for.
#[derive(Debug, Clone)]
pub(super) struct Scanner {
    /// The automaton over the folded literals, ASCII letters in either case: a text needs
    /// folding first only for its characters outside ASCII (see [`fold_needed`]).
    ac: Option<DFA>,
    /// Literal → the factors it satisfies.
    lit_factors: Vec<Vec<u32>>,
    /// Factor → its pattern.
    factor_pattern: Vec<u32>,
    /// Pattern → how many factors it needs (0: always a candidate).
    needs: Vec<u32>,
    /// Pattern → for a pattern with a Unicode `\b`, the same without any look-around,
    /// compiled on first use (see [`Scanner::is_match`]).
    loose: Vec<Option<Loose>>,
    always: Vec<u32>,
    /// Whether a literal holds a newline (then texts joined by newlines are scanned again).
    newline_literal: bool,
}

/// A pattern without its look-arounds, compiled when first needed, from its syntax tree
/// (printed and parsed again, its Unicode classes spelled out cost more than the compile).
#[derive(Debug, Clone)]
struct Loose {
    hir: Hir,
    regex: OnceLock<Option<meta::Regex>>,
    /// Whether the pattern can match the empty string somewhere (then its matches are
    /// read by the regex crate's own iterator, with its rules for empty matches).
    empty: bool,
    /// For a pattern whose only look-arounds are a `\b` at its start, its end or both
    /// (`\b(skal|bes)\s+(\S+\s+){0,4}(sende|levere)\b`): which of the two it has. Then a
    /// loose match with a word boundary at each of those ends is a match of the pattern,
    /// and the exact pattern need not run.
    edges: Option<Edges>,
}

/// The word boundaries a pattern has at its ends (see [`Loose::edges`]).
#[derive(Debug, Clone, Copy)]
struct Edges {
    start: bool,
    end: bool,
}

impl Edges {
    /// `Some` for a pattern that is a sequence with a `\b` first, last or both, and no
    /// other word-boundary look-around anywhere (anchors are kept in the loose form).
    fn of(h: &Hir) -> Option<Edges> {
        let HirKind::Concat(subs) = h.kind() else {
            return None;
        };
        let is_b = |h: &Hir| matches!(h.kind(), HirKind::Look(Look::WordUnicode));
        let start = subs.first().is_some_and(is_b);
        let end = subs.len() > 1 && subs.last().is_some_and(is_b);
        let inner = &subs[usize::from(start)..subs.len() - usize::from(end)];
        let words_inside = inner.iter().any(|s| {
            let looks = s.properties().look_set();
            looks.contains_word() || looks.contains(Look::WordUnicode)
        });
        ((start || end) && !words_inside).then_some(Edges { start, end })
    }

    /// Whether `text` has a word boundary (as the regex crate's Unicode `\b`) at each end
    /// of `start..end` that the pattern asks for.
    fn hold(self, text: &str, start: usize, end: usize) -> bool {
        (!self.start || word_boundary(text, start)) && (!self.end || word_boundary(text, end))
    }
}

/// A Unicode word boundary at byte `at` of `text`, decided by the same code and tables the
/// regex crate's `\b` runs (so the two cannot drift apart with a dependency update).
/// `false` when it cannot tell (`at` not a character boundary, no Unicode tables).
fn word_boundary(text: &str, at: usize) -> bool {
    text.is_char_boundary(at)
        && regex_automata::util::look::LookMatcher::new()
            .is_word_unicode(text.as_bytes(), at)
            .unwrap_or(false)
}

fn exact_size_limit() -> usize {
    super::REGEX_SIZE_LIMIT
}

/// `h` with every word boundary (`\b`, `\B`) replaced by the empty pattern: it matches
/// wherever `h` matches. Anchors (`^`, `$`) stay: a DFA runs them, and they keep an
/// anchored pattern quick to fail.
fn without_looks(h: Hir) -> Hir {
    match h.into_kind() {
        HirKind::Look(look) if is_anchor(look) => Hir::look(look),
        HirKind::Look(_) => Hir::empty(),
        HirKind::Capture(c) => without_looks(*c.sub),
        HirKind::Repetition(mut r) => {
            r.sub = Box::new(without_looks(*r.sub));
            Hir::repetition(r)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(without_looks).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.into_iter().map(without_looks).collect())
        }
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
    }
}

fn is_anchor(look: regex_syntax::hir::Look) -> bool {
    use regex_syntax::hir::Look;
    matches!(
        look,
        Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF
    )
}

/// Per-thread working memory of `Scanner::scan`, so that a scan allocates nothing.
#[derive(Default)]
struct Scratch {
    folded: Vec<u8>,
    /// Hits of the text being scanned, copied out at the end at their exact size.
    hits: Vec<(u32, u32, u32)>,
    /// The counts of [`Counter`], valid where their stamp is `stamp`: a new count moves
    /// the stamp on instead of clearing them (a scan of a 100-byte block would otherwise
    /// spend more time clearing than reading).
    stamp: u32,
    lit_seen: Vec<u32>,
    factor_seen: Vec<u32>,
    /// Per pattern: (stamp, factors seen).
    found: Vec<(u32, u32)>,
}

impl Scratch {
    /// The scratch's counts made ready for a new count of `scanner`'s patterns: the stamp
    /// moved on, and everything cleared only when the sizes changed (another rule set) or
    /// the stamp ran round.
    fn fresh_counts(&mut self, scanner: &Scanner) -> u32 {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0
            || self.lit_seen.len() != scanner.lit_factors.len()
            || self.factor_seen.len() != scanner.factor_pattern.len()
            || self.found.len() != scanner.needs.len()
        {
            self.lit_seen.clear();
            self.lit_seen.resize(scanner.lit_factors.len(), 0);
            self.factor_seen.clear();
            self.factor_seen.resize(scanner.factor_pattern.len(), 0);
            self.found.clear();
            self.found.resize(scanner.needs.len(), (0, 0));
            self.stamp = 1;
        }
        self.stamp
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The candidate patterns of one text (a bit per pattern).
#[derive(Debug, Clone)]
pub struct Scan {
    /// Patterns 0..256 (more than the default rules have), then the rest.
    bits: [u64; 4],
    more: Vec<u64>,
}

impl Scan {
    fn new(patterns: usize) -> Scan {
        Scan {
            bits: [0; 4],
            more: vec![0; patterns.saturating_sub(256).div_ceil(64)],
        }
    }

    pub(crate) fn has(&self, id: usize) -> bool {
        let w = id / 64;
        let word = if w < 4 {
            self.bits[w]
        } else {
            self.more.get(w - 4).copied().unwrap_or(0)
        };
        word & (1u64 << (id % 64)) != 0
    }

    fn set(&mut self, id: usize) {
        let w = id / 64;
        let word = if w < 4 {
            &mut self.bits[w]
        } else {
            match self.more.get_mut(w - 4) {
                Some(word) => word,
                None => return,
            }
        };
        *word |= 1u64 << (id % 64);
    }

    /// Whether no pattern at all may match.
    pub fn is_empty(&self) -> bool {
        self.bits.iter().chain(&self.more).all(|&w| w == 0)
    }
}

impl Scanner {
    /// Build the scanner for patterns given as regex source (as the regex crate took it).
    pub(super) fn new(patterns: &[&str]) -> Scanner {
        let mut lits: Vec<String> = Vec::new();
        let mut lit_index = std::collections::HashMap::new();
        let mut lit_factors: Vec<Vec<u32>> = Vec::new();
        let mut factor_pattern = Vec::new();
        let mut needs = Vec::with_capacity(patterns.len());
        let mut always = Vec::new();
        let mut loose = Vec::with_capacity(patterns.len());
        // Parsing every pattern again and reading its factors: on every core.
        let analysed: Vec<(Option<Loose>, Vec<BTreeSet<String>>)> = patterns
            .par_iter()
            .map(|src| {
                let hir = regex_syntax::Parser::new().parse(src).ok();
                let factors = hir.as_ref().map(chosen_factors).unwrap_or_default();
                let loose = hir
                    .filter(|h| h.properties().look_set().contains_word_unicode())
                    .map(|h| Loose {
                        empty: h.properties().minimum_len().is_none_or(|n| n == 0),
                        edges: Edges::of(&h),
                        hir: without_looks(h),
                        regex: OnceLock::new(),
                    });
                (loose, factors)
            })
            .collect();
        for (p, (l, fs)) in analysed.into_iter().enumerate() {
            loose.push(l);
            needs.push(fs.len() as u32);
            if fs.is_empty() {
                always.push(p as u32);
            }
            for f in fs {
                let id = factor_pattern.len() as u32;
                factor_pattern.push(p as u32);
                for lit in f {
                    let l = *lit_index.entry(lit.clone()).or_insert_with(|| {
                        lits.push(lit);
                        lit_factors.push(Vec::new());
                        lits.len() - 1
                    });
                    lit_factors[l].push(id);
                }
            }
        }
        let newline_literal = lits.iter().any(|l| l.contains('\n'));
        let ac = DFA::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(&lits)
            .ok()
            .filter(|dfa| dfa.start_state(Anchored::No).is_ok());
        // Without an automaton (it cannot fail for these sizes) every pattern is a candidate.
        let (needs, always) = if ac.is_some() {
            (needs, always)
        } else {
            (
                vec![0; patterns.len()],
                (0..patterns.len() as u32).collect(),
            )
        };
        Scanner {
            ac,
            lit_factors,
            factor_pattern,
            needs,
            loose,
            always,
            newline_literal,
        }
    }

    /// Whether pattern `id`, compiled as `exact()`, matches `text`. A pattern with a
    /// Unicode `\b` is first looked for without its look-arounds: that form matches
    /// wherever the pattern does and runs as a DFA, where `\b` makes the regex crate fall
    /// back to its NFA simulation on any text with æ, ø or å. Most candidates stop there;
    /// the others run the exact pattern only from where the loose form's leftmost match
    /// starts, as no match of the pattern can start before it, unless its word boundaries
    /// are at its ends only and hold at the ends of that match (see [`Loose::edges`]).
    ///
    /// `exact` is called only when the exact pattern must run, so that a built-in pattern
    /// the loose form always settles is never compiled (compiling is a large part of a run
    /// over one or two letters, as in `byrde diff`). `None` from it (a pattern that does
    /// not compile) is no match where the exact pattern must run, but a loose match with
    /// its edges holding is still a match; no pattern reaches this: a built-in one always
    /// compiles (a test compiles each), and one of a rule file given with `--rules` was
    /// compiled when loaded.
    pub(super) fn is_match<'r>(
        &self,
        id: usize,
        exact: impl FnOnce() -> Option<&'r Regex>,
        text: &str,
    ) -> bool {
        let edges = self.loose.get(id).and_then(|l| l.as_ref()?.edges);
        match self.loose_regex(id) {
            None => exact().is_some_and(|r| r.is_match(text)),
            Some(loose) => loose.find(text).is_some_and(|m| {
                edges.is_some_and(|e| e.hold(text, m.start(), m.end()))
                    || exact().is_some_and(|r| r.is_match_at(text, m.start()))
            }),
        }
    }

    /// Call `f` with every match of pattern `id` (compiled as `exact`) in `text`, as
    /// `exact.captures_iter(text)` gives them. Each search for the next match starts where
    /// the loose form next matches (no match of the pattern starts before it), so the
    /// exact pattern, in the regex crate's NFA where the text has æ, ø or å, runs over
    /// less of the text.
    pub(super) fn captures_each(
        &self,
        id: usize,
        exact: &Regex,
        text: &str,
        mut f: impl FnMut(&regex::Captures),
    ) {
        let empty = self.loose.get(id).and_then(|l| l.as_ref()).map(|l| l.empty);
        let Some(loose) = self.loose_regex(id) else {
            exact.captures_iter(text).for_each(|c| f(&c));
            return;
        };
        if empty == Some(true) {
            if loose.is_match(text) {
                exact.captures_iter(text).for_each(|c| f(&c));
            }
            return;
        }
        let mut at = 0;
        while let Some(m) = loose.find(Input::new(text).range(at..)) {
            let Some(c) = exact.captures_at(text, m.start()) else {
                return;
            };
            // Not empty (`empty` is false), so the next search starts past this one.
            at = c.get(0).map_or(text.len() + 1, |m| m.end());
            f(&c);
            if at > text.len() {
                return;
            }
        }
    }

    /// Whether pattern `id` has word boundaries only at its ends (for tests).
    #[cfg(test)]
    pub(super) fn has_edges(&self, id: usize) -> bool {
        self.loose
            .get(id)
            .is_some_and(|l| l.as_ref().is_some_and(|l| l.edges.is_some()))
    }

    fn loose_regex(&self, id: usize) -> Option<&meta::Regex> {
        self.loose.get(id).and_then(|l| l.as_ref()).and_then(|l| {
            l.regex
                .get_or_init(|| {
                    // Only where a match is, never its groups: no capture states to build.
                    let config = meta::Config::new()
                        .nfa_size_limit(Some(exact_size_limit()))
                        .which_captures(WhichCaptures::Implicit);
                    meta::Builder::new()
                        .configure(config)
                        .build_from_hir(&l.hir)
                        .ok()
                })
                .as_ref()
        })
    }

    /// The candidate patterns of `text`: one pass of the automaton.
    pub(super) fn scan(&self, text: &str) -> Scan {
        self.scan_inner(text, None)
    }

    /// `scan`, keeping where each literal was found, so that pieces of the text get their
    /// scans without another pass (see [`Scanner::piece_scan`]).
    pub(super) fn scan_hits(&self, text: &str) -> (Scan, Hits) {
        let mut hits = Hits {
            found: Vec::new(),
            offsets: true,
        };
        let scan = self.scan_inner(text, Some(&mut hits));
        (scan, hits)
    }

    fn scan_inner(&self, text: &str, hits: Option<&mut Hits>) -> Scan {
        let Some(ac) = &self.ac else {
            return self.scan_of_literals(std::iter::empty());
        };
        SCRATCH.with(|scratch| {
            let mut guard = scratch.borrow_mut();
            let stamp = guard.fresh_counts(self);
            let Scratch {
                folded,
                hits: scratch_hits,
                lit_seen,
                factor_seen,
                found,
                ..
            } = &mut *guard;
            // The automaton takes ASCII capitals as they are; only other characters that
            // are not their own fold need the folded copy.
            let (haystack, same_len): (&[u8], bool) = if !fold_needed(text.as_bytes()) {
                (text.as_bytes(), true)
            } else {
                match fold_into(text, folded) {
                    Fold::Same => (text.as_bytes(), true),
                    Fold::SameLengths => (folded, true),
                    Fold::OtherLengths => (folded, false),
                }
            };
            let mut counter = self.counter(stamp, lit_seen, factor_seen, found);
            match hits {
                Some(h) => {
                    scratch_hits.clear();
                    each_literal(ac, haystack, |l, start, end| {
                        scratch_hits.push((l, start, end));
                        counter.add(l);
                    });
                    h.found = scratch_hits.as_slice().to_vec();
                    h.offsets = same_len;
                }
                None => each_literal(ac, haystack, |l, _, _| counter.add(l)),
            }
            counter.scan
        })
    }

    /// A fresh count of factors seen, on the scratch's vectors (made ready for it by
    /// [`Scratch::fresh_counts`], which gave `stamp`).
    fn counter<'s>(
        &'s self,
        stamp: u32,
        lit_seen: &'s mut [u32],
        factor_seen: &'s mut [u32],
        found: &'s mut [(u32, u32)],
    ) -> Counter<'s> {
        let mut scan = Scan::new(self.needs.len());
        for &p in &self.always {
            scan.set(p as usize);
        }
        Counter {
            scanner: self,
            stamp,
            lit_seen,
            factor_seen,
            found,
            scan,
        }
    }

    /// The scan of a text in which the automaton found `lits` (in any order, repeats
    /// allowed).
    fn scan_of_literals(&self, lits: impl Iterator<Item = u32>) -> Scan {
        if self.ac.is_none() {
            let mut scan = Scan::new(self.needs.len());
            for &p in &self.always {
                scan.set(p as usize);
            }
            return scan;
        }
        SCRATCH.with(|scratch| {
            let mut guard = scratch.borrow_mut();
            let stamp = guard.fresh_counts(self);
            let Scratch {
                lit_seen,
                factor_seen,
                found,
                ..
            } = &mut *guard;
            let mut counter = self.counter(stamp, lit_seen, factor_seen, found);
            for l in lits {
                counter.add(l);
            }
            counter.scan
        })
    }

    /// The scan of `text[start..end]`, where `hits` are the hits of `text`: exactly what
    /// `scan` of the piece gives, as the fold maps each character on its own. `None` when
    /// the fold changed the length of a character, so that offsets do not carry over.
    pub(super) fn piece_scan(&self, hits: &Hits, start: usize, end: usize) -> Option<Scan> {
        if !hits.offsets {
            return None;
        }
        let (start, end) = (start as u32, end as u32);
        Some(
            self.scan_of_literals(
                hits.found
                    .iter()
                    .filter(|&&(_, s, e)| s >= start && e <= end)
                    .map(|&(l, _, _)| l),
            ),
        )
    }

    /// The scan of texts joined by newlines, from the hits of each: no literal holds a
    /// newline, so none spans two of them. `None` if one does.
    pub(super) fn joined_scan<'a>(&self, parts: impl Iterator<Item = &'a Hits>) -> Option<Scan> {
        if self.newline_literal {
            return None;
        }
        let mut all = Vec::new();
        for h in parts {
            all.extend(h.found.iter().map(|&(l, _, _)| l));
        }
        Some(self.scan_of_literals(all.into_iter()))
    }
}

/// Which patterns have had every factor seen, as literals come in. A literal, factor or
/// pattern count is of this count only where its stamp is `stamp`.
struct Counter<'s> {
    scanner: &'s Scanner,
    stamp: u32,
    lit_seen: &'s mut [u32],
    factor_seen: &'s mut [u32],
    found: &'s mut [(u32, u32)],
    scan: Scan,
}

impl Counter<'_> {
    fn add(&mut self, l: u32) {
        let l = l as usize;
        let stamp = self.stamp;
        if std::mem::replace(&mut self.lit_seen[l], stamp) == stamp {
            return;
        }
        let s = self.scanner;
        for &f in &s.lit_factors[l] {
            if std::mem::replace(&mut self.factor_seen[f as usize], stamp) == stamp {
                continue;
            }
            let p = s.factor_pattern[f as usize] as usize;
            let found = &mut self.found[p];
            let seen = if found.0 == stamp { found.1 + 1 } else { 1 };
            *found = (stamp, seen);
            if seen == s.needs[p] {
                self.scan.set(p);
            }
        }
    }
}

/// Where the automaton found each literal in one text: (literal, start, end) in bytes of
/// the folded text, which are bytes of the text itself when `offsets` is true.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    found: Vec<(u32, u32, u32)>,
    offsets: bool,
}

/// The text as the automaton reads it (UTF-8 bytes): every character lower-cased on its
/// own (and the long s as s). The same map is applied to the literals, so it needs to be
/// no more than a function of the character for the scan to miss nothing.
pub(super) fn fold(text: &str) -> Cow<'_, [u8]> {
    let mut out = Vec::new();
    if fold_into(text, &mut out) == Fold::Same {
        Cow::Borrowed(text.as_bytes())
    } else {
        Cow::Owned(out)
    }
}

/// What `fold_into` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// The text is its own fold; `out` was left alone.
    Same,
    /// The fold is in `out`, every character as long (in bytes) as in the text.
    SameLengths,
    /// The fold is in `out`, and some character changed its length.
    OtherLengths,
}

/// Every literal of `ac` in `haystack`, overlapping ones too, as (literal, start, end) in
/// order of their ends: what `find_overlapping_iter` gives, in a loop of a table lookup
/// and a compare per byte (the automaton's own overlapping search keeps its place in
/// memory at every byte, several times slower).
fn each_literal(ac: &DFA, haystack: &[u8], mut f: impl FnMut(u32, u32, u32)) {
    let Ok(start) = ac.start_state(Anchored::No) else {
        return;
    };
    let mut report = |sid, end: usize| {
        for k in 0..ac.match_len(sid) {
            let p = ac.match_pattern(sid, k);
            f(p.as_u32(), (end - ac.pattern_len(p)) as u32, end as u32);
        }
    };
    if ac.is_match(start) {
        report(start, 0);
    }
    let mut sid = start;
    for (i, &b) in haystack.iter().enumerate() {
        sid = ac.next_state(Anchored::No, sid, b);
        if ac.is_special(sid) {
            if ac.is_dead(sid) {
                return;
            }
            if ac.is_match(sid) {
                report(sid, i + 1);
            }
        }
    }
}

/// Whether a text holds a character outside ASCII that is not its own fold (so that the
/// automaton, which folds only ASCII letters, needs the folded copy). Lower-case Latin-1
/// letters and the signs (U+0080..U+00BF, U+00D7, U+00F7) and general punctuation
/// (U+2000..U+207F: dashes, quotes) are their own fold; any other character is taken to
/// need folding.
fn fold_needed(bytes: &[u8]) -> bool {
    use crate::bytescan::{chunk_at, HIGH};
    let mut i = 0;
    while i < bytes.len() {
        // Eight ASCII bytes (most of a letter) at once.
        if chunk_at(bytes, i).is_some_and(|x| x & HIGH == 0) {
            i += 8;
            continue;
        }
        match bytes[i] {
            b if b < 0x80 => i += 1,
            0xC2 => i += 2,
            0xC3 if bytes.get(i + 1).is_some_and(|&b2| b2 >= 0x9F || b2 == 0x97) => i += 2,
            0xE2 if matches!(bytes.get(i + 1), Some(0x80 | 0x81)) => i += 3,
            _ => return true,
        }
    }
    false
}

/// `fold` into `out` (cleared first).
fn fold_into(text: &str, out: &mut Vec<u8>) -> Fold {
    let bytes = text.as_bytes();
    if !bytes
        .iter()
        .any(|&b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        return Fold::Same;
    }
    out.clear();
    out.reserve(bytes.len() + 8);
    let mut same = true;
    let mut rest = text;
    while !rest.is_empty() {
        // ASCII runs byte by byte; other characters through Unicode lower case.
        let ascii = rest.bytes().take_while(u8::is_ascii).count();
        out.extend(rest.as_bytes()[..ascii].iter().map(u8::to_ascii_lowercase));
        rest = &rest[ascii..];
        // Latin-1 letters (two bytes, lead byte 0xC3): À..Þ but × lower-case to the
        // character 0x20 further on (à..þ), the rest (ß..ÿ, ×) are their own lower case.
        if let [0xC3, b2, ..] = *rest.as_bytes() {
            let lower = if (0x80..=0x9E).contains(&b2) && b2 != 0x97 {
                b2 + 0x20
            } else {
                b2
            };
            out.extend_from_slice(&[0xC3, lower]);
            rest = &rest[2..];
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            let before = out.len();
            fold_char(c, out);
            same &= out.len() - before == c.len_utf8();
            rest = chars.as_str();
        }
    }
    if same {
        Fold::SameLengths
    } else {
        Fold::OtherLengths
    }
}

fn fold_char(c: char, out: &mut Vec<u8>) {
    let mut buf = [0u8; 4];
    if c == 'ſ' {
        out.push(b's');
    } else {
        for l in c.to_lowercase() {
            out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
        }
    }
}

/// `fold` of a literal, as a string.
fn fold_str(s: &str) -> String {
    String::from_utf8_lossy(&fold(s)).into_owned()
}

/// The factors a pattern is filtered by: the long ones, or all if none is long. A string
/// that contains another of its set is dropped ("fristen" beside "frist"): where it
/// stands, so does the other.
fn chosen_factors(h: &Hir) -> Vec<BTreeSet<String>> {
    let minimal = |f: BTreeSet<String>| -> BTreeSet<String> {
        f.iter()
            .filter(|s| !f.iter().any(|t| t != *s && s.contains(t.as_str())))
            .cloned()
            .collect()
    };
    let all: Vec<BTreeSet<String>> = factors(h).into_iter().map(minimal).collect();
    let shortest = |f: &BTreeSet<String>| f.iter().map(|s| s.chars().count()).min().unwrap_or(0);
    let good: Vec<BTreeSet<String>> = all
        .iter()
        .filter(|f| shortest(f) >= GOOD_FACTOR)
        .cloned()
        .collect();
    if good.is_empty() {
        all
    } else {
        good
    }
}

/// Sets of literals such that every match of `h` contains a string of each set. None of
/// the sets holds the empty string.
fn factors(h: &Hir) -> Vec<BTreeSet<String>> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Vec::new(),
        HirKind::Literal(_) | HirKind::Class(_) => {
            exact(h).filter(|s| !s.contains("")).into_iter().collect()
        }
        HirKind::Capture(c) => factors(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => factors(&r.sub),
        HirKind::Repetition(_) => Vec::new(),
        HirKind::Alternation(subs) => {
            // Every branch must give one; the union of each branch's best is a factor.
            let mut union = BTreeSet::new();
            for s in subs {
                let best = factors(s).into_iter().max_by_key(|f| {
                    let shortest = f.iter().map(|s| s.chars().count()).min().unwrap_or(0);
                    (shortest, std::cmp::Reverse(f.len()))
                });
                match best {
                    Some(f) => union.extend(f),
                    None => return Vec::new(),
                }
            }
            if union.len() <= MAX_SET * 4 {
                vec![union]
            } else {
                Vec::new()
            }
        }
        HirKind::Concat(subs) => {
            // Runs of neighbouring literal pieces are joined ("skal" "\s"? no: only exact
            // pieces join), every other piece gives its own factors.
            let mut out = Vec::new();
            let mut run: Option<BTreeSet<String>> = None;
            let flush = |run: &mut Option<BTreeSet<String>>, out: &mut Vec<BTreeSet<String>>| {
                if let Some(r) = run.take() {
                    if !r.contains("") {
                        out.push(r);
                    }
                }
            };
            for s in subs {
                match exact(s) {
                    Some(set) => {
                        run = Some(match run.take() {
                            None => set,
                            Some(r) => match cross(&r, &set) {
                                Some(joined) => joined,
                                None => {
                                    let mut r = Some(r);
                                    flush(&mut r, &mut out);
                                    set
                                }
                            },
                        });
                    }
                    None => {
                        flush(&mut run, &mut out);
                        out.extend(factors(s));
                    }
                }
            }
            flush(&mut run, &mut out);
            out
        }
    }
}

/// Every string `h` can match (folded), when there are few and they are short.
fn exact(h: &Hir) -> Option<BTreeSet<String>> {
    let one = |s: String| Some(BTreeSet::from([s]));
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => one(String::new()),
        HirKind::Literal(l) => {
            let s = std::str::from_utf8(&l.0).ok()?;
            one(fold_str(s))
        }
        HirKind::Class(Class::Unicode(c)) => {
            let size: u32 = c
                .ranges()
                .iter()
                .map(|r| r.end() as u32 - r.start() as u32 + 1)
                .sum();
            if size > MAX_CLASS {
                return None;
            }
            let mut set = BTreeSet::new();
            for r in c.ranges() {
                for ch in r.start()..=r.end() {
                    let mut s = [0u8; 4];
                    set.insert(fold_str(ch.encode_utf8(&mut s)));
                }
            }
            Some(set)
        }
        HirKind::Class(Class::Bytes(c)) => {
            let size: u32 = c
                .ranges()
                .iter()
                .map(|r| r.end() as u32 - r.start() as u32 + 1)
                .sum();
            if size > MAX_CLASS || c.ranges().iter().any(|r| !r.end().is_ascii()) {
                return None;
            }
            Some(
                c.ranges()
                    .iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(|b| (b as char).to_ascii_lowercase().to_string())
                    .collect(),
            )
        }
        HirKind::Capture(c) => exact(&c.sub),
        HirKind::Repetition(r) => {
            let max = r.max?;
            if max > 3 {
                return None;
            }
            let sub = exact(&r.sub)?;
            let mut all = BTreeSet::new();
            let mut power = BTreeSet::from([String::new()]);
            for n in 0..=max {
                if n >= r.min {
                    all.extend(power.iter().cloned());
                }
                if n < max {
                    power = cross(&power, &sub)?;
                }
            }
            (all.len() <= MAX_SET).then_some(all)
        }
        HirKind::Concat(subs) => {
            let mut acc = BTreeSet::from([String::new()]);
            for s in subs {
                acc = cross(&acc, &exact(s)?)?;
            }
            Some(acc)
        }
        HirKind::Alternation(subs) => {
            let mut acc = BTreeSet::new();
            for s in subs {
                acc.extend(exact(s)?);
                if acc.len() > MAX_SET {
                    return None;
                }
            }
            Some(acc)
        }
    }
}

/// Every string of `a` followed by every string of `b`, if there are not too many.
fn cross(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Option<BTreeSet<String>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    Some(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| format!("{x}{y}")))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factors_of(p: &str) -> Vec<Vec<String>> {
        let h = regex_syntax::Parser::new().parse(p).expect("parses");
        chosen_factors(&h)
            .into_iter()
            .map(|f| f.into_iter().collect())
            .collect()
    }

    /// The fold's shortcut for Latin-1 letters maps them as `char::to_lowercase` does.
    #[test]
    fn fold_is_lower_case_character_by_character() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            let text = format!("A{c}b{c}");
            let mut want = Vec::new();
            for ch in text.chars() {
                fold_char(ch, &mut want);
            }
            assert_eq!(fold(&text).as_ref(), want.as_slice(), "{c:?}");
        }
    }

    /// A text `fold_needed` lets through unfolded holds no character, outside ASCII, that
    /// the fold changes (the automaton folds ASCII itself); and it is told apart from one
    /// that does hold one wherever in the text that character stands.
    #[test]
    fn text_left_unfolded_is_its_own_fold_but_for_ascii() {
        for c in (0x80..0x3000u32).filter_map(char::from_u32) {
            let mut folded = Vec::new();
            fold_char(c, &mut folded);
            let own = folded == c.to_string().as_bytes();
            for text in [
                format!("{c}"),
                format!("Ab {c}"),
                format!("{c}ø"),
                format!("æ{c}Q"),
                // Past and across the eight-byte steps over ASCII.
                format!("abcdefg{c}"),
                format!("abcdefgh{c}"),
                format!("Direktoratet skal {c} rapportere"),
            ] {
                if !fold_needed(text.as_bytes()) {
                    assert!(own, "{c:?} ({:04X}) is folded but let through", c as u32);
                }
            }
        }
        assert!(!fold_needed(
            "Direktoratet skal rapportere – «årlig» × 2 µ".as_bytes()
        ));
        assert!(fold_needed("ÅRSRAPPORT".as_bytes()));
        assert!(fold_needed("ſkal".as_bytes()));
    }

    /// The literal loop finds what the automaton's own overlapping search finds.
    #[test]
    fn each_literal_is_find_overlapping_iter() {
        let lits = [
            "skal",
            "ska",
            "kal",
            "rapport",
            "tertialrapport",
            "rapporten",
            "å",
            "år",
        ];
        let dfa = DFA::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(lits)
            .unwrap();
        for text in [
            "",
            "Skal",
            "tertialrapporten skal ikke",
            "årsrapport: år for år",
            "SKALSKAL",
        ] {
            let want: Vec<(u32, u32, u32)> = dfa
                .try_find_overlapping_iter(aho_corasick::Input::new(text))
                .unwrap()
                .map(|m| (m.pattern().as_u32(), m.start() as u32, m.end() as u32))
                .collect();
            let mut got = Vec::new();
            each_literal(&dfa, text.as_bytes(), |l, s, e| got.push((l, s, e)));
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// The shortcut for word boundaries at a pattern's ends, where the character inside the
    /// boundary is not a word character (`\b§`), and at the start and end of the text.
    #[test]
    fn edge_boundaries_next_to_signs_and_text_ends() {
        let patterns = [r"\b§\s*\d+", r"\d+\s*%\b", r"(?i)\bår\b", r"\b\.\d\b"];
        let s = Scanner::new(&patterns);
        let texts = [
            "§ 12", "a§ 12", " § 12", "12 %", "12 %a", "12 %.", "år", "bår", "år.", "Ærå", "x.5",
            ".5", " .5 ", "", "§", "%",
        ];
        for (id, p) in patterns.iter().enumerate() {
            let exact = Regex::new(p).unwrap();
            for t in texts {
                assert_eq!(
                    s.is_match(id, || Some(&exact), t),
                    exact.is_match(t),
                    "{p} on {t:?}"
                );
            }
        }
    }

    /// The exact pattern is asked for only when the loose form cannot settle the answer:
    /// not when the loose form finds nothing or its match has its edges, but when an edge
    /// fails (and for a pattern with a word boundary inside it).
    #[test]
    fn the_exact_pattern_is_compiled_only_when_it_must_run() {
        let patterns = [r"(?i)\bskal\s+rapportere\b", r"(?i)\bskal\b\s+rapportere"];
        let s = Scanner::new(&patterns);
        let exact: Vec<Regex> = patterns.iter().map(|p| Regex::new(p).unwrap()).collect();
        let asked = |id: usize, t: &str| {
            let calls = std::cell::Cell::new(0);
            let answer = s.is_match(
                id,
                || {
                    calls.set(calls.get() + 1);
                    Some(&exact[id])
                },
                t,
            );
            assert_eq!(answer, exact[id].is_match(t), "{} on {t:?}", patterns[id]);
            calls.get()
        };
        assert_eq!(asked(0, "Direktoratet skal rapportere i årsrapporten."), 0);
        assert_eq!(asked(0, "Direktoratet skal levere."), 0);
        assert_eq!(asked(0, "Direktoratet skal rapporteres."), 1);
        assert_eq!(asked(1, "Direktoratet skal levere."), 0);
        assert_eq!(asked(1, "Direktoratet skal rapportere."), 1);
    }

    #[test]
    fn case_insensitive_words_are_one_literal_each() {
        assert_eq!(
            factors_of(r"(?i)\b(skal|bes)\s+(\S+\s+){0,4}(sende|levere)\b"),
            [vec!["bes", "skal"], vec!["levere", "sende"]]
        );
        assert_eq!(factors_of(r"(?i)\bfrist(en)?\b"), [vec!["frist"]]);
    }

    #[test]
    fn a_pattern_without_literals_is_always_a_candidate() {
        assert!(factors_of(r"\S").is_empty());
        let s = Scanner::new(&[r"\S", r"(?i)\bårsrapport"]);
        let scan = s.scan("Noe helt annet");
        assert!(scan.has(0) && !scan.has(1));
        assert!(s.scan("I ÅRSRAPPORTEN").has(1));
    }

    /// A scan's counts are of that scan alone whatever the stamp of the thread's scratch,
    /// when the stamp runs round too (the counts, of which those never touched are at 0,
    /// must then be cleared).
    #[test]
    fn scans_hold_when_the_stamp_runs_round() {
        let s = Scanner::new(&[r"(?i)\bskal\s+rapportere\b", r"(?i)\bfrist\b", "årsrapport"]);
        let bits = |scan: &Scan| (0..3).map(|p| scan.has(p)).collect::<Vec<_>>();
        // The scratch sized for this scanner, no literal counted yet.
        assert_eq!(bits(&s.scan("")), [false; 3]);
        SCRATCH.with(|scratch| scratch.borrow_mut().stamp = u32::MAX - 1);
        for _ in 0..2 {
            let want = [
                ("Direktoratet skal rapportere", [true, false, false]),
                ("Frist: 1. mai", [false, true, false]),
                ("i årsrapporten", [false, false, true]),
                ("", [false; 3]),
            ];
            for (t, w) in want {
                assert_eq!(bits(&s.scan(t)), w, "{t:?}");
            }
        }
        assert!(SCRATCH.with(|scratch| scratch.borrow().stamp) < 100);
    }

    #[test]
    fn every_factor_is_needed() {
        let s = Scanner::new(&[r"(?i)\b(skal|bør)\s+([a-zæøå]+\s+){0,3}prioritere\b"]);
        assert!(!s.scan("Direktoratet skal levere").has(0));
        assert!(!s.scan("prioritere").has(0));
        assert!(s.scan("Direktoratet BØR prioritere").has(0));
    }
}
