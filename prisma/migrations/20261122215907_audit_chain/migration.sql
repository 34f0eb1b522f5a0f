-- DropIndex
DROP INDEX "audit_events_tenant_id_occurred_at_idx";

-- DropIndex
DROP INDEX "audit_events_actor_type_actor_id_occurred_at_idx";

-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "on_behalf_of" TEXT,
ADD COLUMN     "prev_hash" TEXT,
ADD COLUMN     "seq" BIGINT;

-- CreateTable
CREATE TABLE "audit_chain_head" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "seq" BIGINT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_chain_head_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_checkpoints" (
    "id" BIGSERIAL NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "key_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_segments" (
    "id" BIGSERIAL NOT NULL,
    "from_seq" BIGINT NOT NULL,
    "to_seq" BIGINT NOT NULL,
    "last_hash" TEXT NOT NULL,
    "checkpoint_id" BIGINT NOT NULL,
    "events" BIGINT NOT NULL,
    "file_sha256" TEXT NOT NULL,
    "archived_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archived_by" TEXT NOT NULL,

    CONSTRAINT "audit_segments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_checkpoints_seq_idx" ON "audit_checkpoints"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "audit_segments_to_seq_key" ON "audit_segments"("to_seq");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_seq_key" ON "audit_events"("seq");

-- CreateIndex
CREATE INDEX "audit_events_tenant_id_seq_idx" ON "audit_events"("tenant_id", "seq");

-- CreateIndex
CREATE INDEX "audit_events_actor_type_actor_id_seq_idx" ON "audit_events"("actor_type", "actor_id", "seq");

-- CreateIndex
CREATE INDEX "audit_events_action_seq_idx" ON "audit_events"("action", "seq");

-- CreateIndex
CREATE INDEX "audit_events_target_type_target_id_seq_idx" ON "audit_events"("target_type", "target_id", "seq");

-- CreateIndex
CREATE INDEX "audit_events_request_id_idx" ON "audit_events"("request_id");


-- Hand-written (Prisma's schema language cannot say these).

-- The chain starts at seq 0 with a hash of 64 zeros.
INSERT INTO "audit_chain_head" ("id", "seq", "prev_hash", "hash")
VALUES (1, 0, '', '0000000000000000000000000000000000000000000000000000000000000000');

-- The audit store is append-only: the database refuses to change or remove an event. Two
-- exceptions, each narrow: an event written before the chain existed may be given its place in
-- the chain once (nothing else about it may change), and a whole archived segment may leave
-- (retention: rows up to a segment's last event, while mandate.audit_archive_through names it).
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  through bigint := nullif(current_setting('mandate.audit_archive_through', true), '')::bigint;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
     AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' AND through IS NOT NULL AND OLD.seq IS NOT NULL AND OLD.seq <= through
     AND EXISTS (SELECT 1 FROM "audit_segments" WHERE "to_seq" = through) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = '42501';
END $$;
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();

CREATE FUNCTION "audit_refuse"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
END $$;
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse"();
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse"();
CREATE TRIGGER "audit_segments_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_segments"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse"();
CREATE TRIGGER "audit_chain_head_no_delete" BEFORE DELETE OR TRUNCATE ON "audit_chain_head"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse"();

-- Search in the audit log matches actors' labels (emails, client ids, agent names) anywhere.
CREATE INDEX "audit_events_actor_label_trgm_idx" ON "audit_events" USING gin ("actor_label" gin_trgm_ops);
