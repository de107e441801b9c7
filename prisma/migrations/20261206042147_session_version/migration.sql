-- SEC-1: the session version. Sign-in copies it into the session token and
-- every request compares the two, so raising it ends every session of the
-- account at once (sign out everywhere). Existing rows start at 0.
ALTER TABLE "users" ADD COLUMN "session_version" INTEGER NOT NULL DEFAULT 0;
