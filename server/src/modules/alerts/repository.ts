// Every SQL statement of alerts: saved searches, their hits, the queue of listings to match, and
// the 빈 날짜 알림 subscriptions.
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';
import { listedPostCondition } from '../posts/visibility.ts';

export interface AlertRow {
  id: number;
  member_id: number;
  query: string;
  category_id: number | null;
  category_name: string | null;
  region_id: number | null;
  region_name: string | null;
  min_fee: number | null;
  max_fee: number | null;
  radius_km: number | null;
  lat: number | null;
  lng: number | null;
  created_at: Date;
}

export interface NewAlert {
  query: string;
  categoryId: number | null;
  regionId: number | null;
  minFee: number | null;
  maxFee: number | null;
  radiusKm: number | null;
  lat: number | null;
  lng: number | null;
}

export interface DateAlertRow {
  id: number;
  member_id: number;
  post_id: number;
  post_title: string;
  start_date: string;
  end_date: string;
  created_at: Date;
  notified_at: Date | null;
}

const ALERT_SELECT = sql`SELECT a.id, a.member_id, a.query, a.category_id, c.name AS category_name, a.region_id,
    coalesce(rp.name || ' ', '') || r.name AS region_name, a.min_fee, a.max_fee, a.radius_km, a.lat, a.lng, a.created_at
  FROM alerts a LEFT JOIN categories c ON c.id = a.category_id
  LEFT JOIN regions r ON r.id = a.region_id LEFT JOIN regions rp ON rp.id = r.parent_id`;

const DATE_ALERT_SELECT = sql`SELECT d.id, d.member_id, d.post_id, p.title AS post_title, d.start_date::text AS start_date,
    d.end_date::text AS end_date, d.created_at, d.notified_at
  FROM date_alerts d JOIN posts p ON p.id = d.post_id`;

export function alertsRepository(db: Queryable) {
  return {
    // ---- saved searches
    listOf: (memberId: number) => db.query<AlertRow>(sql`${ALERT_SELECT} WHERE a.member_id = ${memberId} ORDER BY a.id DESC`),
    countOf: async (memberId: number) => (await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM alerts WHERE member_id = ${memberId}`))!.n,
    byId: (id: number) => db.one<AlertRow>(sql`${ALERT_SELECT} WHERE a.id = ${id}`),
    insert: async (memberId: number, a: NewAlert) =>
      (await db.one<{ id: number }>(sql`INSERT INTO alerts (member_id, query, category_id, region_id, min_fee, max_fee, radius_km, lat, lng)
        VALUES (${memberId}, ${a.query}, ${a.categoryId}, ${a.regionId}, ${a.minFee}, ${a.maxFee}, ${a.radiusKm}, ${a.lat}, ${a.lng})
        RETURNING id`))!.id,
    /** false when it is not the member's (or does not exist) */
    remove: async (memberId: number, id: number) =>
      !!(await db.one(sql`DELETE FROM alerts WHERE id = ${id} AND member_id = ${memberId} RETURNING id`)),
    categoryExists: async (id: number) => !!(await db.one(sql`SELECT 1 FROM categories WHERE id = ${id}`)),
    regionExists: async (id: number) => !!(await db.one(sql`SELECT 1 FROM regions WHERE id = ${id}`)),

    // ---- matching
    enqueue: (postId: number) =>
      db.query(sql`INSERT INTO alert_checks (post_id) VALUES (${postId}) ON CONFLICT (post_id) DO UPDATE SET queued_at = now()`),
    /** takes a batch off the queue (each listing is matched by one pass only, even with several instances) */
    takeQueued: (limit: number) =>
      db.query<{ post_id: number }>(sql`DELETE FROM alert_checks WHERE post_id IN (
        SELECT post_id FROM alert_checks ORDER BY queued_at LIMIT ${limit} FOR UPDATE SKIP LOCKED) RETURNING post_id`),
    /** the listing as alerts see it: listed (public, not paused) */
    listedPost: (postId: number) =>
      db.one<{ id: number; author_id: number; title: string }>(sql`SELECT p.id, p.author_id, p.title FROM posts p
        WHERE p.id = ${postId} AND ${sql.raw(listedPostCondition('p'))}`),
    /** the alerts of other members that have not fired for this listing yet */
    candidatesFor: (postId: number, authorId: number) =>
      db.query<AlertRow>(sql`${ALERT_SELECT} WHERE a.member_id <> ${authorId}
        AND NOT EXISTS (SELECT 1 FROM alert_hits h WHERE h.alert_id = a.id AND h.post_id = ${postId}) ORDER BY a.id`),
    /** true for the one caller that records the hit (once per alert × listing) */
    recordHit: async (alertId: number, postId: number) =>
      !!(await db.one(sql`INSERT INTO alert_hits (alert_id, post_id) VALUES (${alertId}, ${postId}) ON CONFLICT DO NOTHING RETURNING alert_id`)),

    // ---- 빈 날짜 알림
    dateAlertsOf: (memberId: number) =>
      db.query<DateAlertRow>(sql`${DATE_ALERT_SELECT} WHERE d.member_id = ${memberId} AND p.deleted_at IS NULL ORDER BY d.id DESC`),
    insertDateAlert: async (memberId: number, postId: number, start: string, end: string) =>
      (await db.one<{ id: number }>(sql`INSERT INTO date_alerts (member_id, post_id, start_date, end_date)
        VALUES (${memberId}, ${postId}, ${start}, ${end})
        ON CONFLICT (member_id, post_id, start_date, end_date) DO UPDATE SET notified_at = NULL, created_at = now()
        RETURNING id`))!.id,
    dateAlert: (id: number) => db.one<DateAlertRow>(sql`${DATE_ALERT_SELECT} WHERE d.id = ${id}`),
    removeDateAlert: async (memberId: number, id: number) =>
      !!(await db.one(sql`DELETE FROM date_alerts WHERE id = ${id} AND member_id = ${memberId} RETURNING id`)),
    /** waiting subscriptions whose listing is still public and whose dates have not passed */
    waitingDateAlerts: (today: string, limit: number) =>
      db.query<DateAlertRow>(sql`${DATE_ALERT_SELECT} WHERE d.notified_at IS NULL AND d.start_date >= ${today}::date
        AND ${sql.raw(listedPostCondition('p'))} ORDER BY d.id LIMIT ${limit}`),
    /** true for the one caller that marks it (notified once) */
    markDateAlertNotified: async (id: number, at: Date) =>
      !!(await db.one(sql`UPDATE date_alerts SET notified_at = ${at} WHERE id = ${id} AND notified_at IS NULL RETURNING id`)),
  };
}
