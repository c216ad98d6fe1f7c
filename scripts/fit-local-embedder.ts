// Fits the local embedder's shipped statistics from KorSTS *train* sentences only (never dev):
// IDF per hashed bucket and the mean corpus vector. Writes server/src/ai/local-embedder-idf.bin.
//   node --import tsx scripts/fit-local-embedder.ts
import fs from 'node:fs';
import zlib from 'node:zlib';
import { readSplit } from '../bench/korsts.ts';
import { BUCKETS, IDF_FILE, LOCAL_DIMENSIONS, extractFeatures, hash32, project, sparseVector } from '../server/src/ai/local-embedder.ts';

const sentences = [...new Set(readSplit('train').flatMap((p) => [p.a, p.b]))];
const df = new Float32Array(BUCKETS);
for (const s of sentences) {
  const seen = new Set<number>();
  for (const f of extractFeatures(s).keys()) seen.add(hash32(f) & (BUCKETS - 1));
  for (const b of seen) df[b]++;
}
const N = sentences.length;
const idf = df.map((d) => Math.log((N + 1) / (d + 1)) + 1);

const mean = new Float32Array(LOCAL_DIMENSIONS);
for (const s of sentences) {
  const v = project(sparseVector(s, idf), LOCAL_DIMENSIONS);
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) mean[i] += v[i] / n / N;
}
const out = new Float32Array(BUCKETS + LOCAL_DIMENSIONS);
out.set(idf, 0);
out.set(mean, BUCKETS);
fs.writeFileSync(IDF_FILE, zlib.gzipSync(Buffer.from(out.buffer), { level: 9 }));
console.log(`fitted on ${N} train sentences → ${IDF_FILE} (${fs.statSync(IDF_FILE).size} bytes)`);
