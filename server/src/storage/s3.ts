// S3-compatible storage through the official AWS SDK v3: AWS S3, Cloudflare R2, MinIO.
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { assertSafeKey, isSafeKey } from './keys.ts';
import type { Storage } from './index.ts';

export interface S3Settings {
  endpoint: string | null;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

type Sdk = typeof import('@aws-sdk/client-s3');

const notFound = (sdk: Sdk, err: unknown) =>
  err instanceof sdk.S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404);

export function s3Storage(s: S3Settings): Storage {
  // The AWS SDK is loaded on first use, not at start: it is one of the largest parts of module loading.
  let connecting: Promise<{ sdk: Sdk; client: S3Client }> | undefined;
  const connect = () =>
    (connecting ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: s.region,
        endpoint: s.endpoint ?? undefined,
        forcePathStyle: s.forcePathStyle,
        // credentials from settings when given, else the SDK's default chain (instance role, env, profile)
        credentials: s.accessKeyId ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } : undefined,
        // many S3-compatible servers do not accept the SDK's default CRC32 checksums on every request
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    })));
  const Bucket = s.bucket;
  return {
    kind: 's3',
    async put(key, data, contentType) {
      assertSafeKey(key);
      const { sdk, client } = await connect();
      await client.send(new sdk.PutObjectCommand({ Bucket, Key: key, Body: data, ContentType: contentType }));
    },
    async get(key) {
      assertSafeKey(key);
      const { sdk, client } = await connect();
      const out = await client.send(new sdk.GetObjectCommand({ Bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    async open(key) {
      if (!isSafeKey(key)) return null;
      const { sdk, client } = await connect();
      try {
        const out = await client.send(new sdk.GetObjectCommand({ Bucket, Key: key }));
        return {
          body: out.Body as Readable,
          size: out.ContentLength ?? 0,
          lastModified: out.LastModified ?? new Date(0),
          etag: out.ETag ?? `"${key}"`,
        };
      } catch (err) {
        if (notFound(sdk, err)) return null;
        throw err;
      }
    },
    async remove(keys) {
      const { sdk, client } = await connect();
      for (const key of keys) {
        if (!key) continue;
        assertSafeKey(key);
        await client.send(new sdk.DeleteObjectCommand({ Bucket, Key: key }));
      }
    },
    async *list(prefix) {
      const { sdk, client } = await connect();
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new sdk.ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken }));
        for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, lastModified: o.LastModified ?? new Date() };
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    async close() {
      if (connecting) (await connecting).client.destroy();
    },
  };
}
