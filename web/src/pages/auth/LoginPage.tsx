import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useLogin, useMe } from '../../api/members.ts';
import { FormError, useDocumentTitle } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';

/** Only same-site paths are followed after login (no open redirect). */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  useDocumentTitle('로그인');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { data: me } = useMe();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (me && !login.isSuccess) return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password }, { onSuccess: () => navigate(next, { replace: true }) });
  };

  return (
    <div className="page auth-page">
      <div className="auth-card">
        <h1 className="auth-title">반가워요!</h1>
        <p className="auth-sub">취밋에서 이웃과 물건을 나눠 써요</p>
        <form onSubmit={submit} className="form">
          <div className="field">
            <label className="field-label" htmlFor="login-email">이메일</label>
            <input id="login-email" type="email" autoComplete="email" required value={email}
              onChange={(e) => setEmail(e.target.value)} onKeyDown={blockEnterWhileComposing} placeholder="example@chwimeet.kr" />
          </div>
          <div className="field">
            <label className="field-label" htmlFor="login-password">비밀번호</label>
            <input id="login-password" type="password" autoComplete="current-password" required value={password}
              onChange={(e) => setPassword(e.target.value)} placeholder="8자 이상" />
          </div>
          <p className="auth-forgot"><Link to="/forgot-password">비밀번호를 잊으셨나요?</Link></p>
          <FormError error={login.error} />
          <button type="submit" className="btn btn-primary btn-block btn-large" disabled={login.isPending}>
            {login.isPending ? '로그인 중…' : '로그인'}
          </button>
        </form>
        <p className="auth-switch">
          아직 회원이 아니신가요? <Link to={`/signup${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>회원가입</Link>
        </p>
      </div>
    </div>
  );
}
