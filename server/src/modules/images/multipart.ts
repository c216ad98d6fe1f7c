// Reading a multipart request into memory: JSON/text fields and image files, with Korean errors
// for every limit (never a 500). Nothing is written to disk here.
import type { FastifyRequest } from 'fastify';
import { AppError, badRequest, invalidText } from '../../http/errors.ts';
import type { Storage } from '../../storage/index.ts';
import { MAX_IMAGES, MAX_UPLOAD_BYTES, removeFiles, storeImage, type StoredImage } from './service.ts';

export interface MultipartInput {
  fields: Record<string, string>;
  files: Buffer[];
}

export async function readMultipart(req: FastifyRequest, fileField: string, maxFiles = MAX_IMAGES): Promise<MultipartInput> {
  if (!req.isMultipart()) throw new AppError(415, 'MULTIPART_REQUIRED', 'multipart/form-data 형식으로 보내야 합니다');
  const fields: Record<string, string> = {};
  const files: Buffer[] = [];
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== fileField) {
          await part.toBuffer().catch(() => {});
          throw badRequest('UNKNOWN_FIELD', `알 수 없는 파일 필드입니다: ${part.fieldname} (${fileField}만 허용)`);
        }
        const buf = await part.toBuffer();
        if (files.length >= maxFiles) throw tooMany(maxFiles);
        if (buf.length > 0) files.push(buf);
      } else {
        const text = String(part.value ?? '');
        // the multipart parser decodes invalid UTF-8 bytes to U+FFFD instead of failing: refuse them here,
        // like the JSON and query-string parsers do (a typed U+FFFD is never meaningful listing text)
        if (text.includes('\uFFFD')) throw invalidText();
        fields[part.fieldname] = text;
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') throw tooMany(maxFiles);
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(413, 'FILE_TOO_LARGE', `이미지는 파일당 ${Math.round(MAX_UPLOAD_BYTES / 1024 / 1024)}MB까지 올릴 수 있습니다`);
    }
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw badRequest('TOO_MANY_PARTS', '요청의 항목이 너무 많습니다');
    if (err instanceof AppError) throw err;
    // the parser's own errors (no boundary, truncated body, malformed headers) are the client's
    throw badRequest('INVALID_MULTIPART', 'multipart/form-data 본문 형식이 올바르지 않습니다');
  }
  return { fields, files };
}

const tooMany = (max: number) => badRequest('TOO_MANY_IMAGES', `이미지는 최대 ${max}장까지 올릴 수 있습니다`);

/** Stores every image or none: on the first refusal, files already written are removed. */
export async function storeAll(storage: Storage, buffers: Buffer[], folder?: string): Promise<StoredImage[]> {
  const stored: StoredImage[] = [];
  try {
    for (const [i, buf] of buffers.entries()) {
      try {
        stored.push(await storeImage(storage, buf, folder));
      } catch (err) {
        if (err instanceof AppError && buffers.length > 1) {
          throw new AppError(err.status, err.code, `${i + 1}번째 이미지: ${err.detail}`, { imageIndex: i });
        }
        throw err;
      }
    }
    return stored;
  } catch (err) {
    await removeFiles(storage, stored.map((s) => s.path));
    throw err;
  }
}
