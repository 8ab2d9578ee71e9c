-- newsloom store, schema version 1.
--
-- Data flows one way: sources -> documents -> articles (+ revisions) -> matching forms and
-- fingerprints, entity mentions -> near-duplicates, passage reuse -> events -> stories.
-- Times the store records itself are RFC 3339 UTC text; publication times are kept twice:
-- as the source stated them (`published`, with its offset) and as unix seconds
-- (`*_utc`) for ordering and filters.
-- Hashes are raw 32-byte BLAKE3 digests.

CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

-- One row per `newsloom digest` (or other writer) run.
CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    started_at       TEXT NOT NULL,
    finished_at      TEXT,
    status           TEXT NOT NULL
                     CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
    pid              INTEGER NOT NULL,
    command          TEXT NOT NULL DEFAULT '',
    read             INTEGER NOT NULL DEFAULT 0,
    skipped          INTEGER NOT NULL DEFAULT 0,
    failed           INTEGER NOT NULL DEFAULT 0,
    parsed           INTEGER NOT NULL DEFAULT 0,
    unchanged        INTEGER NOT NULL DEFAULT 0,
    batches          INTEGER NOT NULL DEFAULT 0,
    new_articles     INTEGER NOT NULL DEFAULT 0,
    revised_articles INTEGER NOT NULL DEFAULT 0,
    message          TEXT
);

-- Input roots a user pointed newsloom at (folders now, feed URLs later).
CREATE TABLE sources (
    id         INTEGER PRIMARY KEY,
    root       TEXT NOT NULL UNIQUE,
    first_run  INTEGER REFERENCES runs(id),
    last_run   INTEGER REFERENCES runs(id),
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);

-- The head of every article: its current revision plus indexed columns.
-- The full JSON of every revision lives in article_revisions (history kept, never duplicated).
CREATE TABLE articles (
    id            TEXT PRIMARY KEY,
    revision      INTEGER NOT NULL,
    outlet_id     TEXT NOT NULL,
    outlet        TEXT NOT NULL,
    url           TEXT,
    published     TEXT,
    published_utc INTEGER,
    title         TEXT NOT NULL,
    script        TEXT NOT NULL,
    language      TEXT NOT NULL,
    first_run     INTEGER REFERENCES runs(id),
    last_run      INTEGER REFERENCES runs(id),
    first_seen    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX articles_outlet ON articles(outlet_id, published_utc);
CREATE INDEX articles_published ON articles(published_utc);
CREATE INDEX articles_url ON articles(url);

CREATE TABLE article_revisions (
    id           INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id),
    revision     INTEGER NOT NULL,
    -- BLAKE3 of the article JSON without `source`: the same text read through another
    -- mirror is not a new revision.
    content_hash BLOB NOT NULL,
    json         TEXT NOT NULL,
    document     TEXT,
    run_id       INTEGER REFERENCES runs(id),
    recorded_at  TEXT NOT NULL,
    UNIQUE (article_id, revision)
);

-- Every file (or URL) read. A document is recorded in the same transaction as its
-- articles, so a document row means "done".
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    location     TEXT NOT NULL UNIQUE,
    source_id    INTEGER REFERENCES sources(id),
    format       TEXT,
    content_hash BLOB NOT NULL,
    size         INTEGER NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('parsed', 'skipped', 'failed')),
    detail       TEXT,
    revision     INTEGER NOT NULL DEFAULT 1,
    first_run    INTEGER REFERENCES runs(id),
    last_run     INTEGER REFERENCES runs(id),
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL
);
CREATE INDEX documents_hash ON documents(content_hash);
CREATE INDEX documents_source ON documents(source_id);

-- Which articles a document yielded (a feed yields many, a page one).
CREATE TABLE document_articles (
    document_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    article_id       TEXT NOT NULL REFERENCES articles(id),
    article_revision INTEGER NOT NULL,
    PRIMARY KEY (document_id, article_id)
) WITHOUT ROWID;
CREATE INDEX document_articles_article ON document_articles(article_id);

-- Matching forms and fingerprints of an article's current revision.
CREATE TABLE fingerprints (
    article_id     TEXT PRIMARY KEY REFERENCES articles(id),
    revision       INTEGER NOT NULL,
    scheme         TEXT NOT NULL,
    matching_title TEXT NOT NULL,
    matching_text  TEXT NOT NULL,
    minhash        BLOB NOT NULL
);

-- Canonical entities (alias groups) and their known surface forms.
CREATE TABLE entities (
    id   TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE TABLE entity_aliases (
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;

-- Which surface form of which entity an article uses, how often. Alias counts and
-- examples are computed from here, so they never double count a re-read article.
CREATE TABLE article_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    entity_id  TEXT NOT NULL REFERENCES entities(id),
    alias      TEXT NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id, alias)
) WITHOUT ROWID;
CREATE INDEX article_mentions_entity ON article_mentions(entity_id, alias);

-- Near-duplicate (and exact duplicate) links, stored once per pair with article_a < article_b.
CREATE TABLE near_duplicates (
    article_a  TEXT NOT NULL REFERENCES articles(id),
    article_b  TEXT NOT NULL REFERENCES articles(id),
    kind       TEXT NOT NULL CHECK (kind IN ('exact', 'near')),
    similarity REAL NOT NULL,
    PRIMARY KEY (article_a, article_b),
    CHECK (article_a < article_b)
) WITHOUT ROWID;
CREATE INDEX near_duplicates_b ON near_duplicates(article_b);

-- A passage of article a (block index, char range within the block) reused in article b.
CREATE TABLE passage_reuse (
    article_a  TEXT NOT NULL REFERENCES articles(id),
    block_a    INTEGER NOT NULL,
    start_a    INTEGER NOT NULL,
    end_a      INTEGER NOT NULL,
    article_b  TEXT NOT NULL REFERENCES articles(id),
    block_b    INTEGER NOT NULL,
    start_b    INTEGER NOT NULL,
    end_b      INTEGER NOT NULL,
    chars      INTEGER NOT NULL,
    similarity REAL NOT NULL,
    PRIMARY KEY (article_a, block_a, start_a, article_b, block_b, start_b)
) WITHOUT ROWID;
CREATE INDEX passage_reuse_b ON passage_reuse(article_b);

-- Stories and events. first_utc/last_utc/article_count/outlet_count are derived from the
-- member articles and kept up to date by the store so listings need no joins.
CREATE TABLE stories (
    id               TEXT PRIMARY KEY,
    title            TEXT NOT NULL,
    title_article_id TEXT,
    first_utc        INTEGER,
    last_utc         INTEGER,
    article_count    INTEGER NOT NULL DEFAULT 0,
    outlet_count     INTEGER NOT NULL DEFAULT 0,
    created_run      INTEGER REFERENCES runs(id),
    updated_run      INTEGER REFERENCES runs(id)
);
CREATE INDEX stories_last ON stories(last_utc);

CREATE TABLE events (
    id               TEXT PRIMARY KEY,
    story_id         TEXT NOT NULL REFERENCES stories(id),
    title            TEXT NOT NULL,
    title_article_id TEXT,
    first_utc        INTEGER,
    last_utc         INTEGER,
    article_count    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_story ON events(story_id);

CREATE TABLE event_articles (
    event_id   TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (event_id, article_id)
) WITHOUT ROWID;
CREATE INDEX event_articles_article ON event_articles(article_id);

-- Story membership is the union of its events' members.
CREATE VIEW story_articles AS
    SELECT DISTINCT e.story_id AS story_id, ea.article_id AS article_id
    FROM events e JOIN event_articles ea ON ea.event_id = e.id;

-- A story merged into another keeps resolving (links on published pages stay valid).
CREATE TABLE story_redirects (
    old_id TEXT PRIMARY KEY,
    new_id TEXT NOT NULL
) WITHOUT ROWID;

-- Opaque versioned blobs, e.g. the online clusterer's state under 'cluster_state'.
CREATE TABLE kv (
    key        TEXT PRIMARY KEY,
    format     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    value      BLOB NOT NULL,
    run_id     INTEGER REFERENCES runs(id),
    updated_at TEXT NOT NULL
);
