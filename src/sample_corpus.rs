//! The sample corpus's Markdown letters, for tests that check a fast path against the
//! plain form it replaces on real wording (the scan, the layout shortcuts) or the streamed
//! path against the whole-document one. The unit tests use it as a module of the crate;
//! `tests/stream.rs` includes this file with `#[path]`, so the list is made in one place.

use std::path::{Path, PathBuf};

/// Every `corpus/*/*.md`, in path order.
pub(crate) fn markdown_letter_paths() -> Vec<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .flatten()
        .flat_map(|series| std::fs::read_dir(series.path()).expect("series").flatten())
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 14, "the sample corpus is there");
    paths
}

/// The text of every `corpus/*/*.md`, in path order.
#[allow(dead_code)] // Not used by every test crate that includes this file.
pub(crate) fn markdown_letters() -> Vec<String> {
    markdown_letter_paths()
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("UTF-8 letter"))
        .collect()
}
