// Demo data on demand: `npm run seed` (server mode: DATABASE_URL; embedded: DATA_DIR, server stopped).
// Embedded mode seeds by itself on first start; this command is for server mode or a re-seed after wiping.
import pino from 'pino';
import { loadConfig } from '../config.ts';
import { closeDeps, createDepsOrExit } from '../deps.ts';
import { DEMO_PASSWORD, demoMembers, seedDemo } from '../db/seed/demo.ts';

async function main() {
  const config = loadConfig();
  // control-only scheduler: the seed queues rendering and embedding for a running server's workers
  const deps = await createDepsOrExit(config, pino({ level: 'warn' }), '실패', { workers: false });
  try {
    await deps.jobs.start();
    const report = await seedDemo(deps);
    if (!report.seeded) {
      console.log('게시글이 이미 있어 데모 데이터를 넣지 않았습니다.');
      return;
    }
    console.log(
      `데모 데이터 완료: 회원 ${report.members}명, 게시글 ${report.posts}개, 이미지 ${report.images}장, 찜 ${report.favorites}개 (${report.ms}ms)`,
    );
    console.log(`로그인: ${demoMembers.map((m) => m.email).join(', ')} / 비밀번호 ${DEMO_PASSWORD}`);
  } finally {
    await closeDeps(deps);
  }
}

main().catch((err) => {
  console.error(`실패: ${(err as Error).message}`);
  process.exit(1);
});
