// `npm start` step: builds the web app only when its inputs changed since the build in web/dist.
// The inputs' fingerprint (every file of web/src, web/public, web/index.html, the Vite config and the
// lock file: paths, sizes and contents) is written to web/dist/.build-stamp after a successful build,
// by every Vite build (web/vite.config.ts), so `npm run build:web` or `npm test` leaves nothing to redo.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashFiles } from './fingerprint.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const stampFile = path.join(root, 'web/dist/.build-stamp');
const inputs = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'package-lock.json'];

export function fingerprint() {
  const files = [];
  for (const input of inputs) {
    const abs = path.join(root, input);
    if (!fs.existsSync(abs)) continue;
    if (fs.statSync(abs).isDirectory()) {
      for (const e of fs.readdirSync(abs, { recursive: true, withFileTypes: true })) {
        if (e.isFile()) files.push(path.relative(root, path.join(e.parentPath, e.name)));
      }
    } else files.push(input);
  }
  return hashFiles(root, files.sort());
}

export function buildWebIfChanged({ force = false } = {}) {
  const t0 = performance.now();
  const current = fingerprint();
  const built = fs.existsSync(stampFile) && fs.existsSync(path.join(root, 'web/dist/index.html')) ? fs.readFileSync(stampFile, 'utf8').trim() : null;
  if (built === current && !force) {
    console.log(`web app up to date (checked in ${Math.round(performance.now() - t0)} ms)`);
    return;
  }
  console.log(built ? 'web sources changed: building the web app…' : 'building the web app…');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stampFile, `${current}\n`);
  console.log(`web app built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWebIfChanged({ force: process.argv.includes('--force') });
}
