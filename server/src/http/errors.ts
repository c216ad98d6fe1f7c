// Problem+json (RFC 9457) errors with a stable `code` and a Korean `detail` for the UI.
import { josa } from 'es-hangul';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export const badRequest = (code: string, detail: string, extra?: Record<string, unknown>) =>
  new AppError(400, code, detail, extra);
export const unauthorized = (detail = '로그인이 필요합니다') => new AppError(401, 'UNAUTHORIZED', detail);
export const forbidden = (detail = '권한이 없습니다', code = 'FORBIDDEN') => new AppError(403, code, detail);
export const notFound = (what = '대상') => new AppError(404, 'NOT_FOUND', `${josa(what, '을/를')} 찾을 수 없습니다`);
export const conflict = (code: string, detail: string, extra?: Record<string, unknown>) =>
  new AppError(409, code, detail, extra);

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export function sendProblem(reply: FastifyReply, req: FastifyRequest, err: AppError) {
  if (typeof err.extra.retryAfterSeconds === 'number') reply.header('retry-after', String(err.extra.retryAfterSeconds));
  return reply
    .status(err.status)
    .type('application/problem+json')
    .send({
      type: `about:blank`,
      title: TITLES[err.status] ?? 'Error',
      status: err.status,
      code: err.code,
      detail: err.detail,
      instance: req.url,
      requestId: req.id,
      ...err.extra,
    });
}

// Postgres errors that mean "bad input" or "state conflict", never a server fault.
const PG_ERRORS: Record<string, [number, string, string]> = {
  '23505': [409, 'DUPLICATE', '이미 존재합니다'],
  '23503': [409, 'REFERENCE_CONFLICT', '다른 데이터가 참조하고 있거나 참조 대상이 없습니다'],
  '23P01': [409, 'OVERLAP', '이미 예약된 날짜와 겹칩니다'],
  '23514': [400, 'CONSTRAINT_VIOLATION', '입력값이 허용 범위를 벗어났습니다'],
  '22P02': [400, 'INVALID_INPUT', '입력 형식이 올바르지 않습니다'],
  '22003': [400, 'OUT_OF_RANGE', '숫자가 허용 범위를 벗어났습니다'],
  '22007': [400, 'INVALID_DATE', '날짜 형식이 올바르지 않습니다'],
  '22008': [400, 'INVALID_DATE', '날짜가 올바르지 않습니다'],
  '22001': [400, 'TOO_LONG', '입력이 너무 깁니다'],
  // NUL (\u0000) in text or jsonb: Postgres cannot store it (the request hook catches most; this is the net)
  '22021': [400, 'INVALID_CHARACTER', '입력에 허용되지 않는 문자가 있습니다'],
  '22P05': [400, 'INVALID_CHARACTER', '입력에 허용되지 않는 문자가 있습니다'],
  '2201B': [400, 'INVALID_INPUT', '입력 형식이 올바르지 않습니다'],
  '22025': [400, 'INVALID_INPUT', '입력 형식이 올바르지 않습니다'],
  '54000': [400, 'TOO_LONG', '입력이 너무 깁니다'],
};

/** with the u flag a valid pair is one code point; only an unpaired half is category Cs */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Text Postgres or the UI could not keep as sent, anywhere in a parsed request part (query, params, JSON
 * body): NUL (Postgres cannot store it) and lone UTF-16 surrogates (`"\ud800"` in JSON; they would be
 * stored as U+FFFD). Invalid UTF-8 bytes are refused earlier, by the body and query-string parsers.
 */
export function badText(value: unknown, depth = 0): 'nul' | 'surrogate' | null {
  if (typeof value === 'string') return value.includes('\u0000') ? 'nul' : LONE_SURROGATE.test(value) ? 'surrogate' : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  if (Buffer.isBuffer(value)) return null;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    const found = badText(v, depth + 1);
    if (found) return found;
  }
  return null;
}
export const nulRefused = () => badRequest('INVALID_CHARACTER', '입력에 허용되지 않는 문자(NUL)가 있습니다');
export const invalidText = () => badRequest('INVALID_ENCODING', '입력이 올바른 UTF-8 문자열이 아닙니다');

/** Throws the 400 for text badText finds (used for every parsed request part, multipart data included). */
export function refuseBadText(value: unknown) {
  const bad = badText(value);
  if (bad === 'nul') throw nulRefused();
  if (bad) throw invalidText();
}

// An outage of a backing service is a 503 the client may retry, not a 500 "INTERNAL".
const REDIS_DOWN = new Set([
  'ClientClosedError', 'ClientOfflineError', 'SocketClosedUnexpectedlyError', 'ConnectionTimeoutError', 'SocketTimeoutError',
  'TimeoutError', 'DisconnectsClientError', 'ReconnectStrategyError',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const RETRY_AFTER_SECONDS = 5;

function outage(err: unknown): AppError | null {
  if (!(err instanceof Error)) return null;
  if (REDIS_DOWN.has(err.constructor.name)) {
    return new AppError(503, 'REDIS_UNAVAILABLE', '서비스를 잠시 사용할 수 없습니다. 잠시 후 다시 시도해 주세요', { retryAfterSeconds: RETRY_AFTER_SECONDS });
  }
  const code = (err as { code?: unknown }).code;
  const databaseDown =
    (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code))) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed/i.test(err.message);
  if (databaseDown) {
    return new AppError(503, 'DATABASE_UNAVAILABLE', '데이터베이스에 잠시 연결할 수 없습니다. 잠시 후 다시 시도해 주세요', { retryAfterSeconds: RETRY_AFTER_SECONDS });
  }
  return null;
}

/** Maps any thrown error to a problem; unknown errors become a logged 500 without details. */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const down = outage(err);
  if (down) return down;
  const e = err as FastifyError & { code?: string; validation?: unknown[]; validationContext?: string };
  if (e?.validation) {
    const first = (e.validation as { instancePath?: string; message?: string }[])[0];
    const where = `${e.validationContext ?? ''}${first?.instancePath ?? ''}`;
    return badRequest('VALIDATION_FAILED', `입력값이 올바르지 않습니다 (${where}: ${first?.message ?? ''})`, {
      errors: e.validation,
    });
  }
  if (e?.code && PG_ERRORS[e.code]) {
    const [status, code, detail] = PG_ERRORS[e.code];
    return new AppError(status, code, detail);
  }
  // any other "data exception" (SQLSTATE class 22: a value the database cannot take, e.g. a cursor
  // holding the year 275760) comes from the request, not from a fault of the server
  if (typeof e?.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && (err as { severity?: string }).severity) {
    return new AppError(400, 'INVALID_INPUT', '입력값을 처리할 수 없습니다');
  }
  const status = e?.statusCode;
  if (status && status >= 400 && status < 500) {
    const detail =
      status === 413 ? '요청이 너무 큽니다' : status === 415 ? '지원하지 않는 형식입니다' : '요청을 처리할 수 없습니다';
    return new AppError(status, e.code ?? 'BAD_REQUEST', detail);
  }
  return null;
}
