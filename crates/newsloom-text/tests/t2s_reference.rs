//! newsloom's embedded t2s against the reference implementation (ferrous-opencc, OpenCC's
//! dictionaries and algorithm) on the seed texts and on tricky phrase cases.

use ferrous_opencc::{OpenCC, config::BuiltinConfig};

#[test]
fn t2s_equals_reference_on_seeds_and_phrases() {
    let reference = OpenCC::from_config(BuiltinConfig::T2s).expect("built-in t2s config");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .expect("seeds dir")
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).expect("seed readable"))
        .collect();
    texts.extend(
        [
            "乾隆皇帝乾燥",
            "著名的著作",
            "於是乎",
            "一隻隻",
            "理髮與發展",
            "後天的皇后",
            "瞭解了",
            "甚麼",
            "𠮷野家",
        ]
        .map(String::from),
    );
    for t in &texts {
        for line in t.lines() {
            assert_eq!(
                newsloom_text::t2s(line),
                reference.convert(line),
                "line: {line}"
            );
        }
    }
}
