// Who is calling: the session cookie resolved to a member on every API and WebSocket request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from './errors.ts';
import type { Deps } from '../deps.ts';
import { membersRepository } from '../modules/members/repository.ts';

export const SESSION_COOKIE = 'chwimeet_sid';

export interface AuthMember {
  id: number;
  nickname: string;
  role: 'USER' | 'ADMIN';
}

declare module 'fastify' {
  interface FastifyRequest {
    member: AuthMember | null;
    sessionId: string | null;
  }
}

export function requireMember(req: FastifyRequest): AuthMember {
  if (!req.member) throw unauthorized();
  return req.member;
}

export function requireAdmin(req: FastifyRequest): AuthMember {
  const member = requireMember(req);
  if (member.role !== 'ADMIN') throw forbidden('관리자만 사용할 수 있습니다');
  return member;
}

export const isAdmin = (req: FastifyRequest) => req.member?.role === 'ADMIN';

/** Resolves the cookie on each request of the plugin scope it is registered in (app.ts: the API and /ws). */
export function registerAuth(app: FastifyInstance) {
  app.decorateRequest('member', null);
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (req) => {
    const sid = req.cookies?.[SESSION_COOKIE];
    if (!sid) return;
    req.member = await memberOfSession(app.deps, sid);
    if (req.member) req.sessionId = sid;
  });
}

/**
 * The member a session belongs to, or null: the one rule for a request's cookie and for an open
 * WebSocket's session (realtime/gateway.ts). A banned member's sessions end the moment they are seen.
 */
export async function memberOfSession(deps: Pick<Deps, 'db' | 'sessions'>, sessionId: string): Promise<AuthMember | null> {
  const memberId = await deps.sessions.get(sessionId);
  if (!memberId) return null;
  const row = await membersRepository(deps.db).sessionMember(memberId);
  if (!row || row.banned) {
    await deps.sessions.destroyAllFor(memberId);
    return null;
  }
  return { id: row.id, nickname: row.nickname, role: row.role };
}
