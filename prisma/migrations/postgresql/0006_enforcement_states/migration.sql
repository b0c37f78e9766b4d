-- CreateTable
CREATE TABLE "Enforcement" (
    "applicationId" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "changedById" TEXT,
    "changedByName" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Enforcement_pkey" PRIMARY KEY ("applicationId","environment")
);

-- AddForeignKey
ALTER TABLE "Enforcement" ADD CONSTRAINT "Enforcement_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
