// Listings inserted straight with SQL, for search/embedding tests and benchmarks (not the API path).
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';

export interface ListingSeed {
  title: string;
  content: string;
  /** leaf category name, e.g. '전동드릴' */
  category: string;
  /** 'parent child' region names, e.g. '서울특별시 마포구' */
  region?: string;
  fee?: number;
  deposit?: number;
  authorId?: number;
}

export async function ensureMember(q: Queryable, nickname = 'fixture'): Promise<number> {
  const row = await q.one<{ id: number }>(sql`INSERT INTO members (email, password_hash, nickname)
    VALUES (${nickname + '@fixture.test'}, 'x', ${nickname})
    ON CONFLICT (email) DO UPDATE SET nickname = EXCLUDED.nickname RETURNING id`);
  return row!.id;
}

export async function categoryId(q: Queryable, name: string): Promise<number> {
  const row = await q.one<{ id: number }>(sql`SELECT id FROM categories WHERE name = ${name} ORDER BY parent_id NULLS FIRST LIMIT 1`);
  if (!row) throw new Error(`no category ${name}`);
  return row.id;
}

export async function regionId(q: Queryable, path: string): Promise<number> {
  const [parent, child] = path.split(' ');
  const row = child
    ? await q.one<{ id: number }>(sql`SELECT r.id FROM regions r JOIN regions p ON p.id = r.parent_id WHERE p.name = ${parent} AND r.name = ${child}`)
    : await q.one<{ id: number }>(sql`SELECT id FROM regions WHERE name = ${parent} AND parent_id IS NULL`);
  if (!row) throw new Error(`no region ${path}`);
  return row.id;
}

/** Inserts listings (status WAIT) and returns their ids in order. */
export async function insertListings(q: Queryable, items: ListingSeed[]): Promise<number[]> {
  const author = await ensureMember(q);
  const ids: number[] = [];
  for (const it of items) {
    const row = await q.one<{ id: number }>(sql`INSERT INTO posts (author_id, title, content, category_id, fee, deposit, receive_method, return_method)
      VALUES (${it.authorId ?? author}, ${it.title}, ${it.content}, ${await categoryId(q, it.category)}, ${it.fee ?? 10000}, ${it.deposit ?? 50000}, 'ANY', 'ANY')
      RETURNING id`);
    await q.query(sql`INSERT INTO post_regions (post_id, region_id) VALUES (${row!.id}, ${await regionId(q, it.region ?? '서울특별시 마포구')})`);
    ids.push(row!.id);
  }
  return ids;
}

/** A small realistic catalogue: no listing shares words with the relevance queries of the tests. */
export const KOREAN_LISTINGS: ListingSeed[] = [
  { title: '보쉬 전동드릴 대여', content: '충전식 전동드릴입니다. 콘크리트 타공, 선반 설치, 가구 조립에 좋아요. 드릴 비트 세트 포함.', category: '전동드릴', fee: 8000, deposit: 50000 },
  { title: '마끼다 임팩트 드라이버', content: '나사 조이고 풀 때 편한 임팩트 드라이버. 배터리 2개.', category: '전동공구', fee: 7000, deposit: 40000 },
  { title: '4인용 돔 텐트', content: '가족용 돔형 텐트, 설치 10분이면 끝. 그라운드시트와 팩 포함.', category: '텐트', fee: 15000, deposit: 80000 },
  { title: '원터치 텐트 2~3인용', content: '펼치면 바로 서는 원터치 텐트. 피크닉, 해변 그늘용으로 좋아요.', category: '텐트', fee: 10000, deposit: 50000 },
  { title: '캠핑 의자 2개 세트', content: '접이식 릴렉스 체어 두 개. 캠핑과 낚시에 좋아요.', category: '캠핑의자/테이블', fee: 5000, deposit: 20000 },
  { title: '소니 미러리스 카메라 A7M3', content: '풀프레임 미러리스 카메라 바디와 배터리 2개. 여행 사진, 스냅 촬영에 좋습니다.', category: '카메라', fee: 30000, deposit: 500000 },
  { title: '휴대용 빔프로젝터', content: '거실에서 영화 볼 때 좋은 미니 프로젝터. HDMI 연결, 100인치 화면.', category: '프로젝터', fee: 12000, deposit: 100000 },
  { title: '절충형 유모차', content: '신생아부터 사용 가능한 유모차. 접으면 트렁크에 들어가요. 산책용.', category: '유모차', fee: 9000, deposit: 70000 },
  { title: '로드 자전거 대여', content: '카본 프레임 로드바이크, 헬멧 포함. 한강 라이딩에 좋아요.', category: '자전거', fee: 20000, deposit: 300000 },
  { title: '무선 진공청소기', content: '다이슨 무선 청소기, 이사 청소나 대청소할 때 빌려가세요.', category: '청소기', fee: 8000, deposit: 60000 },
  { title: '28인치 여행용 캐리어', content: '대형 하드 캐리어, 해외여행 2주 일정에 충분한 크기.', category: '캐리어', fee: 6000, deposit: 40000 },
  { title: '통기타 입문용', content: '어쿠스틱 기타, 튜너와 피크 같이 드려요. 연습용.', category: '기타/우쿨렐레', fee: 5000, deposit: 50000 },
  { title: '접이식 알루미늄 사다리', content: '2미터 A형 사다리. 전등 교체, 천장 작업할 때 필요해요.', category: '사다리', fee: 4000, deposit: 30000 },
  { title: '파티용 풍선 장식 세트', content: '생일파티, 돌잔치 장식용 풍선과 가랜드 세트.', category: '파티용품', fee: 7000, deposit: 10000 },
  { title: '침낭 동계용 2개', content: '영하 10도까지 견디는 동계 침낭 두 개, 압축색 포함.', category: '침낭/매트', fee: 8000, deposit: 40000 },
];
