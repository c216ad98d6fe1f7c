// An infinite, cursor-paged list of listings with its loading, empty and error states.
import type { ReactNode } from 'react';
import type { UseInfiniteQueryResult, InfiniteData } from '@tanstack/react-query';
import { flattenPages, type PostPage } from '../api/posts.ts';
import { PostGrid } from './PostCard.tsx';
import { EmptyState, ErrorBox, LoadMore, Spinner } from './ui.tsx';

export function PostList({ query, empty }: {
  query: UseInfiniteQueryResult<InfiniteData<PostPage>>;
  empty: ReactNode;
}) {
  if (query.isPending) return <Spinner />;
  if (query.isError && !query.data) return <ErrorBox error={query.error} onRetry={() => query.refetch()} />;
  const posts = flattenPages(query.data);
  if (posts.length === 0) return <>{empty ?? <EmptyState title="등록된 물건이 없어요" />}</>;
  return (
    <>
      <PostGrid posts={posts} />
      <LoadMore
        hasMore={!!query.hasNextPage}
        loading={query.isFetchingNextPage}
        onVisible={() => {
          if (!query.isFetchingNextPage) void query.fetchNextPage();
        }}
      />
    </>
  );
}
