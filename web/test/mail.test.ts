// Browser: a forgotten password reset through the local outbox (no SMTP server: mails are .eml files in
// DATA_DIR/outbox, delivered by the real mail-send job), and the verification banner of a new member.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { liveServerAndBrowser, openPage, screenshot, signUpViaUi } from './support.ts';
import { linkIn, parseMail } from '../../server/test/mail.ts';
import { waitFor } from '../../server/test/factories.ts';
import { mailJobs } from '../../server/src/modules/mail/jobs.ts';

const live = liveServerAndBrowser({}, { jobs: { definitions: mailJobs, workers: true, pollingIntervalSeconds: 1 } });

/** The mail with this subject to `to`, read from the outbox folder once the job has written it. */
async function outboxMail(to: string, subject: string) {
  const dir = live.server.ctx.deps.config.mail.outboxDir;
  let found: ReturnType<typeof parseMail> | undefined;
  await waitFor(() => {
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    found = files.map((f) => parseMail(fs.readFileSync(path.join(dir, f), 'utf8')))
      .find((m) => m.headers.get('to') === to && m.subject === subject);
    return !!found;
  }, `the outbox holds "${subject}" to ${to}`, 30_000);
  return found!;
}

/** The page a mailed link opens, on this test server (links carry PUBLIC_URL, here the default). */
const pathOf = (link: URL) => `${link.pathname}${link.search}`;

test('비밀번호를 잊으셨나요? → mail in the outbox → new password → log in with it', async () => {
  const member = await live.server.ctx.signUp();
  const { page, pageErrors } = await openPage(live.browser, live.server.baseURL);
  await page.goto('/login');
  await page.getByRole('link', { name: '비밀번호를 잊으셨나요?' }).click();
  await page.getByRole('heading', { name: '비밀번호를 잊으셨나요?' }).waitFor();
  await page.getByLabel('이메일').fill(member.email);
  await page.getByRole('button', { name: '재설정 링크 받기' }).click();
  await page.getByTestId('reset-requested').waitFor();

  const mail = await outboxMail(member.email, '[취밋] 비밀번호 재설정 안내');
  await page.goto(pathOf(linkIn(mail, '/reset-password')));
  await page.getByText('30분 동안 한 번만').waitFor();
  await page.getByLabel('새 비밀번호', { exact: true }).fill('brand-new-pass-7');
  await page.getByLabel('새 비밀번호 확인').fill('brand-new-pass-7');
  await page.getByRole('button', { name: '비밀번호 바꾸기' }).click();
  await page.getByText('비밀번호를 바꿨어요').waitFor();
  await screenshot(page, 'mail-reset-done');

  await page.getByRole('link', { name: '로그인하기' }).click();
  await page.getByLabel('이메일').fill(member.email);
  await page.getByLabel('비밀번호').fill('brand-new-pass-7');
  await page.getByRole('button', { name: '로그인' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('link', { name: '마이페이지' }).waitFor();
  // the reset link proved the address: no verification banner
  assert.equal(await page.getByRole('region', { name: '이메일 인증 안내' }).count(), 0);

  // the same link a second time is refused, in Korean
  await page.goto(pathOf(linkIn(mail, '/reset-password')));
  await page.getByLabel('새 비밀번호', { exact: true }).fill('another-pass-8');
  await page.getByLabel('새 비밀번호 확인').fill('another-pass-8');
  await page.getByRole('button', { name: '비밀번호 바꾸기' }).click();
  await page.getByText('링크가 올바르지 않거나 이미 사용되었거나 만료되었습니다').waitFor();
  assert.deepEqual(pageErrors, []);
});

test('a new member sees the verification banner until the mailed link is opened', async () => {
  const { page, pageErrors } = await openPage(live.browser, live.server.baseURL);
  const { email } = await signUpViaUi(page);
  const banner = page.getByRole('region', { name: '이메일 인증 안내' });
  await banner.getByText(email).waitFor();
  const mail = await outboxMail(email, '[취밋] 이메일 주소를 확인해 주세요');
  await page.goto(pathOf(linkIn(mail, '/verify-email')));
  await page.getByText('이메일 인증이 끝났어요').waitFor();
  await waitFor(async () => (await banner.count()) === 0, 'the banner is gone');

  // mail copies of notifications: a setting on the profile tab
  await page.goto('/my?tab=profile');
  const toggle = page.getByLabel(/중요한 알림.*메일로도 받기/);
  await toggle.check();
  await page.getByRole('button', { name: '저장하기' }).click();
  await page.getByText('저장했어요').waitFor();
  const me = await page.evaluate(async () => (await fetch('/api/v1/members/me')).json());
  assert.equal(me.mailNotifications, true);
  assert.deepEqual(pageErrors, []);
});
