import { Type, type Static } from 'typebox';
import { PostListItem } from '../posts/schemas.ts';
import { Nullable } from '../../http/wire.ts';
import { NearFields } from '../posts/schemas.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Seoul)' });
const Won = Type.Integer({ minimum: 0, maximum: 100_000_000 });
const IdQ = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });

/** The filters both searches take (service.ts SearchFilters), applied before ranking. */
const FilterFields = {
  categoryId: Type.Optional(IdQ),
  regionId: Type.Optional(IdQ),
  minFee: Type.Optional(Won),
  maxFee: Type.Optional(Won),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  ...NearFields,
};

export const SearchMode = Type.Union([Type.Literal('hybrid'), Type.Literal('keyword'), Type.Literal('semantic')], {
  description: 'hybrid(기본): 키워드 + 의미 검색을 강도로 합침, keyword: 키워드만, semantic: 의미 검색만',
});
export const SearchSort = Type.Union([Type.Literal('relevance'), Type.Literal('newest'), Type.Literal('fee'), Type.Literal('distance')], {
  description: 'relevance(기본, 검색어가 없으면 newest), newest: 최신순, fee: 하루 대여료 낮은 순, distance: 가까운 순(near=me 또는 lat/lng 필요) — 어느 쪽이든 검색어에 맞는 물건만',
});

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: '없거나 빈 문자열이면 필터에 맞는 전체 목록; 공백뿐이면 결과 없음' })),
  mode: Type.Optional(SearchMode),
  sort: Type.Optional(SearchSort),
  ...FilterFields,
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});

export const AiSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  ...FilterFields,
});

export const MatchInfo = Type.Object({
  keyword: Nullable(Type.Object({
    terms: Type.Array(Type.String(), { description: '게시글에 들어 있는 검색어 (오타를 고친 뒤)' }),
    words: Type.Array(Type.String(), { description: '검색어를 담은 게시글 제목의 낱말, terms와 같은 순서 (제목에 없으면 검색어 그대로)' }),
    score: Type.Number({ description: 'BM25 점수' }),
    coverage: Type.Number({ description: '검색어 정보량(IDF) 중 게시글이 담은 비율, 0–1 (합산 강도)' }),
    corrected: Type.Array(Type.Object({ from: Type.String(), to: Type.String() }), { description: '오타로 보고 고친 검색어' }),
  })),
  semantic: Nullable(Type.Object({
    similarity: Type.Number({ description: '코사인 유사도' }),
    strength: Type.Number({ description: '보정된 기준선을 넘은 정도, 0–1 (합산 강도)' }),
  })),
  reasons: Type.Array(Type.String(), { description: '왜 검색되었는지, 사람이 읽는 한국어 문장들' }),
  reason: Type.String({ description: "reasons를 ' · '로 이은 것" }),
});
export type MatchInfo = Static<typeof MatchInfo>;

export const SearchHit = Type.Object({ listing: PostListItem, score: Type.Number(), match: MatchInfo });
export type SearchHit = Static<typeof SearchHit>;

export const SemanticFallback = Nullable(Type.Union([Type.Literal('NO_VECTOR_STORE'), Type.Literal('EMBEDDER_UNAVAILABLE')], {
  description: '의미 검색을 하려 했지만 못 한 이유 — NO_VECTOR_STORE: pgvector 없음, EMBEDDER_UNAVAILABLE: 임베딩 서버 응답 없음/오류 (키워드로만 찾음)',
}));

export const SearchPage = Type.Object({
  items: Type.Array(SearchHit),
  nextCursor: Nullable(Type.String()),
  mode: SearchMode,
  semanticAvailable: Type.Boolean({ description: 'false: 의미 검색을 쓸 수 없어 키워드 검색만 했습니다' }),
  semanticFallback: SemanticFallback,
  terms: Type.Array(Type.String()),
});
export type SearchPage = Static<typeof SearchPage>;

export const AiSearchResult = Type.Object({
  answer: Type.String(),
  mode: Type.Union([Type.Literal('llm'), Type.Literal('extractive')]),
  fallbackReason: Nullable(Type.String()),
  citations: Type.Array(Type.Integer()),
  items: Type.Array(SearchHit),
  semanticAvailable: Type.Boolean(),
  semanticFallback: SemanticFallback,
});
