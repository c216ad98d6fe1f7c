// Ending a session ends its open WebSockets on every instance at once (SPEC §2): the session store is
// wrapped so that every logout, ban or "log out everywhere" is announced on the bus; each instance's
// gateway (gateway.ts) closes the matching sockets with an ERROR frame. The periodic sweep stays as the
// backstop for sessions that simply expire or an announcement lost while Redis was away.
import crypto from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Bus } from './bus.ts';
import type { SessionStore } from '../sessions.ts';

export const REVOCATIONS_CHANNEL = 'sessions-revoked';

/** what ended: every session of a member, or one session (named by its hash, never the cookie itself) */
export type Revocation = { memberId: number } | { sessionHash: string };

export const sessionHash = (sessionId: string) => crypto.createHash('sha256').update(sessionId).digest('base64url');

export function announcingRevocations(store: SessionStore, bus: Bus, log: Pick<FastifyBaseLogger, 'warn'>): SessionStore {
  // the session is already gone from the store: a lost announcement leaves the socket to the sweep
  const announce = (revocation: Revocation) =>
    bus.publish(REVOCATIONS_CHANNEL, revocation).catch((err) => log.warn({ err: (err as Error).message }, 'session revocation not announced'));
  return {
    create: (memberId) => store.create(memberId),
    get: (sessionId) => store.get(sessionId),
    getMany: (sessionIds) => store.getMany(sessionIds),
    async destroy(sessionId) {
      await store.destroy(sessionId);
      await announce({ sessionHash: sessionHash(sessionId) });
    },
    async destroyAllFor(memberId) {
      await store.destroyAllFor(memberId);
      await announce({ memberId });
    },
  };
}
