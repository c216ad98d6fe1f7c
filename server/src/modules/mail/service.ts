// Outgoing mail. Requests only queue a mail (a row in mail_outbox) and nudge the mail-send job, so a slow
// or unreachable SMTP server never delays a request; the job delivers, retrying with a growing pause.
import type { Deps } from '../../deps.ts';
import type { NotificationRow } from '../notifications/service.ts';
import { mailRepository, type NewMail } from './repository.ts';
import { createMailTransport } from './transport.ts';

export const MAIL_JOB = 'mail-send';
const BATCH_SIZE = 20;
/** a pass that died mid-way leaves its mails to the next pass after this */
const LEASE_MS = 5 * 60_000;
/** attempts before a mail is given up (FAILED): pauses of 1, 2, 4, 8 minutes in between */
export const MAIL_MAX_ATTEMPTS = 5;
const retryPauseMs = (attempts: number) => 60_000 * 2 ** (attempts - 1);

/** Notification types important enough for a mail copy (the member opts in: members.mail_notifications). */
export const MAILED_NOTIFICATION_TYPES: ReadonlySet<string> = new Set([
  'RESERVATION_REQUEST', 'RESERVATION_STATUS', 'RETURN_REMINDER', 'RETURN_OVERDUE', 'MODERATION',
]);

export function mailService(deps: Deps) {
  const repo = mailRepository(deps.db);
  const { mail: settings } = deps.config;

  /**
   * Queues mails for the mail-send job. `link`: the one link of the mail — without an SMTP server it is
   * also logged, so the person running an embedded server can follow it without opening the outbox.
   */
  async function queue(mails: (NewMail & { link?: string })[]): Promise<number[]> {
    const ids = await repo.enqueue(mails, deps.clock.now());
    if (!settings.smtpUrl) {
      for (const m of mails) deps.log.info({ to: m.to, subject: m.subject, link: m.link, outbox: settings.outboxDir }, 'mail queued for the local outbox folder');
    }
    await deps.jobs.nudge(MAIL_JOB);
    return ids;
  }

  return {
    queue,

    /** One delivery pass (the mail-send job): every due mail, a batch at a time. */
    async deliverDue(now: Date): Promise<{ sent: number; retrying: number; failed: number; transport: string }> {
      const transport = createMailTransport(settings);
      const result = { sent: 0, retrying: 0, failed: 0, transport: transport.kind };
      try {
        for (;;) {
          const batch = await repo.claimDue(now, BATCH_SIZE, LEASE_MS);
          for (const mail of batch) {
            try {
              await transport.send({ id: mail.id, to: mail.to_address, subject: mail.subject, text: mail.body });
              await repo.markSent(mail.id, deps.clock.now());
              result.sent++;
            } catch (err) {
              const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
              const giveUp = mail.attempts >= MAIL_MAX_ATTEMPTS;
              await repo.markFailed(mail.id, message, giveUp ? null : new Date(now.getTime() + retryPauseMs(mail.attempts)));
              deps.log.warn({ mailId: mail.id, attempts: mail.attempts, err: message, givenUp: giveUp }, 'mail not delivered');
              if (giveUp) result.failed++;
              else result.retrying++;
            }
          }
          if (batch.length < BATCH_SIZE) return result;
        }
      } finally {
        transport.close();
      }
    },

    /** After notifications are published: a mail copy of the important ones, to members who asked for it. Never throws. */
    async queueNotificationCopies(rows: NotificationRow[]): Promise<void> {
      const important = rows.filter((r) => MAILED_NOTIFICATION_TYPES.has(r.type));
      if (!important.length) return;
      try {
        const recipients = await repo.notificationRecipients([...new Set(important.map((r) => r.memberId))]);
        if (!recipients.length) return;
        const emailOf = new Map(recipients.map((r) => [Number(r.member_id), r.email]));
        const link = `${settings.publicUrl}/notifications`;
        const mails = important.flatMap((n) => {
          const to = emailOf.get(n.memberId);
          if (!to) return [];
          const body = [n.title, n.body, '', `알림 보기: ${link}`, '', '메일 알림은 내 정보 > 메일 알림에서 끌 수 있어요.'];
          return [{ to, subject: `[취밋] ${n.title}`, body: body.filter((line) => line !== undefined).join('\n'), link }];
        });
        await queue(mails);
      } catch (err) {
        deps.log.warn({ err: (err as Error).message }, 'notification mail copies not queued');
      }
    },
  };
}
