// Picking 1–10 listing photos: previews, remove, choose the primary one. Existing photos (edit)
// stay first and new files follow them — the order the server stores.
import { useEffect, useRef } from 'react';
import { CameraIcon, CloseIcon } from './Icons.tsx';

export type UploadItem =
  | { kind: 'existing'; key: string; id: number; url: string }
  | { kind: 'new'; key: string; file: File; url: string };

export const MAX_IMAGES = 10;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'image/jpeg,image/png,image/webp';

let seq = 0;
export const newItem = (file: File): UploadItem => ({ kind: 'new', key: `n${++seq}`, file, url: URL.createObjectURL(file) });

export function ImageUploader({ items, primaryKey, onChange, onPrimary, onReject }: {
  items: UploadItem[];
  primaryKey: string | undefined;
  onChange: (items: UploadItem[]) => void;
  onPrimary: (key: string) => void;
  onReject: (message: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const urls = useRef(new Set<string>());
  for (const it of items) if (it.kind === 'new') urls.current.add(it.url);
  // previews are object URLs: free them when the form goes away
  useEffect(() => () => {
    for (const u of urls.current) URL.revokeObjectURL(u);
  }, []);

  const add = (files: FileList | null) => {
    if (!files) return;
    const accepted: UploadItem[] = [];
    const problems: string[] = [];
    for (const file of Array.from(files)) {
      if (items.length + accepted.length >= MAX_IMAGES) {
        problems.push(`사진은 최대 ${MAX_IMAGES}장까지 올릴 수 있어요`);
        break;
      }
      if (!ACCEPT.split(',').includes(file.type)) problems.push(`${file.name}: JPEG, PNG, WebP 사진만 올릴 수 있어요`);
      else if (file.size > MAX_IMAGE_BYTES) problems.push(`${file.name}: 10MB 이하 사진만 올릴 수 있어요`);
      else accepted.push(newItem(file));
    }
    if (accepted.length) onChange([...items, ...accepted]);
    onReject(problems.join('\n'));
    if (input.current) input.current.value = '';
  };

  const remove = (key: string) => {
    const item = items.find((i) => i.key === key);
    if (item?.kind === 'new') {
      URL.revokeObjectURL(item.url);
      urls.current.delete(item.url);
    }
    onChange(items.filter((i) => i.key !== key));
  };

  return (
    <div className="uploader">
      <label className={`uploader-add${items.length >= MAX_IMAGES ? ' disabled' : ''}`}>
        <CameraIcon size={26} />
        <span><b>{items.length}</b>/{MAX_IMAGES}</span>
        <input ref={input} type="file" accept={ACCEPT} multiple hidden disabled={items.length >= MAX_IMAGES}
          name="images" onChange={(e) => add(e.target.files)} data-testid="image-input" />
      </label>
      {items.map((item) => {
        const primary = item.key === primaryKey;
        return (
          <div key={item.key} className={`uploader-item${primary ? ' primary' : ''}`}>
            <img src={item.url} alt="" />
            <button type="button" className="uploader-remove" aria-label="사진 빼기" onClick={() => remove(item.key)}>
              <CloseIcon size={14} />
            </button>
            <button type="button" className="uploader-primary" aria-pressed={primary} onClick={() => onPrimary(item.key)}>
              {primary ? '대표 사진' : '대표로'}
            </button>
          </div>
        );
      })}
    </div>
  );
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.round(value * 100);
  return (
    <div className="progress-wrap">
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={label}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="progress-text">{label} {pct}%</span>
    </div>
  );
}
