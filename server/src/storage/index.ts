// Where uploaded images live: a local folder (embedded default) or any S3-compatible bucket
// (AWS S3, Cloudflare R2, MinIO), chosen by STORAGE. Every upload, rendition, delete and /media
// response goes through this interface, so several instances can share one bucket.
import type { Readable } from 'node:stream';
import type { Config } from '../config.ts';
import { localStorage } from './local.ts';
import { s3Storage } from './s3.ts';

export interface StoredObject {
  key: string;
  lastModified: Date;
}

export interface OpenedObject {
  body: Readable;
  size: number;
  lastModified: Date;
  etag: string;
}

export interface Storage {
  readonly kind: 'local' | 's3';
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** a readable stream of the object for serving, or null when it does not exist */
  open(key: string): Promise<OpenedObject | null>;
  /** removes the objects; missing ones are fine */
  remove(keys: readonly (string | null | undefined)[]): Promise<void>;
  /** every object whose key starts with prefix (a folder, e.g. 'originals/') */
  list(prefix: string): AsyncIterable<StoredObject>;
  close(): Promise<void>;
}

export { isSafeKey, assertSafeKey, contentTypeOf } from './keys.ts';

export function createStorage(config: Config): Storage {
  return config.storage.kind === 's3' ? s3Storage(config.storage.s3!) : localStorage(config.uploadDir);
}
