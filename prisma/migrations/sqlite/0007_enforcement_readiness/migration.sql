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
    "decidedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("applicationId", "environment", "dependency"),
    CONSTRAINT "EnforcementDecision_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
