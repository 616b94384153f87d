//! The sample corpus's Markdown letters, for unit tests that check a fast path against the
//! plain form it replaces on real wording (the scan, the layout shortcuts).

use std::path::Path;

/// The text of every `corpus/*/*.md`, in path order.
pub(crate) fn markdown_letters() -> Vec<String> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<_> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .flatten()
        .flat_map(|series| std::fs::read_dir(series.path()).expect("series").flatten())
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    let letters: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("UTF-8 letter"))
        .collect();
    assert!(letters.len() >= 14, "the sample corpus is there");
    letters
}
