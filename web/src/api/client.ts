// The one way the app talks to the server: JSON over fetch with the session cookie, problem+json
// errors surfaced as ApiError with the server's Korean `detail`, and multipart uploads with progress.

export const API_BASE = '/api/v1';

/** A failed request. `message` is the Korean text to show the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A usable route id (`Number(useParams().id)` may be NaN or 0): queries wait until there is one. */
export const isId = (id: number) => Number.isInteger(id) && id > 0;

export const isApiError = (e: unknown, status?: number): e is ApiError =>
  e instanceof ApiError && (status === undefined || e.status === status);

/** The Korean message for any error thrown while loading or saving. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return '문제가 발생했습니다. 잠시 후 다시 시도해 주세요';
}

const NETWORK_ERROR = () => new ApiError(0, 'NETWORK', '서버에 연결할 수 없습니다. 네트워크를 확인해 주세요');

type QueryValue = string | number | boolean | null | undefined | (string | number)[];
export type Query = Record<string, QueryValue>;

/** `?a=1&b=x&c=1&c=2` — empty values are left out, arrays repeat the key. */
export function toQueryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function problemFrom(status: number, text: string): ApiError {
  let body: Record<string, unknown> = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // not JSON (a proxy error page, for instance)
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP_${status}`;
  const detail = typeof body.detail === 'string' && body.detail ? body.detail : fallbackMessage(status);
  return new ApiError(status, code, detail, body);
}

function fallbackMessage(status: number): string {
  if (status === 401) return '로그인이 필요합니다';
  if (status === 403) return '권한이 없습니다';
  if (status === 404) return '찾을 수 없습니다';
  if (status === 413) return '파일이 너무 큽니다';
  if (status === 429) return '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요';
  if (status === 503) return '서비스를 잠시 사용할 수 없습니다. 잠시 후 다시 시도해 주세요';
  if (status >= 500) return '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요';
  return '요청을 처리하지 못했습니다';
}

function parseBody<T>(text: string): T {
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  /** a plain object is sent as JSON; FormData as multipart */
  body?: unknown;
  signal?: AbortSignal;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  // X-Requested-With: the server refuses state-changing requests without it unless they are JSON
  // (a cross-site page cannot send it without a CORS preflight) — server/src/http/csrf.ts
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'chwimeet' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(API_BASE + path + toQueryString(opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body,
      credentials: 'include',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw NETWORK_ERROR();
  }
  const text = await res.text();
  if (!res.ok) throw problemFrom(res.status, text);
  return parseBody<T>(text);
}

/**
 * Multipart upload through XMLHttpRequest, because fetch cannot report upload progress.
 * onProgress receives 0..1 as bytes leave the browser.
 */
export function upload<T>(
  path: string,
  form: FormData,
  opts: { method?: 'POST' | 'PUT' | 'PATCH'; onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(opts.method ?? 'POST', API_BASE + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-requested-with', 'chwimeet');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && opts.onProgress) opts.onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        opts.onProgress?.(1);
        try {
          resolve(parseBody<T>(xhr.responseText));
        } catch {
          reject(problemFrom(xhr.status, ''));
        }
      } else reject(problemFrom(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(NETWORK_ERROR());
    xhr.onabort = () => reject(new DOMException('업로드를 취소했습니다', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
