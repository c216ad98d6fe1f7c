import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireMember } from '../../http/auth.ts';
import { Nullable } from '../../http/wire.ts';
import { neighbourhoodsService } from './service.ts';

const tags = ['neighbourhoods'];
export const Lat = Type.Number({ minimum: -90, maximum: 90, description: '위도 (WGS84)' });
export const Lng = Type.Number({ minimum: -180, maximum: 180, description: '경도 (WGS84)' });
export const DongCode = Type.String({ pattern: '^[0-9]{10}$', description: '행정동 코드 (10자리)' });

const Ref = Type.Object({ id: Type.Integer(), name: Type.String() });
export const Neighbourhood = Type.Object({
  code: Type.String(), name: Type.String(), fullName: Type.String(), sigungu: Ref, sido: Ref,
});
export const MyNeighbourhoods = Type.Object({
  items: Type.Array(Type.Object({
    ...Neighbourhood.properties,
    verified: Type.Boolean({ description: '동네 인증이 유효함 (인증 후 30일)' }),
    verifiedAt: Nullable(Type.String()),
  })),
});
const Position = Type.Object({ lat: Lat, lng: Lng });
const SetBody = Type.Object(
  { codes: Type.Array(DongCode, { minItems: 1, maxItems: 2, uniqueItems: true, description: '첫 번째가 기본 동네' }) },
  { additionalProperties: false },
);
const VerifyBody = Type.Object({ lat: Lat, lng: Lng, code: Type.Optional(DongCode) }, { additionalProperties: false });

export const neighbourhoodsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hoods = neighbourhoodsService(app.deps);

  app.get('/neighbourhoods', {
    schema: {
      tags, summary: '동네 이름 검색 (최대 20개)',
      querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 30 }) }),
      response: { 200: Type.Object({ items: Type.Array(Neighbourhood) }) },
    },
  }, async (req) => hoods.search(req.query.q));

  app.get('/neighbourhoods/nearest', {
    schema: {
      tags, summary: '가장 가까운 동네와 거리 (좌표는 저장하지 않습니다)',
      querystring: Position,
      response: { 200: Type.Object({ neighbourhood: Neighbourhood, distanceKm: Type.Number() }) },
    },
  }, async (req) => hoods.nearest(req.query));

  app.get('/members/me/neighbourhoods', {
    schema: { tags, summary: '내 동네 (1–2개, 인증 여부)', response: { 200: MyNeighbourhoods } },
  }, async (req) => hoods.mine(requireMember(req).id));

  app.put('/members/me/neighbourhoods', {
    schema: { tags, summary: '내 동네 설정 (1–2개; 그대로 남는 동네는 인증이 유지됩니다)', body: SetBody, response: { 200: MyNeighbourhoods } },
  }, async (req) => hoods.setMine(requireMember(req).id, req.body.codes));

  app.post('/members/me/neighbourhoods/verify', {
    schema: {
      tags, summary: '동네 인증: 브라우저 위치가 내 동네에서 3km 이내이면 30일간 인증됩니다 (위치는 저장하지 않음)',
      body: VerifyBody, response: { 200: MyNeighbourhoods },
    },
  }, async (req) => {
    const { lat, lng, code } = req.body;
    return hoods.verify(requireMember(req).id, { lat, lng }, code);
  });
};
