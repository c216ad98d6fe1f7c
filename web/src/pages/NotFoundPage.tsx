import { Link } from 'react-router';
import { EmptyState, useDocumentTitle } from '../components/ui.tsx';

export function NotFoundPage() {
  useDocumentTitle('페이지를 찾을 수 없어요');
  return (
    <div className="page">
      <EmptyState title="페이지를 찾을 수 없어요" action={<Link className="btn btn-primary" to="/">홈으로</Link>}>
        주소가 바뀌었거나 삭제된 페이지예요.
      </EmptyState>
    </div>
  );
}
