//! `byrde diff` and `byrde trend` on the real binary: the worked example of the README,
//! the corpus pair with known edits, and snapshots of every output format.

mod common;

use common::html::assert_well_formed;
use common::{byrde, json};

const MD_2023: &str = "corpus/nav-innlandet/2023-md-brev.pdf";
const MD_2024: &str = "corpus/nav-innlandet/2024-md-brev.pdf";

fn tally(v: &serde_json::Value, category: &str, status: &str) -> usize {
    v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["category"] == category && c["status"] == status)
        .count()
}

fn count(v: &serde_json::Value, category: &str) -> (f64, f64) {
    let row = v["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .find(|r| r["category"] == category)
        .expect("row");
    (row["old"].as_f64().unwrap(), row["new"].as_f64().unwrap())
}

#[test]
fn md_brev_principles_go_from_ten_to_five() {
    let run = byrde(["diff", MD_2023, MD_2024, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = json(&run.stdout);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(count(&v, "styringsprinsipp"), (10.0, 5.0));
    assert_eq!(tally(&v, "styringsprinsipp", "removed"), 5);
    assert_eq!(
        tally(&v, "styringsprinsipp", "kept") + tally(&v, "styringsprinsipp", "reworded"),
        5
    );
    // The new principle about involving employees is the 2023 one about informing them.
    let involve = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["new"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("involvere ansatte"))
        })
        .expect("the principle on involving employees");
    assert_eq!(involve["status"], "reworded");
    assert!(involve["words"].to_string().contains("informere"));
    let (old_rk, new_rk) = count(&v, "resultatkrav");
    assert!(new_rk < old_rk, "fewer resultatkrav: {old_rk} → {new_rk}");
}

#[test]
fn exit_code_says_whether_the_new_letter_demands_more() {
    let less = byrde(["diff", MD_2023, MD_2024, "--exit-code"]);
    assert_eq!(less.code, 0);
    let more = byrde(["diff", MD_2024, MD_2023, "--exit-code"]);
    assert_eq!(more.code, 1, "styringskrav rise from 2024 back to 2023");
    let asd = [
        "corpus/asd-nav/2025-tildelingsbrev.pdf",
        "corpus/asd-nav/2026-tildelingsbrev.pdf",
    ];
    assert_eq!(byrde(["diff", asd[0], asd[1], "--exit-code"]).code, 0);
    let oppdrag_up = byrde([
        "diff",
        asd[0],
        asd[1],
        "--exit-code",
        "--fail-on",
        "oppdrag",
    ]);
    assert_eq!(oppdrag_up.code, 1, "oppdrag rise 10 → 13");
    // Every summary figure can be named, the same names as `check` takes.
    let involvement = byrde([
        "diff",
        MD_2023,
        MD_2024,
        "--exit-code",
        "--fail-on",
        "medvirkning,per_1000_words",
    ]);
    assert_eq!(involvement.code, 1, "medvirkning rises 0 → 1");
    let bad = byrde(["diff", asd[0], asd[1], "--fail-on", "nonsense"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("unknown name"), "{}", bad.stderr);
}

#[test]
fn diff_of_a_missing_file_names_it() {
    let run = byrde(["diff", "corpus/finnes-ikke.pdf", MD_2024]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("finnes-ikke.pdf"), "{}", run.stderr);
}

#[test]
fn diff_table() {
    let run = byrde(["diff", MD_2023, MD_2024, "--color", "never"]);
    assert_eq!(run.code, 0);
    assert!(!run.stdout.contains('\x1b'));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn diff_table_in_colour() {
    let run = byrde(["diff", MD_2023, MD_2024, "--color", "always"]);
    assert!(run.stdout.contains("\x1b[31m"));
}

#[test]
fn diff_json() {
    insta::assert_snapshot!(byrde(["diff", MD_2023, MD_2024, "--format", "json"]).stdout);
}

#[test]
fn diff_markdown() {
    insta::assert_snapshot!(byrde(["diff", MD_2023, MD_2024, "--format", "md"]).stdout);
}

#[test]
fn diff_html() {
    let html = byrde(["diff", MD_2023, MD_2024, "--format", "html"]).stdout;
    assert_well_formed(&html);
    assert!(html.contains("<td>styringsprinsipp</td><td>10</td><td>5</td>"));
    insta::assert_snapshot!(html);
}

#[test]
fn diff_of_two_years_as_folders_adds_supplerende_letters() {
    let dir = tempfile::tempdir().unwrap();
    for (year, files) in [
        ("2025", vec!["2025-oppdragsdokument.md"]),
        (
            "2026",
            vec!["2026-oppdragsdokument.md", "2026-supplerende-1.md"],
        ),
    ] {
        std::fs::create_dir(dir.path().join(year)).unwrap();
        for f in files {
            std::fs::copy(
                common::root().join("corpus/hod-helse-nord").join(f),
                dir.path().join(year).join(f),
            )
            .unwrap();
        }
    }
    let run = byrde([
        "diff".as_ref(),
        dir.path().join("2025").as_os_str(),
        dir.path().join("2026").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = json(&run.stdout);
    assert_eq!(v["new"]["files"].as_array().unwrap().len(), 2);
    assert_eq!(count(&v, "oppdrag"), (8.0, 11.0));
}

#[test]
fn trend_table() {
    let run = byrde(["trend", "corpus"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("oppdragsdokument + supplerende 1"));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn trend_csv_is_long_format() {
    let run = byrde(["trend", "corpus", "--format", "csv"]);
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("schema_version,series,year,documents,category,count")
    );
    assert!(run
        .stdout
        .contains("1,nav-innlandet,2024,md-brev,styringsprinsipp,5\n"));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn trend_json() {
    let run = byrde(["trend", "corpus", "--format", "json"]);
    let v = json(&run.stdout);
    assert_eq!(v["schema_version"], 1);
    let names: Vec<&str> = v["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"nav-innlandet") && names.contains(&"kud-sprakradet"),
        "{names:?}"
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn trend_markdown() {
    insta::assert_snapshot!(byrde(["trend", "corpus", "--format", "md"]).stdout);
}

#[test]
fn trend_html_is_self_contained_with_a_chart_per_series() {
    let html = byrde(["trend", "corpus", "--format", "html"]).stdout;
    assert_well_formed(&html);
    let series = json(&byrde(["trend", "corpus", "--format", "json"]).stdout)["series"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(html.matches("<svg ").count(), series);
    // The figures are in the page as text, not only as bar heights.
    assert!(html.contains("<td>2023</td><td class=\"text\">md-brev</td>"));
    insta::assert_snapshot!(html);
}

#[test]
fn series_toml_names_a_series_and_bad_keys_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let letters = dir.path().join("brev");
    std::fs::create_dir(&letters).unwrap();
    for f in ["2024-tildelingsbrev.md", "2025-tildelingsbrev.md"] {
        std::fs::copy(
            common::root().join("corpus/kud-sprakradet").join(f),
            letters.join(f),
        )
        .unwrap();
    }
    std::fs::write(letters.join("series.toml"), "name = \"Språkrådet\"\n").unwrap();
    let run = byrde([
        "trend".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json(&run.stdout)["series"][0]["name"], "Språkrådet");

    std::fs::write(letters.join("series.toml"), "navn = \"x\"\n").unwrap();
    let run = byrde(["trend".as_ref(), dir.path().as_os_str()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("series.toml") && run.stderr.contains("navn"),
        "{}",
        run.stderr
    );
}

/// The words an expected item opens with, as they open the found item's text.
fn opens_with(found: &serde_json::Value, expected: &serde_json::Value) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (f, e) = (
        norm(found.as_str().unwrap_or("")),
        norm(expected.as_str().unwrap_or("")),
    );
    !e.is_empty() && f.starts_with(&e)
}

/// `corpus/nfd-fiskeridir` holds a pair written with known edits; `known-edits.json` says
/// which. Every edit must come out exactly so, from text and from PDF.
#[test]
fn known_edits_are_found_exactly() {
    let dir = common::root().join("corpus/nfd-fiskeridir");
    let known = json(&std::fs::read_to_string(dir.join("known-edits.json")).unwrap());
    for ext in ["md", "pdf"] {
        let old = dir.join(format!("2025-tildelingsbrev.{ext}"));
        let new = dir.join(format!("2026-tildelingsbrev.{ext}"));
        let run = byrde([
            "diff".as_ref(),
            old.as_os_str(),
            new.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let v = json(&run.stdout);
        let changes = v["changes"].as_array().unwrap();
        for status in ["kept", "reworded", "removed", "added"] {
            let n = changes.iter().filter(|c| c["status"] == status).count();
            assert_eq!(n as u64, known[status].as_u64().unwrap(), "{ext}: {status}");
        }
        let moved: Vec<&serde_json::Value> =
            changes.iter().filter(|c| c["moved"] == true).collect();
        assert_eq!(moved.len(), 1, "{ext}: one item moved");
        assert_eq!(moved[0]["category"], known["moved"]["category"]);
        assert!(opens_with(
            &moved[0]["new"]["text"],
            &known["moved"]["text"]
        ));
        for r in known["reworded_items"].as_array().unwrap() {
            assert!(
                changes.iter().any(|c| c["status"] == "reworded"
                    && c["category"] == r["category"]
                    && opens_with(&c["old"]["text"], &r["old"])
                    && opens_with(&c["new"]["text"], &r["new"])),
                "{ext}: reworded {r}"
            );
        }
        for (status, side, list) in [
            ("removed", "old", "removed_items"),
            ("added", "new", "added_items"),
        ] {
            for r in known[list].as_array().unwrap() {
                assert!(
                    changes.iter().any(|c| c["status"] == status
                        && c["category"] == r["category"]
                        && opens_with(&c[side]["text"], &r["text"])),
                    "{ext}: {status} {r}"
                );
            }
        }
    }
}
