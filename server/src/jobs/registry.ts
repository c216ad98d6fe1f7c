// Every scheduled job of the system (SPEC §9). A module adds its list here and nowhere else.
import type { JobDefinition } from './types.ts';
import { postsJobs } from '../modules/posts/jobs.ts';
import { embeddingJobs } from '../modules/embeddings/service.ts';
import { moderationJobs } from '../modules/moderation/jobs.ts';
import { schedulerJobs } from './history-cleanup.ts';
import { sessionJobs } from './sessions-cleanup.ts';
import { maintenanceJobs } from './database-maintenance.ts';
import { notificationJobs } from '../modules/notifications/jobs.ts';
import { reservationJobs } from '../modules/reservations/jobs.ts';
import { paymentJobs } from '../modules/payments/jobs.ts';
import { mailJobs } from '../modules/mail/jobs.ts';
import { chatJobs } from '../modules/chat/jobs.ts';
import { alertJobs } from '../modules/alerts/jobs.ts';
import { imageJobs } from '../modules/images/renditions.ts';

export const jobDefinitions: JobDefinition[] = [...postsJobs, ...schedulerJobs, ...sessionJobs, ...maintenanceJobs, ...moderationJobs, ...reservationJobs, ...paymentJobs, ...embeddingJobs, ...notificationJobs, ...mailJobs, ...chatJobs, ...alertJobs, ...imageJobs];
