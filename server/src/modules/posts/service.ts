// Listings: the rules of create/edit/delete (images, options, regions, blocked dates, 동네), the lists,
// the listing page and favorites. SQL: repository.ts; the multipart body: data.ts; responses: mapping.ts.
import type { Deps } from '../../deps.ts';
import type { Queryable } from '../../db/client.ts';
import { badRequest, conflict, forbidden, notFound } from '../../http/errors.ts';
import type { AuthMember } from '../../http/auth.ts';
import { storeAll } from '../images/multipart.ts';
import { removeFiles, type StoredImage } from '../images/service.ts';
import { unavailableDates } from '../reservations/availability.ts';
import { longTermFeeProblem } from '../reservations/pricing.ts';
import { addDays, isValidDate, seoulDate } from '../../lib/dates.ts';
import { trustOf } from '../trust/score.ts';
import { mayReadExactPlace } from './places.ts';
import { assertImageCount } from './data.ts';
import { listPosts, pointOfQuery } from './list.ts';
import { nextBumpOf, toDetail } from './mapping.ts';
import { BUMP_INTERVAL_DAYS, BUMP_INTERVAL_MS } from './schemas.ts';
import { iso } from '../../http/wire.ts';
import { favouriteCards, listConditions, ownListings, postsRepository, type ImageRow, type Place, type PostsRepository } from './repository.ts';
import type { ListQuery, PostData } from './schemas.ts';
import { queueAlertMatch } from '../alerts/service.ts';
import { queueEmbedding } from '../embeddings/service.ts';
import { queueRenditions } from '../images/renditions.ts';

export function postsService(deps: Deps) {
  const { db, storage } = deps;
  const repo = postsRepository(db);

  /**
   * The background work a change asks for (each a queued job): the listing is WAIT for embedding
   * again; `content`: created or edited, so new images are PENDING and saved searches are matched.
   */
  async function listingChanged(id: number, content: boolean) {
    await queueEmbedding(deps);
    if (!content) return;
    await queueRenditions(deps);
    await queueAlertMatch(deps, id);
  }

  async function assertInput(data: PostData) {
    const cat = await repo.category(data.categoryId);
    if (!cat) throw badRequest('UNKNOWN_CATEGORY', '존재하지 않는 카테고리입니다');
    if (cat.has_children) throw badRequest('CATEGORY_NOT_LEAF', '하위 카테고리를 선택해 주세요');
    if ((await repo.countRegions(data.regionIds)) !== data.regionIds.length) {
      throw badRequest('UNKNOWN_REGION', '존재하지 않는 지역이 포함되어 있습니다');
    }
    const badDay = (data.blockedDates ?? []).find((d) => !isValidDate(d));
    if (badDay) throw badRequest('INVALID_DATE', `날짜가 올바르지 않습니다: ${badDay}`);
    const feeProblem = longTermFeeProblem(data);
    if (feeProblem) throw badRequest(feeProblem.code, feeProblem.detail);
  }

  /**
   * Where a listing is: the 동네 asked for (must be one of the owner's), else the one it had (edit),
   * else the owner's first 동네, else nowhere (an owner without 동네).
   */
  async function placeFor(ownerId: number, code: string | undefined, current: string | null = null): Promise<Place | null> {
    const mine = await repo.placesOf(ownerId);
    if (code) {
      const hit = mine.find((m) => m.code === code);
      if (hit) return hit;
      if (!(await repo.place(code))) throw badRequest('UNKNOWN_NEIGHBOURHOOD', `존재하지 않는 동네 코드입니다: ${code}`);
      throw badRequest('NOT_MY_NEIGHBOURHOOD', '게시글 위치는 내 동네 중에서 고를 수 있습니다');
    }
    if (current) return (await repo.place(current)) ?? null;
    return mine[0] ?? null;
  }

  /** Regions and blocked dates as sent; the 동's 시군구 is always among the regions, so region filters find it. */
  function replaceParts(tx: PostsRepository, postId: number, data: PostData, place: Place | null) {
    const regionIds = place && !data.regionIds.includes(place.region_id) ? [...data.regionIds, place.region_id] : data.regionIds;
    return tx.replaceParts(postId, regionIds, data.blockedDates ?? []);
  }

  async function insertImages(tx: PostsRepository, postId: number, images: StoredImage[], firstSort: number, primarySort: number) {
    for (const [i, img] of images.entries()) await tx.insertImage(postId, img, firstSort + i, firstSort + i === primarySort);
  }

  /**
   * What an edit may do given the listing's current rows: owner only, not while banned, image ids and
   * option ids of this listing, 1–MAX_IMAGES images after the edit. `lock`: inside the edit's
   * transaction, the listing's row is locked first so concurrent edits check one after another.
   */
  async function checkEdit(q: Queryable, member: AuthMember, id: number, data: PostData, newFiles: number, lock: boolean) {
    const r = postsRepository(q);
    const post = await r.state(id, { lock });
    if (!post) throw notFound('게시글');
    // the owner of a banned listing may fix it too (then ask for a review); it stays banned until an admin lifts it
    if (post.author_id !== member.id) throw forbidden('본인 게시글만 수정할 수 있습니다');
    const existing = await r.images(id);
    const keepIds = data.keepImageIds ?? existing.map((i) => i.id);
    const unknown = keepIds.filter((k) => !existing.some((e) => e.id === k));
    if (unknown.length) throw badRequest('UNKNOWN_IMAGE', `이 게시글의 이미지가 아닙니다: ${unknown.join(', ')}`);
    assertImageCount(keepIds.length + newFiles, data.primaryIndex);
    const currentOptions = await r.liveOptions(id);
    const unknownOption = (data.options ?? []).find((o) => o.id && !currentOptions.some((c) => c.id === o.id));
    if (unknownOption) throw badRequest('UNKNOWN_OPTION', `이 게시글의 옵션이 아닙니다: ${unknownOption.id}`);
    return { keepIds, existing, post };
  }

  /** The caller's own listing (not deleted), for the owner's controls. */
  async function ownListing(member: AuthMember, id: number) {
    const post = await repo.state(id);
    if (!post) throw notFound('게시글');
    if (post.author_id !== member.id) throw forbidden('본인 게시글만 관리할 수 있습니다');
    return post;
  }

  return {
    async create(member: AuthMember, data: PostData, files: Buffer[]) {
      assertImageCount(files.length, data.primaryIndex);
      await assertInput(data);
      const place = await placeFor(member.id, data.neighbourhoodCode);
      const stored = await storeAll(storage, files);
      try {
        const id = await db.transaction(async (q) => {
          const tx = postsRepository(q);
          const postId = await tx.insert(member.id, data, place);
          await replaceParts(tx, postId, data, place);
          for (const [i, o] of (data.options ?? []).entries()) await tx.insertOption(postId, o, i);
          await insertImages(tx, postId, stored, 0, data.primaryIndex ?? 0);
          return postId;
        });
        await listingChanged(id, true);
        return id;
      } catch (err) {
        await removeFiles(storage, stored.map((s) => s.path));
        throw err;
      }
    },

    /**
     * Replaces regions, options, images and blocked dates as sent; re-queues the embedding.
     * The rules that depend on the listing's current rows (owner, not banned, image limit, which
     * image/option ids exist) are checked twice with one function: before the upload is stored (a
     * quick answer) and again inside the transaction with the listing's row locked, which is the
     * check that counts: two edits at once cannot both add images past the limit.
     */
    async update(member: AuthMember, id: number, data: PostData, files: Buffer[]) {
      const { post } = await checkEdit(db, member, id, data, files.length, false);
      await assertInput(data);
      const place = await placeFor(member.id, data.neighbourhoodCode, post.neighbourhood_code);

      const stored = await storeAll(storage, files);
      const primary = data.primaryIndex ?? 0;
      let removed: ImageRow[] = [];
      try {
        await db.transaction(async (q) => {
          const { keepIds, existing } = await checkEdit(q, member, id, data, files.length, true);
          const tx = postsRepository(q);
          removed = existing.filter((e) => !keepIds.includes(e.id));
          await tx.update(id, data, place);
          await replaceParts(tx, id, data, place);

          // Options: a kept, unchanged option keeps its id; anything removed or changed is soft-deleted
          // (past reservations keep pointing at the old row) and changed ones are inserted anew.
          const keptOptionIds: number[] = [];
          for (const [i, o] of (data.options ?? []).entries()) {
            if (o.id && (await tx.keepOption(id, { ...o, id: o.id }, i))) keptOptionIds.push(o.id);
            else keptOptionIds.push(await tx.insertOption(id, o, i));
          }
          await tx.retireOptionsExcept(id, keptOptionIds);

          if (removed.length) await tx.deleteImages(removed.map((r) => r.id));
          for (const [i, keepId] of keepIds.entries()) await tx.placeImage(keepId, i, i === primary);
          await insertImages(tx, id, stored, keepIds.length, primary);
        });
      } catch (err) {
        await removeFiles(storage, stored.map((s) => s.path));
        throw err;
      }
      await removeFiles(storage, removed.flatMap((r) => [r.original_path, r.thumb_path, r.detail_path]));
      await listingChanged(id, true);
    },

    /** Soft delete: reservations, chats and reviews keep pointing at the row; the purge job removes it later. */
    async remove(member: AuthMember, id: number) {
      const post = await repo.state(id);
      if (!post) throw notFound('게시글');
      if (post.author_id !== member.id && member.role !== 'ADMIN') throw forbidden('본인 게시글만 삭제할 수 있습니다');
      await repo.softDelete(id);
      await listingChanged(id, false);
    },

    async list(query: ListQuery, viewer: AuthMember | null) {
      const point = await pointOfQuery(db, query, viewer);
      const where = listConditions(query, { viewerId: viewer?.id, includeBanned: viewer?.role === 'ADMIN' && !!query.includeBanned, point });
      return listPosts(db, { where, sort: query.sort, cursor: query.cursor, limit: query.limit, point, now: deps.clock.now() });
    },

    /** The caller's own listings, banned ones included (flagged), deleted ones not. */
    my(member: AuthMember, page: { cursor?: string; limit?: number }) {
      return listPosts(db, { where: ownListings(member.id), ...page, now: deps.clock.now() });
    },

    favorites(member: AuthMember, page: { cursor?: string; limit?: number }) {
      return listPosts(db, { where: favouriteCards(member.id), ...page, now: deps.clock.now() });
    },

    async detail(id: number, viewer: AuthMember | null) {
      const now = deps.clock.now();
      const p = await repo.detail(id, viewer?.id, now);
      const admin = viewer?.role === 'ADMIN';
      const owner = !!viewer && viewer.id === p?.author_id;
      // the owner still sees a banned listing (with the reason) so they can fix it and ask for a review
      if (!p || p.deleted_at || (!admin && !owner && (!p.public || !p.unblocked))) throw notFound('게시글');
      const [exactPlace, images, options, regions, blockedDates, trust] = await Promise.all([
        mayReadExactPlace(db, { id: p.id, author_id: p.author_id }, viewer),
        repo.images(id),
        repo.liveOptions(id),
        repo.regions(id),
        repo.blockedDaysFrom(id, seoulDate(now)),
        trustOf(db, p.author_id, now),
      ]);
      return toDetail(p, { images, options, regions, blockedDates, trust, exactPlace, viewerId: viewer?.id, staff: owner || admin });
    },

    /** 숨기기 / 다시 보이기: idempotent; a paused listing leaves the feed, search and similar listings. */
    async setPaused(member: AuthMember, id: number, paused: boolean) {
      await ownListing(member, id);
      if (await repo.setPaused(id, paused ? deps.clock.now() : null)) await listingChanged(id, false);
      return { paused };
    },

    /** 끌어올리기: back to the top of the newest feed, once per BUMP_INTERVAL_DAYS. */
    async bump(member: AuthMember, id: number) {
      const post = await ownListing(member, id);
      if (post.banned_at) throw conflict('POST_BANNED', '관리자가 숨긴 게시글은 끌어올릴 수 없습니다');
      if (post.paused_at) throw conflict('POST_PAUSED', '숨긴 게시글은 끌어올릴 수 없어요. 먼저 다시 보이게 해 주세요');
      const now = deps.clock.now();
      const row = await repo.bump(id, now, new Date(now.getTime() - BUMP_INTERVAL_MS));
      if (!row) {
        const last = (await repo.state(id))?.bumped_at ?? now;
        const nextBumpAt = nextBumpOf(last)!;
        throw conflict('BUMP_TOO_SOON', `끌어올리기는 ${BUMP_INTERVAL_DAYS}일에 한 번 할 수 있어요. ${seoulTime(nextBumpAt)}부터 다시 할 수 있어요`, { nextBumpAt });
      }
      return { bumpedAt: iso(row.bumped_at), nextBumpAt: nextBumpOf(row.bumped_at)! };
    },

    /** The owner of a banned listing asks an admin to look again (the moderation queue). */
    async requestReview(member: AuthMember, id: number, message: string | undefined) {
      const post = await ownListing(member, id);
      if (!post.banned_at) throw conflict('NOT_BANNED', '정지되지 않은 게시글입니다');
      const note = `작성자 재검토 요청${message?.trim() ? `: ${message.trim()}` : ''}`;
      await repo.requestReview(id, note, deps.clock.now());
      return { reviewRequested: true };
    },

    async unavailable(id: number, from?: string, to?: string) {
      if (!(await repo.isPublic(id))) throw notFound('게시글');
      for (const d of [from, to]) if (d && !isValidDate(d)) throw badRequest('INVALID_DATE', `날짜가 올바르지 않습니다: ${d}`);
      const start = from ?? seoulDate(deps.clock.now());
      const end = to ?? addDays(start, 365);
      if (end < start) throw badRequest('INVALID_RANGE', '종료일이 시작일보다 빠릅니다');
      return unavailableDates(db, id, start, end);
    },

    /**
     * Sets the caller's favorite: true adds it, false removes it (PUT/DELETE, idempotent), undefined
     * flips it (the old toggle). One member's favorite changes run one at a time (their member row is
     * locked for the transaction), so concurrent toggles each see the previous one's result.
     */
    async setFavorite(member: AuthMember, id: number, want?: boolean) {
      return db.transaction(async (q) => {
        const tx = postsRepository(q);
        const p = await tx.publicAuthor(id);
        if (!p) throw notFound('게시글');
        if (p.author_id === member.id) throw conflict('OWN_POST', '내 게시글은 찜할 수 없습니다');
        await tx.lockMember(member.id);
        const has = await tx.isFavorite(member.id, id);
        const favorited = want ?? !has;
        if (favorited && !has) await tx.addFavorite(member.id, id);
        if (!favorited && has) await tx.removeFavorite(member.id, id);
        return { favorited, favoriteCount: await tx.favoriteCount(id) };
      });
    },
  };
}

/** e.g. "12월 4일 오후 03:10" (Asia/Seoul) */
const seoulTime = (at: string) =>
  new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(at));

export type PostsService = ReturnType<typeof postsService>;
