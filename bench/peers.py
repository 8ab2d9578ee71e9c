"""Runs the Python peers (trafilatura, readability-lxml, GNE) on the dev-set pages and writes
their output in the same JSON shape as newsloom's `score_devset` example, for bench/score.py.

Each page is decoded once up front (declared charset, GBK/GB2312 read as GB18030, UTF-8
fallback); only the extraction call is timed, so the peers are not charged for decoding
(newsloom's own time includes its encoding detection and parsing).

Usage: peers.py GOLD_DIR OUT_DIR [repeats]
"""
import json, os, re, sys, time, warnings, logging
warnings.filterwarnings('ignore')
logging.disable(logging.CRITICAL)

def decode(raw):
    m = re.search(rb'charset\s*=\s*["\']?([\w-]+)', raw[:8192], re.I)
    cs = m.group(1).decode('ascii', 'ignore').lower() if m else 'utf-8'
    if cs in ('gb2312', 'gbk'):
        cs = 'gb18030'
    try:
        return raw.decode(cs)
    except (LookupError, UnicodeDecodeError):
        return raw.decode('utf-8', errors='replace')

def paragraphs(text):
    return [p.strip() for p in (text or '').split('\n') if p.strip()]

def run_trafilatura(html, url):
    import trafilatura
    out = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if out is None:
        return {'body': []}
    d = out.as_dict() if hasattr(out, 'as_dict') else dict(out)
    return {'title': d.get('title'), 'published': d.get('date'), 'authors': [a.strip() for a in (d.get('author') or '').split(';') if a.strip()], 'body': paragraphs(d.get('text'))}

def run_readability(html, url):
    from readability import Document
    import lxml.html
    doc = Document(html)
    summary = doc.summary(html_partial=True)
    tree = lxml.html.fromstring(summary) if summary.strip() else None
    body = []
    if tree is not None:
        for el in tree.iter('p', 'h1', 'h2', 'h3', 'h4', 'li', 'pre', 'blockquote', 'td'):
            t = re.sub(r'\s+', ' ', el.text_content()).strip()
            if t:
                body.append(t)
        if not body:
            body = paragraphs(tree.text_content())
    return {'title': doc.short_title(), 'body': body}

def run_gne(html, url):
    from gne import GeneralNewsExtractor
    r = GeneralNewsExtractor().extract(html)
    return {'title': r.get('title'), 'published': r.get('publish_time') or None, 'authors': [r['author']] if r.get('author') else [], 'body': paragraphs(r.get('content'))}

SYSTEMS = {'trafilatura': run_trafilatura, 'readability': run_readability, 'gne': run_gne}

def main():
    gold_dir, out_dir = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    pages = []
    for f in sorted(os.listdir(gold_dir)):
        if f.endswith('.json'):
            g = json.load(open(os.path.join(gold_dir, f), encoding='utf-8'))
            raw = open(os.path.join(gold_dir, g['file']), 'rb').read()
            pages.append((g['file'], g.get('url'), decode(raw)))
    os.makedirs(out_dir, exist_ok=True)
    for name, fn in SYSTEMS.items():
        results, start = [], time.perf_counter()
        for r in range(repeats):
            for file, url, html in pages:
                try:
                    res = fn(html, url)
                except Exception as e:  # a peer crashing on a page scores 0 there
                    res = {'body': [], 'error': repr(e)}
                if r == repeats - 1:
                    res['file'] = file
                    if res.get('published') is not None:
                        res['published'] = str(res['published'])
                    results.append(res)
        secs = time.perf_counter() - start
        pps = len(pages) * repeats / secs
        json.dump({'system': name, 'pages_per_sec': pps, 'pages': results}, open(os.path.join(out_dir, f'out-{name}.json'), 'w'), ensure_ascii=False)
        print(f'{name}: {len(pages)} pages x {repeats} in {secs:.2f}s = {pps:.1f} pages/s', flush=True)

if __name__ == '__main__':
    main()
