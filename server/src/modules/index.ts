// Every API module, registered under /api/v1 by app.ts. Add a module here and nowhere else.
import type { FastifyPluginAsync } from 'fastify';
import { membersRoutes } from './members/routes.ts';

export const apiModules: FastifyPluginAsync[] = [membersRoutes];
