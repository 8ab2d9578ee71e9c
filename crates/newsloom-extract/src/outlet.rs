//! Which outlet an article belongs to: from its URL's domain, or from a name in the text.
//!
//! The registry is data, not code: one line per outlet in `outlets.tsv` (slug, display name,
//! domains, other names). Unknown domains still get a stable slug (the registrable part of
//! the host), so nothing is dropped for lack of an entry.

use std::sync::LazyLock;

/// A known news outlet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlet {
    /// Stable slug: `secretchina`, `cna`, `voa`.
    pub id: String,
    /// Display name: `看中国`, `中央社`, `美国之音`.
    pub name: String,
}

struct Entry {
    id: &'static str,
    name: &'static str,
    domains: Vec<&'static str>,
    aliases: Vec<&'static str>,
}

static REGISTRY: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    include_str!("outlets.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let id = cols.next()?;
            let name = cols.next()?;
            let list = |c: Option<&'static str>| {
                c.map(|c| {
                    c.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default()
            };
            Some(Entry {
                id,
                name,
                domains: list(cols.next()),
                aliases: list(cols.next()),
            })
        })
        .collect()
});

impl Entry {
    fn outlet(&self) -> Outlet {
        Outlet {
            id: self.id.to_string(),
            name: self.name.to_string(),
        }
    }
}

/// The host of a URL, lowercased, without `www.`/`m.` and port.
pub fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("m."))
        .unwrap_or(&host);
    Some(host.to_string())
}

/// The outlet of an article URL: a registry entry whose domain is the host or a parent of it.
pub fn by_url(url: &str) -> Option<Outlet> {
    let host = host_of(url)?;
    REGISTRY
        .iter()
        .find(|e| {
            e.domains
                .iter()
                .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        })
        .map(Entry::outlet)
}

/// The outlet named in text (`看中国`, `(臺)中央社CNA`, `美國之音`): exact names first, then
/// the longest name contained in the text.
pub fn by_name(text: &str) -> Option<Outlet> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let exact = REGISTRY
        .iter()
        .find(|e| e.id.eq_ignore_ascii_case(text) || e.name == text || e.aliases.contains(&text));
    if let Some(e) = exact {
        return Some(e.outlet());
    }
    REGISTRY
        .iter()
        .flat_map(|e| {
            std::iter::once(e.name)
                .chain(e.aliases.iter().copied())
                .map(move |n| (e, n))
        })
        .filter(|(_, n)| n.chars().count() >= 2 && text.contains(n))
        .max_by_key(|(_, n)| n.len())
        .map(|(e, _)| e.outlet())
}

/// The outlet named by a path segment of a mirror URL or file path (`…/pen/2411/cna/2024/…`,
/// `CNA-標題.html`): aggregators file articles under the outlet's slug. Only exact slugs
/// and names count, so ordinary words in paths never match.
pub fn by_path(path: &str) -> Option<Outlet> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.rsplit(['/', '\\'])
        .skip(1)
        .take(6)
        .chain(
            path.rsplit(['/', '\\'])
                .next()
                .and_then(|f| f.split('-').next()),
        )
        .find_map(|segment| {
            REGISTRY
                .iter()
                .find(|e| {
                    e.id.eq_ignore_ascii_case(segment)
                        || e.aliases.iter().any(|a| a.eq_ignore_ascii_case(segment))
                })
                .map(Entry::outlet)
        })
}

/// An outlet for a domain the registry does not know: its registrable name as both id and name.
pub fn unknown_domain(url: &str) -> Option<Outlet> {
    let host = host_of(url)?;
    let parts: Vec<&str> = host.split('.').collect();
    // `news.example.com.tw` → `example`: skip public suffixes of one or two labels.
    let generic = ["com", "net", "org", "gov", "edu", "co", "ac"];
    let mut idx = parts.len().checked_sub(2)?;
    while idx > 0 && (generic.contains(&parts[idx]) || parts[idx].len() <= 2) {
        idx -= 1;
    }
    let id = parts.get(idx)?.to_string();
    Some(Outlet {
        name: host.clone(),
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_seed_outlets() {
        let o = by_url("https://www.secretchina.com/news/gb/2023/02/23/1029612.html").unwrap();
        assert_eq!((o.id.as_str(), o.name.as_str()), ("secretchina", "看中国"));
        assert_eq!(
            by_url("https://www.ntdtv.com/gb/2023/02/04/a103642134.html")
                .unwrap()
                .id,
            "ntdtv"
        );
        assert_eq!(
            by_url("https://www.voachinese.com/a/x/6974233.html")
                .unwrap()
                .name,
            "美国之音"
        );
        assert_eq!(
            by_url("https://www.cna.com.tw/news/aopl/202302220400.aspx")
                .unwrap()
                .name,
            "中央社"
        );
        assert_eq!(by_name("(臺)中央社CNA").unwrap().id, "cna");
        assert_eq!(by_name("看中国").unwrap().id, "secretchina");
        assert_eq!(
            unknown_domain("https://news.example.com.tw/a").unwrap().id,
            "example"
        );
    }
}
