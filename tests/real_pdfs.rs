//! Real published PDFs (`shared/real-pdfs`, read in place, never copied into the project):
//! byrde must read every one, or fail on it with a clear message (a scanned one: "no text
//! layer"), and never panic. Runs when BYRDE_REAL_PDFS names the folder (`.ci/run` sets it
//! when the folder is there); without it the test is skipped.
//! `cargo test --test real_pdfs -- --nocapture` shows what byrde made of each file.

mod common;

use common::{byrde, json};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// How `IngestError` messages begin: a failure must be one of these, not a bare panic text.
const CLEAR_FAILURES: &[&str] = &[
    "cannot read file: ",
    "file is empty",
    "not a PDF or a text file",
    "broken PDF: ",
    "encrypted PDF: ",
    "PDF has no pages",
    "no text layer (",
];

#[test]
fn every_real_pdf_is_read_or_explained() {
    let Some(dir) = std::env::var_os("BYRDE_REAL_PDFS") else {
        println!("skipped: BYRDE_REAL_PDFS is not set");
        return;
    };
    let dir = PathBuf::from(dir);
    assert!(
        dir.is_dir(),
        "BYRDE_REAL_PDFS={} is not a folder",
        dir.display()
    );
    let dir = dir.canonicalize().expect("canonical path");
    let mut pdfs = Vec::new();
    find_pdfs(&dir, &mut pdfs);
    assert!(!pdfs.is_empty(), "no PDFs in {}", dir.display());
    pdfs.sort();

    let run = byrde([
        "analyse".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        dir.as_os_str(),
    ]);
    assert!(
        run.code == 0 || run.code == 2,
        "exit code {}:\n{}",
        run.code,
        run.stderr
    );
    let v = json(&run.stdout);
    let failures = v["failures"].as_array().expect("failures");
    let incomplete = v["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .any(|d| d["incomplete"] == true);
    assert_eq!(
        run.code == 2,
        !failures.is_empty() || incomplete,
        "exit 2 exactly when a file failed or was read incompletely"
    );

    for pdf in &pdfs {
        let name = pdf.display().to_string();
        let entry = |list: &str| -> Option<&Value> {
            v[list]
                .as_array()
                .expect("a list")
                .iter()
                .find(|d| d["file"] == name.as_str())
        };
        if let Some(d) = entry("documents") {
            let (pages, words) = (&d["pages"], &d["summary"]["words"]);
            let warnings: Vec<&str> = d["warnings"]
                .as_array()
                .expect("warnings")
                .iter()
                .map(|w| w.as_str().expect("a warning"))
                .collect();
            let has_text = pages.as_u64() > Some(0) && words.as_u64() > Some(0);
            let no_text_layer = warnings.iter().any(|w| w.contains("no text layer"));
            println!("{name}: {pages} pages, {words} words {warnings:?}");
            assert!(
                has_text || no_text_layer,
                "{name}: no text ({pages} pages, {words} words) and no warning saying so: {warnings:?}"
            );
        } else if let Some(f) = entry("failures") {
            let error = f["error"].as_str().expect("error");
            println!("{name}: failed: {error}");
            assert!(
                CLEAR_FAILURES.iter().any(|c| error.starts_with(c)),
                "{name}: unclear failure: {error}"
            );
        } else {
            panic!("{name} is missing from the output");
        }
    }
}

/// PDFs below `dir` as byrde finds them: recursively, hidden names skipped.
fn find_pdfs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("folder entry").path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            find_pdfs(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
        {
            out.push(path);
        }
    }
}
