//! The vendored pdf-extract decodes content streams with its own fast decoder where it can
//! (see vendor/pdf-extract/src/fast_content.rs); where it does, the operations must be
//! exactly those lopdf's parser gives. Checked on every page of every PDF in the sample
//! corpus and the test fixtures, and of the real PDFs when BYRDE_REAL_PDFS is set.

use pdf_extract::content::Content;
use std::path::{Path, PathBuf};

fn pdfs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            pdfs(&p, out);
        } else if p.extension().is_some_and(|x| x == "pdf") {
            out.push(p);
        }
    }
}

#[test]
fn the_fast_content_decoder_agrees_with_lopdf() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    pdfs(&root.join("corpus"), &mut files);
    pdfs(&root.join("tests/fixtures"), &mut files);
    if let Ok(dir) = std::env::var("BYRDE_REAL_PDFS") {
        pdfs(Path::new(&dir), &mut files);
    }
    let (mut pages, mut fast) = (0, 0);
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let Ok(mut doc) = pdf_extract::Document::load_mem(&bytes) else {
            continue;
        };
        if doc.is_encrypted() && doc.decrypt("").is_err() {
            continue;
        }
        for (n, id) in doc.get_pages() {
            let Ok(data) = doc.get_page_content(id) else {
                continue;
            };
            pages += 1;
            let Some(mine) = pdf_extract::fast_content::decode(&data) else {
                continue;
            };
            fast += 1;
            let theirs = Content::decode(&data).expect("lopdf decodes what the fast decoder did");
            assert_eq!(
                mine.operations.len(),
                theirs.operations.len(),
                "{} page {n}: number of operations",
                f.display()
            );
            for (k, (a, b)) in mine.operations.iter().zip(&theirs.operations).enumerate() {
                assert!(
                    a.operator == b.operator && a.operands == b.operands,
                    "{} page {n}, operation {k}: {:?} {:?} vs lopdf {:?} {:?}",
                    f.display(),
                    a.operator,
                    a.operands,
                    b.operator,
                    b.operands
                );
            }
        }
    }
    assert!(pages > 50, "pages read: {pages}");
    assert!(
        fast * 2 > pages,
        "the fast decoder took only {fast} of {pages} pages"
    );
}

#[test]
fn strings_numbers_and_arrays_decode_as_lopdf_decodes_them() {
    let streams: &[&[u8]] = &[
        b"BT /F1 12 Tf 72 712 Td (Hello\\051 \\(world\\) \\\\ \\n\\r\\t\\b\\f\\101\\0) Tj ET",
        b"[(A) -250 (B) 12.5 <4142 43> (n(e)st)] TJ 1.5.3 -.5 +3 10. 5-3 re\n(a\r\nb\\\r\nc) '",
        b"q 1 0 0 1 0 0 cm /Name#20x Do Q",
        b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI",
        b"% comment\n1 g",
        b"<< /A 1 >> BDC EMC",
        b"[1 0 R] TJ",
        b"1 2 3",
        b"true Tj",
        b"(unclosed Tj",
        b"<4g> Tj",
        b"99999999999999999999 Tj",
    ];
    for s in streams {
        let theirs = Content::decode(s).ok();
        if let Some(mine) = pdf_extract::fast_content::decode(s) {
            let theirs = theirs.expect("lopdf decodes it too");
            assert_eq!(mine.operations.len(), theirs.operations.len(), "{s:?}");
            for (a, b) in mine.operations.iter().zip(&theirs.operations) {
                assert!(
                    a.operator == b.operator && a.operands == b.operands,
                    "{s:?}: {a:?} vs {b:?}"
                );
            }
        }
    }
    // The first two are the common case and must not need lopdf.
    assert!(pdf_extract::fast_content::decode(streams[0]).is_some());
    assert!(pdf_extract::fast_content::decode(streams[1]).is_some());
}
