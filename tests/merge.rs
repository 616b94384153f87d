//! `byrde merge`: JSONL parts of separate runs give what one run over everything gives.

mod common;

use common::{byrde, json, LETTER};

/// Run `byrde analyse PATHS --format jsonl --items -o PART` and return the part's path.
fn part(dir: &std::path::Path, name: &str, paths: &[&str], items: bool) -> String {
    let out = dir.join(name).to_str().expect("UTF-8 path").to_string();
    let mut args = vec!["analyse", "--format", "jsonl", "-o", &out];
    if items {
        args.push("--items");
    }
    args.extend(paths);
    let run = byrde(&args);
    assert!(run.code == 0 || run.code == 2, "{}", run.stderr);
    out
}

#[test]
fn merged_parts_equal_one_run_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Two "machines", each with two series of the sample corpus, given out of order.
    let a = part(
        dir.path(),
        "a.jsonl",
        &["corpus/nav-innlandet", "corpus/asd-nav"],
        true,
    );
    let b = part(
        dir.path(),
        "b.jsonl",
        &[
            "corpus/kud-sprakradet",
            "corpus/nfd-fiskeridir",
            "corpus/hod-helse-nord",
        ],
        true,
    );
    for format in ["json", "table", "csv", "md", "jsonl"] {
        let one = byrde(["analyse", "corpus", "--items", "--format", format]);
        let merged = byrde(["merge", &b, &a, "--items", "--format", format]);
        assert_eq!(merged.code, 0, "{}", merged.stderr);
        assert_eq!(
            merged.stdout, one.stdout,
            "merge differs from one run ({format})"
        );
    }
    // Without --items the counts and the total are the same too.
    let one = byrde(["analyse", "corpus", "--format", "json"]);
    let merged = byrde(["merge", &a, &b, "--format", "json"]);
    assert_eq!(merged.stdout, one.stdout);
    let v = json(&merged.stdout);
    assert_eq!(v["documents"].as_array().expect("documents").len(), 14);
}

#[test]
fn merge_refuses_html_which_needs_the_letters_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = part(dir.path(), "a.jsonl", &[LETTER], true);
    let run = byrde(["merge", &a, "--format", "html"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("analyse --format html"),
        "{}",
        run.stderr
    );
}

#[test]
fn merging_with_items_needs_parts_with_items() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = part(dir.path(), "a.jsonl", &[LETTER], false);
    let run = byrde(["merge", &a, "--items"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("a.jsonl:1") && run.stderr.contains("--items"),
        "{}",
        run.stderr
    );
    assert_eq!(byrde(["merge", &a]).code, 0);
}

#[test]
fn failures_and_repeated_documents_are_carried_over() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = "tests/fixtures/bad/random.pdf";
    let a = part(dir.path(), "a.jsonl", &[bad, LETTER], false);
    let b = part(dir.path(), "b.jsonl", &[LETTER], false);
    let run = byrde(["merge", &a, &b, "--format", "json"]);
    assert_eq!(
        run.code, 2,
        "a failure in a part fails the merge as it failed the run"
    );
    let v = json(&run.stdout);
    assert_eq!(v["documents"].as_array().expect("documents").len(), 1);
    assert_eq!(v["failures"][0]["file"], bad);
    assert!(
        run.stderr.contains("in more than one part"),
        "{}",
        run.stderr
    );
    let kept_going = byrde(["merge", &a, &b, "--format", "json", "--keep-going"]);
    assert_eq!(kept_going.code, 0, "--keep-going as in analyse");
    assert_eq!(kept_going.stdout, run.stdout);
}

#[test]
fn a_line_that_is_not_byrde_jsonl_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path().join("x.jsonl");
    std::fs::write(&p, "{\"schema_version\":1,\"type\":\"document\"}\n").expect("write");
    let run = byrde(["merge", p.to_str().expect("UTF-8")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("x.jsonl:1"), "{}", run.stderr);
}
