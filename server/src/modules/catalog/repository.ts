// Every SQL statement of the category and region trees, and the "parent includes children" filters
// other modules put into their listing queries.
import type { Queryable } from '../../db/client.ts';
import { sql, type Sql } from '../../db/sql.ts';

export type CatalogKind = 'categories' | 'regions';

export interface NodeRow {
  id: number;
  parent_id: number | null;
  name: string;
  sort_order: number;
}

/** the table of a kind; never from input */
const TABLE: Record<CatalogKind, Sql> = { categories: sql.raw('categories'), regions: sql.raw('regions') };

/** SQL condition: the post (alias) is in one of the categories or their children. */
export function categoryFilter(ids: number[], alias = 'p'): Sql {
  return sql`${sql.raw(alias)}.category_id IN (SELECT c_f.id FROM categories c_f
    WHERE c_f.id = ANY(${ids}::bigint[]) OR c_f.parent_id = ANY(${ids}::bigint[]))`;
}

/** SQL condition: the post (alias) is offered in one of the regions or their children. Tests the
 *  listing's own region_ids (migrations 240 and 250: its regions and their parents), so a city is one
 *  key of the GIN index it shares with the text bigrams: a keyword term under a region filter is one
 *  index scan before any listing is read, and search's vector index scan checks the row it fetched. */
export function regionFilter(ids: number[], alias = 'p'): Sql {
  return sql`${sql.raw(alias)}.region_ids && ${ids}::bigint[]`;
}

export function catalogRepository(db: Queryable) {
  return {
    /** The ids plus the children of any parent among them. */
    async expand(kind: CatalogKind, ids: number[]) {
      const rows = await db.query<{ id: number }>(sql`
        SELECT id FROM ${TABLE[kind]} WHERE id = ANY(${ids}::bigint[]) OR parent_id = ANY(${ids}::bigint[]) ORDER BY id`);
      return rows.map((r) => r.id);
    },

    all: (kind: CatalogKind) => db.query<NodeRow>(sql`SELECT id, parent_id, name, sort_order FROM ${TABLE[kind]} ORDER BY sort_order, id`),

    byId: (kind: CatalogKind, id: number) =>
      db.one<NodeRow>(sql`SELECT id, parent_id, name, sort_order FROM ${TABLE[kind]} WHERE id = ${id}`),

    hasChildren: async (kind: CatalogKind, id: number) =>
      !!(await db.one(sql`SELECT 1 FROM ${TABLE[kind]} WHERE parent_id = ${id} LIMIT 1`)),

    categoryHasPosts: async (id: number) => !!(await db.one(sql`SELECT 1 FROM posts WHERE category_id = ${id} LIMIT 1`)),
    regionHasPosts: async (id: number) => !!(await db.one(sql`SELECT 1 FROM post_regions WHERE region_id = ${id} LIMIT 1`)),
    regionHasMembers: async (id: number) => !!(await db.one(sql`SELECT 1 FROM members WHERE region_id = ${id} LIMIT 1`)),

    async insert(kind: CatalogKind, n: { parentId: number | null; name: string; sortOrder: number }) {
      const row = await db.one<NodeRow>(sql`
        INSERT INTO ${TABLE[kind]} (parent_id, name, sort_order) VALUES (${n.parentId}, ${n.name}, ${n.sortOrder})
        RETURNING id, parent_id, name, sort_order`);
      return row!;
    },

    async update(kind: CatalogKind, id: number, n: { parentId: number | null; name: string; sortOrder: number }) {
      const row = await db.one<NodeRow>(sql`
        UPDATE ${TABLE[kind]} SET parent_id = ${n.parentId}, name = ${n.name}, sort_order = ${n.sortOrder} WHERE id = ${id}
        RETURNING id, parent_id, name, sort_order`);
      return row!;
    },

    async remove(kind: CatalogKind, id: number) {
      await db.query(sql`DELETE FROM ${TABLE[kind]} WHERE id = ${id}`);
    },
  };
}
