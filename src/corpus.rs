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
/// the whole batch. At most 32 results per thread wait for an earlier, slower file, so
/// memory does not grow with the number of files. Among the files within that reach, the
/// largest is started first, so that a long report does not start last and leave the other
/// threads idle at the end. `emit` returns false to stop (a closed pipe): no new file is
/// started, and those under way are finished and dropped.
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
    let threads = pool.current_num_threads().max(1);
    // Files taken up (started or ready to start) but not yet handed to `emit`: the reach
    // within which the largest starts first, and the most results that wait. 32 a thread
    // lets a long report a few dozen files on start early (the real PDFs with `--jobs 2`:
    // 0.46 → 0.41 s against 8 a thread) and holds at most 64 summaries on two cores.
    let window = 32 * threads;
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<Analysis, Failure>)>();
    let analyse = &analyse;
    pool.in_place_scope(|scope| {
        let mut ready = LargestFirst::default();
        let (mut taken, mut started, mut finished, mut emitted) = (0, 0, 0, 0);
        let mut waiting: BTreeMap<usize, Result<Analysis, Failure>> = BTreeMap::new();
        let mut go_on = true;
        while go_on && emitted < files.len() {
            while taken < files.len() && taken < emitted + window {
                ready.push(taken, &files[taken]);
                taken += 1;
            }
            while started - finished < threads {
                let Some(i) = ready.pop() else { break };
                let (tx, file) = (tx.clone(), &files[i]);
                scope.spawn(move |_| {
                    // A panic would leave the loop below waiting for this file for ever:
                    // it is this file's failure instead.
                    let result =
                        crate::ingest::catch_quietly(|| analyse(file)).unwrap_or_else(|panic| {
                            Err(Failure {
                                file: file.clone(),
                                error: format!("internal error, please report: {panic}"),
                            })
                        });
                    // The receiver outlives the scope; a send cannot fail before it ends.
                    let _ = tx.send((i, result));
                });
                started += 1;
            }
            let Ok((i, result)) = rx.recv() else { break };
            finished += 1;
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

/// Files waiting to start, the largest first (ties in input order). Size stands in for
/// the work a file needs; a file whose size cannot be read counts as empty (it fails fast).
#[derive(Default)]
struct LargestFirst(std::collections::BinaryHeap<(u64, std::cmp::Reverse<usize>)>);

impl LargestFirst {
    fn push(&mut self, index: usize, file: &Path) {
        let size = std::fs::metadata(file).map_or(0, |m| m.len());
        self.0.push((size, std::cmp::Reverse(index)));
    }

    fn pop(&mut self) -> Option<usize> {
        self.0.pop().map(|(_, std::cmp::Reverse(i))| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// With one thread, the largest file within reach starts first, and the results still
    /// come out in input order.
    #[test]
    fn largest_file_within_reach_starts_first_results_in_input_order() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let sizes = [10, 500, 20, 300, 300, 1];
        let files: Vec<PathBuf> = sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let f = dir.path().join(format!("{i}.txt"));
                std::fs::write(&f, "x".repeat(n)).expect("write");
                f
            })
            .collect();
        let started = Mutex::new(Vec::new());
        let mut emitted = Vec::new();
        analyse_each_with(
            &files,
            1,
            |f| {
                started.lock().unwrap().push(f.to_path_buf());
                Err(Failure {
                    file: f.to_path_buf(),
                    error: String::new(),
                })
            },
            |r| {
                emitted.push(r.err().map(|f| f.file));
                true
            },
        );
        let name = |f: &PathBuf| f.file_name().unwrap().to_string_lossy().into_owned();
        let started: Vec<String> = started.into_inner().unwrap().iter().map(name).collect();
        assert_eq!(
            started,
            ["1.txt", "3.txt", "4.txt", "2.txt", "0.txt", "5.txt"]
        );
        let emitted: Vec<String> = emitted.iter().flatten().map(name).collect();
        assert_eq!(
            emitted,
            ["0.txt", "1.txt", "2.txt", "3.txt", "4.txt", "5.txt"]
        );
    }

    /// A panic while analysing one file is that file's failure; the batch goes on.
    #[test]
    fn a_panic_is_the_files_failure() {
        let files: Vec<PathBuf> = ["a.txt", "b.txt", "c.txt"].map(PathBuf::from).to_vec();
        for jobs in [1, 2] {
            let results = analyse_all_with(&files, jobs, |f| {
                if f == Path::new("b.txt") {
                    panic!("broken stage");
                }
                Err(Failure {
                    file: f.to_path_buf(),
                    error: "fine".into(),
                })
            });
            let errors: Vec<String> = results.into_iter().map(|r| r.unwrap_err().error).collect();
            assert_eq!(
                errors,
                [
                    "fine",
                    "internal error, please report: broken stage",
                    "fine"
                ]
            );
        }
    }
}
