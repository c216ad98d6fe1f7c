import { useEffect, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { checkNickname, useMe, useSignUp } from '../../api/members.ts';
import { FormError, useDocumentTitle } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';
import { safeNext } from './LoginPage.tsx';

/** The same rule as the server's Nickname schema. */
export const NICKNAME_PATTERN = /^[0-9A-Za-z가-힣_-]{2,20}$/;

type NicknameState = 'idle' | 'invalid' | 'checking' | 'available' | 'taken' | 'error';

/** Debounced availability check while typing. */
export function useNicknameAvailability(nickname: string, unchangedFrom?: string): NicknameState {
  const [state, setState] = useState<NicknameState>('idle');
  useEffect(() => {
    const value = nickname.trim();
    if (!value || value === unchangedFrom) return setState('idle');
    if (!NICKNAME_PATTERN.test(value)) return setState('invalid');
    setState('checking');
    const controller = new AbortController();
    const timer = setTimeout(() => {
      checkNickname(value, controller.signal)
        .then((r) => setState(r.available ? 'available' : 'taken'))
        .catch((e: Error) => e.name !== 'AbortError' && setState('error'));
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [nickname, unchangedFrom]);
  return state;
}

export function NicknameHint({ state }: { state: NicknameState }) {
  const hints: Record<NicknameState, [string, string] | null> = {
    idle: ['2~20자, 한글·영문·숫자·_·- 사용 가능', 'muted'],
    invalid: ['2~20자의 한글, 영문, 숫자, _, - 만 쓸 수 있어요', 'bad'],
    checking: ['확인 중…', 'muted'],
    available: ['사용할 수 있는 닉네임이에요', 'good'],
    taken: ['이미 사용 중인 닉네임이에요', 'bad'],
    error: ['확인하지 못했어요. 잠시 후 다시 시도해 주세요', 'bad'],
  };
  const hint = hints[state];
  if (!hint) return null;
  return <span className={`field-hint ${hint[1]}`} data-testid="nickname-hint">{hint[0]}</span>;
}

export function SignUpPage() {
  useDocumentTitle('회원가입');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { data: me } = useMe();
  const signUp = useSignUp();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [passwordAgain, setPasswordAgain] = useState('');
  const [nickname, setNickname] = useState('');
  const nicknameState = useNicknameAvailability(nickname);

  if (me && !signUp.isSuccess) return <Navigate to={next} replace />;

  const mismatch = passwordAgain.length > 0 && password !== passwordAgain;
  const canSubmit = nicknameState !== 'invalid' && nicknameState !== 'taken' && password.length >= 8 && !mismatch && !signUp.isPending;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!canSubmit) return;
    signUp.mutate({ email, password, nickname: nickname.trim() }, { onSuccess: () => navigate(next, { replace: true }) });
  };

  return (
    <div className="page auth-page">
      <div className="auth-card">
        <h1 className="auth-title">회원가입</h1>
        <p className="auth-sub">필요할 때 빌리고, 쉬는 물건은 빌려주세요</p>
        <form onSubmit={submit} className="form">
          <div className="field">
            <label className="field-label" htmlFor="signup-email">이메일</label>
            <input id="signup-email" type="email" name="email" autoComplete="email" required value={email}
              onChange={(e) => setEmail(e.target.value)} onKeyDown={blockEnterWhileComposing} />
          </div>
          <div className="field">
            <label className="field-label" htmlFor="signup-nickname">닉네임</label>
            <input id="signup-nickname" name="nickname" required value={nickname} maxLength={20}
              onChange={(e) => setNickname(e.target.value)} onKeyDown={blockEnterWhileComposing} placeholder="이웃에게 보여질 이름" />
            <NicknameHint state={nicknameState} />
          </div>
          <div className="field">
            <label className="field-label" htmlFor="signup-password">비밀번호</label>
            <input id="signup-password" type="password" name="password" autoComplete="new-password" required minLength={8} value={password}
              onChange={(e) => setPassword(e.target.value)} />
            <span className={`field-hint ${password && password.length < 8 ? 'bad' : 'muted'}`}>8자 이상</span>
          </div>
          <div className="field">
            <label className="field-label" htmlFor="signup-password2">비밀번호 확인</label>
            <input id="signup-password2" type="password" name="passwordAgain" autoComplete="new-password" required value={passwordAgain}
              onChange={(e) => setPasswordAgain(e.target.value)} />
            {mismatch && <span className="field-hint bad">비밀번호가 일치하지 않아요</span>}
          </div>
          <FormError error={signUp.error} />
          <button type="submit" className="btn btn-primary btn-block btn-large" disabled={!canSubmit}>
            {signUp.isPending ? '가입 중…' : '가입하기'}
          </button>
        </form>
        <p className="auth-switch">이미 계정이 있으신가요? <Link to="/login">로그인</Link></p>
      </div>
    </div>
  );
}
