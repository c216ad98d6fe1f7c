// How values cross the HTTP boundary — the shared id schemas and one helper each for nullable schemas
// and timestamps (page cursors: lib/cursor.ts).
import { Type, type TSchema } from 'typebox';

/** A database id (validation.ts also requires its text form in paths and queries to be a plain decimal). */
export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
/** `{id}` path parameters */
export const IdParams = Type.Object({ id: Id });

/** A schema that also accepts null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** timestamptz arrives as a Date from both drivers (or as text from JSON built in SQL); the API speaks ISO 8601. */
export const iso = (value: Date | string): string => new Date(value).toISOString();
export const isoOrNull = (value: Date | string | null | undefined): string | null => (value == null ? null : iso(value));
