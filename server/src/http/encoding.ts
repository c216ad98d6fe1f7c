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

const NOT_UTF8 = Symbol('query string is not UTF-8');

/**
 * Fastify's own query-string parser, except that a percent-escape which does not decode to UTF-8
 * (`%FF`, `%ED%A0%80`) marks the result (the fast parser would keep the raw `%FF` text). The router
 * calls this while matching, where throwing is no answer; `refuseInvalidQuery` turns the mark into a 400.
 */
export function parseQueryString(raw: string): Record<string, unknown> {
  const query = fastQueryString.parse(raw) as Record<string | symbol, unknown>;
  if (raw.includes('%')) {
    for (const m of raw.match(/(%[0-9A-Fa-f]{2})+/g) ?? []) {
      try {
        decodeURIComponent(m);
      } catch {
        query[NOT_UTF8] = true;
        break;
      }
    }
  }
  return query;
}

export function refuseInvalidQuery(app: FastifyInstance) {
  app.addHook('onRequest', async (req) => {
    if ((req.query as Record<symbol, unknown> | undefined)?.[NOT_UTF8]) throw invalidText();
  });
}
