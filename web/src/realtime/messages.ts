// Pure rules of a room's timeline: merge by sequence (each seq once), and how far it is held without gaps.
import type { ChatMessage } from '../api/chat.ts';

/** existing ∪ incoming, ordered by seq, each seq once; returns `existing` itself when nothing is new */
export function mergeMessages(existing: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const bySeq = new Map(existing.map((m) => [m.seq, m]));
  let changed = false;
  for (const m of incoming) {
    if (bySeq.has(m.seq)) continue;
    bySeq.set(m.seq, m);
    changed = true;
  }
  return changed ? [...bySeq.values()].sort((a, b) => a.seq - b.seq) : existing;
}

/** the highest seq held with nothing missing from the oldest held message up to it (0 when none) */
export function contiguousMax(messages: ChatMessage[]): number {
  if (messages.length === 0) return 0;
  let max = messages[0].seq;
  for (let i = 1; i < messages.length && messages[i].seq === max + 1; i++) max++;
  return max;
}
