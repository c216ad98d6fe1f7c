// Is the embeddings service answering? Shared by search (a query embedding that failed) and the
// worker (a batch that failed or succeeded), per process and per configured embedder: while it is
// down, searches answer from keywords at once instead of each waiting for the same timeout, and
// the first success (of either) brings semantic search back.
const downUntil = new WeakMap<object, number>();

/** how long a failure keeps searches keyword-only before they try the service again */
export const RETRY_AFTER_MS = 15_000;

export function markEmbedderDown(key: object, now = Date.now()): void {
  downUntil.set(key, now + RETRY_AFTER_MS);
}

export function markEmbedderUp(key: object): void {
  downUntil.delete(key);
}

export function embedderDown(key: object, now = Date.now()): boolean {
  return (downUntil.get(key) ?? 0) > now;
}
