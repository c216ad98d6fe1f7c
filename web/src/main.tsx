import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { isApiError } from './api/client.ts';
import { seedFirstData } from './api/first-data.ts';
import { memberKeys } from './api/members.ts';
import { router } from './routes.tsx';
import { RealtimeProvider } from './realtime/RealtimeProvider.tsx';
import './styles.css';

// A 401 anywhere means the session ended (logout elsewhere, ban, expiry): show the app as a guest.
const onError = (error: unknown) => {
  if (isApiError(error, 401)) queryClient.setQueryData(memberKeys.me, null);
};

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // 4xx answers are final; retry only network trouble and server faults, once
      retry: (count, error) => count < 1 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
  },
});

seedFirstData(queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RealtimeProvider>
        <RouterProvider router={router} />
      </RealtimeProvider>
    </QueryClientProvider>
  </StrictMode>,
);
