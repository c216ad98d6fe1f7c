// The server compiled ahead of time for `npm start` (issue 11.9, later start ≤ 3 s): esbuild bundles
// server/src into dist/server (gitignored) once, and again only when a bundled source changed, so a
// start no longer pays for compiling ~200 TypeScript files through tsx. Packages stay external (loaded
// from node_modules as they are). `npm run dev` and the tests still run the sources through tsx.
// The three modules that find data files next to themselves (migrations, the embedder's weights, the
// template database) get their own source URL for import.meta.url, so nothing is copied.
// Run alone: node scripts/build-server.mjs [--force]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hashFiles } from './fingerprint.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_OUT = path.join(root, 'dist/server');
export const SERVER_ENTRY = path.join(SERVER_OUT, 'main.js');
const stampFile = path.join(SERVER_OUT, '.build-stamp.json');
const ENTRY = path.join(root, 'server/src/main.ts');

/** What the bundle depends on: its source files (paths and contents), this script, esbuild's version. */
function fingerprint(inputs, esbuildVersion) {
  return hashFiles(root, inputs, fs.readFileSync(fileURLToPath(import.meta.url)), esbuildVersion);
}

function esbuildVersion() {
  // read without loading esbuild: the up-to-date check stays a few milliseconds
  const pkg = path.join(root, 'node_modules/esbuild/package.json');
  return fs.existsSync(pkg) ? JSON.parse(fs.readFileSync(pkg, 'utf8')).version : 'none';
}

/** true when dist/server was built from exactly the current sources */
function upToDate() {
  if (!fs.existsSync(stampFile) || !fs.existsSync(SERVER_ENTRY)) return false;
  const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  if (stamp.root !== root || !stamp.inputs.every((f) => fs.existsSync(path.join(root, f)))) return false;
  return stamp.hash === fingerprint(stamp.inputs, esbuildVersion());
}

/** import.meta.url of each source file = its own file URL in server/src, as when run through tsx */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const code = await fs.promises.readFile(args.path, 'utf8');
      return { contents: code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

export async function buildServer() {
  const esbuild = await import('esbuild');
  // built beside and renamed into place: a start racing this build never sees half a bundle
  const tmp = `${SERVER_OUT}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { main: ENTRY },
    outdir: tmp,
    bundle: true,
    splitting: true, // what main.ts imports after listen (background work, the seed) stays a separate file
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    sourcemap: 'linked', // node --enable-source-maps shows server/src lines in stack traces
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrls],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/')).sort();
  fs.writeFileSync(path.join(tmp, path.basename(stampFile)), JSON.stringify({ root, hash: fingerprint(inputs, esbuild.version), inputs }));
  fs.rmSync(SERVER_OUT, { recursive: true, force: true });
  fs.renameSync(tmp, SERVER_OUT);
}

/** Builds dist/server when a source changed since the last build; says which it did. */
export async function buildServerIfChanged({ force = false } = {}) {
  const t0 = performance.now();
  if (!force && upToDate()) {
    console.log(`server up to date (checked in ${Math.round(performance.now() - t0)} ms)`);
    return;
  }
  await buildServer();
  console.log(`server compiled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildServerIfChanged({ force: process.argv.includes('--force') });
}
