// A listing: photos, owner, price, options, methods, unavailable dates; owner can edit/delete.
// Later capabilities add sections here (booking calendar, reviews, similar listings, chat button).
import { Place, Rating, TrustFacts, TrustScore } from '../../components/Trust.tsx';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { errorMessage, isApiError } from '../../api/client.ts';
import { useMe } from '../../api/members.ts';
import { useWatchDates } from '../../api/alerts.ts';
import { useDeletePost, usePost, usePostControl, useSetFavorite, useUnavailableDates, type PostDetail } from '../../api/posts.ts';
import { BookingPanel } from '../../components/BookingPanel.tsx';
import { CancellationPolicyNote } from '../../components/RequestFields.tsx';
import { Calendar } from '../../components/Calendar.tsx';
import { ChatButton } from '../../components/ChatButton.tsx';
import { ReportButton } from '../../components/ReportDialog.tsx';
import { ReviewsSection } from '../../components/Reviews.tsx';
import { SimilarPosts } from '../../components/SimilarPosts.tsx';
import { HeartIcon, PinIcon } from '../../components/Icons.tsx';
import { ImageGallery } from '../../components/ImageGallery.tsx';
import { Avatar, EmptyState, ErrorBox, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { dateRuns, methodLabel, relativeTime, shortDateRange, won } from '../../lib/format.ts';

export function PostDetailPage() {
  const id = Number(useParams().id);
  const { data: post, isPending, error, refetch } = usePost(id);
  useDocumentTitle(post?.title);

  if (isPending) return <Spinner />;
  if (error) {
    if (isApiError(error, 404) || isApiError(error, 400)) {
      return (
        <div className="page">
          <EmptyState title="게시글을 찾을 수 없어요" action={<Link className="btn btn-primary" to="/">다른 물건 보기</Link>}>
            삭제되었거나 볼 수 없는 게시글이에요.
          </EmptyState>
        </div>
      );
    }
    return <div className="page"><ErrorBox error={error} onRetry={() => refetch()} /></div>;
  }
  return <PostDetailView post={post} />;
}

function PostDetailView({ post }: { post: PostDetail }) {
  return (
    <article className="page detail-page">
      <div className="detail-layout">
        <div className="detail-media">
          <ImageGallery images={post.images} title={post.title} />
        </div>
        <div className="detail-main">
          <OwnerRow post={post} />
          <header className="detail-head">
            {post.banned && <p className="badge badge-danger">관리자에 의해 정지된 게시글입니다</p>}
            {!post.banned && post.paused && <p className="badge badge-soft" data-testid="paused-badge">숨김 · 목록과 검색에 보이지 않아요</p>}
            <h1 className="detail-title">{post.title}</h1>
            <p className="detail-meta">
              <Link to={`/search?category=${post.category.id}`}>{post.categoryPath.map((c) => c.name).join(' › ')}</Link>
              <span>·</span>
              <span>{relativeTime(post.createdAt)}</span>
              {post.favoriteCount > 0 && <><span>·</span><span>관심 {post.favoriteCount}</span></>}
            </p>
          </header>
          <div className="price-box">
            <div><span className="price-label">하루 대여료</span><strong className="price-value">{won(post.fee)}</strong></div>
            {post.weeklyFee !== null && <div data-testid="weekly-fee"><span className="price-label">1주 (7일)</span><strong>{won(post.weeklyFee)}</strong></div>}
            {post.monthlyFee !== null && <div data-testid="monthly-fee"><span className="price-label">한 달 (30일)</span><strong>{won(post.monthlyFee)}</strong></div>}
            <div><span className="price-label">보증금</span><strong>{won(post.deposit)}</strong></div>
          </div>
          {(post.weeklyFee !== null || post.monthlyFee !== null) && (
            <p className="muted">여러 날 빌리면 하루·1주·한 달 요금 중 가장 싼 조합으로 계산해요.</p>
          )}
          <p className="detail-content">{post.content}</p>
          <Section title="거래 지역">
            <ul className="region-list">
              {post.regions.map((r) => (
                <li key={r.id}><PinIcon size={16} /> {r.parentName ? `${r.parentName} ${r.name}` : r.name}</li>
              ))}
            </ul>
          </Section>
          <Section title="받는 방법 · 돌려주는 방법">
            <dl className="kv">
              <dt>받는 방법</dt><dd>{methodLabel(post.receiveMethod)}</dd>
              <dt>돌려주는 방법</dt><dd>{methodLabel(post.returnMethod)}</dd>
              {post.returnAddress && <><dt>반납 주소</dt><dd>{post.returnAddress}</dd></>}
            </dl>
          </Section>
          {/* others read it in the booking box, right above the button */}
          {post.isOwner && (
            <Section title="취소 정책">
              <CancellationPolicyNote policy={post.cancellation} />
            </Section>
          )}
          {post.options.length > 0 && (
            <Section title="추가 옵션">
              <ul className="option-list">
                {post.options.map((o) => (
                  <li key={o.id}>
                    <span className="option-name">{o.name}</span>
                    <span className="option-price">+{won(o.fee)}/일{o.deposit > 0 && ` · 보증금 +${won(o.deposit)}`}</span>
                  </li>
                ))}
              </ul>
            </Section>
          )}
          {post.isOwner && <OwnerControls post={post} />}
          {post.isOwner && <Availability postId={post.id} />}
          <BookingPanel post={post} />
          {!post.isOwner && !post.banned && <DateAlertForm postId={post.id} />}
          <ReviewsSection target="posts" id={post.id} />
          <SimilarPosts postId={post.id} />
          {!post.isOwner && <p className="detail-report"><ReportButton targetType="POST" targetId={post.id} className="link-btn" /></p>}
        </div>
      </div>
      <ActionBar post={post} />
    </article>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="detail-section">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function OwnerRow({ post }: { post: PostDetail }) {
  return (
    <Link to={`/members/${post.owner.id}`} className="owner-row" data-testid="owner-link">
      <Avatar url={post.owner.avatarUrl} name={post.owner.nickname} size={44} />
      <div>
        <strong>{post.owner.nickname}</strong>
        <span className="muted">
          {post.neighbourhood ? <Place place={post.neighbourhood} /> : post.regions[0] ? `${post.regions[0].parentName ?? ''} ${post.regions[0].name}`.trim() : ''}
        </span>
        <span className="owner-trust"><Rating rating={post.owner.rating} count={post.owner.reviewCount} /> <TrustFacts trust={post.owner.trust} /></span>
      </div>
      <TrustScore trust={post.owner.trust} />
    </Link>
  );
}

/** 숨기기 / 끌어올리기, and for a banned listing its reason and the 재검토 요청. */
function OwnerControls({ post }: { post: PostDetail }) {
  const control = usePostControl(post.id);
  const [message, setMessage] = useState('');
  const bumpWait = post.nextBumpAt && new Date(post.nextBumpAt).getTime() > Date.now() ? post.nextBumpAt : null;
  if (post.banned) {
    return (
      <Section title="정지된 게시글">
        <p data-testid="ban-reason">정지 사유: {post.banReason || '운영 정책 위반'}</p>
        <p className="muted">내용을 고친 뒤 재검토를 요청하면 관리자가 다시 확인해요.</p>
        {post.reviewRequested ? (
          <p className="badge badge-soft">재검토 요청을 보냈어요</p>
        ) : (
          <form className="review-request" onSubmit={(e) => { e.preventDefault(); control.mutate({ kind: 'review-request', message }); }}>
            <label htmlFor="review-message">관리자에게 남길 말 (선택)</label>
            <textarea id="review-message" maxLength={500} value={message} onChange={(e) => setMessage(e.target.value)} />
            <button type="submit" className="btn btn-primary" disabled={control.isPending}>재검토 요청</button>
          </form>
        )}
        {control.error && <p className="form-error" role="alert">{errorMessage(control.error)}</p>}
      </Section>
    );
  }
  return (
    <Section title="게시글 관리">
      <div className="action-buttons">
        <button type="button" className="btn btn-ghost" disabled={control.isPending}
          onClick={() => control.mutate({ kind: post.paused ? 'resume' : 'pause' })}>
          {post.paused ? '다시 보이기' : '숨기기'}
        </button>
        <button type="button" className="btn btn-ghost" disabled={control.isPending || post.paused || !!bumpWait}
          onClick={() => control.mutate({ kind: 'bump' })}>끌어올리기</button>
      </div>
      <p className="muted">
        {post.paused ? '숨긴 동안에는 목록·검색에 보이지 않고 새 예약을 받지 않아요. 진행 중인 예약은 그대로예요.'
          : bumpWait ? `${relativeTime(post.bumpedAt!)} 끌어올렸어요. 3일에 한 번 할 수 있어요.` : '끌어올리면 최신순 맨 위에 보여요 (3일에 한 번).'}
      </p>
      {control.error && <p className="form-error" role="alert">{errorMessage(control.error)}</p>}
    </Section>
  );
}

/** 빈 날짜 알림: tell me once when these (now taken) dates become free. */
function DateAlertForm({ postId }: { postId: number }) {
  const { data: me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const watch = useWatchDates(postId);
  const [startDate, setStart] = useState('');
  const [endDate, setEnd] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!me) return navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    watch.mutate({ startDate, endDate: endDate || startDate });
  };
  return (
    <Section title="빈 날짜 알림">
      <p className="muted">원하는 날짜가 예약되어 있으면, 비는 순간 알려 드려요.</p>
      <form className="date-alert-form" onSubmit={submit}>
        <label>시작일 <input type="date" required value={startDate} onChange={(e) => setStart(e.target.value)} /></label>
        <label>종료일 <input type="date" value={endDate} min={startDate} onChange={(e) => setEnd(e.target.value)} /></label>
        <button type="submit" className="btn btn-ghost" disabled={watch.isPending || !startDate}>빈 날짜 알림</button>
      </form>
      {watch.isSuccess && <p role="status">날짜가 비면 알려 드릴게요. <Link to="/alerts">알림 설정</Link></p>}
      {watch.error && <p className="form-error" role="alert">{errorMessage(watch.error)}</p>}
    </Section>
  );
}

function Availability({ postId }: { postId: number }) {
  const { data, isPending, error } = useUnavailableDates(postId);
  const marked = useMemo(() => new Set(data?.dates ?? []), [data]);
  const runs = dateRuns(data?.dates ?? []);
  return (
    <Section title="대여 불가 날짜">
      {isPending ? <Spinner /> : error ? <ErrorBox error={error} /> : (
        <>
          {runs.length === 0 ? (
            <p className="muted">앞으로 1년 동안 막힌 날짜가 없어요.</p>
          ) : (
            <p className="unavailable-summary" data-testid="unavailable-summary">
              {runs.slice(0, 6).map((r) => shortDateRange(r.start, r.end)).join(', ')}
              {runs.length > 6 && ` 외 ${runs.length - 6}건`}
            </p>
          )}
          <Calendar marked={marked} legend="대여 불가" />
        </>
      )}
    </Section>
  );
}

function ActionBar({ post }: { post: PostDetail }) {
  const { data: me } = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const favorite = useSetFavorite(post.id);
  const remove = useDeletePost();

  const onFavorite = () => {
    if (!me) return navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
    favorite.mutate(!post.isFavorite);
  };
  const onDelete = () => {
    if (!window.confirm('이 게시글을 삭제할까요? 삭제하면 되돌릴 수 없어요.')) return;
    remove.mutate(post.id, {
      onSuccess: () => navigate('/my', { replace: true }),
      onError: (e) => window.alert(errorMessage(e)),
    });
  };

  return (
    <div className="action-bar">
      {!post.isOwner && (
        <button type="button" className={`fav-btn${post.isFavorite ? ' on' : ''}`} onClick={onFavorite}
          aria-pressed={post.isFavorite} aria-label={post.isFavorite ? '찜 해제' : '찜하기'} disabled={favorite.isPending}>
          <HeartIcon filled={post.isFavorite} />
        </button>
      )}
      <div className="action-price">
        <p><strong>{won(post.fee)}</strong><span className="muted"> / 일</span></p>
        <span className="muted action-deposit">보증금 {won(post.deposit)}</span>
      </div>
      {post.isOwner ? (
        <div className="action-buttons">
          <button type="button" className="btn btn-ghost" onClick={onDelete} disabled={remove.isPending}>삭제</button>
          <Link to={`/posts/${post.id}/edit`} className="btn btn-primary">수정하기</Link>
        </div>
      ) : (
        <>
          {favorite.error && <span className="form-error">{errorMessage(favorite.error)}</span>}
          {!post.banned && <ChatButton postId={post.id} />}
          {!post.banned && !post.paused && (
            <button type="button" className="btn btn-primary"
              onClick={() => document.getElementById('booking')?.scrollIntoView({ behavior: 'smooth', block: 'start' })}>예약하기</button>
          )}
        </>
      )}
    </div>
  );
}
