// Request validation with bounded cost. TypeBox's compiled Check is linear, but its error report is
// not: `uniqueItems` errors are quadratic (50,000 duplicate ids froze the event loop for 14 s) and
// every item of an over-long array is walked (~9 µs each). Validation runs before authentication, so
// an anonymous body must never buy more than a few milliseconds:
//   - uniqueness is checked in linear time (a Set), not by TypeBox's `uniqueItems` engine;
//   - an array longer than the longest the schema allows, or an object with more keys than any schema
//     object could need, is refused without walking it;
//   - only then is TypeBox asked for (at most 10) errors.
// Every array in a route schema has a `maxItems` (server/test/validation.test.ts checks it), so the
// error walk is bounded by the schema, not by the body.
// Query strings and path params are strings: integers there must be plain decimals (no `0x1F`, `1.5`,
// `+1`, `01`, `1e1`, ` 1`, `true`) before TypeBox converts them, or a malformed id would act on another
// object.
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { AppError } from './errors.ts';

/** Error entries returned to the client at most. */
const MAX_ERRORS = 10;
/** No schema object has more properties than this; a body object with more keys is refused unwalked. */
const MAX_OBJECT_KEYS = 100;
/** A plain decimal integer as it may appear in a path or query string (ids add minimum: 1 → ^[1-9][0-9]{0,17}$). */
const DECIMAL_INTEGER = /^(0|-?[1-9][0-9]{0,17})$/;
/** an id: what every `{id}` and `…Id` must look like */
const ID = /^[1-9][0-9]{0,17}$/;
const ID_NAME = /(^id|Id|Ids)$/;
const DECIMAL_NUMBER = /^-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,17})?$/;

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema node or request value of arbitrary shape, walked generically
type Json = Record<string, any>;

export interface ValidationError {
  instancePath: string;
  message: string;
  [key: string]: unknown;
}

export interface BoundedValidator {
  /** null when valid, else at most 10 errors; never does work beyond linear in the value's size */
  errors(value: unknown): ValidationError[] | null;
  /** the longest array the schema allows anywhere (Infinity when an array is uncapped) */
  readonly maxItems: number;
}

/** Linear-time uniqueness: primitives by value, objects by their JSON. */
export function allUnique(items: unknown[]): boolean {
  const seen = new Set<unknown>();
  for (const item of items) {
    const key = item !== null && typeof item === 'object' ? `\u0000${JSON.stringify(item)}` : item;
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

const uniqueRefinement = {
  check: (value: unknown) => !Array.isArray(value) || allUnique(value),
  error: () => '중복된 항목이 있습니다',
};

/** A copy of the schema whose `uniqueItems` are linear refinements, and the longest array it allows. */
function prepare(schema: unknown): { schema: TSchema; maxItems: number } {
  let maxItems = 0;
  const seen = new Map<object, unknown>();
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    if (seen.has(node)) return seen.get(node);
    const out: Json = {};
    seen.set(node, out);
    for (const [key, value] of Object.entries(node)) {
      if (key === 'uniqueItems') continue;
      out[key] = key === '~refine' ? value : walk(value);
    }
    const n = node as Json;
    if (n.type === 'array' || (Array.isArray(n.type) && n.type.includes('array'))) {
      maxItems = Math.max(maxItems, typeof n.maxItems === 'number' ? n.maxItems : Infinity);
    }
    if (n.uniqueItems === true) out['~refine'] = [...(Array.isArray(n['~refine']) ? n['~refine'] : []), uniqueRefinement];
    return out;
  };
  return { schema: walk(schema) as TSchema, maxItems };
}

/** The first place in `value` that no schema could accept in bulk: an over-long array or a huge object. */
function oversized(value: unknown, maxItems: number, path = '', depth = 0): ValidationError | null {
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    if (value.length > maxItems) return { instancePath: path, message: `항목은 최대 ${maxItems}개까지 보낼 수 있습니다`, keyword: 'maxItems' };
    for (let i = 0; i < value.length; i++) {
      const found = oversized(value[i], maxItems, `${path}/${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  const keys = Object.keys(value);
  if (keys.length > MAX_OBJECT_KEYS) return { instancePath: path, message: '항목이 너무 많습니다', keyword: 'maxProperties' };
  for (const key of keys) {
    const found = oversized((value as Json)[key], maxItems, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export function compileBounded(schema: TSchema): BoundedValidator {
  const prepared = prepare(schema);
  const validator = Compile(prepared.schema);
  return {
    maxItems: prepared.maxItems,
    errors(value) {
      if (validator.Check(value)) return null;
      const tooBig = oversized(value, prepared.maxItems);
      if (tooBig) return [tooBig];
      return (validator.Errors(value) as unknown as ValidationError[]).slice(0, MAX_ERRORS).map((e) => ({
        ...e,
        // a refinement's message lives in params
        message: e.message ?? String((e as { params?: { message?: string } }).params?.message ?? ''),
      }));
    },
  };
}

// ---- strict numbers in paths and query strings ------------------------------------------------

type NumberKind = 'integer' | 'number';

/** integer/number-valued properties of a params/querystring object schema (directly, in arrays, in unions). */
function numericProperties(schema: Json): Map<string, NumberKind> {
  const kinds = new Map<string, NumberKind>();
  const kindOf = (s: Json | undefined): NumberKind | null => {
    if (!s || typeof s !== 'object') return null;
    if (s.type === 'integer') return 'integer';
    if (s.type === 'number') return 'number';
    if (s.type === 'array') return kindOf(s.items);
    const options = s.anyOf ?? s.oneOf;
    if (!Array.isArray(options)) return null;
    // a union is numeric only when every option is a number or null (`near=me|…` stays a string)
    const kinds = options.filter((o: Json) => o?.type !== 'null').map(kindOf);
    return kinds.length && kinds.every((k: NumberKind | null) => k === kinds[0]) ? kinds[0] : null;
  };
  for (const [name, prop] of Object.entries((schema?.properties ?? {}) as Json)) {
    const k = kindOf(prop);
    if (k) kinds.set(name, k);
  }
  return kinds;
}

/** `id`, `postId`, … must be ^[1-9][0-9]{0,17}$ (with the schema's minimum: 1); other numbers plain decimals. */
export const invalidNumber = (name: string) =>
  ID_NAME.test(name)
    ? new AppError(400, 'INVALID_ID', `${name} 값이 올바른 번호가 아닙니다 (1 이상의 10진수 정수)`)
    : new AppError(400, 'INVALID_NUMBER', `${name} 값이 올바른 숫자가 아닙니다`);

/** Fastify's validator compiler for every route (app.ts). */
export const boundedValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = compileBounded(schema);
  const strings = httpPart === 'params' || httpPart === 'querystring' ? numericProperties(schema as Json) : new Map<string, NumberKind>();
  // TypeBox's Value.Convert (1.4) reads every property name as a regular expression (`^name$`), so the
  // wildcard param of /media/* threw (/^*$/) and each request was a 500. Only a part with a property
  // that is not a plain string has anything to convert.
  const converts = Object.values(((schema as Json)?.properties ?? {}) as Json).some((p: Json) => p?.type !== 'string');
  // biome-ignore lint/suspicious/noExplicitAny: FastifySchemaCompiler's validator result is typed `any` by Fastify itself
  return (value: unknown): any => {
    let input = value;
    if (httpPart !== 'body') {
      for (const [name, kind] of strings) {
        const raw = (value as Json | undefined)?.[name];
        if (raw === undefined) continue;
        const pattern = kind === 'number' ? DECIMAL_NUMBER : ID_NAME.test(name) ? ID : DECIMAL_INTEGER;
        for (const item of Array.isArray(raw) ? raw : [raw]) {
          if (typeof item === 'string' && !pattern.test(item)) return { error: invalidNumber(name) };
        }
      }
      if (converts) input = Value.Convert(schema, value);
    }
    const errors = validator.errors(input);
    return errors ? { error: errors } : { value: input };
  };
};

/** Multipart routes validate their parts in code; the body schema is for the OpenAPI document only. */
export const multipartValidator: FastifySchemaCompiler<TSchema> = (route) =>
  route.httpPart === 'body' ? () => ({ value: undefined }) : boundedValidatorCompiler(route);
