// A member's phone is a Korean mobile number: 010 + 8 digits, or one of the older 011/016/017/018/019
// prefixes + 7 or 8 digits. Spaces, hyphens and a leading +82 are accepted; it is stored as 010-1234-5678.
const MOBILE = /^(01[016789])(\d{3,4})(\d{4})$/;

/** The normalised number, or null when it is not a Korean mobile number (e.g. 010-1234-567). */
export function normalizeMobile(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  const local = compact.startsWith('+82') ? `0${compact.slice(3).replace(/^0/, '')}` : compact;
  const m = MOBILE.exec(local);
  if (!m) return null;
  const [, prefix, middle, last] = m;
  if (prefix === '010' && middle.length !== 4) return null;
  return `${prefix}-${middle}-${last}`;
}
