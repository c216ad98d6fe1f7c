import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestContext, freshDatabase, type TestContext } from '../../../test/helpers.ts';
import type { Database } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';
import type { Embedder } from '../../ai/types.ts';
import { createOpenAIEmbedder } from '../../ai/openai-embedder.ts';
import { LOCAL_DIMENSIONS, createLocalEmbedder } from '../../ai/local-embedder.ts';
import { createEmbeddingWorker, type WorkerOptions } from './worker.ts';
import { EMBED_JOB, REFIT_AFTER_EMBEDDED, embeddingJobs } from './service.ts';
import { embeddingsRepository, vectorIndexName, vectorTable } from './repository.ts';
import { ivfListsFor, refreshVectorIndex, type VectorIndexRefresh } from './vector-index.ts';
import { KOREAN_LISTINGS, categoryId, insertBulkPosts, insertListings, jpeg, regionId, sendPost, waitFor } from '../../../test/factories.ts';

/** A local fake of an OpenAI-compatible server: /v1/embeddings and /v1/chat/completions. */
async function fakeOpenAI(handlers: { embeddings?: (body: any) => unknown; chat?: (body: any) => string }) {
  const requests: { path: string; body: any; auth?: string }[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : {};
      requests.push({ path: req.url!, body, auth: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/embeddings' && handlers.embeddings) return res.end(JSON.stringify(handlers.embeddings(body)));
      if (req.url === '/v1/chat/completions' && handlers.chat) {
        const content = handlers.chat(body);
        return res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: body.model,
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] }));
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const fakeVector = (text: string, dims: number) => Array.from({ length: dims }, (_, i) => Math.sin(text.length + i));

let db: Database;
before(async () => {
  db = await freshDatabase();
});
after(() => db.close());

const opts: WorkerOptions = { leaseMs: 60_000, maxAttempts: 3, batchSize: 8, backoffBaseMs: 10_000 };

test('failures retry with exponential backoff and end FAILED after N attempts, keeping the error', async () => {
  const [id] = await insertListings(db, [{ title: '실패 텐트', content: '항상 실패', category: '텐트' }]);
  let calls = 0;
  const failing: Embedder = { id: 'failing', dimensions: LOCAL_DIMENSIONS, embed: async () => { calls++; throw new Error('upstream 503'); } };
  const w = createEmbeddingWorker(db, failing, opts);
  const t0 = new Date('2030-01-01T00:00:00Z');
  const at = (ms: number) => () => new Date(t0.getTime() + ms);
  const row = () => db.one(sql`SELECT embedding_status, embedding_attempts, embedding_error, embedding_next_attempt_at FROM posts WHERE id = ${id}`);

  let r = await w.drain(at(0));
  assert.equal(r.retried, 1);
  let p = await row();
  assert.equal(p!.embedding_status, 'WAIT');
  assert.equal(p!.embedding_attempts, 1);
  assert.equal(p!.embedding_error, 'upstream 503');
  assert.equal(new Date(p!.embedding_next_attempt_at).getTime(), t0.getTime() + 10_000);

  await w.drain(at(5_000)); // not due yet
  assert.equal(calls, 1);
  await w.drain(at(10_000));
  p = await row();
  assert.equal(p!.embedding_attempts, 2);
  assert.equal(new Date(p!.embedding_next_attempt_at).getTime(), t0.getTime() + 10_000 + 20_000, 'backoff doubles');
  r = await w.drain(at(30_000));
  assert.equal(r.failed, 1);
  p = await row();
  assert.equal(p!.embedding_status, 'FAILED');
  assert.equal(p!.embedding_attempts, 3);
  assert.equal(p!.embedding_error, 'upstream 503');
  await w.drain(at(10 * 3_600_000));
  assert.equal(calls, 3, 'FAILED is never picked up again');
  await db.query(sql`DELETE FROM posts WHERE id = ${id}`);
});

test('a changed embedder id re-embeds everything in the background', async () => {
  await insertListings(db, KOREAN_LISTINGS.slice(0, 4));
  const local = createLocalEmbedder();
  const first = await createEmbeddingWorker(db, local, opts).drain(() => new Date());
  assert.ok(first.done >= 4);
  const total = (await db.one(sql`SELECT count(*)::int AS n FROM posts WHERE deleted_at IS NULL`))!.n;
  // another model of the built-in embedder's dimension: the same table
  const other: Embedder = { id: 'other-model', dimensions: LOCAL_DIMENSIONS, embed: async (t) => t.map((s) => fakeVector(s, LOCAL_DIMENSIONS)) };
  const w2 = createEmbeddingWorker(db, other, opts);
  assert.equal((await w2.prepare()).requeued, total);
  const r = await w2.drain(() => new Date());
  assert.equal(r.done, total);
  const ids = await db.query(sql`SELECT DISTINCT embedder_id FROM post_embeddings`);
  assert.deepEqual(ids.map((x) => x.embedder_id), ['other-model']);
  assert.equal((await createEmbeddingWorker(db, other, opts).prepare()).requeued, 0, 'same id: nothing to redo');
});

test('an API model with another dimension gets its own vector table', async () => {
  const small: Embedder = { id: 'api-small-64', dimensions: 64, embed: async (t) => t.map((s) => fakeVector(s, 64)) };
  const r = await createEmbeddingWorker(db, small, opts).drain(() => new Date());
  assert.ok(r.done > 0);
  const n = (await db.one(sql`SELECT count(*)::int AS n FROM post_embeddings_d64`))!.n;
  assert.equal(n, r.done);
});

test('a vector index rebuild that fails does not stop embedding; the next check builds it', async () => {
  const dims = 24;
  const model: Embedder = { id: 'api-24', dimensions: dims, embed: async (t) => t.map((s) => fakeVector(s, dims)) };
  // 1,200 vectors of deleted listings, so the check wants √n lists instead of the one the table starts with
  const repo = embeddingsRepository(db);
  await repo.ensureVectorTable(dims);
  const old = await insertBulkPosts(db, 1200, { deleted: true });
  await repo.writeVectors(dims, model.id, old, old.map((id) => fakeVector(String(id), dims)));
  // a relation holding the name the build gives its new index: CREATE INDEX fails, as any build error would
  await db.exec(`CREATE TABLE ${vectorIndexName(dims)}_next (x int)`);
  try {
    const heard: string[] = [];
    const worker = createEmbeddingWorker(db, model, opts, (message) => heard.push(message));
    const { requeued, vectorIndex } = await worker.prepare();
    assert.match((vectorIndex as { failed: string }).failed, /already exists/);
    assert.deepEqual(heard, [(vectorIndex as { failed: string }).failed], 'told once, for the log');
    const r = await worker.drain(() => new Date());
    assert.ok(requeued > 0 && r.done >= requeued, `embedded ${r.done}, ${requeued} re-queued`);
    assert.equal((await repo.vectorIndexState(dims)).lists, 1, 'the old index still serves');
  } finally {
    await db.exec(`DROP TABLE ${vectorIndexName(dims)}_next`);
  }
  assert.equal((await refreshVectorIndex(db, dims)).rebuilt, true);
  assert.equal((await repo.vectorIndexState(dims)).lists, ivfListsFor(await repo.vectorCount(dims)));
  await db.exec(`DROP TABLE ${vectorTable(dims)}`);
  await db.query(sql`DELETE FROM posts WHERE id = ANY(${old}::bigint[])`);
});

test('a pass that embeds a thousand listings or more (a model change, an import) refits the vector index at once', async () => {
  const ctx = await createTestContext();
  try {
    const embedJob = embeddingJobs.find((j) => j.name === EMBED_JOB)!;
    const repo = embeddingsRepository(ctx.deps.db);
    const run = () => embedJob.run({ deps: ctx.deps, now: new Date() }) as Promise<{ done: number; vectorIndex?: VectorIndexRefresh }>;
    await insertListings(ctx.deps.db, KOREAN_LISTINGS.slice(0, 3));
    const small = await run();
    assert.equal(small.done, 3);
    assert.equal(small.vectorIndex, undefined, 'a few new listings leave the index to the nightly check');
    assert.equal((await repo.vectorIndexState(LOCAL_DIMENSIONS)).lists, 1);

    await insertBulkPosts(ctx.deps.db, REFIT_AFTER_EMBEDDED, { deleted: false });
    const large = await run();
    assert.equal(large.done, REFIT_AFTER_EMBEDDED);
    const lists = ivfListsFor(REFIT_AFTER_EMBEDDED + 3);
    assert.deepEqual({ rebuilt: large.vectorIndex?.rebuilt, lists: large.vectorIndex?.lists }, { rebuilt: true, lists });
    assert.equal((await repo.vectorIndexState(LOCAL_DIMENSIONS)).lists, lists);
  } finally {
    await ctx.close();
  }
});

test('OpenAI-compatible embedder against a local fake server (float encoding, dimensions, key)', async () => {
  const fake = await fakeOpenAI({
    embeddings: (body) => ({
      object: 'list', model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 },
      data: [...body.input].map((t: string, index: number) => ({ object: 'embedding', index, embedding: fakeVector(t, body.dimensions) })).reverse(),
    }),
  });
  try {
    const e = createOpenAIEmbedder({ baseUrl: fake.baseUrl, model: 'bge-m3', dimensions: 16, apiKey: 'sk-test' });
    assert.equal(e.id, 'openai:bge-m3:16');
    const out = await e.embed(['텐트', '전동드릴 빌려요']);
    assert.deepEqual(out, [fakeVector('텐트', 16), fakeVector('전동드릴 빌려요', 16)], 'ordered by index');
    assert.equal(fake.requests[0].body.encoding_format, 'float');
    assert.equal(fake.requests[0].body.dimensions, 16);
    assert.equal(fake.requests[0].auth, 'Bearer sk-test');
    // a server answering with the wrong dimension is an error the worker records, not bad data
    const wrong = createOpenAIEmbedder({ baseUrl: fake.baseUrl, model: 'bge-m3', dimensions: 16, apiKey: '' });
    const lying = await fakeOpenAI({ embeddings: (body) => ({ object: 'list', data: body.input.map((_: string, index: number) => ({ index, embedding: [1, 2, 3] })) }) });
    try {
      const liar = createOpenAIEmbedder({ baseUrl: lying.baseUrl, model: 'x', dimensions: 16, apiKey: '' });
      await assert.rejects(liar.embed(['a']), /차원 불일치/);
    } finally {
      await lying.close();
    }
    assert.equal(wrong.dimensions, 16);
  } finally {
    await fake.close();
  }
});

test('creating a listing queues the embedding job: embedded within seconds of the request', async () => {
  const ctx: TestContext = await createTestContext({ jobs: { definitions: embeddingJobs, workers: true, pollingIntervalSeconds: 1 } });
  try {
    await ctx.deps.jobs.start(); // queues the start pass (nothing waits yet)
    const me = await ctx.signUp();
    const data = {
      title: '새로 올린 카메라', content: '미러리스 카메라입니다', categoryId: await categoryId(ctx.deps.db, '카메라'),
      regionIds: [await regionId(ctx.deps.db, '서울특별시 마포구')], fee: 10000, deposit: 50000, receiveMethod: 'ANY', returnMethod: 'ANY',
    };
    const res = await sendPost(ctx.app, { cookie: me.cookie, data, images: [await jpeg()] });
    assert.equal(res.statusCode, 201, res.body);
    const id: number = res.json().id;
    // the hourly cron never fires here: only the queued job can embed it
    const status = async () => (await ctx.deps.db.one(sql`SELECT embedding_status FROM posts WHERE id = ${id}`))!.embedding_status;
    await waitFor(async () => (await status()) === 'DONE', 'the listing embedded', 5_000);
  } finally {
    await ctx.close();
  }
});

test('AI search with a fake LLM: a good reply is used (unknown ids dropped), a malformed one falls back', async () => {
  let reply = '';
  const fake = await fakeOpenAI({ chat: () => reply });
  const ctx = await createTestContext({ env: { LLM_BASE_URL: fake.baseUrl, LLM_MODEL: 'fake-chat' } });
  try {
    const ids = await insertListings(ctx.deps.db, KOREAN_LISTINGS);
    const { runEmbeddingPass } = await import('./service.ts');
    await runEmbeddingPass(ctx.deps);
    const drill = ids[0];
    const tent = ids[2];
    reply = JSON.stringify({ answer: `벽 타공에는 [#${drill}] 전동드릴이 맞고, [#99999]도 좋아요.`, ids: [drill, 99999] });
    const url = `/api/v1/search-ai?q=${encodeURIComponent('전동드릴 빌리고 싶어요')}`;
    let res = await ctx.app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, res.body);
    let body = res.json();
    assert.equal(body.mode, 'llm');
    assert.deepEqual(body.citations, [drill]);
    assert.equal(body.items[0].listing.id, drill);
    assert.ok(!body.answer.includes('99999'), body.answer);
    assert.match(body.answer, new RegExp(`\\[#${drill}\\]`));
    const sent = fake.requests.at(-1)!.body;
    assert.equal(sent.model, 'fake-chat');
    assert.deepEqual(sent.response_format, { type: 'json_object' });

    for (const bad of ['이건 JSON이 아닙니다', JSON.stringify({ answer: 3 }), JSON.stringify({ answer: '[#99999]만 추천', ids: [99999] })]) {
      reply = bad;
      res = await ctx.app.inject({ method: 'GET', url });
      body = res.json();
      assert.equal(body.mode, 'extractive', bad);
      assert.match(body.fallbackReason, /^LLM 응답/);
      assert.match(body.answer, /보쉬 전동드릴 대여/);
      assert.ok(!body.answer.includes('99999'));
    }

    // suggestions while typing (no draft flag): category and prices, template draft, no LLM call
    reply = JSON.stringify({ title: '4인용 텐트 빌려드려요', content: '사진의 텐트입니다.' });
    const me = await ctx.signUp();
    const asked = fake.requests.length;
    res = await ctx.app.inject({
      method: 'POST', url: '/api/v1/posts/suggest', headers: { cookie: me.cookie },
      payload: { title: '가족용 텐트', content: '', images: ['data:image/png;base64,iVBORw0KGgo='] },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().draft.source, 'template');
    assert.equal(res.json().categories[0].name, '텐트');
    assert.equal(fake.requests.length, asked, 'no LLM call without draft: true');

    // the draft button: vision draft with photos
    res = await ctx.app.inject({
      method: 'POST', url: '/api/v1/posts/suggest', headers: { cookie: me.cookie },
      payload: { title: '', content: '', hint: '텐트', images: ['data:image/png;base64,iVBORw0KGgo='], draft: true },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().draft, { title: '4인용 텐트 빌려드려요', content: '사진의 텐트입니다.', source: 'llm' });
    assert.equal(fake.requests.length, asked + 1);
    const msg = fake.requests.at(-1)!.body.messages[0].content;
    assert.equal(msg[1].type, 'image_url');
    assert.ok(tent);
  } finally {
    await ctx.close();
    await fake.close();
  }
});


/** A deterministic stand-in for a real model: character bigrams hashed onto `dims` axes. */
function bigramVector(text: string, dims: number): number[] {
  const v = new Array(dims).fill(0);
  const chars = Array.from(text);
  for (let i = 0; i + 1 < chars.length; i++) {
    let h = 2166136261;
    for (const c of chars[i] + chars[i + 1]) h = Math.imul(h ^ c.codePointAt(0)!, 16777619) >>> 0;
    v[h % dims] += 1;
  }
  return v;
}

test('embeddings server down, then answering the wrong dimension, then back: keyword search with a flag meanwhile, nothing lost, embedding resumes', async () => {
  // a port nobody listens on yet; the fake server takes it later
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));

  let t = new Date('2031-03-01T00:00:00Z').getTime();
  const clock = { now: () => new Date(t) };
  const ctx = await createTestContext({
    clock,
    env: { EMBEDDINGS_BASE_URL: `http://127.0.0.1:${port}/v1`, EMBEDDINGS_MODEL: 'bge-m3', EMBEDDINGS_DIMENSIONS: '16' },
  });
  let dims = 16;
  let answered = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw);
      answered++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({
        object: 'list', model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 },
        data: body.input.map((text: string, index: number) => ({ object: 'embedding', index, embedding: bigramVector(text, dims) })),
      }));
    });
  });
  const states = () => ctx.deps.db.query<{ embedding_status: string; embedding_attempts: number; n: number }>(
    sql`SELECT embedding_status, embedding_attempts, count(*)::int AS n FROM posts GROUP BY 1, 2`);
  const search = async (q: string) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  try {
    const { runEmbeddingPass } = await import('./service.ts');
    await insertListings(ctx.deps.db, KOREAN_LISTINGS);
    const n = KOREAN_LISTINGS.length;

    // 1. down: every listing back to WAIT, no attempt counted, the reason kept
    let pass = await runEmbeddingPass(ctx.deps);
    assert.deepEqual([pass.done, pass.retried, pass.failed], [0, n, 0]);
    assert.deepEqual(await states(), [{ embedding_status: 'WAIT', embedding_attempts: 0, n }]);
    const err = await ctx.deps.db.one(sql`SELECT DISTINCT embedding_error FROM posts`);
    assert.match(err!.embedding_error, /임베딩 서버 응답 없음/);
    let r = await search('텐트');
    assert.equal(r.semanticFallback, 'EMBEDDER_UNAVAILABLE');
    assert.equal(r.semanticAvailable, false);
    assert.ok(r.items.length >= 2 && r.items.every((h: any) => h.match.keyword && !h.match.semantic), 'keyword hits still found');

    // 2. up, but answering 8 numbers per vector while 16 are configured: still nothing lost
    dims = 8;
    await new Promise<void>((res) => server.listen(port, '127.0.0.1', res));
    t += 10 * 60_000;
    pass = await runEmbeddingPass(ctx.deps);
    assert.ok(answered > 0, 'the server was asked');
    assert.deepEqual([pass.done, pass.failed], [0, 0]);
    assert.deepEqual(await states(), [{ embedding_status: 'WAIT', embedding_attempts: 0, n }]);
    assert.match((await ctx.deps.db.one(sql`SELECT DISTINCT embedding_error FROM posts`))!.embedding_error, /차원 불일치: 8 ≠ 16/);
    r = await search('텐트');
    assert.equal(r.semanticFallback, 'EMBEDDER_UNAVAILABLE');

    // 3. fixed: the next due pass embeds everything, and search uses vectors again
    dims = 16;
    t += 10 * 60_000;
    pass = await runEmbeddingPass(ctx.deps);
    assert.equal(pass.done, n);
    assert.deepEqual(await states(), [{ embedding_status: 'DONE', embedding_attempts: 0, n }]);
    assert.equal((await ctx.deps.db.one(sql`SELECT count(*)::int AS n FROM post_embeddings_d16`))!.n, n);
    r = await search('텐트');
    assert.equal(r.semanticFallback, null);
    assert.equal(r.semanticAvailable, true);
  } finally {
    await ctx.close();
    server.closeAllConnections(); // the SDK keeps its connection alive; close() alone would wait for it
    await new Promise<void>((r) => server.close(() => r()));
  }
});
