"""Scores extractor outputs against the labelled dev set (tests/fixtures/html/*.json).

Body: shingle F1 with 4-token shingles, where every CJK character is one token and a run of
Latin letters/digits is one token (punctuation and whitespace are not tokens); precision and
recall per page (multiset overlap), averaged over pages. Published time: right when it falls on
the gold date and, when the gold has a time of day, within 5 minutes of it; counted over pages
whose gold has a date ("day": the calendar day alone). Title: exact match after removing whitespace. Authors: the same names (case-insensitive,
any order) as the gold list, an empty list included.

Usage: score.py GOLD_DIR OUT.json [OUT.json ...]
"""
import json, os, re, sys
from collections import Counter
from datetime import datetime, timedelta, timezone

# CJK radicals through unified ideographs (minus CJK symbols and punctuation, U+3000-303F),
# compatibility ideographs, extension B+; Latin letters/digits runs. Same as
# newsloom_extract::score in Rust.
TOKEN = re.compile(r'[\u2e80-\u2fff\u3040-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]|[A-Za-z0-9\u00c0-\u024f]+')

def shingles(text, k=4):
    toks = [t.lower() for t in TOKEN.findall(text)]
    if len(toks) < k:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i:i + k]) for i in range(len(toks) - k + 1))

def prf(pred, gold):
    p, g = shingles(pred), shingles(gold)
    if not g and not p:
        return 1.0, 1.0, 1.0
    overlap = sum((p & g).values())
    prec = overlap / sum(p.values()) if p else 0.0
    rec = overlap / sum(g.values()) if g else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1

def parse_time(s):
    if not s:
        return None, False
    s = s.strip()
    try:
        if len(s) == 10:
            return datetime.fromisoformat(s).replace(tzinfo=timezone(timedelta(hours=8))), False
        t = datetime.fromisoformat(s.replace('Z', '+00:00'))
        if t.tzinfo is None:
            t = t.replace(tzinfo=timezone(timedelta(hours=8)))
        return t, True
    except ValueError:
        return None, False

def date_ok(pred, gold):
    g, g_has_time = parse_time(gold)
    p, _ = parse_time(pred)
    if p is None:
        return False
    tz = g.tzinfo
    if p.astimezone(tz).date() != g.date():
        return False
    return not g_has_time or abs((p - g).total_seconds()) <= 300

def day_ok(pred, gold):
    g, _ = parse_time(gold)
    p, _ = parse_time(pred)
    return p is not None and p.astimezone(g.tzinfo).date() == g.date()

def squash(s):
    return re.sub(r'\s+', '', s or '')

def main():
    gold_dir, outs = sys.argv[1], sys.argv[2:]
    gold = {}
    for f in sorted(os.listdir(gold_dir)):
        if f.endswith('.json'):
            g = json.load(open(os.path.join(gold_dir, f), encoding='utf-8'))
            gold[g['file']] = g
    print(f"{'system':<14}{'pages':>6}{'F1':>8}{'P':>8}{'R':>8}{'pages/s':>10}{'date':>10}{'day':>8}{'title':>10}{'authors':>10}")
    for out in outs:
        res = json.load(open(out, encoding='utf-8'))
        pred = {p['file']: p for p in res['pages']}
        ps, rs, fs, dates, days, dated, titles, titled, auth_ok, auth_n = [], [], [], 0, 0, 0, 0, 0, 0, 0
        for file, g in gold.items():
            p = pred.get(file, {})
            pr, rc, f1 = prf('\n'.join(p.get('body') or []), '\n'.join(g['body']))
            ps.append(pr); rs.append(rc); fs.append(f1)
            if g.get('published'):
                dated += 1
                dates += 'published' in p and date_ok(p.get('published'), g['published'])
                days += 'published' in p and day_ok(p.get('published'), g['published'])
            if 'authors' in p:
                auth_n += 1
                auth_ok += sorted(a.lower() for a in p.get('authors') or []) == sorted(a.lower() for a in g.get('authors') or [])
            if 'title' in p:
                titled += 1
                titles += squash(p.get('title')) == squash(g['title'])
        n = len(gold)
        has_dates = any('published' in p for p in pred.values())
        date_s = f"{dates}/{dated}" if has_dates else '-'
        day_s = f"{days}/{dated}" if has_dates else '-'

        title_s = f"{titles}/{titled}" if titled else '-'
        auth_s = f"{auth_ok}/{auth_n}" if auth_n else '-'
        print(f"{res['system']:<14}{n:>6}{sum(fs)/n:>8.3f}{sum(ps)/n:>8.3f}{sum(rs)/n:>8.3f}{res['pages_per_sec']:>10.1f}{date_s:>10}{day_s:>8}{title_s:>10}{auth_s:>10}")
        if os.environ.get('SCORE_DETAIL'):
            for (file, _), f1, pr, rc in zip(gold.items(), fs, ps, rs):
                print(f"    {file:<32} F1 {f1:.3f} P {pr:.3f} R {rc:.3f}")

if __name__ == '__main__':
    main()
