// The admin API: every admin operation is registered inside one scope (prefix /adm under /api/v1) whose
// single onRequest hook — it runs before the body is parsed or validated — answers 401 to anonymous
// callers and 403 to members, whatever they sent. Admin route plugins therefore never check the role.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requireAdmin, type AuthMember } from './auth.ts';

export function adminScope(plugins: FastifyPluginAsync[]): FastifyPluginAsync {
  return async (scope) => {
    scope.addHook('onRequest', async (req) => {
      requireAdmin(req);
    });
    for (const plugin of plugins) await scope.register(plugin, { prefix: '/adm' });
  };
}

/** The admin calling an admin-scope route (the scope's hook has already refused everyone else). */
export function adminOf(req: FastifyRequest): AuthMember {
  // not an authorization check: reaching here without an admin means a route was registered outside the scope
  if (req.member?.role !== 'ADMIN') throw new Error(`${req.routeOptions.url} is an admin route outside the admin scope`);
  return req.member;
}
