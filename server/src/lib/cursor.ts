// The one page-cursor codec of the server: a cursor is the position after the last item of a page,
// written as base64url JSON. Clients treat it as opaque text and send back what they were given.
import { Type } from 'typebox';
import { badRequest } from '../http/errors.ts';

/** The query-string schema of every `cursor` parameter. */
export const CursorParam = Type.String({ maxLength: 500, description: '이전 응답의 nextCursor (그대로 보내 주세요)' });

/** Writes a position as an opaque cursor. */
export const encodeCursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');

/** Reads a cursor back; anything unreadable or failing `isValid` is a 400 INVALID_CURSOR. */
// biome-ignore lint/suspicious/noExplicitAny: isValid receives parsed JSON of unknown shape and is itself the check of that shape
export function decodeCursor<T>(raw: string, isValid: (position: any) => boolean, detail = '페이지 커서가 올바르지 않습니다'): T {
  try {
    const position = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (position !== null && typeof position === 'object' && isValid(position)) return position as T;
  } catch {
    // not base64url JSON: same answer as a well-formed but wrong cursor
  }
  throw badRequest('INVALID_CURSOR', detail);
}

const isRowId = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;

/** The cursor of newest-id-first lists: the last id of the previous page. */
export const encodeIdCursor = (id: number): string => encodeCursor({ id });
export function decodeIdCursor(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  return decodeCursor<{ id: number }>(raw, (p) => isRowId(p.id)).id;
}

/** The next cursor of an "id DESC, fetched limit + 1" page, or null on the last page. */
export const nextIdCursor = (rows: readonly { id: number }[], limit: number): string | null =>
  rows.length > limit ? encodeIdCursor(rows[limit - 1].id) : null;
