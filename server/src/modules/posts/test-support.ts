// Helpers for listing tests: small real images and multipart bodies for app.inject.
import crypto from 'node:crypto';
import sharp from 'sharp';
import type { App } from '../../app.ts';

export async function jpeg(width = 64, height = 48, color = '#3a7') {
  return sharp({ create: { width, height, channels: 3, background: color } }).jpeg().toBuffer();
}

/** A JPEG carrying GPS coordinates in its EXIF block (the thing that must never be served). */
export async function jpegWithGps() {
  return sharp({ create: { width: 120, height: 90, channels: 3, background: '#c33' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 33/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '126/1 58/1 0/1' },
    })
    .toBuffer();
}

export interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----chwimeet' + crypto.randomBytes(8).toString('hex');
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"\r\nContent-Type: ${p.contentType ?? 'image/jpeg'}`;
    chunks.push(Buffer.from(head + '\r\n\r\n'), Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const imageParts = (images: Buffer[], name = 'images'): Part[] =>
  images.map((value, i) => ({ name, value, filename: `photo${i}.jpg` }));

/** Sends a create/edit request with a JSON data part and image files. */
export function sendPost(app: App, opts: { method?: 'POST' | 'PUT'; url?: string; cookie?: string; data: unknown; images: Buffer[] }) {
  const body = multipart([{ name: 'data', value: JSON.stringify(opts.data) }, ...imageParts(opts.images)]);
  return app.inject({
    method: opts.method ?? 'POST',
    url: opts.url ?? '/api/v1/posts',
    payload: body.payload,
    headers: { ...body.headers, ...(opts.cookie ? { cookie: opts.cookie } : {}) },
  });
}
