// Category and region trees (two levels): add, rename, delete. The server refuses deleting a node in
// use (and other invalid edits); its Korean message is shown next to the node.
import { useState, type FormEvent } from 'react';
import { useCatalogCommand, type CatalogKind, type CatalogCommand } from '../../api/admin.ts';
import { useCategories, useRegions, type TreeLeaf, type TreeNode } from '../../api/catalog.ts';
import { ErrorBox, FormError, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';

const KINDS: { id: CatalogKind; label: string }[] = [
  { id: 'categories', label: '카테고리' },
  { id: 'regions', label: '지역' },
];

export function AdminCatalogPage() {
  useDocumentTitle('카테고리·지역 관리');
  const [kind, setKind] = useState<CatalogKind>('categories');
  return (
    <div className="admin-section">
      {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics */}
      <div className="chips" role="group" aria-label="트리 종류">
        {KINDS.map((k) => (
          <button key={k.id} type="button" className={`chip${kind === k.id ? ' active' : ''}`} onClick={() => setKind(k.id)}>{k.label}</button>
        ))}
      </div>
      {kind === 'categories' ? <CategoryTree /> : <RegionTree />}
    </div>
  );
}

function CategoryTree() {
  const q = useCategories();
  return <TreeEditor kind="categories" label="카테고리" roots={q.data} pending={q.isPending} error={q.error} />;
}
function RegionTree() {
  const q = useRegions();
  return <TreeEditor kind="regions" label="지역" roots={q.data} pending={q.isPending} error={q.error} />;
}

function TreeEditor({ kind, label, roots, pending, error }: {
  kind: CatalogKind; label: string; roots: TreeNode[] | undefined; pending: boolean; error: unknown;
}) {
  if (pending) return <Spinner />;
  if (error || !roots) return <ErrorBox error={error} />;
  return (
    <div className="tree-editor" data-testid="tree-editor">
      <ul className="tree-roots">
        {roots.map((root) => (
          <li key={root.id} className="tree-root">
            <NodeRow kind={kind} node={root} />
            <ul className="tree-children">
              {root.children.map((c) => <li key={c.id}><NodeRow kind={kind} node={c} /></li>)}
              <li><AddNode kind={kind} parentId={root.id} placeholder={`${root.name} 아래에 추가`} /></li>
            </ul>
          </li>
        ))}
      </ul>
      <AddNode kind={kind} parentId={null} placeholder={`새 최상위 ${label}`} />
    </div>
  );
}

function NodeRow({ kind, node }: { kind: CatalogKind; node: TreeLeaf }) {
  const command = useCatalogCommand();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(node.name);
  const [confirming, setConfirming] = useState(false);
  const run = (cmd: CatalogCommand, after?: () => void) => command.mutate(cmd, { onSuccess: after });
  const rename = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || name.trim() === node.name) return setEditing(false);
    run({ kind, op: 'rename', id: node.id, name: name.trim() }, () => setEditing(false));
  };
  return (
    <div className="tree-node" data-testid="tree-node" data-name={node.name}>
      {editing ? (
        <form className="tree-node-form" onSubmit={rename}>
          <input value={name} maxLength={40} onChange={(e) => setName(e.target.value)} onKeyDown={blockEnterWhileComposing}
            // biome-ignore lint/a11y/noAutofocus: the field appears only after the user pressed a button to open it, so focusing it is what the user asked for
            aria-label={`${node.name} 새 이름`} autoFocus />
          <button type="submit" className="btn btn-small btn-primary" disabled={command.isPending}>저장</button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => { setEditing(false); setName(node.name); command.reset(); }}>취소</button>
        </form>
      ) : (
        <div className="tree-node-row">
          <span className="tree-node-name">{node.name}</span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(true)} aria-label={`${node.name} 이름 변경`}>이름 변경</button>
          {confirming ? (
            <>
              <button type="button" className="btn btn-small btn-danger" disabled={command.isPending}
                onClick={() => run({ kind, op: 'delete', id: node.id }, () => setConfirming(false))}>삭제 확인</button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => { setConfirming(false); command.reset(); }}>취소</button>
            </>
          ) : (
            <button type="button" className="btn btn-small btn-ghost text-danger" aria-label={`${node.name} 삭제`}
              onClick={() => { command.reset(); setConfirming(true); }}>삭제</button>
          )}
        </div>
      )}
      <FormError error={command.error} />
    </div>
  );
}

function AddNode({ kind, parentId, placeholder }: { kind: CatalogKind; parentId: number | null; placeholder: string }) {
  const command = useCatalogCommand();
  const [name, setName] = useState('');
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    command.mutate({ kind, op: 'create', name: name.trim(), parentId }, { onSuccess: () => setName('') });
  };
  return (
    <form className={`tree-add${parentId === null ? ' root' : ''}`} onSubmit={add}>
      <input value={name} maxLength={40} onChange={(e) => setName(e.target.value)} onKeyDown={blockEnterWhileComposing}
        placeholder={placeholder} aria-label={placeholder} />
      <button type="submit" className="btn btn-small" disabled={command.isPending || !name.trim()}>추가</button>
      <FormError error={command.error} />
    </form>
  );
}
