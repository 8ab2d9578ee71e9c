//! A stand-in [`TextView`] for development: traditional→simplified (OpenCC t2s) on top of the
//! basic width/case folding. The real matching form (with regional name variants) comes from
//! `newsloom-text`.

use newsloom_cluster::{BasicText, TextView};

pub struct StandinText {
    t2s: ferrous_opencc::OpenCC,
}

impl StandinText {
    pub fn new() -> anyhow::Result<Self> {
        Ok(StandinText {
            t2s: ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s)?,
        })
    }
}

impl TextView for StandinText {
    fn matching_form(&self, text: &str) -> String {
        BasicText.matching_form(&self.t2s.convert(text))
    }
}
