//! The whole pipeline for one document, and the value it produces.

use crate::classify::{classify, Item};
use crate::ingest::{self, Format, IngestError};
use crate::measure::{measure, Summary};
use crate::meta::{detect, Meta};
use crate::rules::RuleSet;
use crate::{layout, segment};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One analysed document: what it is, what it demands, and what went wrong reading it.
/// Read back from JSONL by `byrde merge` (items only if they were written).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Analysis {
    pub file: PathBuf,
    pub format: Format,
    pub pages: usize,
    pub meta: Meta,
    pub summary: Summary,
    /// Absent from JSON written without `--items`.
    #[serde(default)]
    pub items: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_items: Vec<Item>,
    pub warnings: Vec<String>,
    /// Some pages could not be read: counts may be too low.
    pub incomplete: bool,
    /// The segmented text, kept for reports that show the letter itself (HTML).
    #[serde(skip)]
    pub blocks: Vec<crate::segment::Block>,
}

/// A file that could not be analysed at all.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Failure {
    pub file: PathBuf,
    pub error: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.error)
    }
}

/// Read and analyse one file.
pub fn analyse_path(path: &Path, rules: &RuleSet) -> Result<Analysis, Failure> {
    let fail = |e: IngestError| Failure {
        file: path.to_path_buf(),
        error: e.to_string(),
    };
    let raw = ingest::read_path(path).map_err(fail)?;
    Ok(analyse_raw(raw, rules))
}

/// Analyse bytes already in memory (tests, fuzzing).
pub fn analyse_bytes(path: &Path, bytes: &[u8], rules: &RuleSet) -> Result<Analysis, Failure> {
    let raw = ingest::read_bytes(path, bytes).map_err(|e| Failure {
        file: path.to_path_buf(),
        error: e.to_string(),
    })?;
    Ok(analyse_raw(raw, rules))
}

/// The stages after ingest (also run by `crate::isolate` on pages read in a worker).
pub fn analyse_raw(raw: ingest::RawDoc, rules: &RuleSet) -> Analysis {
    let ingest::RawDoc {
        path,
        format,
        pages,
        warnings,
        incomplete,
    } = raw;
    let page_count = pages.len();
    // The positioned lines are not needed past layout, which cleans them in place.
    let paras = layout::layout_owned(format, pages);
    let doc = segment::segment(paras);
    let meta = detect(&doc, &path);
    let classified = classify(&doc, &meta, rules);
    let summary = measure(&classified.items, &classified.excluded, doc.word_count());
    Analysis {
        file: path,
        format,
        pages: page_count,
        meta,
        summary,
        items: classified.items,
        excluded_items: classified.excluded_items,
        warnings,
        incomplete,
        blocks: doc.blocks,
    }
}
