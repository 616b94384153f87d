//! `byrde check`: a CI gate that fails when a letter adds burden, and points at the items
//! that broke a limit.
//!
//! Limits come from a budget file (`byrde-budget.toml`) or from a saved run (`--baseline`,
//! the JSON of `byrde analyse --format json --items`). By default only the newest year of
//! each series is checked — the draft letter under review — since older letters were
//! accepted when they were new; `--all-years` checks every year.

use crate::analysis::Analysis;
use crate::diff::{diff, Side, Status};
use crate::measure::figure_names;
use crate::rules::CATEGORIES;
use crate::trend::{trend, Series};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Whether `name` is a category or summary figure a limit may be set on.
pub fn is_figure(name: &str) -> bool {
    figure_names().contains(&name)
}

/// One set of limits, for every document (`[document]`) or one series (`[series.NAME]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Most items allowed per category or figure.
    #[serde(default)]
    pub max: BTreeMap<String, f64>,
    /// Most allowed per 1,000 words.
    #[serde(default)]
    pub max_per_1000_words: BTreeMap<String, f64>,
    /// Bounds on the share of resultatkrav and styringsparametere that set a number.
    #[serde(default)]
    pub quantitative_share: Option<ShareBounds>,
    /// Categories or figures that must not rise from the previous year of the series.
    #[serde(default)]
    pub no_increase: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShareBounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A budget file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Limits for every document on its own.
    #[serde(default)]
    pub document: Limits,
    /// Limits for one year of one series (main letter and supplerende letters together),
    /// keyed by series name (as `byrde trend` shows it).
    #[serde(default)]
    pub series: BTreeMap<String, Limits>,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct BudgetError {
    pub file: PathBuf,
    pub message: String,
}

impl Budget {
    /// Read and validate a budget file: unknown keys and bad values name the key.
    pub fn load(path: &Path) -> Result<Budget, BudgetError> {
        let err = |message: String| BudgetError {
            file: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let budget: Budget =
            toml::from_str(&text).map_err(|e| err(e.to_string().trim().replace('\n', " ")))?;
        let mut sections: Vec<(String, &Limits)> = vec![("document".into(), &budget.document)];
        sections.extend(
            budget
                .series
                .iter()
                .map(|(k, v)| (format!("series.{k}"), v)),
        );
        for (section, l) in sections {
            for (table, map) in [
                ("max", &l.max),
                ("max_per_1000_words", &l.max_per_1000_words),
            ] {
                for (k, v) in map {
                    if !is_figure(k) {
                        return Err(err(format!(
                            "{section}.{table}.{k}: unknown category or figure (one of: {})",
                            figure_names().join(", ")
                        )));
                    }
                    if !v.is_finite() || *v < 0.0 {
                        return Err(err(format!(
                            "{section}.{table}.{k}: must be a number ≥ 0, not {v}"
                        )));
                    }
                }
            }
            for k in &l.no_increase {
                if !is_figure(k) {
                    return Err(err(format!(
                        "{section}.no_increase: unknown category or figure {k:?} (one of: {})",
                        figure_names().join(", ")
                    )));
                }
            }
            if let Some(b) = &l.quantitative_share {
                for (name, v) in [("min", b.min), ("max", b.max)] {
                    if v.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
                        return Err(err(format!(
                            "{section}.quantitative_share.{name}: must be between 0 and 1"
                        )));
                    }
                }
            }
        }
        Ok(budget)
    }
}

/// Where an item that broke a limit stands.
#[derive(Debug, Clone, Serialize)]
pub struct Culprit {
    pub file: PathBuf,
    pub page: u32,
    pub line: u32,
    pub category: String,
    pub text: String,
}

/// One limit broken.
#[derive(Debug, Clone, Serialize)]
pub struct Violation {
    /// The budget key: "max.oppdrag", "no_increase.rapporteringskrav", "baseline.styringskrav".
    pub key: String,
    /// "document" or "series NAME".
    pub scope: String,
    /// The document (or the year's main letter) the limit was checked on.
    pub file: PathBuf,
    pub year: Option<i32>,
    pub limit: f64,
    pub actual: f64,
    pub message: String,
    /// The items that broke it: the added items for a rise, the items past the limit for a max.
    pub items: Vec<Culprit>,
}

/// The outcome of a check.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub checked: Vec<PathBuf>,
    pub violations: Vec<Violation>,
}

fn value(s: &crate::measure::Summary, key: &str) -> f64 {
    // Names are checked when the budget is read; an unknown one cannot get here.
    s.figure(key).unwrap_or(0.0)
}

/// Categories whose items make up a figure, to point at them.
fn categories_of(key: &str) -> Vec<&'static str> {
    match key {
        "styringskrav" | "per_1000_words" => vec![
            "mal",
            "styringsparameter",
            "resultatkrav",
            "oppdrag",
            "rapporteringskrav",
        ],
        "ka_total" => vec!["mal", "styringsparameter", "oppdrag"],
        "quantitative_share" => vec!["mal", "styringsparameter", "resultatkrav"],
        "reporting_events" => vec!["rapporteringskrav"],
        "deloppdrag" => vec!["oppdrag"],
        c => CATEGORIES.iter().copied().filter(|&k| k == c).collect(),
    }
}

fn culprit(file: &Path, it: &crate::classify::Item) -> Culprit {
    Culprit {
        file: file.to_path_buf(),
        page: it.page,
        line: it.line,
        category: it.category.clone(),
        text: it.text.clone(),
    }
}

/// Check documents against a budget.
pub fn check_budget(
    docs: &[Analysis],
    root: &Path,
    budget: &Budget,
    all_years: bool,
) -> Result<Outcome, crate::trend::SeriesFileError> {
    let series = trend(docs, root)?;
    let by_file: BTreeMap<&Path, &Analysis> = docs.iter().map(|d| (d.file.as_path(), d)).collect();
    let mut violations = Vec::new();
    let mut checked = Vec::new();
    for s in &series {
        let series_limits = budget.series.get(&s.name);
        let years: Vec<usize> = if all_years {
            (0..s.years.len()).collect()
        } else {
            s.years.len().checked_sub(1).into_iter().collect()
        };
        for yi in years {
            let year = &s.years[yi];
            let year_docs: Vec<&Analysis> = year
                .documents
                .iter()
                .filter_map(|d| by_file.get(d.file.as_path()).copied())
                .collect();
            checked.extend(year_docs.iter().map(|d| d.file.clone()));
            // Every document on its own against [document].
            for d in &year_docs {
                let items: Vec<(PathBuf, crate::classify::Item)> = d
                    .items
                    .iter()
                    .map(|i| (d.file.clone(), i.clone()))
                    .collect();
                limit_checks(
                    &budget.document,
                    "document",
                    &d.file,
                    d.meta.year,
                    &d.summary,
                    &items,
                    &mut violations,
                );
            }
            // The year's letters together against [series.NAME].
            let Some(limits) = series_limits else {
                continue;
            };
            let side = Side::from_analyses(year_docs.iter().map(|d| (*d).clone()).collect());
            let scope = format!("series {}", s.name);
            let main = side.files.first().cloned().unwrap_or_default();
            limit_checks(
                limits,
                &scope,
                &main,
                year.year,
                &side.summary,
                &side.items,
                &mut violations,
            );
            if yi > 0 && !limits.no_increase.is_empty() {
                let prev = prev_side(s, yi - 1, &by_file);
                rise_checks(
                    &limits.no_increase,
                    "no_increase",
                    &scope,
                    prev,
                    side,
                    year.year,
                    &mut violations,
                );
            }
        }
        // [document] no_increase compares each year with the previous year of its series.
        if !budget.document.no_increase.is_empty() {
            let years: Vec<usize> = if all_years {
                (1..s.years.len()).collect()
            } else {
                (s.years.len() >= 2)
                    .then(|| s.years.len() - 1)
                    .into_iter()
                    .collect()
            };
            for yi in years {
                let prev = prev_side(s, yi - 1, &by_file);
                let cur = prev_side(s, yi, &by_file);
                rise_checks(
                    &budget.document.no_increase,
                    "no_increase",
                    "document",
                    prev,
                    cur,
                    s.years[yi].year,
                    &mut violations,
                );
            }
        }
    }
    checked.sort();
    checked.dedup();
    Ok(Outcome {
        checked,
        violations,
    })
}

fn prev_side(s: &Series, yi: usize, by_file: &BTreeMap<&Path, &Analysis>) -> Side {
    Side::from_analyses(
        s.years[yi]
            .documents
            .iter()
            .filter_map(|d| by_file.get(d.file.as_path()).map(|a| (*a).clone()))
            .collect(),
    )
}

fn limit_checks(
    l: &Limits,
    scope: &str,
    file: &Path,
    year: Option<i32>,
    summary: &crate::measure::Summary,
    items: &[(PathBuf, crate::classify::Item)],
    out: &mut Vec<Violation>,
) {
    for (key, &limit) in &l.max {
        let actual = value(summary, key);
        if actual > limit {
            let cats = categories_of(key);
            // The items past the limit, in document order.
            let of_key: Vec<&(PathBuf, crate::classify::Item)> = items
                .iter()
                .filter(|(_, i)| cats.contains(&i.category.as_str()))
                .collect();
            let skip = (limit.floor() as usize).min(of_key.len());
            out.push(Violation {
                key: format!("max.{key}"),
                scope: scope.to_string(),
                file: file.to_path_buf(),
                year,
                limit,
                actual,
                message: format!("{key} is {actual}, more than the {limit} allowed ({scope})"),
                items: of_key[skip..].iter().map(|(f, i)| culprit(f, i)).collect(),
            });
        }
    }
    for (key, &limit) in &l.max_per_1000_words {
        if summary.words == 0 {
            continue;
        }
        let actual = (value(summary, key) * 1000.0 / summary.words as f64 * 100.0).round() / 100.0;
        if actual > limit {
            out.push(Violation {
                key: format!("max_per_1000_words.{key}"),
                scope: scope.to_string(),
                file: file.to_path_buf(),
                year,
                limit,
                actual,
                message: format!(
                    "{key} is {actual} per 1,000 words, more than the {limit} allowed ({scope})"
                ),
                items: Vec::new(),
            });
        }
    }
    if let (Some(b), Some(share)) = (&l.quantitative_share, summary.quantitative_share) {
        for (bound, broken, word) in [
            (b.min, b.min.is_some_and(|m| share < m), "less"),
            (b.max, b.max.is_some_and(|m| share > m), "more"),
        ] {
            if broken {
                let limit = bound.unwrap_or(0.0);
                out.push(Violation {
                    key: format!("quantitative_share.{}", if word == "less" { "min" } else { "max" }),
                    scope: scope.to_string(),
                    file: file.to_path_buf(),
                    year,
                    limit,
                    actual: share,
                    message: format!(
                        "quantitative share is {share:.2}, {word} than the {limit:.2} allowed ({scope})"
                    ),
                    items: Vec::new(),
                });
            }
        }
    }
}

/// Figures in `keys` that rose from `old` to `new`; the items added in their categories
/// are the culprits.
pub fn rise_checks(
    keys: &[String],
    kind: &str,
    scope: &str,
    old: Side,
    new: Side,
    year: Option<i32>,
    out: &mut Vec<Violation>,
) {
    let (o, n) = (old.summary.clone(), new.summary.clone());
    let main = new.files.first().cloned().unwrap_or_default();
    let old_files = old
        .files
        .iter()
        .map(|f| crate::report::display_path(f))
        .collect::<Vec<_>>()
        .join(", ");
    let d = diff(old, new);
    for key in keys {
        let (before, after) = (value(&o, key), value(&n, key));
        if after <= before {
            continue;
        }
        let cats = categories_of(key);
        let items = d
            .changes
            .iter()
            .filter(|c| c.status == Status::Added && cats.contains(&c.category.as_str()))
            .filter_map(|c| c.new.as_ref().map(|r| (c, r)))
            .map(|(c, r)| Culprit {
                file: r.file.clone(),
                page: r.page,
                line: r.line,
                category: c.category.clone(),
                text: r.text.clone(),
            })
            .collect();
        out.push(Violation {
            key: format!("{kind}.{key}"),
            scope: scope.to_string(),
            file: main.clone(),
            year,
            limit: before,
            actual: after,
            message: format!("{key} rose from {before} to {after} (compared with {old_files})"),
            items,
        });
    }
}

/// A saved run (`byrde analyse --format json --items`) to compare with.
#[derive(Debug, Deserialize)]
struct SavedRun {
    #[serde(default)]
    schema_version: u32,
    documents: Vec<Analysis>,
}

/// Read a saved run. Without items (saved without `--items`) counts are still compared,
/// but the added items cannot be pointed at.
pub fn load_baseline(path: &Path) -> Result<Vec<Analysis>, BudgetError> {
    let err = |message: String| BudgetError {
        file: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let run: SavedRun = serde_json::from_str(&text).map_err(|e| {
        err(format!(
            "not the JSON of `byrde analyse --format json`: {e}"
        ))
    })?;
    if run.schema_version != crate::SCHEMA_VERSION {
        return Err(err(format!(
            "schema_version {} (this byrde reads {})",
            run.schema_version,
            crate::SCHEMA_VERSION
        )));
    }
    Ok(run.documents)
}

/// Check documents against a saved run: each document is paired with the saved document
/// of the same path (or, failing that, the same file name); `keys` must not rise.
pub fn check_baseline(docs: &[Analysis], baseline: &[Analysis], keys: &[String]) -> Outcome {
    let mut violations = Vec::new();
    let mut checked = Vec::new();
    for d in docs {
        let name = d.file.file_name();
        let Some(old) = baseline
            .iter()
            .find(|b| b.file == d.file)
            .or_else(|| baseline.iter().find(|b| b.file.file_name() == name))
        else {
            continue;
        };
        checked.push(d.file.clone());
        rise_checks(
            keys,
            "baseline",
            "document",
            Side::from_analyses(vec![old.clone()]),
            Side::from_analyses(vec![d.clone()]),
            d.meta.year,
            &mut violations,
        );
    }
    Outcome {
        checked,
        violations,
    }
}
