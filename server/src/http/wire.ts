// How values cross the HTTP boundary — the shared id schemas and one helper each for nullable schemas,
// timestamps and page cursors.
import { Type, type TSchema } from 'typebox';
import { badRequest } from './errors.ts';

/** A database id (validation.ts also requires its text form in paths and queries to be a plain decimal). */
export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
/** `{id}` path parameters */
export const IdParams = Type.Object({ id: Id });

/** A schema that also accepts null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** timestamptz arrives as a Date from both drivers (or as text from JSON built in SQL); the API speaks ISO 8601. */
export const iso = (value: Date | string): string => new Date(value).toISOString();
export const isoOrNull = (value: Date | string | null | undefined): string | null => (value == null ? null : iso(value));

/** An opaque page cursor: the position as base64url JSON. */
export const encodeCursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');

/** Reads a cursor back; anything unreadable or failing `isValid` is a 400 INVALID_CURSOR. */
export function decodeCursor<T>(raw: string, isValid: (position: any) => boolean, detail = '페이지 커서가 올바르지 않습니다'): T {
  try {
    const position = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (position !== null && typeof position === 'object' && isValid(position)) return position as T;
  } catch {
    // not base64url JSON: same answer as a well-formed but wrong cursor
  }
  throw badRequest('INVALID_CURSOR', detail);
}
