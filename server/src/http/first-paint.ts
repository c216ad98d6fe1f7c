// The first paint of `/` and of a listing page comes with the HTML (issue 11.8, first load on a phone).
// Without it the feed waits for the entry JS (≈1.5 s on slow 4G), then for the API (another round
// trip). At request time the server asks its own API (app.inject: the same routes, visibility rules and
// response schemas as a browser's request, so nothing the API would not show this viewer can slip in)
// and puts into index.html:
// - plain markup of the page's first screen inside #root (feed cards' titles and prices; a listing's
//   title, price and owner), with the app's own classes; React replaces it when it starts;
// - the same answers as a JSON data block (<script type="application/json">, which the CSP does not
//   treat as a script; `<` escaped so no text can close it), which web/src/api/first-data.ts puts into
//   the query cache, so the app shows them without asking again.
// A request with a session cookie gets that member's view, so its HTML must never sit in a shared cache
// (`personal`: app.ts sends it private, no-store).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { MyMember } from '../modules/members/schemas.ts';
import type { PostDetail as PostDetailSchema, PostPage as PostPageSchema } from '../modules/posts/schemas.ts';
import { won } from '../lib/money.ts';
import { SESSION_COOKIE } from './auth.ts';

type PostPage = Static<typeof PostPageSchema>;
type PostDetail = Static<typeof PostDetailSchema>;

/** The data block's contract with web/src/api/first-data.ts. */
export interface FirstData {
  /** GET /members/session's member (null: a guest) */
  me: Static<typeof MyMember> | null;
  /** GET /posts?sort=newest, the first page of the guest's home feed */
  feed?: PostPage;
  /** GET /posts/{id} as this viewer sees it */
  post?: PostDetail;
}

/** the data block's id, which web/src/api/first-data.ts looks up */
const FIRST_DATA_ID = 'first-data';
/** the marker in web/index.html, right after the shell's top bar */
const MARKER = '<!--first-paint-->';
/** Rather the bare shell than an HTML response held up by a slow database. */
const BUDGET_MS = 2000;
const FEED_SIZE = 20;

export interface FirstPaint {
  /** the viewer's own view (a session cookie came with the request) */
  personal: boolean;
  apply(html: string): string;
}

/** The first paint for an app route: data and markup for `/` and `/posts/{id}`, nothing for other routes. */
export async function firstPaint(app: FastifyInstance, req: FastifyRequest): Promise<FirstPaint> {
  const sid = req.cookies?.[SESSION_COOKIE];
  const personal = !!sid;
  const [pathname, search] = req.url.split('?', 2);
  const postId = /^\/posts\/(\d{1,15})\/?$/.exec(pathname)?.[1];
  const home = pathname === '/' && !search; // a filtered feed (?category=…) is left to the app
  if (!home && !postId) return { personal, apply: (html) => html };

  const get = async <T>(url: string): Promise<T | undefined> => {
    const res = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: sid ? { cookie: `${SESSION_COOKIE}=${sid}` } : {} });
    return res.statusCode === 200 ? res.json<T>() : undefined;
  };
  const work = (async (): Promise<FirstData> => {
    const [session, feed, post] = await Promise.all([
      sid ? get<{ member: FirstData['me'] }>('/members/session') : undefined,
      // a member's home feed is their 동네's (the app picks the range): only a guest's is known here
      home && !sid ? get<PostPage>(`/posts?sort=newest&limit=${FEED_SIZE}`) : undefined,
      postId ? get<PostDetail>(`/posts/${postId}`) : undefined,
    ]);
    return { me: session?.member ?? null, feed, post };
  })().catch((err) => void req.log.warn({ err }, 'first paint data failed; sending the bare shell'));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), BUDGET_MS)));
  const data = await Promise.race([work, late]).finally(() => clearTimeout(timer));
  if (!data) return { personal, apply: (html) => html };

  const main = data.post ? listingMarkup(data.post) : data.feed ? feedMarkup(data.feed) : '';
  const block = `<script type="application/json" id="${FIRST_DATA_ID}">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
  return {
    personal,
    apply: (html) => {
      let out = html.replace(MARKER, main).replace('</body>', `${block}</body>`);
      if (data.post) out = out.replace(/<title>[^<]*<\/title>/, `<title>${esc(data.post.title)} | 취밋</title>`);
      return out;
    },
  };
}

// ---- markup: the first screen only, with the classes of HomePage/PostCard and PostDetailPage

const esc = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function feedMarkup(feed: PostPage): string {
  const cards = feed.items.map((post) => {
    // "서울특별시 마포구" → "마포구", as the app's cards show it
    const place = post.neighbourhood?.name ?? post.regions[0]?.split(' ').pop() ?? '';
    return `<a href="/posts/${post.id}" class="post-card"><div class="post-card-thumb"></div><div class="post-card-body">` +
      `<h3 class="post-card-title">${esc(post.title)}</h3><p class="post-card-meta"><span>${esc(place)}</span></p>` +
      `<p class="post-card-price"><strong>${won(post.fee)}</strong><span class="per-day"> / 일</span></p>` +
      `<p class="post-card-foot"><span class="muted">보증금 ${won(post.deposit)}</span></p></div></a>`;
  });
  // HomePage's greeting for a guest above the cards, so the cards do not jump when the app takes over
  return `<main class="app-main"><div class="page"><section class="hero"><div><h1 class="hero-title">필요한 건 이웃에게 빌려요</h1>` +
    `<p class="hero-sub">캠핑장비부터 공구, 유아용품까지 — 사지 말고 하루만 빌려 쓰세요</p></div>` +
    `<a href="/posts/new" class="btn btn-primary hero-cta">내 물건 빌려주기</a></section><h2 class="section-title">방금 올라온 물건</h2>` +
    `<div class="post-grid">${cards.join('')}</div></div></main>`;
}

function listingMarkup(post: PostDetail): string {
  const region = post.regions[0];
  const place = post.neighbourhood?.name ?? (region ? `${region.parentName ?? ''} ${region.name}`.trim() : '');
  return `<main class="app-main"><article class="page detail-page"><div class="detail-layout"><div class="detail-main">` +
    `<a href="/members/${post.owner.id}" class="owner-row"><div><strong>${esc(post.owner.nickname)}</strong>` +
    `<span class="muted">${esc(place)}</span></div></a>` +
    `<header class="detail-head"><h1 class="detail-title">${esc(post.title)}</h1>` +
    `<p class="detail-meta"><span>${esc(post.categoryPath.map((c) => c.name).join(' › '))}</span></p></header>` +
    `<div class="price-box"><div><span class="price-label">하루 대여료</span><strong class="price-value">${won(post.fee)}</strong></div>` +
    `<div><span class="price-label">보증금</span><strong>${won(post.deposit)}</strong></div></div>` +
    `<p class="detail-content">${esc(post.content)}</p></div></div></article></main>`;
}
