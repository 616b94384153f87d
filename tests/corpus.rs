//! The sample corpus with its expected counts: every count of every document is exact,
//! read from the Markdown source and from the LibreOffice PDF alike.

use byrde::analysis::analyse_path;
use byrde::eval::{evaluate_file, find_expected, Source};
use byrde::rules::RuleSet;
use std::path::Path;

#[test]
fn every_corpus_count_is_exact_from_text_and_pdf() {
    let rules = RuleSet::defaults().expect("default rules");
    let files = find_expected(Path::new("corpus"));
    assert!(files.len() >= 12, "the corpus has at least 12 documents");
    let mut failures = Vec::new();
    let mut renderings = 0;
    for f in &files {
        let evals = evaluate_file(f, &[Source::Text, Source::Pdf], &|p| {
            analyse_path(p, &rules)
        });
        assert_eq!(
            evals.len(),
            2,
            "{}: text and PDF are both there",
            f.display()
        );
        for e in evals {
            renderings += 1;
            if !e.exact() {
                failures.push(format!(
                    "{} ({:?}): {:?} {:?} {:?}",
                    e.document, e.source, e.error, e.count_diffs, e.misses
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {renderings} not exact:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_has_four_series_over_three_years_in_both_written_standards() {
    let rules = RuleSet::defaults().expect("default rules");
    let mut series = std::collections::BTreeSet::new();
    let mut years = std::collections::BTreeSet::new();
    let mut languages = std::collections::BTreeSet::new();
    for f in find_expected(Path::new("corpus")) {
        series.insert(f.parent().unwrap().to_path_buf());
        let text = f.to_string_lossy().replace(".expected.json", ".md");
        let a = byrde::analysis::analyse_path(Path::new(&text), &rules).expect("analyses");
        years.insert(a.meta.year.expect("year found"));
        languages.insert(a.meta.language.clone());
    }
    assert!(series.len() >= 4, "{series:?}");
    assert!(years.len() >= 3, "{years:?}");
    assert_eq!(languages.into_iter().collect::<Vec<_>>(), ["nb", "nn"]);
}
