-- DropIndex
DROP INDEX "audit_events_target_type_target_id_seq_idx";

-- CreateIndex
CREATE INDEX "audit_events_target_id_seq_idx" ON "audit_events"("target_id", "seq");

