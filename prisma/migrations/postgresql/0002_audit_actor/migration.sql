-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "authMethod" TEXT NOT NULL DEFAULT 'password';

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "actorRole" TEXT,
ADD COLUMN     "actorType" TEXT NOT NULL DEFAULT 'user',
ADD COLUMN     "via" TEXT;

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_idx" ON "AuditEvent"("targetType", "targetId");

-- The audit log is append-only: the database refuses changes and deletions, whatever the caller.
-- (Hand-written: Prisma does not model triggers. lib/audit/audit.test.ts checks that they exist.)
CREATE FUNCTION "bulkhead_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER "AuditEvent_no_update_delete" BEFORE UPDATE OR DELETE ON "AuditEvent"
    FOR EACH ROW EXECUTE FUNCTION "bulkhead_audit_append_only"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
    FOR EACH STATEMENT EXECUTE FUNCTION "bulkhead_audit_append_only"();
