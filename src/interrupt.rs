//! Ctrl-C (SIGINT), SIGTERM and SIGHUP: stop at once and leave nothing half-done behind.
//!
//! Output files are written to a temporary name and renamed (`crate::output`), so a reader
//! never sees half a file; but a temporary file of a killed process would stay on disk. The
//! handler installed by [`install`] therefore removes every temporary output file still
//! registered, kills the PDF workers still running, says so on stderr and exits with 130
//! (128 + SIGINT, the shell convention). A rename that has already begun is allowed to
//! finish first (both hold the same lock), so the output is either the old file, or no file,
//! or the whole new file.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Exit code after an interrupt.
pub const INTERRUPTED: i32 = 130;

#[derive(Default)]
struct Live {
    temp_files: Vec<PathBuf>,
    children: Vec<u32>,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    temp_files: Vec::new(),
    children: Vec::new(),
});

fn live() -> MutexGuard<'static, Live> {
    // A panic while holding the lock leaves the lists intact; keep using them.
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Install the handler (once, at the start of `main`).
pub fn install() -> Result<(), ctrlc::Error> {
    ctrlc::set_handler(on_interrupt)
}

fn on_interrupt() {
    // Hold the lock to the end: no temporary file can be created or renamed after this.
    let live = live();
    for &pid in &live.children {
        kill(pid);
    }
    for f in &live.temp_files {
        let _ = std::fs::remove_file(f);
    }
    eprintln!("byrde: interrupted: stopped, no output written");
    std::process::exit(INTERRUPTED);
}

#[cfg(unix)]
fn kill(pid: u32) {
    // SAFETY: kill(2) takes plain integers. The pid is one we spawned; it is forgotten right
    // after it is reaped, so reuse by another process would need the pid space to wrap
    // within that window.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGKILL);
    }
}

#[cfg(not(unix))]
fn kill(_pid: u32) {}

/// Run `f` (which creates a temporary file at the path it returns) so that an interrupt
/// either comes before it or finds the file registered for removal.
pub fn create_temp<T>(f: impl FnOnce() -> std::io::Result<(T, PathBuf)>) -> std::io::Result<T> {
    let mut live = live();
    let (value, path) = f()?;
    live.temp_files.push(path);
    Ok(value)
}

/// Run `f` (which renames or removes the temporary file `path`) without an interrupt in the
/// middle, then forget the file.
pub fn finish_temp<T>(path: &Path, f: impl FnOnce() -> T) -> T {
    let mut live = live();
    let out = f();
    live.temp_files.retain(|p| p != path);
    out
}

/// A worker process to kill on interrupt; forget it with [`forget_child`] once reaped.
pub fn register_child(pid: u32) {
    live().children.push(pid);
}

pub fn forget_child(pid: u32) {
    live().children.retain(|&p| p != pid);
}
