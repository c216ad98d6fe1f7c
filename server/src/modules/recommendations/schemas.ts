// Similar listings and the listing-writing helper (category, fee/deposit, draft).
import { Type } from 'typebox';
import { Nullable } from '../../http/wire.ts';
import { SearchHit } from '../search/schemas.ts';

export const SimilarResult = Type.Object({ items: Type.Array(SearchHit), semanticAvailable: Type.Boolean() });

export const SUGGEST_MAX_IMAGES = 3;
export const SUGGEST_MAX_IMAGE_CHARS = 2_000_000;
/**
 * The route's body limit, made to fit SuggestBody (the app-wide limit is 1 MiB): 3 images of up to
 * 2,000,000 characters (data: URLs are ASCII, so bytes) plus the text fields (≤ 6,100 characters,
 * ≤ 36.6 KB even as \uXXXX escapes) and JSON punctuation. A documented-size body is never 413.
 */
export const SUGGEST_BODY_LIMIT = SUGGEST_MAX_IMAGES * SUGGEST_MAX_IMAGE_CHARS + 64 * 1024;

export const SuggestBody = Type.Object(
  {
    title: Type.String({ maxLength: 100 }),
    content: Type.String({ maxLength: 5000 }),
    hint: Type.Optional(Type.String({ maxLength: 1000 })),
    // Only inline data: URLs: a fetchable URL would let callers make the vision LLM fetch any address.
    images: Type.Optional(Type.Array(Type.String({ maxLength: SUGGEST_MAX_IMAGE_CHARS, pattern: '^data:image/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+$' }), {
      maxItems: SUGGEST_MAX_IMAGES,
      description: `data:image/(png|jpeg|webp);base64 URL만 (요청 전체는 ${SUGGEST_BODY_LIMIT.toLocaleString('en-US')}바이트 이하)`,
    })),
    draft: Type.Optional(Type.Boolean({
      default: false,
      description: 'true: LLM이 설정되어 있으면 초안을 LLM으로 작성합니다 ("AI로 초안 작성" 버튼). false(기본): 카테고리·가격 추천과 템플릿 초안만 — 입력 중 자동 호출용으로 LLM 비용이 들지 않습니다',
    })),
  },
  { additionalProperties: false },
);

const Price = Nullable(Type.Object({ suggested: Type.Integer(), min: Type.Integer(), max: Type.Integer(), basedOn: Type.Integer() }));
export const SuggestResult = Type.Object({
  categories: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), path: Type.String(), confidence: Type.Number() })),
  fee: Price,
  deposit: Price,
  draft: Type.Object({ title: Type.String(), content: Type.String(), source: Type.Union([Type.Literal('llm'), Type.Literal('template')]) }),
  semanticAvailable: Type.Boolean(),
});
