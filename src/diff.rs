//! `byrde diff`: what changed from one letter (or one year of a series) to the next, item
//! by item.
//!
//! A bare count is not an answer to "was the burden reduced?": a ministry can drop three
//! goals and add eight oppdrag, or reword a demand without changing it. So items are
//! matched one-to-one within each category and each ends up kept, reworded, removed or
//! added:
//!
//! 1. the same oppdrag ID on both sides is the same oppdrag (a strong key);
//! 2. the same text after normalising (NFKC, case, whitespace, punctuation, list numbering)
//!    is the same item, wherever it stands: an item that moved to another section is kept
//!    (and marked `moved`), not removed and added;
//! 3. the remaining pairs are compared by word-level similarity (`similar`'s ratio: twice the
//!    words they share in order, over the words of both), best pairs first; a pair at or above
//!    [`REWORDED_MIN`] is the same item reworded, with its inserted and deleted words shown;
//! 4. what is left is removed (old side) or added (new side).

use crate::analysis::Analysis;
use crate::classify::Item;
use crate::measure::Summary;
use crate::meta::Meta;
use crate::rules::CATEGORIES;
use rayon::prelude::*;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use std::collections::HashMap;
use std::path::PathBuf;

/// Two items whose word ratio is at least this are one item, reworded. At 0.5 half of the
/// words of both texts must be shared in order: a changed number, date or clause passes, a
/// different demand on the same subject ("Andel ... skal øke" against "Andel ... skal
/// reduseres" under another parameter) mostly does not. Measured on the sample corpus: the
/// reworded pairs score 0.70–0.95, the closest unrelated pairs below 0.45.
pub const REWORDED_MIN: f64 = 0.5;

/// One side of a comparison: one letter, or the letters of one year of a series.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub files: Vec<PathBuf>,
    pub meta: Meta,
    pub summary: Summary,
    #[serde(skip)]
    pub items: Vec<(PathBuf, Item)>,
}

impl Side {
    /// Put analysed documents together (a main letter and its supplerende letters).
    pub fn from_analyses(docs: Vec<Analysis>) -> Side {
        let summary = Summary::combine(docs.iter().map(|d| &d.summary));
        let meta = docs.first().map(|d| d.meta.clone()).unwrap_or_default();
        let files = docs.iter().map(|d| d.file.clone()).collect();
        let items = docs
            .into_iter()
            .flat_map(|d| {
                let file = d.file;
                d.items.into_iter().map(move |i| (file.clone(), i))
            })
            .collect();
        Side {
            files,
            meta,
            summary,
            items,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Removed,
    Reworded,
    Added,
    Kept,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Kept => "kept",
            Status::Reworded => "reworded",
            Status::Removed => "removed",
            Status::Added => "added",
        }
    }
}

/// Where an item stands, for the report.
#[derive(Debug, Clone, Serialize)]
pub struct ItemRef {
    pub file: PathBuf,
    pub page: u32,
    pub line: u32,
    pub heading: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub text: String,
}

impl ItemRef {
    fn new(file: &std::path::Path, it: &Item) -> ItemRef {
        ItemRef {
            file: file.to_path_buf(),
            page: it.page,
            line: it.line,
            heading: it.heading.clone(),
            id: it.id.clone(),
            text: it.text.clone(),
        }
    }
}

/// One word-level edit of a reworded item, in order.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum WordOp {
    Same(String),
    Deleted(String),
    Inserted(String),
}

/// What happened to one item.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub category: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<ItemRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<ItemRef>,
    /// Word ratio of a reworded pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// Kept or reworded, but under another heading.
    pub moved: bool,
    /// The word-level change of a reworded item.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<WordOp>,
}

/// Count of one category (or summary figure) on both sides.
#[derive(Debug, Clone, Serialize)]
pub struct CountRow {
    pub category: String,
    pub old: f64,
    pub new: f64,
    pub change: f64,
    /// Change in percent of the old value; None when the old value is zero.
    pub percent: Option<f64>,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    pub counts: Vec<CountRow>,
    pub changes: Vec<Change>,
}

impl Diff {
    /// Changes of one status in one category.
    pub fn tally(&self, category: &str, status: Status) -> usize {
        self.changes
            .iter()
            .filter(|c| c.category == category && c.status == status)
            .count()
    }

    /// Whether the new side demands more: styringskrav up, or any of `fail_on` (category
    /// names or summary figures) up.
    pub fn demands_more(&self, fail_on: &[String]) -> bool {
        self.counts.iter().any(|r| {
            r.change > 0.0
                && (r.category == "styringskrav" || fail_on.iter().any(|f| f == &r.category))
        })
    }
}

/// Compare two sides.
pub fn diff(old: Side, new: Side) -> Diff {
    let mut changes = Vec::new();
    for &cat in CATEGORIES {
        let o: Vec<&(PathBuf, Item)> = old
            .items
            .iter()
            .filter(|(_, i)| i.category == cat)
            .collect();
        let n: Vec<&(PathBuf, Item)> = new
            .items
            .iter()
            .filter(|(_, i)| i.category == cat)
            .collect();
        changes.extend(match_category(cat, &o, &n));
    }
    changes.sort_by_key(|c| {
        let at = c.new.as_ref().or(c.old.as_ref());
        (
            CATEGORIES.iter().position(|&k| k == c.category),
            c.status,
            at.map(|a| (a.page, a.line)),
        )
    });
    let counts = count_rows(&old.summary, &new.summary);
    Diff {
        old,
        new,
        counts,
        changes,
    }
}

fn count_rows(o: &Summary, n: &Summary) -> Vec<CountRow> {
    let row = |category: &str, old: f64, new: f64| CountRow {
        category: category.to_string(),
        old,
        new,
        change: round3(new - old),
        percent: (old != 0.0).then(|| round3((new - old) / old * 100.0)),
    };
    crate::measure::figure_names()
        .into_iter()
        .map(|name| {
            let (o, n) = (o.figure(name), n.figure(name));
            row(name, o.unwrap_or(0.0), n.unwrap_or(0.0))
        })
        .collect()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Normalised words of an item for matching: lower case, punctuation and a leading list
/// number dropped. An entry item (an oppdrag section) is compared by its title without the
/// ID and its opening text, since IDs change from year to year.
fn words_of(it: &Item) -> Vec<String> {
    let mut text = String::new();
    if let Some(t) = &it.title {
        let title = match &it.id {
            Some(id) => t.replacen(id.as_str(), "", 1),
            None => t.clone(),
        };
        text.push_str(&title);
        text.push(' ');
    }
    text.push_str(&it.text);
    let mut words = crate::layout::normal_words(&text);
    // "1." or "a)" that numbers a list item is not part of what it says.
    if words.len() > 1 && words[0].chars().count() <= 2 && text.trim_start().len() > 2 {
        let first = text.split_whitespace().next().unwrap_or("");
        if first.ends_with('.') || first.ends_with(')') {
            words.remove(0);
        }
    }
    words
}

/// Word ratio in [0, 1]: 2 × words shared in order / words of both.
fn ratio(a: &[String], b: &[String]) -> f64 {
    let mut vocab = Vocab::default();
    let (a, b) = (vocab.ids(a), vocab.ids(b));
    let mut lcs = Lcs::new(vocab.len());
    lcs.load(&a);
    lcs.ratio_with(&b)
}

/// Words as numbers, so that comparing two items does not hash strings.
#[derive(Default)]
struct Vocab<'a> {
    ids: HashMap<&'a str, u32>,
}

impl<'a> Vocab<'a> {
    fn ids(&mut self, words: &'a [String]) -> Vec<u32> {
        words
            .iter()
            .map(|w| {
                let next = self.ids.len() as u32;
                *self.ids.entry(w.as_str()).or_insert(next)
            })
            .collect()
    }

    fn len(&self) -> usize {
        self.ids.len()
    }
}

/// The longest common subsequence of one word sequence (loaded) with others, by the
/// bit-parallel algorithm (Allison and Dix; Hyyrö): one pass over the other sequence, with
/// a machine word per 64 words of the loaded one per step. It gives the ratio `similar`'s
/// `TextDiff::ratio` gives (its Myers diff is minimal, so its matches are an LCS; a test
/// checks), computed the same way in `f32`, at a small fraction of the cost: goal 4 of the
/// performance issue compares 300 × 300 items.
struct Lcs {
    /// Word id → index into `masks`, or `NONE` for words not in the loaded sequence.
    slot: Vec<u32>,
    /// For each word of the loaded sequence, the bits of the positions where it stands.
    masks: Vec<Vec<u64>>,
    /// For a loaded sequence of at most 64 words (nearly every item): word id → its
    /// positions' bits, 0 for words not in it, so a step is one load and no branch.
    single: Vec<u64>,
    loaded: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl Lcs {
    fn new(vocab: usize) -> Lcs {
        Lcs {
            slot: vec![NONE; vocab],
            masks: Vec::new(),
            single: vec![0; vocab],
            loaded: Vec::new(),
        }
    }

    fn load(&mut self, a: &[u32]) {
        for &w in &self.loaded {
            self.slot[w as usize] = NONE;
            self.single[w as usize] = 0;
        }
        self.masks.clear();
        let blocks = a.len().div_ceil(64);
        for (i, &w) in a.iter().enumerate() {
            if self.slot[w as usize] == NONE {
                self.slot[w as usize] = self.masks.len() as u32;
                self.masks.push(vec![0; blocks]);
            }
            self.masks[self.slot[w as usize] as usize][i / 64] |= 1 << (i % 64);
        }
        if a.len() <= 64 {
            for (i, &w) in a.iter().enumerate() {
                self.single[w as usize] |= 1 << i;
            }
        }
        self.loaded = a.to_vec();
    }

    /// Length of the longest common subsequence of the loaded sequence with `b`.
    fn with(&self, b: &[u32]) -> usize {
        let len = self.loaded.len();
        if len <= 64 {
            return self.with_one_block(b);
        }
        // A zero bit in `v` is a position of the loaded sequence in the LCS so far.
        let mut v = vec![!0u64; len.div_ceil(64)];
        for &w in b {
            let Some(m) = self.masks.get(self.slot[w as usize] as usize) else {
                continue;
            };
            let mut carry = false;
            for (vk, &mk) in v.iter_mut().zip(m) {
                let u = *vk & mk;
                let (sum, c1) = vk.overflowing_add(u);
                let (sum, c2) = sum.overflowing_add(u64::from(carry));
                carry = c1 || c2;
                *vk = sum | (*vk & !mk);
            }
        }
        let ones: usize = v
            .iter()
            .enumerate()
            .map(|(k, x)| {
                let valid = len - 64 * k;
                let mask = if valid >= 64 { !0 } else { (1u64 << valid) - 1 };
                (x & mask).count_ones() as usize
            })
            .sum();
        len - ones
    }

    /// [`Lcs::with`] for a loaded sequence of at most 64 words (nearly every item): the
    /// same steps on one machine word, without allocating.
    fn with_one_block(&self, b: &[u32]) -> usize {
        let len = self.loaded.len();
        let mut v = !0u64;
        for &w in b {
            // A word not in the loaded sequence has m = 0, which leaves v as it is.
            let m = self.single[w as usize];
            v = v.wrapping_add(v & m) | (v & !m);
        }
        let mask = if len == 64 { !0 } else { (1u64 << len) - 1 };
        len - (v & mask).count_ones() as usize
    }

    fn ratio_with(&self, b: &[u32]) -> f64 {
        let len = self.loaded.len() + b.len();
        if len == 0 {
            return 1.0;
        }
        f64::from(2.0 * self.with(b) as f32 / len as f32)
    }
}

/// A pair of items worth pairing, as one sort key: best ratio first, then old and new
/// index. Two letters of 300 similar items give 90,000 of them; sorting packed integers
/// takes a tenth of the time of sorting tuples by a float comparison.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Candidate(u128);

impl Candidate {
    fn new(ratio: f64, a: usize, b: usize) -> Candidate {
        // A non-negative f64's bits order as its value; inverted, the best ratio sorts first.
        debug_assert!(ratio >= 0.0);
        let best_first = !ratio.to_bits();
        Candidate((u128::from(best_first) << 64) | ((a as u128) << 32) | b as u128)
    }

    fn parts(self) -> (f64, usize, usize) {
        let ratio = f64::from_bits(!((self.0 >> 64) as u64));
        (
            ratio,
            (self.0 >> 32) as u32 as usize,
            self.0 as u32 as usize,
        )
    }
}

fn match_category(cat: &str, old: &[&(PathBuf, Item)], new: &[&(PathBuf, Item)]) -> Vec<Change> {
    let ow: Vec<Vec<String>> = old.iter().map(|(_, i)| words_of(i)).collect();
    let nw: Vec<Vec<String>> = new.iter().map(|(_, i)| words_of(i)).collect();
    let mut used_o = vec![false; old.len()];
    let mut used_n = vec![false; new.len()];
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();

    // 1. Oppdrag IDs.
    for (a, (_, oi)) in old.iter().enumerate() {
        let Some(id) = &oi.id else { continue };
        if let Some(b) = (0..new.len()).find(|&b| !used_n[b] && new[b].1.id.as_ref() == Some(id)) {
            used_o[a] = true;
            used_n[b] = true;
            pairs.push((a, b, ratio(&ow[a], &nw[b])));
        }
    }
    // 2. Same words, in document order on both sides.
    let mut by_words: HashMap<&[String], Vec<usize>> = HashMap::new();
    for (b, w) in nw.iter().enumerate() {
        if !used_n[b] {
            by_words.entry(w.as_slice()).or_default().push(b);
        }
    }
    for (a, w) in ow.iter().enumerate() {
        if used_o[a] {
            continue;
        }
        if let Some(list) = by_words.get_mut(w.as_slice()) {
            if let Some(pos) = list.iter().position(|&b| !used_n[b]) {
                let b = list.remove(pos);
                used_o[a] = true;
                used_n[b] = true;
                pairs.push((a, b, 1.0));
            }
        }
    }
    // 3. The rest by similarity, best pairs first.
    let mut vocab = Vocab::default();
    let oid: Vec<Vec<u32>> = ow.iter().map(|w| vocab.ids(w)).collect();
    let nid: Vec<Vec<u32>> = nw.iter().map(|w| vocab.ids(w)).collect();
    let vocab_len = vocab.len();
    // Rows on every core: each pair is computed on its own and the sort fixes the order.
    let open_new: Vec<usize> = (0..new.len()).filter(|&b| !used_n[b]).collect();
    let mut candidates: Vec<Candidate> = (0..old.len())
        .into_par_iter()
        .filter(|&a| !used_o[a])
        .map_init(
            || Lcs::new(vocab_len),
            |lcs, a| {
                lcs.load(&oid[a]);
                open_new
                    .iter()
                    .filter_map(|&b| {
                        let r = lcs.ratio_with(&nid[b]);
                        (r >= REWORDED_MIN).then(|| Candidate::new(r, a, b))
                    })
                    .collect::<Vec<_>>()
            },
        )
        .flatten_iter()
        .collect();
    // Every key is distinct (one per pair), so an unstable sort gives the one order.
    candidates.sort_unstable();
    for (r, a, b) in candidates.into_iter().map(Candidate::parts) {
        if !used_o[a] && !used_n[b] {
            used_o[a] = true;
            used_n[b] = true;
            pairs.push((a, b, r));
        }
    }

    let mut out = Vec::new();
    for (a, b, r) in pairs {
        let (of, oi) = old[a];
        let (nf, ni) = new[b];
        let same = ow[a] == nw[b];
        out.push(Change {
            category: cat.to_string(),
            status: if same { Status::Kept } else { Status::Reworded },
            old: Some(ItemRef::new(of, oi)),
            new: Some(ItemRef::new(nf, ni)),
            similarity: (!same).then_some(round3(r)),
            moved: moved(&oi.heading, &ni.heading),
            words: if same {
                Vec::new()
            } else {
                word_ops(&oi.text, &ni.text)
            },
        });
    }
    for (a, (f, it)) in old.iter().enumerate().filter(|(a, _)| !used_o[*a]) {
        let _ = a;
        out.push(Change {
            category: cat.to_string(),
            status: Status::Removed,
            old: Some(ItemRef::new(f, it)),
            new: None,
            similarity: None,
            moved: false,
            words: Vec::new(),
        });
    }
    for (f, it) in new
        .iter()
        .enumerate()
        .filter(|(b, _)| !used_n[*b])
        .map(|(_, x)| x)
    {
        out.push(Change {
            category: cat.to_string(),
            status: Status::Added,
            old: None,
            new: Some(ItemRef::new(f, it)),
            similarity: None,
            moved: false,
            words: Vec::new(),
        });
    }
    out
}

/// The words of each heading of a trail below the title, numbers and years dropped: "5
/// Føringer for 2023" and "4 Føringer for 2024" are the same place renumbered.
fn place(trail: &str) -> Vec<Vec<String>> {
    trail
        .split(" > ")
        .skip(1)
        .map(|h| {
            h.split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
                .filter(|w| !w.is_empty())
                .collect()
        })
        .collect()
}

/// An item moved when the headings it stands under, after the ones both trails share,
/// have less than half their words in common ("Hovedmål 1: Flere i arbeid >
/// Styringsparametere" against "Hovedmål 2: Et godt arbeidsliv > Styringsparametere"); a
/// renamed chapter ("Mål- og styringsprinsipper" → "Styringsprinsipper") is not a move.
fn moved(old_trail: &str, new_trail: &str) -> bool {
    let (o, n) = (place(old_trail), place(new_trail));
    let shared = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
    let rest = |p: &[Vec<String>]| p[shared..].concat();
    let (ro, rn) = (rest(&o), rest(&n));
    !(ro.is_empty() && rn.is_empty()) && ratio(&ro, &rn) < MOVED_BELOW
}

/// Heading trails with a word ratio below this are different places.
pub const MOVED_BELOW: f64 = 0.5;

/// Word-level edits from the old text to the new, merged into runs.
pub fn word_ops(old: &str, new: &str) -> Vec<WordOp> {
    let diff = TextDiff::from_words(old, new);
    let mut ops: Vec<WordOp> = Vec::new();
    for change in diff.iter_all_changes() {
        let value = change.value();
        let op = match change.tag() {
            ChangeTag::Equal => WordOp::Same(value.to_string()),
            ChangeTag::Delete => WordOp::Deleted(value.to_string()),
            ChangeTag::Insert => WordOp::Inserted(value.to_string()),
        };
        match (ops.last_mut(), &op) {
            (Some(WordOp::Same(a)), WordOp::Same(b))
            | (Some(WordOp::Deleted(a)), WordOp::Deleted(b))
            | (Some(WordOp::Inserted(a)), WordOp::Inserted(b)) => a.push_str(b),
            _ => ops.push(op),
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(|x| x.to_lowercase()).collect()
    }

    #[test]
    fn ratio_of_a_changed_number() {
        let a = w("Andelen skal være minst 65 prosent");
        let b = w("Andelen skal være minst 70 prosent");
        let r = ratio(&a, &b);
        assert!(r > 0.8 && r < 0.9, "{r}");
    }

    /// The bit-parallel LCS gives `similar`'s ratio exactly, on sequences long enough to
    /// span several machine words and with few distinct words (many equal LCS choices).
    #[test]
    fn lcs_ratio_equals_similars() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let words = ["skal", "rapportere", "om", "mål", "og", "tiltak"];
        for round in 0..2000 {
            let len = |next: &mut dyn FnMut(u64) -> u64| {
                let max = if round % 10 == 0 { 200 } else { 30 };
                next(max) as usize
            };
            let (na, nb) = (len(&mut next), len(&mut next));
            let alphabet = 1 + next(words.len() as u64);
            let a: Vec<String> = (0..na)
                .map(|_| words[next(alphabet) as usize].to_string())
                .collect();
            let b: Vec<String> = (0..nb)
                .map(|_| words[next(alphabet) as usize].to_string())
                .collect();
            let sa: Vec<&str> = a.iter().map(String::as_str).collect();
            let sb: Vec<&str> = b.iter().map(String::as_str).collect();
            let expected = f64::from(TextDiff::from_slices(&sa, &sb).ratio());
            assert_eq!(ratio(&a, &b), expected, "{a:?} / {b:?}");
        }
    }

    /// Packed candidates sort as (ratio descending, old index, new index) and give their
    /// parts back unchanged.
    #[test]
    fn candidates_sort_best_ratio_first_then_by_index() {
        let pairs = [
            (0.5f64, 3usize, 1usize),
            (0.9, 2, 2),
            (0.5, 0, 7),
            (1.0, 4, 0),
            (0.9, 2, 1),
            (0.75, 0, 0),
        ];
        let mut expected = pairs.to_vec();
        expected.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let mut packed: Vec<Candidate> = pairs
            .iter()
            .map(|&(r, a, b)| Candidate::new(r, a, b))
            .collect();
        packed.sort_unstable();
        let got: Vec<(f64, usize, usize)> = packed.into_iter().map(Candidate::parts).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn word_ops_mark_inserted_and_deleted_words() {
        let ops = word_ops("skal være minst 65 prosent", "skal være minst 70 prosent");
        assert!(ops.contains(&WordOp::Deleted("65".into())));
        assert!(ops.contains(&WordOp::Inserted("70".into())));
    }

    #[test]
    fn renumbered_heading_is_not_a_move() {
        assert!(!moved(
            "Brev 2023 > 5 Føringer for 2023",
            "Brev 2024 > 4 Føringer for 2024"
        ));
        assert!(!moved(
            "Brev > 2 Mål- og styringsprinsipper",
            "Brev > 2 Styringsprinsipper"
        ));
        assert!(moved(
            "Brev > 3 Mål, styringsparametere og oppdrag > 3.1 Hovedmål 1: Flere i arbeid > Styringsparametere",
            "Brev > 3 Mål, styringsparametere og oppdrag > 3.2 Hovedmål 2: Et godt og inkluderende arbeidsliv > Styringsparametere"
        ));
    }
}
