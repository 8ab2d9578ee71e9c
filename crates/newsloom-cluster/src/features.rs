//! Per-article features, computed once from the article and the text layer.

use newsloom_model::Article;
use newsloom_text::RecurringReport;
use serde::{Deserialize, Serialize};

use crate::text::TextView;

/// Everything the deduplicator and the clusterer use from one article. All text is in
/// matching form, so features are comparable across scripts and name variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleFeatures {
    /// The article id ([`Article::id`]).
    pub id: String,
    pub outlet_id: String,
    /// The display title (original spelling), used for event and story titles.
    pub title: String,
    /// Publication time, seconds since the Unix epoch; `None` when unknown.
    pub published: Option<i64>,
    /// Title in matching form.
    pub title_form: String,
    /// Body blocks in matching form, in reading order (indices match [`Article::body`]).
    pub blocks: Vec<String>,
    /// Canonical entity ids from the text layer (may be empty).
    pub entities: Vec<String>,
    /// Quoted passages in matching form (may be empty).
    pub quotes: Vec<String>,
    /// For a market report (`港股低收103點`): its series and trading session. Such reports
    /// are clustered by series and session, not by their words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<RecurringReport>,
    /// For a results headline (`快手上季經調整盈利按年升24%`): the company, as the title names
    /// it. Results of different companies never share an event or a story.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The named case a headline reports on (`47人案`): reports of one case are one story.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
}

impl ArticleFeatures {
    /// Computes the features of `article` through `text`.
    pub fn from_article(text: &dyn TextView, article: &Article) -> Self {
        let title_form = text.matching_form(&article.title);
        let published = article.published.map(|p| p.timestamp());
        ArticleFeatures {
            id: article.id.clone(),
            outlet_id: article.outlet_id.clone(),
            title: article.title.clone(),
            published,
            report: published.and_then(|t| text.recurring_report(&title_form, t)),
            company: text.results_company(&title_form),
            case: text.named_case(&title_form),
            title_form,
            blocks: article
                .body
                .iter()
                .map(|b| text.matching_form(&b.text))
                .collect(),
            entities: text.entities(article),
            quotes: text.quotes(article),
        }
    }

    /// Features from an article and its text-layer analysis: matching forms from `text`,
    /// entity ids and quote clauses from `analysis`.
    pub fn from_analysis(
        text: &dyn TextView,
        article: &Article,
        analysis: &newsloom_text::Analysis,
    ) -> Self {
        let mut f = ArticleFeatures::from_article(text, article);
        f.entities = analysis.entities.iter().map(|e| e.id.clone()).collect();
        f.quotes = analysis
            .quotes
            .iter()
            .flat_map(|q| q.clauses.iter().cloned())
            .collect();
        f
    }

    /// Number of characters of body text in matching form.
    pub fn body_chars(&self) -> usize {
        self.blocks.iter().map(|b| b.chars().count()).sum()
    }
}
