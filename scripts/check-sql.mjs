// Issue 8: SQL lives only in repositories (`**/repository.ts`), `server/src/db/` and tests. This lists
// every other file under server/src that holds SQL — an `sql` tagged template, or a string starting
// with SELECT/INSERT/UPDATE/DELETE/WITH — with the first offending line of each.
//   node scripts/check-sql.mjs            report only (exit 0)
//   node scripts/check-sql.mjs --strict   exit 1 when any file is listed
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = path.join(root, 'server', 'src');
const strict = process.argv.includes('--strict');

/** files allowed to hold SQL */
const allowed = (rel) => rel.endsWith('/repository.ts') || rel.startsWith('db/') || rel.endsWith('.test.ts') || rel.endsWith('.cases.ts'); // *.cases.ts: test cases shared by test files

// a `sql` tag, or a quoted/template string that starts (after whitespace) with an SQL statement keyword
const SQL_PATTERNS = [/\bsql`/, /(['"`])\s*(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS)\b/];

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(p);
    else if (entry.name.endsWith('.ts')) yield p;
  }
}

const offenders = [];
for (const file of files(src)) {
  const rel = path.relative(src, file).split(path.sep).join('/');
  if (allowed(rel)) continue;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const hits = lines.flatMap((line, i) => (SQL_PATTERNS.some((re) => re.test(line)) ? [i + 1] : []));
  if (hits.length) offenders.push({ rel, hits, first: lines[hits[0] - 1].trim().slice(0, 100) });
}

if (!offenders.length) {
  console.log('check-sql: no SQL outside repositories, db/ and tests');
} else {
  console.log(`check-sql: ${offenders.length} file(s) in server/src hold SQL outside a repository.ts or db/:`);
  for (const o of offenders) console.log(`  server/src/${o.rel}:${o.hits[0]} (${o.hits.length} line(s))  ${o.first}`);
}
process.exit(strict && offenders.length ? 1 : 0);
