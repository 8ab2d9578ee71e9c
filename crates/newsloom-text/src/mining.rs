//! Mining name variants from the corpus itself.
//!
//! Outlets introduce foreign names with the Latin original in brackets: `普京（Vladimir Putin）`,
//! `蒲亭（Vladimir Putin）`, `賀錦麗（Kamala Harris）`. Spellings that share a Latin name are
//! the same name. The miner observes articles one at a time and accumulates, per Latin name,
//! the Chinese spellings with counts and example contexts; [`crate::AliasTable`] turns that into
//! alias groups.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::TextError;
use crate::aliases::EntityKind;
use crate::convert::t2s;
use crate::fold::fold;

/// Example contexts kept per spelling.
pub const MAX_EXAMPLES: usize = 3;

/// Counts and examples of one Chinese spelling next to one Latin name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormStats {
    pub count: u64,
    pub examples: Vec<String>,
}

impl FormStats {
    pub(crate) fn merge(&mut self, other: &FormStats) {
        self.count += other.count;
        for e in &other.examples {
            if self.examples.len() < MAX_EXAMPLES && !self.examples.contains(e) {
                self.examples.push(e.clone());
            }
        }
    }
}

/// Everything mined about one Latin name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinedName {
    /// The Latin name as first seen (`Vladimir Putin`).
    pub latin: String,
    /// What the name looks like it names, when the context says (acronym, 组织/党 suffix …).
    pub kind: Option<EntityKind>,
    /// Chinese spelling as written → counts and examples.
    pub forms: BTreeMap<String, FormStats>,
}

/// The persisted result of mining: JSON, see [`MinedAliases::save`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinedAliases {
    /// Format version of the JSON file.
    pub version: u32,
    /// Articles (or texts) observed.
    pub observed: u64,
    /// Latin key (lowercase, single spaces) → mined name.
    pub names: BTreeMap<String, MinedName>,
}

impl MinedAliases {
    /// Reads mined aliases saved by [`MinedAliases::save`].
    pub fn load(path: &Path) -> Result<Self, TextError> {
        let text = std::fs::read_to_string(path).map_err(|source| TextError::Io {
            path: path.display().to_string(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| TextError::Json {
            path: path.display().to_string(),
            source,
        })
    }

    /// Writes the aliases as pretty JSON (deterministic: keys sorted).
    pub fn save(&self, path: &Path) -> Result<(), TextError> {
        let io = |source| TextError::Io {
            path: path.display().to_string(),
            source,
        };
        let text = serde_json::to_string_pretty(self).map_err(|source| TextError::Json {
            path: path.display().to_string(),
            source,
        })?;
        std::fs::write(path, text + "\n").map_err(io)
    }

    /// Adds everything in `other` (mining in parallel or in several runs, then merging).
    pub fn merge(&mut self, other: &MinedAliases) {
        self.observed += other.observed;
        for (key, name) in &other.names {
            let slot = self.names.entry(key.clone()).or_insert_with(|| MinedName {
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
    }

    /// Number of (Chinese spelling, Latin name) links.
    pub fn link_count(&self) -> usize {
        self.names.values().map(|n| n.forms.len()).sum()
    }
}

/// One mined link in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinedLink {
    /// The Chinese spelling as written (after width folding).
    pub form: String,
    pub latin: String,
    pub kind: Option<EntityKind>,
    /// A short context around the link.
    pub context: String,
}

/// Observes texts one by one and accumulates [`MinedAliases`].
#[derive(Debug, Clone, Default)]
pub struct AliasMiner {
    mined: MinedAliases,
}

impl AliasMiner {
    pub fn new() -> Self {
        AliasMiner {
            mined: MinedAliases {
                version: 1,
                ..Default::default()
            },
        }
    }

    /// Continues mining on top of earlier results (incremental runs).
    pub fn resume(mined: MinedAliases) -> Self {
        AliasMiner { mined }
    }

    /// Observes one article: title and body.
    pub fn observe(&mut self, article: &newsloom_model::Article) -> usize {
        let mut text = article.title.clone();
        text.push('\n');
        text.push_str(&article.body_text());
        self.observe_text(&text)
    }

    /// Observes one text; returns the number of links found in it.
    pub fn observe_text(&mut self, text: &str) -> usize {
        self.mined.version = self.mined.version.max(1);
        self.mined.observed += 1;
        let links = extract_links(text);
        for link in &links {
            let key = latin_key(&link.latin);
            let name = self.mined.names.entry(key).or_insert_with(|| MinedName {
                latin: link.latin.clone(),
                kind: link.kind,
                forms: BTreeMap::new(),
            });
            if name.kind.is_none() {
                name.kind = link.kind;
            }
            let stats = name.forms.entry(link.form.clone()).or_default();
            stats.count += 1;
            if stats.examples.len() < MAX_EXAMPLES && !stats.examples.contains(&link.context) {
                stats.examples.push(link.context.clone());
            }
        }
        links.len()
    }

    pub fn mined(&self) -> &MinedAliases {
        &self.mined
    }

    pub fn finish(self) -> MinedAliases {
        self.mined
    }
}

/// The key Latin names are compared by: lowercase, dots and hyphens as spaces, single spaces.
pub fn latin_key(latin: &str) -> String {
    let cleaned: String = latin
        .chars()
        .map(|c| {
            if c == '.' || c == '-' || c == '\u{2010}' {
                ' '
            } else {
                c
            }
        })
        .flat_map(char::to_lowercase)
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn link_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Han (and name dots) directly before a bracket holding only a Latin name.
        Regex::new(r"([\p{Han}·]{2,24})\(([A-Za-z][A-Za-z .'\-]{0,58}[A-Za-z.])\)")
            .expect("constant regex compiles")
    })
}

/// Words (in simplified script) after which a name starts: titles, roles, and the function
/// words and verbs that commonly precede a name. The Chinese side of a link is what follows the
/// last of them.
const BOUNDARIES: &[&str] = &[
    // titles and roles
    "总统",
    "副总统",
    "总理",
    "副总理",
    "首相",
    "外长",
    "外交部长",
    "国防部长",
    "防长",
    "财长",
    "部长",
    "国务卿",
    "发言人",
    "主席",
    "议长",
    "议员",
    "大使",
    "主任",
    "秘书长",
    "总书记",
    "国王",
    "女王",
    "王储",
    "王子",
    "公主",
    "教宗",
    "教皇",
    "司令",
    "将军",
    "上将",
    "局长",
    "署长",
    "市长",
    "州长",
    "省长",
    "候选人",
    "当选人",
    "提名人",
    "总裁",
    "执行长",
    "首席执行官",
    "创办人",
    "创始人",
    "董事长",
    "记者",
    "教授",
    "学者",
    "研究员",
    "分析师",
    "经济学家",
    "专家",
    "作家",
    "导演",
    "演员",
    "歌手",
    "球员",
    "选手",
    "律师",
    "法官",
    "检察官",
    "幕僚长",
    "顾问",
    "特使",
    "代表",
    "领导人",
    "领导",
    "领袖",
    "主委",
    "委员",
    "院长",
    "校长",
    "人士",
    "先生",
    "女士",
    "夫人",
    "博士",
    "主持人",
    "总监",
    "经理",
    "主管",
    "官员",
    "成员",
    "总督",
    "党魁",
    "元首",
    "总司令",
    "参谋长",
    "指挥官",
    "队长",
    "主帅",
    "教练",
    "艺术家",
    "画家",
    "作者",
    "编辑",
    "主编",
    "社长",
    "会长",
    "理事长",
    "董事",
    "股东",
    "富豪",
    "亿万富翁",
    "创作者",
    "网红",
    "博主",
    "候任",
    "前任",
    "现任",
    "新任",
    "首席",
    "大法官",
    "部长级",
    "儿子",
    "女儿",
    "妻子",
    "丈夫",
    "母亲",
    "父亲",
    "哥哥",
    "弟弟",
    "姐姐",
    "妹妹",
    "家人",
    "员工",
    "学生",
    "医生",
    "总长",
    "主播",
    "盟友",
    "对手",
    "支持者",
    "批评者",
    "嫌犯",
    "凶手",
    "士兵",
    "囚犯",
    "难民",
    "公民",
    "居民",
    "男子",
    "女子",
    "少年",
    "男孩",
    "女孩",
    "官方",
    // descriptors that stand before a name
    "警官",
    "警员",
    "警察",
    "一等兵",
    "二等兵",
    "上士",
    "中士",
    "下士",
    "士官",
    "犯嫌",
    "嫌疑人",
    "选民",
    "城镇",
    "小镇",
    "村庄",
    "城市",
    "首都",
    "首府",
    "智库",
    "媒体",
    "游客",
    "患者",
    "受害者",
    "死者",
    "遇难者",
    "运动员",
    "球星",
    "影星",
    "歌星",
    "明星",
    "主唱",
    "小说家",
    "制片人",
    "消息人士",
    "创办者",
    "防务集团",
    "企业家",
    "商人",
    "富商",
    "活动人士",
    "维权人士",
    "异见人士",
    "牧师",
    "神父",
    "法师",
    "医师",
    "护士",
    "工程师",
    "科学家",
    "历史学家",
    "政治学家",
    "评论员",
    "评论家",
    "主编",
    "社论",
    "网站",
    "播客",
    "频道",
    "品牌",
    "大厂",
    "巨擘",
    "巨头",
    "龙头",
    "旗下",
    "母公司",
    "子公司",
    "包含",
    "包括",
    "引述",
    "报导",
    "报道",
    "家乡",
    "故乡",
    "母校",
    "前往",
    "来自",
    "位于",
    // function words and verbs
    "的",
    "与",
    "和",
    "及",
    "跟",
    "同",
    "向",
    "对",
    "在",
    "由",
    "被",
    "是",
    "称",
    "说",
    "表示",
    "指出",
    "会见",
    "会晤",
    "接见",
    "会谈",
    "宣布",
    "透过",
    "通过",
    "告诉",
    "认为",
    "据",
    "根据",
    "包括",
    "例如",
    "其中",
    "以及",
    "或",
    "为",
    "将",
    "让",
    "请",
    "把",
    "给",
    "从",
    "当",
    "而",
    "但",
    "因",
    "后",
    "前",
    "时",
    "等",
    "名为",
    "称为",
    "叫",
    "即",
    "了",
    "也",
    "都",
    "还",
    "就",
    "已",
    "曾",
    "又",
    "则",
    "其",
    "位",
    "名",
    "这",
    "该",
    "由于",
    "提名",
    "任命",
    "邀请",
    "批评",
    "支持",
    "反对",
    "指控",
    "起诉",
    "逮捕",
    "击败",
    "拜访",
    "访问",
    "出任",
    "担任",
    "接替",
    "取代",
    "对手",
    "胜选",
    "当选",
    "获",
    "得到",
    "赢得",
];

/// Endings that mark an organization or a place rather than a person.
const ORG_ENDINGS: &[&str] = &[
    "组织",
    "公司",
    "集团",
    "银行",
    "党",
    "部",
    "委员会",
    "大学",
    "学院",
    "协会",
    "基金会",
    "联盟",
    "机构",
    "署",
    "局",
    "社",
    "电视台",
    "电台",
    "报",
    "网",
    "法院",
    "军",
    "中心",
    "研究所",
    "研究院",
    "基金",
    "法庭",
    "议会",
    "政府",
    "办公室",
    "事务所",
    "小组",
    "论坛",
    "企业",
    "集团",
    "工会",
    "运动",
    "理事会",
    "通讯社",
    "杂志",
    "时报",
    "日报",
    "新闻",
];
const PLACE_ENDINGS: &[&str] = &[
    "州", "省", "市", "县", "岛", "湾", "河", "山", "港", "城", "镇", "村", "区", "府", "礁", "滩",
    "海峡", "机场", "半岛", "群岛", "湖", "峡谷", "盆地", "平原", "邦", "郡", "堡",
];

/// Last words of Latin names of places and things, never of people.
const NON_PERSON_LATIN: &[&str] = &[
    "reef",
    "reefs",
    "beach",
    "island",
    "islands",
    "airport",
    "bay",
    "strait",
    "sea",
    "river",
    "lake",
    "mountain",
    "mountains",
    "valley",
    "city",
    "county",
    "province",
    "state",
    "district",
    "department",
    "ministry",
    "agency",
    "reserve",
    "prize",
    "award",
    "capability",
    "terminal",
    "port",
    "samoa",
    "breakers",
    "shoal",
    "shoals",
    "park",
    "square",
    "street",
    "road",
    "bridge",
    "center",
    "centre",
    "institute",
    "university",
    "college",
    "school",
    "hospital",
    "party",
    "council",
    "committee",
    "unit",
    "force",
    "forces",
    "army",
    "navy",
    "group",
    "bank",
    "fund",
    "foundation",
    "company",
    "corporation",
    "inc",
    "news",
    "times",
    "post",
    "journal",
    "review",
    "statement",
    "act",
    "plan",
    "program",
    "project",
    "system",
    "energy",
    "motors",
    "airlines",
    "computer",
    "economics",
    "newswires",
    "production",
    "productions",
    "pravda",
    "parisien",
];

/// Single characters that never start a name but often stand right before one
/// (`於棕櫚灘`, `使得龔薩雷茲`, `如超微`).
const LEADING_FUNCTION_CHARS: &[char] = &[
    '于', '於', '今', '如', '在', '到', '从', '向', '对', '与', '和', '及', '由', '被', '将', '把',
    '让', '挺', '使', '据', '自', '经', '至', '往', '赴', '抵', '这', '该', '其', '是', '为', '因',
    '并', '而', '又', '还', '就', '已', '仍', '再', '更', '最', '很', '即', '连', '令', '请', '帮',
    '完', '过', '当',
];

/// Part-of-speech tags of leading words that are not part of a name: verbs, prepositions,
/// conjunctions, adverbs, pronouns, numerals, measure words, particles, directions, times.
const LEADING_TAGS: &[&str] = &[
    "v", "vd", "p", "c", "d", "r", "m", "q", "u", "f", "t", "ad", "uj", "ul", "uz", "ug", "zg",
];

fn plain_jieba() -> &'static jieba_rs::Jieba {
    static J: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    J.get_or_init(jieba_rs::Jieba::new)
}

/// Strips words that lead into a name rather than belong to it. Person names (transliterations
/// segment unpredictably) only lose whole words of two or more characters and known function
/// characters; other names lose any leading verb, preposition, time word …
fn strip_leading(name: &str, person: bool) -> String {
    let simplified = t2s(name);
    let orig: Vec<char> = name.chars().collect();
    let aligned = simplified.chars().count() == orig.len();
    let tags = plain_jieba().tag(&simplified, false);
    let mut cut = 0usize;
    for (i, tag) in tags.iter().enumerate() {
        let len = tag.end - tag.start;
        let rest = orig.len().saturating_sub(tag.end);
        // Other names keep at least three characters: short ones are often all name (日经亚洲).
        if rest < if person { 2 } else { 3 } || i + 1 == tags.len() {
            break;
        }
        let rest_starts_with = |c: char| orig.get(tag.end).is_some_and(|&r| r == c);
        // 以 leads into a name (以陆军预备役) except in 以色列.
        let function_char = len == 1
            && (tag
                .word
                .chars()
                .all(|c| LEADING_FUNCTION_CHARS.contains(&c))
                || (tag.word == "以" && !rest_starts_with('色'))
                || (tag.word == "朝" && !rest_starts_with('鲜') && !rest_starts_with('鮮')));
        // Verbs lead into people's names (使得龚萨雷兹); in other names they may belong
        // to the name (辩护陈述), so only clearly non-name words go there.
        let leading_word = len >= 2
            && LEADING_TAGS.contains(&tag.tag)
            && (person
                || matches!(
                    tag.tag,
                    "p" | "c" | "d" | "r" | "u" | "uj" | "ul" | "uz" | "ug"
                )
                || tag.tag == "v");
        if function_char || leading_word {
            cut = tag.end;
        } else {
            break;
        }
    }
    if cut == 0 {
        return name.to_string();
    }
    if aligned {
        orig.get(cut..)
            .map(|c| c.iter().collect())
            .unwrap_or_else(|| name.to_string())
    } else {
        simplified.chars().skip(cut).collect()
    }
}

/// Finds `中文名(Latin Name)` links in a text (any script, any width).
pub fn extract_links(text: &str) -> Vec<MinedLink> {
    // Cheap reject: no bracket followed by a Latin letter anywhere.
    if !text.contains(['(', '（']) {
        return Vec::new();
    }
    let folded = fold(text);
    let mut out = Vec::new();
    for caps in link_regex().captures_iter(&folded) {
        let (Some(all), Some(han), Some(latin)) = (caps.get(0), caps.get(1), caps.get(2)) else {
            continue;
        };
        let latin = latin.as_str().trim();
        // Acronyms (AR, JA, PPI, AFP in photo credits) name too many things to link safely.
        if !plausible_latin(latin) || is_acronym(latin) || is_credit(latin) {
            continue;
        }
        // A Han run right after a hyphen or Latin letter is the tail of a longer name
        // (格兰德-马拉斯卡): skip rather than link a fragment.
        let glued = folded
            .get(..han.start())
            .and_then(|h| h.chars().next_back())
            .is_some_and(|c| c == '-' || c == '‐' || c.is_ascii_alphabetic());
        if glued {
            continue;
        }
        let coordinated = latin.split_whitespace().any(|w| w == "and" || w == "&");
        let Some(form) = chinese_side(han.as_str(), coordinated) else {
            continue;
        };
        let form = strip_leading(&form, looks_like_person(latin));
        let han_chars = form.chars().filter(|&c| c != '·').count();
        let simplified_form = t2s(&form);
        if han_chars < 2
            || GENERIC_FORMS.contains(&simplified_form.as_str())
            || BOUNDARIES.contains(&simplified_form.as_str())
        {
            continue;
        }
        let kind = guess_kind(&form, latin);
        if kind == Some(EntityKind::Person) && !plausible_person(&form) {
            continue;
        }
        let context = context_around(&folded, all.start(), all.end());
        out.push(MinedLink {
            form,
            latin: latin.to_string(),
            kind,
            context,
        });
    }
    out
}

/// Photo and wire credits that follow captions.
fn is_credit(latin: &str) -> bool {
    const CREDITS: &[&str] = &[
        "shutterstock",
        "getty images",
        "getty",
        "reuters",
        "afp",
        "ap",
        "epa",
        "dpa",
        "imago",
        "pool",
        "xinhua",
        "kyodo",
        "ani",
        "anadolu",
        "sputnik",
        "video",
        "photo",
        "file",
    ];
    let key = latin_key(latin);
    CREDITS.contains(&key.as_str()) || key.contains("getty") || key.contains(" via ")
}

/// All capitals (and digits): `NATO`, `GDP`, `G7`.
fn is_acronym(latin: &str) -> bool {
    let letters: Vec<char> = latin
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    letters.len() <= 10 && !latin.contains(' ') && letters.iter().all(|c| !c.is_ascii_lowercase())
}

/// A Latin name: 1–5 words, each capitalized (or a lowercase particle), or an acronym.
fn plausible_latin(latin: &str) -> bool {
    const PARTICLES: &[&str] = &[
        "von", "van", "der", "den", "de", "da", "di", "du", "dos", "das", "la", "le", "bin",
        "bint", "al", "el", "of", "the", "and", "for", "y", "e", "ibn", "ter",
    ];
    let words: Vec<&str> = latin.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    words.iter().all(|w| {
        let first = w.chars().next().unwrap_or(' ');
        first.is_ascii_uppercase()
            || PARTICLES.contains(&w.to_ascii_lowercase().trim_end_matches('-'))
            || w.starts_with("al-")
            || w.starts_with("el-")
    })
}

/// The name part of the Han run before the bracket: what follows the last boundary word.
fn chinese_side(run: &str, coordinated: bool) -> Option<String> {
    let simplified = t2s(run);
    let run_chars: Vec<char> = run.chars().collect();
    let simp_chars: Vec<char> = simplified.chars().collect();
    // Conversion keeps length almost always; when it does not, work on the simplified text.
    let aligned = run_chars.len() == simp_chars.len();
    // The name starts after the last boundary word that still leaves a name of two or more
    // characters (`斯特兰蒂斯集团` keeps its 集团; `防务集团绅宝` loses it).
    let mut cut = 0usize; // char index where the name starts
    let han_after = |i: usize| {
        simp_chars
            .get(i..)
            .map_or(0, |r| r.iter().filter(|&&c| c != '·').count())
    };
    for b in BOUNDARIES {
        // 及/和/与 join two names, or sit inside one (海关及边境保卫局): only the Latin says.
        if coordinated && matches!(*b, "及" | "和" | "与" | "以及") {
            continue;
        }
        let b_chars: Vec<char> = b.chars().collect();
        if b_chars.len() > simp_chars.len() {
            continue;
        }
        for i in (0..=simp_chars.len() - b_chars.len()).rev() {
            let end = i + b_chars.len();
            if simp_chars.get(i..end) == Some(b_chars.as_slice()) && han_after(end) >= 2 {
                cut = cut.max(end);
                break;
            }
        }
    }
    let source = if aligned { &run_chars } else { &simp_chars };
    let name: String = source.get(cut..)?.iter().collect();
    let name = name.trim_matches('·').to_string();
    let han_len = name.chars().filter(|&c| c != '·').count();
    if han_len < 2 {
        return None;
    }
    // Without a name dot, a long run is likely still carrying a prefix we cannot see.
    let max = if name.contains('·') { 16 } else { 10 };
    (han_len <= max).then_some(name)
}

/// Words that are the generic head of many names, not a name (`中心` from `威尔逊中心`).
const GENERIC_FORMS: &[&str] = &[
    "中心",
    "公司",
    "协会",
    "峰会",
    "组织",
    "大学",
    "政府",
    "委员会",
    "集团",
    "银行",
    "机构",
    "基金会",
    "研究所",
    "学院",
    "联盟",
    "法院",
    "议会",
    "部长",
    "总统",
    "国家",
    "城市",
    "地区",
];

/// A Latin personal name: two to four capitalized words, no `of`, not an acronym.
pub(crate) fn looks_like_person(latin: &str) -> bool {
    let words: Vec<&str> = latin.split_whitespace().collect();
    let last = words
        .last()
        .map(|w| w.to_ascii_lowercase())
        .unwrap_or_default();
    (2..=4).contains(&words.len())
        && !NON_PERSON_LATIN.contains(&last.as_str())
        && !words.iter().any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "of" | "the" | "and" | "for"
            )
        })
        && !words
            .iter()
            .all(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()))
}

/// The kind a spelling and Latin name suggest, if any.
pub(crate) fn guess_kind(form: &str, latin: &str) -> Option<EntityKind> {
    let simplified = t2s(form);
    if ORG_ENDINGS.iter().any(|e| simplified.ends_with(e)) {
        return Some(EntityKind::Org);
    }
    let acronym = latin.len() <= 8
        && latin
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '&');
    if acronym {
        return Some(EntityKind::Org);
    }
    if PLACE_ENDINGS.iter().any(|e| simplified.ends_with(e)) {
        return Some(EntityKind::Place);
    }
    looks_like_person(latin).then_some(EntityKind::Person)
}

/// Person spellings: transliterations are short; more than 6 characters without a name dot is
/// a phrase, not a name.
fn plausible_person(form: &str) -> bool {
    form.contains('·') || form.chars().count() <= 6
}

fn context_around(text: &str, start: usize, end: usize) -> String {
    let before: String = {
        let head = text.get(..start).unwrap_or_default();
        let chars: Vec<char> = head.chars().rev().take(16).collect();
        chars.into_iter().rev().collect()
    };
    let after: String = text
        .get(end..)
        .unwrap_or_default()
        .chars()
        .take(12)
        .collect();
    let mid = text.get(start..end).unwrap_or_default();
    format!("{before}{mid}{after}").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(text: &str) -> Vec<(String, String)> {
        extract_links(text)
            .into_iter()
            .map(|l| (l.form, l.latin))
            .collect()
    }

    #[test]
    fn finds_links_and_strips_titles() {
        let f = forms("俄罗斯总统普京（Vladimir Putin）与外交部长拉夫罗夫（Sergei Lavrov）会面");
        assert_eq!(
            f,
            vec![
                ("普京".into(), "Vladimir Putin".into()),
                ("拉夫罗夫".into(), "Sergei Lavrov".into())
            ]
        );
        let f = forms("中央社報導，蒲亭（Vladimir Putin）向王毅表示");
        assert_eq!(f, vec![("蒲亭".into(), "Vladimir Putin".into())]);
        let f = forms("美國副總統賀錦麗（Kamala Harris）");
        assert_eq!(f, vec![("賀錦麗".into(), "Kamala Harris".into())]);
        let f = forms("俄罗斯外长谢尔盖·拉夫罗夫（Sergei Lavrov）");
        assert_eq!(f, vec![("谢尔盖·拉夫罗夫".into(), "Sergei Lavrov".into())]);
    }

    #[test]
    fn rejects_credits_and_phrases() {
        assert!(forms("（图片来源：ANTON NOVODEREZHKIN/SPUTNIK）").is_empty());
        assert!(forms("他说。（Reuters）").is_empty());
        assert!(forms("人们在废墟中寻找(Shutterstock)").is_empty());
        assert!(forms("双方签署协议(AFP)").is_empty());
        assert!(forms("格兰德-马拉斯卡(Fernando Grande-Marlaska)").is_empty());
        assert!(forms("秘书长(Agnes Callamard)").is_empty());
    }

    #[test]
    fn latin_keys_fold_case_and_dots() {
        assert_eq!(latin_key("J.D.  Vance"), "j d vance");
        assert_eq!(latin_key("Kamala Harris"), "kamala harris");
    }

    #[test]
    fn miner_accumulates() {
        let mut m = AliasMiner::new();
        m.observe_text("总统普京（Vladimir Putin）说");
        m.observe_text("總統蒲亭（Vladimir Putin）說");
        let mined = m.finish();
        let name = mined.names.get("vladimir putin");
        assert_eq!(name.map(|n| n.forms.len()), Some(2));
        assert_eq!(mined.observed, 2);
    }
}
