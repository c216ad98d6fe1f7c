// Demo activity, so the demo accounts do not open on empty tabs: a few reservations between
// neighbours (waiting for approval, approved, sent) and a chat, made through the real services so
// statuses, logs and notifications are exactly what the app makes. Best effort: a listing whose
// dates happen to be blocked is skipped.
import type { Deps } from '../../deps.ts';
import type { AuthMember } from '../../http/auth.ts';
import { chatService } from '../../modules/chat/service.ts';
import type { StatusChangeBody } from '../../modules/reservations/schemas.ts';
import { reservationsService } from '../../modules/reservations/service.ts';

type Seoul = (days: number) => string;

export async function seedActivity(deps: Deps, memberIds: number[], seoulDay: Seoul): Promise<{ reservations: number; messages: number }> {
  const who = async (id: number): Promise<AuthMember> => {
    const m = await deps.db.one<{ nickname: string }>('SELECT nickname FROM members WHERE id = $1', [id]);
    return { id, nickname: m!.nickname, role: 'USER' };
  };
  const [lender, borrower, camper] = await Promise.all(memberIds.slice(0, 3).map(who));
  const reservations = reservationsService(deps);
  const chat = chatService(deps);

  /** The first listing of `owner` that `member` can book for [start, start + days - 1] (asked, not 바로 예약:
   *  the demo shows a request waiting for the lender's answer and one the lender approved). */
  async function request(member: AuthMember, owner: AuthMember, start: number, days: number, skip = 0) {
    const posts = await deps.db.query<{ id: number; receive_method: string; return_method: string }>(
      `SELECT id, receive_method, return_method FROM posts
        WHERE author_id = $1 AND deleted_at IS NULL AND NOT instant_booking ORDER BY id DESC LIMIT 8 OFFSET $2`,
      [owner.id, skip],
    );
    for (const p of posts) {
      const method = (m: string) => (m === 'DELIVERY' ? 'DELIVERY' : 'DIRECT') as 'DIRECT' | 'DELIVERY';
      try {
        return await reservations.create(member, {
          postId: p.id, startDate: seoulDay(start), endDate: seoulDay(start + days - 1), optionIds: [],
          receiveMethod: method(p.receive_method), returnMethod: method(p.return_method),
          address: p.receive_method === 'DELIVERY' ? '서울 마포구 합정동' : undefined,
        });
      } catch {
        // dates blocked on this listing: try the next one
      }
    }
    return null;
  }

  let count = 0;
  // 받은 예약: one waiting for the lender's answer, one the lender approved (waiting for payment)
  const waiting = await request(borrower, lender, 5, 3);
  if (waiting) count++;
  const approved = await request(camper, lender, 9, 2, 2);
  if (approved) {
    await reservations.changeStatus(lender, approved.id, { status: 'PENDING_PAYMENT' } as StatusChangeBody);
    count++;
  }
  // 보낸 예약: the lender borrows camping gear too
  if (await request(lender, camper, 12, 2)) count++;

  // 채팅: the borrower asks about the waiting request's listing, the lender answers
  let messages = 0;
  if (waiting) {
    const { room } = await chat.openRoom(borrower.id, waiting.post.id);
    const lines: [AuthMember, string][] = [
      [borrower, '안녕하세요! 예약 요청 드렸어요. 혹시 하루 일찍 받을 수 있을까요?'],
      [lender, '안녕하세요 :) 전날 저녁에 망원역 근처에서 드릴 수 있어요.'],
      [borrower, '좋아요, 그럼 요청 날짜는 그대로 두고 전날 저녁에 받을게요!'],
    ];
    for (const [from, content] of lines) {
      await chat.send(from.id, room.id, { clientId: crypto.randomUUID(), content });
      messages++;
    }
  }
  return { reservations: count, messages };
}
