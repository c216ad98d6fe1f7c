// The embedder the whole process uses: the OpenAI-compatible API when configured, else the local one.
import type { Config } from '../config.ts';
import type { Embedder } from './types.ts';
import { createLocalEmbedder } from './local-embedder.ts';
import { createOpenAIEmbedder } from './openai-embedder.ts';

const byConfig = new WeakMap<Config['embeddings'], Embedder>();

export function embedderFor(config: Config): Embedder {
  let e = byConfig.get(config.embeddings);
  if (!e) {
    const c = config.embeddings;
    e = c.baseUrl
      ? createOpenAIEmbedder({ baseUrl: c.baseUrl, model: c.model, dimensions: c.dimensions, apiKey: c.apiKey })
      : createLocalEmbedder();
    byConfig.set(config.embeddings, e);
  }
  return e;
}
