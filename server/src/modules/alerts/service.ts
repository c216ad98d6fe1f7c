// Alerts: saved searches that notify a member once per matching listing, matched by the search
// module's own ranking (keyword + semantic, the code behind GET /search), and 빈 날짜 알림 that
// notify once when taken dates of a listing become free. Matching runs in jobs (jobs.ts).
import { josa } from 'es-hangul';
import type { Deps } from '../../deps.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import type { AuthMember } from '../../http/auth.ts';
import { iso, isoOrNull } from '../../http/wire.ts';
import { isValidDate, seoulDate } from '../../lib/dates.ts';
import type { NotificationRow } from '../notifications/service.ts';
import { firstNeighbourhoodOf } from '../neighbourhoods/service.ts';
import { unavailableDates } from '../reservations/availability.ts';
import { searchService } from '../search/service.ts';
import { shortRange } from './format.ts';
import { alertsRepository, type AlertRow, type DateAlertRow } from './repository.ts';
import { MAX_ALERTS, type AlertBody } from './schemas.ts';

export const ALERTS_MATCH_JOB = 'alerts-match';

const toAlert = (a: AlertRow) => ({
  id: a.id,
  query: a.query,
  category: a.category_id ? { id: a.category_id, name: a.category_name! } : null,
  region: a.region_id ? { id: a.region_id, name: a.region_name! } : null,
  minFee: a.min_fee,
  maxFee: a.max_fee,
  radiusKm: a.radius_km,
  createdAt: iso(a.created_at),
});

const toDateAlert = (d: DateAlertRow) => ({
  id: d.id,
  post: { id: d.post_id, name: d.post_title },
  startDate: d.start_date,
  endDate: d.end_date,
  notifiedAt: isoOrNull(d.notified_at),
  createdAt: iso(d.created_at),
});

/** Queues a created or edited listing for matching against saved searches (the alerts-match job). */
export async function queueAlertMatch(deps: Deps, postId: number) {
  await alertsRepository(deps.db).enqueue(postId);
  await deps.jobs.nudge(ALERTS_MATCH_JOB);
}

export function alertsService(deps: Deps) {
  const { db } = deps;
  const repo = alertsRepository(db);

  return {
    async list(member: AuthMember) {
      const [alerts, dates] = await Promise.all([repo.listOf(member.id), repo.dateAlertsOf(member.id)]);
      return { items: alerts.map(toAlert), dateAlerts: dates.map(toDateAlert) };
    },

    async create(member: AuthMember, body: AlertBody) {
      const query = body.query.trim();
      if (body.minFee !== undefined && body.maxFee !== undefined && body.minFee > body.maxFee) {
        throw badRequest('INVALID_RANGE', '최소 대여료가 최대 대여료보다 큽니다');
      }
      if (body.categoryId && !(await repo.categoryExists(body.categoryId))) throw badRequest('UNKNOWN_CATEGORY', '존재하지 않는 카테고리입니다');
      if (body.regionId && !(await repo.regionExists(body.regionId))) throw badRequest('UNKNOWN_REGION', '존재하지 않는 지역입니다');
      const point = body.radiusKm ? await firstNeighbourhoodOf(db, member.id) : null;
      if (body.radiusKm && !point) throw badRequest('NO_NEIGHBOURHOOD', '반경 알림은 내 동네를 설정한 뒤에 쓸 수 있어요');
      if ((await repo.countOf(member.id)) >= MAX_ALERTS) {
        throw conflict('TOO_MANY_ALERTS', `키워드 알림은 ${MAX_ALERTS}개까지 저장할 수 있어요`);
      }
      const id = await repo.insert(member.id, {
        query, categoryId: body.categoryId ?? null, regionId: body.regionId ?? null, minFee: body.minFee ?? null,
        maxFee: body.maxFee ?? null, radiusKm: body.radiusKm ?? null, lat: point?.lat ?? null, lng: point?.lng ?? null,
      });
      return toAlert((await repo.byId(id))!);
    },

    async remove(member: AuthMember, id: number) {
      if (!(await repo.remove(member.id, id))) throw notFound('알림');
    },

    /** 빈 날짜 알림: only for dates that are taken now (free dates can simply be booked). */
    async watchDates(member: AuthMember, postId: number, startDate: string, endDate: string) {
      for (const d of [startDate, endDate]) if (!isValidDate(d)) throw badRequest('INVALID_DATE', `날짜가 올바르지 않습니다: ${d}`);
      if (endDate < startDate) throw badRequest('INVALID_RANGE', '종료일이 시작일보다 빠릅니다');
      if (startDate < seoulDate(deps.clock.now())) throw badRequest('DATE_IN_PAST', '지난 날짜에는 알림을 걸 수 없어요');
      const post = await repo.listedPost(postId);
      if (!post) throw notFound('게시글');
      if (post.author_id === member.id) throw conflict('OWN_POST', '내 게시글에는 빈 날짜 알림을 걸 수 없어요');
      if ((await unavailableDates(db, postId, startDate, endDate)).length === 0) {
        throw conflict('DATES_FREE', '이미 비어 있는 날짜예요. 바로 예약할 수 있어요');
      }
      const id = await repo.insertDateAlert(member.id, postId, startDate, endDate);
      return toDateAlert((await repo.dateAlert(id))!);
    },

    async unwatchDates(member: AuthMember, id: number) {
      if (!(await repo.removeDateAlert(member.id, id))) throw notFound('빈 날짜 알림');
    },
  };
}

/**
 * One matching pass: each queued listing against every other member's saved searches. A search
 * matches when the search module's ranking (the one GET /search uses, keyword and semantic) finds
 * the listing under the alert's query and filters. Each alert × listing notifies once.
 */
export async function matchQueuedListings(deps: Deps, batch = 50) {
  const repo = alertsRepository(deps.db);
  const search = searchService(deps);
  let listings = 0;
  let notified = 0;
  for (const { post_id: postId } of await repo.takeQueued(batch)) {
    const post = await repo.listedPost(postId);
    if (!post) continue; // deleted, banned or paused since
    listings++;
    for (const alert of await repo.candidatesFor(postId, post.author_id)) {
      const point = alert.lat !== null && alert.lng !== null ? { lat: alert.lat, lng: alert.lng } : null;
      const ranked = await search.rank(alert.query, {
        onlyIds: [postId], viewerId: alert.member_id, categoryId: alert.category_id ?? undefined, regionId: alert.region_id ?? undefined,
        minFee: alert.min_fee ?? undefined, maxFee: alert.max_fee ?? undefined, point, radiusKm: alert.radius_km ?? undefined,
      });
      if (!ranked.hits.some((h) => h.id === postId)) continue;
      const rows: NotificationRow[] = await deps.db.transaction(async (tx) => {
        if (!(await alertsRepository(tx).recordHit(alert.id, postId))) return [];
        return [await deps.notifications.insert(tx, {
          memberId: alert.member_id, type: 'ALERT_MATCH',
          title: `'${alert.query}' 키워드 알림: ${post.title}`,
          body: `저장한 검색 '${alert.query}'에 맞는 새 게시글이 올라왔어요`,
          targetType: 'POST', targetId: postId,
        })];
      });
      await deps.notifications.publish(rows);
      notified += rows.length;
    }
  }
  return { listings, notified };
}

/** 빈 날짜 알림 pass: every waiting subscription whose dates are all free now is notified once. */
export async function notifyFreedDates(deps: Deps, now: Date, batch = 200) {
  const repo = alertsRepository(deps.db);
  let notified = 0;
  for (const d of await repo.waitingDateAlerts(seoulDate(now), batch)) {
    if ((await unavailableDates(deps.db, d.post_id, d.start_date, d.end_date)).length > 0) continue;
    if (!(await repo.markDateAlertNotified(d.id, now))) continue;
    const dates = shortRange(d.start_date, d.end_date);
    await deps.notifications.notify({
      memberId: d.member_id, type: 'DATE_FREE',
      title: `${d.post_title}의 ${josa(dates, '이/가')} 비었어요`, // '의' takes no 받침 rule
      body: '지금 예약을 요청할 수 있어요',
      targetType: 'POST', targetId: d.post_id,
    });
    notified++;
  }
  return { notified };
}
