//! `byrde check` as GitHub Actions workflow commands: one `::error` annotation per item that
//! broke a limit, on its file and line, so a reviewer sees the sentence in the pull request.

use crate::check::Outcome;
use crate::report::display_path;
use std::fmt::Write;

/// Escape a command's message (GitHub's rules for workflow commands).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property (file, title): also ':' and ','.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(o: &Outcome) -> String {
    let mut out = String::new();
    for v in &o.violations {
        let title = property(&format!("byrde {}", v.key));
        if v.items.is_empty() {
            let _ = writeln!(
                out,
                "::error file={},title={title}::{}",
                property(&display_path(&v.file)),
                data(&v.message)
            );
        }
        for c in &v.items {
            let _ = writeln!(
                out,
                "::error file={},line={},title={title}::{}",
                property(&display_path(&c.file)),
                c.line,
                data(&format!(
                    "{} — {} (page {}): {}",
                    v.message, c.category, c.page, c.text
                ))
            );
        }
    }
    out
}
