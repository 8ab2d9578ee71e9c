//! The seed story page in a real browser (headless Chromium): the coverage table is there,
//! the simplified/traditional switch changes the text, and the choice is remembered.
//!
//! Skipped with a message when `chromium` is not installed, unless `CI=true` (`.ci/run`
//! installs it). The screenshot is saved as `$CARGO_TARGET_TMPDIR/story.png`, and also to
//! `$NEWSLOOM_SCREENSHOT` when set (that is how `docs/story.png` is made).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use newsloom_site::{SiteOptions, build_site};
use newsloom_store::Store;
use newsloom_text::TextLayer;

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        let ok = Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some(PathBuf::from(name));
        }
    }
    None
}

/// Runs chromium headless with `extra` args on `url`; returns stdout. Kills it after 90 s.
fn run(browser: &Path, profile: &Path, extra: &[&str], url: &str) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 90 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().expect("reader")
}

#[test]
fn story_page_in_headless_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium is required under CI=true (.ci/run installs it)");
        }
        eprintln!("skipping story_page_in_headless_chromium: chromium is not installed");
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let layer = TextLayer::default();
    // The seeds as `newsloom digest` stores them: one story of five articles.
    let db = common::seed_store(tmp.path());
    let store = Store::open_read_only(&db).expect("store");
    let out = tmp.path().join("site");
    build_site(&store, &layer, &out, &SiteOptions::default()).expect("site");
    let story = common::files(&out.join("stories"), "html")
        .into_iter()
        .next()
        .expect("story page");
    let url = format!("file://{}", story.canonicalize().expect("path").display());

    // As written: each outlet in its own script, coverage table with every article.
    let profile = tmp.path().join("profile-a");
    let dom = run(&browser, &profile, &["--dump-dom"], &url);
    assert!(
        dom.contains("data-script=\"orig\""),
        "script did not run:\n{}",
        &dom[..dom.len().min(2000)]
    );
    let doc = scraper::Html::parse_document(&dom);
    let rows = scraper::Selector::parse("#coverage-table tbody tr").expect("selector");
    assert_eq!(doc.select(&rows).count(), 5);
    let text = common::visible_text(&dom);
    assert!(text.contains("稳如泰山") && text.contains("穩如泰山"));

    // ?script=hant: every text in traditional characters.
    let dom = run(
        &browser,
        &profile,
        &["--dump-dom"],
        &format!("{url}?script=hant"),
    );
    assert!(dom.contains("data-script=\"hant\""));
    let text = common::visible_text(&dom);
    assert!(
        text.contains("穩如泰山") && !text.contains("稳如泰山"),
        "hant switch failed"
    );
    assert!(text.contains("美國之音"));

    // The choice is remembered (localStorage): the same profile without the parameter.
    let dom = run(&browser, &profile, &["--dump-dom"], &url);
    assert!(
        dom.contains("data-script=\"hant\""),
        "choice not remembered"
    );

    // ?script=hans: every text in simplified characters.
    let dom = run(
        &browser,
        &profile,
        &["--dump-dom"],
        &format!("{url}?script=hans"),
    );
    let text = common::visible_text(&dom);
    assert!(
        text.contains("稳如泰山") && !text.contains("穩如泰山"),
        "hans switch failed"
    );
    assert!(text.contains("中央社") && !text.contains("美國之音"));

    // Screenshot of the page as a reader first sees it.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("story.png");
    let _ = std::fs::remove_file(&shot);
    let profile = tmp.path().join("profile-b");
    run(
        &browser,
        &profile,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,2700",
            "--force-device-scale-factor=1",
        ],
        &url,
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "screenshot too small"
    );
    eprintln!("screenshot: {}", shot.display());
    if let Ok(dest) = std::env::var("NEWSLOOM_SCREENSHOT") {
        std::fs::copy(&shot, &dest).expect("copy screenshot");
    }
}
