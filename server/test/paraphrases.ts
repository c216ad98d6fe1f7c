// Paraphrase queries for the semantic-search tests (ai/local-embedder.test.ts, search/relevance.test.ts):
// needs put in words that appear in none of the embedder's training files and in no listing of the leaf
// category that answers them, so a query can find its listing only by meaning, not by a shared word.
// Written by hand in one go; words were swapped only where paraphrases.test.ts found them in a training
// file or a listing, before the embedder was run on them. Misses are kept (and reported by the tests).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stem, words } from '../src/ai/korean-text.ts';
import { LEAVES } from '../src/ai/data/rental-templates.ts';
import { demoListings } from '../src/db/seed/listings.ts';
import { listingText } from '../src/modules/embeddings/text.ts';

type DemoListing = (typeof demoListings)[number];

/** [query, the leaf category (002_catalog_seed.sql) whose listings answer it] */
export const PARAPHRASES: readonly (readonly [query: string, leaf: string])[] = [
  ['별빛 아래 잠들 천막집', '텐트'],
  ['한여름 모래사장에서 햇볕 가리기', '타프/그늘막'],
  ['숲속에서 엉덩이 붙일 접는 걸상', '캠핑의자/테이블'],
  ['땅바닥 한기로 잠 설침', '침낭/매트'],
  ['숲속에서 국수 삶을 화구', '버너/코펠'],
  ['깜깜한 숲속 밝히는 등불', '랜턴/조명'],
  ['생선 싱싱하게 가져올 차가운 상자', '아이스박스'],
  ['신혼집 티브이 거치대 고정', '전동드릴'],
  ['통나무 토막 썰기', '전동공구'],
  ['높다란 형광등 갈아 끼울 디딤대', '사다리'],
  ['하늘로 띄워 내려다보기', '드론'],
  ['꼬마 두발 배우기', '자전거'],
  ['머리 올리러 나가요', '골프'],
  ['봉우리 오르다 관절이 시큰거려요', '등산'],
  ['갓난이 칭얼거리면 살랑살랑 흔들어 주기', '아기침대'],
  ['뒷좌석에 갓난이 앉힐 틀', '카시트'],
  ['호수에서 노 젓기', '수상레저'],
  ['눈 덮인 슬로프 내려오기', '스키/스노보드'],
  ['송년회 노래자랑 흥 돋우기', '음향/마이크'],
  ['가면무도회 변신 복장', '의상/코스튬'],
  ['보름짜리 유럽 짐가방', '캐리어'],
  ['외국에서 인터넷 끊길까 걱정', '여행용품'],
  ['미세한 티끌 빨아들이는 기계', '청소기'],
  ['거실 벽면에 큼지막하게 쏘기', '프로젝터'],
  ['설날 친척들 눕힐 요', '가구'],
  ['셔츠가 꿉꿉하게 말라요', '기타 생활용품'],
  ['첫돌 잔칫상 단장', '파티용품'],
  ['친구들이랑 밤새 레이싱 대결', '게임기'],
  ['카페에서 리포트 타이핑', '노트북/태블릿'],
  ['아장아장 애기 태우고 마실', '유모차'],
  ['입김 불어 음색 뽐내기', '관악기'],
  ['손가락으로 치는 도레미 익히기', '건반'],
];

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/ai/data');
/**
 * The repository's embedder training inputs: the rental pairs `npm run train:embedder` reads and the
 * templates they are composed from (scripts/make-rental-pairs.ts). The open Korean corpora it also reads
 * (../shared/data: KorSTS, paraKQC, …) are general language outside the repository: not checked.
 */
export const TRAINING_FILES = [path.join(DATA, 'rental-pairs.jsonl'), path.join(DATA, 'rental-templates.ts')];

/** Every word form (word and stem, particles stripped as the embedder does) of the training files. */
export function trainingWordForms(): Set<string> {
  const forms = new Set<string>();
  for (const file of TRAINING_FILES) {
    const raw = fs.readFileSync(file, 'utf8');
    // JSON lines: the strings' values (read raw, an escaped newline would glue 'n' to the next word)
    const texts = file.endsWith('.jsonl') ? raw.split('\n').filter(Boolean).flatMap((l) => Object.values(JSON.parse(l)).map(String)) : [raw];
    for (const t of texts) for (const w of wordForms(t)) forms.add(w);
  }
  return forms;
}

/** Each word of `text` and its stem, as the embedder reads them (korean-text.ts). */
export function wordForms(text: string): string[] {
  return words(text).flatMap((w) => [w, stem(w)]);
}

/** The words of `query` whose word or stem is among `forms`. */
export function sharedWords(query: string, forms: ReadonlySet<string>): string[] {
  return words(query).filter((w) => forms.has(w) || forms.has(stem(w)));
}

const topOf = new Map(LEAVES.map((l) => [l.leaf, l.top]));
/** What the embedding worker embeds for a demo listing. */
export const demoListingText = (l: DemoListing) =>
  listingText({ id: 0, title: l.t, content: l.d, category_path: `${topOf.get(l.c)} > ${l.c}`, regions: '서울특별시 마포구', fee: l.fee, deposit: l.dep, receive_method: 'DIRECT', return_method: 'DIRECT' });

/** The texts of every listing a query of `leaf` should find: the demo listings and the held-out listings of that leaf. */
export function leafListingTexts(leaf: string): string[] {
  const heldOut = fs.readFileSync(path.join(DATA, 'heldout-listings.tsv'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'));
  return [
    ...demoListings.filter((l) => l.c === leaf).map(demoListingText),
    ...heldOut.filter(([category]) => category === leaf).map(([, title, description]) => `${title} ${description}`),
  ];
}
