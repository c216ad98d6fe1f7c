// The OpenAI SDK, loaded on first use: it is one of the largest parts of a start's module loading, and an
// instance without an LLM or an embeddings server (the embedded default) never needs it.
import type OpenAI from 'openai';
import type { ClientOptions } from 'openai';

export type LazyOpenAI = () => Promise<{ client: OpenAI; sdk: typeof OpenAI }>;

export function lazyOpenAI(options: ClientOptions): LazyOpenAI {
  let loading: ReturnType<LazyOpenAI> | undefined;
  return () => (loading ??= import('openai').then(({ default: SDK }) => ({ client: new SDK(options), sdk: SDK })));
}
