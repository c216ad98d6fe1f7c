// Honest relevance figures for search and category suggestion on the demo seed (server/src/seed/demo.ts,
// ~155 Korean listings), with the local embedder on PGlite.   npm run eval:search
//
// The queries below were written before reading the demo listings and were NOT used to build
// server/src/ai/concepts.ts; do not tune concepts.ts (or anything else) to them — that would make the
// figures meaningless. (Their author had read concepts.ts before writing them; they were not chosen
// to hit or to avoid its triggers.) A hit is a listing in one of the expected leaf categories.
//
// Prints hit@5 and MRR (first relevant listing within the top 20) for keyword-only, vector-only and
// hybrid, every failure, and the category suggestion's leave-one-out accuracy: each demo listing's own
// title + description, the listing itself excluded, must get its own leaf category as the top guess.
import type { Deps } from '../server/src/deps.ts';
import { sql } from '../server/src/db/sql.ts';
import { embedderFor } from '../server/src/ai/embedder.ts';
import { seedDemo } from '../server/src/seed/demo.ts';
import { runEmbeddingPass } from '../server/src/modules/embeddings/service.ts';
import { searchService } from '../server/src/modules/search/service.ts';
import { suggestService } from '../server/src/modules/search/suggest.ts';
import { withPgliteDeps } from './pglite-deps.ts';

/** [query, expected leaf categories] */
export const EVAL_QUERIES: [string, string[]][] = [
  ['베란다에 선반 달려고 하는데 공구가 없어요', ['전동드릴', '전동공구', '수공구']],
  ['형광등 갈아야 하는데 키가 안 닿아요', ['사다리']],
  ['조카 데리고 놀이공원 갈 때 밀고 다닐 것', ['유모차']],
  ['신혼여행 2주 짐 넣을 큰 가방', ['캐리어']],
  ['한겨울 캠핑에서 밤에 따뜻하게 자고 싶어요', ['침낭/매트']],
  ['친구들이랑 거실에서 영화 보는 밤', ['프로젝터']],
  ['유튜브 브이로그 찍으려는데 손떨림 없는 장비', ['삼각대/짐벌', '액션캠', '카메라']],
  ['이사 가기 전에 집 구석구석 먼지 청소', ['청소기', '청소용품']],
  ['눈 오는 날 스키장 가려는데 장비가 없어요', ['스키/스노보드']],
  ['주말에 산에 오를 때 무릎 보호용', ['등산']],
  ['아이 생일 잔치 꾸미기', ['파티용품']],
  ['집들이 때 손님 앉을 자리가 부족해요', ['행사용 테이블/의자', '캠핑의자/테이블', '가구']],
  ['하늘에서 풍경 영상 찍기', ['드론']],
  ['기타 배워보고 싶은데 사기 전에 써보기', ['기타/우쿨렐레']],
  ['차 뒷좌석에 아기 태울 때 안전하게', ['카시트']],
  ['계곡에서 고기 구워 먹을 도구', ['버너/코펠']],
  ['친구들이랑 노래 부를 마이크', ['음향/마이크', '음향기기']],
  ['여름 바다에서 파도 타기', ['수상레저']],
  ['닌텐도 하고 싶어요 주말 동안만', ['게임기']],
  ['정원 잔디 깎기', ['정원공구']],
  ['캠핑장에서 밤에 불 밝히기', ['랜턴/조명']],
  ['아이스 음료 시원하게 들고 가기', ['아이스박스']],
];

const DEPTH = 20;

async function main(deps: Deps) {
  const { db, config } = deps;
  const seeded = await seedDemo(deps);
  await runEmbeddingPass(deps);
  const cats = new Map(
    (await db.query<{ id: number; name: string }>(sql`SELECT p.id, c.name FROM posts p JOIN categories c ON c.id = p.category_id`)).map((r) => [r.id, r.name]),
  );
  console.log(`demo seed: ${seeded.posts} listings, embedder ${embedderFor(config).id}`);

  const search = searchService(deps);
  const modes: Record<string, (q: string) => Promise<number[]>> = {
    keyword: async (q) => (await search.rank(q, {}, { mode: 'keyword' })).hits.slice(0, DEPTH).map((h) => h.id),
    vector: async (q) => (await search.rank(q, {}, { mode: 'semantic' })).hits.slice(0, DEPTH).map((h) => h.id),
    hybrid: async (q) => (await search.rank(q, {})).hits.slice(0, DEPTH).map((h) => h.id),
  };
  const failures: string[] = [];
  for (const [mode, run] of Object.entries(modes)) {
    let hit5 = 0;
    let rr = 0;
    for (const [q, expected] of EVAL_QUERIES) {
      const ids = await run(q);
      const rank = ids.findIndex((id) => expected.includes(cats.get(id)!)) + 1;
      if (rank >= 1 && rank <= 5) hit5++;
      if (rank >= 1) rr += 1 / rank;
      if (mode === 'hybrid' && !(rank >= 1 && rank <= 5)) {
        failures.push(`  '${q}' (want ${expected.join('/')}): rank ${rank || '>' + DEPTH}; top 3: ${ids.slice(0, 3).map((id) => cats.get(id)).join(', ') || '—'}`);
      }
    }
    const n = EVAL_QUERIES.length;
    console.log(`${mode.padEnd(8)} hit@5 ${(hit5 / n).toFixed(3)} (${hit5}/${n})  MRR@${DEPTH} ${(rr / n).toFixed(3)}`);
  }
  console.log(`hybrid misses (no relevant listing in the top 5):\n${failures.join('\n') || '  none'}`);

  // category suggestion, leave-one-out over the demo listings
  const suggest = suggestService(deps);
  const listings = await db.query<{ id: number; title: string; content: string; category_id: number }>(
    sql`SELECT id, title, content, category_id FROM posts ORDER BY id`,
  );
  // the demo descriptions end in shared stock sentences (condition, pickup, notes), so the listing text
  // and the title alone are measured separately
  for (const [label, textOf] of [['title + description', (l: { title: string; content: string }) => `${l.title}\n${l.content}`], ['title only', (l: { title: string }) => l.title]] as const) {
    let top1 = 0;
    let top3 = 0;
    for (const l of listings) {
      const { guesses } = await suggest.suggestCategories(textOf(l), [l.id]);
      if (guesses[0]?.id === l.category_id) top1++;
      if (guesses.slice(0, 3).some((g) => g.id === l.category_id)) top3++;
    }
    console.log(`category suggestion from ${label}, leave-one-out over ${listings.length} listings: top-1 ${(top1 / listings.length).toFixed(3)}, top-3 ${(top3 / listings.length).toFixed(3)}`);
  }
}

await withPgliteDeps(main);
