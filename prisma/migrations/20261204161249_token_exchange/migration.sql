-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "max_delegation_depth" INTEGER NOT NULL DEFAULT 3;

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "delegation_restricted" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "may_delegate_to" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "tokens" ADD COLUMN     "ancestors" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "chain_agents" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "depth" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "parent_id" UUID;

-- CreateIndex
CREATE INDEX "tokens_parent_id_idx" ON "tokens"("parent_id");

-- CreateIndex
CREATE INDEX "tokens_ancestors_idx" ON "tokens" USING GIN ("ancestors");

-- CreateIndex
CREATE INDEX "tokens_chain_agents_idx" ON "tokens" USING GIN ("chain_agents");

-- AddForeignKey
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;

