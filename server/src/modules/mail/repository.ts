// All SQL of outgoing mail: the outbox the mail-send job delivers from.
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';

export interface NewMail {
  to: string;
  subject: string;
  /** plain text; links on lines of their own */
  body: string;
}

export interface OutboxRow {
  id: number;
  to_address: string;
  subject: string;
  body: string;
  attempts: number;
}

export interface MailRecipientRow {
  member_id: number;
  email: string;
}

export function mailRepository(db: Queryable) {
  return {
    /** due from `now` on */
    async enqueue(mails: NewMail[], now: Date): Promise<number[]> {
      if (!mails.length) return [];
      const rows = await db.query<{ id: number }>(sql`
        INSERT INTO mail_outbox (to_address, subject, body, next_attempt_at, created_at)
        SELECT t, s, b, ${now}, ${now} FROM unnest(${mails.map((m) => m.to)}::text[], ${mails.map((m) => m.subject)}::text[], ${mails.map((m) => m.body)}::text[]) AS u(t, s, b)
        RETURNING id`);
      return rows.map((r) => r.id);
    },
    /**
     * Claims up to `limit` due mails for one delivery pass: pending ones whose time has come, and sending
     * ones whose worker's lease ran out (it died mid-pass). One statement, so two workers never share a mail.
     */
    claimDue: (now: Date, limit: number, leaseMs: number) =>
      db.query<OutboxRow>(sql`
        UPDATE mail_outbox SET status = 'SENDING', attempts = attempts + 1, lease_until = ${new Date(now.getTime() + leaseMs)}
        WHERE id IN (
          SELECT id FROM mail_outbox
          WHERE (status = 'PENDING' AND next_attempt_at <= ${now}) OR (status = 'SENDING' AND lease_until < ${now})
          ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id, to_address, subject, body, attempts`),
    /** the body goes: a delivered reset link must not stay readable in the database */
    async markSent(id: number, now: Date): Promise<void> {
      await db.query(sql`UPDATE mail_outbox SET status = 'SENT', sent_at = ${now}, body = '', lease_until = NULL, last_error = NULL WHERE id = ${id}`);
    },
    /** `retryAt` null = given up (FAILED, body cleared as for a sent mail) */
    async markFailed(id: number, error: string, retryAt: Date | null): Promise<void> {
      await db.query(sql`
        UPDATE mail_outbox SET last_error = ${error}, lease_until = NULL,
          ${retryAt ? sql`status = 'PENDING', next_attempt_at = ${retryAt}` : sql`status = 'FAILED', body = ''`}
        WHERE id = ${id}`);
    },
    /** Members among `memberIds` who asked for mail copies and whose address is verified (banned members get none). */
    notificationRecipients: (memberIds: number[]) =>
      db.query<MailRecipientRow>(sql`
        SELECT id AS member_id, email FROM members
        WHERE id = ANY(${memberIds}::bigint[]) AND mail_notifications AND email_verified_at IS NOT NULL AND banned_at IS NULL`),
  };
}
