//! Many files: find them, run the pipeline on each in parallel, keep input order.
//!
//! A file that cannot be read becomes a `Failure` naming the file; the batch goes on.

use crate::analysis::{analyse_path, Analysis, Failure};
use crate::rules::RuleSet;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// File endings picked up when walking a folder (files named on the command line are
/// always read: the format is sniffed from the bytes).
const DOCUMENT_ENDINGS: &[&str] = &["pdf", "txt", "text", "md", "markdown"];

/// The documents to analyse, and what was passed over.
#[derive(Debug, Default)]
pub struct Collected {
    pub files: Vec<PathBuf>,
    pub failures: Vec<Failure>,
    /// Text twins of a PDF in the same folder (same name, other ending), not read twice.
    pub twins: Vec<(PathBuf, PathBuf)>,
}

/// Expand files and folders (recursively, sorted) into the documents to analyse.
/// Paths that do not exist come back as failures. In a folder, a letter kept both as PDF
/// and as text (`2025-tildelingsbrev.pdf` and `.md`) is read once, from the PDF; files
/// named on the command line are always read.
pub fn collect_paths(inputs: &[PathBuf]) -> Collected {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    let mut twins = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found, &mut failures);
            for f in &found {
                let pdf = f.with_extension("pdf");
                let is_text = f.extension().is_some_and(|e| e != "pdf");
                if is_text && found.contains(&pdf) {
                    twins.push((f.clone(), pdf));
                } else {
                    files.push(f.clone());
                }
            }
        } else if input.exists() {
            files.push(input.clone());
        } else {
            failures.push(Failure {
                file: input.clone(),
                error: "no such file or directory".into(),
            });
        }
    }
    Collected {
        files,
        failures,
        twins,
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, failures: &mut Vec<Failure>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            failures.push(Failure {
                file: dir.to_path_buf(),
                error: format!("cannot read folder: {e}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            walk(&p, files, failures);
        } else if p.extension().is_some_and(|e| {
            DOCUMENT_ENDINGS.contains(&e.to_string_lossy().to_lowercase().as_str())
        }) {
            files.push(p);
        }
    }
}

/// Analyse every file, `jobs` at a time (0 = one per core). Results keep input order.
pub fn analyse_all(
    files: &[PathBuf],
    rules: &RuleSet,
    jobs: usize,
) -> Vec<Result<Analysis, Failure>> {
    analyse_all_with(files, jobs, |f| analyse_path(f, rules))
}

/// Run `analyse` on every file, `jobs` at a time (0 = one per core), keeping input order.
pub fn analyse_all_with(
    files: &[PathBuf],
    jobs: usize,
    analyse: impl Fn(&Path) -> Result<Analysis, Failure> + Sync,
) -> Vec<Result<Analysis, Failure>> {
    let run = || files.par_iter().map(|f| analyse(f)).collect();
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}
