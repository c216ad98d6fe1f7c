// Rows the review/report/moderation tests need, inserted directly (the listing and reservation
// APIs have their own tests; here only the rows' existence and status matter).
import type { TestContext } from '../../../test/helpers.ts';
import type { Database } from '../../db/client.ts';

export async function insertPost(db: Database, authorId: number, title = '캠핑 텐트 4인용 빌려드려요'): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
     VALUES ($1, $2, '깨끗하게 사용한 텐트입니다', (SELECT id FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1),
             10000, 50000, 'DIRECT', 'DIRECT') RETURNING id`,
    [authorId, title],
  );
  await db.query(`INSERT INTO post_regions (post_id, region_id) SELECT $1, id FROM regions WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1`, [row!.id]);
  return row!.id;
}

/** A reservation of `postId` by `borrowerId` already in `status` (dates far in the past: holds nothing now). */
export async function insertReservation(db: Database, postId: number, borrowerId: number, status: string): Promise<number> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method,
       days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount)
     SELECT p.id, $2, p.author_id, $3, date '2024-01-10', date '2024-01-12',
       'DIRECT', 'DIRECT', 3, 10000, 0, 30000, 50000, 0, 80000
     FROM posts p WHERE p.id = $1 RETURNING id`,
    [postId, borrowerId, status],
  );
  return row!.id;
}

/** Two new members, a listing of the lender and the borrower's reservation of it already in `status`. */
export async function rental(ctx: TestContext, status = 'RETURN_COMPLETED') {
  const lender = await ctx.signUp();
  const borrower = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, lender.id);
  const reservationId = await insertReservation(ctx.deps.db, postId, borrower.id, status);
  return { lender, borrower, postId, reservationId };
}

let standingCount = 0;
/**
 * A member whose reports count (moderation/standing.ts): signed up `ageDays` ago from an address
 * of its own, days apart from every other such reporter, with one completed rental as borrower.
 */
export async function reporterWithStanding(ctx: TestContext, ageDays = 60) {
  const n = ++standingCount;
  const member = await ctx.signUp();
  await ctx.deps.db.query(
    `UPDATE members SET created_at = now() - make_interval(days => $2::int, hours => $3::int), signup_ip = $4 WHERE id = $1`,
    [member.id, ageDays, n * 3, `198.51.100.${n % 250}`],
  );
  const lender = await ctx.signUp();
  const postId = await insertPost(ctx.deps.db, lender.id, '신고자 이력용 게시글');
  await insertReservation(ctx.deps.db, postId, member.id, 'REFUND_COMPLETED');
  return member;
}

/** A clock the test moves by hand. */
export function manualClock(start = new Date('2025-03-01T03:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    set(d: Date) {
      now = d;
    },
    advanceDays(days: number) {
      now = new Date(now.getTime() + days * 86_400_000);
    },
  };
}
