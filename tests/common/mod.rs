//! Shared by the integration tests: run the real `byrde` binary and read what it printed.
#![allow(dead_code)] // each test file uses a part of this module

pub mod html;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The fixture letter most tests analyse: a small tildelingsbrev written for the tests.
pub const LETTER: &str = "tests/fixtures/tildelingsbrev-2026.md";
/// The same letter rendered to PDF by `scripts/make-pdfs.sh`.
pub const LETTER_PDF: &str = "tests/fixtures/tildelingsbrev-2026.pdf";

/// What one run of the binary left behind.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run `byrde ARGS` in the crate root, so that the fixture paths in the output are the
/// relative paths given here. Fails the test if byrde panicked, was killed or hung.
pub fn byrde<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    byrde_env(&[], args)
}

/// `byrde` with extra environment variables (the test hooks).
pub fn byrde_env<I, S>(env: &[(&str, &str)], args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = assert_cmd::cargo::cargo_bin_cmd!("byrde")
        .current_dir(root())
        // clap wraps `--help` to $COLUMNS when it is set; fix it for stable snapshots.
        .env("COLUMNS", "100")
        .envs(env.iter().copied())
        .args(args)
        .timeout(Duration::from_secs(300))
        .output()
        .expect("byrde runs");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(!stderr.contains("panicked"), "byrde panicked:\n{stderr}");
    let Some(code) = out.status.code() else {
        panic!("byrde was killed (signal or timeout); stderr:\n{stderr}");
    };
    Run {
        code,
        stdout,
        stderr,
    }
}

/// The crate root, where `tests/fixtures` is.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Parse JSON output, showing it when it does not parse.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// Output with the fixture folder written as `[fixtures]`, for snapshots.
pub fn normalise(text: &str) -> String {
    text.replace(
        &root().join("tests/fixtures").display().to_string(),
        "[fixtures]",
    )
    .replace("tests/fixtures", "[fixtures]")
}

/// The `documents[].file` values of `--format json` output, in output order.
pub fn document_files(v: &serde_json::Value) -> Vec<String> {
    v["documents"]
        .as_array()
        .expect("documents is an array")
        .iter()
        .map(|d| d["file"].as_str().expect("file is a string").to_string())
        .collect()
}
