//! Bad input: each case runs a batch of the bad file and a good letter. byrde must say on
//! stderr which file is wrong and how, still report the good letter, exit 2 at the end
//! (0 with `--keep-going`), and never panic (checked in `common::byrde`). Bad rule files
//! stop the run before any document is read: counts made with a broken rule set would be
//! wrong. The README's "Limits and failure behaviour" table lists the same cases.
//!
//! tests/fixtures/make-binary-fixtures.sh and tests/fixtures/make-bad-pdfs.py made the
//! fixtures in tests/fixtures/bad/.

mod common;

use common::{byrde, byrde_env, document_files, json, Run, LETTER, LETTER_PDF};

/// `byrde analyse --format json [EXTRA...] BAD LETTER`, with the JSON output parsed.
fn batch_with(bad: &str) -> (Run, serde_json::Value) {
    batch_with_args(bad, &[], &[])
}

fn batch_with_args(bad: &str, extra: &[&str], env: &[(&str, &str)]) -> (Run, serde_json::Value) {
    let mut args = vec!["analyse", "--format", "json"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&[bad, LETTER]);
    let run = byrde_env(env, args);
    let v = json(&run.stdout);
    (run, v)
}

/// The batch failed on `bad` with an error that starts with `message`, on one line of
/// stderr, and still analysed the good letter.
fn assert_fails(bad: &str, message: &str) {
    assert_fails_with(bad, message, &[], &[]);
}

fn assert_fails_with(bad: &str, message: &str, extra: &[&str], env: &[(&str, &str)]) {
    let (run, v) = batch_with_args(bad, extra, env);
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

/// `bad` is read as a text rendering of the fixture letter: same counts, exit 0.
fn assert_reads_as_the_letter(bad: &str, warnings: &[&str]) {
    let (run, v) = batch_with(bad);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(document_files(&v), [bad, LETTER]);
    let docs = v["documents"].as_array().expect("documents");
    assert_eq!(docs[0]["summary"]["counts"], docs[1]["summary"]["counts"]);
    assert_eq!(docs[0]["warnings"], serde_json::json!(warnings));
}

#[test]
fn empty_file() {
    assert_fails("tests/fixtures/bad/empty.txt", "file is empty");
}

#[test]
fn broken_xref() {
    // Every xref entry and startxref point to the wrong offset.
    assert_fails(
        "tests/fixtures/bad/broken-xref.pdf",
        "broken PDF: failed parsing cross reference table",
    );
}

#[test]
fn scanned_pdf_is_not_a_letter_without_requirements() {
    // Two pages that only paint an image.
    assert_fails(
        "tests/fixtures/bad/scanned.pdf",
        "no text layer (0 characters on 2 pages): scanned document, OCR needed",
    );
}

#[test]
fn extraction_that_hangs_is_stopped_by_the_timeout() {
    // The worker loops on the good PDF (test hook, src/isolate.rs); the batch still ends,
    // names it, and reports the other letter.
    assert_fails_with(
        LETTER_PDF,
        "timed out after 2 s (--timeout): reading the PDF was stopped",
        &["--timeout", "2"],
        &[("BYRDE_TEST_WORKER_HANG", "tildelingsbrev-2026.pdf")],
    );
}

#[test]
fn worker_that_crashes_fails_only_its_file() {
    // The worker aborts (test hook, src/isolate.rs), as it would on a stack overflow.
    assert_fails_with(
        LETTER_PDF,
        "the PDF reader crashed (killed by signal 6)",
        &[],
        &[("BYRDE_TEST_WORKER_CRASH", "tildelingsbrev-2026.pdf")],
    );
}

#[test]
fn analysis_that_hangs_is_stopped_by_the_timeout() {
    // The stages after ingest loop on a text file (test hook, src/isolate.rs): the budget
    // covers them too.
    assert_fails_with(
        "tests/fixtures/bad/utf16le.txt",
        "timed out after 2 s (--timeout): analysing the text was stopped",
        &["--timeout", "2"],
        &[("BYRDE_TEST_ANALYSIS_HANG", "utf16le.txt")],
    );
}

#[test]
fn decompression_bomb_hits_the_memory_limit() {
    // 6 KB on disk, a 3 GiB content stream once inflated (Flate inside Flate).
    assert_fails_with(
        "tests/fixtures/bad/bomb.pdf",
        "ran out of memory: reading the PDF needed more than 512 MiB (--max-memory)",
        &["--max-memory", "512"],
        &[],
    );
}

#[test]
fn text_too_large_for_the_memory_limit_is_refused_before_reading() {
    // 600 KB of text at about 10 bytes per byte is more than 2 MiB; the letter is not.
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("big.md");
    std::fs::write(&big, "Direktoratet skal rapportere.\n".repeat(20_000)).expect("write");
    let big = big.to_str().expect("UTF-8 path");
    assert_fails_with(
        big,
        "too large: 0.6 MB of text would need about 5 MiB to analyse, more than 2 MiB (--max-memory)",
        &["--max-memory", "2"],
        &[],
    );
}

#[test]
fn large_text_is_analysed_in_parts_not_refused() {
    // A text over the size that is analysed in parts (lowered here by a test hook, see
    // src/isolate.rs) needs about the same memory at any size: --max-memory does not refuse
    // it, and the output is that of reading it whole. The HTML letter page shows the whole
    // letter, so there the guard still refuses it.
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("big.md");
    let letter = std::fs::read_to_string(LETTER).expect("letter");
    std::fs::write(&big, [letter.as_str(); 250].join("\n\n")).expect("write");
    let big = big.to_str().expect("UTF-8 path");
    let hook = [("BYRDE_TEST_STREAM_FROM", "1000")];
    let args = ["analyse", "--format", "json", "--items", big];
    let whole = byrde(args);
    let parts = byrde_env(&hook, args.into_iter().chain(["--max-memory", "2"]));
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    assert_eq!(parts.code, 0, "{}", parts.stderr);
    assert!(whole.stdout.contains("\"also_at\""), "repeats merged");
    assert_eq!(whole.stdout, parts.stdout);
    let html = byrde_env(
        &hook,
        ["analyse", "--format", "html", "--max-memory", "2", big],
    );
    assert_eq!(html.code, 2);
    assert!(
        html.stderr
            .starts_with(&format!("byrde: error: {big}: too large: ")),
        "{}",
        html.stderr
    );
    // Bad input read in parts fails as it does read whole, naming the file and the fault.
    let empty = dir.path().join("empty.md");
    std::fs::write(&empty, " \n".repeat(1000)).expect("write");
    let binary = dir.path().join("binary.md");
    std::fs::write(&binary, b"\x00\x01\x02abc".repeat(1000)).expect("write");
    for (bad, message) in [
        (&empty, "file is empty"),
        (&binary, "not a PDF or a text file (binary content)"),
    ] {
        let bad = bad.to_str().expect("UTF-8 path");
        assert_fails_with(bad, message, &[], &hook);
    }
}

#[test]
fn large_text_without_headings_to_divide_it_at_is_refused_in_parts() {
    // Read in parts, a text with no heading cannot be divided: its one part would be held
    // whole, so the memory guard applies to it (here 4 MiB of text, the least it allows).
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("big.md");
    std::fs::write(&big, "Direktoratet skal rapportere.\n\n".repeat(160_000)).expect("write");
    let big = big.to_str().expect("UTF-8 path");
    let hook = [("BYRDE_TEST_STREAM_FROM", "1000")];
    let run = byrde_env(&hook, ["analyse", "--max-memory", "2", big]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "byrde: error: {big}: too large: 4.2 MB of text without a heading to divide it at"
        )),
        "{}",
        run.stderr
    );
    // Without a limit it is analysed.
    let run = byrde_env(&hook, ["analyse", "--max-memory", "0", big]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn deeply_nested_content_is_a_broken_pdf() {
    // 100,000 nested arrays in a content stream: the parser gives up on the page.
    assert_fails(
        "tests/fixtures/bad/nested.pdf",
        "broken PDF: no page could be read (page 1: ",
    );
}

#[test]
fn a_failed_page_marks_the_document_incomplete() {
    // Page 2's content stream is declared Flate but is not: pdf-extract would read the
    // page as empty without a word. byrde names the page, marks the counts incomplete,
    // and exits 2; `--keep-going` makes that 0, with the same output.
    let bad = "tests/fixtures/bad/page-fails.pdf";
    for keep_going in [false, true] {
        let extra: &[&str] = if keep_going { &["--keep-going"] } else { &[] };
        let (run, v) = batch_with_args(bad, extra, &[]);
        assert_eq!(run.code, if keep_going { 0 } else { 2 }, "{}", run.stderr);
        assert_eq!(document_files(&v), [bad, LETTER]);
        let doc = &v["documents"][0];
        assert_eq!(doc["incomplete"], true);
        let warnings: Vec<&str> = doc["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .filter_map(|w| w.as_str())
            .collect();
        assert_eq!(
            warnings[..2],
            [
                "page 2: text could not be extracted (content stream 7 0 does not decode: \
                 corrupt Flate data (corrupt deflate stream))",
                "1 of 3 pages could not be read (page 2): counts are incomplete",
            ]
        );
        assert!(run.stderr.contains(&format!(
            "byrde: warning: {bad}: 1 of 3 pages could not be read (page 2)"
        )));
        // The pages that were read still count.
        assert_eq!(doc["summary"]["counts"]["oppdrag"], 1);
    }
}

#[test]
fn a_page_missing_from_the_page_tree_marks_the_document_incomplete() {
    // Three pages declared, the second a reference to no object: lopdf skips it silently.
    let bad = "tests/fixtures/bad/missing-page.pdf";
    let (run, v) = batch_with(bad);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(document_files(&v), [bad, LETTER]);
    let doc = &v["documents"][0];
    assert_eq!(doc["incomplete"], true);
    assert!(run.stderr.contains(&format!(
        "byrde: warning: {bad}: the page tree declares 3 pages but only 2 could be found: \
         counts are incomplete\n"
    )));
}

#[test]
fn keep_going_exits_0_but_still_reports_the_failure() {
    let bad = "tests/fixtures/bad/scanned.pdf";
    let (run, v) = batch_with_args(bad, &["--keep-going"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with(&format!("byrde: error: {bad}: no text layer")),
        "{}",
        run.stderr
    );
    assert_eq!(v["failures"][0]["file"], bad);
    assert_eq!(document_files(&v), [LETTER]);
}

#[test]
fn utf16_text_is_read() {
    assert_reads_as_the_letter("tests/fixtures/bad/utf16le.txt", &[]);
    assert_reads_as_the_letter("tests/fixtures/bad/utf16be.txt", &[]);
    assert_reads_as_the_letter(
        "tests/fixtures/bad/utf16le-nobom.txt",
        &["no byte-order mark; decoded as UTF-16LE from its zero bytes"],
    );
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

#[test]
fn duplicate_rule_id() {
    // Two files in one folder define one id; which should win is not for byrde to guess.
    assert_rules_refused(
        "tests/fixtures/rules/duplicate-id",
        &[
            "tests/fixtures/rules/duplicate-id/b.toml: rule foring.test-dobbel: \
             duplicate rule id: already defined in tests/fixtures/rules/duplicate-id/a.toml",
        ],
    );
}

#[test]
fn rule_that_matches_the_empty_string() {
    assert_rules_refused(
        "tests/fixtures/rules/empty-match",
        &["rule foring.test-tom: regex", "matches the empty string"],
    );
}

#[test]
fn rule_with_an_oversized_regex() {
    assert_rules_refused(
        "tests/fixtures/rules/huge-regex",
        &["rule foring.test-stor: bad regex", "size limit"],
    );
}

#[test]
fn eval_reads_pdfs_in_the_worker_within_the_time_budget() {
    let run = byrde_env(
        &[("BYRDE_TEST_WORKER_HANG", "2025-md-brev.pdf")],
        ["eval", "corpus/nav-innlandet", "--timeout", "2", "--json"],
    );
    let v = json(&run.stdout);
    let docs = v["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 6, "three letters, text and PDF");
    for d in docs {
        let file = d["file"].as_str().expect("file");
        let error = d["error"].as_str();
        if file.ends_with("2025-md-brev.pdf") {
            assert!(
                error.is_some_and(|e| e.starts_with("timed out after 2 s (--timeout)")),
                "{d}"
            );
        } else {
            assert_eq!(error, None, "{file}");
        }
    }
}

#[test]
fn a_pdf_whose_error_says_out_of_memory_is_not_the_memory_limit() {
    // A font encoding named "out of memory": the extractor's error quotes the PDF's own
    // words, and the memory limit is told by the error's kind, not by such words.
    assert_fails(
        "tests/fixtures/bad/says-out-of-memory.pdf",
        "broken PDF: no page could be read (page 1: extractor crashed: unsupported encoding out of memory)",
    );
}

#[test]
fn a_crafted_cid_width_array_neither_stalls_nor_fails_the_page() {
    // The font's /W array repeats the full range of CIDs 5,000 times and ends after one
    // number: the reader sets at most a million widths per font (all of them would take
    // minutes, past --timeout) and stops at the cut-off end instead of failing the page.
    let bad = "tests/fixtures/bad/crafted-widths.pdf";
    let (run, v) = batch_with_args(bad, &["--timeout", "5"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(document_files(&v), [bad, LETTER]);
    assert_eq!(v["documents"][0]["summary"]["styringskrav"], 1, "{v}");
}
