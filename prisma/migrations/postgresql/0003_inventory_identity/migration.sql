-- AlterTable
ALTER TABLE "Workload" ADD COLUMN     "externalId" TEXT;

-- AlterTable
ALTER TABLE "ImportRun" ADD COLUMN     "summary" JSONB;

-- CreateIndex
CREATE UNIQUE INDEX "Workload_externalId_key" ON "Workload"("externalId");
