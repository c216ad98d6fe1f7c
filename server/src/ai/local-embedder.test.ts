// The shipped built-in embedder (version 5): hermetic — reads only files in the repository.
// Its KorSTS/held-out figures live in `npm run eval:embedder` (they need ../shared/data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DENSE_BUCKETS, LOCAL_DIMENSIONS, MODEL_FILE, createLocalEmbedder, loadLocalModel } from './local-embedder.ts';
import { stem, words } from './korean-text.ts';
import { demoListings } from '../db/seed/listings.ts';
import { LEAVES } from './data/rental-templates.ts';
import { listingText } from '../modules/embeddings/text.ts';

const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
const topOf = new Map(LEAVES.map((l) => [l.leaf, l.top]));
/** What the embedding worker embeds for a demo listing. */
const demoText = (l: (typeof demoListings)[number]) =>
  listingText({ id: 0, title: l.t, content: l.d, category_path: `${topOf.get(l.c)} > ${l.c}`, regions: '서울특별시 마포구', fee: l.fee, deposit: l.dep, receive_method: 'DIRECT', return_method: 'DIRECT' });
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

// Paraphrases of a need that share no word (or stem) with any listing of the leaf category that
// answers it, and that are not in the training data (written before the embedder was run on them).
// A query finds its item when a listing of that leaf is among the top 5 of all ~155 demo listings.
const PARAPHRASES: [string, string][] = [
  ['습기 때문에 벽에 검은 얼룩이 번져요', '기타 생활용품'],
  ['밤하늘 별 구경 나가서 비출 불빛', '랜턴/조명'],
  ['땅바닥에서 자면 등이 배겨요', '침낭/매트'],
  ['신혼집 블라인드 설치', '전동드릴'],
  ['공중에서 내려다보는 영상', '드론'],
  ['한여름 모래사장에서 햇볕 가리기', '타프/그늘막'],
  ['꼬마가 처음 두발 타기 연습', '자전거'],
  ['거실을 극장처럼 영화 크게 보기', '프로젝터'],
  ['친척이 자고 가는 밤 바닥에 깔 것', '가구'],
  ['필드 데뷔', '골프'],
  ['봉우리 오르다 관절이 시큰거려요', '등산'],
  ['장롱 위 짐 꺼내야 하는데 키가 작아요', '사다리'],
  ['갓난쟁이 밤잠 재우기', '아기침대'],
  ['외국에서 인터넷 연결', '여행용품'],
  ['자동차 뒤에 애기 태울 안전 의자', '카시트'],
  ['파도 위에서 노 젓기', '수상레저'],
  ['눈 덮인 슬로프 내려오기', '스키/스노보드'],
  ['노래 반주 틀고 목청껏 부르기', '음향/마이크'],
  ['통나무 토막 내기', '전동공구'],
  ['가면무도회 변신 복장', '의상/코스튬'],
  ['먼 나라로 떠나는 보름 일정 짐가방', '캐리어'],
  ['갓난이 칭얼거리면 살랑살랑 흔들어 주기', '아기침대'],
  ['셔츠가 꿉꿉하게 안 말라요', '기타 생활용품'],
  ['미세한 티끌 빨아들이는 기계', '청소기'],
];
/** The issue asks that at least 10 such queries find their item; the rest are reported, not hidden. */
const MIN_FOUND = 10;

test('at least 10 paraphrases with no shared word find their listing among the demo listings', async () => {
  const trainingQueries = new Set(
    fs.readFileSync(path.join(DATA, 'rental-pairs.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).query as string),
  );
  const e = createLocalEmbedder();
  const lv = await e.embed(demoListings.map(demoText));
  const misses: string[] = [], violations: string[] = [];
  let found = 0;
  for (const [q, leaf] of PARAPHRASES) {
    assert.ok(!trainingQueries.has(q), `'${q}' is a training query`);
    const targets = demoListings.filter((l) => l.c === leaf);
    assert.ok(targets.length > 0, leaf);
    const listingWords = new Set(targets.flatMap((l) => words(demoText(l))).flatMap((w) => [w, stem(w)]));
    const shared = words(q).filter((w) => listingWords.has(w) || listingWords.has(stem(w)));
    if (shared.length) violations.push(`'${q}' shares ${shared.join(', ')} with a '${leaf}' listing`);
    const [qv] = await e.embed([q]);
    const top5 = lv.map((v, i) => ({ s: cos(qv, v), i })).sort((x, y) => y.s - x.s).slice(0, 5);
    if (top5.some((x) => demoListings[x.i].c === leaf)) found++;
    else misses.push(`'${q}' (${leaf}): top 5 ${top5.map((x) => demoListings[x.i].t).join(' | ')}`);
  }
  assert.deepEqual(violations, []);
  if (misses.length) console.log(`found ${found}/${PARAPHRASES.length}; not in the top 5:\n  ${misses.join('\n  ')}`);
  assert.ok(found >= MIN_FOUND, `only ${found} of ${PARAPHRASES.length} paraphrases found their listing`);
});

test('nonsense and unrelated topics score below calibration.minSimilarity against every demo listing', async () => {
  const e = createLocalEmbedder();
  const lv = await e.embed(demoListings.map(demoText));
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
