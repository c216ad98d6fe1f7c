// Wiring only: config → database/redis/bus → app → background work → listen.
import pino from 'pino';
import { loadConfig } from './config.ts';
import { closeDeps, createDepsOrExit } from './deps.ts';
import { buildApp, markDraining, type App } from './app.ts';
import { membersService } from './modules/members/service.ts';
import { seedIfEmpty, startBackground } from './background.ts';

async function main() {
  const startedAt = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  const log = pino({ level: config.logLevel });
  const deps = await createDepsOrExit(config, log, '시작 실패');

  if (config.adminEmail && config.adminPassword) {
    await membersService(deps).ensureAdmin(config.adminEmail, config.adminPassword);
    log.info({ email: config.adminEmail }, 'admin account ensured from ADMIN_EMAIL');
  }

  await seedIfEmpty(deps);
  const app: App = await buildApp(deps, { logger: { level: config.logLevel } });
  await app.listen({ port: config.port, host: config.host });
  log.info(
    { port: config.port, mode: config.databaseUrl ? 'server' : 'embedded', readyMs: Math.round(performance.now() - startedAt) },
    `취밋 ready on http://localhost:${config.port}`,
  );
  const background = await startBackground(deps);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining HTTP and WebSockets');
    markDraining(app);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await background.stop().catch((err) => log.error({ err }, 'background stop failed'));
    await app.close().catch((err) => log.error({ err }, 'http close failed'));
    await closeDeps(deps);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
