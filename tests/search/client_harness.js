// Runs static/search.js under node over an export folder, for the parity tests.
// Usage: node client_harness.js SEARCH_JS EXPORT_DIR < requests.json
// requests.json: [{"q": "...", "type": ..., "status": ..., "year": ..., "issuer": ...,
//                  "inforce": bool, "sort": "relevance"|"date", "limit": N}, ...]
// Prints one JSON object per request: {"hits": [...], "bytes": N, "files": [...]},
// counting the distinct files a fresh client (empty cache) fetched.
'use strict';
const fs = require('fs');
const path = require('path');
const search = require(path.resolve(process.argv[2]));
const dir = process.argv[3];
const requests = JSON.parse(fs.readFileSync(0, 'utf8'));

async function main() {
  const out = [];
  for (const req of requests) {
    const fetched = new Map();
    const client = search.createClient({
      load: async function (name) {
        const data = fs.readFileSync(path.join(dir, name));
        fetched.set(name, data.length);
        return JSON.parse(data.toString('utf8'));
      }
    });
    const found = await client.search(req);
    const limit = req.limit === undefined ? 20 : req.limit;
    const items = await client.documents(found, 0, limit === null ? found.results.length : limit);
    out.push({
      terms: found.terms,
      hits: items.map(function (it) {
        return { id: it.doc.id, score: it.score, snippet: it.snippet, title_html: it.titleHtml };
      }),
      bytes: Array.from(fetched.values()).reduce(function (a, b) { return a + b; }, 0),
      files: Array.from(fetched.keys()).sort()
    });
  }
  process.stdout.write(JSON.stringify(out));
}
main().catch(function (err) { console.error(err && err.stack || err); process.exit(1); });
