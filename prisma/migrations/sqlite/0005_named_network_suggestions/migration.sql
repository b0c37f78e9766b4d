-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_NamedNetwork" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "cidrs" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'user',
    "confirmed" BOOLEAN NOT NULL DEFAULT true,
    "evidence" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_NamedNetwork" ("cidrs", "createdAt", "id", "kind", "name") SELECT "cidrs", "createdAt", "id", "kind", "name" FROM "NamedNetwork";
DROP TABLE "NamedNetwork";
ALTER TABLE "new_NamedNetwork" RENAME TO "NamedNetwork";
CREATE UNIQUE INDEX "NamedNetwork_name_key" ON "NamedNetwork"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
