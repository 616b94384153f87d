//! The `byrde` binary end to end: every output format, files and folders, and the rules
//! commands, on fixture letters written for these tests (tests/fixtures/).
//!
//! Snapshots are in tests/snapshots/. After a deliberate change in the output (or in the
//! rules, which changes the counts), review and accept them with
//! `INSTA_UPDATE=always cargo test --test cli` and `git diff tests/snapshots`.

mod common;

use common::{byrde, document_files, json, normalise, LETTER, LETTER_PDF};

const FOLDER: &str = "tests/fixtures/folder";
const EXTRA_RULES: &str = "tests/fixtures/rules/extra";

#[test]
fn analyse_table() {
    let run = byrde(["analyse", LETTER]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn analyse_items() {
    let run = byrde(["analyse", LETTER, "--items"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn analyse_json() {
    let run = byrde(["analyse", LETTER, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = json(&run.stdout);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(document_files(&v), [LETTER]);
    assert_eq!(v["failures"], serde_json::json!([]));
    insta::assert_snapshot!(normalise(&run.stdout));
}

#[test]
fn analyse_jsonl() {
    let run = byrde(["analyse", LETTER, "--format", "jsonl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one line per document");
    let v = json(lines[0]);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["type"], "document");
    assert!(v.get("items").is_none(), "items only with --items");
    insta::assert_snapshot!(normalise(&run.stdout));

    let with_items = byrde(["analyse", LETTER, "--format", "jsonl", "--items"]);
    let v = json(with_items.stdout.trim_end());
    assert_eq!(v["schema_version"], 1);
    // Every counted item is listed.
    let counted: u64 = v["summary"]["counts"]
        .as_object()
        .expect("counts")
        .values()
        .map(|n| n.as_u64().expect("a count"))
        .sum();
    assert_eq!(v["items"].as_array().expect("items").len() as u64, counted);
}

#[test]
fn analyse_csv() {
    let run = byrde(["analyse", LETTER, "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(rows.len(), 2, "a header and one row");
    assert!(rows[0].starts_with("schema_version,file,"), "{}", rows[0]);
    assert!(rows[1].starts_with("1,tests/fixtures/"), "{}", rows[1]);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn analyse_csv_with_semicolons() {
    let comma = byrde(["analyse", LETTER, "--format", "csv"]);
    let semi = byrde(["analyse", LETTER, "--format", "csv", "--csv-delimiter", ";"]);
    assert_eq!(semi.code, 0, "{}", semi.stderr);
    assert!(semi.stdout.starts_with("schema_version;file;"));
    // The same fields; only the separator differs (no field of this letter has a comma).
    let fields = |s: &str, d: char| -> Vec<Vec<String>> {
        s.lines()
            .map(|l| l.split(d).map(String::from).collect())
            .collect()
    };
    assert_eq!(fields(&semi.stdout, ';'), fields(&comma.stdout, ','));
    insta::assert_snapshot!(semi.stdout);
}

#[test]
fn analyse_markdown() {
    let run = byrde(["analyse", LETTER, "--format", "md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn output_file_is_written_whole_and_replaces_the_old_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("resultat.json");
    std::fs::write(&out, "old content").expect("write");
    let run = byrde([
        "analyse",
        LETTER,
        "--format",
        "json",
        "-o",
        out.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "", "with -o nothing goes to stdout");
    let written = std::fs::read_to_string(&out).expect("output file");
    assert_eq!(
        written,
        byrde(["analyse", LETTER, "--format", "json"]).stdout
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["resultat.json"], "no temporary file left behind");
}

#[test]
fn output_into_a_missing_folder_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("finnes-ikke/resultat.csv");
    let run = byrde(["analyse", LETTER, "-o", out.to_str().expect("UTF-8 path")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot write") && run.stderr.contains("resultat.csv"),
        "{}",
        run.stderr
    );
}

#[test]
fn folder_is_searched_recursively_in_sorted_order() {
    let run = byrde(["analyse", FOLDER, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = json(&run.stdout);
    // notater.json (not a document ending) and .utkast.md (hidden) are left out.
    assert_eq!(
        document_files(&v),
        [
            "tests/fixtures/folder/2025/tildelingsbrev.md",
            "tests/fixtures/folder/2025/vedlegg/rapporteringskalender.md",
            "tests/fixtures/folder/2026/supplerende-1.txt",
        ]
    );
    let kinds: Vec<&str> = v["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| d["meta"]["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds[0], "tildelingsbrev");
    assert_eq!(kinds[2], "supplerende");
}

#[test]

fn a_letter_without_reporting_demands_has_zero_reporting_events() {
    let run = byrde([
        "analyse",
        "tests/fixtures/folder/2026/supplerende-1.txt",
        "--format",
        "json",
    ]);
    let v = json(&run.stdout);
    let summary = &v["documents"][0]["summary"];
    assert_eq!(summary["counts"]["rapporteringskrav"], 0);
    // Prints as "-0" in the table and CSV, "-0.0" in JSON.
    let events = summary["reporting_events"].as_f64().expect("a number");
    assert!(events == 0.0 && events.is_sign_positive(), "{events}");
}

#[test]
fn jobs_do_not_change_the_output() {
    for format in ["json", "table", "jsonl"] {
        let args = |jobs: &'static str| {
            [
                "analyse", FOLDER, LETTER, LETTER_PDF, "--items", "--format", format, "--jobs",
                jobs,
            ]
        };
        let one = byrde(args("1"));
        let two = byrde(args("2"));
        assert_eq!(one.code, 0, "{}", one.stderr);
        assert_eq!(
            one.stdout, two.stdout,
            "--jobs 1 and --jobs 2 differ ({format})"
        );
    }
}

#[test]
fn rules_list() {
    let run = byrde(["rules", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().expect("an id"))
        .collect();
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("oppdrag.id-heading "))
        .expect("oppdrag.id-heading is listed");
    assert_eq!(line.split_whitespace().nth(1), Some("label"));
    assert_eq!(line.split_whitespace().nth(2), Some("oppdrag"));
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "rule ids are unique");
    // As many rules as `rules test` runs.
    let test = byrde(["rules", "test"]);
    assert!(
        test.stdout.starts_with(&format!("{} rules, ", ids.len())),
        "{}",
        test.stdout
    );
}

#[test]
fn rules_show() {
    let run = byrde(["rules", "show", "oppdrag.id-heading"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.starts_with("oppdrag.id-heading\n  kind: Label\n  file: rules/oppdrag.toml\n"),
        "{out}"
    );
    for part in [
        "  category: oppdrag\n",
        "  mode: Entry\n",
        "  pattern: ",
        "  matches:        ",
        "  does not match: ",
    ] {
        assert!(out.contains(part), "no {part:?} in:\n{out}");
    }
}

#[test]
fn rules_show_unknown_id() {
    let run = byrde(["rules", "show", "oppdrag.finnes-ikke"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no rule with id \"oppdrag.finnes-ikke\""),
        "{}",
        run.stderr
    );
}

#[test]
fn rules_test_passes_on_the_defaults() {
    let run = byrde(["rules", "test"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr, "");
    let (_, tail) = run.stdout.split_once(" rules, ").expect("summary line");
    let examples = tail.split(' ').next().expect("example count");
    assert_eq!(
        tail,
        format!("{examples} examples: {examples} passed, 0 failed\n")
    );
}

#[test]
fn rules_test_dir_reports_a_failing_example() {
    let run = byrde(["rules", "test", "tests/fixtures/rules/failing-example"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "FAIL tests/fixtures/rules/failing-example/tall.toml: resultatkrav.test-prosent: \
         should match: \"Andelen skal være minst 90 %.\"\n"
    );
    insta::assert_snapshot!(run.stdout, @"1 rules, 3 examples: 2 passed, 1 failed");
}

#[test]
fn rules_dir_adds_a_rule_that_changes_a_count() {
    let foring = |args: &[&str]| -> serde_json::Value {
        let run = byrde(args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        json(&run.stdout)["documents"][0]["summary"]["counts"]["foring"].clone()
    };
    let base = ["analyse", LETTER, "--format", "json"];
    assert_eq!(foring(&base), 0);
    assert_eq!(foring(&[&base[..], &["--rules", EXTRA_RULES]].concat()), 1);

    let run = byrde(["analyse", LETTER, "--items", "--rules", EXTRA_RULES]);
    assert!(
        run.stdout
            .contains("foring            foring.test-kontorer"),
        "{}",
        run.stdout
    );
    let show = byrde([
        "rules",
        "show",
        "foring.test-kontorer",
        "--rules",
        EXTRA_RULES,
    ]);
    assert!(
        show.stdout
            .contains("  file: tests/fixtures/rules/extra/kontorer.toml\n"),
        "{}",
        show.stdout
    );
}

#[test]
fn help() {
    let run = byrde(["--help"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout);
}
