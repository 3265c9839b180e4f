-- The loader COPYs observations with session_replication_role = replica, so PostgreSQL's per-row foreign-key
-- checks are skipped and it checks the references itself, set-based, under SHARE locks on the parents
-- (etl/load/write-observations.ts). Triggers fire under that role only when ENABLE ALWAYS: the data-version
-- bumps on observations and observation_revisions must fire however the rows are written.
ALTER TABLE "observations" ENABLE ALWAYS TRIGGER "observations_data_version";--> statement-breakpoint
ALTER TABLE "observation_revisions" ENABLE ALWAYS TRIGGER "observation_revisions_data_version";
