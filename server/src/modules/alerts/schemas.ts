// Alert shapes: a saved search (query + optional filters + 동네 radius) and a 빈 날짜 알림.
import { Type, type Static } from 'typebox';
import { Id, Nullable, OneOf } from '../../http/wire.ts';
import { RADII_KM } from '../neighbourhoods/geo.ts';
import { Day, MAX_FEE } from '../posts/schemas.ts';

/** a member keeps at most this many saved searches */
export const MAX_ALERTS = 20;

const Won = Type.Integer({ minimum: 0, maximum: MAX_FEE });

export const AlertBody = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: '검색어 (키워드 또는 문장; 검색과 같은 방식으로 맞춰 봄)' }),
    categoryId: Type.Optional(Id),
    regionId: Type.Optional(Id),
    minFee: Type.Optional(Won),
    maxFee: Type.Optional(Won),
    radiusKm: Type.Optional(OneOf(RADII_KM, { description: `내 첫 번째 동네에서 반경 km: ${RADII_KM.join(', ')}` })),
  },
  { additionalProperties: false },
);
export type AlertBody = Static<typeof AlertBody>;

const Ref = Type.Object({ id: Type.Integer(), name: Type.String() });

export const AlertOut = Type.Object({
  id: Type.Integer(),
  query: Type.String(),
  category: Nullable(Ref),
  region: Nullable(Ref),
  minFee: Nullable(Type.Integer()),
  maxFee: Nullable(Type.Integer()),
  radiusKm: Nullable(Type.Integer()),
  createdAt: Type.String(),
});

export const DateAlertBody = Type.Object({ startDate: Day, endDate: Day }, { additionalProperties: false });

export const DateAlertOut = Type.Object({
  id: Type.Integer(),
  post: Ref,
  startDate: Type.String(),
  endDate: Type.String(),
  /** null while waiting; set once the dates became free and the member was told */
  notifiedAt: Nullable(Type.String()),
  createdAt: Type.String(),
});

export const AlertList = Type.Object({ items: Type.Array(AlertOut), dateAlerts: Type.Array(DateAlertOut) });
