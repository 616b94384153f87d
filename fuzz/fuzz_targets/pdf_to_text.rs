//! PDF bytes → pages of positioned lines (`ingest`), the stage that runs third-party code.
//!
//! Panics inside pdf-extract are caught per page by byrde (and reported as a failed page),
//! so the quiet panic hook is installed on top of libFuzzer's: only a panic outside the
//! guarded extraction, a stack overflow, a hang or runaway memory counts as a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::Once;

static HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(byrde::ingest::install_quiet_panic_hook);
    // Always take the PDF path, even when the mutator drops the header.
    let mut bytes = Vec::with_capacity(data.len() + 8);
    if !data.starts_with(b"%PDF-") {
        bytes.extend_from_slice(b"%PDF-1.7\n");
    }
    bytes.extend_from_slice(data);
    if let Ok(doc) = byrde::ingest::read_bytes(Path::new("fuzz.pdf"), &bytes) {
        let _ = doc.char_count();
        let _ = byrde::layout::layout(&doc);
    }
});
