// Any OpenAI-compatible embeddings API (OpenAI, Ollama, vLLM, TEI) by base URL, model, dimensions, key.
import { lazyOpenAI } from './openai-client.ts';
import type { Embedder } from './types.ts';

export interface OpenAIEmbedderOptions {
  baseUrl: string;
  model: string;
  dimensions: number;
  apiKey: string;
  timeoutMs?: number;
}

/**
 * The embeddings service as a whole cannot answer: down, timing out, overloaded, refusing our key, or
 * answering with vectors of the wrong size (a misconfigured model). Not the listing's fault: the
 * worker puts the listing back without counting an attempt, and search answers from keywords.
 */
export class EmbedderUnavailableError extends Error {
  override name = 'EmbedderUnavailableError';
}

export const isEmbedderUnavailable = (err: unknown): boolean => (err as Error | null)?.name === 'EmbedderUnavailableError';

/** 400/413/422: the server refused this input (e.g. too long) — a per-listing failure, retried a few times. */
const INPUT_REJECTED = new Set([400, 413, 422]);

export function createOpenAIEmbedder(o: OpenAIEmbedderOptions): Embedder {
  const openai = lazyOpenAI({ baseURL: o.baseUrl, apiKey: o.apiKey || 'none', timeout: o.timeoutMs ?? 30_000, maxRetries: 1 });
  return {
    id: `openai:${o.model}:${o.dimensions}`,
    dimensions: o.dimensions,
    async embed(texts: string[]) {
      if (!texts.length) return [];
      const { client, sdk } = await openai();
      // float, not the SDK's default base64: compatible servers mishandle base64
      const res = await client.embeddings
        .create({ model: o.model, input: texts, dimensions: o.dimensions, encoding_format: 'float' })
        .catch((err: unknown) => {
          if (err instanceof sdk.APIError && err.status !== undefined && INPUT_REJECTED.has(err.status)) throw err;
          throw new EmbedderUnavailableError(`임베딩 서버 응답 없음: ${(err as Error).message}`, { cause: err });
        });
      const out = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding as number[]);
      if (out.length !== texts.length) throw new EmbedderUnavailableError(`임베딩 응답 개수 불일치: ${out.length}/${texts.length}`);
      for (const v of out) {
        if (!Array.isArray(v) || v.length !== o.dimensions) throw new EmbedderUnavailableError(`임베딩 차원 불일치: ${v?.length} ≠ ${o.dimensions}`);
      }
      return out;
    },
  };
}
