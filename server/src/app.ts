// The HTTP application: conventions (schemas, errors, auth, docs) and the domain modules.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { registerAjvFormats, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { boundedValidatorCompiler } from './http/validation.ts';
import type { Deps } from './deps.ts';
import { AppError, refuseBadText, sendProblem, toAppError } from './http/errors.ts';
import { parseQueryString, refuseInvalidQuery, registerJsonParser } from './http/encoding.ts';
import { registerAuth } from './http/auth.ts';
import { registerCsrfGuard } from './http/csrf.ts';
import { cspHeader, webIndex } from './http/web-index.ts';
import { firstPaint } from './http/first-paint.ts';
import { apiModules } from './modules/index.ts';
import { realtimeGateway } from './realtime/gateway.ts';
import { mediaRoutes } from './modules/images/routes.ts';
import { MAX_IMAGES, MAX_UPLOAD_BYTES } from './modules/images/service.ts';
import { registerMetrics } from './metrics.ts';
import { embeddingBacklog } from './modules/embeddings/service.ts';
import { schemaReachable } from './db/migrate.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
  }
}

export type App = FastifyInstance;

registerAjvFormats();

export async function buildApp(deps: Deps, opts: { logger?: boolean | object } = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    genReqId: (req) => (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || crypto.randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // Boot, not requests: on a busy 2-core machine loading swagger-ui's assets alone can pass Fastify's 10 s default.
    pluginTimeout: 60_000,
    routerOptions: { querystringParser: parseQueryString }, // invalid UTF-8 in percent-escapes → 400
    // Only behind our proxy, and only its one hop: the client IP is the right-most X-Forwarded-For entry
    // (the one our nginx adds). `true` would take the left-most, which the client writes itself and
    // could rotate to dodge every per-IP limit.
    trustProxy: deps.config.trustProxy ? (_address: string, hop: number) => hop < 1 : false,
    // errors raised before routing (a malformed percent-encoding in the path) are problems too
    frameworkErrors: (err, req, reply) => {
      const problem = err.code === 'FST_ERR_BAD_URL'
        ? new AppError(400, 'BAD_URL', '주소 형식이 올바르지 않습니다')
        : toAppError(err) ?? new AppError(400, 'BAD_REQUEST', '요청을 처리할 수 없습니다');
      return sendProblem(reply, req, problem);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(boundedValidatorCompiler);
  app.decorate('deps', deps);

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.setErrorHandler((err, req, reply) => {
    const problem = toAppError(err);
    if (problem) return sendProblem(reply, req, problem);
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, req, new AppError(500, 'INTERNAL', '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요'));
  });

  registerMetrics(app, { embeddingBacklog: () => embeddingBacklog(deps) });
  await app.register(helmet, securityHeaders(deps.config.cookieSecure));
  await app.register(cookie);
  // br/gzip for JSON, HTML and docs (images are already compressed; web assets are precompressed at build)
  await app.register(compress, { global: true, encodings: ['br', 'gzip'] });
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: MAX_IMAGES, fields: 50, fieldSize: 64 * 1024, parts: 80 },
    throwFileSizeLimit: true,
  });
  await app.register(swagger, {
    openapi: {
      info: { title: '취밋 API', version: '1.0.0', description: '이웃끼리 물건을 빌리고 빌려주는 P2P 대여 플랫폼 API' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'chwimeet_sid' } } },
    },
  });
  // swagger-ui styles itself inline and shows data: images: its pages get their own, looser CSP
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerJsonParser(app); // invalid UTF-8 in a JSON body → 400, never U+FFFD
  refuseInvalidQuery(app);
  // NUL (Postgres cannot store it) and lone surrogates: refused once, for every route, before any handler runs.
  app.addHook('preValidation', async (req) => {
    for (const part of [req.query, req.params, req.body]) refuseBadText(part);
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    // each check answers within READY_CHECK_MS: a probe must not hang with the service it probes
    checks.database = (await within(schemaReachable(deps.db))) ? 'ok' : 'down';
    if (deps.redis) checks.redis = (await within(deps.redis.ping())) ? 'ok' : 'down';
    checks.vector = deps.db.vectorAvailable ? 'ok' : 'unavailable';
    if (deps.demo.state) checks.demo = deps.demo.state; // 'loading' while the first start seeds (the app is usable)
    const ready = checks.database === 'ok' && checks.redis !== 'down' && !shuttingDown(app);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
  });

  await app.register(mediaRoutes); // uploaded images at /media/*
  // Only the API and the WebSocket ask who is calling: static files, /media and the probes skip the
  // session lookup (a logged-in browser sends the cookie with every image request).
  await app.register(async (authenticated) => {
    registerCsrfGuard(authenticated); // before the session lookup: a forged request costs nothing
    registerAuth(authenticated);
    for (const mod of apiModules) await authenticated.register(mod, { prefix: '/api/v1' });
    await authenticated.register(realtimeGateway); // STOMP over WebSocket at /ws
  });

  await serveWebApp(app, deps.config.webDist);
  return app;
}

/** The Content-Security-Policy of every response; index.html adds the hash of its inline style (http/web-index.ts). */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * Security headers on every response (@fastify/helmet): the web app loads only its own scripts, styles,
 * images (and blob: previews of photos being uploaded) and connects only to its own origin; nothing may
 * frame it; no MIME sniffing; referrers stay on this site; HSTS only where the site is HTTPS
 * (COOKIE_SECURE=true says so).
 */
export function securityHeaders(https: boolean) {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    frameguard: { action: 'deny' as const },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // images under /media are only used by this site
    crossOriginResourcePolicy: { policy: 'same-origin' as const },
    crossOriginEmbedderPolicy: false,
  };
}

const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const READY_CHECK_MS = 1500;
/** true when the promise settles successfully within READY_CHECK_MS */
async function within(work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), READY_CHECK_MS)));
  try {
    return await Promise.race([work.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const draining = new WeakSet<object>();
export const markDraining = (app: App) => draining.add(app);
const shuttingDown = (app: App) => draining.has(app);

/** The single-page app: static files, and index.html for any other non-API GET. */
async function serveWebApp(app: App, webDist: string) {
  const hasWeb = fs.existsSync(path.join(webDist, 'index.html'));
  const index = webIndex(webDist);
  const sendIndex = async (req: FastifyRequest, reply: FastifyReply) => {
    const page = index.page(req.url);
    const paint = await firstPaint(app, req);
    // the page differs with the session cookie: a shared cache keys on it, and never keeps a member's
    return reply.type('text/html').header('cache-control', paint.personal ? PERSONAL_CACHE_CONTROL : INDEX_CACHE_CONTROL)
      .header('vary', 'Cookie')
      .header('content-security-policy', cspHeader(CSP_DIRECTIVES, page.styleHashes)).send(paint.apply(page.html));
  };
  // wildcard: files are looked up per request, so a rebuilt web/dist is served without a restart
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      wildcard: true,
      index: false,
      preCompressed: true, // the .br/.gz files the web build writes next to each asset
      cacheControl: false,
      setHeaders: (reply, file) =>
        reply.header('cache-control', path.relative(webDist, file).startsWith(`assets${path.sep}`) ? ASSET_CACHE_CONTROL : INDEX_CACHE_CONTROL),
    });
    app.get('/', { schema: { hide: true } }, (req, reply) => sendIndex(req, reply));
  }
  app.setNotFoundHandler((req, reply) => {
    // a missing /assets file (an old build's chunk) is a 404, never index.html under a script's name
    const isApi = /^\/(api|adm|ws|docs|openapi\.json|healthz|readyz|metrics|media|assets)(\/|$|\?)/.test(req.url);
    if (req.method === 'GET' && !isApi && hasWeb) return sendIndex(req, reply);
    return sendProblem(reply, req, new AppError(404, 'NOT_FOUND', '요청한 주소를 찾을 수 없습니다'));
  });
}

/** /assets/* names carry a content hash (a new build is a new name): cache them for a year */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** index.html and other unhashed files: always revalidate, so a deploy is seen at the next load */
export const INDEX_CACHE_CONTROL = 'no-cache';
/** index.html carrying a member's own data (first paint with a session cookie): this browser only, not stored */
export const PERSONAL_CACHE_CONTROL = 'private, no-store';
