//! The hand-judged sample of mined links (`tests/fixtures/mined_sample.tsv`, 100 links drawn
//! from mining agora-pen-2411 and the seeds, each judged by reading its context): the judged
//! precision must stay at or above 0.95, and the miner must still find the links judged right
//! in their example contexts.

use newsloom_text::{extract_links, latin_key};

#[test]
fn judged_sample_precision_and_regression() {
    let text = include_str!("fixtures/mined_sample.tsv");
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 100);
    let ok: Vec<&Vec<&str>> = rows.iter().filter(|r| r.get(5) == Some(&"ok")).collect();
    let precision = ok.len() as f64 / rows.len() as f64;
    assert!(precision >= 0.95, "judged precision {precision}");

    // Contexts are cut at 16 characters before the link, so a form longer than what the
    // context keeps, or one folded from a prefixed spelling, may not reappear verbatim.
    let mut found = 0;
    for r in &ok {
        let (form, latins, example) = (r[0], r[2], r[4]);
        let keys: Vec<String> = latins.split(" | ").map(latin_key).collect();
        if extract_links(example)
            .iter()
            .any(|l| l.form.ends_with(form) && keys.contains(&latin_key(&l.latin)))
        {
            found += 1;
        }
    }
    assert!(
        found * 10 >= ok.len() * 9,
        "only {found} of {} judged-right links re-found",
        ok.len()
    );
}
