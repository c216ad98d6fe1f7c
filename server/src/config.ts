// Every setting, read from the environment once and validated here.
import path from 'node:path';
import type { S3Settings } from './storage/s3.ts';

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`설정 오류: ${name}=${raw} 는 0 이상의 정수여야 합니다`);
  return n;
}
function str(name: string, fallback = ''): string {
  return process.env[name] ?? fallback;
}

export interface Config {
  port: number;
  host: string;
  /** server mode when set; embedded PGlite otherwise */
  databaseUrl: string | null;
  redisUrl: string | null;
  dataDir: string;
  /** embedded mode's buffer cache; null: sized from the data folder (db/client.ts autoSharedBuffersMb) */
  pgliteSharedBuffersMb: number | null;
  uploadDir: string;
  /** where images live: the local UPLOAD_DIR (default) or an S3-compatible bucket shared by every instance */
  storage: { kind: 'local' | 's3'; s3: S3Settings | null };
  seedDemo: boolean;
  sessionTtlSeconds: number;
  cookieSecure: boolean;
  /** trust exactly one proxy hop (the right-most X-Forwarded-For entry, added by our nginx) for the client IP */
  trustProxy: boolean;
  /** per IP + email */
  loginRateLimit: { max: number; windowMs: number };
  /** per IP, across emails */
  loginIpRateLimit: { max: number; windowMs: number };
  /** per IP: GET /search and GET /search-ai */
  searchRateLimit: { max: number; windowMs: number };
  aiSearchRateLimit: { max: number; windowMs: number };
  /** a server (main.ts) with DATABASE_URL but no REDIS_URL starts only when this is said explicitly */
  singleInstance: boolean;
  signUpRateLimit: { max: number; windowMs: number };
  adminEmail: string | null;
  adminPassword: string | null;
  logLevel: string;
  webDist: string;
  /** OpenAI-compatible embeddings API; local embedder when unset */
  embeddings: { baseUrl: string | null; model: string; dimensions: number; apiKey: string };
  /** embedding worker: PENDING claims older than leaseMs return to WAIT; FAILED after maxAttempts */
  embeddingWorker: { leaseMs: number; maxAttempts: number; batchSize: number; backoffBaseMs: number };
  /** OpenAI-compatible chat API; extractive fallbacks when unset */
  llm: { baseUrl: string | null; model: string; visionModel: string; apiKey: string; timeoutMs: number };
  payments: { provider: 'direct' | 'toss'; tossSecretKey: string; tossBaseUrl: string; tossTimeoutMs: number };
  jobsEnabled: boolean;
  timeZone: string;
  /** Redis key/channel prefix: deployments (or test runs) sharing one Redis never hear each other */
  redisPrefix: string;
  /** STOMP heart-beat the server advertises (ms, both directions) and the largest frame it accepts */
  stomp: {
    heartbeatMs: number;
    maxFrameBytes: number;
    sessionCheckMs: number;
    /** limits of one member's sockets (per instance), one socket's subscriptions, open transactions and frames buffered per transaction */
    maxSocketsPerMember: number;
    maxSubscriptions: number;
    maxTransactions: number;
    maxTransactionFrames: number;
  };
  /** chat sends per member: a token bucket of `burst` messages refilled at `perMinute` (shared through Redis in server mode) */
  chatSendLimit: { burst: number; perMinute: number };
  /** read notifications older than this are deleted by the notifications-cleanup job */
  notificationRetentionDays: number;
  /** on SIGTERM: /readyz answers 503 but requests are still served this long, then the server closes */
  shutdownDrainMs: number;
  /** e-mail: SMTP server URL (null = .eml files in DATA_DIR/outbox), sender, and the site address used in links */
  mail: { smtpUrl: string | null; from: string; outboxDir: string; publicUrl: string };
  /** per IP and, separately, per address: password-reset and verification mails asked for */
  mailLinkRateLimit: { max: number; windowMs: number };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const saved = process.env;
  process.env = env;
  try {
    const dataDir = path.resolve(str('DATA_DIR', './data'));
    const provider = str('PAYMENT_PROVIDER', 'direct');
    const storageKind = str('STORAGE', 'local');
    if (storageKind !== 'local' && storageKind !== 's3') throw new Error(`설정 오류: STORAGE=${storageKind} (local | s3)`);
    if (storageKind === 's3' && !str('S3_BUCKET')) throw new Error('설정 오류: STORAGE=s3 에는 S3_BUCKET 이 필요합니다');
    if (provider !== 'direct' && provider !== 'toss') throw new Error(`설정 오류: PAYMENT_PROVIDER=${provider} (direct | toss)`);
    return {
      port: int('PORT', 8080),
      host: str('HOST', '0.0.0.0'),
      databaseUrl: str('DATABASE_URL') || null,
      redisUrl: str('REDIS_URL') || null,
      dataDir,
      pgliteSharedBuffersMb: str('PGLITE_SHARED_BUFFERS_MB') ? int('PGLITE_SHARED_BUFFERS_MB', 128) : null,
      uploadDir: path.resolve(str('UPLOAD_DIR', path.join(dataDir, 'uploads'))),
      storage: {
        kind: storageKind,
        s3: storageKind === 's3'
          ? {
              endpoint: str('S3_ENDPOINT') || null,
              bucket: str('S3_BUCKET'),
              region: str('S3_REGION', 'us-east-1'),
              accessKeyId: str('S3_ACCESS_KEY_ID'),
              secretAccessKey: str('S3_SECRET_ACCESS_KEY'),
              // MinIO and most self-hosted servers need path-style URLs (http://host/bucket/key)
              forcePathStyle: str('S3_FORCE_PATH_STYLE', 'false') === 'true',
            }
          : null,
      },
      seedDemo: str('SEED_DEMO', 'true') !== 'false',
      sessionTtlSeconds: int('SESSION_TTL_SECONDS', 60 * 60 * 24 * 14),
      cookieSecure: str('COOKIE_SECURE', 'false') === 'true',
      trustProxy: str('TRUST_PROXY', 'false') === 'true',
      loginRateLimit: { max: int('LOGIN_RATE_LIMIT_MAX', 10), windowMs: int('LOGIN_RATE_LIMIT_WINDOW_MS', 60_000) },
      loginIpRateLimit: { max: int('LOGIN_IP_RATE_LIMIT_MAX', 30), windowMs: int('LOGIN_IP_RATE_LIMIT_WINDOW_MS', 600_000) },
      searchRateLimit: { max: int('SEARCH_RATE_LIMIT_MAX', 60), windowMs: int('SEARCH_RATE_LIMIT_WINDOW_MS', 60_000) },
      aiSearchRateLimit: { max: int('AI_SEARCH_RATE_LIMIT_MAX', 10), windowMs: int('AI_SEARCH_RATE_LIMIT_WINDOW_MS', 60_000) },
      singleInstance: str('SINGLE_INSTANCE', 'false') === 'true',
      signUpRateLimit: { max: int('SIGNUP_RATE_LIMIT_MAX', 20), windowMs: int('SIGNUP_RATE_LIMIT_WINDOW_MS', 3_600_000) },
      adminEmail: str('ADMIN_EMAIL') || null,
      adminPassword: str('ADMIN_PASSWORD') || null,
      logLevel: str('LOG_LEVEL', 'info'),
      webDist: path.resolve(str('WEB_DIST', './web/dist')),
      embeddings: {
        baseUrl: str('EMBEDDINGS_BASE_URL') || null,
        model: str('EMBEDDINGS_MODEL', 'text-embedding-3-small'),
        dimensions: int('EMBEDDINGS_DIMENSIONS', 512),
        apiKey: str('EMBEDDINGS_API_KEY', str('OPENAI_API_KEY')),
      },
      embeddingWorker: {
        leaseMs: int('EMBEDDING_LEASE_MS', 10 * 60_000),
        maxAttempts: int('EMBEDDING_MAX_ATTEMPTS', 5),
        batchSize: int('EMBEDDING_BATCH_SIZE', 32),
        backoffBaseMs: int('EMBEDDING_BACKOFF_BASE_MS', 30_000),
      },
      llm: {
        baseUrl: str('LLM_BASE_URL') || null,
        model: str('LLM_MODEL', 'gpt-4o-mini'),
        visionModel: str('LLM_VISION_MODEL', str('LLM_MODEL', 'gpt-4o-mini')),
        apiKey: str('LLM_API_KEY', str('OPENAI_API_KEY')),
        timeoutMs: int('LLM_TIMEOUT_MS', 20_000),
      },
      payments: {
        provider,
        tossSecretKey: str('TOSS_SECRET_KEY'),
        tossBaseUrl: str('TOSS_BASE_URL', 'https://api.tosspayments.com'),
        tossTimeoutMs: int('TOSS_TIMEOUT_MS', 10_000),
      },
      jobsEnabled: str('JOBS_ENABLED', 'true') !== 'false',
      timeZone: 'Asia/Seoul',
      redisPrefix: str('REDIS_PREFIX', 'chwimeet:'),
      stomp: {
        heartbeatMs: int('STOMP_HEARTBEAT_MS', 10_000),
        maxFrameBytes: int('STOMP_MAX_FRAME_BYTES', 64 * 1024),
        // backstop for expired sessions: logout and ban close sockets at once through the bus
        sessionCheckMs: int('STOMP_SESSION_CHECK_MS', 30_000),
        maxSocketsPerMember: int('STOMP_MAX_SOCKETS_PER_MEMBER', 10),
        maxSubscriptions: int('STOMP_MAX_SUBSCRIPTIONS', 50),
        maxTransactions: int('STOMP_MAX_TRANSACTIONS', 4),
        maxTransactionFrames: int('STOMP_MAX_TRANSACTION_FRAMES', 20),
      },
      chatSendLimit: { burst: int('CHAT_SEND_BURST', 20), perMinute: int('CHAT_SEND_PER_MINUTE', 60) },
      notificationRetentionDays: int('NOTIFICATION_RETENTION_DAYS', 30),
      // behind a proxy (server mode) the balancer needs time to see /readyz fail; alone, nothing takes over
      shutdownDrainMs: int('SHUTDOWN_DRAIN_MS', str('DATABASE_URL') ? 5000 : 0),
      mail: {
        smtpUrl: str('SMTP_URL') || null,
        from: str('MAIL_FROM', '취밋 <no-reply@chwimeet.local>'),
        outboxDir: path.join(dataDir, 'outbox'),
        // links in mails must be absolute: behind a proxy set the address people type
        publicUrl: str('PUBLIC_URL', `http://localhost:${int('PORT', 8080)}`).replace(/\/+$/, ''),
      },
      mailLinkRateLimit: { max: int('MAIL_LINK_RATE_LIMIT_MAX', 5), windowMs: int('MAIL_LINK_RATE_LIMIT_WINDOW_MS', 3_600_000) },
    };
  } finally {
    process.env = saved;
  }
}
