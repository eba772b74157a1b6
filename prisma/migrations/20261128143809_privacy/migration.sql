-- AlterEnum
ALTER TYPE "ExportStatus" ADD VALUE 'EXPIRED';

-- AlterEnum
ALTER TYPE "TokenKind" ADD VALUE 'CHANGE_EMAIL';

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "subjectUserId" TEXT;

-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "holderWithdrawnAt" TIMESTAMP(3),
ADD COLUMN     "reissuedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "endedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Token" ADD COLUMN     "data" JSONB;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "deletionRequestedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "AuditEvent_subjectUserId_at_idx" ON "AuditEvent"("subjectUserId", "at");

