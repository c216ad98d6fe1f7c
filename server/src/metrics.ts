// Prometheus metrics (SPEC §10): one registry for the whole process, served at GET /metrics.
// Label values are always bounded: route templates ('/api/v1/posts/:id'), never raw URLs or ids.
import client from 'prom-client';
import type { FastifyInstance } from 'fastify';

export const registry = new client.Registry();
registry.setDefaultLabels({ app: 'chwimeet' });
client.collectDefaultMetrics({ register: registry });

export const httpDuration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by route template, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** open WebSocket (STOMP) connections on this instance: inc() on open, dec() on close */
export const wsConnections = new client.Gauge({
  name: 'websocket_connections',
  help: 'Open WebSocket connections on this instance',
  registers: [registry],
});

/** chat messages handled; kind = 'sent' (stored by this instance) | 'delivered' (pushed to a socket) */
export const chatMessages = new client.Counter({
  name: 'chat_messages_total',
  help: 'Chat messages by kind (sent, delivered)',
  labelNames: ['kind'] as const,
  registers: [registry],
});

// The job's name is `job_name`, not `job`: Prometheus attaches the scrape job as `job` to every series,
// so a metric label `job` would be renamed `exported_job` and every job panel would group by the scrape job.
/** scheduled job executions; outcome = 'success' | 'failure' */
export const jobRuns = new client.Counter({
  name: 'job_runs_total',
  help: 'Scheduled job runs by job name and outcome',
  labelNames: ['job_name', 'outcome'] as const,
  registers: [registry],
});
export const jobFailures = new client.Counter({
  name: 'job_failures_total',
  help: 'Scheduled job runs that failed, by job name',
  labelNames: ['job_name'] as const,
  registers: [registry],
});

/** Records one job execution in both counters; call from the scheduler after each run. */
export function recordJobRun(jobName: string, ok: boolean) {
  jobRuns.inc({ job_name: jobName, outcome: ok ? 'success' : 'failure' });
  if (!ok) jobFailures.inc({ job_name: jobName });
}

/** Exports every job's counters at 0 from the start, so rates and "no failures" read 0 instead of no data. */
export function initJobMetrics(jobNames: Iterable<string>) {
  for (const jobName of jobNames) {
    jobRuns.inc({ job_name: jobName, outcome: 'success' }, 0);
    jobRuns.inc({ job_name: jobName, outcome: 'failure' }, 0);
    jobFailures.inc({ job_name: jobName }, 0);
  }
}

/** What a scrape asks the app for (registerMetrics): metrics.ts knows no module, the app passes its services. */
export interface MetricSources {
  /** listings waiting for an embedding */
  embeddingBacklog(): Promise<number>;
}

// The backlog is counted on scrape by the most recently built app.
let sources: MetricSources | null = null;
export const embeddingBacklog = new client.Gauge({
  name: 'embedding_backlog',
  help: "Listings waiting for an embedding (status WAIT or PENDING)",
  registers: [registry],
  async collect() {
    if (!sources) return;
    try {
      this.set(await sources.embeddingBacklog());
    } catch {
      // database briefly unavailable: keep the last value rather than failing the scrape
    }
  },
});

/** Times every request by route template and serves GET /metrics. Registered once by app.ts. */
export function registerMetrics(app: FastifyInstance, from: MetricSources) {
  sources = from;
  app.addHook('onClose', async () => {
    if (sources === from) sources = null;
  });
  app.addHook('onResponse', async (req, reply) => {
    // unmatched URLs (404s, scanners) share one label instead of one per URL
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    httpDuration.observe({ route, method: req.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
