//! `byrde check` on the real binary: each exit code, each format, budget file errors, the
//! baseline mode, and the SARIF output validated against the SARIF 2.1.0 schema.

mod common;

use common::{byrde, json};

const BUDGET: &str = "byrde-budget.toml";

#[test]
fn within_budget_is_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let budget = dir.path().join("budget.toml");
    std::fs::write(
        &budget,
        "[document]\nmax = { styringskrav = 100 }\nno_increase = [\"styringsprinsipp\"]\n",
    )
    .unwrap();
    let run = byrde([
        "check".as_ref(),
        "corpus".as_ref(),
        "--budget".as_ref(),
        budget.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("within budget"));
}

#[test]
fn over_budget_is_exit_1_and_points_at_the_added_items() {
    let run = byrde(["check", "corpus", "--budget", BUDGET, "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = json(&run.stdout);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["within_budget"], false);
    let oppdrag = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == "no_increase.oppdrag")
        .expect("asd-nav's oppdrag rise 10 → 13");
    assert_eq!(
        (oppdrag["limit"].as_f64(), oppdrag["actual"].as_f64()),
        (Some(10.0), Some(13.0))
    );
    assert!(!oppdrag["items"].as_array().unwrap().is_empty());
    assert!(oppdrag["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["category"] == "oppdrag" && i["line"].as_u64() > Some(0)));
}

#[test]
fn budget_errors_name_the_key_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for (text, key) in [
        ("[document]\nmaks = { oppdrag = 3 }\n", "maks"),
        ("[document]\nmax = { opdrag = 3 }\n", "document.max.opdrag"),
        (
            "[document]\nmax = { oppdrag = -1 }\n",
            "document.max.oppdrag",
        ),
        ("[document]\nmax = { oppdrag = \"ti\" }\n", "oppdrag"),
        (
            "[series.x]\nno_increase = [\"krav\"]\n",
            "series.x.no_increase",
        ),
        (
            "[document]\nquantitative_share = { min = 2 }\n",
            "quantitative_share.min",
        ),
        ("[dokument]\n", "dokument"),
    ] {
        let budget = dir.path().join("budget.toml");
        std::fs::write(&budget, text).unwrap();
        let run = byrde([
            "check".as_ref(),
            "corpus/nav-innlandet".as_ref(),
            "--budget".as_ref(),
            budget.as_os_str(),
        ]);
        assert_eq!(run.code, 2, "{text}");
        assert!(
            run.stderr.contains("budget.toml") && run.stderr.contains(key),
            "{text}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_bad_input_file_is_exit_2_and_the_rest_is_checked() {
    let run = byrde([
        "check",
        "corpus/nav-innlandet",
        "tests/fixtures/bad/truncated.pdf",
        "--budget",
        BUDGET,
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("truncated.pdf"), "{}", run.stderr);
    assert!(run.stdout.contains("document(s) checked"));
}

#[test]
fn baseline_catches_a_letter_that_demands_more() {
    let dir = tempfile::tempdir().unwrap();
    let letter = dir.path().join("md-brev.md");
    let saved = dir.path().join("saved.json");
    std::fs::copy("corpus/nav-innlandet/2024-md-brev.md", &letter).unwrap();
    let run = byrde([
        "analyse".as_ref(),
        letter.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--items".as_ref(),
        "-o".as_ref(),
        saved.as_os_str(),
    ]);
    assert_eq!(run.code, 0);
    // Unchanged: within the baseline.
    let same = byrde([
        "check".as_ref(),
        letter.as_os_str(),
        "--baseline".as_ref(),
        saved.as_os_str(),
    ]);
    assert_eq!(same.code, 0, "{}", same.stdout);
    // The draft grows back into the 2023 letter: more demands.
    std::fs::copy("corpus/nav-innlandet/2023-md-brev.md", &letter).unwrap();
    let more = byrde([
        "check".as_ref(),
        letter.as_os_str(),
        "--baseline".as_ref(),
        saved.as_os_str(),
        "--fail-on".as_ref(),
        "styringsprinsipp".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(more.code, 1, "{}", more.stdout);
    let v = json(&more.stdout);
    let keys: Vec<&str> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"baseline.styringskrav") && keys.contains(&"baseline.styringsprinsipp"),
        "{keys:?}"
    );
    let principles = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == "baseline.styringsprinsipp")
        .unwrap();
    assert_eq!(
        principles["items"].as_array().unwrap().len(),
        5,
        "the five principles 2024 dropped come back as added"
    );
}

#[test]
fn check_text() {
    insta::assert_snapshot!(byrde(["check", "corpus", "--budget", BUDGET]).stdout);
}

#[test]
fn check_github_annotations() {
    let out = byrde(["check", "corpus", "--budget", BUDGET, "--format", "github"]).stdout;
    for line in out.lines() {
        assert!(line.starts_with("::error file="), "{line}");
        assert!(
            line.contains(",title=byrde ") && line.contains("::"),
            "{line}"
        );
    }
    assert!(out.contains("::error file=corpus/asd-nav/2026-tildelingsbrev.pdf,line="));
    insta::assert_snapshot!(out);
}

#[test]
fn check_json() {
    insta::assert_snapshot!(
        byrde(["check", "corpus", "--budget", BUDGET, "--format", "json"]).stdout
    );
}

#[test]
fn check_sarif_is_valid_sarif_2_1_0() {
    let run = byrde(["check", "corpus", "--budget", BUDGET, "--format", "sarif"]);
    assert_eq!(run.code, 1);
    let v = json(&run.stdout);
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    let github_lines = byrde(["check", "corpus", "--budget", BUDGET, "--format", "github"])
        .stdout
        .lines()
        .count();
    assert_eq!(results.len(), github_lines, "one result per annotated item");
    for r in results {
        assert!(r["ruleId"].as_str().is_some_and(|id| id.contains('.')));
        assert!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    }
    // The schema comes from a package registry (.ci/run fetches it); without it, say so.
    let Some(schema_path) = std::env::var_os("BYRDE_SARIF_SCHEMA") else {
        println!("skipped schema validation: BYRDE_SARIF_SCHEMA is not set");
        return;
    };
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).expect("schema file"))
            .expect("schema JSON");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The validator does reject what is not SARIF 2.1.0.
    let mut broken = v.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    insta::assert_snapshot!(run.stdout);
}
