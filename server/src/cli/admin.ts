// Admin accounts from the command line (SPEC §2: never hard-coded credentials).
//   npm run admin -- create --email admin@example.com --password '...' [--nickname 운영자]
// Uses the same settings as the server: DATABASE_URL for server mode, else the PGlite data in DATA_DIR
// (stop the embedded server first: one process per data folder).
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { closeDeps, createDepsOrExit } from '../deps.ts';
import { membersService } from '../modules/members/service.ts';

const USAGE = `사용법: npm run admin -- create --email <이메일> --password <비밀번호(8자 이상)> [--nickname <닉네임>]`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main() {
  const parsed = (() => {
    try {
      return parseArgs({
        allowPositionals: true,
        options: { email: { type: 'string' }, password: { type: 'string' }, nickname: { type: 'string' } },
      });
    } catch (err) {
      fail(`${(err as Error).message}\n${USAGE}`);
    }
  })();
  const [command] = parsed.positionals;
  const { email, password, nickname } = parsed.values;
  if (command !== 'create') fail(USAGE);
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) fail(`이메일이 올바르지 않습니다\n${USAGE}`);
  if (!password || password.length < 8) fail(`비밀번호는 8자 이상이어야 합니다\n${USAGE}`);
  if (nickname !== undefined && !/^[0-9A-Za-z가-힣_-]{2,20}$/.test(nickname)) fail('닉네임은 한글·영문·숫자·_·- 2~20자여야 합니다');

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    fail((err as Error).message);
  }
  const log = pino({ level: 'warn' });
  const deps = await createDepsOrExit(config, log, '실패');
  try {
    const admin = await membersService(deps).ensureAdmin(email, password, nickname);
    console.log(`관리자 계정 준비 완료: ${admin.email} (닉네임 ${admin.nickname}, id ${admin.id})`);
  } finally {
    await closeDeps(deps);
  }
}

main().catch((err) => {
  console.error(`실패: ${(err as Error).message}`);
  process.exit(1);
});
