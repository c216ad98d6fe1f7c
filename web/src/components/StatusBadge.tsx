// A reservation status as a coloured pill with its Korean label.
import { statusLabel, statusTone, type Status } from '../api/reservations.ts';

export function StatusBadge({ status, label }: { status: Status; label?: string }) {
  return <span className={`status-badge tone-${statusTone(status)}`} data-testid="status-badge">{label ?? statusLabel(status)}</span>;
}
