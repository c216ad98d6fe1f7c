// The web app's pure rules: query strings, listing form → multipart data, date runs, search URL parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toQueryString } from '../src/api/client.ts';
import { addDays, dateRuns, relativeTime, seoulDate } from '../src/lib/format.ts';
import { draftToData, validateDraft, type PostDraft } from '../src/pages/posts/PostFormPage.tsx';
import { filtersFromParams } from '../src/pages/search/SearchPage.tsx';

const file = (name: string) => new File([new Uint8Array([1, 2, 3])], name, { type: 'image/png' });

function draft(overrides: Partial<PostDraft> = {}): PostDraft {
  return {
    images: [{ kind: 'new', key: 'n1', file: file('a.png'), url: 'blob:a' }],
    primaryKey: 'n1',
    title: '전동 드릴',
    content: '잘 됩니다',
    categoryId: 12,
    regionIds: [3],
    fee: '5000',
    deposit: '',
    weeklyFee: '',
    monthlyFee: '',
    instantBooking: false,
    cancellationPolicy: 'flexible',
    receiveMethod: 'ANY',
    returnMethod: 'DIRECT',
    returnAddress: '  ',
    options: [],
    blockedDates: [],
    ...overrides,
  };
}

test('query strings leave out empty values and repeat arrays', () => {
  assert.equal(toQueryString({ a: 1, b: '', c: undefined, d: null, e: [1, 2], f: '한글' }), '?a=1&e=1&e=2&f=%ED%95%9C%EA%B8%80');
  assert.equal(toQueryString({}), '');
});

test('form data: kept photos first, new files after, primary index into that order', () => {
  const tomorrow = addDays(seoulDate(), 1);
  const { data, files } = draftToData(
    draft({
      images: [
        { kind: 'existing', key: 'e7', id: 7, url: '/media/7' },
        { kind: 'new', key: 'n1', file: file('a.png'), url: 'blob:a' },
        { kind: 'existing', key: 'e9', id: 9, url: '/media/9' },
        { kind: 'new', key: 'n2', file: file('b.png'), url: 'blob:b' },
      ],
      primaryKey: 'n2',
      options: [{ key: 'o1', id: 4, name: ' 배터리 ', fee: '1000', deposit: '' }, { key: 'o2', name: '비트', fee: '', deposit: '3000' }],
      blockedDates: [tomorrow, '2000-01-01'],
    }),
    true,
  );
  assert.deepEqual(data.keepImageIds, [7, 9]);
  assert.deepEqual(files.map((f) => f.name), ['a.png', 'b.png']);
  assert.equal(data.primaryIndex, 3); // [7, 9, a, b] → b
  assert.equal(data.deposit, 0);
  assert.equal(data.returnAddress, null);
  assert.deepEqual(data.options, [{ id: 4, name: '배터리', fee: 1000, deposit: 0 }, { name: '비트', fee: 0, deposit: 3000 }]);
  assert.deepEqual(data.blockedDates, [tomorrow]); // past days are dropped
});

test('create data has no keepImageIds', () => {
  const { data } = draftToData(draft(), false);
  assert.equal('keepImageIds' in data, false);
  assert.equal(data.primaryIndex, 0);
});

test('the form refuses what the server would refuse, in Korean', () => {
  assert.equal(validateDraft(draft()), null);
  assert.match(validateDraft(draft({ images: [] }))!, /사진/);
  assert.match(validateDraft(draft({ title: ' a ' }))!, /제목/);
  assert.match(validateDraft(draft({ categoryId: undefined }))!, /카테고리/);
  assert.match(validateDraft(draft({ regionIds: [] }))!, /지역/);
  assert.match(validateDraft(draft({ fee: '' }))!, /대여료/);
  assert.match(validateDraft(draft({ options: [{ key: 'x', name: ' ', fee: '1', deposit: '' }] }))!, /옵션 1/);
  // weekly/monthly prices: the server's rule (pricing.ts), with its Korean message
  assert.match(validateDraft(draft({ weeklyFee: '35000' }))!, /주 요금은 하루 요금의 7배\(35,000원\)보다 낮아야 해요/);
  assert.match(validateDraft(draft({ weeklyFee: '30000', monthlyFee: '20000' }))!, /월 요금은 주 요금\(30,000원\)보다 높아야 해요/);
  assert.equal(validateDraft(draft({ weeklyFee: '30000', monthlyFee: '100000' })), null);
  assert.deepEqual(
    (({ weeklyFee, monthlyFee, instantBooking, cancellationPolicy }) => ({ weeklyFee, monthlyFee, instantBooking, cancellationPolicy }))(
      draftToData(draft({ weeklyFee: '30000', instantBooking: true, cancellationPolicy: 'strict' }), false).data,
    ),
    { weeklyFee: 30000, monthlyFee: null, instantBooking: true, cancellationPolicy: 'strict' },
  );
});

test('dates compress into runs; relative times read naturally', () => {
  assert.deepEqual(dateRuns(['2025-03-03', '2025-03-01', '2025-03-02', '2025-03-07', '2025-03-02']), [
    { start: '2025-03-01', end: '2025-03-03' },
    { start: '2025-03-07', end: '2025-03-07' },
  ]);
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  const now = new Date('2025-06-01T12:00:00Z');
  assert.equal(relativeTime('2025-06-01T11:59:30Z', now), '방금 전');
  assert.equal(relativeTime('2025-06-01T09:00:00Z', now), '3시간 전');
  assert.equal(relativeTime('2025-04-01T12:00:00Z', now), '2달 전');
});

test('search filters come from the URL and ignore junk', () => {
  const f = filtersFromParams(new URLSearchParams('q=%20텐트%20&category=3&region=x&minFee=1000&maxFee=-1&sort=weird&from=2031-05-02&to=x'));
  assert.deepEqual(f, {
    keyword: '텐트', categoryId: 3, regionId: undefined, minFee: 1000, maxFee: undefined, from: '2031-05-02', to: undefined, sort: 'relevance',
  });
  // a plain sort is kept without dates; with dates only the ranked search knows availability
  assert.equal(filtersFromParams(new URLSearchParams('sort=fee_asc')).sort, 'fee_asc');
  assert.equal(filtersFromParams(new URLSearchParams('sort=fee_asc&to=2031-05-03')).sort, 'relevance');
});
