-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "consent_withdrawn_at" TIMESTAMPTZ(3),
ADD COLUMN     "consent_withdrawn_by" TEXT,
ADD COLUMN     "consent_withdrawn_reason" TEXT;

