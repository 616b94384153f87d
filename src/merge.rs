//! `byrde merge`: per-document JSONL results of separate runs back into one batch.
//!
//! Each worker of a batch engine (GNU parallel, a Slurm array, a Spark or Ray map) runs
//! `byrde analyse --format jsonl` on its share of the letters; merging the parts gives the
//! documents, failures and total that one run over all the letters would have given.
//! Documents and failures come back in path order, which is the order one run over a
//! folder reports them in.

use crate::analysis::{Analysis, Failure};
use crate::SCHEMA_VERSION;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// The parts read back.
#[derive(Debug, Default)]
pub struct Merged {
    pub documents: Vec<Analysis>,
    pub failures: Vec<Failure>,
    /// Files that were in more than one part (the last part's line counts).
    pub duplicates: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}:{line}: not a line of `byrde analyse --format jsonl`: {message}")]
    Line {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}:{line}: written with schema version {found}; this byrde reads version {SCHEMA_VERSION}")]
    Version {
        file: String,
        line: usize,
        found: u64,
    },
    #[error("{file}:{line}: has no items: to merge with --items, run analyse with --items")]
    NoItems { file: String, line: usize },
}

#[derive(Deserialize)]
struct Tag {
    schema_version: u64,
    #[serde(rename = "type")]
    kind: String,
}

/// Read JSONL parts. With `items`, every document line must carry its items.
pub fn read_parts(parts: &[PathBuf], items: bool) -> Result<Merged, MergeError> {
    let mut documents: BTreeMap<PathBuf, Analysis> = BTreeMap::new();
    let mut failures: BTreeMap<PathBuf, Failure> = BTreeMap::new();
    let mut duplicates = Vec::new();
    for part in parts {
        let name = part.display().to_string();
        let io = |source| MergeError::Io {
            file: name.clone(),
            source,
        };
        let reader = std::io::BufReader::new(std::fs::File::open(part).map_err(io)?);
        for (n, line) in reader.lines().enumerate() {
            let line = line.map_err(io)?;
            if line.trim().is_empty() {
                continue;
            }
            let at = n + 1;
            let bad = |e: serde_json::Error| MergeError::Line {
                file: name.clone(),
                line: at,
                message: e.to_string(),
            };
            let value: serde_json::Value = serde_json::from_str(&line).map_err(bad)?;
            let tag = Tag::deserialize(&value).map_err(bad)?;
            if tag.schema_version != u64::from(SCHEMA_VERSION) {
                return Err(MergeError::Version {
                    file: name.clone(),
                    line: at,
                    found: tag.schema_version,
                });
            }
            match tag.kind.as_str() {
                "document" => {
                    if items && value.get("items").is_none() {
                        return Err(MergeError::NoItems {
                            file: name.clone(),
                            line: at,
                        });
                    }
                    let d = Analysis::deserialize(&value).map_err(bad)?;
                    failures.remove(&d.file);
                    if documents.insert(d.file.clone(), d).is_some() {
                        duplicates.push(documents_key(&value));
                    }
                }
                "failure" => {
                    let f = Failure::deserialize(&value).map_err(bad)?;
                    if documents.contains_key(&f.file) {
                        // Read in one part, failed in another: the document counts.
                        duplicates.push(f.file.clone());
                        continue;
                    }
                    if failures.insert(f.file.clone(), f).is_some() {
                        duplicates.push(documents_key(&value));
                    }
                }
                other => {
                    return Err(MergeError::Line {
                        file: name.clone(),
                        line: at,
                        message: format!("unknown type {other:?}"),
                    })
                }
            }
        }
    }
    Ok(Merged {
        documents: documents.into_values().collect(),
        failures: failures.into_values().collect(),
        duplicates,
    })
}

fn documents_key(value: &serde_json::Value) -> PathBuf {
    Path::new(value["file"].as_str().unwrap_or("")).to_path_buf()
}
