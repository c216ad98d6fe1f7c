// The shipped built-in embedder: hermetic — reads only files in the repository.
// Its KorSTS/held-out figures live in `npm run eval:embedder` (they need ../shared/data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DENSE_BUCKETS, LOCAL_DIMENSIONS, MODEL_FILE, TFIDF_DIMS, createLocalEmbedder, embedText, loadLocalModel } from './local-embedder.ts';
import { demoListings } from '../db/seed/listings.ts';
import { PARAPHRASES, demoListingText } from '../../test/paraphrases.ts';

const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

test('the weight file loads: sizes, a trained table, a calibration fitted from its null distribution', () => {
  assert.ok(fs.statSync(MODEL_FILE).size < 10e6, 'weight file stays under 10 MB');
  const m = loadLocalModel();
  assert.equal(m.scales.length, DENSE_BUCKETS);
  const trained = m.scales.reduce((n, s) => n + (s > 0 ? 1 : 0), 0);
  assert.ok(trained > DENSE_BUCKETS / 4, `only ${trained} trained rows`);
  assert.ok(m.denseShare > 0 && m.denseShare < 1);
  const c = m.calibration;
  assert.ok(c.nullStd > 0 && c.minSimilarity > c.nullMean + c.nullStd && c.minSimilarity < 1, JSON.stringify(c));
  assert.deepEqual(createLocalEmbedder().calibration, c);
});

test('embeddings are deterministic unit vectors of the declared size', async () => {
  const e1 = createLocalEmbedder(loadLocalModel());
  const e2 = createLocalEmbedder(loadLocalModel());
  const texts = ['캠핑 의자 빌려요', '아이 돌잔치 사진 찍어 줄 카메라', ''];
  const [a, b] = [await e1.embed(texts), await e2.embed(texts)];
  assert.deepEqual(a, b);
  assert.equal(a[0].length, LOCAL_DIMENSIONS);
  assert.ok(Math.abs(Math.hypot(...a[0]) - 1) < 1e-5);
  assert.ok(a[2].every((x) => x === 0), 'empty text embeds to the zero vector');
  assert.notDeepEqual(a[0], a[1]);
});

// Paraphrases of needs whose words are in no training file and no listing of the leaf that answers them
// (server/test/paraphrases.ts; paraphrases.test.ts checks both). A query finds its item when a listing
// of that leaf is among the top 5 of all ~155 demo listings.
/** The issue asks that at least 10 such queries find their item; the rest are reported, not hidden. */
const MIN_FOUND = 10;

test('at least 10 paraphrases with no word in the training data or their listings find their listing among the demo listings', async () => {
  const e = createLocalEmbedder();
  const lv = await e.embed(demoListings.map(demoListingText));
  const misses: string[] = [];
  let found = 0;
  for (const [q, leaf] of PARAPHRASES) {
    const [qv] = await e.embed([q]);
    const top5 = lv.map((v, i) => ({ s: cos(qv, v), i })).sort((x, y) => y.s - x.s).slice(0, 5);
    if (top5.some((x) => demoListings[x.i].c === leaf)) found++;
    else misses.push(`'${q}' (${leaf}): top 5 ${top5.map((x) => demoListings[x.i].t).join(' | ')}`);
  }
  console.log(`found ${found}/${PARAPHRASES.length}; not in the top 5:\n  ${misses.join('\n  ')}`);
  assert.ok(found >= MIN_FOUND, `only ${found} of ${PARAPHRASES.length} paraphrases found their listing`);
});

test('nonsense and unrelated topics score below calibration.minSimilarity against every demo listing', async () => {
  const e = createLocalEmbedder();
  const lv = await e.embed(demoListings.map(demoListingText));
  const nonsense = ['zzqxv', 'qwpeorituy', 'ㅋㅋㅋㅋ', 'ㅎㅎㅎㅎㅎ', '비트코인', '양자역학 교과서', '뷁퉯', 'asdf jkl'];
  const qv = await e.embed(nonsense);
  for (const [i, q] of nonsense.entries()) {
    const best = Math.max(...lv.map((v) => cos(qv[i], v)));
    assert.ok(best < e.calibration.minSimilarity, `'${q}' reaches ${best.toFixed(3)} ≥ ${e.calibration.minSimilarity}`);
  }
  // and a real need does pass it
  const [real] = await e.embed(['캠핑 가서 잘 텐트']);
  assert.ok(Math.max(...lv.map((v) => cos(real, v))) >= e.calibration.minSimilarity);
});

test('the dense part keeps its share for real text and shrinks for text the learned table barely knows', () => {
  const m = loadLocalModel();
  assert.ok(m.denseMassRef > 0, 'the weight file carries the dense mass reference');
  // squared length of the dense part in the unit vector: denseShare when the table knows the text
  const denseLength = (s: string) => embedText(s, m).slice(TFIDF_DIMS).reduce((n, x) => n + x * x, 0);
  for (const real of ['캠핑 가서 잘 텐트', '아이 돌잔치 사진 찍어 줄 카메라', '빔프로젝터 주말 대여'])
    assert.ok(Math.abs(denseLength(real) - m.denseShare) < 1e-5, `${real}: ${denseLength(real)}`);
  // not every junk string: some jamo runs hit trained rows ('ㅖㅃㅝ' keeps its full dense part); 0.5% of
  // generated nonsense still reaches the floor (scripts/fit-calibration.ts)
  for (const junk of ['ㅋㅋㅋㅋ', '퓷됅 걚', 'xqvbz plmok'])
    assert.ok(denseLength(junk) < m.denseShare / 4, `${junk}: ${denseLength(junk)}`);
});
