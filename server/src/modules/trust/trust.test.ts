// The trust score formula (score.ts) — each term moves the score as documented there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trustScore, typicalReplyLabel, TRUST_START, type TrustInputs } from './score.ts';

const none: TrustInputs = { reviewScores: [], completedRentals: 0, onTimeReturns: 0, lateReturns: 0, medianReplyMinutes: null, upheldReports: 0 };

test('a newcomer starts at 36.5', () => {
  assert.equal(TRUST_START, 36.5);
  assert.equal(trustScore(none), 36.5);
});

test('reviews move it by (score − 3) × 0.3 each; only the latest 100 count', () => {
  assert.equal(trustScore({ ...none, reviewScores: [5] }), 37.1);
  assert.equal(trustScore({ ...none, reviewScores: [1] }), 35.9);
  assert.equal(trustScore({ ...none, reviewScores: [3, 3] }), 36.5);
  assert.equal(trustScore({ ...none, reviewScores: Array(150).fill(5) }), 36.5 + 100 * 0.6);
});

test('completed rentals +0.1 (≤ +5), on-time returns +0.2 (≤ +3), late returns −1 each', () => {
  assert.equal(trustScore({ ...none, completedRentals: 3 }), 36.8);
  assert.equal(trustScore({ ...none, completedRentals: 500 }), 41.5);
  assert.equal(trustScore({ ...none, onTimeReturns: 2 }), 36.9);
  assert.equal(trustScore({ ...none, onTimeReturns: 100 }), 39.5);
  assert.equal(trustScore({ ...none, lateReturns: 2 }), 34.5);
});

test('reply speed: ≤ 1 h +0.5, > 1 day −0.5; upheld reports −3 each; clamped to 0–99', () => {
  assert.equal(trustScore({ ...none, medianReplyMinutes: 30 }), 37);
  assert.equal(trustScore({ ...none, medianReplyMinutes: 300 }), 36.5);
  assert.equal(trustScore({ ...none, medianReplyMinutes: 2000 }), 36);
  assert.equal(trustScore({ ...none, upheldReports: 2 }), 30.5);
  assert.equal(trustScore({ ...none, upheldReports: 50 }), 0);
  assert.equal(trustScore({ ...none, reviewScores: Array(100).fill(5), completedRentals: 100, onTimeReturns: 100 }), 99);
});

test('typical reply label', () => {
  assert.equal(typicalReplyLabel(null), null);
  assert.equal(typicalReplyLabel(5), '보통 10분 이내 응답');
  assert.equal(typicalReplyLabel(45), '보통 1시간 이내 응답');
  assert.equal(typicalReplyLabel(3000), '응답이 느린 편');
});
