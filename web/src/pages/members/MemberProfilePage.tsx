// A member's public profile: trust, 동네, the reviews received both ways (as lender and as borrower),
// then a bounded section of their listings with 더 보기 (issue 12: reviews no longer sit below an endless list).
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { pageItems } from '../../api/paging.ts';
import { PostGrid } from '../../components/PostCard.tsx';
import { isApiError } from '../../api/client.ts';
import { useMe, useMember } from '../../api/members.ts';
import { usePostList } from '../../api/posts.ts';
import { PostList } from '../../components/PostList.tsx';
import { ReportButton } from '../../components/ReportDialog.tsx';
import { BorrowerReviewsSection, ReviewsSection } from '../../components/Reviews.tsx';
import { Avatar, EmptyState, ErrorBox, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { koreanDayOf } from '../../lib/format.ts';
import { TrustFacts, TrustScore } from '../../components/Trust.tsx';
import { useBlock } from '../../api/neighbourhoods.ts';

/** 차단: hides each other's listings and refuses new chats and requests between us. */
function BlockButton({ memberId, nickname, blocked }: { memberId: number; nickname: string; blocked: boolean }) {
  const block = useBlock();
  const toggle = () => {
    if (!blocked && !window.confirm(`${nickname}님을 차단할까요? 서로의 물건이 보이지 않고, 새 채팅과 예약 요청을 할 수 없어요.`)) return;
    block.mutate({ id: memberId, block: !blocked });
  };
  return (
    <button type="button" className="btn btn-small" onClick={toggle} disabled={block.isPending} data-testid="block-button">
      {blocked ? '차단 해제' : '차단하기'}
    </button>
  );
}

/** How many listings the profile shows before 더 보기. */
const FIRST_LISTINGS = 6;

/** The first few listings and a 더 보기 button that opens the full, paged list. */
function FirstListings({ query, onMore }: { query: ReturnType<typeof usePostList>; onMore: () => void }) {
  if (query.isPending) return <Spinner />;
  if (query.isError && !query.data) return <ErrorBox error={query.error} onRetry={() => query.refetch()} />;
  const posts = pageItems(query.data);
  if (posts.length === 0) return <EmptyState title="아직 빌려주는 물건이 없어요" />;
  return (
    <>
      <PostGrid posts={posts.slice(0, FIRST_LISTINGS)} />
      {(posts.length > FIRST_LISTINGS || query.hasNextPage) && (
        <button type="button" className="btn btn-block" onClick={onMore} data-testid="profile-more-listings">더 보기</button>
      )}
    </>
  );
}

export function MemberProfilePage() {
  const id = Number(useParams().id);
  const { data: member, isPending, error, refetch } = useMember(id);
  const { data: me } = useMe();
  const posts = usePostList({ authorId: id, sort: 'newest' });
  const [showAll, setShowAll] = useState(false);
  useDocumentTitle(member ? `${member.nickname}님의 프로필` : undefined);

  if (isPending) return <Spinner />;
  if (error) {
    if (isApiError(error, 404) || isApiError(error, 400)) {
      return <div className="page"><EmptyState title="회원을 찾을 수 없어요" action={<Link className="btn" to="/">홈으로</Link>} /></div>;
    }
    return <div className="page"><ErrorBox error={error} onRetry={() => refetch()} /></div>;
  }

  return (
    <div className="page">
      <section className="profile-head">
        <Avatar url={member.avatarUrl} name={member.nickname} size={72} />
        <div className="profile-head-text">
          <h1>{member.nickname}</h1>
          <p className="muted">
            {member.region ? `${member.region.name} · ` : ''}{koreanDayOf(member.createdAt)} 가입
          </p>
          {member.neighbourhoods.length > 0 && (
            <p className="profile-hoods">
              {member.neighbourhoods.map((h) => (
                <span key={h.code} className="chip">{h.name}{h.verified && <span className="badge badge-verified">인증</span>}</span>
              ))}
            </p>
          )}
          <p className="profile-trust"><TrustScore trust={member.trust} /> <TrustFacts trust={member.trust} /></p>
          {member.banned && <p className="badge badge-danger">이용이 제한된 회원입니다</p>}
        </div>
        {me?.id === member.id ? <Link to="/my?tab=profile" className="btn btn-small">프로필 수정</Link>
          : (
            <span className="profile-actions">
              <ReportButton targetType="MEMBER" targetId={member.id} />
              {me && <BlockButton memberId={member.id} nickname={member.nickname} blocked={member.blockedByMe} />}
            </span>
          )}
      </section>
      <ReviewsSection target="members" id={member.id} title="빌려준 물건에 받은 후기" />
      <BorrowerReviewsSection memberId={member.id} title="빌린 사람으로 받은 후기" />
      <h2 className="section-title">{member.nickname}님이 빌려주는 물건</h2>
      {showAll ? <PostList query={posts} empty={<EmptyState title="아직 빌려주는 물건이 없어요" />} /> : <FirstListings query={posts} onMore={() => setShowAll(true)} />}
    </div>
  );
}
