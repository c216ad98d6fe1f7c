// The README documents every setting that config.ts reads, and the demo accounts that really exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DEMO_PASSWORD, demoMembers } from '../src/db/seed/demo.ts';

const readme = fs.readFileSync('README.md', 'utf8');

test('every environment variable read by config.ts is in the README settings table', () => {
  const source = fs.readFileSync('server/src/config.ts', 'utf8');
  const names = new Set([...source.matchAll(/\b(?:str|int)\('([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]));
  assert.ok(names.size > 10, 'found the settings');
  const missing = [...names].filter((name) => !readme.includes(`\`${name}\``));
  assert.deepEqual(missing, [], `README.md lacks settings: ${missing.join(', ')}`);
});

test('the README lists the demo accounts and password the seed creates', () => {
  assert.ok(readme.includes(`\`${DEMO_PASSWORD}\``));
  for (const m of demoMembers) {
    assert.ok(readme.includes(`\`${m.email}\``), m.email);
    assert.ok(readme.includes(m.nickname), m.nickname);
  }
});
