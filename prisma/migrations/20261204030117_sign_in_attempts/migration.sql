-- AlterTable
ALTER TABLE "sign_in_throttles" ADD COLUMN     "last_attempt" UUID;

