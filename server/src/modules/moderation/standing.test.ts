// The reporter standing rule on its own: age, completed rentals, weight, and related reporters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessReporters, reporterWeight, REPORTER_MIN_ACCOUNT_DAYS, TRUSTED_WEIGHT, type Reporter } from './standing.ts';

const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
let ids = 0;
const reporter = (ageDays: number, completedRentals: number, signupIp: string | null = null): Reporter => ({
  id: ++ids, createdAt: daysAgo(ageDays), signupIp: signupIp ?? `192.0.2.${ids}`, completedRentals,
});

test('standing needs both the account age and a completed rental', () => {
  assert.equal(reporterWeight(reporter(REPORTER_MIN_ACCOUNT_DAYS - 1, 3), now), 0, 'too new');
  assert.equal(reporterWeight(reporter(400, 0), now), 0, 'never rented');
  assert.equal(reporterWeight(reporter(REPORTER_MIN_ACCOUNT_DAYS, 1), now), 1);
  assert.equal(reporterWeight(reporter(200, 5), now), TRUSTED_WEIGHT, 'long-standing members weigh more');
});

test('independent reporters add up; related ones (address or sign-up time) count once', () => {
  const independent = [20, 30, 40, 50, 60].map((d) => reporter(d, 1));
  assert.equal(assessReporters(independent, now).score, 5);
  const sameIp = [20, 30, 40, 50, 60].map((d) => reporter(d, 1, '203.0.113.9'));
  assert.deepEqual(assessReporters(sameIp, now), { reports: 5, newcomers: 0, relatedGroups: 1, score: 1 });
  // a chain of sign-ups 30 minutes apart is one group even though the ends are 2 hours apart
  const base = daysAgo(30).getTime();
  const chained = [0, 1, 2, 3, 4].map((k) => ({ ...reporter(0, 1), createdAt: new Date(base + k * 30 * 60_000) }));
  assert.equal(assessReporters(chained, now).score, 1);
  const fresh = [0, 0, 0, 0, 0].map(() => ({ ...reporter(0, 0), createdAt: new Date(now.getTime() - Math.random() * 1000) }));
  assert.deepEqual(assessReporters(fresh, now), { reports: 5, newcomers: 5, relatedGroups: 1, score: 0 });
});
