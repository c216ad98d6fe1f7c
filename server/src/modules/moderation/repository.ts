// Every SQL statement of moderation: ban columns of listings, reviews and members, the audit log, the
// report cases of the admin queue, and the reads of reports and reporters the auto-ban rule needs.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';
import { publicPostCondition } from '../posts/visibility.ts';
import type { TargetType } from './targets.ts';

/** One target as moderation and reports see it. */
export interface TargetRow {
  /** the member a ban of this target concerns (listing author, the member, review author) */
  ownerId: number;
  /** listing title, member nickname or the start of the review comment */
  label: string;
  banned: boolean;
  /** what a non-admin may see: a public listing, any member, an unbanned review */
  visible: boolean;
  /** members only: admins are never banned */
  isAdmin: boolean;
}

export interface BanColumnsRow {
  banned_at: Date | null;
  ban_reason: string | null;
}

export interface CaseRow {
  id: number;
  target_type: TargetType;
  target_id: number;
  status: 'OPEN' | 'BANNED' | 'DISMISSED';
  report_count: number;
  score: string;
  note: string;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export interface BannedRow {
  id: number;
  label: string;
  owner_id: number;
  owner_nickname: string;
  ban_reason: string | null;
  banned_at: Date;
}

export interface ReporterRow {
  id: number;
  created_at: Date;
  signup_ip: string | null;
  completed: number;
}

// Listings, reviews and members share the ban columns; table and column names come from this map, never from input.
const BAN_TABLE: Record<TargetType, { table: Sql; owner: Sql; touch: Sql }> = {
  POST: { table: sql.raw('posts'), owner: sql.raw('author_id'), touch: sql.empty() }, // posts keep updated_at for edits
  REVIEW: { table: sql.raw('reviews'), owner: sql.raw('author_id'), touch: sql.raw(', updated_at = now()') }, // the summary cache key
  MEMBER: { table: sql.raw('members'), owner: sql.raw('id'), touch: sql.raw(', updated_at = now()') },
};

const lookup = (type: TargetType, id: number): Sql => {
  switch (type) {
    case 'POST':
      return sql`SELECT p.author_id AS "ownerId", p.title AS label, p.banned_at IS NOT NULL AS banned,
          ${sql.raw(publicPostCondition('p'))} AS visible, false AS "isAdmin"
        FROM posts p WHERE p.id = ${id} AND p.deleted_at IS NULL`;
    case 'MEMBER':
      return sql`SELECT m.id AS "ownerId", m.nickname AS label, m.banned_at IS NOT NULL AS banned,
          true AS visible, m.role = 'ADMIN' AS "isAdmin"
        FROM members m WHERE m.id = ${id}`;
    case 'REVIEW':
      return sql`SELECT r.author_id AS "ownerId", left(r.comment, 60) AS label, r.banned_at IS NOT NULL AS banned,
          r.banned_at IS NULL AS visible, false AS "isAdmin"
        FROM reviews r WHERE r.id = ${id}`;
  }
};

/** What is banned now, per target type (for the admin bans page). */
const banned = (type: TargetType): Sql => {
  switch (type) {
    case 'POST':
      return sql`SELECT p.id, p.title AS label, p.author_id AS owner_id, p.ban_reason, p.banned_at FROM posts p
        WHERE p.banned_at IS NOT NULL AND p.deleted_at IS NULL`;
    case 'MEMBER':
      return sql`SELECT m.id, m.nickname AS label, m.id AS owner_id, m.ban_reason, m.banned_at FROM members m
        WHERE m.banned_at IS NOT NULL`;
    case 'REVIEW':
      return sql`SELECT r.id, left(r.comment, 60) AS label, r.author_id AS owner_id, r.ban_reason, r.banned_at FROM reviews r
        WHERE r.banned_at IS NOT NULL`;
  }
};

export function moderationRepository(db: Queryable) {
  return {
    target: (type: TargetType, id: number) => db.one<TargetRow>(lookup(type, id)),

    banColumns(type: TargetType, id: number) {
      return db.one<BanColumnsRow>(sql`SELECT banned_at, ban_reason FROM ${BAN_TABLE[type].table} WHERE id = ${id}`);
    },

    /** Bans (reason) or unbans (null) only a target not already in that state; the owner when it changed. */
    setBanned(type: TargetType, id: number, reason: string | null, at: Date) {
      const { table, owner, touch } = BAN_TABLE[type];
      const ban = reason !== null;
      return db.one<{ owner_id: number }>(sql`
        UPDATE ${table} SET banned_at = ${ban ? at : null}, ban_reason = ${reason}${touch}
        WHERE id = ${id} AND banned_at IS ${sql.raw(ban ? 'NULL' : 'NOT NULL')} RETURNING ${owner} AS owner_id`);
    },

    async log(type: TargetType, id: number, action: 'BAN' | 'UNBAN', reason: string, actorId: number | null, at: Date) {
      await db.query(sql`
        INSERT INTO moderation_actions (target_type, target_id, action, reason, actor_id, created_at)
        VALUES (${type}, ${id}, ${action}, ${reason}, ${actorId}, ${at})`);
    },

    /** A ban settles the target's pending reports (so a later unban sticks) and closes its open case. */
    async settle(type: TargetType, id: number, actorId: number | null, at: Date) {
      await db.query(sql`
        UPDATE reports SET status = 'RESOLVED', resolved_at = ${at}
        WHERE target_type = ${type} AND target_id = ${id} AND status = 'PENDING'`);
      await db.query(sql`
        UPDATE moderation_cases SET status = 'BANNED', closed_at = ${at}, closed_by = ${actorId}, updated_at = ${at}
        WHERE target_type = ${type} AND target_id = ${id} AND status = 'OPEN'`);
    },

    /** Puts (or refreshes) the target's open case; true when a new case was opened. */
    async queueCase(type: TargetType, id: number, c: { reports: number; score: number; note: string }, now: Date) {
      const row = await db.one<{ inserted: boolean }>(sql`
        INSERT INTO moderation_cases (target_type, target_id, report_count, score, note, created_at, updated_at)
        VALUES (${type}, ${id}, ${c.reports}, ${c.score}, ${c.note}, ${now}, ${now})
        ON CONFLICT (target_type, target_id) WHERE status = 'OPEN'
        DO UPDATE SET report_count = EXCLUDED.report_count, score = EXCLUDED.score, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at
        RETURNING (xmax = 0) AS inserted`);
      return !!row?.inserted;
    },

    /** Targets with at least `threshold` pending reports in (since, now], oldest report first. */
    autoBanCandidates(since: Date, now: Date, threshold: number) {
      return db.query<{ target_type: TargetType; target_id: number }>(sql`
        SELECT target_type, target_id FROM reports
        WHERE status = 'PENDING' AND created_at > ${since} AND created_at <= ${now}
        GROUP BY target_type, target_id HAVING count(*) >= ${threshold}
        ORDER BY min(created_at), target_type, target_id`);
    },

    /** The reporters of the pending reports on one target within the window, with their completed rentals. */
    reporters(type: TargetType, id: number, since: Date, now: Date, completedStatuses: readonly string[]) {
      return db.query<ReporterRow>(sql`
        SELECT m.id, m.created_at, m.signup_ip,
          (SELECT count(*)::int FROM reservations v
           WHERE (v.borrower_id = m.id OR v.lender_id = m.id) AND v.status = ANY(${completedStatuses}::text[])) AS completed
        FROM reports r JOIN members m ON m.id = r.reporter_id
        WHERE r.target_type = ${type} AND r.target_id = ${id} AND r.status = 'PENDING' AND r.created_at > ${since} AND r.created_at <= ${now}
        ORDER BY m.id`);
    },

    /** The admin queue, newest first; one row more than `limit` when there is a next page. */
    cases(status: CaseRow['status'], cursor: number | undefined, limit: number) {
      return db.query<CaseRow & { label: string | null }>(sql`
        SELECT c.*, coalesce(p.title, m.nickname, left(r.comment, 60)) AS label
        FROM moderation_cases c
        LEFT JOIN posts p ON c.target_type = 'POST' AND p.id = c.target_id
        LEFT JOIN members m ON c.target_type = 'MEMBER' AND m.id = c.target_id
        LEFT JOIN reviews r ON c.target_type = 'REVIEW' AND r.id = c.target_id
        WHERE c.status = ${status} AND c.id < ${cursor ?? Number.MAX_SAFE_INTEGER} ORDER BY c.id DESC LIMIT ${limit + 1}`);
    },

    closeCaseDismissed(id: number, adminId: number, at: Date) {
      return db.one<CaseRow>(sql`
        UPDATE moderation_cases SET status = 'DISMISSED', closed_at = ${at}, closed_by = ${adminId}, updated_at = ${at}
        WHERE id = ${id} AND status = 'OPEN' RETURNING *`);
    },

    caseExists: async (id: number) => !!(await db.one(sql`SELECT 1 FROM moderation_cases WHERE id = ${id}`)),

    async dismissPendingReports(type: TargetType, id: number, at: Date) {
      await db.query(sql`
        UPDATE reports SET status = 'DISMISSED', resolved_at = ${at}
        WHERE target_type = ${type} AND target_id = ${id} AND status = 'PENDING'`);
    },

    /** Banned targets of one type, newest id first; one row more than `limit` when there is a next page. */
    banned(type: TargetType, cursor: number | undefined, limit: number) {
      return db.query<BannedRow>(sql`
        SELECT t.*, o.nickname AS owner_nickname FROM (${banned(type)}) t JOIN members o ON o.id = t.owner_id
        WHERE t.id < ${cursor ?? Number.MAX_SAFE_INTEGER} ORDER BY t.id DESC LIMIT ${limit + 1}`);
    },
  };
}
