// An infinite, cursor-paged list of listings with its loading, empty and error states.
import type { ReactNode } from 'react';
import type { UseInfiniteQueryResult, InfiniteData } from '@tanstack/react-query';
import { pageItems } from '../api/paging.ts';
import type { PostPage } from '../api/posts.ts';
import { PostGrid } from './PostCard.tsx';
import { EmptyState, ErrorBox, LoadMore, Spinner } from './ui.tsx';

export function PostList({ query, empty }: {
  query: UseInfiniteQueryResult<InfiniteData<PostPage>>;
  empty: ReactNode;
}) {
  if (query.isPending) return <Spinner />;
  if (query.isError && !query.data) return <ErrorBox error={query.error} onRetry={() => query.refetch()} />;
  const posts = pageItems(query.data);
  if (posts.length === 0) return <>{empty ?? <EmptyState title="등록된 물건이 없어요" />}</>;
  return (
    <>
      <PostGrid posts={posts} />
      <LoadMore query={query} />
    </>
  );
}
