// Category and region trees (two levels). Filtering by a parent includes its children;
// a node still in use is never deleted.
import { josa } from 'es-hangul';
import type { Queryable } from '../../db/client.ts';
import { catalogRepository, type CatalogKind, type NodeRow } from './repository.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import type { NodeCreate, NodePatch } from './schemas.ts';

export type { CatalogKind } from './repository.ts';
// the listing filters are SQL, kept in the repository; posts and search import them from here
export { categoryFilter, regionFilter } from './repository.ts';

export const LABEL: Record<CatalogKind, string> = { categories: '카테고리', regions: '지역' };

/** The ids plus the children of any parent among them (the "parent includes children" rule). */
export async function expandIds(q: Queryable, kind: CatalogKind, ids: number[]): Promise<number[]> {
  return ids.length ? catalogRepository(q).expand(kind, ids) : [];
}
export const expandCategoryIds = (q: Queryable, ids: number[]) => expandIds(q, 'categories', ids);
export const expandRegionIds = (q: Queryable, ids: number[]) => expandIds(q, 'regions', ids);

export function catalogService(db: Queryable) {
  const repo = catalogRepository(db);

  async function tree(kind: CatalogKind) {
    const rows = await repo.all(kind);
    const roots = rows
      .filter((r) => r.parent_id === null)
      .map((r) => ({ id: r.id, name: r.name, sortOrder: r.sort_order, children: [] as { id: number; name: string; sortOrder: number }[] }));
    const byId = new Map(roots.map((r) => [r.id, r]));
    for (const r of rows) if (r.parent_id !== null) byId.get(r.parent_id)?.children.push({ id: r.id, name: r.name, sortOrder: r.sort_order });
    return roots;
  }

  async function byId(kind: CatalogKind, id: number): Promise<NodeRow> {
    const row = await repo.byId(kind, id);
    if (!row) throw notFound(LABEL[kind]);
    return row;
  }

  /** Who still points at this node, in Korean, or null when it is free. */
  async function usage(kind: CatalogKind, id: number): Promise<string | null> {
    if (await repo.hasChildren(kind, id)) return '하위 항목이 있습니다';
    if (kind === 'categories') {
      if (await repo.categoryHasPosts(id)) return '이 카테고리를 사용하는 게시글이 있습니다';
    } else {
      if (await repo.regionHasPosts(id)) return '이 지역을 사용하는 게시글이 있습니다';
      if (await repo.regionHasMembers(id)) return '이 지역을 사용하는 회원이 있습니다';
    }
    return null;
  }

  /** A parent must be an existing root (two levels only); a category with posts cannot get children. */
  async function assertParent(kind: CatalogKind, parentId: number, movingId?: number) {
    if (parentId === movingId) throw badRequest('INVALID_PARENT', '자기 자신을 상위 항목으로 지정할 수 없습니다');
    const parent = await repo.byId(kind, parentId);
    if (!parent) throw badRequest('UNKNOWN_PARENT', `상위 ${josa(LABEL[kind], '이/가')} 존재하지 않습니다`);
    if (parent.parent_id !== null) throw badRequest('TOO_DEEP', '2단계까지만 만들 수 있습니다 (상위 항목은 최상위여야 합니다)');
    if (kind === 'categories' && (await repo.categoryHasPosts(parentId))) {
      throw conflict('CATEGORY_IN_USE', '게시글이 있는 카테고리 아래에는 하위 카테고리를 만들 수 없습니다');
    }
  }

  const toOut = (r: NodeRow) => ({ id: r.id, name: r.name, parentId: r.parent_id, sortOrder: r.sort_order });

  return {
    tree,
    toOut,
    byId,
    async create(kind: CatalogKind, input: NodeCreate) {
      const parentId = input.parentId ?? null;
      if (parentId !== null) await assertParent(kind, parentId);
      const row = await repo.insert(kind, { parentId, name: input.name.trim(), sortOrder: input.sortOrder ?? 0 }).catch(duplicateName(kind));
      return row;
    },
    async update(kind: CatalogKind, id: number, patch: NodePatch) {
      const node = await byId(kind, id);
      // moving under a (new) root; becoming a root needs no check
      if (patch.parentId != null && patch.parentId !== node.parent_id) {
        if (await repo.hasChildren(kind, id)) throw badRequest('TOO_DEEP', '하위 항목이 있는 항목은 다른 항목 아래로 옮길 수 없습니다');
        await assertParent(kind, patch.parentId, id);
      }
      const parentId = patch.parentId === undefined ? node.parent_id : patch.parentId;
      const row = await repo
        .update(kind, id, { parentId, name: patch.name?.trim() ?? node.name, sortOrder: patch.sortOrder ?? node.sort_order })
        .catch(duplicateName(kind));
      return row;
    },
    async remove(kind: CatalogKind, id: number) {
      await byId(kind, id);
      const reason = await usage(kind, id);
      const code = kind === 'categories' ? 'CATEGORY_IN_USE' : 'REGION_IN_USE';
      if (reason) throw conflict(code, `사용 중인 ${josa(LABEL[kind], '은/는')} 삭제할 수 없습니다: ${reason}`);
      await repo.remove(kind, id).catch((err) => {
        // another module's table may still point at it
        if ((err as { code?: string }).code === '23503') throw conflict(code, `사용 중인 ${josa(LABEL[kind], '은/는')} 삭제할 수 없습니다`);
        throw err;
      });
    },
  };
}

const duplicateName = (kind: CatalogKind) => (err: unknown): never => {
  if ((err as { code?: string }).code === '23505') throw conflict('DUPLICATE_NAME', `같은 위치에 같은 이름의 ${josa(LABEL[kind], '이/가')} 있습니다`);
  throw err;
};
