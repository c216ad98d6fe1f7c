// Star scores: a read-only row (averages, one decimal) and a 1–5 picker for the review form.
export function Stars({ value, size = 14 }: { value: number | null; size?: number }) {
  const v = value ?? 0;
  return (
    <span className="stars" style={{ fontSize: size }} role="img" aria-label={value === null ? '평점 없음' : `5점 만점에 ${v}점`}>
      {[1, 2, 3, 4, 5].map((n) => <span key={n} className={n <= Math.round(v) ? 'on' : ''} aria-hidden="true">★</span>)}
    </span>
  );
}

export function StarInput({ label, value, onChange }: { label: string; value: number; onChange: (n: number) => void }) {
  return (
    <div className="star-input" role="radiogroup" aria-label={label}>
      <span className="star-input-label">{label}</span>
      <span className="star-input-stars">
        {[1, 2, 3, 4, 5].map((n) => (
          // biome-ignore lint/a11y/useSemanticElements: custom star buttons with radio semantics (aria-checked); native radio inputs would need different markup and CSS
          <button key={n} type="button" role="radio" aria-checked={value === n} aria-label={`${label} ${n}점`}
            className={n <= value ? 'on' : ''} onClick={() => onChange(n)}>★</button>
        ))}
      </span>
    </div>
  );
}
