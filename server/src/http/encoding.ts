// Bytes that are not UTF-8 are refused at the door, not decoded to U+FFFD and stored:
// JSON bodies are checked as bytes before parsing, query strings when their escapes are decoded.
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import fastQueryString from 'fast-querystring';
import { invalidText } from './errors.ts';

/** Replaces Fastify's JSON parser with one that checks UTF-8 first (prototype-poisoning protection kept). */
export function registerJsonParser(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    if (!isUtf8(body as Buffer)) return done(invalidText(), undefined);
    parseJson(req, (body as Buffer).toString('utf8'), done);
  });
}

/** the parsed query objects whose raw string had an escape that is not UTF-8 (only the parser adds to it) */
const notUtf8 = new WeakSet<object>();

/**
 * Fastify's own query-string parser, except that a percent-escape which does not decode to UTF-8
 * (`%FF`, `%ED%A0%80`) marks the result (the fast parser would keep the raw `%FF` text). The router
 * calls this while matching, where throwing is no answer; `refuseInvalidQuery` turns the mark into a 400.
 */
export function parseQueryString(raw: string): Record<string, unknown> {
  const query: Record<string, unknown> = fastQueryString.parse(raw);
  if (raw.includes('%')) {
    for (const m of raw.match(/(%[0-9A-Fa-f]{2})+/g) ?? []) {
      try {
        decodeURIComponent(m);
      } catch {
        notUtf8.add(query);
        break;
      }
    }
  }
  return query;
}

export function refuseInvalidQuery(app: FastifyInstance) {
  app.addHook('onRequest', async (req) => {
    // onRequest runs before validation: req.query is still the object parseQueryString returned
    const query: unknown = req.query;
    if (typeof query === 'object' && query !== null && notUtf8.has(query)) throw invalidText();
  });
}
