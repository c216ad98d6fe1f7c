// Any OpenAI-compatible embeddings API (OpenAI, Ollama, vLLM, TEI) by base URL, model, dimensions, key.
import OpenAI from 'openai';
import type { Embedder } from './types.ts';

export interface OpenAIEmbedderOptions {
  baseUrl: string;
  model: string;
  dimensions: number;
  apiKey: string;
  timeoutMs?: number;
}

export function createOpenAIEmbedder(o: OpenAIEmbedderOptions): Embedder {
  const client = new OpenAI({ baseURL: o.baseUrl, apiKey: o.apiKey || 'none', timeout: o.timeoutMs ?? 30_000, maxRetries: 1 });
  return {
    id: `openai:${o.model}:${o.dimensions}`,
    dimensions: o.dimensions,
    async embed(texts: string[]) {
      if (!texts.length) return [];
      // float, not the SDK's default base64: compatible servers mishandle base64
      const res = await client.embeddings.create({ model: o.model, input: texts, dimensions: o.dimensions, encoding_format: 'float' });
      const out = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding as number[]);
      if (out.length !== texts.length) throw new Error(`임베딩 응답 개수 불일치: ${out.length}/${texts.length}`);
      for (const v of out) {
        if (!Array.isArray(v) || v.length !== o.dimensions) throw new Error(`임베딩 차원 불일치: ${v?.length} ≠ ${o.dimensions}`);
      }
      return out;
    },
  };
}
