-- AlterEnum
ALTER TYPE "ItemKind" ADD VALUE 'SCORM';

-- CreateTable
CREATE TABLE "ScormPackage" (
    "id" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "edition" TEXT,
    "title" TEXT NOT NULL,
    "manifest" JSONB NOT NULL,
    "files" JSONB NOT NULL,
    "fileCount" INTEGER NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "uploadedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScormPackage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScormAttempt" (
    "id" TEXT NOT NULL,
    "enrolmentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "packageId" TEXT NOT NULL,
    "itemKey" TEXT NOT NULL,
    "scoId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "cmi" JSONB NOT NULL DEFAULT '{}',
    "completion" TEXT NOT NULL DEFAULT 'not_attempted',
    "success" TEXT NOT NULL DEFAULT 'unknown',
    "satisfied" BOOLEAN NOT NULL DEFAULT false,
    "scoreScaled" DOUBLE PRECISION,
    "scoreRaw" DOUBLE PRECISION,
    "scoreMin" DOUBLE PRECISION,
    "scoreMax" DOUBLE PRECISION,
    "location" TEXT,
    "exit" TEXT,
    "totalSeconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sessionBaseSeconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sessions" INTEGER NOT NULL DEFAULT 0,
    "launchTokenHash" TEXT,
    "launchExpiresAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "ScormAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ScormPackage_sha256_idx" ON "ScormPackage"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "ScormAttempt_launchTokenHash_key" ON "ScormAttempt"("launchTokenHash");

-- CreateIndex
CREATE INDEX "ScormAttempt_userId_idx" ON "ScormAttempt"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ScormAttempt_enrolmentId_itemKey_scoId_number_key" ON "ScormAttempt"("enrolmentId", "itemKey", "scoId", "number");

-- AddForeignKey
ALTER TABLE "ScormAttempt" ADD CONSTRAINT "ScormAttempt_enrolmentId_fkey" FOREIGN KEY ("enrolmentId") REFERENCES "Enrolment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScormAttempt" ADD CONSTRAINT "ScormAttempt_packageId_fkey" FOREIGN KEY ("packageId") REFERENCES "ScormPackage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

