// Until a member's address is verified, a quiet line under the top bar offers to send the link again.
import { useMe, useResendVerification } from '../api/members.ts';
import { errorMessage } from '../api/client.ts';

export function EmailVerificationBanner() {
  const { data: me } = useMe();
  const resend = useResendVerification();
  if (!me || me.emailVerified) return null;
  return (
    <section className="verify-banner" aria-label="이메일 인증 안내">
      <p>
        <strong>{me.email}</strong> 주소로 보낸 링크를 열어 이메일 인증을 마쳐 주세요.{' '}
        {resend.isSuccess ? (
          <span role="status">{resend.data.message}</span>
        ) : (
          <button type="button" className="link-button" disabled={resend.isPending} onClick={() => resend.mutate()}>
            인증 메일 다시 보내기
          </button>
        )}
        {resend.error !== null && <span role="alert"> {errorMessage(resend.error)}</span>}
      </p>
    </section>
  );
}
