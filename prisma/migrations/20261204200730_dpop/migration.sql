-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "dpop_required" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "dpop_required" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "dpop_proofs" (
    "jkt" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dpop_proofs_pkey" PRIMARY KEY ("jkt","jti")
);

-- CreateIndex
CREATE INDEX "dpop_proofs_expires_at_idx" ON "dpop_proofs"("expires_at");

