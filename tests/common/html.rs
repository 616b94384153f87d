//! A strict check of the HTML byrde writes: every element closed in order (void elements
//! written `<br/>`), attributes quoted, no scripts, and no external references, so a page
//! works from a file and as an e-mail attachment.

const VOID: &[&str] = &["meta", "br", "hr", "img", "input", "link", "col", "wbr"];

/// Panics with a message when `html` is not well-formed or refers outside itself.
pub fn assert_well_formed(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"), "no doctype");
    for bad in ["<script", "http://", "https://", "src=", "url(", "@import"] {
        assert!(!html.contains(bad), "external reference or script: {bad}");
    }
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    let mut raw_until: Option<String> = None; // inside <style> or <title>
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        if raw_until.is_none() {
            assert!(
                !text.contains('>'),
                "stray '>' in text near {:?}",
                &text[text.len().saturating_sub(40)..]
            );
        }
        rest = &rest[start..];
        if let Some(end_tag) = &raw_until {
            if !rest.starts_with(end_tag.as_str()) {
                rest = &rest[1..];
                continue;
            }
            raw_until = None;
        }
        let end = rest
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag at {:?}", &rest[..rest.len().min(40)]));
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue; // doctype or comment
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let name: String = tag
            .trim_end_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        assert!(!name.is_empty(), "empty tag");
        check_attributes(tag);
        if VOID.contains(&name.as_str()) {
            assert!(self_closing, "<{name}> must be written <{name}/>");
            continue;
        }
        if self_closing {
            continue; // SVG shapes
        }
        if name == "style" || name == "title" {
            raw_until = Some(format!("</{name}>"));
        }
        stack.push(name);
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
}

fn check_attributes(tag: &str) {
    let mut quotes = 0;
    for c in tag.chars() {
        if c == '"' {
            quotes += 1;
        }
    }
    assert!(quotes % 2 == 0, "unbalanced quotes in <{tag}>");
}
