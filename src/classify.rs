//! Stage 5, classify: blocks + rules → items with category, attributes and evidence.
//!
//! The order of decisions follows the coding manual:
//! 1. an oppdrag with an ID owns its whole section (edge case 8): what stands inside it is
//!    part of it, except a recurring reporting demand;
//! 2. a block under a heading that names a category is of that category (label wins, edge
//!    case 2); the content-based guess is kept beside it when it differs;
//! 3. otherwise the cue rules decide, highest priority first;
//! 4. repeated demands are counted once with every location kept (edge case 3).

mod dedup;
mod words;

use crate::meta::{Meta, MONTHS};
use crate::rules::{BlockType, Hits, LabelMode, Rule, RuleKind, RuleSet, Scan, EXCLUDED};
use crate::segment::{Block, BlockKind, Document};
use dedup::Dedup;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use words::{lower_is, modality, norm};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub struct Location {
    pub page: u32,
    pub line: u32,
}

/// One counted (or recognised-but-excluded) thing in a letter.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub struct Item {
    pub category: String,
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Oppdrag ID ("TB2026-17"), normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The heading an entry item stands under (its own title), if it is a section.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub text: String,
    pub heading: String,
    pub page: u32,
    pub line: u32,
    pub frist: Option<String>,
    pub quantitative: bool,
    pub frequency: Option<String>,
    pub modality: Option<String>,
    pub deloppdrag: u32,
    pub flags: Vec<String>,
    /// What the cue rules would have said when a label decided differently.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_guess: Option<String>,
    /// Further places the same demand stands (edge case 3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<Location>,
    #[serde(skip)]
    pub block: usize,
    /// Taken from one cell of a table row (edge case 1): equal cells in other rows are
    /// other items ("Skal reduseres" can be the target of two parameters).
    #[serde(skip)]
    pub from_cell: bool,
    /// Taken from a table row (a calendar or appendix row may restate a body demand).
    #[serde(skip)]
    pub from_row: bool,
}

/// Everything classify found in one document.
#[derive(Debug, Clone, Default)]
pub struct Classified {
    pub items: Vec<Item>,
    /// Recognised but not counted: nokkeltall, fullmakt, tildeling, old_oppdrag_refs.
    pub excluded: BTreeMap<String, usize>,
    pub excluded_items: Vec<Item>,
}

/// Why a block was taken, before attributes are read.
struct Claim<'r> {
    rule: &'r Rule,
    block: usize,
    text: String,
    /// The block `text` was taken from: `block`, or for an entry the first block of its
    /// section. Its scan serves `text` when `text` is a piece of it.
    source: usize,
    content_guess: Option<String>,
    from_cell: bool,
}

impl<'r> Claim<'r> {
    fn new(rule: &'r Rule, block: usize, text: String) -> Claim<'r> {
        Claim {
            rule,
            block,
            text,
            source: block,
            content_guess: None,
            from_cell: false,
        }
    }
}

pub fn classify(doc: &Document, meta: &Meta, rules: &RuleSet) -> Classified {
    let mut c = Classifier::new(meta, rules);
    c.add(doc, 0, 0);
    c.finish()
}

/// What classify carries from one part of a document to the next: [`classify`] is one
/// part, a large text streamed in parts (`crate::stream`) is many. A part is cut before a
/// heading where no entry section runs on (see `stream`), so each part's sections, tables
/// and lead-ins are its own; what crosses is kept here: the items so far and their
/// deduplication, the excluded things seen, and every oppdrag ID named.
pub struct Classifier<'r> {
    rules: &'r RuleSet,
    year: i32,
    dedup: Dedup,
    /// Excluded items kept: the first of each category and text (a budget line by its
    /// kap./post when it names one), and the keys seen.
    excluded_items: Vec<Item>,
    excluded_seen: BTreeSet<(String, String)>,
    /// Every oppdrag ID in the text: those no item issues are old references.
    ids: BTreeSet<String>,
}

impl<'r> Classifier<'r> {
    pub fn new(meta: &Meta, rules: &'r RuleSet) -> Classifier<'r> {
        Classifier {
            rules,
            year: meta.year.unwrap_or(2026),
            dedup: Dedup::default(),
            excluded_items: Vec::new(),
            excluded_seen: BTreeSet::new(),
            ids: BTreeSet::new(),
        }
    }

    /// Classify the blocks `from..` of `doc`, which are blocks `first..` of the whole
    /// document. The blocks before `from` are the headings still open above them (the first
    /// classified block's trail), already classified with an earlier part: they are there
    /// for trails and labels only. Trails index `doc.blocks`.
    pub fn add(&mut self, doc: &Document, from: usize, first: usize) {
        let global = |local: usize| local - from + first;
        let dedup = &mut self.dedup;
        let (excluded_items, ids) = classify_part(doc, from, self.year, self.rules, |mut it| {
            it.block = global(it.block);
            dedup.push(it);
        });
        for mut it in excluded_items {
            it.block = global(it.block);
            let key = if it.category == "tildeling" {
                kap_post(&it.text).unwrap_or_else(|| norm(&it.text))
            } else {
                norm(&it.text)
            };
            if self.excluded_seen.insert((it.category.clone(), key)) {
                self.excluded_items.push(it);
            }
        }
        self.ids.extend(ids);
    }

    pub fn finish(self) -> Classified {
        let items = self.dedup.finish();
        let excluded_items = self.excluded_items;
        let mut excluded: BTreeMap<String, usize> =
            EXCLUDED.iter().map(|e| (e.to_string(), 0)).collect();
        for it in &excluded_items {
            *excluded.entry(it.category.clone()).or_default() += 1;
        }
        let issued: BTreeSet<&str> = items.iter().filter_map(|i| i.id.as_deref()).collect();
        // Earlier oppdrag referred to by ID and not issued in this letter.
        let old_refs = self
            .ids
            .iter()
            .filter(|id| !issued.contains(id.as_str()))
            .count();
        excluded.insert("old_oppdrag_refs".into(), old_refs);
        Classified {
            items,
            excluded,
            excluded_items,
        }
    }
}

/// Classify blocks `from..` of `doc` (see [`Classifier::add`]): their items go to `emit`
/// one at a time in document order, before deduplication; returned are their excluded items
/// in document order and the oppdrag IDs they name.
fn classify_part(
    doc: &Document,
    from: usize,
    year: i32,
    rules: &RuleSet,
    mut emit: impl FnMut(Item),
) -> (Vec<Item>, BTreeSet<String>) {
    let blocks = &doc.blocks;
    // Every block is scanned once by all the rules' patterns together; every later
    // question about a block (or a sentence or cell of it) runs only the few exact
    // patterns that scan found.
    // The scan keeps where it found what: sentences and sections get their scans from it.
    let (scans, found): (Vec<Scan>, Vec<Hits>) =
        blocks.iter().map(|b| rules.scan_hits(&b.text)).unzip();
    let labels: Vec<Option<&Rule>> = blocks
        .iter()
        .zip(&scans)
        .map(|(b, scan)| {
            if b.is_heading() && !b.closing {
                rules.label_in(scan, &b.text)
            } else {
                None
            }
        })
        .collect();

    let mut claims: Vec<Claim> = Vec::new();
    let mut owner: Vec<Option<usize>> = vec![None; blocks.len()]; // block → entry heading
    let mut excluded_claims: Vec<Claim> = Vec::new();

    // 1. Headings that are items themselves, and entries that own their section.
    for (i, b) in blocks.iter().enumerate().skip(from) {
        let Some(rule) = labels[i] else { continue };
        match rule.mode {
            LabelMode::Items | LabelMode::Table => {}
            LabelMode::Heading => claims.push(Claim::new(rule, i, strip_number(&b.text))),
            LabelMode::Entry => {
                let counted = !EXCLUDED.contains(&rule.category.as_str());
                let section: Vec<usize> = (i + 1..blocks.len())
                    .take_while(|&j| blocks[j].trail.contains(&i))
                    .collect();
                if counted {
                    for &j in &section {
                        owner[j] = Some(i);
                    }
                }
                let body_block = section.iter().copied().find(|&j| !blocks[j].is_heading());
                let claim = match body_block {
                    Some(j) => Claim {
                        source: j,
                        ..Claim::new(rule, i, blocks[j].text.clone())
                    },
                    None => Claim::new(rule, i, strip_id(&b.text, rules)),
                };
                if counted {
                    claims.push(claim);
                } else {
                    excluded_claims.push(claim);
                }
            }
        }
    }

    // 2 and 3. Every other block: label above it, else cue rules.
    let tables = table_columns(blocks, rules);
    for (j, b) in blocks.iter().enumerate().skip(from) {
        if b.is_heading() || b.closing {
            continue;
        }
        let trail = Trail::new(doc, j);
        let scan = &scans[j];
        let hits = sentence_hits(rules, b, scan, &found[j]);
        if owner[j].is_some() {
            // Inside an oppdrag: only a recurring reporting demand counts on its own.
            if let Some((rule, at)) = best_cue(rules, b, &hits, &trail, |r| {
                r.category == "rapporteringskrav"
            }) {
                let freq = frequency(rules, scan, &b.text);
                if matches!(
                    freq.as_deref(),
                    Some("årlig" | "tertial" | "kvartal" | "månedlig" | "halvårlig")
                ) {
                    claims.push(Claim::new(rule, j, b.text[at..].to_string()));
                }
            }
            continue;
        }
        // A row of a table whose header marks it (a reporting calendar "Frist | Beskrivelse").
        if let Some(rule) = tables.by_header.get(&j) {
            if !rule.skip.iter().any(|s| s.is_match(&b.text)) {
                claims.push(Claim::new(rule, j, b.text.clone()));
            }
            continue;
        }
        // A table row under a header that names categories per column (edge case 1).
        if let Some(cols) = tables.by_column.get(&j) {
            if let BlockKind::TableRow { cells } = &b.kind {
                for (c, rule) in cols {
                    let filled = |s: &&String| s.chars().any(|ch| ch.is_alphanumeric());
                    if let Some(cell) = cells.get(*c).filter(filled) {
                        claims.push(Claim {
                            from_cell: true,
                            ..Claim::new(rule, j, cell.clone())
                        });
                    }
                }
            }
            continue;
        }
        // Every header row was found by `table_columns` (a row inside a run is none).
        if tables.headers.contains(&j) {
            continue;
        }
        // The nearest label above, but not past an entry: the lines of a kap./post section
        // under "Nye tildelinger" are about that allocation, not more allocations.
        let label = b
            .trail
            .iter()
            .rev()
            .take_while(|&&h| !is_entry(blocks, &labels, h))
            .find_map(|&h| labels[h].filter(|r| r.mode == LabelMode::Items));
        let btype = block_type(b);
        let cue = best_cue(rules, b, &hits, &trail, |r| {
            !EXCLUDED.contains(&r.category.as_str())
        });
        if let Some(rule) = label {
            let lead_in = matches!(b.kind, BlockKind::Paragraph) && b.text.ends_with(':');
            if rule.takes.contains(&btype)
                && !lead_in
                && !rule.skip.iter().any(|s| s.is_match(&b.text))
            {
                let claim = Claim {
                    content_guess: cue
                        .filter(|(c, _)| c.category != rule.category)
                        .map(|(c, _)| c.category.clone()),
                    ..Claim::new(rule, j, b.text.clone())
                };
                if EXCLUDED.contains(&rule.category.as_str()) {
                    excluded_claims.push(claim);
                } else {
                    claims.push(claim);
                }
                continue;
            }
            if EXCLUDED.contains(&rule.category.as_str()) && rule.takes.contains(&btype) {
                // A key-figure row or a budget line is never a requirement; a paragraph in a
                // budget chapter may still be a føring (coding decision G9).
                continue;
            }
        }
        // Excluded cues are recorded but do not take the block from a counted category.
        if let Some((ex, _)) = best_cue(rules, b, &hits, &trail, |r| {
            EXCLUDED.contains(&r.category.as_str())
        }) {
            excluded_claims.push(Claim::new(ex, j, b.text.clone()));
        }
        // A paragraph ending in ':' that leads into a list is not an item itself: its
        // wording passes to the list items below it ("Departementet ventar at ... særleg:").
        if is_lead_in(blocks, j) {
            continue;
        }
        let cue = cue.or_else(|| {
            lead_in_of(blocks, j).and_then(|l| {
                let lead_hits = sentence_hits(rules, &blocks[l], &scans[l], &found[l]);
                best_cue(rules, &blocks[l], &lead_hits, &trail, |r| {
                    !EXCLUDED.contains(&r.category.as_str()) && r.marker.is_none()
                })
                .map(|(r, _)| (r, 0))
            })
        });
        if let Some((rule, at)) = cue {
            claims.push(Claim::new(rule, j, b.text[at..].to_string()));
            // One paragraph can ask for two reports ("... i tertialrapportene. Det skal
            // rapporteres om ... i årsrapporten."): a later reporting sentence with another
            // frequency is its own demand.
            if rule.category == "rapporteringskrav" {
                let first = frequency(rules, scan, &b.text[at..sentence_end(b, at)]);
                for (start, sentence) in sentences(b).into_iter().filter(|&(st, _)| st > at) {
                    let freq = frequency(rules, scan, sentence);
                    let demands = rules.cue_hits_in(scan, sentence).into_iter().any(|i| {
                        rules.rules[i].category == "rapporteringskrav"
                            && rules.rules[i].in_context(trail.get())
                    });
                    if demands && freq.is_some() && freq != first {
                        claims.push(Claim::new(rule, j, b.text[start..].to_string()));
                        break;
                    }
                }
            }
        }
    }

    // In document order (an item's line is its block's), and built one at a time into the
    // deduplication, so that a long text's many repeats are never all held at once.
    claims.sort_by_key(|c| c.block);
    for c in claims {
        emit(build_item(doc, rules, &scans, &found, c, year));
    }
    let mut excluded_items: Vec<Item> = excluded_claims
        .into_iter()
        .map(|c| build_item(doc, rules, &scans, &found, c, year))
        .collect();
    excluded_items.sort_by_key(|it| it.block);
    let ids = blocks[from..]
        .iter()
        .zip(&scans[from..])
        .flat_map(|(b, scan)| oppdrag_ids_in(rules, scan, &b.text))
        .collect();
    (excluded_items, ids)
}

/// Whether a heading opens a section that is one entry (its label's mode is `entry`): the
/// blocks under it belong to it, so a document streamed in parts (`crate::stream`) is not
/// cut while it is open.
pub fn opens_entry(b: &Block, rules: &RuleSet) -> bool {
    b.is_heading()
        && !b.closing
        && rules
            .label_in(&rules.scan_hits(&b.text).0, &b.text)
            .is_some_and(|r| r.mode == LabelMode::Entry)
}

/// A paragraph ending in ':' directly followed by a list item.
fn is_lead_in(blocks: &[Block], j: usize) -> bool {
    matches!(blocks[j].kind, BlockKind::Paragraph)
        && blocks[j].text.ends_with(':')
        && blocks
            .get(j + 1)
            .is_some_and(|n| matches!(n.kind, BlockKind::ListItem { .. }))
}

/// The lead-in paragraph of the list that list item `j` belongs to.
fn lead_in_of(blocks: &[Block], j: usize) -> Option<usize> {
    if !matches!(blocks[j].kind, BlockKind::ListItem { .. }) {
        return None;
    }
    let mut k = j;
    while k > 0 && matches!(blocks[k - 1].kind, BlockKind::ListItem { .. }) {
        k -= 1;
    }
    (k > 0 && is_lead_in(blocks, k - 1)).then_some(k - 1)
}

fn block_type(b: &Block) -> BlockType {
    match b.kind {
        BlockKind::Heading { .. } => BlockType::Heading,
        BlockKind::ListItem { .. } => BlockType::ListItem,
        BlockKind::Paragraph => BlockType::Paragraph,
        BlockKind::TableRow { .. } => BlockType::TableRow,
    }
}

/// The heading trail of a block as text, made only when a rule's context needs it.
struct Trail<'d> {
    doc: &'d Document,
    block: usize,
    text: OnceCell<String>,
}

impl<'d> Trail<'d> {
    fn new(doc: &'d Document, block: usize) -> Self {
        Trail {
            doc,
            block,
            text: OnceCell::new(),
        }
    }

    fn get(&self) -> &str {
        self.text.get_or_init(|| self.doc.trail_text(self.block))
    }
}

/// The cue rules that fire in each sentence of a block (sentences where none fires are
/// left out), with the sentence's byte offset. `scan` is the block's one scan: a block it
/// found no cue wording in is not even split into sentences.
/// Only rules that can take the block (its type, its list marker) are tried.
fn sentence_hits(rules: &RuleSet, b: &Block, scan: &Scan, hits: &Hits) -> Vec<(usize, Vec<usize>)> {
    if !rules.may_cue(scan) {
        return Vec::new();
    }
    let btype = block_type(b);
    let among = rules.cue_candidates(scan, |r| r.takes.contains(&btype) && marker_ok(r, b));
    if among.is_empty() {
        return Vec::new();
    }
    let pieces = sentences(b);
    let single = pieces.len() == 1;
    pieces
        .into_iter()
        .map(|(start, sentence)| {
            // A sentence of several gets its own scan, from where the block's scan found
            // what (cheaper than running the exact patterns its block's scan found on every
            // sentence): only what it holds is run.
            let own;
            let scan = if single {
                scan
            } else {
                own = rules.piece_scan(&b.text, hits, start, start + sentence.len());
                &own
            };
            (start, rules.cue_hits_among(scan, &among, sentence))
        })
        .filter(|(_, hits)| !hits.is_empty())
        .collect()
}

/// Whether a rule's `marker` (if any) admits the block: only list items have markers.
fn marker_ok(r: &Rule, b: &Block) -> bool {
    match (&r.marker, &b.kind) {
        (None, _) => true,
        (Some(m), BlockKind::ListItem { marker, .. }) => m.is_match(marker),
        (Some(_), _) => false,
    }
}

/// The highest-priority cue rule that fires on a block in its context, and the byte offset
/// of the sentence it fires in. Paragraphs and list items are read sentence by sentence, so
/// that a rule's `unless` speaks of the sentence that carries the demand, and the item is
/// counted from that sentence (a paragraph may open with background). `hits` is
/// `sentence_hits` of the block.
fn best_cue<'r>(
    rules: &'r RuleSet,
    b: &Block,
    hits: &[(usize, Vec<usize>)],
    trail: &Trail,
    keep: impl Fn(&Rule) -> bool,
) -> Option<(&'r Rule, usize)> {
    let btype = block_type(b);
    let mut best: Option<(&Rule, usize)> = None;
    for &(start, ref sentence_hits) in hits {
        for &i in sentence_hits {
            let r = &rules.rules[i];
            if r.kind == RuleKind::Cue
                && r.takes.contains(&btype)
                && marker_ok(r, b)
                && keep(r)
                && best.is_none_or(|(br, _)| r.priority > br.priority)
                && r.in_context(trail.get())
            {
                best = Some((r, start));
            }
        }
    }
    best
}

/// Where the sentence starting at `at` ends.
fn sentence_end(b: &Block, at: usize) -> usize {
    sentences(b)
        .into_iter()
        .find(|&(st, _)| st == at)
        .map_or(b.text.len(), |(st, t)| st + t.len())
}

/// Abbreviations after which a full stop and a capital do not start a sentence.
const ABBREVIATIONS: &[&str] = &[
    "jf", "jfr", "kap", "nr", "pkt", "ca", "bl.a", "m.fl", "f.eks", "dvs", "mv", "osv", "st",
    "prop", "innst", "meld", "dok", "ref", "evt", "ev", "m.a", "t.d", "mill", "mrd", "kr",
];

/// Whether `word` lower-cased is one of [`ABBREVIATIONS`]. Those are ASCII, at most five
/// letters: an ASCII word is compared byte by byte, and only another word short enough
/// (a character outside ASCII may lower-case to an ASCII letter, as the Kelvin sign does)
/// goes through Unicode lower case.
fn is_abbreviation(word: &str) -> bool {
    if word.is_ascii() {
        word.len() <= 5 && ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a))
    } else {
        word.len() <= 5 * 4 && ABBREVIATIONS.iter().any(|a| lower_is(word, a))
    }
}

/// The sentences of a paragraph or list item with their byte offsets; other blocks are one
/// piece. A full stop after a number ("kap. 701", "1. juni") or a short word ("jf.", "bl.a.")
/// does not end a sentence, nor does one after an abbreviation ("jf. Prop.").
fn sentences(b: &Block) -> Vec<(usize, &str)> {
    let text = b.text.as_str();
    if !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
        return vec![(0, text)];
    }
    let mut out = Vec::new();
    let mut start = 0;
    // The three marks are ASCII: a byte search finds them (no other character's UTF-8
    // holds an ASCII byte).
    for i in memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()) {
        let ends = text[i + 1..].starts_with(' ')
            && text[i + 2..]
                .chars()
                .next()
                .is_some_and(|n| n.is_uppercase())
            && {
                let word = text[..i].rsplit(' ').next().unwrap_or("");
                !word.chars().all(|ch| ch.is_ascii_digit() || ch == '.') && !is_abbreviation(word)
            };
        if ends {
            out.push((start, &text[start..=i]));
            start = i + 2;
        }
    }
    if start < text.len() {
        out.push((start, &text[start..]));
    }
    out
}

/// First row of a run of table rows, when it reads as a header: no digits in any cell, or
/// a cell that names a category ("Resultatkrav 2026").
fn is_table_header(blocks: &[Block], j: usize, rules: &RuleSet) -> bool {
    let starts_run = j == 0 || !matches!(blocks[j - 1].kind, BlockKind::TableRow { .. });
    let continues = blocks
        .get(j + 1)
        .is_some_and(|n| matches!(n.kind, BlockKind::TableRow { .. }));
    match &blocks[j].kind {
        BlockKind::TableRow { cells } if starts_run && continues => {
            let dated = cells.iter().any(|c| {
                c.chars().next().is_some_and(|ch| ch.is_ascii_digit())
                    || crate::meta::parse_date(&format!("1. {c}")).is_some()
            });
            !dated || cells.iter().any(|c| rules.label_for(c).is_some())
        }
        _ => false,
    }
}

/// How the rows of tables are read, by row index.
#[derive(Default)]
struct Tables<'r> {
    /// Rows of tables whose header names categories per column: (column, rule).
    by_column: HashMap<usize, Vec<(usize, &'r Rule)>>,
    /// Rows of tables whose header row matches a table label ("Frist | Beskrivelse").
    by_header: HashMap<usize, &'r Rule>,
    /// The header rows ([`is_table_header`]), which are not items.
    headers: BTreeSet<usize>,
}

fn table_columns<'r>(blocks: &[Block], rules: &'r RuleSet) -> Tables<'r> {
    let mut out = Tables::default();
    let mut j = 0;
    while j < blocks.len() {
        if !is_table_header(blocks, j, rules) {
            j += 1;
            continue;
        }
        let BlockKind::TableRow { cells } = &blocks[j].kind else {
            j += 1;
            continue;
        };
        out.headers.insert(j);
        let header_rule = rules.table_label_for(&cells.join(" | "));
        let cols: Vec<(usize, &Rule)> = cells
            .iter()
            .enumerate()
            .filter_map(|(c, cell)| {
                rules
                    .label_for(cell)
                    .filter(|r| {
                        r.mode == LabelMode::Items && !EXCLUDED.contains(&r.category.as_str())
                    })
                    .map(|r| (c, r))
            })
            .collect();
        let mut k = j + 1;
        while k < blocks.len() && matches!(blocks[k].kind, BlockKind::TableRow { .. }) {
            if cols.len() >= 2 {
                out.by_column.insert(k, cols.clone());
            } else if let Some(r) = header_rule {
                out.by_header.insert(k, r);
            }
            k += 1;
        }
        j = k;
    }
    out
}

/// A heading that opens an entry (an oppdrag ID, a kap./post allocation).
fn is_entry(blocks: &[Block], labels: &[Option<&Rule>], h: usize) -> bool {
    matches!(blocks[h].kind, BlockKind::Heading { entry: true, .. })
        || labels[h].is_some_and(|r| r.mode == LabelMode::Entry)
}

fn build_item(
    doc: &Document,
    rules: &RuleSet,
    scans: &[Scan],
    hits: &[Hits],
    c: Claim,
    year: i32,
) -> Item {
    let b = &doc.blocks[c.block];
    let is_entry = c.rule.mode == LabelMode::Entry && c.rule.kind == RuleKind::Label;
    // The text attributes are read from: an entry's whole section, else the block.
    let section: Vec<usize> = if is_entry {
        (c.block + 1..doc.blocks.len())
            .take_while(|&j| doc.blocks[j].trail.contains(&c.block))
            .collect()
    } else {
        Vec::new()
    };
    let full_text: Cow<str> = if is_entry && !section.is_empty() {
        Cow::Owned(
            std::iter::once(b.text.as_str())
                .chain(section.iter().map(|&j| doc.blocks[j].text.as_str()))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    } else {
        Cow::Borrowed(&b.text)
    };
    // The source block's scan serves every piece of it (most are its end: the block from
    // the demanding sentence on); other texts are scanned here.
    let source = &doc.blocks[c.source].text;
    let scan_of = |text: &str| -> Option<Scan> {
        (!(source.ends_with(text) || source.contains(text))).then(|| rules.scan(text))
    };
    // An entry's section (the full text is longer than the block exactly when the section
    // has blocks): the scans of its blocks together.
    let full_own = (is_entry && !section.is_empty()).then(|| {
        rules
            .joined_scan(
                std::iter::once(c.block)
                    .chain(section.iter().copied())
                    .map(|j| &hits[j]),
            )
            .unwrap_or_else(|| rules.scan(&full_text))
    });
    let full_scan = full_own.as_ref().unwrap_or(&scans[c.block]);
    let text_own = scan_of(&c.text);
    let text_scan = text_own.as_ref().unwrap_or(&scans[c.source]);
    let category = c.rule.category.clone();
    let mut frist = deadline(rules, full_scan, &full_text, year);
    if frist.is_none() {
        if let BlockKind::TableRow { cells } = &b.kind {
            frist = cells.iter().find_map(|cell| calendar_date(cell, year));
        }
    }
    let id = if category == "oppdrag" {
        if is_entry {
            oppdrag_ids_in(rules, &scans[c.block], &b.text)
        } else {
            oppdrag_ids_in(rules, text_scan, &c.text)
        }
        .into_iter()
        .next()
    } else {
        None
    };
    let quantitative = matches!(
        category.as_str(),
        "mal" | "styringsparameter" | "resultatkrav"
    ) && rules
        .attributes_in(text_scan, "quantitative", &c.text)
        .next()
        .is_some();
    // Frequency from the demand itself: the item's text (which starts at the demanding
    // sentence), or an entry's whole section.
    let frequency = if category == "rapporteringskrav" {
        if is_entry {
            frequency(rules, full_scan, &full_text)
        } else {
            frequency(rules, text_scan, &c.text)
        }
    } else {
        None
    };
    let mut flags: Vec<String> = rules
        .attributes_in(text_scan, "flag", &c.text)
        .filter_map(|r| r.value.clone())
        .collect();
    flags.sort();
    flags.dedup();
    let level = if category == "mal" {
        Some(c.rule.level.clone().unwrap_or_else(|| "hoved".into()))
    } else {
        None
    };
    Item {
        deloppdrag: if is_entry && category == "oppdrag" {
            count_deloppdrag(doc, rules, scans, &section, year)
        } else {
            0
        },
        category,
        rule: c.rule.id.clone(),
        level,
        id,
        title: is_entry.then(|| b.text.clone()),
        text: c.text,
        heading: doc.trail_text(c.block),
        page: b.page,
        line: b.line,
        frist,
        quantitative,
        frequency,
        modality: modality(&full_text),
        flags,
        content_guess: c.content_guess,
        also_at: Vec::new(),
        from_cell: c.from_cell,
        from_row: matches!(b.kind, BlockKind::TableRow { .. }),
        block: c.block,
    }
}

/// "3.1 Hovedmål 1: Flere i arbeid" → "Hovedmål 1: Flere i arbeid".
fn strip_number(s: &str) -> String {
    let t = s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    if t.len() < s.len() && t.starts_with(' ') {
        t.trim_start().to_string()
    } else {
        s.to_string()
    }
}

fn strip_id(s: &str, rules: &RuleSet) -> String {
    let mut out = s.to_string();
    for r in rules.attribute("oppdrag-id") {
        out = r.patterns.iter().fold(out, |acc, p| match p.regex() {
            Some(r) => r.replace(&acc, "").to_string(),
            None => acc,
        });
    }
    out.trim_matches(|c: char| c.is_whitespace() || c == ':' || c == '–' || c == '-')
        .to_string()
}

/// All oppdrag IDs in a text, normalised ("TB 2026-67" → "TB2026-67").
pub fn oppdrag_ids(rules: &RuleSet, text: &str) -> Vec<String> {
    oppdrag_ids_in(rules, &rules.scan(text), text)
}

/// `oppdrag_ids` of a text that `scan` (a scan of it or of a text containing it) covers.
fn oppdrag_ids_in(rules: &RuleSet, scan: &Scan, text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    rules.attribute_captures(scan, "oppdrag-id", text, |c| {
        let m = c
            .name("id")
            .map_or(c.get(0).map_or("", |m| m.as_str()), |m| m.as_str());
        let id: String = m
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| {
                if c == '–' {
                    '-'
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect();
        if !ids.contains(&id) {
            ids.push(id);
        }
    });
    ids
}

/// Every deadline date in a text, in order of appearance; `scan` covers the text.
fn deadlines(rules: &RuleSet, scan: &Scan, text: &str, year: i32) -> Vec<String> {
    let mut out = Vec::new();
    rules.attribute_captures(scan, "frist", text, |c| {
        if let Some(d) = c
            .name("date")
            .and_then(|m| parse_deadline(m.as_str(), year))
        {
            out.push(d);
        }
    });
    out
}

/// Latest deadline in a text, or "unspecified" when the text defers it.
fn deadline(rules: &RuleSet, scan: &Scan, text: &str, year: i32) -> Option<String> {
    let best = deadlines(rules, scan, text, year).into_iter().max();
    if best.is_none()
        && rules
            .attributes_in(scan, "frist-unspecified", text)
            .next()
            .is_some()
    {
        return Some("unspecified".into());
    }
    best
}

/// A calendar cell ("15. september", "april", "Innen 1. mars") as a date.
fn calendar_date(cell: &str, year: i32) -> Option<String> {
    let t = cell.trim().to_lowercase();
    let t = t
        .trim_start_matches("innen ")
        .trim_start_matches("innan ")
        .trim_start_matches("senest ")
        .trim_start_matches("seinast ");
    if t.split_whitespace().count() > 3 {
        return None;
    }
    parse_deadline(t, year)
}

/// Read what `{DATE}` matched. Month only → last day of the month; an impossible day
/// (31.6) → the last day of that month (edge case 11); no year → the governed year.
pub fn parse_deadline(s: &str, year: i32) -> Option<String> {
    let s = s.trim().to_lowercase();
    let s = s
        .trim_start_matches("utgangen av ")
        .trim_start_matches("slutten av ");
    let month_of = |w: &str| MONTHS.iter().position(|&m| m == w).map(|i| i as u32 + 1);
    let parts: Vec<&str> = s
        .split(|c: char| c == '.' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let (day, month, y) = match parts.as_slice() {
        [d, m, rest @ ..] if d.chars().all(|c| c.is_ascii_digit()) => {
            let month = m.parse::<u32>().ok().or_else(|| month_of(m))?;
            let y = rest
                .first()
                .and_then(|y| y.parse::<i32>().ok())
                .unwrap_or(year);
            (d.parse::<u32>().ok(), month, y)
        }
        [m, rest @ ..] => {
            let month = month_of(m)?;
            let y = rest
                .first()
                .and_then(|y| y.parse::<i32>().ok())
                .unwrap_or(year);
            (None, month, y)
        }
        _ => return None,
    };
    let y = if y < 100 { 2000 + y } else { y };
    if !(1..=12).contains(&month) {
        return None;
    }
    let last = days_in_month(y, month);
    let d = day.unwrap_or(last).clamp(1, last);
    if day.is_some_and(|d| d == 0 || d > 31) {
        return None;
    }
    Some(format!("{y}-{month:02}-{d:02}"))
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The reporting frequency: the highest-priority frequency rule that matches; `scan`
/// covers the text.
fn frequency(rules: &RuleSet, scan: &Scan, text: &str) -> Option<String> {
    rules
        .attributes_in(scan, "frequency", text)
        .max_by_key(|r| r.priority)
        .and_then(|r| r.value.clone())
}

/// Sub-tasks of an oppdrag (edge case 9): numbered or lettered sub-tasks; two or more
/// verb-led bullets under a task lead-in; numbered sub-headings; or, failing those, two
/// or more separately dated deliveries. Lists of aspects, options or assumptions do not count.
fn count_deloppdrag(
    doc: &Document,
    rules: &RuleSet,
    scans: &[Scan],
    section: &[usize],
    year: i32,
) -> u32 {
    let blocks = &doc.blocks;
    // Whether an attribute fires on a list's lead-in block (never when there is none).
    let lead_fires = |name: &str, lead: Option<usize>| {
        lead.is_some_and(|l| {
            rules
                .attributes_in(&scans[l], name, &blocks[l].text)
                .next()
                .is_some()
        })
    };
    let mut count = 0u32;
    let mut task_bullets: BTreeMap<Option<usize>, u32> = BTreeMap::new();
    let mut k = 0;
    while k < section.len() {
        let j = section[k];
        match &blocks[j].kind {
            BlockKind::Heading {
                number: Some(_), ..
            } => {
                count += 1;
                k += 1;
            }
            BlockKind::ListItem { .. } => {
                let lead = lead_of(blocks, section, k);
                let mut run = Vec::new();
                while k < section.len() {
                    match &blocks[section[k]].kind {
                        BlockKind::ListItem { marker, depth } if *depth == 0 => {
                            run.push((marker.clone(), section[k]));
                            k += 1;
                        }
                        BlockKind::ListItem { .. } => k += 1,
                        _ => break,
                    }
                }
                if lead_fires("aspect-lead-in", lead) {
                    continue;
                }
                let enumerated = run.iter().filter(|(m, _)| m != "•").count() as u32;
                let bullets: Vec<usize> = run
                    .iter()
                    .filter(|(m, _)| m == "•")
                    .map(|(_, b)| *b)
                    .collect();
                if enumerated > 0 {
                    count += enumerated;
                } else if lead_fires("task-lead-in", lead)
                    && bullets.iter().all(|&b| verb_led(&blocks[b].text))
                {
                    *task_bullets.entry(lead).or_default() += bullets.len() as u32;
                }
            }
            _ => k += 1,
        }
    }
    // Verb-led bullets under one task lead-in ("Norsk helsenett SF skal:"), also when
    // sub-headings group them, are sub-tasks when there are two or more; a single task is
    // the oppdrag itself.
    count += task_bullets.values().filter(|&&n| n >= 2).sum::<u32>();
    if count == 0 {
        let mut dates = BTreeSet::new();
        for &j in section {
            dates.extend(deadlines(rules, &scans[j], &blocks[j].text, year));
        }
        if dates.len() >= 2 {
            count = dates.len() as u32;
        } else if section.iter().any(|&j| {
            rules
                .attributes_in(&scans[j], "single-delivery", &blocks[j].text)
                .next()
                .is_some()
        }) {
            count = 1;
        }
    }
    count
}

/// The lead-in of the list starting at `section[k]`: the block before it, or, past
/// sub-headings that only group the list ("Pasientens legemiddelliste"), the nearest block
/// of the section that ends with ':'.
fn lead_of(blocks: &[Block], section: &[usize], k: usize) -> Option<usize> {
    let before = |i: usize| section[..i].iter().rev().copied();
    let prev = before(k).next()?;
    if blocks[prev].text.ends_with(':') || !blocks[prev].is_heading() {
        return Some(prev);
    }
    before(k)
        .take_while(|&b| {
            blocks[b].is_heading() || matches!(blocks[b].kind, BlockKind::ListItem { .. })
        })
        .find(|&b| blocks[b].text.ends_with(':'))
        .or(Some(prev))
}

/// A bullet that starts with an infinitive ("Utarbeide ...", "Vurdere ...", "Bidra ...").
fn verb_led(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("").to_lowercase();
    let first = first.trim_matches(|c: char| !c.is_alphabetic());
    // Infinitives end in -e ("utarbeide") or -å ("inngå", "bistå"), with a few short ones.
    (first.ends_with('e') && first.chars().count() >= 4)
        || (first.ends_with('å') && first != "på")
        || matches!(first, "bidra" | "delta" | "ta" | "gi")
}

/// "Kap. 701, post 21" or a table row "701 | 21 | ..." → "701.21".
fn kap_post(text: &str) -> Option<String> {
    let digits: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    match digits.as_slice() {
        [k, p, ..] if (3..=4).contains(&k.len()) && p.len() == 2 => Some(format!("{k}.{p}")),
        [k, ..] if (3..=4).contains(&k.len()) => Some(k.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines() {
        assert_eq!(parse_deadline("1.6.2026", 2026), Some("2026-06-01".into()));
        assert_eq!(parse_deadline("15. mars", 2025), Some("2025-03-15".into()));
        assert_eq!(parse_deadline("31.6.2026", 2026), Some("2026-06-30".into()));
        assert_eq!(parse_deadline("juni 2027", 2026), Some("2027-06-30".into()));
        assert_eq!(
            parse_deadline("utgangen av februar", 2028),
            Some("2028-02-29".into())
        );
    }

    #[test]
    fn abbreviations_are_found_in_any_case() {
        for w in [
            "jf",
            "Jf",
            "JFR",
            "f.eks",
            "F.eks",
            "bl.a",
            "\u{212A}ap",
            "innst",
        ] {
            assert!(is_abbreviation(w), "{w}");
        }
        for w in ["", "j", "jff", "kapittel", "f.eks.", "Ø", "bl.a.m"] {
            assert!(!is_abbreviation(w), "{w}");
        }
        assert!(ABBREVIATIONS.iter().all(|a| a.is_ascii() && a.len() <= 5));
    }

    #[test]
    fn kap_post_keys() {
        assert_eq!(kap_post("Kap. 701, post 21").as_deref(), Some("701.21"));
        assert_eq!(
            kap_post("605 01 Driftsutgifter 1 000").as_deref(),
            Some("605.01")
        );
    }
}
