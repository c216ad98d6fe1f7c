// Demo history: finished rentals between the demo neighbours with reviews in both directions (the
// borrower's of the lender and the lender's of the borrower), all older than the 7-day blind period,
// so a newcomer sees ratings and trust scores on the first screen. Written as rows (the lifecycle
// itself is exercised by the reservation tests); deterministic.
import type { Deps } from '../../deps.ts';

// [borrower index, lender index] into demoMembers
const PAIRS: [number, number][] = [
  [1, 0], [2, 0], [4, 0], [1, 4], [0, 2], [5, 2], [6, 3], [3, 6], [8, 7], [7, 8], [1, 0], [0, 4], [6, 2], [5, 0],
];
const LENDER_WORDS = [
  '물건 상태가 정말 좋았고 설명도 친절하게 해주셨어요.',
  '약속 시간에 딱 맞춰 나와 주셔서 편했어요. 다음에도 빌릴게요!',
  '사용법까지 알려주셔서 처음인데도 잘 썼습니다.',
  '깨끗하게 관리된 물건이라 기분 좋게 사용했어요.',
  '답장이 빨라서 일정 맞추기 쉬웠어요.',
];
const BORROWER_WORDS = [
  '깨끗하게 쓰고 제시간에 돌려주셨어요. 믿고 빌려드릴 수 있는 분!',
  '반납할 때 정리까지 해서 주셨어요. 감사합니다.',
  '연락이 잘 되고 약속을 잘 지키세요.',
  '조심히 잘 써 주셨습니다. 또 빌려드릴게요.',
];

export async function seedHistory(deps: Deps, memberIds: number[]): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now().getTime();
  let made = 0;
  for (const [i, [b, l]] of PAIRS.entries()) {
    const post = await db.one<{ id: number; fee: number; deposit: number }>(
      `SELECT id, fee, deposit FROM posts WHERE author_id = $1 AND deleted_at IS NULL ORDER BY id OFFSET $2 LIMIT 1`,
      [memberIds[l], i % 3],
    );
    if (!post) continue;
    const ago = 60 - i * 3; // days: the rental ended this long ago
    const day = (d: number) => new Date(now - d * 86_400_000).toISOString().slice(0, 10);
    const at = (d: number) => new Date(now - d * 86_400_000).toISOString();
    const days = 2;
    const rental = post.fee * days;
    const res = await db.one<{ id: number }>(
      `INSERT INTO reservations (post_id, borrower_id, lender_id, status, start_date, end_date, receive_method, return_method,
         days, daily_fee, options_daily_fee, rental_fee, deposit, options_deposit, total_amount, status_changed_at, created_at, updated_at)
       VALUES ($1, $2, $3, 'REFUND_COMPLETED', $4, $5, 'DIRECT', 'DIRECT', $6, $7, 0, $8, $9, 0, $10, $11, $12, $11) RETURNING id`,
      [post.id, memberIds[b], memberIds[l], day(ago + days), day(ago + 1), days, post.fee, rental, post.deposit, rental + post.deposit, at(ago), at(ago + 5)],
    );
    const score = (k: number) => (i + k) % 5 === 0 ? 4 : 5;
    await db.query(
      `INSERT INTO reviews (reservation_id, post_id, author_id, lender_id, equipment_score, kindness_score, response_score, comment, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
      [res!.id, post.id, memberIds[b], memberIds[l], score(0), score(1), score(2), LENDER_WORDS[i % LENDER_WORDS.length], at(ago - 1)],
    );
    await db.query(
      `INSERT INTO borrower_reviews (reservation_id, post_id, author_id, borrower_id, care_score, punctuality_score, communication_score, comment, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [res!.id, post.id, memberIds[l], memberIds[b], score(1), score(2), 5, BORROWER_WORDS[i % BORROWER_WORDS.length], at(ago - 2)],
    );
    made++;
  }
  return made;
}
