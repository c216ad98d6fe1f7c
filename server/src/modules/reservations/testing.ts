// Test fixtures for reservation tests: listings and reservations written straight to the database,
// so each test starts in the state it needs without walking the whole lifecycle.
import { createTestContext, type TestContext } from '../../../test/helpers.ts';
import type { Clock } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';
import { rentalDays } from './dates.ts';
import type { Status } from './status.ts';

/** A clock tests can set and move. */
export function testClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(iso);
  return {
    now: () => new Date(now),
    set: (next) => (now = new Date(next)),
    advance: (ms) => (now = new Date(now.getTime() + ms)),
  };
}

export type User = Awaited<ReturnType<TestContext['signUp']>>;

/** A test context on `clock` with the usual parties: a lender, a borrower, a third member and an admin. */
export async function partiesContext(clock: Clock) {
  const ctx = await createTestContext({ clock });
  const [lender, borrower, other] = [await ctx.signUp(), await ctx.signUp(), await ctx.signUp()];
  return { ctx, lender, borrower, other, admin: await ctx.admin() };
}

export async function makePost(
  q: Queryable,
  authorId: number,
  opts: {
    fee?: number; deposit?: number; receiveMethod?: string; returnMethod?: string;
    options?: { name: string; fee: number; deposit: number }[]; blocked?: string[]; title?: string;
  } = {},
): Promise<{ id: number; optionIds: number[] }> {
  const category = await q.one<{ id: number }>('SELECT id FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1');
  const post = await q.one<{ id: number }>(sql`
    INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method, return_address)
    VALUES (${authorId}, ${opts.title ?? '캠핑 텐트 4인용'}, '깨끗하게 쓴 텐트입니다', ${category!.id}, ${opts.fee ?? 10000},
      ${opts.deposit ?? 50000}, ${opts.receiveMethod ?? 'ANY'}, ${opts.returnMethod ?? 'ANY'}, '서울시 마포구')
    RETURNING id`);
  const optionIds: number[] = [];
  for (const [i, o] of (opts.options ?? []).entries()) {
    const row = await q.one<{ id: number }>(sql`
      INSERT INTO post_options (post_id, name, fee, deposit, sort_order) VALUES (${post!.id}, ${o.name}, ${o.fee}, ${o.deposit}, ${i})
      RETURNING id`);
    optionIds.push(row!.id);
  }
  for (const day of opts.blocked ?? []) {
    await q.query(sql`INSERT INTO post_blocked_dates (post_id, day) VALUES (${post!.id}, ${day})`);
  }
  return { id: post!.id, optionIds };
}

/** Inserts a reservation directly in `status` (price: fee 10,000/day, deposit 50,000). */
export async function insertReservation(
  q: Queryable,
  r: {
    postId: number; borrowerId: number; lenderId: number; status: Status; startDate: string; endDate: string;
    receiveMethod?: 'DIRECT' | 'DELIVERY'; returnMethod?: 'DIRECT' | 'DELIVERY'; createdAt?: Date; statusChangedAt?: Date;
  },
): Promise<number> {
  const days = rentalDays(r.startDate, r.endDate);
  const receive = r.receiveMethod ?? 'DELIVERY';
  const created = r.createdAt ?? new Date();
  const row = await q.one<{ id: number }>(sql`
    INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method, address,
      days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount, status_changed_at, created_at, updated_at)
    VALUES (${r.postId}, ${r.borrowerId}, ${r.lenderId}, ${r.status}, ${r.startDate}, ${r.endDate}, ${receive},
      ${r.returnMethod ?? 'DELIVERY'}, ${receive === 'DELIVERY' ? '서울시 마포구 월드컵로 1' : null},
      ${days}, 10000, 0, ${10000 * days}, 50000, 0, ${10000 * days + 50000}, ${r.statusChangedAt ?? created}, ${created}, ${created})
    RETURNING id`);
  return row!.id;
}

export const statusOf = async (q: Queryable, id: number) =>
  (await q.one<{ status: Status }>('SELECT status FROM reservations WHERE id = $1', [id]))!.status;
