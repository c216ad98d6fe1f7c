import { Type, type Static } from 'typebox';
import { Id } from '../../http/wire.ts';

const Name = Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' });

export const TreeLeaf = Type.Object({ id: Type.Integer(), name: Type.String(), sortOrder: Type.Integer() });
export const TreeNode = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  sortOrder: Type.Integer(),
  children: Type.Array(TreeLeaf),
});
/** Both catalogs are two-level trees: roots with their children. */
export const Tree = Type.Array(TreeNode);

export const NodeCreate = Type.Object(
  { name: Name, parentId: Type.Optional(Type.Union([Id, Type.Null()])), sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })) },
  { additionalProperties: false },
);
export type NodeCreate = Static<typeof NodeCreate>;

export const NodePatch = Type.Object(
  {
    name: Type.Optional(Name),
    /** move under another root, or null to become a root */
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  },
  { additionalProperties: false },
);
export type NodePatch = Static<typeof NodePatch>;

export const NodeOut = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  sortOrder: Type.Integer(),
});
