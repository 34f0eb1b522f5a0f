-- DropIndex
DROP INDEX "agents_tenant_id_created_at_id_idx";

-- CreateIndex
CREATE INDEX "agents_tenant_id_created_at_id_idx" ON "agents"("tenant_id", "created_at" DESC, "id" DESC);


-- Hand-written (Prisma's schema cannot express it without preview features): trigram index so that
-- the agents list's name search ("contains", case-insensitive) uses an index instead of a scan.
-- pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "agents_name_trgm_idx" ON "agents" USING gin ("name" gin_trgm_ops);
