// A gentle in-chat warning (issue 12 point 2): messages that share a phone number or an account number,
// or ask to pay outside the app, are delivered as written and shown with a caution beside them. Judged
// from the text alone, when a message is read, so a change of wording here applies to old messages too.

/** 010-1234-5678, 01012345678, 010 1234 5678, +82 10-1234-5678 */
const PHONE = /(?:\+82[\s.-]?|\b0)1[016789][\s.-]?\d{3,4}[\s.-]?\d{4}\b/;
/** a run of digits and dashes; an account number when it holds 10–16 digits and is grouped by dashes or follows a bank's name */
const DIGIT_RUN = /\d[\d-]{8,24}\d/g;
const BANK = /계좌|은행|국민|신한|우리|하나|농협|기업|카카오뱅크|토스뱅크|새마을|우체국|케이뱅크/;
/** asking to pay (or talk) outside the app, where the deposit and the reservation record do not protect anyone */
const OFF_PLATFORM = /선입금|먼저\s*입금|계좌\s*이체|계좌로\s*(?:보내|입금|송금)|직접\s*송금|현금으로|카카오페이로|카톡\s*(?:으로|주세요|아이디|ID)|오픈\s*채팅|텔레그램|문자\s*주세요|앱\s*밖에서|외부\s*결제/i;

export const CHAT_WARNINGS = {
  phone: '전화번호가 보여요. 개인 연락처는 꼭 필요할 때만 나눠 주세요.',
  account: '계좌번호가 보여요. 취밋 예약 없이 먼저 돈을 보내면 보증금과 거래 기록으로 보호받을 수 없어요.',
  offPlatform: '앱 밖에서 결제하거나 대화하자는 요청일 수 있어요. 예약과 결제는 취밋 안에서 진행해야 보호받을 수 있어요.',
} as const;

function hasAccountNumber(text: string): boolean {
  for (const m of text.matchAll(DIGIT_RUN)) {
    const digits = m[0].replaceAll('-', '').length;
    if (digits >= 10 && digits <= 16 && (m[0].includes('-') || BANK.test(text.slice(Math.max(0, m.index - 12), m.index)))) return true;
  }
  return false;
}

/** the warning to show beside this message text, or null */
export function chatWarning(text: string): string | null {
  if (OFF_PLATFORM.test(text)) return CHAT_WARNINGS.offPlatform;
  if (PHONE.test(text)) return CHAT_WARNINGS.phone;
  if (hasAccountNumber(text)) return CHAT_WARNINGS.account;
  return null;
}
