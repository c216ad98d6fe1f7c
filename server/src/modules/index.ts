// Every API module, registered under /api/v1 by app.ts. Add a module here and nowhere else.
import type { FastifyPluginAsync } from 'fastify';
import { adminScope } from '../http/admin.ts';
import { membersRoutes } from './members/routes.ts';
import { jobsAdminRoutes } from './jobs-admin/routes.ts';
import { catalogAdminRoutes, catalogRoutes } from './catalog/routes.ts';
import { postsRoutes } from './posts/routes.ts';
import { imagesRoutes } from './images/routes.ts';
import { reviewsRoutes } from './reviews/routes.ts';
import { reportsRoutes } from './reports/routes.ts';
import { moderationRoutes } from './moderation/routes.ts';
import { chatRoutes } from './chat/routes.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { reservationsRoutes } from './reservations/routes.ts';
import { paymentsRoutes } from './payments/routes.ts';
import { searchRoutes } from './search/routes.ts';
import { recommendationsRoutes } from './recommendations/routes.ts';
import { neighbourhoodsRoutes } from './neighbourhoods/routes.ts';
import { blocksRoutes } from './blocks/routes.ts';
import { inspectionsAdminRoutes, inspectionsRoutes } from './inspections/routes.ts';
import { alertsRoutes } from './alerts/routes.ts';

/** Admin operations (under /api/v1/adm): one scope, one admin check before anything else (http/admin.ts). */
const adminApi = adminScope([moderationRoutes, catalogAdminRoutes, jobsAdminRoutes, inspectionsAdminRoutes]);

export const apiModules: FastifyPluginAsync[] = [membersRoutes, catalogRoutes, postsRoutes, imagesRoutes, reviewsRoutes, reportsRoutes, reservationsRoutes, paymentsRoutes, chatRoutes, notificationRoutes, searchRoutes, recommendationsRoutes, neighbourhoodsRoutes, blocksRoutes, inspectionsRoutes, alertsRoutes, adminApi];
