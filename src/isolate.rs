//! Each PDF is read in a child process, so that no PDF can crash, hang or exhaust the batch.
//!
//! Why a process and not a thread: pdf-extract and lopdf are known to panic on odd fonts,
//! to loop on some files and to inflate decompression bombs. A panic can be caught in a
//! thread (ingest does, per page), but a thread that loops cannot be stopped from outside,
//! a stack overflow aborts the whole process, and an allocation failure aborts it too. A
//! child process can be killed, and the operating system caps its memory. So the `byrde`
//! binary re-executes itself with the hidden subcommand `__read-pdf` ([`worker_main`]),
//! which applies the limits to itself (`crate::limits`), reads one PDF and writes the pages
//! of positioned lines on stdout (in postcard, a compact binary serde format: JSON cost the
//! parent a quarter of its time on a long report, reading floats back). The parent
//! ([`read_isolated`]) kills it after the time budget and turns every way it can end into a
//! result or a clear error naming the reason: timed out, ran out of memory, crashed.
//!
//! Only ingest runs in the child, for two reasons: it is the only stage that runs
//! third-party code on untrusted bytes (layout, segment, classify are byrde's own and fuzzed:
//! see fuzz/), and it keeps the child's answer to one small, stable type (`RawDoc`). The
//! stages after ingest run in the parent on a thread of their own under `catch_unwind` and
//! the rest of the time budget, so a bug there, a panic or a slow path, also becomes an
//! error for that file only (the overrunning thread cannot be killed; it is abandoned and
//! ends with the process). Text files never reach the child: their decoding is byrde's own
//! code and a worker would only add a copy of a large file.
//!
//! The budget (`--timeout`) is per document: the worker gets all of it, the analysis what
//! the worker left.
//!
//! Cost: one process start per PDF (a few milliseconds, against tens to hundreds of
//! milliseconds of extraction).

use crate::analysis::{analyse_raw, Analysis, Failure};
use crate::ingest::{self, IngestError, RawDoc};
use crate::limits::Limits;
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wait_timeout::ChildExt;

/// The hidden subcommand the worker runs under.
pub const WORKER_COMMAND: &str = "__read-pdf";

/// Test hook honoured only by the worker: `BYRDE_TEST_WORKER_HANG=TEXT` makes the worker
/// loop forever (burning CPU, as a looping parser would) on every file whose path contains
/// TEXT. tests/bad_input.rs uses it to prove that `--timeout` stops a hang.
pub const HANG_HOOK: &str = "BYRDE_TEST_WORKER_HANG";

/// Test hook honoured only by the worker: `BYRDE_TEST_WORKER_CRASH=TEXT` makes the worker
/// abort (as a stack overflow or a failed allocation does) on every file whose path
/// contains TEXT.
pub const CRASH_HOOK: &str = "BYRDE_TEST_WORKER_CRASH";

/// Why the worker gave no document.
#[derive(Debug, thiserror::Error)]
pub enum IsolateError {
    /// The document itself is bad (what in-process reading would have said).
    #[error("{0}")]
    Ingest(String),
    #[error("timed out after {} s (--timeout): reading the PDF was stopped", .0.as_secs_f64())]
    TimedOut(Duration),
    #[error("ran out of memory: reading the PDF needed more than {0} MiB (--max-memory); a decompression bomb?")]
    OutOfMemory(u64),
    #[error("too large: {mb:.1} MB of text would need about {need} MiB to analyse, more than {limit} MiB (--max-memory); split the file or raise the limit")]
    TextTooLarge { mb: f64, need: u64, limit: u64 },
    #[error("the PDF reader crashed ({0})")]
    Crashed(String),
    #[error("cannot start the PDF worker {}: {source}", .program.display())]
    Spawn {
        program: PathBuf,
        source: std::io::Error,
    },
}

/// How to run the worker: which program (the `byrde` binary itself) and with what limits.
#[derive(Debug, Clone)]
pub struct Isolation {
    pub program: PathBuf,
    pub limits: Limits,
    /// Threads a worker may read a long PDF's pages on (0 = one per core). A batch sets
    /// it to its `--jobs`, so that `--jobs 1` keeps to one core however long its documents.
    pub threads: usize,
    /// Keep every document's blocks (the HTML letter page shows them): a large text file
    /// is then read whole, within the memory guard, not in parts (`crate::stream`).
    pub keep_blocks: bool,
}

impl Isolation {
    /// Run the worker from the current executable (the `byrde` binary).
    pub fn current_exe(limits: Limits) -> std::io::Result<Isolation> {
        Ok(Isolation {
            program: std::env::current_exe()?,
            limits,
            threads: 0,
            keep_blocks: false,
        })
    }

    /// The same, keeping every document's blocks (see [`Isolation::keep_blocks`]).
    pub fn keeping_blocks(self) -> Isolation {
        Isolation {
            keep_blocks: true,
            ..self
        }
    }

    /// The same with workers on at most `threads` threads (0 = one per core).
    fn with_threads(&self, threads: usize) -> Isolation {
        Isolation {
            threads,
            ..self.clone()
        }
    }
}

/// What the worker writes on stdout: the pages, or the reason there are none.
#[derive(Debug, Serialize, Deserialize)]
enum WorkerResult {
    #[serde(rename = "ok")]
    Ok(RawDoc),
    #[serde(rename = "error")]
    Error(String),
    /// An allocation that failed with an error rather than an abort (the file read into
    /// memory): decided from the error's kind, never from its text, which may quote the
    /// PDF.
    #[serde(rename = "out-of-memory")]
    OutOfMemory,
}

/// The worker: `byrde __read-pdf --timeout SECS --max-memory MIB --threads N FILE`.
/// Writes one `WorkerResult` (postcard) on stdout and exits 0; anything else (a signal, an
/// abort) is read by the parent as a crash.
pub fn worker_main(path: &Path, limits: &Limits, threads: usize) -> std::io::Result<()> {
    crate::limits::few_malloc_arenas();
    if threads > 0 {
        // Only fails if the pool was built already, and then it is the default one.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    crate::limits::apply_to_self(limits, rayon::current_num_threads());
    let hook = |name: &str| {
        std::env::var(name)
            .is_ok_and(|pattern| !pattern.is_empty() && path.to_string_lossy().contains(&pattern))
    };
    if hook(HANG_HOOK) {
        hang();
    }
    if hook(CRASH_HOOK) {
        std::process::abort();
    }
    let result = match ingest::read_path(path) {
        Ok(doc) => WorkerResult::Ok(doc),
        Err(IngestError::Io(e)) if is_out_of_memory(&e) => WorkerResult::OutOfMemory,
        Err(e) => WorkerResult::Error(e.to_string()),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    postcard::to_io(&result, &mut out).map_err(std::io::Error::other)?;
    out.flush()
}

/// A busy loop that the optimiser cannot remove: what a parser stuck in a cycle looks like.
fn hang() -> ! {
    let mut n: u64 = 0;
    loop {
        n = std::hint::black_box(n.wrapping_add(1));
    }
}

/// Read one file: PDFs in the worker, everything else in this process.
pub fn read_isolated(path: &Path, isolation: &Isolation) -> Result<RawDoc, IsolateError> {
    match ingest::sniff_pdf(path) {
        Ok(true) => {}
        // Not a PDF, or unreadable: in-process reading gives the document or the error.
        _ => {
            check_text_size(path, &isolation.limits)?;
            return ingest::read_path(path).map_err(|e| IsolateError::Ingest(e.to_string()));
        }
    }
    let limits = &isolation.limits;
    let mut child = Command::new(&isolation.program)
        .arg(WORKER_COMMAND)
        .arg("--timeout")
        .arg(limits.timeout.as_secs_f64().ceil().to_string())
        .arg("--max-memory")
        .arg(limits.max_memory_mib.to_string())
        .arg("--threads")
        .arg(isolation.threads.to_string())
        .arg("--")
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| IsolateError::Spawn {
            program: isolation.program.clone(),
            source,
        })?;
    let pid = child.id();
    crate::interrupt::register_child(pid);
    // Drain both pipes while waiting, or a large answer would block the worker.
    let stdout = child.stdout.take().map(|s| drain(s, usize::MAX));
    let stderr = child.stderr.take().map(|s| drain(s, 64 * 1024));
    let waited = child.wait_timeout(limits.timeout);
    let status = match waited {
        Ok(Some(status)) => Some(status),
        Ok(None) | Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    };
    crate::interrupt::forget_child(pid);
    let stdout = stdout.map(join).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr.map(join).unwrap_or_default()).into_owned();
    let Some(status) = status else {
        return Err(IsolateError::TimedOut(limits.timeout));
    };
    if status.success() {
        return match read_answer(&stdout) {
            Ok(WorkerResult::Ok(mut doc)) => {
                doc.path = path.to_path_buf();
                Ok(doc)
            }
            Ok(WorkerResult::OutOfMemory) => Err(out_of_memory_error(limits, "")),
            Ok(WorkerResult::Error(e)) => Err(IsolateError::Ingest(e)),
            Err(e) => Err(IsolateError::Crashed(format!("unreadable answer: {e}"))),
        };
    }
    Err(explain_exit(status, &stderr, limits))
}

/// The worker's answer: all of `bytes`, and nothing after it (a longer answer is not the
/// worker's).
fn read_answer(bytes: &[u8]) -> Result<WorkerResult, postcard::Error> {
    match postcard::take_from_bytes::<WorkerResult>(bytes)? {
        (answer, []) => Ok(answer),
        _ => Err(postcard::Error::DeserializeBadEncoding),
    }
}

/// Whether an I/O error is an allocation that failed (`std::fs::read` reports one as
/// `ErrorKind::OutOfMemory`, the system as `ENOMEM`).
fn is_out_of_memory(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::OutOfMemory || e.raw_os_error() == Some(libc::ENOMEM)
}

/// Whether the last words of a worker that aborted say that memory ran out. Under the
/// address-space cap that shows in more ways than a failed allocation: a new thread gets
/// no signal stack, a panic cannot allocate its payload. Which one a document meets
/// depends on how close to the cap it is and on the threads and malloc arenas the worker
/// has, not on the document. (An abort's last words are the Rust runtime's, not the
/// PDF's: the worker's panics are caught and become its answer.)
fn aborted_for_memory(stderr: &str) -> bool {
    [
        "memory allocation of",
        "out of memory",
        "failed to allocate an alternate signal stack",
        "failed to initiate panic",
    ]
    .iter()
    .any(|sign| stderr.contains(sign))
}

/// The error for a worker that ran out of memory: the cap when there is one, else a crash
/// (the machine's memory, not a limit the user set, ran out).
fn out_of_memory_error(limits: &Limits, stderr: &str) -> IsolateError {
    if limits.max_memory_mib > 0 {
        return IsolateError::OutOfMemory(limits.max_memory_mib);
    }
    let last = stderr.lines().rev().map(str::trim).find(|l| !l.is_empty());
    IsolateError::Crashed(format!(
        "out of memory{}",
        last.map(|l| format!(": {l}")).unwrap_or_default()
    ))
}

/// Turn a worker's abnormal end into the reason a user can act on.
fn explain_exit(status: std::process::ExitStatus, stderr: &str, limits: &Limits) -> IsolateError {
    if aborted_for_memory(stderr) {
        return out_of_memory_error(limits, stderr);
    }
    if stderr.contains("has overflowed its stack") {
        return IsolateError::Crashed("stack overflow: the PDF nests objects too deeply".into());
    }
    let last = stderr
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| format!(": {l}"))
        .unwrap_or_default();
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            if sig == libc::SIGXCPU {
                return IsolateError::TimedOut(limits.timeout);
            }
            return IsolateError::Crashed(format!("killed by signal {sig}{last}"));
        }
    }
    match status.code() {
        Some(code) => IsolateError::Crashed(format!("exit code {code}{last}")),
        None => IsolateError::Crashed(format!("{status}{last}")),
    }
}

fn drain(
    mut r: impl Read + Send + 'static,
    keep: usize,
) -> std::thread::JoinHandle<std::io::Result<Vec<u8>>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if keep == usize::MAX {
            r.read_to_end(&mut buf)?;
        } else {
            // Keep the last `keep` bytes: the reason for a crash is at the end.
            let mut chunk = [0u8; 8192];
            loop {
                let n = r.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                if buf.len() > 2 * keep {
                    buf.drain(..buf.len() - keep);
                }
            }
        }
        Ok(buf)
    })
}

/// Peak memory per byte of a text file that analysing it needs: about 7 measured on a
/// 100 MB file (README, "Limits and failure behaviour"), with room to spare.
pub const TEXT_MEMORY_PER_BYTE: u64 = 10;

/// Text is analysed in this process, where a memory cap would stop the whole batch: refuse,
/// before reading it, a file whose analysis would need more than `--max-memory`. This
/// applies to text read whole; a large one analysed in parts (`crate::stream`) needs about
/// the same memory at any size, and is not refused.
fn check_text_size(path: &Path, limits: &Limits) -> Result<(), IsolateError> {
    let Ok(len) = std::fs::metadata(path).map(|m| m.len()) else {
        return Ok(()); // reading it gives the error
    };
    let need = len.saturating_mul(TEXT_MEMORY_PER_BYTE) >> 20;
    if limits.max_memory_mib > 0 && need > limits.max_memory_mib {
        return Err(IsolateError::TextTooLarge {
            mb: len as f64 / 1e6,
            need,
            limit: limits.max_memory_mib,
        });
    }
    Ok(())
}

fn join(h: std::thread::JoinHandle<std::io::Result<Vec<u8>>>) -> Vec<u8> {
    match h.join() {
        Ok(Ok(v)) => v,
        _ => Vec::new(),
    }
}

/// Read and analyse one file with the PDF stage isolated; a panic in the later stages
/// becomes a failure for this file too, and so does running past the time budget.
pub fn analyse_isolated(
    path: &Path,
    rules: &Arc<RuleSet>,
    isolation: &Isolation,
) -> Result<Analysis, Failure> {
    let fail = |error: String| Failure {
        file: path.to_path_buf(),
        error,
    };
    let started = Instant::now();
    let timeout = isolation.limits.timeout;
    let stopped = |e: Stopped| match e {
        Stopped::Failed(error) => fail(error),
        Stopped::Panicked(panic) => fail(format!("internal error, please report: {panic}")),
        Stopped::TimedOut => fail(format!(
            "timed out after {} s (--timeout): analysing the text was stopped",
            timeout.as_secs_f64()
        )),
    };
    if !isolation.keep_blocks && streams(path) {
        // A part held whole for want of a heading is under the guard of a text read whole,
        // but never smaller than a few parts.
        let max_part_text = match isolation.limits.max_memory_mib {
            0 => usize::MAX,
            mib => usize::try_from(mib.saturating_mul(1 << 20) / TEXT_MEMORY_PER_BYTE)
                .unwrap_or(usize::MAX)
                .max(4 * crate::stream::PART_BYTES),
        };
        let owned = path.to_path_buf();
        let job = move |rules: &RuleSet| {
            crate::stream::analyse_text(&owned, rules, crate::stream::PART_BYTES, max_part_text)
                .map_err(|e| e.to_string())
        };
        match analyse_with_deadline(path, rules, timeout, job) {
            Ok(Some(analysis)) => return Ok(analysis),
            // A PDF after all (the file changed): read it as one below.
            Ok(None) => {}
            Err(e) => return Err(stopped(e)),
        }
    }
    let raw = read_isolated(path, isolation).map_err(|e| fail(e.to_string()))?;
    let left = timeout.saturating_sub(started.elapsed());
    let job = move |rules: &RuleSet| Ok(analyse_raw(raw, rules));
    analyse_with_deadline(path, rules, left, job).map_err(stopped)
}

/// Test hook: `BYRDE_TEST_STREAM_FROM=BYTES` analyses text files larger than BYTES in parts
/// (instead of `crate::stream::STREAM_FROM_BYTES`), so that tests/bad_input.rs can run the
/// streamed path on a small file.
pub const STREAM_FROM_HOOK: &str = "BYRDE_TEST_STREAM_FROM";

/// Whether a file is text large enough to be analysed in parts (`crate::stream`).
fn streams(path: &Path) -> bool {
    let from = std::env::var(STREAM_FROM_HOOK)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(crate::stream::STREAM_FROM_BYTES);
    matches!(ingest::sniff_pdf(path), Ok(false))
        && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > from)
}

enum Stopped {
    /// The document could not be read (the error names the fault).
    Failed(String),
    Panicked(String),
    TimedOut,
}

/// Test hook: `BYRDE_TEST_ANALYSIS_HANG=TEXT` makes the stages after ingest loop on every
/// file whose path contains TEXT (tests/bad_input.rs).
pub const ANALYSIS_HANG_HOOK: &str = "BYRDE_TEST_ANALYSIS_HANG";

/// The stages after ingest, on a thread of their own so that the batch can go on when they
/// overrun. They are byrde's own code and cannot be killed: a thread past its deadline is
/// left to finish in the background (it ends with the process) and its result is dropped.
fn analyse_with_deadline<T: Send + 'static>(
    path: &Path,
    rules: &Arc<RuleSet>,
    left: Duration,
    job: impl FnOnce(&RuleSet) -> Result<T, String> + Send + 'static,
) -> Result<T, Stopped> {
    let rules = Arc::clone(rules);
    let hangs = std::env::var(ANALYSIS_HANG_HOOK)
        .is_ok_and(|pattern| !pattern.is_empty() && path.to_string_lossy().contains(&pattern));
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("byrde-analyse".into())
        .stack_size(16 << 20)
        .spawn(move || {
            if hangs {
                hang();
            }
            let _ = tx.send(ingest::catch_quietly(|| job(&rules)));
        });
    if let Err(e) = spawned {
        return Err(Stopped::Panicked(format!("cannot start a thread: {e}")));
    }
    match rx.recv_timeout(left) {
        Ok(Ok(Ok(analysis))) => Ok(analysis),
        Ok(Ok(Err(error))) => Err(Stopped::Failed(error)),
        Ok(Err(panic)) => Err(Stopped::Panicked(panic)),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(Stopped::TimedOut),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(Stopped::Panicked(
            "the analysis thread ended without a result".into(),
        )),
    }
}

/// Analyse every file, `jobs` at a time, each PDF in its own worker, each document within
/// the time budget. Results keep input order.
pub fn analyse_all(
    files: &[PathBuf],
    rules: &Arc<RuleSet>,
    jobs: usize,
    isolation: &Isolation,
) -> Vec<Result<Analysis, Failure>> {
    let isolation = &isolation.with_threads(jobs);
    crate::corpus::analyse_all_with(files, jobs, |f| analyse_isolated(f, rules, isolation))
}

/// [`analyse_all`], handing each result to `emit` in input order as soon as it is ready
/// (see [`crate::corpus::analyse_each_with`]); `emit` returns false to stop.
pub fn analyse_each(
    files: &[PathBuf],
    rules: &Arc<RuleSet>,
    jobs: usize,
    isolation: &Isolation,
    emit: impl FnMut(Result<Analysis, Failure>) -> bool,
) {
    let isolation = &isolation.with_threads(jobs);
    crate::corpus::analyse_each_with(files, jobs, |f| analyse_isolated(f, rules, isolation), emit)
}

/// For `IngestError` users that want the same wording as the worker.
impl From<IngestError> for IsolateError {
    fn from(e: IngestError) -> Self {
        IsolateError::Ingest(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Format, Line, Page};

    fn answer() -> WorkerResult {
        let line = Line {
            text: "Direktoratet skal rapportere i årsrapporten.".into(),
            x: 72.5,
            end: 410.25,
            y: 101.0,
            font_size: 11.0,
            source_line: 3,
            cells: vec![
                (72.5, "Direktoratet".into()),
                (300.0, "årsrapporten".into()),
            ],
            words: vec![(72.5, "Direktoratet".into())],
        };
        WorkerResult::Ok(RawDoc {
            path: PathBuf::new(),
            format: Format::Pdf,
            pages: vec![Page {
                number: 1,
                height: 842.0,
                lines: vec![line],
            }],
            warnings: vec!["page 2: no text".into()],
            incomplete: true,
        })
    }

    /// The worker's answer reads back as it was written, every field and float exact.
    #[test]
    fn worker_answer_round_trips() {
        let bytes = postcard::to_stdvec(&answer()).expect("encodes");
        let Ok(WorkerResult::Ok(doc)) = read_answer(&bytes) else {
            panic!("does not decode");
        };
        let WorkerResult::Ok(expected) = answer() else {
            unreachable!()
        };
        assert_eq!(doc.pages[0].lines, expected.pages[0].lines);
        assert_eq!((doc.pages[0].number, doc.pages[0].height), (1, 842.0));
        assert_eq!(doc.warnings, expected.warnings);
        assert!(doc.incomplete);
    }

    /// Every way the cap shows in an aborted worker's last words reads as running out of
    /// memory, and another crash does not; a read that failed for memory is told apart by
    /// the error's kind.
    #[test]
    fn running_out_of_memory_reads_as_the_cap() {
        for said in [
            "memory allocation of 1048576 bytes failed",
            "fatal runtime error: failed to allocate an alternate signal stack: Cannot allocate memory (os error 12), aborting",
            "fatal runtime error: failed to initiate panic, error 5, aborting",
        ] {
            assert!(aborted_for_memory(said), "{said}");
        }
        for said in [
            "thread 'main' has overflowed its stack",
            "fatal runtime error: Rust cannot catch foreign exceptions",
        ] {
            assert!(!aborted_for_memory(said), "{said}");
        }
        use std::io::{Error, ErrorKind};
        assert!(is_out_of_memory(&Error::from(ErrorKind::OutOfMemory)));
        assert!(is_out_of_memory(&Error::from_raw_os_error(libc::ENOMEM)));
        assert!(!is_out_of_memory(&Error::other(
            "unsupported encoding out of memory"
        )));
        assert!(!is_out_of_memory(&Error::from(ErrorKind::NotFound)));
        // With no cap, the error does not blame one.
        let capped = Limits::default();
        let uncapped = Limits {
            max_memory_mib: 0,
            ..Limits::default()
        };
        assert!(matches!(
            out_of_memory_error(&capped, ""),
            IsolateError::OutOfMemory(2048)
        ));
        assert!(matches!(
            out_of_memory_error(&uncapped, "memory allocation of 8 bytes failed"),
            IsolateError::Crashed(m) if m.contains("memory allocation of 8 bytes failed")
        ));
    }

    /// A cut-off answer (a worker killed while writing) or one with more after it is an
    /// error, never a panic.
    #[test]
    fn a_cut_off_or_longer_answer_is_an_error() {
        let bytes = postcard::to_stdvec(&answer()).expect("encodes");
        for cut in 0..bytes.len() {
            assert!(read_answer(&bytes[..cut]).is_err());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(read_answer(&longer).is_err());
        assert!(read_answer(&bytes).is_ok());
    }
}
