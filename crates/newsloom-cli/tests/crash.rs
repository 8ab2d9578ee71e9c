//! Crash safety of `newsloom digest`: SIGKILL it at random moments, rerun, and the store ends
//! exactly as after a clean run (same articles, events and stories).

use newsloom_store::{ClusterMembership, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds")
}

/// A corpus of distinct articles made from the seeds: each copy gets its own original URL and
/// title, so every file is a separate article with the seed's text.
fn make_corpus(dir: &Path, copies: usize) {
    let seeds: Vec<(String, String)> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    for i in 0..copies {
        let (name, text) = &seeds[i % seeds.len()];
        let text = text
            .replace("1029612.html", &format!("{i}-1029612.html"))
            .replace("1029400.html", &format!("{i}-1029400.html"))
            .replace("6974233.html", &format!("{i}-6974233.html"))
            .replace("a103642134.html", &format!("{i}-a103642134.html"))
            .replace("202302220400.aspx", &format!("202302220400{i}.aspx"));
        std::fs::write(dir.join(format!("{i:04}-{name}")), text).unwrap();
    }
}

fn digest(corpus: &Path, db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsloom"));
    cmd.args(["-q", "digest"])
        .arg(corpus)
        .arg("--db")
        .arg(db)
        .args(["--batch-documents", "8", "--show", "0", "--jobs", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Articles and the whole clustering, after an integrity check.
fn shape(db: &Path) -> (u64, ClusterMembership) {
    let store = Store::open_read_only(db).unwrap();
    assert!(store.integrity_check().unwrap().is_empty());
    (
        store.counts().unwrap().articles,
        store.cluster_membership().unwrap(),
    )
}

/// A small deterministic generator (xorshift); the seed is printed so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn sigkill_at_random_points_then_rerun_equals_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    make_corpus(&corpus, 240);

    let clean_db = dir.path().join("clean.db");
    let started = Instant::now();
    assert!(digest(&corpus, &clean_db).status().unwrap().success());
    let clean_time = started.elapsed();
    let clean = shape(&clean_db);
    assert_eq!(clean.0, 240);

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("crash test seed {seed}, clean run {clean_time:?}");
    let mut rng = Rng(seed);
    let crashed_db = dir.path().join("crashed.db");
    let budget = clean_time.as_millis() as u64;
    let mut killed = 0;
    for _ in 0..5 {
        let mut child = digest(&corpus, &crashed_db).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(rng.below(budget)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        child.wait().unwrap();
        // Whatever the moment, the database is consistent.
        let store = Store::open_read_only(&crashed_db);
        if let Ok(store) = store {
            assert!(store.integrity_check().unwrap().is_empty());
        }
    }
    eprintln!("killed {killed} of 5 runs");
    assert!(digest(&corpus, &crashed_db).status().unwrap().success());
    assert_eq!(shape(&crashed_db), clean);
}
