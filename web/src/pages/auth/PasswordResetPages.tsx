// "비밀번호를 잊으셨나요?" (ask for a mailed link) and the page that link opens (set a new password),
// plus the page the verification link opens. Links work once, for 30 minutes (server: members/account-mail.ts).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useConfirmEmail, useRequestPasswordReset, useResetPassword } from '../../api/members.ts';
import { FormError, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';

export function ForgotPasswordPage() {
  useDocumentTitle('비밀번호 찾기');
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate(email.trim());
  };
  return (
    <div className="page auth-page">
      <div className="auth-card">
        <h1 className="auth-title">비밀번호를 잊으셨나요?</h1>
        <p className="auth-sub">가입한 이메일 주소를 알려 주시면 새 비밀번호를 정할 수 있는 링크를 보내 드려요.</p>
        {request.isSuccess ? (
          <p className="form-ok" role="status" data-testid="reset-requested">{request.data.message}</p>
        ) : (
          <form onSubmit={submit} className="form">
            <div className="field">
              <label className="field-label" htmlFor="forgot-email">이메일</label>
              <input id="forgot-email" type="email" autoComplete="email" required value={email} maxLength={200}
                onChange={(e) => setEmail(e.target.value)} onKeyDown={blockEnterWhileComposing} placeholder="example@chwimeet.kr" />
            </div>
            <FormError error={request.error} />
            <button type="submit" className="btn btn-primary btn-block btn-large" disabled={request.isPending}>
              {request.isPending ? '보내는 중…' : '재설정 링크 받기'}
            </button>
          </form>
        )}
        <p className="auth-switch"><Link to="/login">로그인으로 돌아가기</Link></p>
      </div>
    </div>
  );
}

export function ResetPasswordPage() {
  useDocumentTitle('새 비밀번호 설정');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const reset = useResetPassword();
  const [password, setPassword] = useState('');
  const [passwordAgain, setPasswordAgain] = useState('');
  const mismatch = passwordAgain.length > 0 && password !== passwordAgain;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length < 8 || mismatch) return;
    reset.mutate({ token, password });
  };
  return (
    <div className="page auth-page">
      <div className="auth-card">
        <h1 className="auth-title">새 비밀번호 설정</h1>
        {reset.isSuccess ? (
          <>
            <p className="form-ok" role="status">비밀번호를 바꿨어요. 모든 기기에서 로그아웃되었으니 새 비밀번호로 로그인해 주세요.</p>
            <p className="auth-switch"><Link to="/login">로그인하기</Link></p>
          </>
        ) : !token ? (
          <p className="form-error" role="alert">링크에 필요한 정보가 없어요. 메일의 링크를 다시 열어 주세요.</p>
        ) : (
          <form onSubmit={submit} className="form">
            <p className="auth-sub">이 링크는 30분 동안 한 번만 쓸 수 있어요.</p>
            <div className="field">
              <label className="field-label" htmlFor="reset-password">새 비밀번호</label>
              <input id="reset-password" type="password" autoComplete="new-password" required minLength={8} maxLength={200}
                value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby="reset-password-hint" />
              <span id="reset-password-hint" className={`field-hint ${password && password.length < 8 ? 'bad' : 'muted'}`}>8자 이상</span>
            </div>
            <div className="field">
              <label className="field-label" htmlFor="reset-password2">새 비밀번호 확인</label>
              <input id="reset-password2" type="password" autoComplete="new-password" required value={passwordAgain}
                onChange={(e) => setPasswordAgain(e.target.value)} />
              {mismatch && <span className="field-hint bad" role="alert">비밀번호가 일치하지 않아요</span>}
            </div>
            <FormError error={reset.error} />
            {reset.error !== null && <p className="auth-switch"><Link to="/forgot-password">새 링크 받기</Link></p>}
            <button type="submit" className="btn btn-primary btn-block btn-large" disabled={reset.isPending || password.length < 8 || mismatch}>
              {reset.isPending ? '바꾸는 중…' : '비밀번호 바꾸기'}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}

export function VerifyEmailPage() {
  useDocumentTitle('이메일 인증');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const confirm = useConfirmEmail();
  // the link is used once: confirm on the first render only (React's dev double effects included)
  const sent = useRef(false);
  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    confirm.mutate(token);
  }, [token, confirm]);
  return (
    <div className="page auth-page">
      <div className="auth-card">
        <h1 className="auth-title">이메일 인증</h1>
        {!token && <p className="form-error" role="alert">링크에 필요한 정보가 없어요. 메일의 링크를 다시 열어 주세요.</p>}
        {confirm.isPending && <Spinner label="인증하는 중" />}
        {confirm.isSuccess && <p className="form-ok" role="status">이메일 인증이 끝났어요. 고마워요!</p>}
        <FormError error={confirm.error} />
        <p className="auth-switch"><Link to="/">홈으로</Link></p>
      </div>
    </div>
  );
}
