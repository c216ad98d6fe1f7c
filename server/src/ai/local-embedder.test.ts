// The built-in embedder must stay better at Korean than plain char n-gram TF-IDF (0.746 Spearman on
// KorSTS dev, the reference figure); its statistics were fitted on the train split only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalLocalEmbedder } from '../../../bench/embedder-eval.ts';

test('local embedder beats char n-gram TF-IDF on KorSTS dev (Spearman > 0.746)', async () => {
  const rho = await evalLocalEmbedder('dev');
  assert.ok(rho > 0.746, `Spearman ${rho.toFixed(4)}`);
});
