//! `byrde eval`: found items against hand-coded `*.expected.json` files.
//!
//! One expected-items format serves the sample corpus and the real letters in
//! `shared/real-letters`: `counts`, and `items` with category and the item's first twelve
//! words. Items are matched one-to-one within a category, by oppdrag ID when both sides
//! have one, else by their opening words.

use crate::analysis::{Analysis, Failure};
use crate::rules::CATEGORIES;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
pub struct ExpectedItem {
    pub category: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub frist: Option<String>,
    #[serde(default)]
    pub deloppdrag: Option<u32>,
    #[serde(default)]
    pub quantitative: Option<bool>,
    #[serde(default)]
    pub frequency: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Expected {
    pub document: String,
    pub text_file: String,
    /// The document's metadata as the coder read it (kind, number, issuer, recipient,
    /// year, language, date); compared field by field.
    #[serde(default)]
    pub meta: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub counts: BTreeMap<String, i64>,
    #[serde(default)]
    pub excluded: BTreeMap<String, i64>,
    pub items: Vec<ExpectedItem>,
}

/// Which rendering of a document to analyse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Text,
    Pdf,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Score {
    pub expected: usize,
    pub found: usize,
    pub matched: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.matched as f64 / self.found as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.matched as f64 / self.expected as f64
        }
    }
    fn add(&mut self, o: &Score) {
        self.expected += o.expected;
        self.found += o.found;
        self.matched += o.matched;
    }
}

/// A found or expected item that found no partner.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub category: String,
    pub text: String,
    /// "missed" (expected, not found), "extra" (found, not expected), or "attribute"
    /// (matched, but an attribute differs: `text` says which).
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocEval {
    pub document: String,
    pub file: PathBuf,
    pub source: Source,
    pub scores: BTreeMap<String, Score>,
    /// Count figures (deloppdrag, frist, ...) that differ: name → (expected, found).
    pub count_diffs: BTreeMap<String, (i64, i64)>,
    pub misses: Vec<Miss>,
    pub error: Option<String>,
}

impl DocEval {
    /// Every category count, every count figure and the metadata agree.
    pub fn exact(&self) -> bool {
        self.error.is_none()
            && self.scores.values().all(|s| s.expected == s.found)
            && self.count_diffs.is_empty()
            && !self.misses.iter().any(|m| m.category.starts_with("meta."))
    }
}

/// All `*.expected.json` files below `dir`, sorted.
pub fn find_expected(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".expected.json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

pub fn load_expected(path: &Path) -> Result<Expected, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("{}: not an expected-items file: {e}", path.display()))
}

/// Evaluate one expected file against its text and/or PDF rendering, each read by
/// `analyse` (`byrde eval` reads them as `analyse` does: each PDF in a worker process,
/// within the time budget).
pub fn evaluate_file(
    path: &Path,
    sources: &[Source],
    analyse: &dyn Fn(&Path) -> Result<Analysis, Failure>,
) -> Vec<DocEval> {
    let expected = match load_expected(path) {
        Ok(mut e) => {
            // Name the document by its folder too: every series has a "2025-tildelingsbrev".
            if let Some(series) = path.parent().and_then(|p| p.file_name()) {
                e.document = format!("{}/{}", series.to_string_lossy(), e.document);
            }
            e
        }
        Err(error) => {
            return vec![DocEval {
                document: path.display().to_string(),
                file: path.to_path_buf(),
                source: Source::Text,
                scores: BTreeMap::new(),
                count_diffs: BTreeMap::new(),
                misses: Vec::new(),
                error: Some(error),
            }]
        }
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let text_path = dir.join(&expected.text_file);
    let pdf_path = text_path.with_extension("pdf");
    sources
        .iter()
        .filter_map(|&source| {
            let file = match source {
                Source::Text => text_path.clone(),
                Source::Pdf => pdf_path.clone(),
            };
            if source == Source::Pdf && !file.exists() {
                return None;
            }
            Some(match analyse(&file) {
                Ok(a) => compare(&expected, &a, source),
                Err(f) => DocEval {
                    document: expected.document.clone(),
                    file,
                    source,
                    scores: BTreeMap::new(),
                    count_diffs: BTreeMap::new(),
                    misses: Vec::new(),
                    error: Some(f.error),
                },
            })
        })
        .collect()
}

/// Compare one analysis with its hand coding.
pub fn compare(expected: &Expected, found: &Analysis, source: Source) -> DocEval {
    let mut scores = BTreeMap::new();
    let mut misses = Vec::new();
    for &cat in CATEGORIES {
        let exp: Vec<&ExpectedItem> = expected
            .items
            .iter()
            .filter(|i| i.category == cat)
            .collect();
        let got: Vec<&crate::classify::Item> =
            found.items.iter().filter(|i| i.category == cat).collect();
        let pairs = match_items(&exp, &got);
        let mut used_e = vec![false; exp.len()];
        let mut used_g = vec![false; got.len()];
        for &(e, g) in &pairs {
            used_e[e] = true;
            used_g[g] = true;
        }
        for &(e, g) in &pairs {
            let (ei, gi) = (exp[e], got[g]);
            let mut diffs = Vec::new();
            if ei.frist != gi.frist {
                diffs.push(format!("frist {:?}→{:?}", ei.frist, gi.frist));
            }
            if ei.deloppdrag.is_some_and(|d| d != gi.deloppdrag) {
                diffs.push(format!(
                    "deloppdrag {}→{}",
                    ei.deloppdrag.unwrap_or(0),
                    gi.deloppdrag
                ));
            }
            if cat == "rapporteringskrav" && ei.frequency != gi.frequency {
                diffs.push(format!("frequency {:?}→{:?}", ei.frequency, gi.frequency));
            }
            if ei.quantitative.is_some_and(|q| q != gi.quantitative) {
                diffs.push(format!(
                    "quantitative {}→{}",
                    !gi.quantitative, gi.quantitative
                ));
            }
            if !diffs.is_empty() {
                misses.push(Miss {
                    category: cat.into(),
                    text: format!("{} [{}]", ei.text, diffs.join(", ")),
                    kind: "attribute",
                });
            }
        }
        for (e, used) in exp.iter().zip(&used_e) {
            if !used {
                misses.push(Miss {
                    category: cat.into(),
                    text: e.text.clone(),
                    kind: "missed",
                });
            }
        }
        for (g, used) in got.iter().zip(&used_g) {
            if !used {
                misses.push(Miss {
                    category: cat.into(),
                    text: g.text.clone(),
                    kind: "extra",
                });
            }
        }
        scores.insert(
            cat.to_string(),
            Score {
                expected: exp.len(),
                found: got.len(),
                matched: pairs.len(),
            },
        );
    }
    let s = &found.summary;
    let mut count_diffs = BTreeMap::new();
    let found_meta = serde_json::to_value(&found.meta).unwrap_or_default();
    for (k, v) in &expected.meta {
        let got = found_meta
            .get(k)
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        if *v != got {
            misses.push(Miss {
                category: format!("meta.{k}"),
                text: format!("{v} → {got}"),
                kind: "attribute",
            });
        }
    }
    let figures: [(&str, i64); 3] = [
        ("deloppdrag", s.deloppdrag as i64),
        ("frist", s.frist as i64),
        ("quantitative", s.quantitative as i64),
    ];
    for (k, v) in figures {
        if let Some(&e) = expected.counts.get(k) {
            if e != v {
                count_diffs.insert(k.to_string(), (e, v));
            }
        }
    }
    DocEval {
        document: expected.document.clone(),
        file: found.file.clone(),
        source,
        scores,
        count_diffs,
        misses,
        error: None,
    }
}

/// Lower-case words without punctuation, leading section numbers and list markers dropped.
fn opening_words(s: &str) -> Vec<String> {
    let words = crate::layout::normal_words(s);
    let skip = words
        .iter()
        .take_while(|w| w.chars().all(|c| c.is_ascii_digit() || c == '.') || w.len() == 1)
        .count()
        .min(2);
    words.into_iter().skip(skip).take(12).collect()
}

fn similarity(a: &[String], b: &[String]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    // Same opening (the shorter one is a prefix of the other) is a match.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if prefix >= n.min(6) {
        return 1.0;
    }
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let b: Vec<&str> = b.iter().map(String::as_str).collect();
    similar::TextDiff::from_slices(&a, &b).ratio() as f64
}

/// One-to-one pairs (expected index, found index): IDs first, then best text matches.
fn match_items(exp: &[&ExpectedItem], got: &[&crate::classify::Item]) -> Vec<(usize, usize)> {
    let norm_id = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase()
    };
    let mut pairs = Vec::new();
    let mut used_e = vec![false; exp.len()];
    let mut used_g = vec![false; got.len()];
    for (e, ei) in exp.iter().enumerate() {
        let Some(id) = ei.id.as_deref().map(norm_id) else {
            continue;
        };
        if let Some(g) = (0..got.len()).find(|&g| {
            !used_g[g] && got[g].id.as_deref().map(norm_id).as_deref() == Some(id.as_str())
        }) {
            used_e[e] = true;
            used_g[g] = true;
            pairs.push((e, g));
        }
    }
    let mut candidates = Vec::new();
    for (e, ei) in exp.iter().enumerate() {
        if used_e[e] {
            continue;
        }
        let ew = opening_words(&ei.text);
        for (g, gi) in got.iter().enumerate() {
            if used_g[g] {
                continue;
            }
            let score = similarity(&ew, &opening_words(&gi.text)).max(
                gi.title
                    .as_deref()
                    .map_or(0.0, |t| similarity(&ew, &opening_words(t))),
            );
            if score >= 0.6 {
                candidates.push((score, e, g));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, e, g) in candidates {
        if !used_e[e] && !used_g[g] {
            used_e[e] = true;
            used_g[g] = true;
            pairs.push((e, g));
        }
    }
    pairs
}

/// Scores summed over documents, per source and category.
pub fn totals(evals: &[DocEval]) -> BTreeMap<(String, String), Score> {
    let mut t: BTreeMap<(String, String), Score> = BTreeMap::new();
    for e in evals {
        let src = format!("{:?}", e.source).to_lowercase();
        for (cat, s) in &e.scores {
            t.entry((src.clone(), cat.clone())).or_default().add(s);
        }
    }
    t
}

/// Human-readable report: a line per source and category, then differing documents.
pub fn render_table(evals: &[DocEval], verbose: bool) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6} {:<18} {:>8} {:>6} {:>7} {:>9} {:>7}",
        "source", "category", "expected", "found", "matched", "precision", "recall"
    );
    for ((src, cat), s) in totals(evals) {
        if s.expected == 0 && s.found == 0 {
            continue;
        }
        let _ = writeln!(
            out,
            "{:<6} {:<18} {:>8} {:>6} {:>7} {:>9.2} {:>7.2}",
            src,
            cat,
            s.expected,
            s.found,
            s.matched,
            s.precision(),
            s.recall()
        );
    }
    let exact = evals.iter().filter(|e| e.exact()).count();
    let _ = writeln!(
        out,
        "\n{exact} of {} document renderings have every count exact",
        evals.len()
    );
    for e in evals.iter().filter(|e| !e.exact()) {
        let src = format!("{:?}", e.source).to_lowercase();
        if let Some(err) = &e.error {
            let _ = writeln!(out, "  {} ({src}): error: {err}", e.document);
            continue;
        }
        let mut diffs: Vec<String> = e
            .scores
            .iter()
            .filter(|(_, s)| s.expected != s.found)
            .map(|(c, s)| format!("{c} {}→{}", s.expected, s.found))
            .collect();
        diffs.extend(
            e.count_diffs
                .iter()
                .map(|(k, (a, b))| format!("{k} {a}→{b}")),
        );
        let _ = writeln!(out, "  {} ({src}): {}", e.document, diffs.join(", "));
        if verbose {
            for m in &e.misses {
                let _ = writeln!(
                    out,
                    "      {} {}: {}",
                    m.kind,
                    m.category,
                    m.text.chars().take(100).collect::<String>()
                );
            }
        }
    }
    out
}
