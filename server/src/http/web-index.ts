// index.html as the server sends it for every app route (issue 11.8, first load on a phone):
// - the page's Content-Security-Policy allows exactly the inline <style> the web build wrote into it
//   (by its sha256 hash; web/vite.config.ts inlineStylesheet), and nothing else inline;
// - a listing or search URL also names its page's lazy chunk with <link rel="modulepreload">, so the
//   browser fetches it together with the entry instead of after the entry has run.
// The file is re-read when it changes on disk (a rebuilt web/dist is served without a restart).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/** App routes whose page chunk is worth fetching with the entry (the pages people land on from outside). */
const ROUTE_CHUNKS: [RegExp, string][] = [
  [/^\/posts\/\d+\/?$/, 'src/pages/posts/PostDetailPage.tsx'],
  [/^\/search\/?$/, 'src/pages/search/SearchPage.tsx'],
];

export interface IndexPage {
  html: string;
  /** the sha256 sources of the inline <style> elements, for style-src */
  styleHashes: string[];
}

export function webIndex(webDist: string) {
  const indexFile = path.join(webDist, 'index.html');
  let cached: { mtimeMs: number; html: string; styleHashes: string[]; preloads: Map<string, string> } | undefined;

  function load() {
    const mtimeMs = fs.statSync(indexFile).mtimeMs;
    if (cached?.mtimeMs === mtimeMs) return cached;
    const html = fs.readFileSync(indexFile, 'utf8');
    const styleHashes = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
      ([, css]) => `'sha256-${crypto.createHash('sha256').update(css, 'utf8').digest('base64')}'`,
    );
    cached = { mtimeMs, html, styleHashes, preloads: routePreloads(webDist, html) };
    return cached;
  }

  return {
    /** index.html for `url` (path and query), with the modulepreload links of its page, if any */
    page(url: string): IndexPage {
      const { html, styleHashes, preloads } = load();
      const pathname = url.split('?')[0];
      const key = ROUTE_CHUNKS.find(([pattern]) => pattern.test(pathname))?.[1];
      const links = key ? preloads.get(key) : undefined;
      return { html: links ? html.replace('</head>', `${links}</head>`) : html, styleHashes };
    },
  };
}

/** For each ROUTE_CHUNKS page: the <link rel="modulepreload"> tags of its chunk and the chunks it imports, minus those index.html already loads. */
function routePreloads(webDist: string, html: string): Map<string, string> {
  const result = new Map<string, string>();
  const manifestFile = path.join(webDist, '.vite/manifest.json');
  if (!fs.existsSync(manifestFile)) return result;
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
  for (const [, key] of ROUTE_CHUNKS) {
    if (!manifest[key]) continue;
    const files = new Set<string>();
    const visit = (k: string) => {
      const chunk = manifest[k];
      if (!chunk || files.has(chunk.file)) return;
      files.add(chunk.file);
      for (const i of chunk.imports ?? []) visit(i);
    };
    visit(key);
    const tags = [...files]
      .filter((file) => !html.includes(`/${file}"`))
      .map((file) => `<link rel="modulepreload" crossorigin href="/${file}">`);
    result.set(key, tags.join(''));
  }
  return result;
}

/** A Content-Security-Policy header value from helmet-style directives (camelCase names, source lists). */
export function cspHeader(directives: Record<string, string[]>, extraStyleSrc: string[] = []): string {
  return Object.entries(directives)
    .map(([name, sources]) => {
      const list = name === 'styleSrc' ? [...sources, ...extraStyleSrc] : sources;
      return `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${list.join(' ')}`;
    })
    .join('; ');
}
