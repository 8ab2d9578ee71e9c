//! Online behaviour: resume from serialized state, late arrivals, near-duplicates across
//! scripts, eviction keeping state bounded.

use chrono::{DateTime, Duration};
use newsloom_cluster::{
    ArticleFeatures, Assignment, BasicText, Clusterer, Clusters, Config, DupKind,
};
use newsloom_model::{Article, Block, Format, Script, Source};

fn article(id: &str, outlet: &str, hours: i64, title: &str, body: &[&str]) -> Article {
    let base = DateTime::parse_from_rfc3339("2024-11-20T00:00:00+08:00").unwrap_or_default();
    Article {
        id: id.into(),
        source: Source {
            path: format!("{id}.html"),
            format: Format::Html,
        },
        outlet: outlet.into(),
        outlet_id: outlet.into(),
        url: None,
        mirror_url: None,
        title: title.into(),
        published: Some(base + Duration::hours(hours)),
        published_precision: None,
        authors: vec![],
        editors: vec![],
        dateline: None,
        script: Script::Hans,
        language: "zh".into(),
        body: body.iter().map(|b| Block::paragraph(*b)).collect(),
        images: vec![],
        related: vec![],
    }
}

fn stream() -> Vec<Article> {
    let strike = "乌克兰首次使用美国陆军战术导弹系统ATACMS袭击俄罗斯布良斯克州境内目标，俄罗斯国防部说六枚导弹中五枚被防空系统击落，一枚的碎片落在军事设施内引发火灾。";
    let strike2 = "俄罗斯国防部表示，乌克兰军队使用美国制造的ATACMS导弹袭击布良斯克州，六枚导弹中五枚被击落。克里姆林宫说这是冲突的新阶段。";
    let trade = "日本财务省公布，10月贸易逆差为4612亿日元，连续四个月出现逆差，出口按年增长3.1%，进口增长0.4%，能源进口减少。";
    let trade2 = "日本10月贸易收支为逆差4612亿日元，已经连续第四个月逆差。对华出口下降，汽车出口增加，能源进口金额减少。";
    vec![
        article("a1", "aj", 0, "乌克兰首次用ATACMS导弹袭击俄罗斯", &[strike]),
        article("t1", "kyodo", 1, "日本10月贸易逆差为4612亿日元", &[trade]),
        article(
            "a2",
            "nhk",
            3,
            "乌军首用ATACMS攻击俄罗斯境内目标",
            &[strike2],
        ),
        article(
            "a1m",
            "mirror-aj",
            4,
            "乌克兰首次用ATACMS导弹袭击俄罗斯",
            &[strike, "原文地址：镜像转载"],
        ),
        article("t2", "nhk", 5, "日本连续四个月出现贸易逆差", &[trade2]),
    ]
}

fn feats(a: &Article) -> ArticleFeatures {
    ArticleFeatures::from_article(&BasicText, a)
}

#[test]
fn resumed_state_gives_the_same_result() {
    let articles = stream();
    let mut whole = Clusterer::new(Config::default());
    for a in &articles {
        whole.add(&feats(a));
    }
    let mut first = Clusterer::new(Config::default());
    for a in &articles[..2] {
        first.add(&feats(a));
    }
    let saved = serde_json::to_string(&first).unwrap_or_default();
    let mut resumed: Clusterer = serde_json::from_str(&saved).unwrap_or_else(|e| panic!("{e}"));
    for a in &articles[2..] {
        resumed.add(&feats(a));
    }
    assert_eq!(whole.snapshot(), resumed.snapshot());
}

#[test]
fn events_duplicates_and_late_arrivals() {
    let mut c = Clusterer::new(Config::default());
    let mut out = Vec::new();
    for a in stream() {
        out.push(c.add(&feats(&a)));
    }
    // Two reports of the strike are one event; the trade reports another.
    assert_eq!(out[0].event, out[2].event);
    assert_eq!(out[1].event, out[4].event);
    assert_ne!(out[0].event, out[1].event);
    assert_eq!(out[0].event, "ev-a1");
    // The mirror copy is the same article with another source, in the same event.
    let dup = out[3].duplicate_of.clone().map(|d| (d.of, d.kind));
    assert_eq!(dup, Some(("a1".to_string(), DupKind::Near)));
    assert_eq!(out[3].event, out[0].event);
    // A late report (published before the latest article) still joins its event.
    let late = article(
        "a3",
        "dw",
        2,
        "乌克兰首次使用美国ATACMS导弹袭击俄罗斯",
        &["乌克兰首次使用美国提供的ATACMS导弹袭击俄罗斯布良斯克州，俄方称六枚导弹中五枚被击落。"],
    );
    let a = c.add(&feats(&late));
    assert_eq!(a.event, out[0].event);
    let snap = c.snapshot();
    let ev = snap
        .events
        .iter()
        .find(|e| e.id == "ev-a1")
        .map(|e| e.articles.len());
    assert_eq!(ev, Some(4));
}

#[test]
fn quiet_events_are_evicted_and_taken() {
    let mut c = Clusterer::new(Config {
        window_hours: 24.0,
        ..Config::default()
    });
    for a in stream() {
        c.add(&feats(&a));
    }
    assert!(c.live_events() >= 2);
    // A report three days later: everything before it is outside the window.
    let later = article(
        "x1",
        "cna",
        72,
        "颱風登陸菲律賓",
        &["強烈颱風萬宜登陸菲律賓呂宋島，當局疏散數十萬居民，多地停電停課。"],
    );
    c.add(&feats(&later));
    assert_eq!(c.live_events(), 1);
    assert_eq!(c.live_fingerprints(), 1);
    let done = c.take_finished();
    assert_eq!(
        done.stories.iter().map(|s| s.articles.len()).sum::<usize>(),
        5
    );
    assert_eq!(c.snapshot().events.len(), 1);
}

/// The (event id, story id) of an article in a snapshot (empty when it is in none).
fn event_and_story(snap: &Clusters, article: &str) -> (String, String) {
    snap.events
        .iter()
        .find(|e| e.articles.iter().any(|a| a == article))
        .map(|e| (e.id.clone(), e.story.clone()))
        .unwrap_or_default()
}

/// Reports naming one case (`47人案`) share a story however few words they share: the
/// reactions in London and Hong Kong to one sentencing. Titles and leads from
/// agora-pen-2411 (2024-11-20).
#[test]
fn reports_of_a_named_case_share_a_story() {
    let text = newsloom_text::TextLayer::default();
    let reports = [
        (
            "uk",
            "rfa",
            19,
            "【47人案】英揆拒譴責判刑倡議組織失望 工黨港人：靠攏中國不代表認同",
            "周二在巴西出席「20國集團峰會」的英國首相施紀賢，兩度被問及會否譴責香港法庭就「47人案」的判刑時，均迴避問題。",
        ),
        (
            "hk",
            "rthk",
            20,
            "47人顛覆案｜特區強烈譴責西方國家及反華勢力肆無忌憚抺黑攻擊",
            "特區政府表示，就法庭昨日就一宗「串謀顛覆國家政權」案判刑，一些美西方國家包括美國、英國、歐盟、澳洲、加拿大等政府當局、反華組織、反華政客、外國媒體等，藉此對香港特區肆無忌憚地作出失實抹黑和惡意攻擊，特區政府表示強烈譴責和反對。",
        ),
        (
            "nsa",
            "rthk",
            37,
            "47人顛覆案｜駐港國安公署指美國等少數國家為犯罪分子包庇張目",
            "47人顛覆政權案，其中45名罪成的被告日前判刑。駐港國家安全公署表示，針對美國等少數國家政府及政客無理叫囂，公然為香港特區日前審判的犯罪分子包庇張目，甚至揮舞制裁大棒橫加干預，公署堅定支持特區司法機關，依法懲治任何危害國家安全的行為和活動。",
        ),
        (
            "other",
            "cna",
            20,
            "金馬獎將登場 陸委會：85名陸籍人士申請來台",
            "（中央社記者李雅雯台北21日電）第61屆金馬獎頒獎典禮將登場，陸委會表示，共有85名陸籍人士申請來台。",
        ),
    ];
    let stories = |with_case: bool| {
        let mut clusterer = Clusterer::new(Config::default());
        for (id, outlet, hours, title, body) in reports {
            let mut f =
                ArticleFeatures::from_article(&text, &article(id, outlet, hours, title, &[body]));
            assert_eq!(f.case.is_some(), id != "other", "{id}: {:?}", f.case);
            if !with_case {
                f.case = None;
            }
            clusterer.add(&f);
        }
        let snap = clusterer.snapshot();
        reports
            .iter()
            .map(|r| event_and_story(&snap, r.0).1)
            .collect::<Vec<_>>()
    };
    let with = stories(true);
    assert!(with[..3].iter().all(|s| *s == with[0]), "{with:?}");
    assert_ne!(with[3], with[0], "{with:?}");
    // The words alone do not bring these reports together.
    let without = stories(false);
    assert!(without[..3].iter().any(|s| *s != without[0]), "{without:?}");
}

/// Market reports: one event per market and trading session, one story per market, and
/// nothing else joins them, however alike their words are.
#[test]
fn market_reports_cluster_by_market_and_session() {
    let text = newsloom_text::TextLayer::default();
    let reports = [
        // (id, hours after 2024-11-20 00:00 +08:00, title, body)
        (
            "jp-open",
            8,
            "日股初段靠穩",
            "日股初段靠穩，日經指數較早時報38493點，升79點，升幅0.21%。",
        ),
        (
            "tw-open",
            9,
            "台股初段升逾百點　上試23000點",
            "台股初段造好，加權指數上試23000點水平，較早時報22969點，升121點，升幅0.53%。",
        ),
        (
            "hk-open",
            9,
            "港股低開58點　快手績後跌逾5%",
            "恒指低開58點，報19647點，快手績後跌逾5%。",
        ),
        (
            "hk-noon",
            12,
            "港股半日跌24點",
            "恒指半日報19681點，跌24點，主板成交約570億元。",
        ),
        (
            "hkbn",
            13,
            "香港寬頻：與中移動仍在討論潛在收購要約條款",
            "香港寬頻今日復牌，股價升逾12%，公司表示與中移動仍在討論潛在收購要約條款，港股市場反應正面。",
        ),
        // Wall Street's close, published at 05:30 in Hong Kong: the New York day before.
        (
            "us-close",
            29,
            "道指高收139點　納指回軟",
            "美股個別發展，道瓊斯指數收報43408點，升139點。",
        ),
        (
            "jp-open2",
            32,
            "日股初段曾跌逾200點",
            "日股初段偏軟，日經指數較早時報38152點，跌200點，跌幅0.52%。",
        ),
        (
            "us-open2",
            46,
            "美股初段下跌",
            "美股初段下跌，道指報43100點，跌308點。",
        ),
    ];
    let mut clusterer = Clusterer::new(Config::default());
    for (id, hours, title, body) in reports {
        let a = article(id, "rthk", hours, title, &[body]);
        let f = ArticleFeatures::from_article(&text, &a);
        assert_eq!(f.report.is_some(), id != "hkbn", "{id}: {:?}", f.report);
        clusterer.add(&f);
    }
    let snap = clusterer.snapshot();
    let event_of = |id: &str| event_and_story(&snap, id);
    let groups: Vec<Vec<&str>> = snap
        .events
        .iter()
        .map(|e| e.articles.iter().map(String::as_str).collect())
        .collect();
    for expected in [
        vec!["jp-open"],
        vec!["tw-open"],
        vec!["hk-open", "hk-noon"],
        vec!["hkbn"],
        vec!["us-close"],
        vec!["jp-open2"],
        vec!["us-open2"],
    ] {
        assert!(groups.contains(&expected), "{expected:?} in {groups:?}");
    }
    // One story per market, across sessions; the company news stays out of the market's.
    assert_eq!(event_of("jp-open").1, event_of("jp-open2").1);
    assert_eq!(event_of("us-close").1, event_of("us-open2").1);
    assert_ne!(event_of("jp-open").1, event_of("tw-open").1);
    assert_ne!(event_of("hk-open").1, event_of("hkbn").1);
    // The state resumes with its series.
    let saved = serde_json::to_string(&clusterer).unwrap_or_default();
    let mut resumed: Clusterer = serde_json::from_str(&saved).unwrap_or_else(|e| panic!("{e}"));
    let late = article(
        "hk-close",
        "rthk",
        16,
        "港股低收103點",
        &["恒指收報19601點，跌103點。"],
    );
    let assigned = resumed.add(&ArticleFeatures::from_article(&text, &late));
    assert_eq!(assigned.event, event_of("hk-open").0);
}

/// Results headlines share their template (`上季經調整盈利按年升`), not their happening: two
/// companies' results never share an event or a story, while one company's results told by
/// two outlets, in two scripts and spellings, still do.
#[test]
fn results_of_different_companies_stay_apart() {
    let text = newsloom_text::TextLayer::default();
    let results = [
        (
            "kuaishou",
            "rthk",
            1,
            "快手上季經調整盈利按年升24%勝預期",
            "快手公布第三季業績，經調整盈利按年升24%至39億元人民幣，收入按年升11%，勝市場預期。",
        ),
        (
            "baidu",
            "rthk",
            2,
            "百度上季經調整盈利按年跌19%　低過預期",
            "百度公布第三季業績，經調整盈利按年跌19%至59億元人民幣，收入按年跌3%，低過市場預期。",
        ),
        (
            "nio",
            "rthk",
            3,
            "蔚來上季經調整淨虧損按年擴大近12%",
            "蔚來公布第三季業績，經調整淨虧損按年擴大近12%至44億元人民幣，收入按年跌2%，低過市場預期。",
        ),
        (
            "nvidia-hk",
            "rthk",
            4,
            "Nvidia上季業績勝預期　收入增長放緩至不足1倍",
            "Nvidia公布第三季業績，收入按年增長94%至351億美元，勝市場預期，但增長放緩。",
        ),
        (
            "nvidia-tw",
            "cna",
            5,
            "輝達上季營收351億美元　年增94%優於預期",
            "輝達公布第三季財報，營收年增94%至351億美元，優於市場預期，但成長放緩。",
        ),
    ];
    let mut clusterer = Clusterer::new(Config::default());
    for (id, outlet, hours, title, body) in results {
        let f = ArticleFeatures::from_article(&text, &article(id, outlet, hours, title, &[body]));
        assert!(f.company.is_some(), "{id}: {title}");
        clusterer.add(&f);
    }
    let snap = clusterer.snapshot();
    let story_of = |id: &str| event_and_story(&snap, id).1;
    let stories: std::collections::HashSet<String> = ["kuaishou", "baidu", "nio", "nvidia-hk"]
        .iter()
        .map(|id| story_of(id))
        .collect();
    assert_eq!(stories.len(), 4, "{:?}", snap.events);
    assert_eq!(
        story_of("nvidia-hk"),
        story_of("nvidia-tw"),
        "{:?}",
        snap.events
    );
}

/// Preparing chunks in parallel while the previous chunk is being clustered gives exactly
/// what adding the articles one by one gives, over several chunks and on two threads.
#[test]
fn chunked_parallel_clustering_equals_one_by_one() {
    let base = stream();
    let articles: Vec<Article> = (0..2600)
        .map(|i| {
            let mut a = base[i % base.len()].clone();
            a.id = format!("{}-{i}", a.id);
            a.title = format!("{} {}", a.title, i / 40);
            a.published = a.published.map(|p| p + Duration::minutes(i as i64 * 7));
            a
        })
        .collect();
    let mut one_by_one = Clusterer::new(Config::default());
    let expected: Vec<(Assignment, Option<Vec<u32>>)> = articles
        .iter()
        .map(|a| {
            let f = feats(a);
            let signature = one_by_one.fingerprints(&f).signature().map(<[u32]>::to_vec);
            (one_by_one.add(&f), signature)
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut chunked = Clusterer::new(Config::default());
    let mut placed = Vec::new();
    pool.install(|| {
        newsloom_cluster::cluster_in_chunks(
            &mut chunked,
            &articles,
            |a| (feats(a), a.id.clone()),
            |p| {
                assert_eq!(p.extra, p.item.id, "the extra value travels with its item");
                assert_eq!(p.features.id, p.item.id);
                assert_eq!(p.index, placed.len(), "placed in order, at its position");
                assert!(std::ptr::eq(p.item, &articles[p.index]));
                placed.push((p.assignment, p.signature));
            },
        )
    });
    assert_eq!(placed.len(), articles.len());
    assert!(
        placed == expected,
        "same assignments and signatures in the same order"
    );
    assert_eq!(one_by_one.snapshot(), chunked.snapshot());
}
