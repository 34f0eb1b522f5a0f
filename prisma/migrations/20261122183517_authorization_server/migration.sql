-- CreateEnum
CREATE TYPE "TokenKind" AS ENUM ('ACCESS_TOKEN', 'CLIENT_CREDENTIALS', 'REFRESH_TOKEN', 'AUTHORIZATION_CODE');

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "redirect_uris" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "token_ttl_seconds" INTEGER NOT NULL DEFAULT 600;

-- CreateTable
CREATE TABLE "tokens" (
    "id" UUID NOT NULL,
    "hash" TEXT NOT NULL,
    "kind" "TokenKind" NOT NULL,
    "client_id" TEXT NOT NULL,
    "agent_id" UUID,
    "automation_client_id" UUID,
    "tenant_id" UUID,
    "subject_id" UUID,
    "grant_id" TEXT,
    "scopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "audience" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,

    CONSTRAINT "tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "grants" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "scopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,

    CONSTRAINT "grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oidc_payloads" (
    "key" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "uid" TEXT,
    "grant_id" TEXT,
    "payload" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "consumed_at" TIMESTAMPTZ(3),

    CONSTRAINT "oidc_payloads_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "automation_clients" (
    "id" UUID NOT NULL,
    "client_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "global_role" "GlobalRole",
    "tenant_id" UUID,
    "tenant_role" "TenantRole",
    "secret_hash" TEXT NOT NULL,
    "secret_prefix" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_by_label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "automation_clients_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "tokens_hash_key" ON "tokens"("hash");

-- CreateIndex
CREATE INDEX "tokens_agent_id_expires_at_idx" ON "tokens"("agent_id", "expires_at");

-- CreateIndex
CREATE INDEX "tokens_automation_client_id_expires_at_idx" ON "tokens"("automation_client_id", "expires_at");

-- CreateIndex
CREATE INDEX "tokens_grant_id_idx" ON "tokens"("grant_id");

-- CreateIndex
CREATE INDEX "tokens_tenant_id_expires_at_idx" ON "tokens"("tenant_id", "expires_at");

-- CreateIndex
CREATE INDEX "tokens_expires_at_idx" ON "tokens"("expires_at");

-- CreateIndex
CREATE INDEX "grants_tenant_id_created_at_idx" ON "grants"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "grants_user_id_created_at_idx" ON "grants"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "grants_agent_id_created_at_idx" ON "grants"("agent_id", "created_at");

-- CreateIndex
CREATE INDEX "oidc_payloads_model_uid_idx" ON "oidc_payloads"("model", "uid");

-- CreateIndex
CREATE INDEX "oidc_payloads_grant_id_idx" ON "oidc_payloads"("grant_id");

-- CreateIndex
CREATE INDEX "oidc_payloads_expires_at_idx" ON "oidc_payloads"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "automation_clients_client_id_key" ON "automation_clients"("client_id");

-- CreateIndex
CREATE UNIQUE INDEX "automation_clients_secret_hash_key" ON "automation_clients"("secret_hash");

-- AddForeignKey
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_automation_client_id_fkey" FOREIGN KEY ("automation_client_id") REFERENCES "automation_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "grants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grants" ADD CONSTRAINT "grants_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grants" ADD CONSTRAINT "grants_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "automation_clients" ADD CONSTRAINT "automation_clients_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

