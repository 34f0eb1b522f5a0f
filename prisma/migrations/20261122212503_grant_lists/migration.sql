-- DropIndex
DROP INDEX "grants_tenant_id_created_at_idx";

-- DropIndex
DROP INDEX "grants_user_id_created_at_idx";

-- DropIndex
DROP INDEX "grants_agent_id_created_at_idx";

-- AlterTable
ALTER TABLE "grants" ADD COLUMN     "last_used_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "grants_tenant_id_created_at_id_idx" ON "grants"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "grants_user_id_created_at_id_idx" ON "grants"("user_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "grants_agent_id_created_at_id_idx" ON "grants"("agent_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "grants_created_at_id_idx" ON "grants"("created_at", "id");

-- CreateIndex
CREATE INDEX "grants_scopes_idx" ON "grants" USING GIN ("scopes");

