// Create or edit a listing: photos (1–10, primary), title, category, regions, fee/deposit,
// methods, options (≤5), blocked dates and description. Uploads with a real progress bar.
import { useMyNeighbourhoods } from '../../api/neighbourhoods.ts';
import { useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useCategories, useRegions } from '../../api/catalog.ts';
import { usePost, useSavePost, type Method, type PostData, type PostDetail } from '../../api/posts.ts';
import { Calendar } from '../../components/Calendar.tsx';
import { CloseIcon, PlusIcon } from '../../components/Icons.tsx';
import { ImageUploader, ProgressBar, type UploadItem } from '../../components/ImageUploader.tsx';
import { MultiLeafPicker, TreeSelect } from '../../components/TreePicker.tsx';
import { EmptyState, ErrorBox, FormError, PageHeader, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';
import { METHOD_LABELS, seoulDate, won } from '../../lib/format.ts';
import { longTermFeeProblem } from '../../../../server/src/modules/reservations/pricing.ts';
import {
  CANCELLATION_POLICIES, DEFAULT_POLICY, POLICY_TABLE, policyLines, type CancellationPolicy,
} from '../../../../server/src/modules/reservations/cancellation.ts';
import { AiDraftBox, CategorySuggestions, PriceSuggestions, useListingSuggestions, type DraftFill } from './PostSuggestions.tsx';

export const MAX_OPTIONS = 5;
const MAX_REGIONS = 10;
const METHODS: Method[] = ['DIRECT', 'DELIVERY', 'ANY'];

interface OptionDraft {
  key: string;
  id?: number;
  name: string;
  fee: string;
  deposit: string;
}

export interface PostDraft {
  images: UploadItem[];
  primaryKey: string | undefined;
  title: string;
  content: string;
  categoryId: number | undefined;
  regionIds: number[];
  fee: string;
  deposit: string;
  /** '' = none */
  weeklyFee: string;
  monthlyFee: string;
  instantBooking: boolean;
  cancellationPolicy: CancellationPolicy;
  receiveMethod: Method;
  returnMethod: Method;
  returnAddress: string;
  options: OptionDraft[];
  blockedDates: string[];
  /** one of my 동네; empty = the first (new) or unchanged (edit) */
  neighbourhoodCode?: string;
}

let optionSeq = 0;
const optionKey = () => `o${++optionSeq}`;

const emptyDraft = (): PostDraft => ({
  images: [],
  primaryKey: undefined,
  title: '',
  content: '',
  categoryId: undefined,
  regionIds: [],
  fee: '',
  deposit: '',
  weeklyFee: '',
  monthlyFee: '',
  instantBooking: false,
  cancellationPolicy: DEFAULT_POLICY,
  receiveMethod: 'ANY',
  returnMethod: 'ANY',
  returnAddress: '',
  options: [],
  blockedDates: [],
});

function draftFromPost(post: PostDetail): PostDraft {
  const images: UploadItem[] = post.images.map((img) => ({ kind: 'existing', key: `e${img.id}`, id: img.id, url: img.thumbUrl }));
  const primary = post.images.find((i) => i.isPrimary) ?? post.images[0];
  return {
    images,
    primaryKey: primary ? `e${primary.id}` : undefined,
    title: post.title,
    content: post.content,
    categoryId: post.category.id,
    regionIds: post.regions.map((r) => r.id),
    fee: String(post.fee),
    deposit: String(post.deposit),
    weeklyFee: post.weeklyFee === null ? '' : String(post.weeklyFee),
    monthlyFee: post.monthlyFee === null ? '' : String(post.monthlyFee),
    instantBooking: post.instantBooking,
    cancellationPolicy: post.cancellation.policy,
    receiveMethod: post.receiveMethod,
    returnMethod: post.returnMethod,
    returnAddress: post.returnAddress ?? '',
    options: post.options.map((o) => ({ key: optionKey(), id: o.id, name: o.name, fee: String(o.fee), deposit: String(o.deposit) })),
    blockedDates: post.blockedDates,
    neighbourhoodCode: post.neighbourhood?.code,
  };
}

const toWon = (s: string) => (s.trim() === '' ? 0 : Number(s));
const toWonOrNull = (s: string) => (s.trim() === '' ? null : Number(s));
const validWon = (s: string) => s.trim() === '' || /^\d{1,9}$/.test(s.trim());

/** Client-side checks mirroring the server's rules, so most mistakes are caught before uploading. */
export function validateDraft(d: PostDraft): string | null {
  if (d.images.length < 1) return '사진을 1장 이상 올려 주세요';
  if (d.title.trim().length < 2) return '제목을 2자 이상 입력해 주세요';
  if (!d.categoryId) return '카테고리를 선택해 주세요';
  if (d.regionIds.length < 1) return '거래 지역을 1곳 이상 선택해 주세요';
  if (d.fee.trim() === '' || !validWon(d.fee)) return '하루 대여료를 숫자로 입력해 주세요';
  if (!validWon(d.deposit)) return '보증금을 숫자로 입력해 주세요';
  if (!validWon(d.weeklyFee) || !validWon(d.monthlyFee)) return '1주·한 달 요금을 숫자로 입력해 주세요';
  // the server's rule itself (reservations/pricing.ts)
  const feeProblem = longTermFeeProblem({ fee: toWon(d.fee), deposit: 0, weeklyFee: toWonOrNull(d.weeklyFee), monthlyFee: toWonOrNull(d.monthlyFee) });
  if (feeProblem) return feeProblem.detail;
  for (const [i, o] of d.options.entries()) {
    if (!o.name.trim()) return `옵션 ${i + 1}의 이름을 입력해 주세요`;
    if (!validWon(o.fee) || !validWon(o.deposit)) return `옵션 ${i + 1}의 금액을 숫자로 입력해 주세요`;
  }
  if (!d.content.trim()) return '설명을 입력해 주세요';
  return null;
}

export function draftToData(d: PostDraft, editing: boolean): { data: PostData; files: File[] } {
  const kept = d.images.filter((i): i is Extract<UploadItem, { kind: 'existing' }> => i.kind === 'existing');
  const added = d.images.filter((i): i is Extract<UploadItem, { kind: 'new' }> => i.kind === 'new');
  // the server's order: kept images first, then new files
  const finalOrder = [...kept, ...added];
  const primaryIndex = Math.max(0, finalOrder.findIndex((i) => i.key === d.primaryKey));
  const data: PostData = {
    title: d.title.trim(),
    content: d.content,
    categoryId: d.categoryId!,
    regionIds: d.regionIds,
    fee: toWon(d.fee),
    deposit: toWon(d.deposit),
    weeklyFee: toWonOrNull(d.weeklyFee),
    monthlyFee: toWonOrNull(d.monthlyFee),
    instantBooking: d.instantBooking,
    cancellationPolicy: d.cancellationPolicy,
    receiveMethod: d.receiveMethod,
    returnMethod: d.returnMethod,
    returnAddress: d.returnAddress.trim() || null,
    ...(d.neighbourhoodCode ? { neighbourhoodCode: d.neighbourhoodCode } : {}),
    options: d.options.map((o) => ({ ...(o.id ? { id: o.id } : {}), name: o.name.trim(), fee: toWon(o.fee), deposit: toWon(o.deposit) })),
    // only future days matter; past ones are dropped on save
    blockedDates: d.blockedDates.filter((day) => day >= seoulDate()).sort(),
    primaryIndex,
  };
  if (editing) data.keepImageIds = kept.map((i) => i.id);
  return { data, files: added.map((i) => i.file) };
}

export function PostFormPage() {
  const params = useParams();
  const editId = params.id ? Number(params.id) : undefined;
  useDocumentTitle(editId ? '게시글 수정' : '물건 등록');
  const existing = usePost(editId ?? 0);

  if (editId) {
    if (existing.isPending) return <Spinner />;
    if (existing.error) return <div className="page"><ErrorBox error={existing.error} /></div>;
    if (!existing.data.isOwner) {
      return <div className="page"><EmptyState title="내 게시글만 수정할 수 있어요" action={<Link className="btn" to={`/posts/${editId}`}>게시글로 돌아가기</Link>} /></div>;
    }
    return <PostForm key={editId} editId={editId} initial={draftFromPost(existing.data)} />;
  }
  return <PostForm initial={emptyDraft()} />;
}

function PostForm({ editId, initial }: { editId?: number; initial: PostDraft }) {
  const navigate = useNavigate();
  const { data: categories } = useCategories();
  const { data: regions } = useRegions();
  const save = useSavePost();
  const [draft, setDraft] = useState<PostDraft>(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [imageProblem, setImageProblem] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const set = <K extends keyof PostDraft>(key: K, value: PostDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const blocked = useMemo(() => new Set(draft.blockedDates), [draft.blockedDates]);
  // suggestions only when creating: an existing listing already has its category and prices
  const suggestions = useListingSuggestions(draft.title, draft.content, !editId);
  const latest = useRef(draft);
  latest.current = draft;
  const [beforeFill, setBeforeFill] = useState<PostDraft | null>(null);
  const fill = (f: DraftFill) => {
    // the answer arrives later: apply it to what the form holds now, and keep that for 되돌리기
    const d = latest.current;
    setBeforeFill(d);
    setDraft({ ...d, title: f.title, content: f.content, categoryId: f.categoryId ?? d.categoryId, fee: f.fee ?? d.fee, deposit: f.deposit ?? d.deposit });
  };
  const undoFill = () => {
    if (!beforeFill) return;
    const { title, content, categoryId, fee, deposit } = beforeFill;
    setDraft((d) => ({ ...d, title, content, categoryId, fee, deposit }));
    setBeforeFill(null);
  };

  const setImages = (images: UploadItem[]) =>
    setDraft((d) => ({
      ...d,
      images,
      primaryKey: images.some((i) => i.key === d.primaryKey) ? d.primaryKey : images[0]?.key,
    }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const message = validateDraft(draft);
    setProblem(message);
    if (message) return;
    const { data, files } = draftToData(draft, !!editId);
    setProgress(0);
    save.mutate(
      { id: editId, data, files, onProgress: setProgress },
      {
        onSuccess: ({ id }) => navigate(`/posts/${id}`, { replace: true }),
        onSettled: () => setProgress(null),
      },
    );
  };

  const updateOption = (key: string, patch: Partial<OptionDraft>) =>
    set('options', draft.options.map((o) => (o.key === key ? { ...o, ...patch } : o)));

  return (
    <div className="page form-page">
      <PageHeader title={editId ? '게시글 수정' : '내 물건 빌려주기'} />
      <form className="form post-form" onSubmit={submit} noValidate>
        <Field label="사진" hint="첫 화면에 보일 대표 사진을 골라 주세요. JPEG·PNG·WebP, 장당 10MB까지">
          <ImageUploader items={draft.images} primaryKey={draft.primaryKey} onChange={setImages}
            onPrimary={(key) => set('primaryKey', key)} onReject={setImageProblem} />
          {imageProblem && <p className="form-error" role="alert">{imageProblem}</p>}
        </Field>

        {!editId && (
          <AiDraftBox title={draft.title} content={draft.content} images={draft.images} primaryKey={draft.primaryKey}
            onFill={fill} onUndo={beforeFill ? undoFill : null} />
        )}

        <Field label="제목" htmlFor="post-title">
          <input id="post-title" name="title" value={draft.title} maxLength={100} onChange={(e) => set('title', e.target.value)}
            onKeyDown={blockEnterWhileComposing} placeholder="예) 4인용 돔 텐트 빌려드려요" />
        </Field>

        <Field label="카테고리" htmlFor="post-category">
          <TreeSelect roots={categories} value={draft.categoryId} leafOnly placeholder="카테고리 선택" id="post-category" name="categoryId"
            onChange={(id) => set('categoryId', id)} />
          <CategorySuggestions result={suggestions} value={draft.categoryId} onPick={(id) => set('categoryId', id)} />
        </Field>

        <NeighbourhoodField value={draft.neighbourhoodCode} onChange={(c) => set('neighbourhoodCode', c)} />

        <Field label="거래 지역">
          <MultiLeafPicker roots={regions} value={draft.regionIds} max={MAX_REGIONS} label="지역"
            onChange={(ids) => set('regionIds', ids)} />
        </Field>

        <div className="field-row">
          <Field label="하루 대여료" htmlFor="post-fee">
            <WonInput id="post-fee" name="fee" value={draft.fee} onChange={(v) => set('fee', v)} placeholder="10000" />
          </Field>
          <Field label="보증금" htmlFor="post-deposit">
            <WonInput id="post-deposit" name="deposit" value={draft.deposit} onChange={(v) => set('deposit', v)} placeholder="0" />
          </Field>
        </div>
        <PriceSuggestions result={suggestions} fee={draft.fee} deposit={draft.deposit}
          onFee={(v) => set('fee', v)} onDeposit={(v) => set('deposit', v)} />
        <div className="field-row">
          <Field label="1주 요금 (선택)" htmlFor="post-weekly-fee" hint="7일 단위 요금. 하루 요금의 7배보다 낮게">
            <WonInput id="post-weekly-fee" name="weeklyFee" value={draft.weeklyFee} onChange={(v) => set('weeklyFee', v)} placeholder="없음" />
          </Field>
          <Field label="한 달 요금 (선택)" htmlFor="post-monthly-fee" hint="30일 단위 요금. 하루 요금의 30배보다 낮게">
            <WonInput id="post-monthly-fee" name="monthlyFee" value={draft.monthlyFee} onChange={(v) => set('monthlyFee', v)} placeholder="없음" />
          </Field>
        </div>
        <p className="field-hint muted">오래 빌리면 하루·1주·한 달 요금 중 가장 싼 조합으로 계산돼요.</p>

        <Field label="바로 예약" hint="켜 두면 빈 날짜 요청은 내 승인 없이 바로 예약돼요. 막아 둔 날과 이미 예약된 날은 그대로 막혀요">
          <label className="check-row">
            <input type="checkbox" name="instantBooking" checked={draft.instantBooking} onChange={(e) => set('instantBooking', e.target.checked)} />
            <span>승인 없이 바로 예약 받기</span>
          </label>
        </Field>

        <Field label="취소 정책" hint="결제 후 빌리는 분이 취소할 때 대여료를 얼마나 돌려줄지 정해요. 보증금은 언제나 전액 돌려줘요">
          <div className="policy-choices" role="radiogroup" aria-label="취소 정책">
            {CANCELLATION_POLICIES.map((p) => (
              <label key={p} className={`policy-choice${draft.cancellationPolicy === p ? ' on' : ''}`}>
                <input type="radio" name="cancellationPolicy" value={p} checked={draft.cancellationPolicy === p}
                  onChange={() => set('cancellationPolicy', p)} />
                <span className="policy-name">{POLICY_TABLE[p].label}</span>
                <span className="muted policy-rules">{policyLines(p).slice(0, -1).join(' · ')}</span>
              </label>
            ))}
          </div>
        </Field>

        <Field label="받는 방법">
          <Segmented name="receiveMethod" label="받는 방법" value={draft.receiveMethod} onChange={(m) => set('receiveMethod', m)} />
        </Field>
        <Field label="돌려주는 방법">
          <Segmented name="returnMethod" label="돌려주는 방법" value={draft.returnMethod} onChange={(m) => set('returnMethod', m)} />
        </Field>
        {draft.returnMethod !== 'DIRECT' && (
          <Field label="반납 장소" htmlFor="post-return-address"
            hint="예약을 승인한 대여자에게만 보여요. 다른 사람에게는 동네 이름만 보여요. 전화번호는 적지 말고 채팅으로 알려 주세요 (선택)">
            <input id="post-return-address" name="returnAddress" value={draft.returnAddress} maxLength={200} onKeyDown={blockEnterWhileComposing}
              onChange={(e) => set('returnAddress', e.target.value)} placeholder="예) 망원역 2번 출구 앞 편의점" />
          </Field>
        )}

        <Field label={`추가 옵션 (${draft.options.length}/${MAX_OPTIONS})`} hint="함께 빌려줄 수 있는 유료 구성품 (예: 그라운드시트 +2,000원)">
          <div className="options-editor">
            {draft.options.map((o, i) => (
              <div className="option-row" key={o.key}>
                {/* name on its own line, the two amounts under it with visible captions: on a phone the
                    four-column row left the name a few characters wide and the amounts unlabelled */}
                <input className="option-name" aria-label={`옵션 ${i + 1} 이름`} value={o.name} maxLength={40} placeholder="옵션 이름 (예: 그라운드시트)"
                  onKeyDown={blockEnterWhileComposing} onChange={(e) => updateOption(o.key, { name: e.target.value })} />
                <div className="option-amount">
                  <span aria-hidden="true">하루 요금</span>
                  <WonInput aria-label={`옵션 ${i + 1} 하루 요금`} value={o.fee} placeholder="0" onChange={(v) => updateOption(o.key, { fee: v })} />
                </div>
                <div className="option-amount">
                  <span aria-hidden="true">보증금</span>
                  <WonInput aria-label={`옵션 ${i + 1} 보증금`} value={o.deposit} placeholder="0" onChange={(v) => updateOption(o.key, { deposit: v })} />
                </div>
                <button type="button" className="icon-btn option-remove" aria-label={`옵션 ${i + 1} 삭제`}
                  onClick={() => set('options', draft.options.filter((x) => x.key !== o.key))}>
                  <CloseIcon size={18} />
                </button>
              </div>
            ))}
            {draft.options.length < MAX_OPTIONS && (
              <button type="button" className="btn btn-ghost btn-small"
                onClick={() => set('options', [...draft.options, { key: optionKey(), name: '', fee: '', deposit: '' }])}>
                <PlusIcon size={16} /> 옵션 추가
              </button>
            )}
          </div>
        </Field>

        <Field label="설명" htmlFor="post-content">
          <textarea id="post-content" name="content" rows={7} value={draft.content} maxLength={5000} onChange={(e) => set('content', e.target.value)}
            placeholder="물건 상태, 구성품, 사용 팁, 주의할 점을 적어 주세요" />
        </Field>

        <Field label={`빌려줄 수 없는 날 (${draft.blockedDates.filter((d) => d >= seoulDate()).length}일)`} hint="날짜를 눌러 막거나 풀 수 있어요">
          <Calendar marked={blocked} legend="막은 날"
            onDayClick={(day) => set('blockedDates', blocked.has(day) ? draft.blockedDates.filter((d) => d !== day) : [...draft.blockedDates, day])} />
        </Field>

        <div className="form-footer">
          {problem && <p className="form-error" role="alert">{problem}</p>}
          <FormError error={save.error} />
          {progress !== null && (
            <ProgressBar value={progress} label={progress < 1 ? '사진 올리는 중' : '저장하는 중'} />
          )}
          <button type="submit" className="btn btn-primary btn-block btn-large" disabled={save.isPending}>
            {save.isPending ? '저장 중…' : editId ? '수정 완료' : `등록하기${draft.fee ? ` · ${won(toWon(draft.fee) || 0)}/일` : ''}`}
          </button>
        </div>
      </form>
    </div>
  );
}

function Field({ label, hint, htmlFor, children }: { label: string; hint?: string; htmlFor?: string; children: ReactNode }) {
  return (
    <div className="field">
      {htmlFor ? <label className="field-label" htmlFor={htmlFor}>{label}</label> : <span className="field-label">{label}</span>}
      {children}
      {hint && <span className="field-hint muted">{hint}</span>}
    </div>
  );
}

function WonInput({ value, onChange, ...rest }: { value: string; onChange: (v: string) => void; id?: string; name?: string; placeholder?: string; 'aria-label'?: string }) {
  return (
    <div className="won-input">
      <input type="text" inputMode="numeric" value={value === '' ? '' : Number(value).toLocaleString('ko-KR')} maxLength={11} {...rest}
        onChange={(e) => onChange(e.target.value.replace(/[^\d]/g, '').replace(/^0+(?=\d)/, '').slice(0, 9))}
        onKeyDown={blockEnterWhileComposing} />
      <span>원</span>
    </div>
  );
}

/** `name` is the form field (English, never shown); `label` is what screen readers announce. */
function Segmented({ name, label, value, onChange }: { name: string; label: string; value: Method; onChange: (m: Method) => void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {METHODS.map((m) => (
        <label key={m} className={value === m ? 'on' : ''}>
          <input type="radio" name={name} value={m} checked={value === m} onChange={() => onChange(m)} />
          {m === 'ANY' ? '모두 가능' : METHOD_LABELS[m]}
        </label>
      ))}
    </div>
  );
}

/** Where the listing shows on maps of distance: one of my 동네 (none set → a link to set one). */
function NeighbourhoodField({ value, onChange }: { value: string | undefined; onChange: (code: string | undefined) => void }) {
  const { data: hoods } = useMyNeighbourhoods();
  if (!hoods) return null;
  if (!hoods.length) {
    return (
      <Field label="거래 동네" hint="동네를 정하면 가까운 이웃에게 거리와 함께 보여요">
        <Link to="/my/neighbourhoods" className="btn btn-small">내 동네 설정하기</Link>
      </Field>
    );
  }
  return (
    <Field label="거래 동네" htmlFor="post-neighbourhood" hint="정확한 주소 대신 동네 이름과 대략적인 거리만 보여요">
      <select id="post-neighbourhood" value={value ?? hoods[0].code} onChange={(e) => onChange(e.target.value)}>
        {hoods.map((h) => <option key={h.code} value={h.code}>{h.name}{h.verified ? ' (인증)' : ''}</option>)}
      </select>
    </Field>
  );
}
