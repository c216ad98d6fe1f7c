// Every page of the app. A new capability adds its routes here (reservations, chat, notifications, admin).
import { lazy, Suspense, type ComponentType } from 'react';
import { createBrowserRouter, Navigate, ScrollRestoration, Outlet } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { RequireAuth, Spinner } from './components/ui.tsx';
import { HomePage } from './pages/home/HomePage.tsx';

/**
 * Every page but the home feed is its own chunk, loaded when first visited, so the first load on a
 * phone fetches only what `/` needs (budget: web/test/bundle.test.ts). The layout (top bar, tabs)
 * paints at once; the page area shows a spinner while its chunk arrives.
 */
function page<K extends string>(load: () => Promise<Record<K, ComponentType<object>>>, name: K) {
  const Page = lazy(async () => ({ default: (await load())[name] as ComponentType<object> }));
  return (
    <Suspense fallback={<Spinner />}>
      <Page />
    </Suspense>
  );
}

const SearchPage = () => page(() => import('./pages/search/SearchPage.tsx'), 'SearchPage');
const PostDetailPage = () => page(() => import('./pages/posts/PostDetailPage.tsx'), 'PostDetailPage');
const PostFormPage = () => page(() => import('./pages/posts/PostFormPage.tsx'), 'PostFormPage');
const LoginPage = () => page(() => import('./pages/auth/LoginPage.tsx'), 'LoginPage');
const SignUpPage = () => page(() => import('./pages/auth/SignUpPage.tsx'), 'SignUpPage');
const ForgotPasswordPage = () => page(() => import('./pages/auth/PasswordResetPages.tsx'), 'ForgotPasswordPage');
const ResetPasswordPage = () => page(() => import('./pages/auth/PasswordResetPages.tsx'), 'ResetPasswordPage');
const VerifyEmailPage = () => page(() => import('./pages/auth/PasswordResetPages.tsx'), 'VerifyEmailPage');
const MyPage = () => page(() => import('./pages/my/MyPage.tsx'), 'MyPage');
const MyNeighbourhoodsPage = () => page(() => import('./pages/neighbourhoods/MyNeighbourhoodsPage.tsx'), 'MyNeighbourhoodsPage');
const MemberProfilePage = () => page(() => import('./pages/members/MemberProfilePage.tsx'), 'MemberProfilePage');
const ChatListPage = () => page(() => import('./pages/chat/ChatListPage.tsx'), 'ChatListPage');
const ChatRoomPage = () => page(() => import('./pages/chat/ChatRoomPage.tsx'), 'ChatRoomPage');
const NotificationsPage = () => page(() => import('./pages/notifications/NotificationsPage.tsx'), 'NotificationsPage');
const AlertsPage = () => page(() => import('./pages/alerts/AlertsPage.tsx'), 'AlertsPage');
const NotFoundPage = () => page(() => import('./pages/NotFoundPage.tsx'), 'NotFoundPage');
const ReservationsPage = () => page(() => import('./pages/reservations/ReservationsPage.tsx'), 'ReservationsPage');
const ReservationDetailPage = () => page(() => import('./pages/reservations/ReservationDetailPage.tsx'), 'ReservationDetailPage');
const AdminLayout = () => page(() => import('./pages/admin/AdminLayout.tsx'), 'AdminLayout');
const AdminReportsPage = () => page(() => import('./pages/admin/AdminReportsPage.tsx'), 'AdminReportsPage');
const AdminBansPage = () => page(() => import('./pages/admin/AdminBansPage.tsx'), 'AdminBansPage');
const AdminJobsPage = () => page(() => import('./pages/admin/AdminJobsPage.tsx'), 'AdminJobsPage');
const AdminCatalogPage = () => page(() => import('./pages/admin/AdminCatalogPage.tsx'), 'AdminCatalogPage');

function Root() {
  return (
    <>
      <ScrollRestoration />
      <Outlet />
    </>
  );
}

export const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'search', element: <SearchPage /> },
          { path: 'posts/new', element: <RequireAuth><PostFormPage /></RequireAuth> },
          { path: 'posts/:id', element: <PostDetailPage /> },
          { path: 'posts/:id/edit', element: <RequireAuth><PostFormPage /></RequireAuth> },
          { path: 'login', element: <LoginPage /> },
          { path: 'signup', element: <SignUpPage /> },
          { path: 'forgot-password', element: <ForgotPasswordPage /> },
          { path: 'reset-password', element: <ResetPasswordPage /> },
          { path: 'verify-email', element: <VerifyEmailPage /> },
          { path: 'my', element: <RequireAuth><MyPage /></RequireAuth> },
          { path: 'my/neighbourhoods', element: <RequireAuth><MyNeighbourhoodsPage /></RequireAuth> },
          { path: 'members/:id', element: <MemberProfilePage /> },
          { path: 'chats', element: <RequireAuth><ChatListPage /></RequireAuth> },
          { path: 'chats/:id', element: <RequireAuth><ChatRoomPage /></RequireAuth> },
          { path: 'notifications', element: <RequireAuth><NotificationsPage /></RequireAuth> },
          { path: 'alerts', element: <RequireAuth><AlertsPage /></RequireAuth> },
          { path: 'reservations', element: <RequireAuth><ReservationsPage /></RequireAuth> },
          { path: 'reservations/:id', element: <RequireAuth><ReservationDetailPage /></RequireAuth> },
          {
            path: 'admin',
            element: <AdminLayout />,
            children: [
              { index: true, element: <Navigate to="/admin/reports" replace /> },
              { path: 'reports', element: <AdminReportsPage /> },
              { path: 'bans', element: <AdminBansPage /> },
              { path: 'jobs', element: <AdminJobsPage /> },
              { path: 'catalog', element: <AdminCatalogPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
