// Wiring only: config → database/redis/bus → app → signal handlers → listen → background work.
import pino from 'pino';
import { loadConfig } from './config.ts';
import { closeDeps, createDepsOrExit } from './deps.ts';
import { buildApp, markDraining, type App } from './app.ts';
import { membersService } from './modules/members/service.ts';
import type { Background } from './background.ts';

async function main() {
  // performance.now() counts from the process start: here it is what loading the modules cost
  const modulesLoadedMs = Math.round(performance.now());
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  // Several instances on one database without Redis would each keep their own sessions, chat and rate
  // limits and never hear each other: that must be a decision, not an accident.
  if (config.databaseUrl && !config.redisUrl && !config.singleInstance) {
    console.error('시작 실패: DATABASE_URL 을 쓰려면 REDIS_URL 도 설정해야 합니다 (인스턴스를 하나만 실행한다면 SINGLE_INSTANCE=true)');
    process.exit(1);
  }
  const log = pino({ level: config.logLevel });
  const deps = await createDepsOrExit(config, log, '시작 실패');
  const depsReadyMs = Math.round(performance.now());

  if (config.adminEmail && config.adminPassword) {
    await membersService(deps).ensureAdmin(config.adminEmail, config.adminPassword);
    log.info({ email: config.adminEmail }, 'admin account ensured from ADMIN_EMAIL');
  }

  const app: App = await buildApp(deps, { logger: { level: config.logLevel } });
  const appBuiltMs = Math.round(performance.now());

  // SIGTERM: /readyz fails at once while requests (and WebSockets) are still served for
  // SHUTDOWN_DRAIN_MS, so a balancer that polls readiness moves traffic away before anything closes;
  // then background work stops, HTTP drains and WebSockets close (clients reconnect elsewhere).
  // A second signal cuts the drain short. In place before listen: a deploy that stops an instance the
  // moment it is ready (a failed switch) must not kill it while its background work is still starting.
  let background: Promise<Background> | undefined;
  let stopping = false;
  let endDrain = () => {};
  const shutdown = async (signal: string) => {
    if (stopping) return endDrain();
    stopping = true;
    markDraining(app);
    const drainMs = config.shutdownDrainMs;
    log.info({ signal, drainMs }, 'shutting down: not ready any more, serving during the drain period');
    const force = setTimeout(() => process.exit(1), drainMs + 15_000);
    force.unref();
    if (drainMs > 0) {
      await new Promise<void>((resolve) => {
        endDrain = resolve;
        setTimeout(resolve, drainMs);
      });
    }
    log.info('drain period over: closing HTTP and WebSockets');
    // a stop during start-up lets it finish first (the demo seed included: never close the database under it)
    const started = await background;
    await started?.stop().catch((err) => log.error({ err }, 'background stop failed'));
    await app.close().catch((err) => log.error({ err }, 'http close failed'));
    await closeDeps(deps);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  log.info(
    {
      port: config.port,
      mode: config.databaseUrl ? 'server' : 'embedded',
      // from the process start (what a deployment waits for), of which loading the modules took modulesMs,
      // opening the database (and the admin check) depsMs, building the routes appMs
      readyMs: Math.round(process.uptime() * 1000),
      modulesMs: modulesLoadedMs,
      depsMs: depsReadyMs - modulesLoadedMs,
      appMs: appBuiltMs - depsReadyMs,
    },
    `취밋 ready on http://localhost:${config.port}`,
  );
  // Loaded after listen: the scheduler (pg-boss), the demo seed and the workers are a large part of
  // the modules, and nothing before the first request needs them.
  background = import('./background.ts').then(({ startBackground }) => startBackground(deps));
  await background;
}

void main();
