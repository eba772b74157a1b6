-- CreateEnum
CREATE TYPE "EnrolmentKind" AS ENUM ('INITIAL', 'RENEWAL');

-- CreateEnum
CREATE TYPE "ExportStatus" AS ENUM ('QUEUED', 'RUNNING', 'DONE', 'FAILED');

-- AlterTable
ALTER TABLE "Enrolment" ADD COLUMN     "kind" "EnrolmentKind" NOT NULL DEFAULT 'INITIAL',
ADD COLUMN     "renewsCertificateId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "cpdPeriodStartsOn" TEXT,
ADD COLUMN     "cpdSchemeId" TEXT,
ADD COLUMN     "cpdTargetCredits" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "milestone" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "emailMessageId" TEXT,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateExport" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "status" "ExportStatus" NOT NULL DEFAULT 'QUEUED',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "storageKey" TEXT,
    "sizeBytes" INTEGER,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "CertificateExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Notification_sentAt_claimedAt_idx" ON "Notification"("sentAt", "claimedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_userId_kind_subjectId_milestone_key" ON "Notification"("userId", "kind", "subjectId", "milestone");

-- CreateIndex
CREATE INDEX "CertificateExport_organisationId_createdAt_idx" ON "CertificateExport"("organisationId", "createdAt");

