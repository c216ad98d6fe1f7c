// The chat tab. Rooms and live messages arrive with the chat capability; until then it says so plainly.
import { Link } from 'react-router';
import { EmptyState, PageHeader, useDocumentTitle } from '../../components/ui.tsx';

export function ChatListPage() {
  useDocumentTitle('채팅');
  return (
    <div className="page">
      <PageHeader title="채팅" back={false} />
      <EmptyState title="채팅은 곧 열려요" action={<Link className="btn btn-primary" to="/">물건 둘러보기</Link>}>
        빌리고 싶은 물건을 찾으면 빌려주는 이웃과 바로 대화할 수 있게 준비하고 있어요.
      </EmptyState>
    </div>
  );
}
