//! `byrde trend`: every series of a corpus, year by year.
//!
//! A series is one issuer → recipient → kind over the years. Which series a document
//! belongs to is decided, in order, by a `series.toml` in its folder (or a folder above it,
//! up to the corpus root), by the path convention `corpus/<series>/<year>-<kind>[-<n>].<ext>`
//! (the folder names the series), and otherwise by the issuer and recipient read from the
//! text. Supplerende letters are added to their year's main letter and shown as such;
//! documents of kind `other` form series of their own and are never mixed in.

use crate::analysis::Analysis;
use crate::measure::Summary;
use crate::meta::Kind;
use crate::rules::CATEGORIES;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// What a `series.toml` may say; every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesFile {
    pub name: Option<String>,
    pub issuer: Option<String>,
    pub recipient: Option<String>,
    pub kind: Option<Kind>,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct SeriesFileError {
    pub file: PathBuf,
    pub message: String,
}

/// One document's place in a year.
#[derive(Debug, Clone, Serialize)]
pub struct DocRef {
    pub file: PathBuf,
    pub kind: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
}

/// One year of a series: its letters together, and the change from the year before.
#[derive(Debug, Clone, Serialize)]
pub struct Year {
    pub year: Option<i32>,
    pub documents: Vec<DocRef>,
    pub summary: Summary,
    /// Change of each category and summary figure from the previous year in the series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<BTreeMap<String, f64>>,
}

impl Year {
    /// "oppdragsdokument + supplerende 1".
    pub fn label(&self) -> String {
        self.documents
            .iter()
            .map(|d| match d.number {
                Some(n) => format!("{} {n}", d.kind.as_str()),
                None => d.kind.as_str().to_string(),
            })
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub name: String,
    pub issuer: Option<String>,
    pub recipient: Option<String>,
    pub kind: Kind,
    pub years: Vec<Year>,
}

/// The figures a trend reports per year: the categories, then the summary figures.
pub fn figures(s: &Summary) -> Vec<(&'static str, f64)> {
    let mut out: Vec<(&'static str, f64)> =
        CATEGORIES.iter().map(|&c| (c, s.count(c) as f64)).collect();
    out.extend([
        ("deloppdrag", s.deloppdrag as f64),
        ("styringskrav", s.styringskrav as f64),
        ("ka_total", s.ka_total as f64),
        ("quantitative_share", s.quantitative_share.unwrap_or(0.0)),
        ("reporting_events", s.reporting_events),
        ("per_1000_words", s.per_1000_words),
    ]);
    out
}

/// A document in a series being built: the analysis, its year, its `series.toml`.
type Member<'a> = (&'a Analysis, Option<i32>, SeriesFile);

static CONVENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<year>(19|20)[0-9][0-9])-(?P<kind>[a-z][a-z-]*?)(-(?P<n>[0-9]{1,2}))?$")
        .expect("valid regex")
});

/// Group analysed documents into series. `root` bounds the search for `series.toml`.
pub fn trend(docs: &[Analysis], root: &Path) -> Result<Vec<Series>, SeriesFileError> {
    let mut cache: BTreeMap<PathBuf, Option<SeriesFile>> = BTreeMap::new();
    // (series name, is-other) → documents with their year and series file
    let mut groups: BTreeMap<(String, bool), Vec<Member>> = BTreeMap::new();
    for d in docs {
        let file = series_file(&d.file, root, &mut cache)?;
        let stem = d
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let by_path = CONVENTION.captures(&stem);
        let path_year = by_path.as_ref().and_then(|c| c["year"].parse::<i32>().ok());
        let folder = d
            .file
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_string());
        let issuer = file.issuer.clone().or_else(|| d.meta.issuer.clone());
        let recipient = file.recipient.clone().or_else(|| d.meta.recipient.clone());
        let name = file
            .name
            .clone()
            .or_else(|| by_path.as_ref().and(folder.clone()))
            .unwrap_or_else(|| {
                format!(
                    "{} → {}",
                    issuer.as_deref().unwrap_or("?"),
                    recipient.as_deref().unwrap_or("?")
                )
            });
        let kind = file.kind.unwrap_or(d.meta.kind);
        let year = d.meta.year.or(path_year);
        groups
            .entry((name, kind == Kind::Other))
            .or_default()
            .push((d, year, file));
    }
    let mut out = Vec::new();
    for ((name, other), members) in groups {
        // The series' kind: its main letters' kind (supplerende letters join those).
        let mut kinds: BTreeMap<Kind, usize> = BTreeMap::new();
        for (d, _, f) in &members {
            let k = f.kind.unwrap_or(d.meta.kind);
            if k != Kind::Supplerende {
                *kinds.entry(k).or_default() += 1;
            }
        }
        let kind = kinds
            .into_iter()
            .max_by_key(|&(_, n)| n)
            .map_or(Kind::Supplerende, |(k, _)| k);
        let first = members.first().map(|(d, _, f)| (*d, f.clone()));
        let mut by_year: BTreeMap<Option<i32>, Vec<&Analysis>> = BTreeMap::new();
        for (d, y, _) in &members {
            by_year.entry(*y).or_default().push(d);
        }
        let mut years: Vec<Year> = Vec::new();
        for (year, mut ds) in by_year {
            // Main letter first, then supplerende letters by number.
            ds.sort_by_key(|d| {
                (
                    d.meta.kind == Kind::Supplerende,
                    d.meta.number,
                    d.file.clone(),
                )
            });
            let summary = Summary::combine(ds.iter().map(|d| &d.summary));
            let change = years.last().map(|prev: &Year| {
                figures(&prev.summary)
                    .into_iter()
                    .zip(figures(&summary))
                    .map(|((k, a), (_, b))| (k.to_string(), ((b - a) * 1000.0).round() / 1000.0))
                    .collect()
            });
            years.push(Year {
                year,
                documents: ds
                    .iter()
                    .map(|d| DocRef {
                        file: d.file.clone(),
                        kind: d.meta.kind,
                        number: d.meta.number,
                    })
                    .collect(),
                summary,
                change,
            });
        }
        let (issuer, recipient) = first
            .map(|(d, f)| {
                (
                    f.issuer.or_else(|| d.meta.issuer.clone()),
                    f.recipient.or_else(|| d.meta.recipient.clone()),
                )
            })
            .unwrap_or_default();
        out.push(Series {
            name: if other {
                format!("{name} (other)")
            } else {
                name
            },
            issuer,
            recipient,
            kind,
            years,
        });
    }
    Ok(out)
}

/// The `series.toml` that governs a file: the nearest one in its folder or a folder above
/// it, not above `root`.
fn series_file(
    file: &Path,
    root: &Path,
    cache: &mut BTreeMap<PathBuf, Option<SeriesFile>>,
) -> Result<SeriesFile, SeriesFileError> {
    let mut dir = file.parent();
    while let Some(d) = dir {
        let candidate = d.join("series.toml");
        let found = match cache.get(&candidate) {
            Some(v) => v.clone(),
            None => {
                let v = read_series_file(&candidate)?;
                cache.insert(candidate.clone(), v.clone());
                v
            }
        };
        if let Some(f) = found {
            return Ok(f);
        }
        if d == root || d.as_os_str().is_empty() {
            break;
        }
        dir = d.parent();
    }
    Ok(SeriesFile::default())
}

fn read_series_file(path: &Path) -> Result<Option<SeriesFile>, SeriesFileError> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path).map_err(|e| SeriesFileError {
        file: path.to_path_buf(),
        message: e.to_string(),
    })?;
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| SeriesFileError {
            file: path.to_path_buf(),
            message: e.to_string().trim().replace('\n', " "),
        })
}
