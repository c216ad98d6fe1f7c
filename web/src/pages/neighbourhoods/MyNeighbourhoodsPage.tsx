// 내 동네: one or two 동네 (the first is the home feed's centre and the default place of new listings),
// found by name or by "현재 위치로 인증" (the browser's Geolocation API; the position is checked by the
// server against the 동's point and never stored). Also the list of members I blocked.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage, isApiError } from '../../api/client.ts';

/** Server problems carry their Korean detail; the geolocation refusal is our own Korean Error. */
const explain = (e: unknown) => (!isApiError(e) && e instanceof Error ? e.message : errorMessage(e));
import {
  currentPosition, nearestNeighbourhood, searchNeighbourhoods, useBlock, useBlocks, useMyNeighbourhoods,
  useSetNeighbourhoods, useVerifyNeighbourhood, type Neighbourhood,
} from '../../api/neighbourhoods.ts';
import { blockEnterWhileComposing } from '../../lib/ime.ts';
import { PageHeader, Spinner, useDocumentTitle } from '../../components/ui.tsx';

export function MyNeighbourhoodsPage() {
  useDocumentTitle('내 동네');
  const mine = useMyNeighbourhoods();
  const setHoods = useSetNeighbourhoods();
  const verify = useVerifyNeighbourhood();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Neighbourhood[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [locating, setLocating] = useState(false);
  const items = mine.data ?? [];

  useEffect(() => {
    const text = q.trim();
    if (!text) return setFound([]);
    const ctrl = new AbortController();
    const t = setTimeout(() => searchNeighbourhoods(text, ctrl.signal).then(setFound).catch(() => {}), 200);
    return () => { clearTimeout(t); ctrl.abort(); };
  }, [q]);

  const save = async (codes: string[]) => {
    setMessage(null);
    try {
      await setHoods.mutateAsync(codes);
    } catch (e) {
      setMessage({ ok: false, text: explain(e) });
    }
  };
  const add = (n: Neighbourhood) => {
    setQ('');
    // a third 동네 replaces the second
    void save([...items.map((i) => i.code).filter((c) => c !== n.code).slice(0, 1), n.code].slice(0, 2));
  };

  /** 현재 위치로 인증: the nearest 동 becomes (or stays) my first 동네, then the server checks the distance. */
  const verifyHere = async () => {
    setMessage(null);
    setLocating(true);
    try {
      const pos = await currentPosition();
      const { neighbourhood } = await nearestNeighbourhood(pos.lat, pos.lng);
      if (!items.some((i) => i.code === neighbourhood.code)) {
        await setHoods.mutateAsync([neighbourhood.code, ...items.map((i) => i.code)].slice(0, 2));
      }
      await verify.mutateAsync({ ...pos, code: neighbourhood.code });
      setMessage({ ok: true, text: `${neighbourhood.name} 동네 인증을 마쳤어요 (30일 동안 유지돼요)` });
    } catch (e) {
      setMessage({ ok: false, text: explain(e) });
    } finally {
      setLocating(false);
    }
  };

  return (
    <div className="page">
      <PageHeader title="내 동네" />
      <p className="muted">동네는 최대 2곳까지 정할 수 있어요. 첫 번째 동네를 기준으로 가까운 물건을 보여 드려요.</p>
      {mine.isPending ? <Spinner /> : (
        <ul className="hood-list" data-testid="my-hoods">
          {items.map((h, i) => (
            <li key={h.code} className="hood-item">
              <div>
                <strong>{h.name}</strong>
                {h.verified ? <span className="badge badge-verified">인증</span> : <span className="muted"> 미인증</span>}
                {i === 0 && <span className="muted"> · 기본</span>}
                <div className="muted small">{h.fullName}</div>
              </div>
              <span className="hood-actions">
                {i > 0 && <button type="button" className="btn btn-small" onClick={() => save([h.code, items[0].code])}>기본으로</button>}
                {items.length > 1 && (
                  <button type="button" className="btn btn-small" onClick={() => save(items.filter((x) => x.code !== h.code).map((x) => x.code))}>삭제</button>
                )}
              </span>
            </li>
          ))}
          {!items.length && <li className="muted">아직 동네를 정하지 않았어요.</li>}
        </ul>
      )}
      <button type="button" className="btn btn-primary btn-block" onClick={verifyHere} disabled={locating}>
        {locating ? '위치 확인 중…' : '현재 위치로 인증'}
      </button>
      {message && <p className={message.ok ? 'notice' : 'form-error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}

      <label className="field-label" htmlFor="hood-search">동네 이름으로 찾기</label>
      <input id="hood-search" value={q} maxLength={30} onKeyDown={blockEnterWhileComposing} placeholder="예) 망원동, 판교동"
        onChange={(e) => setQ(e.target.value)} />
      {found.length > 0 && (
        <ul className="hood-results">
          {found.map((n) => (
            <li key={n.code}><button type="button" className="link-button" onClick={() => add(n)}>{n.fullName}</button></li>
          ))}
        </ul>
      )}
      <Blocks />
      <p className="muted small">행정동 경계·중심점: vuski/admdongkor (통계청 SGIS 기반)</p>
    </div>
  );
}

function Blocks() {
  const blocks = useBlocks();
  const unblock = useBlock();
  if (!blocks.data?.length) return null;
  return (
    <section className="detail-section">
      <h2>차단한 회원</h2>
      <ul className="hood-list">
        {blocks.data.map((b) => (
          <li key={b.id} className="hood-item">
            <Link to={`/members/${b.id}`}>{b.nickname}</Link>
            <button type="button" className="btn btn-small" onClick={() => unblock.mutate({ id: b.id, block: false })}>차단 해제</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
