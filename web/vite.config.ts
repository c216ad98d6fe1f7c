// Builds the single-page app into web/dist, which the API server serves (config.webDist).
// `npx vite --config web/vite.config.ts` runs a dev server that proxies the API to `npm run dev` on :8080.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fingerprint, stampFile } from '../scripts/build-web-if-changed.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.API_ORIGIN ?? 'http://127.0.0.1:8080';

/**
 * Writes name.br (Brotli, best) and name.gz (gzip -9) next to every text asset once at build time;
 * the server sends them as they are (@fastify/static preCompressed) instead of compressing per request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'chwimeet-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const entry of fs.readdirSync(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.(js|css|html|svg|txt)$/.test(entry.name)) continue;
        const file = path.join(entry.parentPath, entry.name);
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
      }
    },
  };
}

/**
 * Puts the app's stylesheet into index.html as a <style> element instead of a <link>: on a phone the
 * first paint no longer waits for a second round trip (≈0.6 s on slow 4G) before the shell can show.
 * The .css file is still written (the manifest lists it). The server allows exactly this inline style
 * through a CSP hash computed from the built index.html (server/src/http/web-index.ts).
 */
function inlineStylesheet(): Plugin {
  return {
    name: 'chwimeet-inline-css',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        return html.replace(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g, (tag, file: string) => {
          const asset = ctx.bundle?.[file];
          if (asset?.type !== 'asset') return tag;
          return `<style>${String(asset.source).replace(/<\/style/gi, '<\\/style')}</style>`;
        });
      },
    },
  };
}

/**
 * Writes web/dist/.build-stamp (the sources' fingerprint, taken before the build reads them) after every
 * build into web/dist, so `npm start` does not build again what `npm run build:web` just built.
 */
function buildStamp(): Plugin {
  let outDir = '';
  let stamp = '';
  return {
    name: 'chwimeet-build-stamp',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    buildStart() {
      stamp = fingerprint();
    },
    closeBundle() {
      if (outDir === path.dirname(stampFile)) fs.writeFileSync(stampFile, `${stamp}\n`);
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), inlineStylesheet(), precompress(), buildStamp()],
  // manifest: which chunks the entry needs (web/test/bundle.test.ts checks the first-load budget)
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, chunkSizeWarningLimit: 800 },
  server: {
    port: 5173,
    proxy: {
      '/api': api,
      '/media': api,
      '/ws': { target: api, ws: true },
    },
  },
});
