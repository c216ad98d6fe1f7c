// The listing form's helpers (SPEC §8): while the title/description are typed, a suggested category
// and fee/deposit (from comparable listings) as one-click chips; and "AI로 초안 작성" — a hint plus
// up to 3 photos (downscaled in the browser) → title, description, category and prices to review.
import { useEffect, useState } from 'react';
import { useAiDraft, useSuggestions, type SuggestResult } from '../../api/search.ts';
import { SparkleIcon } from '../../components/Icons.tsx';
import type { UploadItem } from '../../components/ImageUploader.tsx';
import { FormError } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';
import { won } from '../../lib/format.ts';

const SUGGEST_DEBOUNCE_MS = 600;
const DRAFT_PHOTOS = 3;
const DRAFT_PHOTO_SIDE = 768;

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Suggestions for the text typed so far: asked once typing pauses and there is something to go on. */
export function useListingSuggestions(title: string, content: string, active: boolean) {
  // a string, not an object: the debounce must only restart when the text itself changes
  const settled = useDebounced(`${title.trim()}\u0000${content.trim()}`, SUGGEST_DEBOUNCE_MS);
  const [t, c] = settled.split('\u0000');
  const enough = active && (Array.from(t).length >= 2 || Array.from(c).length >= 10);
  const query = useSuggestions(t, c, enough);
  return enough ? query.data : undefined;
}

export function CategorySuggestions({ result, value, onPick }: {
  result: SuggestResult | undefined;
  value: number | undefined;
  onPick: (id: number) => void;
}) {
  const top = result?.categories.filter((c) => c.confidence >= 0.2).slice(0, 2) ?? [];
  if (!top.length) return null;
  return (
    <div className="suggest-chips">
      {top.map((c) => (
        <button key={c.id} type="button" className={`chip chip-small suggest-chip${value === c.id ? ' applied' : ''}`}
          aria-pressed={value === c.id} onClick={() => onPick(c.id)}>
          <ChipMark applied={value === c.id} />추천 카테고리: {c.path}
        </button>
      ))}
    </div>
  );
}

/** ✓ once the suggestion is what the field holds, a sparkle while it is only offered */
const ChipMark = ({ applied }: { applied: boolean }) => (applied ? <span aria-hidden="true">✓</span> : <SparkleIcon size={14} />);

export function PriceSuggestions({ result, fee, deposit, onFee, onDeposit }: {
  result: SuggestResult | undefined;
  fee: string;
  deposit: string;
  onFee: (v: string) => void;
  onDeposit: (v: string) => void;
}) {
  if (!result?.fee && !result?.deposit) return null;
  const feeApplied = result.fee && fee === String(result.fee.suggested);
  const depositApplied = result.deposit && deposit === String(result.deposit.suggested);
  return (
    <div className="suggest-prices">
      <div className="suggest-chips">
        {result.fee && (
          <button type="button" className={`chip chip-small suggest-chip${feeApplied ? ' applied' : ''}`} aria-pressed={!!feeApplied}
            onClick={() => onFee(String(result.fee!.suggested))}>
            <ChipMark applied={!!feeApplied} />추천 대여료 {won(result.fee.suggested)}
          </button>
        )}
        {result.deposit && (
          <button type="button" className={`chip chip-small suggest-chip${depositApplied ? ' applied' : ''}`} aria-pressed={!!depositApplied}
            onClick={() => onDeposit(String(result.deposit!.suggested))}>
            <ChipMark applied={!!depositApplied} />추천 보증금 {won(result.deposit.suggested)}
          </button>
        )}
      </div>
      {result.fee && (
        <span className="field-hint muted">
          비슷한 물건 {result.fee.basedOn}개의 하루 대여료 {won(result.fee.min)}~{won(result.fee.max)}
        </span>
      )}
    </div>
  );
}

/** The fields an AI draft fills in; the form keeps the previous values for "되돌리기". */
export interface DraftFill {
  title: string;
  content: string;
  categoryId?: number;
  fee?: string;
  deposit?: string;
}

export function fillFromSuggestion(r: SuggestResult): DraftFill {
  return {
    title: r.draft.title,
    content: r.draft.content,
    categoryId: r.categories[0]?.id,
    fee: r.fee ? String(r.fee.suggested) : undefined,
    deposit: r.deposit ? String(r.deposit.suggested) : undefined,
  };
}

/** A photo as a small JPEG data: URL (≤ 768px), so a vision model can look at it within the body limit. */
async function photoDataUrl(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, DRAFT_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas.toDataURL('image/jpeg', 0.8);
}

export function AiDraftBox({ title, content, images, primaryKey, onFill, onUndo }: {
  title: string;
  content: string;
  images: UploadItem[];
  primaryKey: string | undefined;
  onFill: (fill: DraftFill) => void;
  /** present while the last fill can be undone */
  onUndo: (() => void) | null;
}) {
  const [hint, setHint] = useState('');
  const [preparing, setPreparing] = useState(false);
  const [filledBy, setFilledBy] = useState<SuggestResult['draft']['source'] | null>(null);
  const draft = useAiDraft();
  const busy = preparing || draft.isPending;
  const canAsk = !!(hint.trim() || title.trim() || content.trim());

  const run = async () => {
    // the primary photo first: it is the one that shows the item best
    const photos = images
      .filter((i): i is Extract<UploadItem, { kind: 'new' }> => i.kind === 'new')
      .sort((a, b) => Number(b.key === primaryKey) - Number(a.key === primaryKey))
      .slice(0, DRAFT_PHOTOS);
    setPreparing(true);
    let dataUrls: string[] = [];
    try {
      dataUrls = await Promise.all(photos.map((p) => photoDataUrl(p.file)));
    } catch {
      dataUrls = []; // a photo the browser cannot decode: draft from the text alone
    } finally {
      setPreparing(false);
    }
    draft.mutate(
      { title: title.trim(), content: content.trim(), hint: hint.trim() || undefined, images: dataUrls.length ? dataUrls : undefined },
      {
        onSuccess: (r) => {
          onFill(fillFromSuggestion(r));
          setFilledBy(r.draft.source);
        },
      },
    );
  };

  return (
    <div className="ai-draft" data-testid="ai-draft">
      <label className="field-label ai-draft-title" htmlFor="ai-hint"><SparkleIcon size={18} /> AI로 초안 작성</label>
      <p className="field-hint muted">어떤 물건인지 한 줄로 알려 주면 사진과 비슷한 물건을 참고해 제목·설명·카테고리·가격을 채워 드려요.</p>
      <div className="ai-draft-row">
        <input id="ai-hint" value={hint} maxLength={1000} onChange={(e) => setHint(e.target.value)}
          onKeyDown={(e) => {
            blockEnterWhileComposing(e);
            // Enter here asks for the draft instead of submitting the whole form
            if (e.key === 'Enter' && !e.defaultPrevented) {
              e.preventDefault();
              if (canAsk && !busy) void run();
            }
          }}
          placeholder="예) 작년에 산 4인용 텐트, 두 번 사용" />
        <button type="button" className="btn btn-primary btn-small" disabled={!canAsk || busy} onClick={() => void run()}>
          {busy ? '작성 중…' : 'AI로 초안 작성'}
        </button>
      </div>
      <FormError error={draft.error} />
      {filledBy && onUndo && (
        <p className="ai-draft-done" role="status">
          <span>{filledBy === 'llm' ? 'AI가 초안을 채웠어요.' : '비슷한 물건을 참고해 초안을 채웠어요.'} 내용을 확인하고 고쳐 주세요.</span>
          <button type="button" className="link-btn" onClick={() => { onUndo(); setFilledBy(null); }}>되돌리기</button>
        </p>
      )}
    </div>
  );
}
