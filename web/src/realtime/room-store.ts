// One open chat room: history (latest page, then "load earlier" by seq), live messages, resync after
// every (re)subscribe or gap, and sends that are optimistic, confirmed by a receipt, and retried with
// the same clientId (the server stores it once). A failed STOMP send falls back to the REST endpoint.
import { ApiError, errorMessage } from '../api/client.ts';
import { fetchMessages, postMessage, type ChatMessage } from '../api/chat.ts';
import { uuid, type RealtimeConnection } from './connection.ts';
import { contiguousMax, mergeMessages } from './messages.ts';

export interface PendingMessage {
  clientId: string;
  content: string;
  status: 'sending' | 'failed';
  error?: string;
  createdAt: string;
}

export interface RoomSnapshot {
  /** stored messages, by seq */
  messages: ChatMessage[];
  /** my messages not yet seen stored */
  pending: PendingMessage[];
  loaded: boolean;
  error: unknown;
  hasOlder: boolean;
  loadingOlder: boolean;
}

const PAGE = 50;

export class RoomStore {
  private snap: RoomSnapshot = { messages: [], pending: [], loaded: false, error: null, hasOlder: false, loadingOlder: false };
  private readonly listeners = new Set<() => void>();
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  /** set by the hook; null while logged out or before the first render */
  connection: RealtimeConnection | null = null;

  constructor(readonly roomId: number, readonly meId: number) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  getSnapshot = () => this.snap;

  private update(patch: Partial<RoomSnapshot>) {
    this.snap = { ...this.snap, ...patch };
    for (const l of this.listeners) l();
  }

  private merge(items: ChatMessage[]) {
    const messages = mergeMessages(this.snap.messages, items);
    const stored = new Set(items.filter((m) => m.senderId === this.meId).map((m) => m.clientId));
    const pending = stored.size ? this.snap.pending.filter((p) => !stored.has(p.clientId)) : this.snap.pending;
    if (messages !== this.snap.messages || pending.length !== this.snap.pending.length) this.update({ messages, pending });
  }

  /** the newest page; then whatever arrived meanwhile */
  load = async () => {
    try {
      const page = await fetchMessages(this.roomId, { limit: PAGE });
      this.merge(page.items);
      this.update({ loaded: true, error: null, hasOlder: page.hasMore || this.snap.hasOlder });
      void this.catchUp();
    } catch (e) {
      this.update({ error: e });
    }
  };

  loadOlder = async () => {
    const first = this.snap.messages[0];
    if (this.snap.loadingOlder || !this.snap.hasOlder || !first) return;
    this.update({ loadingOlder: true });
    try {
      const page = await fetchMessages(this.roomId, { before: first.seq, limit: PAGE });
      this.merge(page.items);
      this.update({ hasOlder: page.hasMore });
    } catch {
      // the button stays; the user can try again
    } finally {
      this.update({ loadingOlder: false });
    }
  };

  /** a message stored through a REST call of its own (a photo, a 약속): shown at once, before the topic echoes it */
  add = (m: ChatMessage) => this.merge([m]);

  /** a MESSAGE from /topic/chat/{roomId} */
  receive = (m: ChatMessage) => {
    if (m?.roomId !== this.roomId) return;
    this.merge([m]);
    // a message that skips ahead means some were missed (e.g. while resubscribing): fetch them
    if (this.snap.loaded && m.seq > contiguousMax(this.snap.messages)) void this.catchUp();
  };

  /** fetches everything after the highest seq held without gaps; runs one at a time */
  catchUp = (): Promise<void> => {
    if (!this.snap.loaded) return Promise.resolve();
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.syncAgain = false;
          for (;;) {
            const page = await fetchMessages(this.roomId, { after: contiguousMax(this.snap.messages), limit: 100 });
            this.merge(page.items);
            if (!page.hasMore || page.items.length === 0) break;
          }
        } while (this.syncAgain);
      } catch {
        // the next message, reconnect or send tries again
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  };

  send = (content: string) => {
    const p: PendingMessage = { clientId: uuid(), content, status: 'sending', createdAt: new Date().toISOString() };
    this.update({ pending: [...this.snap.pending, p] });
    void this.deliver(p.clientId);
  };

  /** sends a failed message again with the same clientId */
  retry = (clientId: string) => {
    if (!this.setPending(clientId, { status: 'sending', error: undefined })) return;
    void this.deliver(clientId);
  };

  discard = (clientId: string) => {
    this.update({ pending: this.snap.pending.filter((p) => p.clientId !== clientId) });
  };

  private isPending(clientId: string) {
    return this.snap.pending.some((p) => p.clientId === clientId);
  }

  private setPending(clientId: string, patch: Partial<PendingMessage>): boolean {
    if (!this.isPending(clientId)) return false;
    this.update({ pending: this.snap.pending.map((p) => (p.clientId === clientId ? { ...p, ...patch } : p)) });
    return true;
  }

  private async deliver(clientId: string) {
    const p = this.snap.pending.find((x) => x.clientId === clientId);
    if (!p) return;
    const body = { clientId, content: p.content };
    const conn = this.connection;
    if (conn?.connected) {
      try {
        await conn.send(`/app/chat/${this.roomId}`, body);
        // stored: it arrives on the room topic, or with a catch-up if the topic is not live yet
        setTimeout(() => {
          if (this.isPending(clientId)) void this.catchUp();
        }, 1500);
        return;
      } catch (e) {
        // refused by the server (too many messages): show why; the member retries the failed bubble
        if (e instanceof ApiError) {
          this.setPending(clientId, { status: 'failed', error: errorMessage(e) });
          return;
        }
        // not confirmed (socket closed, timeout): the REST fallback below stores it at most once
      }
    }
    try {
      this.merge([await postMessage(this.roomId, body)]);
    } catch (e) {
      this.setPending(clientId, { status: 'failed', error: errorMessage(e) });
    }
  }
}
