import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createTestContext, type TestContext } from '../../test/helpers.ts';
import { chatService, roomChannel } from '../modules/chat/service.ts';
import { RoomHub } from './room-hub.ts';
import { insertPost, waitFor } from '../../test/factories.ts';

let ctx: TestContext;
before(async () => {
  ctx = await createTestContext();
});
after(() => ctx.close());

test('a room feed delivers in sequence order, fills a gap from the database, and drops repeats', async () => {
  const lender = await ctx.signUp();
  const borrower = await ctx.signUp();
  const chat = chatService(ctx.deps);
  const { room } = await chat.openRoom(borrower.id, await insertPost(ctx.deps.db, lender.id));
  const hub = new RoomHub(
    ctx.deps.bus,
    {
      lastSeq: async (id) => (await chat.membership(lender.id, id))!.lastSeq,
      after: async (id, after, limit) => (await chat.messagesOf(id, { after, limit })).items,
    },
    50,
  );
  const got: number[] = [];
  const leave = await hub.join(room.id, (m) => got.push(m.seq));

  // three messages stored, but (as if their publishers were slow or died) only 3 and then 2 are published
  const stored = [];
  for (let i = 1; i <= 3; i++) {
    stored.push(
      (await ctx.deps.db.one(
        `INSERT INTO chat_messages (room_id, seq, sender_id, client_id, content) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, room_id AS "roomId", seq, sender_id AS "senderId", client_id::text AS "clientId", content, created_at AS "createdAt"`,
        [room.id, i, borrower.id, crypto.randomUUID(), `m${i}`],
      ))!,
    );
  }
  await ctx.deps.db.query('UPDATE chat_rooms SET last_seq = 3 WHERE id = $1', [room.id]);
  await ctx.deps.bus.publish(roomChannel(room.id), { kind: 'chat-message', message: stored[2] });
  await ctx.deps.bus.publish(roomChannel(room.id), { kind: 'chat-message', message: stored[1] });
  await waitFor(() => got.length === 3, 'gap filled');
  assert.deepEqual(got, [1, 2, 3]);

  // a repeat (a retried send republishes) is dropped; the next one flows at once
  await ctx.deps.bus.publish(roomChannel(room.id), { kind: 'chat-message', message: stored[0] });
  const { message } = await chat.send(lender.id, room.id, { clientId: crypto.randomUUID(), content: '다음' });
  await waitFor(() => got.length === 4, 'next message');
  assert.deepEqual(got, [1, 2, 3, message.seq]);
  assert.equal(message.seq, 4);
  leave();
  assert.equal(hub.roomCount, 0);
});
