// How values cross the HTTP boundary — the shared id schemas and one helper each for nullable schemas
// and timestamps (page cursors: lib/cursor.ts).
import { Type, type TLiteral, type TLiteralValue, type TSchema, type TUnion } from 'typebox';

/** A database id (validation.ts also requires its text form in paths and queries to be a plain decimal). */
export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
/** `{id}` path parameters */
export const IdParams = Type.Object({ id: Id });

/** One of a const tuple's values, e.g. the allowed radii; typed as that tuple (a plain map loses it, and Static with it). */
type Literals<T extends readonly TLiteralValue[]> = { -readonly [K in keyof T]: TLiteral<T[K] & TLiteralValue> };
export const OneOf = <const T extends readonly TLiteralValue[]>(values: T, options?: { description?: string }): TUnion<Literals<T>> =>
  Type.Union(values.map((v) => Type.Literal(v)), options) as TUnion<Literals<T>>;

/** A schema that also accepts null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** timestamptz arrives as a Date from both drivers (or as text from JSON built in SQL); the API speaks ISO 8601. */
export const iso = (value: Date | string): string => new Date(value).toISOString();
export const isoOrNull = (value: Date | string | null | undefined): string | null => (value == null ? null : iso(value));
