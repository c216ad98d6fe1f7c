// One rule for "may the public see this listing": not deleted, not banned, owner not banned.
// Every list, search, similar-listing, chat and reservation path uses it (admins may bypass).

/** SQL condition over a posts alias (default `p`); safe to embed, contains no user input. */
export function publicPostCondition(alias = 'p'): string {
  return `(${alias}.deleted_at IS NULL AND ${alias}.banned_at IS NULL AND NOT EXISTS (
    SELECT 1 FROM members owner_m WHERE owner_m.id = ${alias}.author_id AND owner_m.banned_at IS NOT NULL))`;
}
