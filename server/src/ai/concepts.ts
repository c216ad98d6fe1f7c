// A small rental-domain concept lexicon, shipped with the local embedder: what people *do* with a
// thing ('벽에 구멍 뚫기') and what the thing is called ('전동드릴', '타공') meet in one concept feature.
// Character n-grams cannot know that '구멍 뚫' and '드릴' are related; this list is that knowledge.
// A trigger matches as a substring of the lower-cased text; keep triggers ≥ 2 syllables unless rare.
export const CONCEPTS: Record<string, string[]> = {
  drill: ['드릴', '타공', '구멍', '뚫', '앵커', '선반 설치', '벽걸이', '못 박', '피스'],
  screw: ['드라이버', '나사', '볼트', '조립', '렌치', '스패너'],
  ladder: ['사다리', '높은 곳', '천장', '전등 교체', '전구 교체', '형광등'],
  camping: ['텐트', '캠핑', '야영', '캠프', '글램핑', '차박', '타프', '그늘막', '노지', '랜턴', '코펠', '버너'],
  sleep: ['침낭', '매트', '동계', '추위', '추운', '따뜻', '담요'],
  chair: ['의자', '체어', '테이블', '좌석', '앉을'],
  camera: ['카메라', '사진', '촬영', '스냅', '렌즈', '찍을', '찍는', '찍고', '미러리스', 'dslr'],
  drone: ['드론', '항공 촬영', '항공샷'],
  projector: ['프로젝터', '빔', '영화', '스크린', '홈시어터', '넷플릭스'],
  baby: ['유모차', '아기', '신생아', '육아', '유아', '카시트', '아기띠', '보행기', '돌잔치'],
  bike: ['자전거', '라이딩', '바이크', '사이클', '따릉이'],
  travel: ['캐리어', '여행', '해외', '출장', '트렁크', '공항'],
  music: ['기타', '우쿨렐레', '악기', '연주', '키보드', '피아노', '드럼'],
  party: ['파티', '생일', '풍선', '장식', '가랜드', '행사', '축하'],
  clean: ['청소', '먼지', '진공', '물걸레', '스팀'],
  moving: ['이사', '이삿짐', '운반', '대차', '포장'],
  hiking: ['등산', '산행', '트레킹', '스틱', '배낭'],
  ski: ['스키', '스노보드', '보드복', '설원', '스키장'],
  golf: ['골프', '라운딩', '필드', '퍼터', '드라이빙'],
  game: ['게임', '닌텐도', '플스', '콘솔', '스위치', '조이스틱'],
  sound: ['스피커', '마이크', '음향', '노래방', '앰프', '블루투스'],
  kitchen: ['에어프라이어', '믹서', '요리', '주방', '와플', '오븐', '커피'],
  laptop: ['노트북', '태블릿', '아이패드', '컴퓨터', '모니터'],
  water: ['수영', '물놀이', '튜브', '서핑', '카약', '바다', '해변', '래쉬가드', '구명조끼'],
  garden: ['정원', '잔디', '가지치기', '예초', '텃밭'],
  measure: ['측정', '수평', '레이저', '줄자', '거리 측정'],
  fishing: ['낚시', '낚싯대', '미끼', '루어'],
};

const ENTRIES = Object.entries(CONCEPTS).flatMap(([concept, triggers]) => triggers.map((t) => [t, concept] as const));

/** Concepts mentioned by a text (each once). */
export function conceptsOf(text: string): string[] {
  const lower = text.toLowerCase();
  const found = new Set<string>();
  for (const [t, concept] of ENTRIES) if (!found.has(concept) && lower.includes(t)) found.add(concept);
  return [...found];
}
