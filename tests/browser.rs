//! The HTML pages as a person sees them: rendered in headless Chromium (Debian's
//! `chromium`, which `.ci/run` installs), checked from the DOM the browser built, and
//! photographed (PNG files under `target/browser/`, kept as test artifacts).
//!
//! Runs when Chromium is found (`BYRDE_CHROMIUM`, else `chromium` on PATH). With
//! `BYRDE_REQUIRE_BROWSER=1` (set by `.ci/run`) a missing browser fails the test.

mod common;

use common::html::assert_well_formed;
use common::{byrde, json, root};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BYRDE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.is_file())
            })
        })
}

fn browser_or_skip() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("BYRDE_REQUIRE_BROWSER").is_none(),
            "BYRDE_REQUIRE_BROWSER is set but no Chromium was found"
        );
        println!("skipped: no Chromium (set BYRDE_CHROMIUM or install Debian's chromium)");
    }
    found
}

/// Run headless Chromium on a local page, without network or profile state.
fn run_chromium(bin: &Path, page: &Path, extra: &[&str]) -> std::process::Output {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1600",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.path().display()));
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(format!("file://{}", page.display()));
    Command::new(bin)
        .args(&args)
        .output()
        .expect("chromium runs")
}

/// The DOM after the browser parsed and laid out the page.
fn dom(bin: &Path, page: &Path) -> String {
    let out = run_chromium(bin, page, &["--dump-dom"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 DOM")
}

fn screenshot(bin: &Path, page: &Path, name: &str) -> PathBuf {
    let dir = root().join("target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join(name);
    let _ = std::fs::remove_file(&png);
    let out = run_chromium(bin, page, &[&format!("--screenshot={}", png.display())]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000,
        "a real picture"
    );
    png
}

/// Values of an attribute in the DOM, in order.
fn attr_values<'a>(dom: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!("{attr}=\"");
    dom.match_indices(&key)
        .map(|(i, _)| {
            let rest = &dom[i + key.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect()
}

#[test]
fn letter_page_highlights_every_item_once_and_counts_match() {
    let Some(bin) = browser_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("letter.html");
    let letter = "corpus/asd-nav/2026-tildelingsbrev.pdf";
    let run = byrde([
        "analyse".as_ref(),
        letter.as_ref(),
        "--format".as_ref(),
        "html".as_ref(),
        "-o".as_ref(),
        page.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_well_formed(&std::fs::read_to_string(&page).unwrap());
    let v = json(&byrde(["analyse", letter, "--format", "json", "--items"]).stdout);
    let doc = &v["documents"][0];
    let items = doc["items"].as_array().unwrap();

    let dom = dom(&bin, &page);
    // Every item highlighted exactly once, in its own category.
    let mut ids: Vec<usize> = attr_values(&dom, "data-item")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=items.len()).collect::<Vec<_>>());
    let mut shown: Vec<&str> = attr_values(&dom, "data-category");
    let mut expected: Vec<&str> = items
        .iter()
        .map(|i| i["category"].as_str().unwrap())
        .collect();
    shown.sort_unstable();
    expected.sort_unstable();
    assert_eq!(shown, expected);
    // The counts table says what `analyse --format json` says.
    for (cat, n) in doc["summary"]["counts"].as_object().unwrap() {
        let cell = format!("data-count=\"{cat}\">{n}</td>");
        assert!(dom.contains(&cell), "{cell}");
    }
    let krav = format!(
        "data-count=\"styringskrav\">{}</td>",
        doc["summary"]["styringskrav"]
    );
    assert!(dom.contains(&krav), "{krav}");
    // Norwegian labels by default.
    assert!(dom.contains("lang=\"nb\"") && dom.contains("Rapporteringskrav"));
    screenshot(&bin, &page, "letter.png");
}

#[test]
fn trend_page_has_a_chart_per_series_and_links_to_the_letters() {
    let Some(bin) = browser_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("trend.html");
    let pages = dir.path().join("brev");
    let run = byrde([
        "trend".as_ref(),
        "corpus".as_ref(),
        "--format".as_ref(),
        "html".as_ref(),
        "--pages".as_ref(),
        pages.as_os_str(),
        "-o".as_ref(),
        page.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    assert_well_formed(&html);
    let series = json(&byrde(["trend", "corpus", "--format", "json"]).stdout)["series"]
        .as_array()
        .unwrap()
        .clone();
    let dom = dom(&bin, &page);
    assert_eq!(dom.matches("<svg").count(), series.len());
    for s in &series {
        for y in s["years"].as_array().unwrap() {
            let krav = format!(
                "<td>{}</td><td>{}</td></tr>",
                y["summary"]["styringskrav"], y["summary"]["ka_total"]
            );
            assert!(dom.contains(&krav), "{} {}: {krav}", s["name"], y["year"]);
        }
    }
    // Each year links to its letters' pages, and those pages exist.
    let links = attr_values(&dom, "href");
    assert!(!links.is_empty());
    for href in links {
        assert!(dir.path().join(href).is_file(), "{href}");
        assert_well_formed(&std::fs::read_to_string(dir.path().join(href)).unwrap());
    }
    screenshot(&bin, &page, "trend.png");
}

#[test]
fn english_labels_on_request() {
    let Some(bin) = browser_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("letter.html");
    let run = byrde([
        "analyse".as_ref(),
        "corpus/nav-innlandet/2024-md-brev.md".as_ref(),
        "--format".as_ref(),
        "html".as_ref(),
        "--lang".as_ref(),
        "en".as_ref(),
        "-o".as_ref(),
        page.as_os_str(),
    ]);
    assert_eq!(run.code, 0);
    let dom = dom(&bin, &page);
    assert!(
        dom.contains("lang=\"en\"")
            && dom.contains("Reporting demands")
            && dom.contains("Governance principles")
    );
}
