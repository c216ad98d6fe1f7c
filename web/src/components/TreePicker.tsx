// Pickers over the two-level catalog trees (categories, regions).
import { useState } from 'react';
import { indexTree, nodeLabel, type TreeNode } from '../api/catalog.ts';
import { CloseIcon } from './Icons.tsx';

/**
 * One node from a tree, as a native select (best on phones). With leafOnly the parents are group
 * headings only; otherwise a parent is selectable as "<parent> 전체" (parent filters include children).
 */
export function TreeSelect({ roots, value, onChange, leafOnly = false, placeholder, id, name }: {
  roots: TreeNode[] | undefined;
  value: number | undefined;
  onChange: (id: number | undefined) => void;
  leafOnly?: boolean;
  placeholder: string;
  id?: string;
  name?: string;
}) {
  return (
    <select id={id} name={name} className="select" value={value ?? ''}
      onChange={(e) => onChange(e.target.value ? Number(e.target.value) : undefined)}>
      <option value="">{placeholder}</option>
      {roots?.map((root) => (
        <optgroup key={root.id} label={root.name}>
          {!leafOnly && <option value={root.id}>{root.name} 전체</option>}
          {root.children.map((c) => (
            <option key={c.id} value={c.id}>{leafOnly ? c.name : `${root.name} ${c.name}`}</option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

/** Several leaves (e.g. the regions a listing is offered in): pick a parent, then toggle its children. */
export function MultiLeafPicker({ roots, value, onChange, max, label }: {
  roots: TreeNode[] | undefined;
  value: number[];
  onChange: (ids: number[]) => void;
  max: number;
  label: string;
}) {
  const index = indexTree(roots);
  const firstSelectedParent = value.length ? index.get(value[0])?.parent?.id : undefined;
  const [parentId, setParentId] = useState<number | undefined>(firstSelectedParent);
  const parent = roots?.find((r) => r.id === (parentId ?? firstSelectedParent));
  const toggle = (id: number) => {
    if (value.includes(id)) onChange(value.filter((v) => v !== id));
    else if (value.length < max) onChange([...value, id]);
  };
  return (
    <div className="multi-picker">
      {value.length > 0 && (
        // biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics
        <div className="selected-chips" role="group" aria-label={`선택한 ${label}`}>
          {value.map((id) => (
            <span key={id} className="chip chip-selected">
              {nodeLabel(index, id, ' ')}
              <button type="button" aria-label={`${nodeLabel(index, id, ' ')} 빼기`} onClick={() => toggle(id)}>
                <CloseIcon size={14} />
              </button>
            </span>
          ))}
        </div>
      )}
      <select className="select" value={parent?.id ?? ''} aria-label={`${label} 시/도`}
        onChange={(e) => setParentId(e.target.value ? Number(e.target.value) : undefined)}>
        <option value="">시/도를 고르세요</option>
        {roots?.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
      </select>
      {parent && (
        // biome-ignore lint/a11y/useSemanticElements: a <fieldset> brings its own border, padding and min-width and would change this layout; role=group with a label gives the same semantics
        <div className="chips chips-wrap" role="group" aria-label={`${parent.name} ${label}`}>
          {parent.children.map((c) => {
            const on = value.includes(c.id);
            return (
              <button key={c.id} type="button" aria-pressed={on} className={`chip${on ? ' active' : ''}`}
                disabled={!on && value.length >= max} onClick={() => toggle(c.id)}>{c.name}</button>
            );
          })}
        </div>
      )}
      <span className="field-hint muted">최대 {max}곳까지 고를 수 있어요 ({value.length}/{max})</span>
    </div>
  );
}
