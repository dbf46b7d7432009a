/*
 * Disclosure search client: full-text search over the static files written by
 * disclosure_search/static_export.py. Plain ES2017, no dependencies, no build.
 *
 * It reproduces the Python side exactly (see disclosure_search/analysis.py,
 * scoring.py and snippets.py): the same per-character normalisation (NFKC,
 * lower case, Traditional->Simplified table from norm.json, regional terms),
 * the same document-number tokens, the same query terms (bigrams, whole runs,
 * Latin words) and the same integer ranking, so results match
 * `python publish.py search`.
 *
 * Markup it drives (see search.html):
 *   <form role="search" action="LIST PAGE"> <input name="q"> [selects named
 *   type, status, year, issuer, sort] [checkbox named inforce] </form>
 *   <div id="search-results" data-index="/search/" data-site-root="/"></div>
 * The query lives in the URL (?q=...&type=...&sort=date&inforce=1).
 */
(function (root) {
  'use strict';

  // ---------------------------------------------------------------- analysis
  const CJK_CLASS = '\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2fa1f}';
  const CJK_RE = new RegExp('[' + CJK_CLASS + ']', 'u');
  const RUN_SRC = '([' + CJK_CLASS + ']+)|([a-z0-9]+)';
  // Keep in sync with DOCNUM_RE in docnumber.py.
  const DOCNUM_SRC =
    '[〔\\[(【〖] *((?:19|20)[0-9]{2}) *[〕\\])】〗] *(?:第 *)?(?:no\\.? *)?([0-9]{1,6})(?: *号)?' +
    '|(?:第 *)?([0-9]{1,6}) *号' +
    '|no\\.? *([0-9]{1,6})';
  const DIGITS = '0123456789';
  const ASCII_ALNUM = DIGITS + 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const DEFAULT_TOKENISER = {
    stopwords: ['a', 'an', 'and', 'by', 'for', 'in', 'is', 'of', 'on', 'the', 'to'],
    min_whole_run: 3,
    max_whole_run: 12
  };

  /** A Map-backed table from norm.json ({chars: {...}, phrases: {...}}). */
  function makeTable(norm) {
    const chars = new Map();
    const phrases = new Map();
    let maxPhrase = 0;
    if (norm) {
      Object.keys(norm.chars || {}).forEach(function (k) { chars.set(k, norm.chars[k]); });
      Object.keys(norm.phrases || {}).forEach(function (k) {
        phrases.set(k, norm.phrases[k]);
        maxPhrase = Math.max(maxPhrase, Array.from(k).length);
      });
    }
    return { chars: chars, phrases: phrases, maxPhrase: maxPhrase };
  }
  const EMPTY_TABLE = makeTable(null);

  /**
   * Normalise text per code point; returns {chars: [...], starts: [...], ends: [...]}
   * where starts/ends are code-point offsets into the original text.
   */
  function normalise(text, table) {
    const tab = table || EMPTY_TABLE;
    const chars = [];
    const starts = [];
    const ends = [];
    let i = 0;
    for (const ch of text) {
      const folded = ch.normalize('NFKC').toLowerCase();
      for (const c of folded) {
        chars.push(tab.chars.has(c) ? tab.chars.get(c) : c);
        starts.push(i);
        ends.push(i + 1);
      }
      i += 1;
    }
    if (tab.maxPhrase < 2) return { chars: chars, starts: starts, ends: ends };
    const joined = chars.join('');
    let any = false;
    tab.phrases.forEach(function (_v, k) { if (joined.indexOf(k) >= 0) any = true; });
    if (!any) return { chars: chars, starts: starts, ends: ends };
    const out = { chars: [], starts: [], ends: [] };
    let p = 0;
    while (p < chars.length) {
      let replaced = false;
      for (let size = Math.min(tab.maxPhrase, chars.length - p); size > 1; size--) {
        const repl = tab.phrases.get(chars.slice(p, p + size).join(''));
        if (repl !== undefined) {
          for (const c of repl) {
            out.chars.push(c);
            out.starts.push(starts[p]);
            out.ends.push(ends[p + size - 1]);
          }
          p += size;
          replaced = true;
          break;
        }
      }
      if (!replaced) {
        out.chars.push(chars[p]);
        out.starts.push(starts[p]);
        out.ends.push(ends[p]);
        p += 1;
      }
    }
    return out;
  }

  /** Document numbers in normalised text: [{start, end, tokens}] (UTF-16 offsets). */
  function findDocNumbers(norm) {
    const re = new RegExp(DOCNUM_SRC, 'gu');
    const found = [];
    let pos = 0;
    for (;;) {
      re.lastIndex = pos;
      const m = re.exec(norm);
      if (m === null) return found;
      const start = m.index;
      const end = start + m[0].length;
      const before = start > 0 ? norm[start - 1] : '';
      const after = end < norm.length ? norm[end] : '';
      const gluedBefore = before !== '' && ASCII_ALNUM.indexOf(before) >= 0 && m[1] === undefined;
      const gluedAfter = after !== '' && DIGITS.indexOf(after) >= 0 && DIGITS.indexOf(norm[end - 1]) >= 0;
      if (gluedBefore || gluedAfter) {
        pos = start + 1;
        continue;
      }
      let tokens;
      if (m[1] !== undefined) {
        const seq = String(parseInt(m[2], 10));
        tokens = [String(parseInt(m[1], 10)) + '-' + seq, 'no:' + seq];
      } else {
        tokens = ['no:' + String(parseInt(m[3] !== undefined ? m[3] : m[4], 10))];
      }
      found.push({ start: start, end: end, tokens: tokens });
      pos = end;
    }
  }

  function latinTerm(word, stop) {
    if (stop.has(word)) return null;
    if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
    return word;
  }

  function dedupe(items) {
    const seen = new Set();
    const out = [];
    items.forEach(function (x) { if (!seen.has(x)) { seen.add(x); out.push(x); } });
    return out;
  }

  /** Query terms {core: [...], bonus: [...]} exactly as analysis.query_terms. */
  function queryTerms(query, table, tokeniser) {
    const tok = tokeniser || DEFAULT_TOKENISER;
    const stop = new Set(tok.stopwords);
    let norm = normalise(query, table).chars.join('');
    const numbers = findDocNumbers(norm);
    const core = [];
    const bonus = [];
    if (numbers.length) {
      const pieces = [];
      let last = 0;
      numbers.forEach(function (f) {
        f.tokens.forEach(function (t) { core.push(t); });
        pieces.push(norm.slice(last, f.start), ' ');
        last = f.end;
      });
      pieces.push(norm.slice(last));
      norm = pieces.join('');
    }
    const re = new RegExp(RUN_SRC, 'gu');
    let m;
    while ((m = re.exec(norm)) !== null) {
      if (m[1] !== undefined) {
        const cps = Array.from(m[1]);
        if (cps.length === 1) {
          core.push(cps[0]);
        } else {
          for (let i = 0; i + 1 < cps.length; i++) core.push(cps[i] + cps[i + 1]);
          if (cps.length >= tok.min_whole_run && cps.length <= tok.max_whole_run) bonus.push(m[1]);
        }
      } else {
        const t = latinTerm(m[2], stop);
        if (t !== null) core.push(t);
      }
    }
    return { core: dedupe(core), bonus: dedupe(bonus) };
  }

  function hasCjk(text) {
    return CJK_RE.test(text.normalize('NFKC'));
  }

  /** 32-bit FNV-1a of the UTF-8 bytes (static_export.fnv1a32). */
  function fnv1a32(text) {
    const bytes = new TextEncoder().encode(text);
    let h = 0x811c9dc5;
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // ---------------------------------------------------------------- snippets
  function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  function isNumberToken(t) { return t.indexOf(':') >= 0 || t.indexOf('-') >= 0; }

  /** Merged [start, end) code-point spans of text matching the terms (snippets.match_spans). */
  function matchSpans(text, terms, table) {
    const n = normalise(text, table);
    const spans = [];
    const numbers = new Set(terms.filter(isNumberToken));
    if (numbers.size) {
      // findDocNumbers works on UTF-16 offsets of the joined string: map back to char indexes.
      const joined = n.chars.join('');
      const unitToChar = [];
      n.chars.forEach(function (c, idx) { for (let u = 0; u < c.length; u++) unitToChar.push(idx); });
      findDocNumbers(joined).forEach(function (f) {
        if (f.tokens.some(function (t) { return numbers.has(t); })) {
          spans.push([n.starts[unitToChar[f.start]], n.ends[unitToChar[f.end - 1]]]);
        }
      });
    }
    terms.forEach(function (term) {
      if (!term || numbers.has(term)) return;
      const t = Array.from(term);
      for (let at = 0; at + t.length <= n.chars.length; at++) {
        let ok = true;
        for (let j = 0; j < t.length; j++) {
          if (n.chars[at + j] !== t[j]) { ok = false; break; }
        }
        if (ok) spans.push([n.starts[at], n.ends[at + t.length - 1]]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    const merged = [];
    spans.forEach(function (s) {
      const last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) {
        if (s[1] > last[1]) last[1] = s[1];
      } else {
        merged.push([s[0], s[1]]);
      }
    });
    return merged;
  }

  function mark(chars, spans, start, end) {
    const out = [];
    let pos = start;
    spans.forEach(function (sp) {
      const s = Math.max(sp[0], start);
      const e = Math.min(sp[1], end);
      if (s >= e) return;
      out.push(escapeHtml(chars.slice(pos, s).join('')));
      out.push('<mark>' + escapeHtml(chars.slice(s, e).join('')) + '</mark>');
      pos = e;
    });
    out.push(escapeHtml(chars.slice(pos, end).join('')));
    return out.join('');
  }

  /** HTML of text with matches marked (no cutting): for titles. */
  function markAll(text, terms, table) {
    const chars = Array.from(text);
    return mark(chars, matchSpans(text, terms, table), 0, chars.length);
  }

  /** snippets.make_snippet. */
  function makeSnippet(text, terms, table, opts) {
    const width = opts.width;
    const context = opts.context;
    const spans = matchSpans(text, terms, table);
    const chars = Array.from(text);
    const length = chars.length;
    let start = 0;
    if (spans.length) {
      let best = 0;
      let bestCount = -1;
      for (let i = 0; i < spans.length; i++) {
        let count = 0;
        for (let j = i; j < spans.length; j++) if (spans[j][0] < spans[i][0] + width) count++;
        if (count > bestCount) { best = i; bestCount = count; }
      }
      start = Math.max(0, spans[best][0] - context);
    }
    const end = Math.min(length, start + width);
    if (end - start < width) start = Math.max(0, end - width);
    return (start > 0 ? '…' : '') + mark(chars, spans, start, end) + (end < length ? '…' : '');
  }

  // ----------------------------------------------------------------- ranking
  function decode(values, scored) {
    const out = [];
    let ord = 0;
    const step = scored ? 2 : 1;
    for (let i = 0; i < values.length; i += step) {
      ord += values[i];
      out.push([ord, scored ? values[i + 1] : 0]);
    }
    return out;
  }

  function finalScore(total, matched, nCore) {
    if (nCore === 0) return 0;
    return (total * matched * matched) / (nCore * nCore);
  }

  function filterTerms(p) {
    const out = [];
    if (p.type) out.push('~type:' + p.type);
    if (p.status) out.push('~status:' + p.status);
    if (p.year !== undefined && p.year !== null && p.year !== '') out.push('~year:' + String(p.year));
    if (p.issuer) out.push('~issuer:' + p.issuer);
    if (p.inforce) out.push('~inforce:1');
    return out;
  }

  /** The records kept by a query, [ordinal, score, matched] by ordinal (static_lookup._matching). */
  function matching(terms, filters, postings) {
    let allowed = null;
    filters.forEach(function (name) {
      const members = new Set(decode(postings[name] || [], false).map(function (x) { return x[0]; }));
      allowed = allowed === null ? members : new Set(Array.from(allowed).filter(function (o) { return members.has(o); }));
    });
    if (!terms.core.length) {
      return Array.from(allowed || []).sort(function (a, b) { return a - b; }).map(function (o) { return [o, 0, 0]; });
    }
    const totals = new Map();
    const matched = new Map();
    const core = new Set(terms.core);
    terms.core.concat(terms.bonus).forEach(function (term) {
      decode(postings[term] || [], true).forEach(function (x) {
        const o = x[0];
        if (allowed !== null && !allowed.has(o)) return;
        totals.set(o, (totals.get(o) || 0) + x[1]);
        if (core.has(term)) matched.set(o, (matched.get(o) || 0) + 1);
      });
    });
    let best = 0;
    matched.forEach(function (m) { if (m > best) best = m; });
    const ords = Array.from(totals.keys()).sort(function (a, b) { return a - b; });
    const kept = [];
    ords.forEach(function (o) {
      const m = matched.get(o) || 0;
      if (2 * m >= best) kept.push([o, finalScore(totals.get(o), m, terms.core.length), m]);
    });
    return kept;
  }

  /** One result per document (scoring.collapse): the best score, shown by the current
   *  version unless an older one has more core terms. `kept`: [ordinal, score, matched]. */
  function collapse(kept, headOf) {
    const groups = new Map();
    kept.forEach(function (x) {
      const h = headOf(x[0]);
      if (!groups.has(h)) groups.set(h, []);
      groups.get(h).push(x);
    });
    const heads = Array.from(groups.keys()).sort(function (a, b) { return a - b; });
    return heads.map(function (h) {
      const members = groups.get(h);
      let bestScore = -Infinity;
      let most = -1;
      members.forEach(function (x) {
        if (x[1] > bestScore) bestScore = x[1];
        if (x[2] > most) most = x[2];
      });
      const eligible = members.filter(function (x) { return x[2] === most; });
      let shown = null;
      if (eligible.some(function (x) { return x[0] === h; })) {
        shown = h;
      } else {
        let top = -Infinity;
        eligible.forEach(function (x) { if (x[1] > top) top = x[1]; });
        eligible.forEach(function (x) { if (x[1] === top && (shown === null || x[0] < shown)) shown = x[0]; });
      }
      return [shown, bestScore];
    });
  }

  /** Rank exactly as static_lookup / index._rank: match, one per document, order. */
  function rank(kept, headOf, sort) {
    let ranked = collapse(kept, headOf);
    if (sort !== 'date') {
      // Array.prototype.sort is stable (ES2019, and in every current engine); ties keep ordinal order.
      ranked = ranked.map(function (x, i) { return [x[0], x[1], i]; })
        .sort(function (a, b) { return b[1] - a[1] || a[2] - b[2]; })
        .map(function (x) { return [x[0], x[1]]; });
    }
    return ranked;
  }

  // ------------------------------------------------------------------ client
  // The layout of the files this client reads (static_export.FORMAT; a test keeps the
  // two equal).  Files of another layout, e.g. this script kept by a browser's cache
  // after the site was published again, would pair results with the wrong records:
  // the client refuses them and the page says search is unavailable.
  const FORMAT = 3;

  /**
   * A search client. `load(path)` resolves to the parsed JSON of a file of the
   * export (default: fetch relative to `base`).
   */
  function createClient(options) {
    const base = options.base || '';
    const load = options.load || function (path) {
      return fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
        return r.json();
      });
    };
    const cache = new Map();
    function get(path) {
      if (!cache.has(path)) {
        const p = load(path);
        cache.set(path, p);
        p.catch(function () { cache.delete(path); });
      }
      return cache.get(path);
    }

    async function search(params) {
      const meta = await get('meta.json');
      if (meta.format !== FORMAT) throw new Error('search files of format ' + meta.format + ', this client reads ' + FORMAT);
      const q = params.q || '';
      const table = hasCjk(q) ? makeTable(await get('norm.json')) : EMPTY_TABLE;
      const terms = queryTerms(q, table, meta.tokeniser);
      const filters = filterTerms(params);
      if (!terms.core.length && !filters.length) return { terms: terms, table: table, meta: meta, results: [] };
      const wanted = terms.core.concat(terms.bonus, filters);
      const shardIds = Array.from(new Set(wanted.map(function (t) { return fnv1a32(t) % meta.shards; })))
        .sort(function (a, b) { return a - b; });
      const shards = await Promise.all(shardIds.map(function (k) { return get('t/' + k + '.json'); }));
      const postings = Object.create(null); // no inherited keys: a query word may be "constructor"
      shards.forEach(function (shard) {
        wanted.forEach(function (t) {
          if (Object.prototype.hasOwnProperty.call(shard, t)) postings[t] = shard[t];
        });
      });
      const kept = matching(terms, filters, postings);
      const older = kept.some(function (x) { return x[0] >= meta.heads; }) ? await get('h.json') : [];
      const headOf = function (o) { return o < meta.heads ? o : older[o - meta.heads]; };
      return { terms: terms, table: table, meta: meta, results: rank(kept, headOf, params.sort) };
    }

    /** Fetch the records of ranked results [from, to) and attach snippets. */
    async function documents(found, from, to) {
      const slice = found.results.slice(from, to);
      const all = found.terms.core.concat(found.terms.bonus);
      // d/ files are numbered from the last ordinal (static_export.payload_file)
      const docs = await Promise.all(slice.map(function (r) { return get('d/' + (found.meta.docs - 1 - r[0]) + '.json'); }));
      return docs.map(function (doc, i) {
        return {
          doc: doc,
          ordinal: slice[i][0],
          score: slice[i][1],
          snippet: makeSnippet(doc.excerpt, all, found.table, found.meta.snippet),
          titleHtml: markAll(doc.title, all, found.table)
        };
      });
    }

    return { search: search, documents: documents, get: get };
  }

  // ---------------------------------------------------------------------- UI
  const LABELS = {
    status: {
      not_yet_effective: '尚未生效', effective: '现行有效', amended: '已修改',
      partially_invalid: '部分失效', repealed: '已废止', expired: '失效'
    },
    type: {
      normative: '行政规范性文件', regulation: '规章', interpretation: '政策解读',
      keypoints: '政务公开工作要点', annual_report: '政府信息公开工作年度报告',
      draft: '征求意见稿', notice: '通知公告'
    },
    inforce: { '1': '现行有效', '0': '非现行有效' },
    summary: function (n) { return '共找到 ' + n + ' 条结果'; },
    none: '没有找到相关文件。请减少或更换关键词，或使用文号（如“495号”）查找。',
    more: '显示更多结果',
    all: '全部',
    error: '搜索暂时不可用，请稍后再试。'
  };
  // Captured while the script runs: document.currentScript is null in later callbacks.
  const SCRIPT_SRC = (typeof document !== 'undefined' && document.currentScript && document.currentScript.src) || '';
  const PARAMS = ['q', 'type', 'status', 'year', 'issuer', 'inforce', 'sort'];
  const PAGE = 10;

  function el(doc, tag, attrs, html) {
    const node = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (html !== undefined) node.innerHTML = html;
    return node;
  }

  function readParams(search) {
    const usp = new URLSearchParams(search);
    const p = {};
    PARAMS.forEach(function (k) { p[k] = usp.get(k) || ''; });
    p.inforce = p.inforce === '1' || p.inforce === 'on';
    return p;
  }

  function writeParams(p) {
    const usp = new URLSearchParams();
    PARAMS.forEach(function (k) {
      if (k === 'inforce') { if (p.inforce) usp.set('inforce', '1'); } else if (p[k] && !(k === 'sort' && p[k] === 'relevance')) usp.set(k, p[k]);
    });
    const s = usp.toString();
    return s ? '?' + s : '';
  }

  function fillFilter(doc, form, name, counts) {
    const select = form.querySelector('select[name="' + name + '"]');
    if (!select || select.options.length > 1) return;
    const labels = LABELS[name] || {};
    Object.keys(counts).sort(function (a, b) { return name === 'year' ? b.localeCompare(a) : a.localeCompare(b); })
      .forEach(function (value) {
        const option = el(doc, 'option', { value: value });
        option.textContent = (labels[value] || value) + ' (' + counts[value] + ')';
        select.appendChild(option);
      });
  }

  function syncForm(form, p) {
    PARAMS.forEach(function (k) {
      const field = form.elements.namedItem(k);
      if (!field) return;
      if (field.type === 'checkbox') field.checked = !!p[k];
      else field.value = p[k] || (k === 'sort' ? 'relevance' : '');
    });
  }

  function formParams(form) {
    const p = {};
    PARAMS.forEach(function (k) {
      const field = form.elements.namedItem(k);
      if (!field) { p[k] = ''; return; }
      p[k] = field.type === 'checkbox' ? field.checked : String(field.value || '').trim();
    });
    return p;
  }

  function renderHit(doc, item, siteRoot) {
    const d = item.doc;
    const li = el(doc, 'li', { class: 'search-hit search-hit-' + d.type });
    const h = el(doc, 'h3', { class: 'search-hit-title' });
    h.appendChild(el(doc, 'a', { href: siteRoot + d.url }, item.titleHtml));
    li.appendChild(h);
    const meta = el(doc, 'p', { class: 'search-hit-meta' });
    const parts = [];
    if (d.doc_number) parts.push(el(doc, 'span', { class: 'search-hit-number' }, escapeHtml(d.doc_number)));
    if (d.published) parts.push(el(doc, 'time', { datetime: d.published }, escapeHtml(d.published)));
    parts.push(el(doc, 'span', { class: 'status-badge status-' + d.status },
      escapeHtml(LABELS.status[d.status] || d.status)));
    parts.push(el(doc, 'span', { class: 'search-hit-type' }, escapeHtml(LABELS.type[d.type] || d.type)));
    parts.forEach(function (part, i) {
      if (i) meta.appendChild(doc.createTextNode(' '));
      meta.appendChild(part);
    });
    li.appendChild(meta);
    li.appendChild(el(doc, 'p', { class: 'search-hit-snippet' }, item.snippet));
    return li;
  }

  function attach(doc, win) {
    // The search page's own form (with filters) wins over the site header's search box.
    const form = doc.querySelector('form[data-search-page]') || doc.querySelector('form[role="search"]');
    const out = doc.getElementById('search-results');
    if (!form || !out) return null;
    const scriptBase = SCRIPT_SRC ? SCRIPT_SRC.replace(/[?#].*$/, '').replace(/[^/]*$/, '') : '';
    const base = out.getAttribute('data-index') || scriptBase || '/search/';
    const siteRoot = out.getAttribute('data-site-root') || '/';
    const client = createClient({ base: base });
    out.setAttribute('aria-live', 'polite');
    let generation = 0;

    client.get('meta.json').then(function (meta) {
      ['type', 'status', 'year', 'issuer'].forEach(function (name) { fillFilter(doc, form, name, meta.filters[name] || {}); });
      syncForm(form, readParams(win.location.search));
    }).catch(function () { /* reported when searching */ });

    async function run(p) {
      const mine = ++generation;
      out.setAttribute('aria-busy', 'true');
      try {
        const found = await client.search(p);
        if (mine !== generation) return;
        out.innerHTML = '';
        if (!p.q && !filterTerms(p).length) { out.removeAttribute('aria-busy'); return; }
        out.appendChild(el(doc, 'p', { class: 'search-summary' }, escapeHtml(LABELS.summary(found.results.length))));
        if (!found.results.length) {
          out.appendChild(el(doc, 'p', { class: 'search-none' }, escapeHtml(LABELS.none)));
          return;
        }
        const list = el(doc, 'ol', { class: 'search-hits' });
        out.appendChild(list);
        let shown = 0;
        const more = el(doc, 'button', { type: 'button', class: 'search-more' }, escapeHtml(LABELS.more));
        async function page() {
          const items = await client.documents(found, shown, shown + PAGE);
          if (mine !== generation) return;
          items.forEach(function (item) { list.appendChild(renderHit(doc, item, siteRoot)); });
          shown += items.length;
          if (shown >= found.results.length && more.parentNode) more.parentNode.removeChild(more);
        }
        more.addEventListener('click', page);
        out.appendChild(more);
        await page();
      } catch (err) {
        if (mine === generation) out.innerHTML = '<p class="search-error">' + escapeHtml(LABELS.error) + '</p>';
      } finally {
        if (mine === generation) out.removeAttribute('aria-busy');
      }
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      const p = formParams(form);
      win.history.pushState(null, '', win.location.pathname + writeParams(p));
      run(p);
    });
    Array.prototype.forEach.call(form.querySelectorAll('select, input[type="checkbox"]'), function (field) {
      field.addEventListener('change', function () {
        if (form.elements.namedItem('q') && !form.elements.namedItem('q').value.trim() && !filterTerms(formParams(form)).length) return;
        const p = formParams(form);
        win.history.replaceState(null, '', win.location.pathname + writeParams(p));
        run(p);
      });
    });
    win.addEventListener('popstate', function () {
      const p = readParams(win.location.search);
      syncForm(form, p);
      run(p);
    });
    const initial = readParams(win.location.search);
    syncForm(form, initial);
    if (initial.q || filterTerms(initial).length) run(initial);
    return client;
  }

  const api = {
    normalise: normalise,
    makeTable: makeTable,
    findDocNumbers: findDocNumbers,
    queryTerms: queryTerms,
    hasCjk: hasCjk,
    fnv1a32: fnv1a32,
    matchSpans: matchSpans,
    makeSnippet: makeSnippet,
    markAll: markAll,
    rank: rank,
    collapse: collapse,
    filterTerms: filterTerms,
    createClient: createClient,
    attach: attach,
    labels: LABELS,
    format: FORMAT
  };

  if (typeof module === 'object' && module.exports) {
    module.exports = api;
  } else {
    root.DisclosureSearch = api;
    if (root.document) {
      const start = function () { attach(root.document, root); };
      if (root.document.readyState === 'loading') root.document.addEventListener('DOMContentLoaded', start);
      else start();
    }
  }
})(typeof window !== 'undefined' ? window : this);
