//! Repeated demands counted once (coding manual, edge case 3), in time that grows with the
//! number of items, not its square: every lookup goes through an index of the items kept
//! so far. A letter has some hundreds of items, where the difference does not show; a
//! 100 MB text file has hundreds of thousands, where comparing each with every earlier one
//! took eleven minutes.

use super::words::{norm_into, stems};
use super::{Item, Location};
use std::collections::{BTreeMap, BTreeSet};

/// The indexes' maps: looked up only, never walked, so their order does not matter, and
/// foldhash is several times quicker than the standard hasher on these short keys.
type Map<K, V> = foldhash::HashMap<K, V>;

/// Merge repeated demands: the same oppdrag ID, the same text, or a reporting calendar row
/// that restates a reporting demand from the body (or an oppdrag's own delivery). The first
/// location that is an entry (its own section) wins; the others go to `also_at`.
#[cfg(test)]
pub(super) fn dedup(items: impl IntoIterator<Item = Item>) -> Vec<Item> {
    let mut d = Dedup::default();
    for it in items {
        d.push(it);
    }
    d.finish()
}

/// [`dedup`] one item at a time, in document order: a long text streamed in parts
/// (`crate::stream`) gives each part's items as they are built, and the result is the same
/// as for the whole document at once.
#[derive(Default)]
pub(super) struct Dedup {
    kept: Kept,
    /// Rows of reporting tables are merged last, once every body demand is known.
    rows: Rows,
}

/// The rows waiting for [`Dedup::finish`], in order. A long text repeats the same rows
/// (a reporting calendar per letter), so each different row is kept once and each
/// occurrence as its place: the rows are given back exactly as they came.
#[derive(Default)]
struct Rows {
    /// Each different row without its place (page, line, block 0), in order of first
    /// occurrence.
    kinds: Vec<Item>,
    /// A row without its place (page, line, block) → its kind.
    by_key: Map<Item, u32>,
    /// Every row in order: (kind, page, line, block).
    at: Vec<(u32, u32, u32, usize)>,
}

impl Rows {
    fn push(&mut self, it: Item) {
        let (page, line, block) = (it.page, it.line, it.block);
        let unplaced = Item {
            page: 0,
            line: 0,
            block: 0,
            ..it
        };
        let kinds = &mut self.kinds;
        let kind = *self.by_key.entry(unplaced).or_insert_with_key(|unplaced| {
            kinds.push(unplaced.clone());
            kinds.len() as u32 - 1
        });
        self.at.push((kind, page, line, block));
    }

    /// The rows in order, each as it was pushed.
    fn into_items(self) -> impl Iterator<Item = Item> {
        let kinds = self.kinds;
        self.at
            .into_iter()
            .map(move |(kind, page, line, block)| Item {
                page,
                line,
                block,
                ..kinds[kind as usize].clone()
            })
    }
}

impl Dedup {
    pub(super) fn push(&mut self, it: Item) {
        if is_row(&it) {
            self.rows.push(it);
            return;
        }
        let kept = &mut self.kept;
        let key = text_key(&it);
        match kept.same(&it, &key) {
            Some(k) => kept.merge_into(k, it),
            None => kept.push(it, key),
        }
    }

    pub(super) fn finish(self) -> Vec<Item> {
        let Dedup { mut kept, rows } = self;
        kept.index_body_stems();
        for it in rows.into_items() {
            let key = text_key(&it);
            let target = kept
                .same(&it, &key)
                // A row naming an oppdrag of this letter is that oppdrag's delivery.
                .or_else(|| kept.named_oppdrag(&it.text))
                .or_else(|| {
                    // A row that restates several body demands gives its date to each.
                    let targets = kept.restated(&it);
                    let (last, rest) = targets.split_last()?;
                    for &k in rest {
                        kept.merge_into(k, it.clone());
                    }
                    Some(*last)
                });
            match target {
                Some(k) => kept.merge_into(k, it),
                None => kept.push(it, key),
            }
        }
        let mut out = kept.items;
        out.sort_by_key(|it| (it.block, it.line));
        out
    }
}

/// The items kept so far, in the order they were first seen, with their indexes. An index
/// entry is removed before its item changes and added again after, so every index always
/// describes `items` as it is. Index keys are [`text_key`] and [`id_key`]: one string each,
/// made once per item, and looked up without copies.
#[derive(Default)]
struct Kept {
    /// The items. The `norm` of an item's text is not kept beside it, only in its key of
    /// `by_text`, and made again when the item changes: a long text's tens of thousands of
    /// items would otherwise hold it twice.
    items: Vec<Item>,
    /// [`id_key`] → items with that oppdrag ID, in ascending order.
    by_id: Map<String, Vec<usize>>,
    /// [`text_key`] → items with that text.
    by_text: Map<String, TextSlot>,
    /// ID → oppdrag items with that ID, for rows that name one.
    oppdrag_ids: BTreeMap<String, BTreeSet<usize>>,
    /// Once rows are merged: each body reporting demand's stems, and stem → those demands.
    body_stems: Option<BodyStems>,
}

/// An item's key in `Kept::by_text`: its category and the `norm` of its text, apart by a
/// character neither holds (a category is a rule's word; `norm` keeps letters, digits
/// and spaces).
fn text_key(it: &Item) -> String {
    let mut key = String::with_capacity(it.category.len() + 1 + it.text.len());
    key.push_str(&it.category);
    key.push('\u{1f}');
    norm_into(&it.text, &mut key);
    key
}

/// An item's key in `Kept::by_id`, if it has an oppdrag ID: its category and the ID.
fn id_key(it: &Item) -> Option<String> {
    let id = it.id.as_ref()?;
    Some(format!("{}\u{1f}{id}", it.category))
}

/// The items that share one normalised text, each list in ascending order (most hold one
/// item). Two table cells with the same text in different rows are different demands, so
/// a cell only merges with a non-cell item or a cell of its own row.
#[derive(Default)]
struct TextSlot {
    all: Vec<usize>,
    not_cells: Vec<usize>,
    cells_by_block: Map<usize, Vec<usize>>,
}

#[derive(Default)]
struct BodyStems {
    of: Map<usize, BTreeSet<String>>,
    index: Map<String, BTreeSet<usize>>,
}

impl Kept {
    fn push(&mut self, it: Item, key: String) {
        self.items.push(it);
        self.index(self.items.len() - 1, key);
    }

    /// Merge `it` into item `k`, keeping every index true. Only a merge that puts `it` in
    /// the item's place changes what the indexes are keyed by; any other adds a location
    /// or a date, and the indexes stay as they are.
    fn merge_into(&mut self, k: usize, it: Item) {
        if !takes_place(&self.items[k], &it) {
            merge(&mut self.items[k], it);
            return;
        }
        self.unindex(k);
        merge(&mut self.items[k], it);
        let key = text_key(&self.items[k]);
        self.index(k, key);
    }

    /// The first kept item `it` repeats: same category, and the same ID or the same text
    /// (`key` is its [`text_key`]).
    fn same(&self, it: &Item, key: &str) -> Option<usize> {
        let by_id = id_key(it).and_then(|id| self.by_id.get(&id)?.first().copied());
        let by_text = self.by_text.get(key).and_then(|slot| {
            if it.from_cell {
                let cells = slot.cells_by_block.get(&it.block).and_then(|s| s.first());
                min_of(slot.not_cells.first(), cells)
            } else {
                slot.all.first().copied()
            }
        });
        min_of(by_id.as_ref(), by_text.as_ref())
    }

    /// The first oppdrag whose ID `text` contains.
    fn named_oppdrag(&self, text: &str) -> Option<usize> {
        self.oppdrag_ids
            .iter()
            .filter(|(id, _)| text.contains(id.as_str()))
            .filter_map(|(_, ks)| ks.first().copied())
            .min()
    }

    /// Index item `k`, whose [`text_key`] is `key`.
    fn index(&mut self, k: usize, key: String) {
        let it = &self.items[k];
        if let Some(id_key) = id_key(it) {
            insert_sorted(self.by_id.entry(id_key).or_default(), k);
            if let (Some(id), "oppdrag") = (&it.id, it.category.as_str()) {
                self.oppdrag_ids.entry(id.clone()).or_default().insert(k);
            }
        }
        let slot = self.by_text.entry(key).or_default();
        insert_sorted(&mut slot.all, k);
        if it.from_cell {
            insert_sorted(slot.cells_by_block.entry(it.block).or_default(), k);
        } else {
            insert_sorted(&mut slot.not_cells, k);
        }
        self.index_stems(k);
    }

    fn unindex(&mut self, k: usize) {
        let it = &self.items[k];
        if let Some(id_key) = id_key(it) {
            remove(&mut self.by_id, &id_key, k);
            if let (Some(id), "oppdrag") = (&it.id, it.category.as_str()) {
                if let Some(ks) = self.oppdrag_ids.get_mut(id) {
                    ks.remove(&k);
                    if ks.is_empty() {
                        self.oppdrag_ids.remove(id);
                    }
                }
            }
        }
        let key = text_key(it);
        if let Some(slot) = self.by_text.get_mut(&key) {
            remove_sorted(&mut slot.all, k);
            remove_sorted(&mut slot.not_cells, k);
            remove(&mut slot.cells_by_block, &it.block, k);
            if slot.all.is_empty() {
                self.by_text.remove(&key);
            }
        }
        if let Some(body) = &mut self.body_stems {
            for w in body.of.remove(&k).unwrap_or_default() {
                if let Some(ks) = body.index.get_mut(&w) {
                    ks.remove(&k);
                    if ks.is_empty() {
                        body.index.remove(&w);
                    }
                }
            }
        }
    }

    /// Index the stems of the body's reporting demands, which calendar rows are tied to.
    fn index_body_stems(&mut self) {
        self.body_stems = Some(BodyStems::default());
        for k in 0..self.items.len() {
            self.index_stems(k);
        }
    }

    /// Once rows are being merged: index item `k`'s stems if it is a body reporting demand.
    fn index_stems(&mut self, k: usize) {
        let it = &self.items[k];
        if let Some(body) = &mut self.body_stems {
            if is_body_report(it) {
                let words = stems(&it.text);
                for w in &words {
                    body.index.entry(w.clone()).or_default().insert(k);
                }
                body.of.insert(k, words);
            }
        }
    }

    /// The body reporting demands a calendar row restates: every one sharing two or more
    /// distinctive word stems with it, one of them about the content; failing that, the one
    /// tied to it by the kind of report it names ("Tertialrapport per 30. april"),
    /// preferring a demand whose own heading names that report too.
    fn restated(&self, row: &Item) -> Vec<usize> {
        let Some(body) = &self.body_stems else {
            return Vec::new();
        };
        let words = stems(&row.text);
        // For each body demand sharing a stem: (shared stems, shared content stems).
        let mut shared: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for w in &words {
            let content = !REPORT_KINDS.contains(&w.as_str());
            for &k in body.index.get(w).into_iter().flatten() {
                let e = shared.entry(k).or_default();
                e.0 += 1;
                e.1 += usize::from(content);
            }
        }
        let strong: Vec<usize> = shared
            .iter()
            .filter(|(_, &(all, content))| all >= 2 && content >= 1)
            .map(|(&k, _)| k)
            .collect();
        if !strong.is_empty() {
            return strong;
        }
        let kinds: BTreeSet<usize> = words
            .iter()
            .filter(|w| REPORT_KINDS.contains(&w.as_str()))
            .flat_map(|w| body.index.get(w).into_iter().flatten().copied())
            .collect();
        kinds
            .into_iter()
            .max_by_key(|&k| {
                let heading_names_it = stems(&self.items[k].heading).intersection(&words).count();
                (heading_names_it, std::cmp::Reverse(k))
            })
            .map(|k| vec![k])
            .unwrap_or_default()
    }
}

fn min_of(a: Option<&usize>, b: Option<&usize>) -> Option<usize> {
    match (a, b) {
        (Some(&a), Some(&b)) => Some(a.min(b)),
        (a, b) => a.or(b).copied(),
    }
}

/// Remove `k` from the list under `key`, and the key once its list is empty.
fn remove<K: std::hash::Hash + Eq>(map: &mut Map<K, Vec<usize>>, key: &K, k: usize) {
    if let Some(ks) = map.get_mut(key) {
        remove_sorted(ks, k);
        if ks.is_empty() {
            map.remove(key);
        }
    }
}

/// Add `k` to an ascending list of item indices (at its end, for a new item).
fn insert_sorted(ks: &mut Vec<usize>, k: usize) {
    if ks.last().is_none_or(|&last| last < k) {
        ks.push(k);
    } else if let Err(at) = ks.binary_search(&k) {
        ks.insert(at, k);
    }
}

fn remove_sorted(ks: &mut Vec<usize>, k: usize) {
    if let Ok(at) = ks.binary_search(&k) {
        ks.remove(at);
    }
}

/// Whether merging `it` into `o` puts `it` in `o`'s place (see [`merge`]).
fn takes_place(o: &Item, it: &Item) -> bool {
    it.title.is_some() && o.title.is_none() && o.category == it.category
}

fn merge(o: &mut Item, it: Item) {
    if takes_place(o, &it) {
        // The section is the item's home; the earlier list entry becomes a location.
        let mut it = it;
        it.also_at.push(Location {
            page: o.page,
            line: o.line,
        });
        it.also_at.append(&mut o.also_at);
        *o = it;
        return;
    }
    o.also_at.push(Location {
        page: it.page,
        line: it.line,
    });
    if o.category != it.category {
        return;
    }
    // The latest date of any location is the item's frist (edge case 11).
    o.frist = match (o.frist.take(), it.frist) {
        (Some(a), Some(b)) if a == "unspecified" => Some(b),
        (Some(a), Some(b)) if b != "unspecified" && b > a => Some(b),
        (a, b) => a.or(b),
    };
    if o.frequency.is_none() {
        o.frequency = it.frequency;
    }
}

/// A reporting demand taken from a table row (a reporting calendar or appendix).
fn is_row(it: &Item) -> bool {
    it.category == "rapporteringskrav" && it.from_row
}

/// Stems that name a kind of report: sharing one of them is enough to tie a calendar row
/// ("Tertialrapport per 30. april") to the body demand that asks for that report.
const REPORT_KINDS: &[&str] = &[
    "tertial", "årsrapp", "årsmeld", "kvartal", "halvårs", "månedsr", "årlig", "årleg", "melding",
    "meldinga",
];

/// A reporting demand from the body of the letter: what calendar rows restate.
fn is_body_report(it: &Item) -> bool {
    it.category == "rapporteringskrav" && !is_row(it)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(category: &str, text: &str, block: usize) -> Item {
        Item {
            category: category.into(),
            text: text.into(),
            block,
            line: block as u32,
            ..Item::default()
        }
    }

    fn lines(items: &[Item]) -> Vec<(u32, Vec<u32>)> {
        items
            .iter()
            .map(|it| (it.line, it.also_at.iter().map(|l| l.line).collect()))
            .collect()
    }

    #[test]
    fn the_same_text_counts_once_per_category() {
        let out = dedup(vec![
            item("oppdrag", "Direktoratet skal utrede X.", 1),
            item("foring", "Direktoratet skal utrede X.", 2),
            item("oppdrag", "Direktoratet  skal utrede x", 3),
        ]);
        assert_eq!(lines(&out), [(1, vec![3]), (2, vec![])]);
    }

    #[test]
    fn equal_cells_of_other_rows_stay_apart_but_a_paragraph_joins_the_first() {
        let cell = |block| Item {
            from_cell: true,
            ..item("resultatkrav", "Skal reduseres", block)
        };
        let out = dedup(vec![
            cell(1),
            cell(2),
            cell(2),
            item("resultatkrav", "Skal reduseres.", 3),
        ]);
        assert_eq!(lines(&out), [(1, vec![3]), (2, vec![2])]);
    }

    #[test]
    fn a_section_takes_over_its_list_entry_and_later_repeats_still_find_it() {
        let entry = Item {
            id: Some("TB-7".into()),
            ..item("oppdrag", "TB-7 Kartlegge Y", 1)
        };
        let section = Item {
            id: Some("TB-7".into()),
            title: Some("TB-7 Kartlegge Y".into()),
            ..item("oppdrag", "TB-7 Kartlegge Y: heile oppdraget", 5)
        };
        let repeat = item("oppdrag", "TB-7 Kartlegge Y: heile oppdraget", 9);
        let row = Item {
            from_row: true,
            ..item("rapporteringskrav", "TB-7 rapport innen 1. mai", 12)
        };
        let out = dedup(vec![entry, section, repeat, row]);
        // The section is the home; the entry, the repeat and the calendar row are locations.
        assert_eq!(lines(&out), [(5, vec![1, 9, 12])]);
    }

    #[test]
    fn a_calendar_row_gives_its_date_to_every_body_demand_it_restates() {
        let body = |text: &str, block| item("rapporteringskrav", text, block);
        let row = Item {
            from_row: true,
            frist: Some("2026-04-30".into()),
            ..body("Tertialrapport om ventetider og sykefravær", 20)
        };
        let out = dedup(vec![
            body("Rapporter ventetider og sykefravær i tertialrapporten.", 1),
            body("Rapporter ventetider og sykefravær for barn.", 2),
            body("Send årsrapport.", 3),
            row,
        ]);
        assert_eq!(lines(&out), [(1, vec![20]), (2, vec![20]), (3, vec![])]);
        assert_eq!(out[0].frist.as_deref(), Some("2026-04-30"));
        assert_eq!(out[1].frist.as_deref(), Some("2026-04-30"));
    }
}
