// OpenAI-compatible chat completions (OpenAI, Ollama, vLLM …) behind ChatLLM; null when not configured.
import type OpenAI from 'openai';
import { lazyOpenAI } from './openai-client.ts';
import type { Config } from '../config.ts';
import type { ChatLLM, ChatMessage } from './types.ts';

export function createChatLLM(c: Config['llm']): ChatLLM | null {
  if (!c.baseUrl) return null;
  const openai = lazyOpenAI({ baseURL: c.baseUrl, apiKey: c.apiKey || 'none', timeout: c.timeoutMs, maxRetries: 0 });
  return {
    async complete(messages: ChatMessage[], opts = {}) {
      const { client } = await openai();
      const res = await client.chat.completions.create({
        model: opts.vision ? c.visionModel : c.model,
        messages: messages as OpenAI.Chat.Completions.ChatCompletionMessageParam[],
        max_tokens: opts.maxTokens ?? 800,
        temperature: 0.2,
        ...(opts.json ? { response_format: { type: 'json_object' as const } } : {}),
      });
      const text = res.choices?.[0]?.message?.content;
      if (typeof text !== 'string') throw new Error('LLM 응답에 내용이 없습니다');
      return text;
    },
  };
}

/** Parses a JSON object from an LLM reply (tolerates ```json fences); null when malformed. */
export function parseJsonReply(text: string): Record<string, unknown> | null {
  const trimmed = text.trim().replace(/^```(?:json)?\s*/i, '').replace(/```\s*$/, '');
  try {
    const v = JSON.parse(trimmed);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
