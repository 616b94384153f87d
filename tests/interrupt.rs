//! Ctrl-C (SIGINT) in the middle of a run: byrde exits 130, leaves no temporary file and no
//! half-written output (an existing output file stays as it was), and stops its PDF workers.
//! The test hooks `BYRDE_TEST_WORKER_HANG` (src/isolate.rs) and
//! `BYRDE_TEST_PAUSE_BEFORE_RENAME` (src/output.rs) hold byrde at the moment to interrupt.
#![cfg(unix)]

mod common;

use common::{root, LETTER, LETTER_PDF};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn start(out: &Path, env: &[(&str, &str)], extra: &[&str]) -> Child {
    start_as("json", out, env, extra)
}

fn start_as(format: &str, out: &Path, env: &[(&str, &str)], extra: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin!("byrde"))
        .current_dir(root())
        .envs(env.iter().copied())
        .args(["analyse", "--format", format, "-o"])
        .arg(out)
        .args(extra)
        .args([LETTER_PDF, LETTER])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("byrde starts")
}

/// Wait up to `secs` for `cond`, checking every 50 ms.
fn wait_for(secs: u64, mut cond: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn interrupt(child: &Child) {
    // SAFETY: kill(2) on the pid of a child we started and have not reaped.
    let r = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(r, 0, "SIGINT sent");
}

/// Exit code and stderr, failing the test if byrde does not stop within 30 s.
fn finish(mut child: Child) -> (Option<i32>, String) {
    use std::io::Read;
    if !wait_for(30, || matches!(child.try_wait(), Ok(Some(_)))) {
        let _ = child.kill();
        panic!("byrde did not stop after SIGINT");
    }
    let status = child.wait().expect("status");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    (status.code(), stderr)
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().contains(".byrde-"))
        .collect()
}

/// Processes whose parent is `pid` (Linux: /proc/PID/task/*/children).
fn children(pid: u32) -> Option<Vec<u32>> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    let mut out = Vec::new();
    for t in tasks.flatten() {
        let text = std::fs::read_to_string(t.path().join("children")).ok()?;
        out.extend(
            text.split_whitespace()
                .filter_map(|p| p.parse::<u32>().ok()),
        );
    }
    Some(out)
}

/// Gone, or a zombie waiting for init to reap it.
fn is_gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
    }
}

#[test]
fn interrupt_while_a_worker_runs_stops_it_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.json");
    let child = start(
        &out,
        &[("BYRDE_TEST_WORKER_HANG", "tildelingsbrev-2026.pdf")],
        &["--timeout", "120"],
    );
    let pid = child.id();
    // Wait until the worker for the PDF runs.
    let mut workers = Vec::new();
    let seen = wait_for(30, || {
        workers = children(pid).unwrap_or_default();
        !workers.is_empty()
    });
    if !seen {
        // No /proc children list on this kernel: give the worker time to start instead.
        std::thread::sleep(Duration::from_secs(2));
    }
    interrupt(&child);
    let (code, stderr) = finish(child);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(
        stderr.contains("byrde: interrupted: stopped, no output written"),
        "{stderr}"
    );
    assert!(!out.exists(), "no output file");
    assert_eq!(temp_files(dir.path()), Vec::<PathBuf>::new());
    for w in workers {
        assert!(
            wait_for(10, || is_gone(w)),
            "worker {w} still runs after the interrupt"
        );
    }
}

#[test]
fn interrupt_while_writing_leaves_the_old_output_and_no_temporary_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.json");
    std::fs::write(&out, "old\n").expect("write");
    let child = start(&out, &[("BYRDE_TEST_PAUSE_BEFORE_RENAME", "60")], &[]);
    interrupt_with_the_temporary_file_there(dir.path(), &out, child);
}

#[test]
fn interrupt_while_streaming_jsonl_leaves_the_old_output_and_no_temporary_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.jsonl");
    std::fs::write(&out, "old\n").expect("write");
    // The stream's temporary file is open from the start; the PDF's worker then hangs.
    let child = start_as(
        "jsonl",
        &out,
        &[("BYRDE_TEST_WORKER_HANG", "tildelingsbrev-2026.pdf")],
        &["--timeout", "120"],
    );
    interrupt_with_the_temporary_file_there(dir.path(), &out, child);
}

/// Once byrde's temporary output file is in `dir`, interrupt it: exit 130, `out` still holds
/// "old", and no temporary file is left.
fn interrupt_with_the_temporary_file_there(dir: &Path, out: &Path, child: Child) {
    assert!(
        wait_for(60, || !temp_files(dir).is_empty()),
        "the temporary output file never appeared"
    );
    interrupt(&child);
    let (code, stderr) = finish(child);
    assert_eq!(code, Some(130), "{stderr}");
    assert_eq!(std::fs::read_to_string(out).expect("read"), "old\n");
    assert_eq!(temp_files(dir), Vec::<PathBuf>::new());
}

/// Threads of a running process (Linux: `Threads:` in /proc/PID/status).
fn threads(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// `--jobs N` bounds the threads a PDF worker reads pages on: the worker (held by the hang
/// hook once its thread pool is up) has its main thread and N pool threads.
#[test]
fn jobs_bound_the_threads_of_a_pdf_worker() {
    for jobs in [1, 2] {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out.json");
        let jobs_arg = jobs.to_string();
        let child = start(
            &out,
            &[("BYRDE_TEST_WORKER_HANG", "tildelingsbrev-2026.pdf")],
            &["--timeout", "120", "--jobs", &jobs_arg],
        );
        let pid = child.id();
        let mut worker = None;
        // The pool is built before the hook holds the worker: the count then stays.
        let mut last = (0, 0);
        let settled = wait_for(30, || {
            worker = worker.or_else(|| children(pid).and_then(|c| c.first().copied()));
            let Some(n) = worker.and_then(threads) else {
                return false;
            };
            last = if n == last.0 { (n, last.1 + 1) } else { (n, 1) };
            last.1 >= 10
        });
        interrupt(&child);
        let (code, stderr) = finish(child);
        if worker.is_none() {
            // No /proc children list on this kernel: nothing to count.
            return;
        }
        assert!(settled, "the worker's threads never settled ({last:?})");
        assert_eq!(
            last.0,
            1 + jobs,
            "--jobs {jobs}: main thread and {jobs} pool threads"
        );
        assert_eq!(code, Some(130), "{stderr}");
    }
}
