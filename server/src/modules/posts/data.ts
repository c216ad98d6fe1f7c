// The multipart create/edit body: its JSON `data` part checked against the TypeBox schema, and the
// image count rules (files are checked by the images module).
import { badRequest, refuseBadText } from '../../http/errors.ts';
import { compileBounded } from '../../http/validation.ts';
import { MAX_IMAGES } from '../images/service.ts';
import { PostCreateData, PostUpdateData, type PostData } from './schemas.ts';

const validators = { create: compileBounded(PostCreateData), update: compileBounded(PostUpdateData) };

/** Parses and validates the JSON `data` part against its TypeBox schema. */
export function parsePostData(raw: string | undefined, kind: 'create' | 'update'): PostData {
  return parseDataPart<PostData>(raw, validators[kind]);
}

/** Parses a multipart request's JSON `data` part and checks it with a compiled TypeBox validator (also condition records). */
export function parseDataPart<T>(raw: string | undefined, validator: ReturnType<typeof compileBounded>): T {
  if (raw === undefined) throw badRequest('DATA_REQUIRED', 'data 필드(JSON)가 필요합니다');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest('INVALID_JSON', 'data 필드가 올바른 JSON이 아닙니다');
  }
  refuseBadText(value); // NUL or a lone surrogate escaped inside the JSON ("\ud800")
  const errors = validator.errors(value);
  if (errors) {
    const first = errors[0];
    throw badRequest('VALIDATION_FAILED', `입력값이 올바르지 않습니다 (data${first?.instancePath ?? ''}: ${first?.message ?? ''})`, { errors });
  }
  return value as T;
}

/** 1–MAX_IMAGES images after the create or edit, and the primary index among them. */
export function assertImageCount(total: number, primaryIndex: number | undefined) {
  if (total < 1) throw badRequest('IMAGE_REQUIRED', '이미지를 1장 이상 올려 주세요');
  if (total > MAX_IMAGES) throw badRequest('TOO_MANY_IMAGES', `이미지는 최대 ${MAX_IMAGES}장까지 올릴 수 있습니다`);
  if (primaryIndex !== undefined && primaryIndex >= total) {
    throw badRequest('INVALID_PRIMARY', `대표 이미지 번호(primaryIndex)는 0–${total - 1} 사이여야 합니다`);
  }
}
