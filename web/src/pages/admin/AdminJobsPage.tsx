// Scheduled jobs (SPEC §9): cron (Asia/Seoul), paused, next and last run; change the schedule,
// pause/resume, run now, and the execution history with outcome and error.
import { useState, type FormEvent } from 'react';
import { useJobCommand, useJobHistory, useJobs, type JobInfo, type JobOutcome, type JobRun } from '../../api/admin.ts';
import { pageItems } from '../../api/paging.ts';
import { EmptyState, ErrorBox, FormError, LoadMore, Spinner, useDocumentTitle } from '../../components/ui.tsx';
import { blockEnterWhileComposing } from '../../lib/ime.ts';

const dateTime = new Intl.DateTimeFormat('ko-KR', {
  timeZone: 'Asia/Seoul', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});
const when = (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : '-');

const OUTCOME_LABELS: Record<string, string> = { OK: '성공', FAILED: '실패', SKIPPED: '건너뜀', RUNNING: '실행 중' };
const TRIGGER_LABELS: Record<JobRun['trigger'], string> = { CRON: '예약', MANUAL: '수동', NUDGE: '즉시 알림' };

function OutcomeBadge({ outcome }: { outcome: JobOutcome }) {
  const key = outcome ?? 'RUNNING';
  return <span className={`badge outcome-${key.toLowerCase()}`}>{OUTCOME_LABELS[key]}</span>;
}

export function AdminJobsPage() {
  useDocumentTitle('예약 작업');
  const jobs = useJobs();
  return (
    <div className="admin-section">
      <div className="admin-toolbar">
        <p className="muted">모든 시간은 한국 시간(Asia/Seoul)이에요. 변경은 모든 서버에 바로 적용돼요.</p>
        <button type="button" className="btn btn-small" onClick={() => jobs.refetch()} disabled={jobs.isFetching}>새로고침</button>
      </div>
      {jobs.isPending ? <Spinner /> : jobs.error ? <ErrorBox error={jobs.error} onRetry={() => jobs.refetch()} /> :
        jobs.data.length === 0 ? <EmptyState title="등록된 작업이 없어요" /> : (
          <ul className="admin-list">
            {jobs.data.map((j) => <li key={j.name}><JobCard job={j} /></li>)}
          </ul>
        )}
    </div>
  );
}

function JobCard({ job }: { job: JobInfo }) {
  const command = useJobCommand();
  const [editing, setEditing] = useState(false);
  const [cron, setCron] = useState(job.cron);
  const [showHistory, setShowHistory] = useState(false);
  const [ranAt, setRanAt] = useState<string | null>(null);

  const saveCron = (e: FormEvent) => {
    e.preventDefault();
    command.mutate({ name: job.name, kind: 'schedule', cron: cron.trim() }, { onSuccess: () => setEditing(false) });
  };
  return (
    <article className="admin-card job-card" data-testid="job-card" data-job={job.name}>
      <header className="admin-card-head">
        <strong className="admin-card-title job-name">{job.name}</strong>
        {job.paused ? <span className="badge badge-danger">일시정지</span> : <span className="badge outcome-ok">동작 중</span>}
      </header>
      <p className="job-desc">{job.description}</p>
      {editing ? (
        <form className="cron-form" onSubmit={saveCron}>
          <input value={cron} onChange={(e) => setCron(e.target.value)} onKeyDown={blockEnterWhileComposing}
            // biome-ignore lint/a11y/noAutofocus: the field appears only after the user pressed a button to open it, so focusing it is what the user asked for
            aria-label={`${job.name} 실행 주기 (cron)`} spellCheck={false} autoFocus />
          <button type="submit" className="btn btn-small btn-primary" disabled={command.isPending || !cron.trim()}>저장</button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => { setEditing(false); setCron(job.cron); command.reset(); }}>취소</button>
          {job.cron !== job.defaultCron && (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setCron(job.defaultCron)}>기본값</button>
          )}
        </form>
      ) : (
        <dl className="kv job-kv">
          <dt>주기</dt>
          <dd><code data-testid="job-cron">{job.cron}</code>{job.cron !== job.defaultCron && <span className="muted"> (기본 {job.defaultCron})</span>}</dd>
          <dt>다음 실행</dt><dd>{job.paused ? '일시정지됨' : when(job.nextRunAt)}</dd>
          <dt>최근 실행</dt>
          <dd>
            {job.lastRun ? <><OutcomeBadge outcome={job.lastRun.outcome} /> {when(job.lastRun.startedAt)}</> : '아직 없음'}
            {job.lastRun?.error && <span className="job-error">{job.lastRun.error}</span>}
          </dd>
        </dl>
      )}
      <div className="admin-card-actions">
        {!editing && <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>주기 변경</button>}
        <button type="button" className="btn btn-small" disabled={command.isPending}
          onClick={() => command.mutate({ name: job.name, kind: job.paused ? 'resume' : 'pause' })}>{job.paused ? '재개' : '일시정지'}</button>
        <button type="button" className="btn btn-small btn-primary" disabled={command.isPending}
          onClick={() => command.mutate({ name: job.name, kind: 'run' }, { onSuccess: () => { setRanAt(new Date().toISOString()); setShowHistory(true); } })}>
          지금 실행
        </button>
        <button type="button" className="btn btn-small btn-ghost" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
          {showHistory ? '이력 닫기' : '실행 이력'}
        </button>
      </div>
      {ranAt && <p className="form-ok" role="status">실행을 요청했어요 ({when(ranAt)})</p>}
      <FormError error={command.error} />
      {showHistory && <JobHistory name={job.name} refreshKey={ranAt} />}
    </article>
  );
}

function JobHistory({ name, refreshKey }: { name: string; refreshKey: string | null }) {
  const history = useJobHistory(name);
  const runs = pageItems(history.data);
  const running = runs.some((r) => r.outcome === null);
  return (
    <div className="job-history" data-testid="job-history" key={refreshKey ?? ''}>
      <div className="job-history-head">
        <strong>실행 이력</strong>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => history.refetch()} disabled={history.isFetching}>
          {history.isFetching ? '불러오는 중' : running ? '새로고침 (실행 중)' : '새로고침'}
        </button>
      </div>
      {history.isPending ? <Spinner /> : history.error ? <ErrorBox error={history.error} /> : runs.length === 0 ? (
        <p className="muted">아직 실행 기록이 없어요.</p>
      ) : (
        <table className="history-table">
          <thead><tr><th>시작</th><th>결과</th><th>방식</th><th>소요</th></tr></thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-testid="job-run">
                <td>{when(run.startedAt)}</td>
                <td>
                  <OutcomeBadge outcome={run.outcome} />
                  {run.error && <div className="job-error">{run.error}</div>}
                  {run.result && Object.keys(run.result).length > 0 && <div className="muted job-result">{summarize(run.result)}</div>}
                </td>
                <td>{TRIGGER_LABELS[run.trigger]}</td>
                <td>{run.finishedAt ? `${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)}초` : '-'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore query={history} />
    </div>
  );
}

function summarize(result: Record<string, unknown>): string {
  return Object.entries(result).slice(0, 4).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ');
}
