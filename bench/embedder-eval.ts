// Local embedder quality: Spearman between cosine similarity and the gold score on KorSTS dev.
//   npm run eval:embedder      (reference: plain char n-gram TF-IDF ≈ 0.746 on dev)
import { readSplit, spearman, cosine } from './korsts.ts';
import { createLocalEmbedder } from '../server/src/ai/local-embedder.ts';

export async function evalLocalEmbedder(split: 'dev' | 'train' = 'dev') {
  const pairs = readSplit(split);
  const embedder = createLocalEmbedder();
  const a = await embedder.embed(pairs.map((p) => p.a));
  const b = await embedder.embed(pairs.map((p) => p.b));
  return spearman(pairs.map((_, i) => cosine(a[i], b[i])), pairs.map((p) => p.score));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const embedder = createLocalEmbedder();
  console.log(`${embedder.id}: KorSTS train Spearman ${(await evalLocalEmbedder('train')).toFixed(4)}`);
  console.log(`${embedder.id}: KorSTS dev Spearman ${(await evalLocalEmbedder('dev')).toFixed(4)} (baseline 0.746)`);
}
