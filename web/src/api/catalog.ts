// Category and region trees (two levels). They rarely change, so they are fetched once per visit.
import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Static } from 'typebox';
import type { TreeLeaf as TreeLeafSchema, TreeNode as TreeNodeSchema } from '../../../server/src/modules/catalog/schemas.ts';

export type TreeLeaf = Static<typeof TreeLeafSchema>;
/** Roots with their children (both catalogs are two levels deep). */
export type TreeNode = Static<typeof TreeNodeSchema>;

export const catalogKeys = {
  categories: ['catalog', 'categories'] as const,
  regions: ['catalog', 'regions'] as const,
};

export function useCategories() {
  return useQuery({
    queryKey: catalogKeys.categories,
    queryFn: () => api<TreeNode[]>('/categories'),
    staleTime: 60 * 60_000,
  });
}

export function useRegions() {
  return useQuery({
    queryKey: catalogKeys.regions,
    queryFn: () => api<TreeNode[]>('/regions'),
    staleTime: 60 * 60_000,
  });
}

/** Every node by id, with its parent for "서울특별시 > 마포구" labels. */
export type TreeIndex = Map<number, { node: TreeLeaf; parent: TreeNode | null }>;

export function indexTree(roots: TreeNode[] | undefined): TreeIndex {
  const index: TreeIndex = new Map();
  for (const root of roots ?? []) {
    index.set(root.id, { node: root, parent: null });
    for (const child of root.children) index.set(child.id, { node: child, parent: root });
  }
  return index;
}

export function nodeLabel(index: TreeIndex, id: number, separator = ' › '): string {
  const entry = index.get(id);
  if (!entry) return '';
  return entry.parent ? `${entry.parent.name}${separator}${entry.node.name}` : entry.node.name;
}
