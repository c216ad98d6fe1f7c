// Whose reports may ban someone without a person looking (issue 9 point 5). Sign-up is cheap, so
// raw report counts are not evidence: five throwaway accounts made in a minute must not be able to
// ban anyone. This file is the one place that decides it.
import type { Queryable } from '../../db/client.ts';
import { REVIEWABLE_STATUSES } from '../reservations/status.ts';
import { moderationRepository } from './repository.ts';
import type { TargetType } from './targets.ts';

/** An account younger than this has no standing as a reporter. */
export const REPORTER_MIN_ACCOUNT_DAYS = 14;
/** Reporters who signed up within this much of each other count as one voice (made in one sitting). */
export const RELATED_SIGNUP_WINDOW_MS = 60 * 60_000;
/** A long-standing reporter's voice weighs more: this many completed rentals and this age. */
const TRUSTED_RENTALS = 5;
const TRUSTED_ACCOUNT_DAYS = 180;
export const TRUSTED_WEIGHT = 1.5;

export interface Reporter {
  id: number;
  createdAt: Date;
  signupIp: string | null;
  /** rentals that reached the end (returned, refunded or claimed) with this member as lender or borrower */
  completedRentals: number;
}

/**
 * The standing rule. A reporter has standing when, at `now`, the account is at least
 * REPORTER_MIN_ACCOUNT_DAYS old AND has at least one completed rental as either party (someone
 * who really rented with a neighbour, not a throwaway account). Its weight is 0 without standing,
 * 1 with it, and TRUSTED_WEIGHT for an account of TRUSTED_ACCOUNT_DAYS with TRUSTED_RENTALS
 * completed rentals.
 */
export function reporterWeight(r: Reporter, now: Date): number {
  const ageDays = (now.getTime() - r.createdAt.getTime()) / 86_400_000;
  if (ageDays < REPORTER_MIN_ACCOUNT_DAYS || r.completedRentals < 1) return 0;
  return ageDays >= TRUSTED_ACCOUNT_DAYS && r.completedRentals >= TRUSTED_RENTALS ? TRUSTED_WEIGHT : 1;
}

export interface Assessment {
  reports: number;
  /** reporters without standing */
  newcomers: number;
  /** groups of two or more related reporters (same sign-up address or sign-up time within the window) */
  relatedGroups: number;
  /** Σ over groups of related reporters of the largest weight in the group */
  score: number;
}

/**
 * Weighs the reporters of one target: related reporters (one sign-up address, or signed up within
 * RELATED_SIGNUP_WINDOW_MS of one another, transitively) form one group that counts as its
 * heaviest member; the score is the sum over groups.
 */
export function assessReporters(reporters: Reporter[], now: Date): Assessment {
  const parent = reporters.map((_, i) => i);
  const find = (i: number): number => {
    if (parent[i] !== i) parent[i] = find(parent[i]);
    return parent[i];
  };
  const join = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  // same address
  const byIp = new Map<string, number>();
  reporters.forEach((r, i) => {
    if (!r.signupIp) return;
    const first = byIp.get(r.signupIp);
    if (first === undefined) byIp.set(r.signupIp, i);
    else join(i, first);
  });
  // sign-ups close in time: neighbours in time order are enough (the window chains transitively)
  const byTime = reporters.map((r, i) => [r.createdAt.getTime(), i] as const).sort((a, b) => a[0] - b[0]);
  for (let k = 1; k < byTime.length; k++) {
    if (byTime[k][0] - byTime[k - 1][0] <= RELATED_SIGNUP_WINDOW_MS) join(byTime[k][1], byTime[k - 1][1]);
  }
  const groups = new Map<number, { size: number; weight: number }>();
  reporters.forEach((r, i) => {
    const g = groups.get(find(i)) ?? { size: 0, weight: 0 };
    g.size++;
    g.weight = Math.max(g.weight, reporterWeight(r, now));
    groups.set(find(i), g);
  });
  const all = [...groups.values()];
  return {
    reports: reporters.length,
    newcomers: reporters.filter((r) => reporterWeight(r, now) === 0).length,
    relatedGroups: all.filter((g) => g.size > 1).length,
    score: all.reduce((s, g) => s + g.weight, 0),
  };
}

/** The reporters of the pending reports on one target within the window, with what the rule needs. */
export async function loadReporters(q: Queryable, type: TargetType, id: number, since: Date, now: Date): Promise<Reporter[]> {
  const rows = await moderationRepository(q).reporters(type, id, since, now, COMPLETED_RENTAL_STATUSES);
  return rows.map((r) => ({ id: r.id, createdAt: new Date(r.created_at), signupIp: r.signup_ip, completedRentals: r.completed }));
}

/** A rental counts as completed once the item is back or the claim is settled (the reviewable states but an open claim). */
export const COMPLETED_RENTAL_STATUSES = REVIEWABLE_STATUSES.filter((s) => s !== 'CLAIMING');
