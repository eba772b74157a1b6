-- AlterTable
ALTER TABLE "Enrolment" ADD COLUMN     "exemptedAt" TIMESTAMP(3),
ADD COLUMN     "exemptionReason" TEXT,
ADD COLUMN     "ruleId" TEXT;

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "reminderHour" INTEGER NOT NULL DEFAULT 8;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "mutedNotices" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "TrainingRule" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "departmentId" TEXT,
    "profession" "Profession",
    "dueWithinDays" INTEGER NOT NULL,
    "recurEveryMonths" INTEGER,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "archivedAt" TIMESTAMP(3),

    CONSTRAINT "TrainingRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DueDateExtension" (
    "id" TEXT NOT NULL,
    "enrolmentId" TEXT NOT NULL,
    "previousDueAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DueDateExtension_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrainingRule_organisationId_archivedAt_idx" ON "TrainingRule"("organisationId", "archivedAt");

-- CreateIndex
CREATE INDEX "DueDateExtension_enrolmentId_idx" ON "DueDateExtension"("enrolmentId");

