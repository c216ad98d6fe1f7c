// Storage keys: the relative paths kept in the database, checked before any file or bucket sees them.
/**
 * Keys are the relative paths stored in the database ('originals/2026/12/01/<uuid>.jpg'). A key from
 * a URL is refused unless it is plain: no '..', no dot-files, no backslashes or empty segments.
 */
export function isSafeKey(key: string): boolean {
  return key.length > 0 && key.length <= 512 && /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(key);
}

export function assertSafeKey(key: string) {
  if (!isSafeKey(key)) throw new Error(`unsafe storage key: ${JSON.stringify(key)}`);
}

const TYPES: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
/** the content type served for a key, from its extension (we name every file ourselves) */
export const contentTypeOf = (key: string) => TYPES[key.slice(key.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
