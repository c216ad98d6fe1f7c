import { Type } from 'typebox';
import { Nullable } from '../../http/wire.ts';
import { CursorParam } from '../../lib/cursor.ts';

export const JobName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9-]*$' });
export const JobNameParams = Type.Object({ name: JobName });


export const JobRunSchema = Type.Object({
  id: Type.Integer(),
  jobName: Type.String(),
  trigger: Type.Union([Type.Literal('CRON'), Type.Literal('MANUAL'), Type.Literal('NUDGE')]),
  scheduledAt: Nullable(Type.String({ format: 'date-time' })),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  outcome: Type.Union([Type.Literal('OK'), Type.Literal('FAILED'), Type.Literal('SKIPPED'), Type.Null()], {
    description: 'null = 실행 중',
  }),
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  error: Nullable(Type.String()),
  instanceId: Type.String(),
});

export const JobInfoSchema = Type.Object({
  name: Type.String(),
  description: Type.String(),
  cron: Type.String({ description: '현재 cron (Asia/Seoul, 분 시 일 월 요일)' }),
  defaultCron: Type.String(),
  timeZone: Type.String(),
  paused: Type.Boolean(),
  nextRunAt: Nullable(Type.String({ format: 'date-time' })),
  lastRun: Type.Union([JobRunSchema, Type.Null()]),
});

export const JobList = Type.Object({ items: Type.Array(JobInfoSchema) });

export const ScheduleBody = Type.Object(
  { cron: Type.String({ minLength: 1, maxLength: 100, description: "예: '*/10 * * * *' (Asia/Seoul)" }) },
  { additionalProperties: false },
);

export const RunNowResult = Type.Object({
  queued: Type.Boolean({ description: 'false = 이미 대기 중인 실행이 있어 그 실행이 처리합니다' }),
  jobId: Nullable(Type.String()),
});

export const HistoryQuery = Type.Object({
  cursor: Type.Optional(CursorParam),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const HistoryPage = Type.Object({
  items: Type.Array(JobRunSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
