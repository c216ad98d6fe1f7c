// KorSTS helpers: read a split, Spearman rank correlation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The project's shared/ folder sits beside the repository (../shared from the repo root).
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const KORSTS_DIR = process.env.KORSTS_DIR ?? path.resolve(process.env.EMBEDDER_DATA_DIR ?? path.resolve(REPO_ROOT, '../shared/data'), 'korsts');

export interface StsPair { score: number; a: string; b: string }

export function readSplit(name: 'train' | 'dev', dir = KORSTS_DIR): StsPair[] {
  const file = path.join(dir, `sts-${name}.tsv`);
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(1);
  const out: StsPair[] = [];
  for (const line of lines) {
    const cols = line.split('\t');
    if (cols.length < 7) continue;
    out.push({ score: Number(cols[4]), a: cols[5], b: cols[6] });
  }
  return out;
}

function ranks(xs: number[]): number[] {
  const idx = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k][1]] = avg;
    i = j + 1;
  }
  return r;
}

export function spearman(xs: number[], ys: number[]): number {
  const rx = ranks(xs), ry = ranks(ys);
  const n = xs.length;
  const mx = rx.reduce((a, b) => a + b, 0) / n, my = ry.reduce((a, b) => a + b, 0) / n;
  let num = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    num += (rx[i] - mx) * (ry[i] - my);
    dx += (rx[i] - mx) ** 2;
    dy += (ry[i] - my) ** 2;
  }
  return num / Math.sqrt(dx * dy);
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return d / (Math.sqrt(na * nb) || 1);
}
