// Uploaded images: the format is judged by content (never by name), EXIF (GPS!) is stripped by
// re-encoding, and the file lands in storage (local folder or S3). WebP renditions are made later in the background.
import crypto from 'node:crypto';
import path from 'node:path';
import type { FormatEnum, Metadata, OutputInfo } from 'sharp';
import { badRequest } from '../../http/errors.ts';
import type { Storage } from '../../storage/index.ts';

/** upload limits: bytes per file, and images per listing (also the multipart parser's limits, app.ts) */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_IMAGES = 10;
/** decompression bombs: refuse anything over this many pixels before decoding */
export const MAX_INPUT_PIXELS = 40_000_000;
const ACCEPTED: Record<string, { mime: string; ext: string }> = {
  jpeg: { mime: 'image/jpeg', ext: 'jpg' },
  png: { mime: 'image/png', ext: 'png' },
  webp: { mime: 'image/webp', ext: 'webp' },
};

export interface StoredImage {
  /** storage key (path relative to the upload folder); served at /media/<path> */
  path: string;
  mime: string;
  width: number;
  height: number;
}

// sharp (libvips) is loaded with the first image, not at start: it is one of the heaviest modules
const loadSharp = async () => (await import('sharp')).default;

/** Validates by content and writes an EXIF-free copy. Throws 400 INVALID_IMAGE for anything else. */
export async function storeImage(storage: Storage, buffer: Buffer, folder = 'originals'): Promise<StoredImage> {
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(buffer, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch {
    throw badRequest('INVALID_IMAGE', '이미지 파일이 아니거나 손상되었습니다 (JPEG, PNG, WebP만 가능)');
  }
  const kind = meta.format ? ACCEPTED[meta.format] : undefined;
  if (!kind || !meta.width || !meta.height) {
    throw badRequest('INVALID_IMAGE', '지원하지 않는 이미지 형식입니다 (JPEG, PNG, WebP만 가능)');
  }
  let clean: { data: Buffer; info: OutputInfo };
  try {
    // rotate() bakes the EXIF orientation into pixels; sharp drops all metadata unless asked to keep it.
    clean = await sharp(buffer, { limitInputPixels: MAX_INPUT_PIXELS }).rotate().toFormat(meta.format as keyof FormatEnum).toBuffer({ resolveWithObject: true });
  } catch {
    throw badRequest('INVALID_IMAGE', '이미지를 읽을 수 없습니다');
  }
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const rel = path.posix.join(folder, day, `${crypto.randomUUID()}.${kind.ext}`);
  await storage.put(rel, clean.data, kind.mime);
  return { path: rel, mime: kind.mime, width: clean.info.width, height: clean.info.height };
}

export async function removeFiles(storage: Storage, rels: (string | null | undefined)[]) {
  await storage.remove(rels);
}

export const mediaUrl = (rel: string | null | undefined) => (rel ? `/media/${rel}` : null);

/**
 * Storage folders /media never serves: chat photos and condition-record photos are answered only to the
 * people allowed to see them, by their own routes (sendPrivateImage).
 */
export const PRIVATE_MEDIA_FOLDERS = ['chat', 'inspections'] as const;
export const isPublicMediaKey = (key: string) => !PRIVATE_MEDIA_FOLDERS.some((folder) => key.startsWith(`${folder}/`));

/** WebP rendition sizes (cover crop): list thumbnails and the detail gallery. */
export const RENDITIONS = {
  thumb: { width: 800, height: 600, quality: 78 },
  detail: { width: 1920, height: 1440, quality: 82 },
} as const;
export type RenditionName = keyof typeof RENDITIONS;

/** Deterministic rendition path for an original (making it twice just overwrites the same file). */
export function renditionPath(originalRel: string, name: RenditionName): string {
  const parsed = path.posix.parse(originalRel);
  const dir = parsed.dir.replace(/^originals(\/|$)/, 'renditions$1');
  return path.posix.join(dir === parsed.dir ? path.posix.join('renditions', dir) : dir, `${parsed.name}-${name}.webp`);
}

/** Writes the WebP renditions of a stored original; returns their relative paths. */
export async function makeRenditions(storage: Storage, originalRel: string): Promise<Record<RenditionName, string>> {
  const input = await storage.get(originalRel);
  const sharp = await loadSharp();
  const out = {} as Record<RenditionName, string>;
  for (const [name, size] of Object.entries(RENDITIONS) as [RenditionName, (typeof RENDITIONS)[RenditionName]][]) {
    const data = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
      .resize(size.width, size.height, { fit: 'cover', position: 'attention', withoutEnlargement: true })
      .webp({ quality: size.quality })
      .toBuffer();
    const rel = renditionPath(originalRel, name);
    await storage.put(rel, data, 'image/webp');
    out[name] = rel;
  }
  return out;
}
