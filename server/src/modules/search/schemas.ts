import { Type, type Static } from 'typebox';
import { PostListItem } from '../posts/schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Seoul)' });
const Won = Type.Integer({ minimum: 0, maximum: 100_000_000 });
const IdQ = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  categoryId: Type.Optional(IdQ),
  regionId: Type.Optional(IdQ),
  minFee: Type.Optional(Won),
  maxFee: Type.Optional(Won),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const AiSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  categoryId: Type.Optional(IdQ),
  regionId: Type.Optional(IdQ),
  minFee: Type.Optional(Won),
  maxFee: Type.Optional(Won),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
});

export const MatchInfo = Type.Object({
  keyword: Nullable(Type.Object({ terms: Type.Array(Type.String()), score: Type.Number() })),
  semantic: Nullable(Type.Object({ similarity: Type.Number() })),
  reason: Type.String({ description: '왜 검색되었는지 (한국어)' }),
});

export const SearchHit = Type.Object({ listing: PostListItem, score: Type.Number(), match: MatchInfo });

export const SearchPage = Type.Object({
  items: Type.Array(SearchHit),
  nextCursor: Nullable(Type.String()),
  semanticAvailable: Type.Boolean({ description: 'false: 의미 검색을 쓸 수 없어 키워드 검색만 했습니다' }),
  terms: Type.Array(Type.String()),
});

export const AiSearchResult = Type.Object({
  answer: Type.String(),
  mode: Type.Union([Type.Literal('llm'), Type.Literal('extractive')]),
  fallbackReason: Nullable(Type.String()),
  citations: Type.Array(Type.Integer()),
  items: Type.Array(SearchHit),
  semanticAvailable: Type.Boolean(),
});

export const SimilarResult = Type.Object({ items: Type.Array(SearchHit), semanticAvailable: Type.Boolean() });

export const SuggestBody = Type.Object(
  {
    title: Type.String({ maxLength: 100 }),
    content: Type.String({ maxLength: 5000 }),
    hint: Type.Optional(Type.String({ maxLength: 1000 })),
    images: Type.Optional(Type.Array(Type.String({ maxLength: 2_000_000 }), { maxItems: 3, description: '이미지 URL 또는 data: URL' })),
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
