// Small interfaces behind which every AI provider sits.

export interface Embedder {
  /** identifies model + settings; a change re-embeds everything */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
  /**
   * How this embedder's cosine similarities of unrelated (query, listing) pairs are distributed,
   * fitted when it was trained: `minSimilarity` (a high percentile of that null distribution) is the
   * "is this a match at all" threshold. Absent for embedders that were not calibrated.
   */
  readonly calibration?: { nullMean: number; nullStd: number; minSimilarity: number };
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } })[];
}

/** An OpenAI-compatible chat model; absent when no LLM is configured (callers fall back to extractive text). */
export interface ChatLLM {
  complete(messages: ChatMessage[], opts?: { json?: boolean; maxTokens?: number; vision?: boolean }): Promise<string>;
}
