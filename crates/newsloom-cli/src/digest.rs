//! `newsloom digest`, `newsloom stories` and `newsloom story`: the store-backed commands.

use crate::report;
use crate::text::alias_table;
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Args;
use newsloom_digest::{DigestOptions, DigestReport, digest};
use newsloom_store::{Store, StoryDetail, StoryFilter, StorySummary};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct DigestArgs {
    /// Files and folders of news to read (folders recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The database (created if missing).
    #[arg(long, default_value = "newsloom.db")]
    pub db: PathBuf,
    /// Also write every story with its events and articles as JSON to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Mined aliases to use besides the curated table.
    #[arg(long)]
    pub mined: Option<PathBuf>,
    /// Stories to show in the terminal, newest first (0: none).
    #[arg(long, default_value_t = 10)]
    pub show: usize,
    /// Worker threads (default: one per core).
    #[arg(short, long, default_value_t = 0)]
    pub jobs: usize,
    /// Documents written per transaction (smaller: less work redone after a crash).
    #[arg(long, default_value_t = 256)]
    pub batch_documents: usize,
}

#[derive(Args)]
pub struct StoriesArgs {
    #[arg(long, default_value = "newsloom.db")]
    pub db: PathBuf,
    /// Only stories with an article on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<NaiveDate>,
    /// Only stories an outlet covered (its id: cna, voa, …).
    #[arg(long)]
    pub outlet: Option<String>,
    /// At most this many stories.
    #[arg(long)]
    pub limit: Option<usize>,
    /// JSON instead of the terminal listing.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct StoryArgs {
    /// The story id (`newsloom stories` lists them).
    pub id: String,
    #[arg(long, default_value = "newsloom.db")]
    pub db: PathBuf,
    /// JSON instead of the terminal view.
    #[arg(long)]
    pub json: bool,
}

pub fn run_digest(args: DigestArgs, quiet: bool) -> Result<ExitCode> {
    let mut store = Store::open(&args.db)?;
    let aliases = alias_table(args.mined.as_deref())?;
    let mut summary = newsloom_ingest::Summary::default();
    let total: u64 = newsloom_ingest::collect_inputs(&args.paths, &mut summary)
        .iter()
        .map(|i| i.size)
        .sum();
    let bar = report::progress_bar(total, quiet);
    let options = DigestOptions {
        aliases,
        jobs: args.jobs,
        command: command_line(),
        ..DigestOptions::default()
    };
    let outcome = digest(&mut store, &args.paths, &options, &|bytes| bar.inc(bytes));
    bar.finish_and_clear();
    let outcome = outcome.with_context(|| format!("digest into {}", args.db.display()))?;
    if let Some(path) = &args.json {
        write_stories_json(&store, path)?;
    }
    if !quiet && args.show > 0 {
        let stories = store.stories(&StoryFilter {
            limit: Some(args.show),
            ..StoryFilter::default()
        })?;
        print_stories(&stories)?;
    }
    print_digest_summary(&outcome, &store, quiet)?;
    Ok(report::exit_code(&outcome.summary))
}

fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}

fn print_digest_summary(outcome: &DigestReport, store: &Store, quiet: bool) -> Result<()> {
    report::print_summary(&outcome.summary, quiet);
    if quiet {
        return Ok(());
    }
    let counts = store.counts()?;
    eprintln!(
        "parsed {} documents, {} unchanged (not parsed again); {} new and {} revised articles; {} placed into events",
        outcome.parsed,
        outcome.unchanged,
        outcome.new_articles,
        outcome.revised_articles,
        outcome.clustered
    );
    eprintln!(
        "store {}: {} articles, {} events, {} stories",
        store.path().display(),
        counts.articles,
        counts.events,
        counts.stories
    );
    Ok(())
}

/// Every story with its events and articles, newest first.
fn write_stories_json(store: &Store, path: &Path) -> Result<()> {
    let summaries = store.stories(&StoryFilter::default())?;
    let mut details: Vec<StoryDetail> = Vec::with_capacity(summaries.len());
    for s in &summaries {
        if let Some(d) = store.story(&s.id)? {
            details.push(d);
        }
    }
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "stories": details }))?;
    writeln!(out)?;
    out.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

pub fn run_stories(args: StoriesArgs) -> Result<ExitCode> {
    let store = open_existing(&args.db)?;
    let mut filter = StoryFilter {
        outlet_id: args.outlet,
        limit: args.limit,
        ..StoryFilter::default()
    };
    if let Some(day) = args.since {
        filter = filter.since_date(day);
    }
    let stories = store.stories(&filter)?;
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "stories": stories }))?;
        writeln!(out)?;
    } else {
        print_stories(&stories)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_story(args: StoryArgs) -> Result<ExitCode> {
    let store = open_existing(&args.db)?;
    let Some(story) = store.story(&args.id)? else {
        bail!("no story {} in {}", args.id, args.db.display());
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        // The cross-source view (coverage, timeline, shared facts, quotes, copies, summary)
        // together with the story's events and articles.
        let layer = crate::site::layer_of(&store)?;
        let view = newsloom_view::story_view_from_store(&store, &layer, &story.id)?;
        // One object: the story's own fields (id, title, outlets, events, …) and the view's
        // (coverage, timeline, shared_facts, single_source, quotes, copied_passages, summary).
        let mut json = serde_json::to_value(&story)?;
        if let (Some(fields), serde_json::Value::Object(view)) =
            (json.as_object_mut(), serde_json::to_value(&view)?)
        {
            fields.extend(view);
        }
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}  [{}]", story.title, story.id)?;
    let outlets: Vec<String> = story
        .outlets
        .iter()
        .map(|o| format!("{} ({})", o.name, o.articles))
        .collect();
    writeln!(
        out,
        "  {} · {} · {}",
        span(story.first_published, story.last_published),
        articles(story.article_count),
        outlets.join(", ")
    )?;
    for event in &story.events {
        writeln!(out, "\n  ▸ {}  {}", day(event.first_published), event.title)?;
        for a in &event.articles {
            let dup = a
                .duplicate_of
                .as_ref()
                .map(|d| format!("  (copy of {d})"))
                .unwrap_or_default();
            writeln!(
                out,
                "      {:<16} {}  {}{}",
                a.outlet,
                day(a.published),
                a.title,
                dup
            )?;
        }
    }
    if !story.passages.is_empty() {
        writeln!(out, "\n  {} reused passages", story.passages.len())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The reading commands never create a database: a missing one is a clear error.
pub(crate) fn open_existing(path: &Path) -> Result<Store> {
    if !path.exists() {
        bail!(
            "{}: no such database (run `newsloom digest PATH --db {}` first)",
            path.display(),
            path.display()
        );
    }
    Ok(Store::open_read_only(path)?)
}

/// "1 article", "5 articles".
fn articles(n: usize) -> String {
    if n == 1 {
        "1 article".into()
    } else {
        format!("{n} articles")
    }
}

/// Newest first: title, outlets, time span, number of articles, event timeline.
fn print_stories(stories: &[StorySummary]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for s in stories {
        let outlets: Vec<&str> = s.outlets.iter().map(|o| o.name.as_str()).collect();
        writeln!(out, "{}", s.title)?;
        writeln!(
            out,
            "  {} · {} · {} · {}",
            span(s.first_published, s.last_published),
            articles(s.article_count),
            outlets.join(", "),
            s.id
        )?;
        for e in &s.events {
            writeln!(
                out,
                "    {}  {} ({})",
                day(e.first_published),
                e.title,
                e.article_count
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

type Time = Option<chrono::DateTime<chrono::FixedOffset>>;

fn day(t: Time) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "    ?     ".into())
}

fn span(first: Time, last: Time) -> String {
    let (a, b) = (day(first), day(last));
    if a == b { a } else { format!("{a} – {b}") }
}
