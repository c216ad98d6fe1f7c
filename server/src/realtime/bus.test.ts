// The Redis bus against a private redis-server started (and stopped) by this test, never the shared one:
// a SUBSCRIBE that Redis refuses must leave the channel clean, so a later subscribe asks Redis again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';
import { createClient } from 'redis';
import { redisBus, type Bus } from './bus.ts';
import { waitFor } from '../../test/factories.ts';

let server: ChildProcess;
let port = 0;

async function freePort(): Promise<number> {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const p = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

before(async () => {
  port = await freePort();
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const admin = createClient({ url: `redis://127.0.0.1:${port}` });
  await waitFor(async () => admin.connect().then(() => true, () => false), 'private redis-server');
  // a user that may run every command but may not use any Pub/Sub channel: Redis answers SUBSCRIBE with NOPERM
  await admin.sendCommand(['ACL', 'SETUSER', 'bus', 'on', '>secret', '~*', '+@all', 'resetchannels']);
  await admin.quit();
});

after(async () => {
  server?.kill('SIGTERM');
  if (server && server.exitCode === null) await once(server, 'exit');
});

test('a refused SUBSCRIBE does not poison the channel: a later subscribe retries, the failed handler never runs', async () => {
  const publisher = createClient({ url: `redis://bus:secret@127.0.0.1:${port}` });
  await publisher.connect();
  const bus: Bus = await redisBus(publisher, 'bt:');
  try {
    const failedHandlerCalls: unknown[] = [];
    await assert.rejects(bus.subscribe('room:1', (p) => failedHandlerCalls.push(p)), /NOPERM|permission/i);

    // the operator fixes the permission; the same channel on the same bus must now work
    const admin = createClient({ url: `redis://127.0.0.1:${port}` });
    await admin.connect();
    await admin.sendCommand(['ACL', 'SETUSER', 'bus', 'allchannels']);
    await admin.quit();

    const received: unknown[] = [];
    const stop = await bus.subscribe('room:1', (p) => received.push(p));
    await bus.publish('room:1', { n: 1 });
    await waitFor(() => received.length === 1, 'the message on the retried subscription');
    assert.deepEqual(received, [{ n: 1 }]);
    assert.deepEqual(failedHandlerCalls, [], 'the handler of the refused subscribe was dropped');
    await stop();
  } finally {
    await bus.close();
    await publisher.quit();
  }
});
