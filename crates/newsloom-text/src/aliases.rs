//! Regional name variants: the curated table, the mined aliases, and how they resolve into
//! alias groups (one canonical name, many surface variants).
//!
//! The same person is 普京 in Beijing, 普丁 in Taipei and 蒲亭 at CNA; 賀錦麗 in Taiwan is
//! 哈里斯 everywhere else. A group has one canonical form (the mainland spelling when the
//! curated table knows the name, otherwise the most frequent simplified spelling) and an id
//! `kind:canonical` that is the same across scripts and variants.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::TextError;
use crate::convert::name_key;
use crate::mining::{MinedAliases, MinedName, guess_kind, latin_key, looks_like_person};

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    Place,
    Org,
    /// Named things that are none of the above: terms and acronyms (GDP, 國內生產毛額),
    /// products, events. Canonicalized for matching, not reported as entities.
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Org => "org",
            EntityKind::Other => "other",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "person" => Some(EntityKind::Person),
            "place" => Some(EntityKind::Place),
            "org" => Some(EntityKind::Org),
            "other" => Some(EntityKind::Other),
            _ => None,
        }
    }
}

/// One line of the curated table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CuratedEntry {
    pub kind: EntityKind,
    /// The canonical (mainland) spelling.
    pub canonical: String,
    /// Other spellings, in either script.
    pub variants: Vec<String>,
    /// Latin names the entity goes by (`Vladimir Putin`); they tie mined names to this entry.
    pub latin: Vec<String>,
}

/// The curated table shipped with the crate (`data/aliases.tsv`).
const CURATED_TSV: &str = include_str!("../data/aliases.tsv");

/// Curated and mined name variants. Build one with [`AliasTable::curated`] (the shipped table)
/// and add mined aliases with [`AliasTable::with_mined`]; [`crate::TextLayer::new`] compiles it.
#[derive(Debug, Clone, Default)]
pub struct AliasTable {
    curated: Vec<CuratedEntry>,
    /// Ordinary words that contain a short variant and must not be rewritten.
    blockers: Vec<String>,
    mined: MinedAliases,
}

/// One surface variant of an alias group, as `newsloom aliases` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasVariant {
    /// The spelling as outlets write it (`賀錦麗`).
    pub form: String,
    /// How often mining saw it next to one of the group's Latin names (0 for curated-only).
    pub count: u64,
    /// Short contexts where mining saw it.
    pub examples: Vec<String>,
    /// True when the curated table lists it.
    pub curated: bool,
    /// True when mining also saw this spelling for another group: it is listed but not used.
    pub ambiguous: bool,
}

/// An alias group: every spelling of one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasGroup {
    /// `kind:canonical`, e.g. `person:普京`.
    pub id: String,
    pub kind: EntityKind,
    /// The canonical form every variant is rewritten to in matching forms.
    pub canonical: String,
    pub variants: Vec<AliasVariant>,
    /// Latin names seen with (or curated for) the group.
    pub latin: Vec<String>,
    /// True when the group comes from the curated table (possibly extended by mining).
    pub curated: bool,
}

impl AliasGroup {
    fn new(kind: EntityKind, canonical: String, curated: bool) -> Self {
        AliasGroup {
            id: format!("{}:{}", kind.as_str(), canonical),
            kind,
            canonical,
            variants: Vec::new(),
            latin: Vec::new(),
            curated,
        }
    }

    fn variant_mut(&mut self, form: &str) -> &mut AliasVariant {
        let pos = match self.variants.iter().position(|v| v.form == form) {
            Some(p) => p,
            None => {
                self.variants.push(AliasVariant {
                    form: form.to_string(),
                    count: 0,
                    examples: Vec::new(),
                    curated: false,
                    ambiguous: false,
                });
                self.variants.len() - 1
            }
        };
        &mut self.variants[pos]
    }
}

impl AliasTable {
    /// The curated table shipped with the crate, without mined aliases.
    pub fn curated() -> Self {
        // The shipped file is checked by the crate's tests; a broken line there is a build bug,
        // and falls back to an empty table rather than taking the process down.
        Self::parse_tsv(CURATED_TSV, "data/aliases.tsv").unwrap_or_default()
    }

    /// Parses a curated table in the `data/aliases.tsv` format; `origin` names it in errors.
    pub fn parse_tsv(text: &str, origin: &str) -> Result<Self, TextError> {
        let mut table = AliasTable::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let bad = |reason: &str| TextError::Table {
                origin: origin.to_string(),
                line: n + 1,
                reason: reason.to_string(),
            };
            let kind_col = cols.first().copied().unwrap_or_default();
            let canonical = cols.get(1).map(|s| s.trim()).unwrap_or_default();
            if canonical.is_empty() {
                return Err(bad("missing canonical form (second column)"));
            }
            if kind_col == "block" {
                table.blockers.push(canonical.to_string());
                continue;
            }
            let kind = EntityKind::parse(kind_col)
                .ok_or_else(|| bad("kind must be person, place, org or block"))?;
            let split = |i: usize| -> Vec<String> {
                cols.get(i)
                    .map(|s| {
                        s.split('|')
                            .map(str::trim)
                            .filter(|v| !v.is_empty())
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            table.curated.push(CuratedEntry {
                kind,
                canonical: canonical.to_string(),
                variants: split(2),
                latin: split(3),
            });
        }
        Ok(table)
    }

    /// Adds mined aliases (replacing any previously added).
    pub fn with_mined(mut self, mined: MinedAliases) -> Self {
        self.mined = mined;
        self
    }

    /// The curated table plus the mined aliases saved at `path` (see [`MinedAliases::save`]).
    pub fn curated_with_mined_file(path: &Path) -> Result<Self, TextError> {
        Ok(Self::curated().with_mined(MinedAliases::load(path)?))
    }

    pub fn curated_entries(&self) -> &[CuratedEntry] {
        &self.curated
    }

    pub fn blockers(&self) -> &[String] {
        &self.blockers
    }

    pub fn mined(&self) -> &MinedAliases {
        &self.mined
    }

    /// Resolves curated entries and mined names into alias groups, sorted by id. This is what
    /// `newsloom aliases` lists and what matching uses.
    pub fn groups(&self) -> Vec<AliasGroup> {
        let mut groups = resolve(self);
        groups.sort_by(|a, b| a.id.cmp(&b.id));
        groups
    }
}

/// Builds groups: curated entries first, then mined names attached through their Latin name
/// or through a spelling a group already has; a mined name touching two groups only adds to
/// the group its Latin name belongs to, and never moves a spelling between groups.
fn resolve(table: &AliasTable) -> Vec<AliasGroup> {
    let mut groups: Vec<AliasGroup> = Vec::new();
    let mut by_form: HashMap<String, usize> = HashMap::new();
    let mut by_latin: HashMap<String, usize> = HashMap::new();

    for entry in &table.curated {
        let canonical = name_key(&entry.canonical);
        let idx = match by_form.get(&canonical) {
            // The same canonical twice (a name listed under two kinds): keep the first.
            Some(&i) => i,
            None => {
                groups.push(AliasGroup::new(entry.kind, canonical.clone(), true));
                groups.len() - 1
            }
        };
        for form in std::iter::once(&entry.canonical).chain(entry.variants.iter()) {
            let key = name_key(form);
            if let Some(&other) = by_form.get(&key)
                && other != idx
            {
                continue;
            }
            by_form.insert(key, idx);
            if let Some(g) = groups.get_mut(idx) {
                g.variant_mut(form).curated = true;
            }
        }
        for latin in &entry.latin {
            by_latin.entry(latin_key(latin)).or_insert(idx);
            if let Some(g) = groups.get_mut(idx)
                && !g.latin.contains(latin)
            {
                g.latin.push(latin.clone());
            }
        }
    }

    for (key, name) in merged_mined_names(&table.mined, &by_latin) {
        attach_mined(&mut groups, &mut by_form, &mut by_latin, &key, &name);
    }
    groups
}

/// Mined names keyed by Latin name, with surname-only names (`Putin`) folded into the one full
/// name that ends with that surname (`Vladimir Putin`), but only when the two share a Chinese
/// spelling or the surname's spelling ends the full name's spelling (普京 / 弗拉基米尔·普京):
/// `Harris` alone is ambiguous between people and stays its own name.
fn merged_mined_names(
    mined: &MinedAliases,
    curated_latin: &HashMap<String, usize>,
) -> BTreeMap<String, MinedName> {
    let mut full_by_surname: HashMap<String, Vec<String>> = HashMap::new();
    for key in mined.names.keys().chain(curated_latin.keys()) {
        if let Some((_, last)) = key.rsplit_once(' ') {
            let list = full_by_surname.entry(last.to_string()).or_default();
            if !list.contains(key) {
                list.push(key.clone());
            }
        }
    }
    let mut out: BTreeMap<String, MinedName> = BTreeMap::new();
    for (key, name) in &mined.names {
        let mut target = key.clone();
        if !key.contains(' ')
            && let Some([full]) = full_by_surname.get(key).map(Vec::as_slice)
        {
            let full_forms: Vec<String> = mined
                .names
                .get(full)
                .map(|n| n.forms.keys().map(|f| name_key(f)).collect())
                .unwrap_or_default();
            let related = name.forms.keys().map(|f| name_key(f)).any(|f| {
                full_forms
                    .iter()
                    .any(|g| *g == f || g.ends_with(&format!("·{f}")))
            });
            if related {
                target = full.clone();
            }
        }
        let slot = out.entry(target).or_insert_with(|| MinedName {
            latin: name.latin.clone(),
            kind: name.kind,
            forms: BTreeMap::new(),
        });
        if slot.kind.is_none() {
            slot.kind = name.kind;
        }
        for (form, stats) in &name.forms {
            slot.forms.entry(form.clone()).or_default().merge(stats);
        }
    }
    // Only people: for organizations the words in front are often part of the name
    // (自由民主党 is not 民主党).
    for (key, name) in out.iter_mut() {
        reduce_prefixed_forms(name, mined_kind(key, name) == EntityKind::Person);
    }
    // A Latin word after many unrelated phrases, each once, is a photo credit or a stray
    // gloss (`…废墟(Shutterstock)`), not a name.
    out.retain(|_, name| {
        let max = name.forms.values().map(|s| s.count).max().unwrap_or(0);
        !(name.forms.len() >= 3 && max <= 1)
    });
    out
}

fn attach_mined(
    groups: &mut Vec<AliasGroup>,
    by_form: &mut HashMap<String, usize>,
    by_latin: &mut HashMap<String, usize>,
    key: &str,
    name: &MinedName,
) {
    let surname = key.rsplit(' ').next().unwrap_or(key);
    let latin_group = by_latin.get(key).copied();
    let mut targets: BTreeSet<usize> = latin_group.into_iter().collect();
    for form in name.forms.keys() {
        let Some(&g) = by_form.get(&name_key(form)) else {
            continue;
        };
        // A shared spelling joins a curated group (its spellings are trusted) or a mined
        // group of the same surname; a shared generic spelling (中心, 公司) joins nothing.
        let trusted = groups.get(g).is_some_and(|grp| {
            grp.curated
                || grp
                    .latin
                    .iter()
                    .any(|l| latin_key(l).rsplit(' ').next() == Some(surname))
        });
        if trusted {
            targets.insert(g);
        }
    }
    let target = match (targets.len(), latin_group) {
        (1, _) => targets.first().copied(),
        (0, None) => {
            let Some(canonical) = mined_canonical(name) else {
                return;
            };
            groups.push(AliasGroup::new(mined_kind(key, name), canonical, false));
            Some(groups.len() - 1)
        }
        // Spellings that belong to different groups: add only to the Latin name's own group.
        (_, Some(g)) => Some(g),
        _ => None,
    };
    let Some(target) = target else {
        return;
    };
    by_latin.entry(key.to_string()).or_insert(target);
    for (form, stats) in &name.forms {
        let k = name_key(form);
        match by_form.get(&k) {
            Some(&g) if g != target => {
                // The spelling already names another group: it is ambiguous across groups,
                // listed in both but used for neither.
                for idx in [g, target] {
                    if let Some(group) = groups.get_mut(idx) {
                        let v = group.variant_mut(form);
                        if !v.curated {
                            v.ambiguous = true;
                        }
                        if idx == target {
                            v.merge(stats);
                        }
                    }
                }
                continue;
            }
            _ => {
                by_form.insert(k, target);
            }
        }
        if let Some(group) = groups.get_mut(target) {
            group.variant_mut(form).merge(stats);
        }
    }
    if let Some(group) = groups.get_mut(target)
        && !group.latin.iter().any(|l| latin_key(l) == key)
    {
        group.latin.push(name.latin.clone());
    }
}

/// The kind of a mined name: an organization or place ending on any spelling wins, then a
/// personal Latin name; anything else is `other`.
fn mined_kind(key: &str, name: &MinedName) -> EntityKind {
    let kinds: Vec<Option<EntityKind>> = name
        .forms
        .keys()
        .map(|f| guess_kind(f, &name.latin))
        .collect();
    for k in [EntityKind::Org, EntityKind::Place] {
        if kinds.contains(&Some(k)) {
            return k;
        }
    }
    if looks_like_person(&name.latin)
        || (key.split(' ').count() >= 2 && name.kind == Some(EntityKind::Person))
    {
        EntityKind::Person
    } else {
        EntityKind::Other
    }
}

/// Folds spellings that are another spelling of the same name with words in front
/// (`副手范斯` → `范斯`, `出席亚太经合组织` → `亚太经合组织`) into that spelling.
/// People always (titles and verbs in front); other names only into a spelling seen at least
/// as often, since there the words in front may belong to the name (自由民主党 / 民主党).
fn reduce_prefixed_forms(name: &mut MinedName, person: bool) {
    let keys: Vec<(String, String)> = name
        .forms
        .keys()
        .map(|f| (f.clone(), name_key(f)))
        .collect();
    for (form, key) in &keys {
        let base = keys
            .iter()
            .filter(|(f, k)| {
                f != form
                    && k.chars().count() >= 2
                    && key.len() > k.len()
                    && key.ends_with(k.as_str())
            })
            .max_by_key(|(_, k)| k.len());
        let count = |f: &str| name.forms.get(f).map(|s| s.count).unwrap_or(0);
        if let Some((base, _)) = base
            && (person || count(base) >= count(form))
            && let Some(stats) = name.forms.remove(form)
        {
            name.forms.entry(base.clone()).or_default().merge(&stats);
        }
    }
}

/// The canonical form of a group only mining knows: the most frequent spelling that is already
/// in simplified script, else the simplified key of the most frequent spelling.
fn mined_canonical(name: &MinedName) -> Option<String> {
    let mut forms: Vec<(&String, u64)> = name.forms.iter().map(|(f, s)| (f, s.count)).collect();
    forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    forms
        .iter()
        .find(|(f, _)| name_key(f) == **f)
        .or_else(|| forms.first())
        .map(|(f, _)| name_key(f))
}

impl AliasVariant {
    fn merge(&mut self, stats: &crate::mining::FormStats) {
        self.count += stats.count;
        for e in &stats.examples {
            if self.examples.len() < crate::mining::MAX_EXAMPLES && !self.examples.contains(e) {
                self.examples.push(e.clone());
            }
        }
    }
}

/// The compiled lookup from every spelling's key to its group.
pub(crate) struct ResolvedAliases {
    pub groups: Vec<AliasGroup>,
    /// Simplified key of each spelling → group index.
    pub by_form: HashMap<String, usize>,
    pub blockers: Vec<String>,
}

impl ResolvedAliases {
    pub(crate) fn build(table: &AliasTable) -> Self {
        let groups = table.groups();
        let mut by_form = HashMap::new();
        for (i, g) in groups.iter().enumerate() {
            by_form.insert(g.canonical.clone(), i);
            for v in g.variants.iter().filter(|v| !v.ambiguous) {
                by_form.entry(name_key(&v.form)).or_insert(i);
            }
        }
        let blockers = table.blockers.iter().map(|b| name_key(b)).collect();
        ResolvedAliases {
            groups,
            by_form,
            blockers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_parses() {
        let t = AliasTable::parse_tsv(CURATED_TSV, "data/aliases.tsv");
        assert!(t.is_ok(), "{t:?}");
        let t = t.unwrap_or_default();
        assert!(t.curated.len() > 200, "{}", t.curated.len());
        assert!(!t.blockers.is_empty());
    }

    #[test]
    fn bad_kind_is_reported_with_line() {
        let err = AliasTable::parse_tsv("# c\nalien\tX\t\t\n", "t.tsv");
        let msg = err.map(|_| ()).unwrap_err().to_string();
        assert!(msg.contains("t.tsv") && msg.contains("line 2"), "{msg}");
    }

    #[test]
    fn curated_groups_have_ids() {
        let groups = AliasTable::curated().groups();
        let putin = groups.iter().find(|g| g.id == "person:普京");
        assert!(putin.is_some_and(|g| g.variants.iter().any(|v| v.form == "蒲亭")));
    }
}
