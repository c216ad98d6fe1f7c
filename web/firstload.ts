// What the browser must download to show `/`: the entry chunk, every chunk it imports statically and
// the CSS, read from the Vite manifest of a build. Sizes are of the precompressed files the server sends.
import fs from 'node:fs';
import path from 'node:path';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export interface FirstLoad {
  js: string[];
  css: string[];
  /** every lazily loaded chunk (pages other than the home feed) */
  lazy: string[];
  bytes: { raw: number; gzip: number; brotli: number };
}

/** JS budget for `/`, compressed (gzip, the larger of the two encodings the server offers) */
export const FIRST_LOAD_JS_BUDGET = 150 * 1024;

export function firstLoad(dist: string): FirstLoad {
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry && k === 'index.html');
  if (!entryKey) throw new Error('no index.html entry in the manifest');
  const js = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (js.has(chunk.file)) return;
    js.add(chunk.file);
    for (const c of chunk.css ?? []) css.add(c);
    for (const i of chunk.imports ?? []) visit(i);
  };
  visit(entryKey);
  const lazy = Object.values(manifest).map((c) => c.file).filter((f) => f.endsWith('.js') && !js.has(f));
  const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
  const bytes = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of js) {
    const abs = path.join(dist, f);
    bytes.raw += size(abs);
    bytes.gzip += size(`${abs}.gz`) || size(abs);
    bytes.brotli += size(`${abs}.br`) || size(abs);
  }
  return { js: [...js], css: [...css], lazy, bytes };
}
