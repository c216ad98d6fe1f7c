// Per-instance relay of room messages from the bus to local subscribers, in sequence order and exactly once.
// Two instances publish after their own commits, so Redis may hand us seq 8 before seq 7; a feed holds a
// message that skips ahead for a moment and, if the gap does not fill by itself, reads it from the database.
import type { Bus } from './bus.ts';
import type { ChatMessage } from '../modules/chat/schemas.ts';
import { roomChannel, type ChatEvent } from '../modules/chat/service.ts';

export interface RoomSource {
  /** the room's newest sequence (baseline taken after the bus subscription is live) */
  lastSeq(roomId: number): Promise<number>;
  /** stored messages with seq > after, oldest first */
  after(roomId: number, after: number, limit: number): Promise<ChatMessage[]>;
}

/** a listener gets the message and its JSON once serialised for everybody */
export type RoomListener = (message: ChatMessage, json: string) => void;

class RoomFeed {
  readonly listeners = new Set<RoomListener>();
  /** 0 until the baseline is known */
  nextSeq = 0;
  readonly pending = new Map<number, ChatMessage>();
  stopBus: (() => Promise<void>) | null = null;
  ready!: Promise<void>;
  private timer: NodeJS.Timeout | null = null;
  private filling = false;

  constructor(
    readonly roomId: number,
    private readonly source: RoomSource,
    private readonly gapWaitMs: number,
  ) {}

  onEvent(event: ChatEvent) {
    if (event?.kind !== 'chat-message' || event.message?.roomId !== this.roomId) return;
    const m = event.message;
    if (this.nextSeq === 0) {
      this.pending.set(m.seq, m);
      return;
    }
    if (m.seq < this.nextSeq) return; // already delivered (a retry's republish, or read from the database)
    this.pending.set(m.seq, m);
    this.drain();
  }

  setBaseline(lastSeq: number) {
    this.nextSeq = lastSeq + 1;
    this.drain();
  }

  drain() {
    for (let m = this.pending.get(this.nextSeq); m; m = this.pending.get(this.nextSeq)) {
      this.pending.delete(m.seq);
      this.emit(m);
    }
    for (const seq of this.pending.keys()) if (seq < this.nextSeq) this.pending.delete(seq);
    if (this.pending.size > 0 && !this.timer && !this.filling) this.timer = setTimeout(() => void this.fill(), this.gapWaitMs);
  }

  private emit(m: ChatMessage) {
    this.nextSeq = m.seq + 1;
    const json = JSON.stringify(m);
    for (const l of this.listeners) l(m, json);
  }

  /** the gap did not close by itself (publisher slow or gone): read the missing messages */
  private async fill() {
    this.timer = null;
    this.filling = true;
    try {
      const rows = await this.source.after(this.roomId, this.nextSeq - 1, 500);
      for (const m of rows) if (m.seq === this.nextSeq) this.emit(m);
    } catch {
      // the database is unreachable: try again on the next tick
    } finally {
      this.filling = false;
    }
    if (this.listeners.size) this.drain();
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}

export class RoomHub {
  private feeds = new Map<number, RoomFeed>();

  constructor(
    private readonly bus: Bus,
    private readonly source: RoomSource,
    private readonly gapWaitMs = 250,
  ) {}

  /** resolves once messages published from now on will reach `listener`; returns the leave function */
  async join(roomId: number, listener: RoomListener): Promise<() => void> {
    let feed = this.feeds.get(roomId);
    if (!feed) {
      const created = new RoomFeed(roomId, this.source, this.gapWaitMs);
      created.ready = (async () => {
        created.stopBus = await this.bus.subscribe(roomChannel(roomId), (e) => created.onEvent(e));
        created.setBaseline(await this.source.lastSeq(roomId));
      })();
      this.feeds.set(roomId, created);
      feed = created;
    }
    feed.listeners.add(listener);
    const current = feed;
    const leave = () => {
      if (!current.listeners.delete(listener) || current.listeners.size > 0) return;
      if (this.feeds.get(roomId) === current) this.feeds.delete(roomId);
      current.stop();
      void current.ready.then(() => current.stopBus?.()).catch(() => {});
    };
    try {
      await current.ready;
    } catch (err) {
      leave();
      throw err;
    }
    return leave;
  }

  get roomCount() {
    return this.feeds.size;
  }
}
