// Every page of the app. A new capability adds its routes here (reservations, chat, notifications, admin).
import { createBrowserRouter, Navigate, ScrollRestoration, Outlet } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { RequireAuth } from './components/ui.tsx';
import { HomePage } from './pages/home/HomePage.tsx';
import { SearchPage } from './pages/search/SearchPage.tsx';
import { PostDetailPage } from './pages/posts/PostDetailPage.tsx';
import { PostFormPage } from './pages/posts/PostFormPage.tsx';
import { LoginPage } from './pages/auth/LoginPage.tsx';
import { SignUpPage } from './pages/auth/SignUpPage.tsx';
import { MyPage } from './pages/my/MyPage.tsx';
import { MemberProfilePage } from './pages/members/MemberProfilePage.tsx';
import { ChatListPage } from './pages/chat/ChatListPage.tsx';
import { ChatRoomPage } from './pages/chat/ChatRoomPage.tsx';
import { NotificationsPage } from './pages/notifications/NotificationsPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { ReservationsPage } from './pages/reservations/ReservationsPage.tsx';
import { ReservationDetailPage } from './pages/reservations/ReservationDetailPage.tsx';
import { AdminLayout } from './pages/admin/AdminLayout.tsx';
import { AdminReportsPage } from './pages/admin/AdminReportsPage.tsx';
import { AdminBansPage } from './pages/admin/AdminBansPage.tsx';
import { AdminJobsPage } from './pages/admin/AdminJobsPage.tsx';
import { AdminCatalogPage } from './pages/admin/AdminCatalogPage.tsx';

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
          { path: 'my', element: <RequireAuth><MyPage /></RequireAuth> },
          { path: 'members/:id', element: <MemberProfilePage /> },
          { path: 'chats', element: <RequireAuth><ChatListPage /></RequireAuth> },
          { path: 'chats/:id', element: <RequireAuth><ChatRoomPage /></RequireAuth> },
          { path: 'notifications', element: <RequireAuth><NotificationsPage /></RequireAuth> },
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
