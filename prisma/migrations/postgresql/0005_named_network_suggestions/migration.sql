-- AlterTable
ALTER TABLE "NamedNetwork" ADD COLUMN     "confirmed" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "evidence" JSONB,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'user';
