-- AlterTable
ALTER TABLE "tenants" ADD COLUMN     "auto_suspend_on_high_anomaly" BOOLEAN NOT NULL DEFAULT false;

