//! Many files: find them, run the pipeline on each in parallel, keep input order.
//!
//! A file that cannot be read becomes a `Failure` naming the file; the batch goes on.

use crate::analysis::{analyse_path, Analysis, Failure};
use crate::rules::RuleSet;
use std::collections::BTreeMap;
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
    let mut out = Vec::with_capacity(files.len());
    analyse_each_with(files, jobs, analyse, |r| {
        out.push(r);
        true
    });
    out
}

/// Analyse every file, `jobs` at a time (0 = one per core), and hand each result to `emit`
/// in input order (see [`analyse_each_with`]).
pub fn analyse_each(
    files: &[PathBuf],
    rules: &RuleSet,
    jobs: usize,
    emit: impl FnMut(Result<Analysis, Failure>) -> bool,
) {
    analyse_each_with(files, jobs, |f| analyse_path(f, rules), emit)
}

/// Run `analyse` on every file, `jobs` at a time (0 = one per core), and hand each result
/// to `emit` as soon as it and every file before it are done: input order, without holding
/// the whole batch. At most a few results per thread wait for an earlier, slower file, so
/// memory does not grow with the number of files. `emit` returns false to stop (a closed
/// pipe): no new file is started, and those under way are finished and dropped.
pub fn analyse_each_with(
    files: &[PathBuf],
    jobs: usize,
    analyse: impl Fn(&Path) -> Result<Analysis, Failure> + Sync,
    mut emit: impl FnMut(Result<Analysis, Failure>) -> bool,
) {
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool,
        Err(_) => {
            // No threads to be had: one file after the other on this thread.
            for f in files {
                if !emit(analyse(f)) {
                    return;
                }
            }
            return;
        }
    };
    // Files started but not yet handed to `emit`.
    let window = 8 * pool.current_num_threads().max(1);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<Analysis, Failure>)>();
    let analyse = &analyse;
    pool.in_place_scope(|scope| {
        let mut started = 0;
        let mut emitted = 0;
        let mut waiting: BTreeMap<usize, Result<Analysis, Failure>> = BTreeMap::new();
        let mut go_on = true;
        while go_on && emitted < files.len() {
            while started < files.len() && started < emitted + window {
                let (tx, file, i) = (tx.clone(), &files[started], started);
                scope.spawn(move |_| {
                    // The receiver outlives the scope; a send cannot fail before it ends.
                    let _ = tx.send((i, analyse(file)));
                });
                started += 1;
            }
            let Ok((i, result)) = rx.recv() else { break };
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&emitted) {
                emitted += 1;
                if !emit(result) {
                    go_on = false;
                    break;
                }
            }
        }
    });
}
