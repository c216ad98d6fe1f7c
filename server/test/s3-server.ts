// A real S3-compatible server for tests, started in-process by the test: s3rver (the S3 REST API over
// a temporary folder). The app talks to it over HTTP through the official AWS SDK exactly as it would
// to AWS S3, R2 or MinIO. s3rver checks the access key id but does not verify V4 signatures.
// `writes`/`deletes` record every object PUT and DELETE it accepted (its S3 event notifications).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import S3rver from 's3rver';

const require = createRequire(import.meta.url);
// s3rver checks signatures against its account registry: give each server its own key pair
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void; revokeAccessKey?(id: string): void };
};

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** keys of every successful PUT, in order (several instances writing one key shows up twice) */
  writes: string[];
  /** keys of every DELETE */
  deletes: string[];
  /** the settings an app instance needs to use this server */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startLocalS3(): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'chwimeet-s3-'));
  const bucket = `chwimeet-${crypto.randomBytes(4).toString('hex')}`;
  const accessKeyId = `TEST${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = crypto.randomBytes(20).toString('base64url');
  DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const writes: string[] = [];
  const deletes: string[] = [];
  // s3rver is a Koa application: its S3 event notifications are Koa events
  (server as unknown as import('node:events').EventEmitter).on('event', (event: { Records: { eventName: string; s3: { object: { key: string } } }[] }) => {
    for (const r of event.Records) {
      if (r.eventName.startsWith('ObjectCreated')) writes.push(r.s3.object.key);
      if (r.eventName.startsWith('ObjectRemoved')) deletes.push(r.s3.object.key);
    }
  });
  const address = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  const region = 'us-east-1';
  return {
    endpoint,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    writes,
    deletes,
    env: () => ({
      STORAGE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: region,
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    }),
    async stop() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
