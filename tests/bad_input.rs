//! Bad input: each case runs a batch of the bad file and a good letter. byrde must say on
//! stderr which file is wrong and how, still report the good letter, exit 2 at the end,
//! and never panic (checked in `common::byrde`). Bad rule files stop the run before any
//! document is read: counts made with a broken rule set would be wrong.
//!
//! tests/fixtures/make-binary-fixtures.sh made the binary fixtures in tests/fixtures/bad/.

mod common;

use common::{byrde, document_files, json, Run, LETTER};

/// `byrde analyse --format json BAD LETTER`, with the JSON output parsed.
fn batch_with(bad: &str) -> (Run, serde_json::Value) {
    let run = byrde(["analyse", "--format", "json", bad, LETTER]);
    let v = json(&run.stdout);
    (run, v)
}

/// The batch failed on `bad` with an error that starts with `message`, on one line of
/// stderr, and still analysed the good letter.
fn assert_fails(bad: &str, message: &str) {
    let (run, v) = batch_with(bad);
    assert_eq!(run.code, 2, "exit code; stderr:\n{}", run.stderr);
    let prefix = format!("byrde: error: {bad}: {message}");
    assert!(
        run.stderr.starts_with(&prefix) && run.stderr.lines().count() == 1,
        "stderr:\n{}",
        run.stderr
    );
    assert_eq!(document_files(&v), [LETTER], "the good letter is reported");
    assert_eq!(v["documents"][0]["summary"]["styringskrav"], 8);
    let failures = v["failures"].as_array().expect("failures");
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0]["file"], bad);
    let error = failures[0]["error"].as_str().expect("error");
    assert!(error.starts_with(message), "{error}");
}

#[test]
fn empty_file() {
    assert_fails("tests/fixtures/bad/empty.txt", "file is empty");
}

#[test]
fn truncated_pdf() {
    // The first 3000 bytes of tildelingsbrev-2026.pdf.
    assert_fails("tests/fixtures/bad/truncated.pdf", "broken PDF: ");
}

#[test]
fn encrypted_pdf_with_a_password() {
    assert_fails(
        "tests/fixtures/bad/encrypted-password.pdf",
        "encrypted PDF: it needs a password, which byrde does not have",
    );
}

#[test]
fn random_bytes() {
    // 4096 bytes from Python's random.Random(2026), named .pdf like a broken download.
    assert_fails(
        "tests/fixtures/bad/random.pdf",
        "not a PDF or a text file (binary content)",
    );
}

#[test]
fn missing_path() {
    assert_fails(
        "tests/fixtures/bad/finnes-ikke.pdf",
        "no such file or directory",
    );
}

#[test]
fn failure_is_on_stderr_in_table_output_too() {
    let bad = "tests/fixtures/bad/empty.txt";
    let run = byrde(["analyse", bad, LETTER]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, format!("byrde: error: {bad}: file is empty\n"));
    assert!(run.stdout.contains(LETTER), "{}", run.stdout);
}

#[test]
fn failure_is_a_jsonl_line_of_its_own() {
    let bad = "tests/fixtures/bad/random.pdf";
    let run = byrde(["analyse", "--format", "jsonl", bad, LETTER]);
    assert_eq!(run.code, 2);
    let lines: Vec<serde_json::Value> = run.stdout.lines().map(json).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["type"], "document");
    assert_eq!(
        lines[1],
        serde_json::json!({"schema_version": 1, "type": "failure", "file": bad,
            "error": "not a PDF or a text file (binary content)"})
    );
}

#[test]
fn encrypted_pdf_with_an_empty_password_is_read() {
    // Encrypted only against editing: anyone may open it, and so does byrde.
    let bad = "tests/fixtures/bad/encrypted-empty-password.pdf";
    let (run, v) = batch_with(bad);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(document_files(&v), [bad, LETTER]);
    let docs = v["documents"].as_array().expect("documents");
    assert_eq!(docs[0]["format"], "pdf");
    assert_eq!(docs[0]["warnings"], serde_json::json!([]));
    assert_eq!(
        docs[0]["summary"]["counts"], docs[1]["summary"]["counts"],
        "the PDF gives the counts of the letter it was made from"
    );
}

#[test]
fn text_file_named_pdf_is_read_as_text_with_a_warning() {
    // Read, not refused (ingest sniffs the bytes, see src/ingest/mod.rs), but not silently:
    // a .pdf that holds text is often a failed download.
    let bad = "tests/fixtures/bad/text-named.pdf";
    let (run, v) = batch_with(bad);
    assert_eq!(
        run.code, 0,
        "a warning is not a failure; stderr:\n{}",
        run.stderr
    );
    assert_eq!(
        run.stderr,
        format!(
            "byrde: warning: {bad}: named .pdf but is not a PDF (no %PDF- header): read as text\n"
        )
    );
    assert_eq!(document_files(&v), [bad, LETTER]);
    assert_eq!(v["documents"][0]["format"], "text");
}

/// `byrde analyse --rules DIR LETTER` stops with exit 2 and one error line that holds
/// every one of `parts`, analysing nothing.
fn assert_rules_refused(dir: &str, parts: &[&str]) {
    let run = byrde(["analyse", "--rules", dir, LETTER]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with("byrde: error: ") && run.stderr.lines().count() == 1,
        "{}",
        run.stderr
    );
    for part in parts {
        assert!(run.stderr.contains(part), "no {part:?} in:\n{}", run.stderr);
    }
}

#[test]
fn rule_with_a_bad_regex() {
    assert_rules_refused(
        "tests/fixtures/rules/bad-regex",
        &[
            "tests/fixtures/rules/bad-regex/brutt.toml: ",
            "rule foring.test-brutt: ",
            "bad regex",
            "unclosed group",
        ],
    );
}

#[test]
fn empty_rule_file() {
    assert_rules_refused(
        "tests/fixtures/rules/empty-file",
        &["tests/fixtures/rules/empty-file/tom.toml: empty rule file"],
    );
}
