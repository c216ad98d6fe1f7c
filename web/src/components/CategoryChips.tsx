// Horizontal, scrollable chips of the top-level categories ("전체" clears the filter).
import { useCategories } from '../api/catalog.ts';

export function CategoryChips({ value, onChange }: { value: number | undefined; onChange: (id: number | undefined) => void }) {
  const { data: roots } = useCategories();
  return (
    <div className="chips" role="tablist" aria-label="카테고리">
      <button type="button" role="tab" aria-selected={value === undefined} className={`chip${value === undefined ? ' active' : ''}`}
        onClick={() => onChange(undefined)}>전체</button>
      {roots?.map((c) => (
        <button key={c.id} type="button" role="tab" aria-selected={value === c.id} className={`chip${value === c.id ? ' active' : ''}`}
          onClick={() => onChange(c.id)}>{c.name}</button>
      ))}
    </div>
  );
}
