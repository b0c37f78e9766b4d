-- CreateTable
CREATE TABLE "EnforcementDecision" (
    "applicationId" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "dependency" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "ruleId" TEXT,
    "comment" TEXT,
    "decidedById" TEXT,
    "decidedByName" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EnforcementDecision_pkey" PRIMARY KEY ("applicationId","environment","dependency")
);

-- AddForeignKey
ALTER TABLE "EnforcementDecision" ADD CONSTRAINT "EnforcementDecision_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;
