// Cross-site request forgery, including from the same site (another port or subdomain, which
// SameSite=Lax cookies do not stop). A state-changing request (POST/PUT/PATCH/DELETE) must prove it
// was not sent by a foreign page:
//   - a browser's own word wins: `Sec-Fetch-Site` other than same-origin/none, or an `Origin` that is
//     not this host, is refused outright;
//   - then it must be JSON (`Content-Type: application/json`) or carry `X-Requested-With` — neither can
//     be sent cross-origin without a CORS preflight, which this server never grants;
//   - multipart (what an HTML form or a no-cors fetch can send) additionally needs a same-origin
//     `Origin` or `Sec-Fetch-Site: same-origin` unless it carries the custom header;
//   - any other body type (text/plain, urlencoded — the classic form attacks) is a 415.
// web/src/api/client.ts sends `X-Requested-With` on every request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

export const CSRF_HEADER = 'x-requested-with';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const refused = () =>
  new AppError(403, 'CSRF_REJECTED', '다른 사이트에서 보낸 요청은 처리할 수 없습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요');

function sameOrigin(origin: string, req: FastifyRequest): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false; // "null" (sandboxed frames, file://) or garbage
  }
}

export function checkCsrf(req: FastifyRequest): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw refused();
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, req)) throw refused();

  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== '' && type !== 'application/json' && type !== 'multipart/form-data') {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'JSON(application/json) 또는 multipart/form-data 형식으로 보내야 합니다');
  }
  if (type === 'application/json' || req.headers[CSRF_HEADER] !== undefined) return;
  if (type === 'multipart/form-data' && (site === 'same-origin' || origin !== undefined)) return; // origin checked above
  throw refused();
}

/** On every route of the scope it is registered in (app.ts: the API). */
export function registerCsrfGuard(app: FastifyInstance) {
  app.addHook('onRequest', async (req) => checkCsrf(req));
}
