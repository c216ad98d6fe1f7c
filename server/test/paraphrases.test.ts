// The semantic-search tests' queries (paraphrases.ts) prove what they claim: no word of a query, read as
// the embedder reads it (korean-text.ts words and stems, particles stripped), occurs in the embedder's
// training files or in any listing of the leaf category it should find; and no hand lexicon is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PARAPHRASES, leafListingTexts, sharedWords, trainingWordForms, wordForms } from './paraphrases.ts';

test(`none of the ${PARAPHRASES.length} paraphrase queries has a word in the embedder's training files`, () => {
  const forms = trainingWordForms();
  // the check sees what it should: a training query, and a word of it with another particle
  assert.deepEqual(sharedWords('캠핑장에서 잘 곳', forms), ['캠핑장에서', '잘', '곳']);
  assert.deepEqual(sharedWords('텐트를 빌려요', forms), ['텐트를', '빌려요']);
  const found = PARAPHRASES.flatMap(([q]) => {
    const shared = sharedWords(q, forms);
    return shared.length ? [`'${q}': ${shared.join(', ')}`] : [];
  });
  assert.deepEqual(found, []);
});

test('none of the paraphrase queries has a word in a listing (demo or held-out) of the leaf it should find', () => {
  const found: string[] = [];
  for (const [q, leaf] of PARAPHRASES) {
    const texts = leafListingTexts(leaf);
    assert.ok(texts.length > 0, `no listing in '${leaf}'`);
    const shared = sharedWords(q, new Set(texts.flatMap(wordForms)));
    if (shared.length) found.push(`'${q}' shares ${shared.join(', ')} with a '${leaf}' listing`);
  }
  assert.deepEqual(found, []);
});

test('no hand lexicon (concept or synonym lists) is left in the server', () => {
  const files = fs.readdirSync('server/src', { recursive: true, encoding: 'utf8' });
  assert.deepEqual(files.filter((f) => /lexicon|concepts?\.|synonym/i.test(path.basename(f))), []);
});
