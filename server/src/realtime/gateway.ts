// The WebSocket endpoint /ws: STOMP 1.2 sessions authenticated by the session cookie, and what each
// destination means. Contract for clients (web app, tests):
//   SUBSCRIBE /topic/chat/{roomId}        room members only; MESSAGE body = ChatMessage JSON
//                                         {id, roomId, seq, senderId, clientId, kind, content, photo, appointment, warning, createdAt}, header `seq`
//   SUBSCRIBE /user/queue/notifications   my notifications; MESSAGE body = Notification JSON
//                                         {id, memberId, type, title, body, targetType, targetId, readAt, createdAt}
//   SUBSCRIBE /user/queue/chat            my chat events (room list, badges); MESSAGE body =
//                                         {kind:'chat-message', message} | {kind:'chat-read', roomId, memberId, lastReadSeq, unreadCount}
//   SEND /app/chat/{roomId}               body {clientId: uuid, content}; the RECEIPT means "stored"
//   SEND /app/chat/{roomId}/appointments  body {clientId, meetAt (ISO date-time), place, neighbourhoodCode?}: a 약속 card
//   SEND /app/chat/{roomId}/appointments/{appointmentId}/accept   body {clientId}: the other side accepts
//   (photos are uploaded over HTTP, POST /api/v1/chats/{id}/photos, and arrive on the room topic like any message)
// Anything refused is an ERROR frame, after which the server closes the socket (STOMP 1.2) — except a
// SEND refused by the chat rate limit: ERROR with the SEND's receipt-id, `code: CHAT_RATE_LIMITED` and
// `retry-after` (seconds), and the session goes on. Limits (config.stomp): sockets per member (across
// all instances, socket-registry.ts), subscriptions per socket, open transactions and SENDs buffered per transaction.
// Logout and ban close the member's sockets on every instance at once (revocation.ts).
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import websocket from '@fastify/websocket';
import { AppError, forbidden, sendProblem, unauthorized } from '../http/errors.ts';
import { memberOfSession, type AuthMember } from '../http/auth.ts';
import { chatMessages, wsConnections } from '../metrics.ts';
import { chatService, type ChatEvent } from '../modules/chat/service.ts';
import { userChannel } from '../modules/notifications/service.ts';
import { RoomHub } from './room-hub.ts';
import { StompConnection, StompRefusal, type Destinations } from './stomp-connection.ts';
import { memorySocketRegistry, redisSocketRegistry, type SocketRegistry } from './socket-registry.ts';
import { REVOCATIONS_CHANNEL, sessionHash, type Revocation } from './revocation.ts';
import { CHAT_RATE_LIMITED } from '../modules/chat/send-limit.ts';

export const STOMP_PATH = '/ws';
/** subprotocols we answer, best first; Chrome drops the socket when an offered protocol is not answered */
const SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

const ROOM_TOPIC = /^\/topic\/chat\/([1-9][0-9]{0,15})$/;
const ROOM_APP = /^\/app\/chat\/([1-9][0-9]{0,15})$/;
const ROOM_APPOINTMENTS = /^\/app\/chat\/([1-9][0-9]{0,15})\/appointments$/;
const APPOINTMENT_ACCEPT = /^\/app\/chat\/([1-9][0-9]{0,15})\/appointments\/([1-9][0-9]{0,15})\/accept$/;

export const realtimeGateway: FastifyPluginAsync = async (app) => {
  const { deps } = app;
  const { heartbeatMs, maxFrameBytes, maxSubscriptions, maxTransactions, maxTransactionFrames, maxSocketsPerMember } = deps.config.stomp;
  const chat = chatService(deps);
  const hub = new RoomHub(deps.bus, {
    lastSeq: (roomId) => chat.lastSeq(roomId),
    after: async (roomId, after, limit) => (await chat.messagesOf(roomId, { after, limit })).items,
  });
  // sockets per member, cluster-wide: a lease of 3 sweeps, renewed by every sweep of the owning instance
  const sweepMs = deps.config.stomp.sessionCheckMs || 30_000;
  const sockets: SocketRegistry = deps.redis ? redisSocketRegistry(deps.redis, deps.config.redisPrefix, sweepMs * 3) : memorySocketRegistry();
  /** the open sessions of this instance and whose login each rides on */
  const connections = new Map<StompConnection, { memberId: number; sessionId: string; sessionHash: string }>();

  // Logout and ban anywhere: the member's sockets here close at once. Subscribed before the first socket is accepted.
  const stopRevocations = await deps.bus.subscribe(REVOCATIONS_CHANNEL, (r: Revocation) => {
    for (const [conn, owner] of connections) {
      if (('memberId' in r && r.memberId === owner.memberId) || ('sessionHash' in r && r.sessionHash === owner.sessionHash)) conn.endSession();
    }
  });

  // Backstop for what is not announced (a session that expired, an announcement lost while Redis was away):
  // every open socket's session is re-checked in one batch, and a slow sweep is never overlapped by the next.
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping || connections.size === 0) return;
    sweeping = true;
    void sweepSessions()
      .catch((err) => deps.log.warn({ err: (err as Error).message }, 'websocket session sweep failed'))
      .finally(() => (sweeping = false));
  }, sweepMs);
  sweep.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    await stopRevocations().catch(() => {});
  });

  async function sweepSessions() {
    const open = [...connections];
    // this instance's sockets stay counted cluster-wide (a dead instance's sockets expire instead)
    await sockets
      .renew(open.map(([conn, owner]) => ({ memberId: owner.memberId, socketId: conn.sessionId })))
      .catch((err) => deps.log.warn({ err: (err as Error).message }, 'websocket lease renewal failed'));
    const live = await deps.sessions.getMany([...new Set(open.map(([, o]) => o.sessionId))]);
    const memberIds = [...new Set(live.values())];
    const banned = new Set(await chat.bannedAmong(memberIds));
    for (const [conn, owner] of open) {
      if (live.get(owner.sessionId) !== owner.memberId || banned.has(owner.memberId)) conn.endSession();
    }
    // a banned member's sessions end everywhere (as memberOfSession does for a request)
    for (const id of banned) await deps.sessions.destroyAllFor(id);
  }

  await app.register(websocket, {
    options: {
      // larger than our frame limit, so an oversize frame gets a STOMP ERROR rather than a bare close
      maxPayload: Math.max(maxFrameBytes * 4, 1024 * 1024),
      handleProtocols: (offered: Set<string>) => SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
    },
    // graceful shutdown: every session ends with "service restart" so clients reconnect to another instance
    preClose(this: FastifyInstance, done: (err?: Error) => void) {
      for (const conn of connections.keys()) conn.close(1012, 'server restart');
      const wss = this.websocketServer;
      for (const client of wss.clients) client.close(1012, 'server restart');
      const force = setTimeout(() => {
        for (const c of wss.clients) c.terminate();
      }, 2000);
      force.unref();
      wss.close(() => done());
    },
  });

  app.get(STOMP_PATH, {
    websocket: true,
    schema: { hide: true },
    // the handshake is authenticated by the session cookie (resolved by the auth hook): no cookie, no socket
    preValidation: async (req, reply) => {
      if (!sameOrigin(req.headers)) return sendProblem(reply, req, forbidden('허용되지 않은 출처의 연결입니다', 'CROSS_ORIGIN'));
      if (!req.member) return sendProblem(reply, req, unauthorized());
    },
  }, (socket, req) => {
    const member = req.member!;
    const sessionId = req.sessionId!;
    const options = { heartbeatMs, maxFrameBytes, maxSubscriptions, maxTransactions, maxTransactionFrames };
    // the socket counts against the member's cap on every instance; frames wait until it is admitted
    let counted: Promise<boolean> = Promise.resolve(false);
    const conn = new StompConnection(socket, destinationsFor(member, sessionId), options, (c) => {
      connections.delete(c);
      wsConnections.dec();
      // after the count settles, so a socket closed while being counted is not left counted
      void counted.then((added) => (added ? sockets.remove(member.id, c.sessionId) : undefined)).catch(() => {});
    });
    connections.set(conn, { memberId: member.id, sessionId, sessionHash: sessionHash(sessionId) });
    wsConnections.inc();
    counted = sockets.tryAdd(member.id, conn.sessionId, maxSocketsPerMember);
    conn.admitWhen(
      counted.then((added) => {
        if (!added) throw new StompRefusal(`동시에 열 수 있는 연결은 최대 ${maxSocketsPerMember}개입니다. 다른 탭이나 기기의 연결을 닫아 주세요`);
      }),
    );
  });

  function destinationsFor(member: AuthMember, sessionId: string): Destinations {
    const asRefusal = (err: unknown) => {
      if (!(err instanceof AppError)) return err;
      if (err.code !== CHAT_RATE_LIMITED) return new StompRefusal(err.detail);
      return new StompRefusal(err.detail, { retryable: true, headers: { code: err.code, 'retry-after': String(err.extra.retryAfter) } });
    };
    return {
      async stillAuthorized() {
        return (await memberOfSession(deps, sessionId))?.id === member.id;
      },

      async subscribe(destination, deliver) {
        const room = ROOM_TOPIC.exec(destination);
        if (room) {
          const roomId = Number(room[1]);
          if (!(await chat.membership(member.id, roomId))) throw new StompRefusal('이 채팅방을 구독할 권한이 없습니다');
          return hub.join(roomId, (m, json) => {
            chatMessages.inc({ kind: 'delivered' });
            deliver({ body: json, headers: { seq: String(m.seq) } });
          });
        }
        if (destination === '/user/queue/notifications' || destination === '/user/queue/chat') {
          const wanted = destination === '/user/queue/notifications' ? ['notification'] : ['chat-message', 'chat-read'];
          const stop = await deps.bus.subscribe(userChannel(member.id), (e: { kind?: string; notification?: unknown }) => {
            if (!e || !wanted.includes(e.kind ?? '')) return;
            deliver({ body: JSON.stringify(e.kind === 'notification' ? e.notification : (e as ChatEvent)) });
          });
          return () => void stop().catch(() => {});
        }
        throw new StompRefusal(`구독할 수 없는 주소입니다: ${destination.slice(0, 100)}`);
      },

      async send(destination, body) {
        const text = ROOM_APP.exec(destination);
        const propose = ROOM_APPOINTMENTS.exec(destination);
        const accept = APPOINTMENT_ACCEPT.exec(destination);
        if (!text && !propose && !accept) throw new StompRefusal(`보낼 수 없는 주소입니다: ${destination.slice(0, 100)}`);
        let input: Record<string, unknown> | null = null;
        try {
          input = JSON.parse(body.toString('utf8'));
        } catch {
          // answered below, like any other body that is not an object
        }
        if (!input || typeof input !== 'object' || Array.isArray(input)) throw new StompRefusal('메시지 본문은 JSON 객체여야 합니다 (예: {clientId, content})');
        try {
          const { duplicate } = text
            ? await chat.send(member.id, Number(text[1]), { clientId: input.clientId, content: input.content })
            : propose
              ? await chat.proposeAppointment(member.id, Number(propose[1]), {
                  clientId: input.clientId, meetAt: input.meetAt, place: input.place, neighbourhoodCode: input.neighbourhoodCode,
                })
              : await chat.acceptAppointment(member.id, Number(accept![1]), Number(accept![2]), { clientId: input.clientId });
          if (!duplicate) chatMessages.inc({ kind: 'sent' });
        } catch (err) {
          throw asRefusal(err);
        }
      },
    };
  }
};

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Cross-site WebSocket hijacking guard: a browser always sends Origin, and a page of another site must not
 * ride on our cookie. Non-browser clients send no Origin. Local development (a Vite proxy on another port) is allowed.
 */
function sameOrigin(headers: Record<string, string | string[] | undefined>): boolean {
  const origin = headers.origin;
  if (typeof origin !== 'string') return true;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return false;
  }
  const hosts = [headers['x-forwarded-host'], headers.host].flatMap((h) => (typeof h === 'string' ? h.split(',')[0].trim() : []));
  if (hosts.includes(originUrl.host)) return true;
  return LOCAL_HOSTS.has(originUrl.hostname) && hosts.some((h) => LOCAL_HOSTS.has(h.replace(/:\d+$/, '')));
}
