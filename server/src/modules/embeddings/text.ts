// The text a listing is embedded from (SPEC §8): title, content, category path, region names,
// fee, deposit, methods. One function so the worker, suggestions and benchmarks agree.
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';

const METHOD: Record<string, string> = { DIRECT: '직거래', DELIVERY: '택배', ANY: '직거래 또는 택배' };

export interface EmbeddingSource {
  id: number;
  title: string;
  content: string;
  category_path: string | null;
  regions: string | null;
  fee: number;
  deposit: number;
  receive_method: string;
  return_method: string;
}

export function listingText(p: EmbeddingSource): string {
  return [
    p.title,
    p.title, // the title says what the thing is: count it twice against long contents
    p.category_path ? `카테고리: ${p.category_path}` : '',
    p.content,
    p.regions ? `지역: ${p.regions}` : '',
    `대여료 하루 ${p.fee}원, 보증금 ${p.deposit}원`,
    `수령 ${METHOD[p.receive_method] ?? p.receive_method}, 반납 ${METHOD[p.return_method] ?? p.return_method}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Loads the embedding sources of the given posts (any state; the caller filters). */
export async function loadSources(q: Queryable, ids: number[]): Promise<(EmbeddingSource & { embedding_status: string; embedding_version: number })[]> {
  if (!ids.length) return [];
  return q.query(sql`SELECT p.id, p.title, p.content, p.fee, p.deposit, p.receive_method, p.return_method,
      p.embedding_status, p.embedding_version,
      coalesce(pc.name || ' > ', '') || c.name AS category_path,
      (SELECT string_agg(coalesce(rp.name || ' ', '') || r.name, ', ' ORDER BY r.id)
         FROM post_regions pr JOIN regions r ON r.id = pr.region_id LEFT JOIN regions rp ON rp.id = r.parent_id
        WHERE pr.post_id = p.id) AS regions
    FROM posts p JOIN categories c ON c.id = p.category_id LEFT JOIN categories pc ON pc.id = c.parent_id
    WHERE p.id = ANY(${ids}::bigint[])`);
}
