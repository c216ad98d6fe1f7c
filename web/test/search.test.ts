// Smart search in a real browser: "AI 검색" answers a question and shows the listing it cites (LLM
// answer through a local fake OpenAI-compatible server; the extractive answer when the reply is unusable
// and on a second app configured without an LLM); the listing page shows similar listings; the create form offers
// category/fee chips and an AI draft from a hint + photo; hybrid search explains each hit, scrolls
// page by page, and says so when semantic search is unavailable (on apps really in that state). Phone-size screenshots throughout.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { sql } from '../../server/src/db/sql.ts';
import { runEmbeddingPass } from '../../server/src/modules/embeddings/service.ts';
import { embeddingsRepository } from '../../server/src/modules/embeddings/repository.ts';
import { KOREAN_LISTINGS, insertListings } from '../../server/test/factories.ts';
import { createTemporaryDatabase } from '../../server/test/postgres.ts';
import {
  catalogIds, createListingViaApi, dayNextMonth, DESKTOP, liveServerAndBrowser, makePng, openLoggedInPage, openPage, PHONE, screenshot,
  startServer, type TestServer,
} from './support.ts';

// ---- a fake OpenAI-compatible chat server: answers from the listings it is given, records requests
interface ChatRequest { messages: { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[] }
const chatRequests: ChatRequest[] = [];
const INVENTED_ID = 987654;
const DRAFT = { title: '캠핑 의자 2개 빌려드려요', content: '거의 새것인 접이식 의자 두 개예요. 캠핑이나 낚시 갈 때 편하게 쓰세요.' };

const textOf = (req: ChatRequest) =>
  req.messages.map((m) => (typeof m.content === 'string' ? m.content : m.content.map((p) => p.text ?? '').join('\n'))).join('\n');

function fakeReply(req: ChatRequest): string {
  const text = textOf(req);
  if (text.includes('게시글 목록')) {
    if (text.includes('고장')) return '죄송하지만 {이건 JSON이 아니에요';
    // cite the first retrieved listing, and one that was never retrieved (the server must drop it)
    const first = /^#(\d+) \| ([^|]+)\|/m.exec(text)!;
    return JSON.stringify({
      answer: `${first[2].trim()}[#${first[1]}]을(를) 빌려 보세요. 비슷한 물건[#${INVENTED_ID}]도 있어요.`,
      ids: [Number(first[1]), INVENTED_ID],
    });
  }
  return JSON.stringify(DRAFT);
}

const llm = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const parsed = JSON.parse(body) as ChatRequest;
    chatRequests.push(parsed);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      id: `chatcmpl-${chatRequests.length}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: 'fake',
      choices: [{ index: 0, message: { role: 'assistant', content: fakeReply(parsed) }, finish_reason: 'stop' }],
    }));
  });
});

const ids: Record<string, number> = {};
const DRILL = KOREAN_LISTINGS.find((l) => l.category === '전동드릴')!;
const DRIVER = KOREAN_LISTINGS.find((l) => l.category === '전동공구')!;

// the fake LLM listens before the app starts, so the app can be configured with its address
await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve));
after(() => new Promise((resolve) => llm.close(resolve)));
const live = liveServerAndBrowser({ LLM_BASE_URL: `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`, LLM_MODEL: 'fake' }, async (server) => {
  Object.assign(ids, await listCatalogue(server));
});

/** A realistic little catalogue, listed through the API with photos and embedded; the ids by title. */
async function listCatalogue(server: TestServer): Promise<Record<string, number>> {
  const lender = await server.ctx.signUp('동네대여왕');
  const colors = ['#2f9e6e', '#3b6fd4', '#d4553b', '#a23bd4', '#d4a53b'];
  const listed: Record<string, number> = {};
  for (const [i, l] of KOREAN_LISTINGS.entries()) {
    const { categoryId, regionId } = await catalogIds(live.server.baseURL, l.category, '마포구');
    listed[l.title] = await createListingViaApi(server.baseURL, lender.cookie, {
      title: l.title, content: l.content, categoryId, regionIds: [regionId], fee: l.fee, deposit: l.deposit,
      receiveMethod: 'ANY', returnMethod: 'ANY',
    }, [await makePng({ color: colors[i % colors.length] })]);
  }
  await embedAll(server);
  return listed;
}

/** The background worker's pass, run here (tests start no background jobs); every listing ends DONE. */
async function embedAll(server: TestServer) {
  await runEmbeddingPass(server.ctx.deps);
  const rows = await server.ctx.deps.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM posts WHERE embedding_status <> 'DONE'`);
  assert.equal(rows[0].n, 0, 'every listing embedded');
}

/** A phone page logged in as a new member. */
const loggedInPage = async () => openLoggedInPage(live.browser, live.server.baseURL, (await live.server.ctx.signUp()).cookie);

const cardTitles = (page: Page, scope = 'body') => page.locator(`${scope} [data-testid="post-card"] .post-card-title`).allTextContents();

test('AI 검색: the LLM answer cites only retrieved listings; an unusable reply falls back to the extractive answer', async () => {
  const { page, context, pageErrors } = await openPage(live.browser, live.server.baseURL, PHONE);
  const question = '전동드릴 빌리고 싶어요';

  await page.goto('/search');
  await page.getByRole('tab', { name: /AI 검색/ }).click();
  await page.getByText('필요한 상황을 말하면 AI가 이웃의 물건을 찾아 드려요').waitFor();
  await screenshot(page, 'phone-ai-search-intro');

  const askedBefore = chatRequests.length;
  await page.getByLabel('AI에게 물어볼 내용').fill(question);
  await page.getByRole('button', { name: '물어보기' }).click();
  const answer = page.getByTestId('ai-answer');
  await answer.waitFor();
  assert.equal(await answer.locator('.ai-badge').textContent(), 'AI 답변');
  // one citation link, to the drill; the invented id is gone from the text and from the cards
  const cites = answer.locator('a.cite');
  assert.equal(await cites.count(), 1);
  assert.equal(await cites.first().getAttribute('href'), `/posts/${ids[DRILL.title]}`);
  assert.ok(!(await answer.textContent())!.includes(String(INVENTED_ID)));
  assert.deepEqual(await cardTitles(page, '.search-results'), [DRILL.title]);
  assert.match((await page.getByTestId('why-matched').first().textContent())!, /'전동드릴'이 들어 있어요/);
  assert.equal(chatRequests.length, askedBefore + 1);
  assert.equal(new URL(page.url()).searchParams.get('mode'), 'ai');
  await screenshot(page, 'phone-ai-search-answer');
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'desktop-ai-search-answer');
  await page.setViewportSize(PHONE);

  // an unusable LLM reply: the extractive answer, marked as such
  await page.getByLabel('AI에게 물어볼 내용').fill('고장난 선반 고칠 때 쓸 드릴');
  await page.getByRole('button', { name: '물어보기' }).click();
  await page.getByText('AI 답변을 만들지 못해 검색 결과로 정리했어요').waitFor();
  assert.equal(await answer.locator('.ai-badge').textContent(), '검색 요약');

  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('AI 검색 without an LLM configured: an extractive answer that says how many it shows, and shows exactly those', async () => {
  // a second app, configured with no LLM at all (Deps is readonly: the first one's LLM stays as it is)
  const plain = await startServer();
  try {
    await listCatalogue(plain);
    assert.equal(plain.ctx.deps.llm, null);
    const { page, context, pageErrors } = await openPage(live.browser, plain.baseURL, PHONE);
    await page.goto('/search?mode=ai');
    await page.getByRole('button', { name: '주말 캠핑 갈 때 필요한 거' }).click();
    const answer = page.getByTestId('ai-answer');
    await answer.filter({ hasText: '주말 캠핑 갈 때 필요한 거' }).waitFor();
    await page.getByRole('heading', { name: /답변에 나온 물건 \d+개/ }).waitFor();
    assert.equal(await answer.locator('.ai-badge').textContent(), '검색 요약');
    const cited = await cardTitles(page, '.search-results');
    assert.ok(cited.includes('캠핑 의자 2개 세트'), cited.join(' | '));
    const said = /관련된 물건 (\d+)개를 보여 드려요/.exec((await answer.textContent())!);
    assert.equal(Number(said?.[1]), cited.length, 'the count in the answer is the number of cards');
    // every numbered citation in the answer links to one of the cards shown
    const hrefs = await answer.locator('a.cite').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const shown = await page.locator('.search-results [data-testid="post-card"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length > 0 && hrefs.every((h) => shown.includes(h)), `${hrefs} ⊄ ${shown}`);
    await screenshot(page, 'phone-ai-search-extractive');
    assert.deepEqual(pageErrors, []);
    await context.close();
  } finally {
    await plain.close();
  }
});

test('listing page: 비슷한 물건 from the vector neighbours, never the listing itself', async () => {
  const { page, context, pageErrors } = await openPage(live.browser, live.server.baseURL, PHONE);
  await page.goto(`/posts/${ids[DRILL.title]}`);
  await page.getByRole('heading', { name: DRILL.title }).waitFor();
  const similar = page.getByTestId('similar-posts');
  await similar.waitFor();
  const titles = await similar.locator('.similar-title').allTextContents();
  assert.ok(titles.length > 0 && titles.length <= 6, titles.join(' | '));
  assert.ok(!titles.includes(DRILL.title));
  assert.ok(titles.slice(0, 2).includes(DRIVER.title), titles.join(' | '));
  await page.getByRole('heading', { name: '비슷한 물건' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'phone-detail-similar');
  // a neighbour opens its own page
  await similar.getByText(DRIVER.title).click();
  await page.getByRole('heading', { name: DRIVER.title, level: 1 }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/posts/${ids[DRIVER.title]}`);
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('create form: suggested category and fee as one-click chips; AI draft from a hint and a photo, with undo', async () => {
  const { page, context, pageErrors } = await loggedInPage();
  const drillCategory = (await catalogIds(live.server.baseURL, '전동드릴', '마포구')).categoryId;

  await page.goto('/posts/new');
  await page.getByRole('heading', { name: '내 물건 빌려주기' }).waitFor();
  const askedWhileTyping = chatRequests.length;
  await page.getByLabel('제목').fill('충전식 드릴 빌려드려요');
  const categoryChip = page.getByRole('button', { name: /추천 카테고리: 공구 > 전동드릴/ });
  await categoryChip.waitFor();
  // suggestions while typing never cost an LLM call (only the draft button asks for one)
  assert.equal(chatRequests.length, askedWhileTyping);
  await categoryChip.click();
  assert.equal(await page.locator('#post-category').inputValue(), String(drillCategory));
  assert.equal(await categoryChip.getAttribute('aria-pressed'), 'true');
  // one drill listed for 8,000원 a day and 50,000원 deposit: that is the comparable price
  await page.getByRole('button', { name: '추천 대여료 8,000원' }).click();
  await page.getByRole('button', { name: '추천 보증금 50,000원' }).click();
  assert.equal(await page.locator('#post-fee').inputValue(), '8,000');
  assert.equal(await page.locator('#post-deposit').inputValue(), '50,000');
  await page.getByLabel('제목').scrollIntoViewIfNeeded();
  await screenshot(page, 'phone-create-suggestions');

  // AI draft: a hint and a photo → the vision model sees the (downscaled) photo; the fields are filled
  await page.goto('/posts/new');
  await page.getByTestId('image-input').setInputFiles([{ name: 'chairs.png', mimeType: 'image/png', buffer: await makePng({ width: 1600, height: 1200 }) }]);
  await page.getByLabel('AI로 초안 작성').fill('캠핑 의자 두 개, 거의 새것');
  const before = chatRequests.length;
  await page.getByRole('button', { name: 'AI로 초안 작성' }).click();
  await page.getByText('AI가 초안을 채웠어요.').waitFor();
  assert.equal(await page.getByLabel('제목').inputValue(), DRAFT.title);
  assert.equal(await page.getByLabel('설명').inputValue(), DRAFT.content);
  assert.notEqual(await page.locator('#post-category').inputValue(), '');
  assert.notEqual(await page.locator('#post-fee').inputValue(), '');
  const draftRequest = chatRequests.slice(before).find((r) => textOf(r).includes('대여 게시글'))!;
  const images = (draftRequest.messages[0].content as { type: string; image_url?: { url: string } }[]).filter((p) => p.type === 'image_url');
  assert.equal(images.length, 1);
  assert.match(images[0].image_url!.url, /^data:image\/jpeg;base64,/);
  assert.ok(textOf(draftRequest).includes('캠핑 의자 두 개, 거의 새것'));
  await screenshot(page, 'phone-create-ai-draft');

  await page.getByRole('button', { name: '되돌리기' }).click();
  assert.equal(await page.getByLabel('제목').inputValue(), '');
  assert.equal(await page.getByLabel('설명').inputValue(), '');
  assert.equal(await page.locator('#post-fee').inputValue(), '');
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('hybrid search: why each hit matched, infinite scroll, filters', async () => {
  // enough tents for more than one page (20)
  await insertListings(live.server.ctx.deps.db, Array.from({ length: 24 }, (_, i) => ({
    title: `캠핑 텐트 ${i + 1}호`, content: '주말에 쓰기 좋은 텐트', category: '텐트', fee: 9000 + i * 100, deposit: 30000,
  })));
  await embedAll(live.server);

  const { page, context, pageErrors } = await openPage(live.browser, live.server.baseURL, PHONE);
  await page.goto('/search?q=%ED%85%90%ED%8A%B8'); // 텐트
  await page.locator('[data-testid="post-card"]').first().waitFor();
  const firstWhy = page.getByTestId('why-matched').first();
  assert.match((await firstWhy.textContent())!, /^왜 찾았나요'텐트'가 들어 있어요/);
  assert.doesNotMatch((await page.getByTestId('why-matched').allTextContents()).join(' '), /\d\.\d|유사도/, 'no scores shown to people');
  assert.equal(await page.locator('[data-testid="post-card"]').count(), 20);
  await screenshot(page, 'phone-search-hybrid');
  // scrolling to the end loads the next page
  await page.locator('.load-more').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="post-card"]').length > 20);
  const all = await cardTitles(page);
  assert.equal(new Set(all).size, all.length, 'no listing twice');
  assert.ok(all.length >= 26, String(all.length));

  // a fee range narrows the ranked results before ranking (filters go into the URL)
  await page.getByRole('button', { name: /필터/ }).first().click();
  // no 적용 button: the fee applies by itself once typing pauses, like every other filter
  assert.equal(await page.getByRole('button', { name: '적용' }).count(), 0);
  await page.getByLabel('최대 대여료').fill('9500');
  await page.waitForURL((u) => u.searchParams.get('maxFee') === '9500');
  await page.waitForFunction(() => {
    const prices = [...document.querySelectorAll('.post-card-price strong')].map((e) => Number(e.textContent!.replace(/\D/g, '')));
    return prices.length > 0 && prices.length < 26 && prices.every((p) => p <= 9500);
  });
  const cheap = await cardTitles(page);
  for (let i = 1; i <= 6; i++) assert.ok(cheap.includes(`캠핑 텐트 ${i}호`), cheap.join(' | '));
  assert.ok(!cheap.includes('캠핑 텐트 7호'));

  // dates: only listings free on those days; the ranked search is the one that knows, so sorting is relevance
  const [from, to] = [dayNextMonth(3), dayNextMonth(5)];
  await page.getByLabel('빌리는 날').fill(from);
  await page.getByLabel('돌려주는 날').fill(to);
  await page.waitForURL((u) => u.searchParams.get('from') === from && u.searchParams.get('to') === to);
  await page.getByRole('button', { name: /대여 가능 필터 해제/ }).waitFor();
  assert.equal(await page.getByLabel('정렬').locator('option[value="fee_asc"]').isDisabled(), true);
  await screenshot(page, 'phone-search-filters');

  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('semantic search unavailable: keyword hits and a Korean notice — on a PostgreSQL without pgvector, and with the embeddings server down', async () => {
  // Two more apps, each really in that state (Deps is readonly: nothing is switched off in place).
  // The machine's PostgreSQL has no pgvector, so an app on it has no vector store at all.
  const database = await createTemporaryDatabase('novector');
  // A port nothing listens on: the embeddings server is down.
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const cases: { env: Record<string, string>; notice: string; shot: string; vectorsStoredBefore?: number }[] = [
    { env: { DATABASE_URL: database.url, SINGLE_INSTANCE: 'true' }, notice: '의미 검색을 사용할 수 없어 키워드로만 찾았어요', shot: 'phone-search-keyword-only' },
    { env: { EMBEDDINGS_BASE_URL: `http://127.0.0.1:${deadPort}/v1`, EMBEDDINGS_MODEL: 'bge-m3', EMBEDDINGS_DIMENSIONS: '16' },
      notice: '의미 검색 서버에 연결할 수 없어 키워드로만 찾았어요', shot: 'phone-search-embedder-down', vectorsStoredBefore: 16 },
  ];
  try {
    for (const c of cases) {
      const server = await startServer(c.env);
      try {
        await insertListings(server.ctx.deps.db, KOREAN_LISTINGS);
        // the server was up once: its vector table exists (the worker makes it on its first pass)
        if (c.vectorsStoredBefore) await embeddingsRepository(server.ctx.deps.db).ensureVectorTable(c.vectorsStoredBefore);
        const { page, context, pageErrors } = await openPage(live.browser, server.baseURL, PHONE);
        await page.goto('/search?q=%ED%85%90%ED%8A%B8');
        await page.getByTestId('keyword-only-notice').filter({ hasText: c.notice }).waitFor();
        const titles = await cardTitles(page);
        assert.ok(titles.includes('4인용 돔 텐트'), `keyword hits still shown: ${titles.join(' | ')}`);
        const whys = await page.getByTestId('why-matched').allTextContents();
        assert.ok(whys.length > 0 && whys.every((w) => !w.includes('용도')), whys.join(' | '));
        await screenshot(page, c.shot);
        assert.deepEqual(pageErrors, []);
        await context.close();
      } finally {
        await server.close();
      }
    }
  } finally {
    await database.drop();
  }
});

test('nonsense finds nothing, and the page says so in Korean with a way on (popular categories, new listings)', async () => {
  const { page, context, pageErrors } = await openPage(live.browser, live.server.baseURL, PHONE);
  await page.goto('/search');
  // no query, no filter: suggestions, not an arbitrary list
  await page.getByText('어떤 물건을 찾으세요?').waitFor();
  for (const q of ['zzqxv', 'ㅋㅋㅋㅋ', '비트코인', '양자역학 교과서']) {
    await page.getByLabel('검색어').fill(q);
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await page.getByText(`'${q}'에 맞는 물건을 찾지 못했어요`).waitFor();
    const suggestions = page.getByTestId('search-suggestions');
    await suggestions.getByRole('heading', { name: '새로 올라온 물건' }).waitFor();
    assert.equal(await page.getByTestId('why-matched').count(), 0, `${q}: no hit is shown as a match`);
    assert.ok((await suggestions.locator('[aria-label="많이 올라오는 카테고리"] button').count()) > 0);
  }
  await screenshot(page, 'phone-search-nothing-found');
  // a suggested category browses it
  const chip = page.locator('[aria-label="많이 올라오는 카테고리"] button').first();
  const name = (await chip.textContent())!;
  await chip.click();
  await page.waitForURL((u) => u.searchParams.has('category') && !u.searchParams.has('q'));
  await page.locator('[data-testid="post-card"]').first().waitFor();
  assert.ok((await page.getByRole('button', { name: new RegExp(`${name}.*필터 해제`) }).count()) === 1);
  // a blank query (a single space) is not a search
  await page.goto('/search');
  await page.getByLabel('검색어').fill(' ');
  await page.getByRole('button', { name: '검색', exact: true }).click();
  await page.getByText('어떤 물건을 찾으세요?').waitFor();
  assert.equal(await page.getByTestId('why-matched').count(), 0);
  assert.deepEqual(pageErrors, []);
  await context.close();
});
