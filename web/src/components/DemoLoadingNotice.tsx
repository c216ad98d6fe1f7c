// First embedded start: the server listens at once and seeds the demo listings behind it (/readyz says
// checks.demo = 'loading'). Say so on the home feed, and refresh the feed when the data is there.
import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { postKeys } from '../api/posts.ts';

interface Readiness {
  checks?: { demo?: 'loading' | 'ready' | 'failed' };
}

export function DemoLoadingNotice() {
  const queryClient = useQueryClient();
  const { data } = useQuery({
    queryKey: ['readyz'],
    queryFn: async (): Promise<Readiness> => (await fetch('/readyz')).json(),
    refetchInterval: (q) => (q.state.data?.checks?.demo === 'loading' ? 1500 : false),
    staleTime: Infinity,
  });
  const state = data?.checks?.demo;
  useEffect(() => {
    if (state === 'ready') void queryClient.invalidateQueries({ queryKey: postKeys.all });
  }, [state, queryClient]);
  if (state !== 'loading') return null;
  return (
    <p className="demo-loading" role="status" data-testid="demo-loading">
      체험용 데모 데이터를 준비하고 있어요. 잠시 후 이웃들의 물건이 나타나요…
    </p>
  );
}
