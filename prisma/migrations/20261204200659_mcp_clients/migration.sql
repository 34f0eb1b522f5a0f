-- CreateEnum
CREATE TYPE "AgentKind" AS ENUM ('AGENT', 'MCP_CLIENT');

-- CreateEnum
CREATE TYPE "ClientApproval" AS ENUM ('PENDING', 'APPROVED', 'BLOCKED');

-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "mcp_open_scopes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "client_approval" "ClientApproval",
ADD COLUMN     "client_approval_at" TIMESTAMPTZ(3),
ADD COLUMN     "client_approval_by" TEXT,
ADD COLUMN     "client_metadata" JSONB,
ADD COLUMN     "client_metadata_at" TIMESTAMPTZ(3),
ADD COLUMN     "client_source" TEXT,
ADD COLUMN     "kind" "AgentKind" NOT NULL DEFAULT 'AGENT',
ADD COLUMN     "oauth_client_id" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "agents_tenant_id_oauth_client_id_key" ON "agents"("tenant_id", "oauth_client_id");

