-- CreateEnum
CREATE TYPE "AnomalyStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'DISMISSED', 'CONTAINED');

-- CreateTable
CREATE TABLE "activity_rollups" (
    "granularity" INTEGER NOT NULL,
    "agent_id" UUID NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "tenant_id" UUID,
    "tokens_issued" INTEGER NOT NULL DEFAULT 0,
    "decisions" INTEGER NOT NULL DEFAULT 0,
    "denials" INTEGER NOT NULL DEFAULT 0,
    "out_of_scope" INTEGER NOT NULL DEFAULT 0,
    "distinct_resources" INTEGER NOT NULL DEFAULT 0,
    "distinct_ips" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "activity_rollups_pkey" PRIMARY KEY ("granularity","agent_id","bucket_start")
);

-- CreateTable
CREATE TABLE "anomalies" (
    "id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" "Risk" NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "observed" DOUBLE PRECISION NOT NULL,
    "expected" DOUBLE PRECISION NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "detail" TEXT NOT NULL,
    "status" "AnomalyStatus" NOT NULL DEFAULT 'OPEN',
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by" TEXT,
    "resolution" TEXT,

    CONSTRAINT "anomalies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_source_ips" (
    "agent_id" UUID NOT NULL,
    "ip" TEXT NOT NULL,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agent_source_ips_pkey" PRIMARY KEY ("agent_id","ip")
);

-- CreateIndex
CREATE INDEX "activity_rollups_granularity_tenant_id_bucket_start_idx" ON "activity_rollups"("granularity", "tenant_id", "bucket_start");

-- CreateIndex
CREATE INDEX "activity_rollups_granularity_bucket_start_idx" ON "activity_rollups"("granularity", "bucket_start");

-- CreateIndex
CREATE INDEX "anomalies_tenant_id_status_window_start_idx" ON "anomalies"("tenant_id", "status", "window_start");

-- CreateIndex
CREATE INDEX "anomalies_status_window_start_idx" ON "anomalies"("status", "window_start");

-- CreateIndex
CREATE UNIQUE INDEX "anomalies_agent_id_kind_window_start_key" ON "anomalies"("agent_id", "kind", "window_start");

-- CreateIndex
CREATE INDEX "agent_source_ips_first_seen_idx" ON "agent_source_ips"("first_seen");

-- AddForeignKey
ALTER TABLE "anomalies" ADD CONSTRAINT "anomalies_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

