-- The sessions-cleanup job (embedded mode) deletes expired sessions by expires_at.
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires_at);
