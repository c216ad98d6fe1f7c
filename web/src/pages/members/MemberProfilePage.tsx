// A member's public profile and their listings. (Reviews received join here with the reviews capability.)
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { useMe, useMember } from '../../api/members.ts';
import { usePostList } from '../../api/posts.ts';
import { PostList } from '../../components/PostList.tsx';
import { ReportButton } from '../../components/ReportDialog.tsx';
import { ReviewsSection } from '../../components/Reviews.tsx';
import { Avatar, EmptyState, ErrorBox, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { koreanDayOf } from '../../lib/format.ts';

export function MemberProfilePage() {
  const id = Number(useParams().id);
  const { data: member, isPending, error, refetch } = useMember(id);
  const { data: me } = useMe();
  const posts = usePostList({ authorId: id, sort: 'newest' });
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
          {member.banned && <p className="badge badge-danger">이용이 제한된 회원입니다</p>}
        </div>
        {me?.id === member.id ? <Link to="/my?tab=profile" className="btn btn-small">프로필 수정</Link>
          : <ReportButton targetType="MEMBER" targetId={member.id} />}
      </section>
      <h2 className="section-title">{member.nickname}님이 빌려주는 물건</h2>
      <PostList query={posts} empty={<EmptyState title="아직 빌려주는 물건이 없어요" />} />
      <ReviewsSection target="members" id={member.id} title="받은 후기" />
    </div>
  );
}
