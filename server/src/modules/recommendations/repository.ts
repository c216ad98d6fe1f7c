// Every SQL statement of recommendations: the listing whose neighbours are asked for, the categories
// of neighbours (the category vote) and the fees/deposits of comparable listings. The neighbours
// themselves come from search's branches (search/repository.ts).
import type { Queryable } from '../../db/client.ts';
import { sql } from '../../db/sql.ts';
import { publicPostCondition } from '../posts/visibility.ts';
import { visibleToViewer } from '../blocks/repository.ts';

export interface PostTextRow {
  id: number;
  title: string;
  content: string;
}
export interface CategoryOfRow {
  id: number;
  category_id: number;
  name: string;
  /** "parent > leaf" */
  path: string;
}
export interface PriceRow {
  fee: number;
  deposit: number;
}

const PUBLIC = sql.raw(publicPostCondition('p'));

export function recommendationsRepository(db: Queryable) {
  return {
    /** A public listing's text, when the viewer may see it. */
    publicPost: (id: number, viewerId: number | null) => db.one<PostTextRow>(
      sql`SELECT p.id, p.title, p.content FROM posts p WHERE p.id = ${id} AND ${PUBLIC} AND ${visibleToViewer(viewerId)}`),

    /** The leaf category (and its path) of each listing. */
    categoriesOf: (ids: number[]) => db.query<CategoryOfRow>(sql`
      SELECT p.id, p.category_id, c.name, coalesce(pc.name || ' > ', '') || c.name AS path
      FROM posts p JOIN categories c ON c.id = p.category_id LEFT JOIN categories pc ON pc.id = c.parent_id
      WHERE p.id = ANY(${ids}::bigint[])`),

    /** Fee and deposit of those of the listings that are public and in the category. */
    pricesAmong: (ids: number[], categoryId: number) => db.query<PriceRow>(sql`SELECT p.fee, p.deposit FROM posts p
      WHERE p.id = ANY(${ids}::bigint[]) AND p.category_id = ${categoryId} AND ${PUBLIC}`),

    /** Fee and deposit of the category's newest `limit` public listings. */
    recentPrices: (categoryId: number, limit: number) => db.query<PriceRow>(sql`SELECT p.fee, p.deposit FROM posts p
      WHERE p.category_id = ${categoryId} AND ${PUBLIC} ORDER BY p.created_at DESC LIMIT ${limit}`),
  };
}
