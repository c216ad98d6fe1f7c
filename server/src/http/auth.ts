// Who is calling: the session cookie resolved to a member on every request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from './errors.ts';

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

/** Resolves the cookie on each request; a banned member's sessions end the moment they are seen. */
export function registerAuth(app: FastifyInstance) {
  app.decorateRequest('member', null);
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (req) => {
    const sid = req.cookies?.[SESSION_COOKIE];
    if (!sid) return;
    const memberId = await app.deps.sessions.get(sid);
    if (!memberId) return;
    const row = await app.deps.db.one<{ id: number; nickname: string; role: 'USER' | 'ADMIN'; banned: boolean }>(
      'SELECT id, nickname, role, banned_at IS NOT NULL AS banned FROM members WHERE id = $1',
      [memberId],
    );
    if (!row || row.banned) {
      await app.deps.sessions.destroyAllFor(memberId);
      return;
    }
    req.member = { id: row.id, nickname: row.nickname, role: row.role };
    req.sessionId = sid;
  });
}
