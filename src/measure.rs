//! Stage 6, measure: items → the summary figures of the coding manual.

use crate::classify::Item;
use crate::rules::CATEGORIES;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The summary figures beside the category counts, in report order: what `diff` compares
/// and what `diff --fail-on` and `check`'s limits may name (with the categories).
pub const FIGURES: &[&str] = &[
    "deloppdrag",
    "styringskrav",
    "ka_total",
    "quantitative_share",
    "reporting_events",
    "per_1000_words",
    "medvirkning",
    "individuelt",
];

/// Every name a limit or `--fail-on` may use: the categories, then the summary figures.
pub fn figure_names() -> Vec<&'static str> {
    CATEGORIES.iter().chain(FIGURES).copied().collect()
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Summary {
    /// Items per counted category (every category present, zero included).
    pub counts: BTreeMap<String, usize>,
    pub mal_hoved: usize,
    pub mal_del: usize,
    /// Sub-tasks of all oppdrag together.
    pub deloppdrag: u32,
    /// Items with a deadline (including "unspecified").
    pub frist: usize,
    /// Items that set a number.
    pub quantitative: usize,
    /// mal + styringsparameter + resultatkrav + oppdrag + rapporteringskrav.
    pub styringskrav: usize,
    /// mal + styringsparameter + oppdrag (Kjærvik and Askim 2015).
    pub ka_total: usize,
    /// Resultatkrav and styringsparametere that set a number.
    pub quantitative_measures: usize,
    /// Share of resultatkrav and styringsparametere that are quantitative; None if there are none.
    pub quantitative_share: Option<f64>,
    /// Each rapporteringskrav weighted by its frequency (edge case 13).
    pub reporting_events: f64,
    pub words: usize,
    /// styringskrav per 1,000 words.
    pub per_1000_words: f64,
    /// Trust-reform flags: demands to involve employees, targets per employee or leader.
    pub medvirkning: usize,
    pub individuelt: usize,
    /// Recognised but not counted (nokkeltall, fullmakt, tildeling, old_oppdrag_refs).
    pub excluded: BTreeMap<String, usize>,
}

/// Reporting events per year for a frequency (edge case 13; unspecified counts once).
pub fn frequency_weight(freq: Option<&str>) -> f64 {
    match freq {
        Some("halvårlig") => 2.0,
        Some("tertial") => 3.0,
        Some("kvartal") => 4.0,
        Some("månedlig") => 12.0,
        _ => 1.0,
    }
}

pub fn measure(items: &[Item], excluded: &BTreeMap<String, usize>, words: usize) -> Summary {
    let mut counts: BTreeMap<String, usize> =
        CATEGORIES.iter().map(|c| (c.to_string(), 0)).collect();
    for it in items {
        *counts.entry(it.category.clone()).or_default() += 1;
    }
    let c = |k: &str| counts.get(k).copied().unwrap_or(0);
    let styringskrav = c("mal")
        + c("styringsparameter")
        + c("resultatkrav")
        + c("oppdrag")
        + c("rapporteringskrav");
    let ka_total = c("mal") + c("styringsparameter") + c("oppdrag");
    let measurable: Vec<&Item> = items
        .iter()
        .filter(|i| matches!(i.category.as_str(), "resultatkrav" | "styringsparameter"))
        .collect();
    let quantitative_share = (!measurable.is_empty()).then(|| {
        round3(
            measurable.iter().filter(|i| i.quantitative).count() as f64 / measurable.len() as f64,
        )
    });
    let reporting_events = items
        .iter()
        .filter(|i| i.category == "rapporteringskrav")
        .map(|i| frequency_weight(i.frequency.as_deref()))
        // `sum()` of no f64 is -0.0, which would print as "-0".
        .fold(0.0, |sum, w| sum + w);
    let flagged = |f: &str| {
        items
            .iter()
            .filter(|i| i.flags.iter().any(|x| x == f))
            .count()
    };
    Summary {
        mal_hoved: items
            .iter()
            .filter(|i| i.category == "mal" && i.level.as_deref() == Some("hoved"))
            .count(),
        mal_del: items
            .iter()
            .filter(|i| i.category == "mal" && i.level.as_deref() == Some("del"))
            .count(),
        deloppdrag: items.iter().map(|i| i.deloppdrag).sum(),
        frist: items.iter().filter(|i| i.frist.is_some()).count(),
        quantitative: items.iter().filter(|i| i.quantitative).count(),
        styringskrav,
        ka_total,
        quantitative_measures: measurable.iter().filter(|i| i.quantitative).count(),
        quantitative_share,
        reporting_events,
        words,
        per_1000_words: if words == 0 {
            0.0
        } else {
            round3(styringskrav as f64 * 1000.0 / words as f64)
        },
        medvirkning: flagged("medvirkning"),
        individuelt: flagged("individuelt"),
        excluded: excluded.clone(),
        counts,
    }
}

impl Summary {
    /// The summary of several documents together: counts add up, shares and rates are
    /// recomputed from the sums (not averaged).
    pub fn combine<'a>(parts: impl IntoIterator<Item = &'a Summary>) -> Summary {
        let mut t = Summary::default();
        for c in CATEGORIES {
            t.counts.insert(c.to_string(), 0);
        }
        for s in parts {
            for (k, v) in &s.counts {
                *t.counts.entry(k.clone()).or_default() += v;
            }
            for (k, v) in &s.excluded {
                *t.excluded.entry(k.clone()).or_default() += v;
            }
            t.mal_hoved += s.mal_hoved;
            t.mal_del += s.mal_del;
            t.deloppdrag += s.deloppdrag;
            t.frist += s.frist;
            t.quantitative += s.quantitative;
            t.quantitative_measures += s.quantitative_measures;
            t.styringskrav += s.styringskrav;
            t.ka_total += s.ka_total;
            t.reporting_events += s.reporting_events;
            t.words += s.words;
            t.medvirkning += s.medvirkning;
            t.individuelt += s.individuelt;
        }
        let measurable = t.counts.get("resultatkrav").copied().unwrap_or(0)
            + t.counts.get("styringsparameter").copied().unwrap_or(0);
        t.quantitative_share =
            (measurable > 0).then(|| round3(t.quantitative_measures as f64 / measurable as f64));
        t.per_1000_words = if t.words == 0 {
            0.0
        } else {
            round3(t.styringskrav as f64 * 1000.0 / t.words as f64)
        };
        t
    }

    /// A category count or summary figure by name (see [`FIGURES`]); `None` for a name
    /// that is neither. A letter without quantitative-capable items has a share of 0.
    pub fn figure(&self, name: &str) -> Option<f64> {
        Some(match name {
            "deloppdrag" => self.deloppdrag as f64,
            "styringskrav" => self.styringskrav as f64,
            "ka_total" => self.ka_total as f64,
            "quantitative_share" => self.quantitative_share.unwrap_or(0.0),
            "reporting_events" => self.reporting_events,
            "per_1000_words" => self.per_1000_words,
            "medvirkning" => self.medvirkning as f64,
            "individuelt" => self.individuelt as f64,
            c if CATEGORIES.contains(&c) => self.count(c) as f64,
            _ => return None,
        })
    }

    pub fn count(&self, category: &str) -> usize {
        self.counts.get(category).copied().unwrap_or(0)
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
