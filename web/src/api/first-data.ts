// The answers the server put into index.html with the first paint (server/src/http/first-paint.ts,
// FirstData): into the query cache before the app renders, so the page shows them at once and does
// not ask the API for them again (they count as fresh for the queries' usual staleTime).
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { FirstData } from '../../../server/src/http/first-paint.ts';
import { memberKeys } from './members.ts';
import { placeFeed, postKeys, type PostPage } from './posts.ts';

export function seedFirstData(queryClient: QueryClient) {
  const block = document.getElementById('first-data'); // FIRST_DATA_ID there
  if (!block?.textContent) return;
  block.remove(); // once: a later render must not seed stale answers
  let data: FirstData;
  try {
    data = JSON.parse(block.textContent);
  } catch {
    return; // a damaged block only costs the requests it would have saved
  }
  if (data.me !== undefined) queryClient.setQueryData(memberKeys.me, data.me);
  if (data.feed) {
    queryClient.setQueryData<InfiniteData<PostPage, string | undefined>>(postKeys.list(placeFeed()), {
      pages: [data.feed],
      pageParams: [undefined],
    });
  }
  if (data.post) queryClient.setQueryData(postKeys.detail(data.post.id), data.post);
}
