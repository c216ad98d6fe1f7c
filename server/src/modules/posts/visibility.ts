// One rule for "may the public see this listing": not deleted, not banned, owner not banned.
// Chat, reservation and review paths use it (admins may bypass). Lists that offer listings — the
// feed, search, similar listings, alerts — use the stricter "listed" rule, which also leaves out
// listings their owner paused (숨김); a paused listing's page and reservations carry on.

/** SQL condition over a posts alias (default `p`); safe to embed, contains no user input. The banned
 *  owners are a NOT IN subquery: found once per query (hashed; migration 260's partial index), where
 *  NOT EXISTS probed members for every listing a search visited. */
export function publicPostCondition(alias = 'p'): string {
  return `(${alias}.deleted_at IS NULL AND ${alias}.banned_at IS NULL AND ${alias}.author_id NOT IN (
    SELECT owner_m.id FROM members owner_m WHERE owner_m.banned_at IS NOT NULL))`;
}

/** Public and not paused by its owner: may be offered in lists (feed, search, similar, alerts). */
export function listedPostCondition(alias = 'p'): string {
  return `(${publicPostCondition(alias)} AND ${alias}.paused_at IS NULL)`;
}
