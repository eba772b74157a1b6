-- AlterTable
ALTER TABLE "CourseVersion" ADD COLUMN     "sourceFiles" JSONB;

-- CreateTable
CREATE TABLE "DraftFile" (
    "courseId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "text" TEXT,
    "assetId" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "DraftFile_pkey" PRIMARY KEY ("courseId","path")
);

-- AddForeignKey
ALTER TABLE "DraftFile" ADD CONSTRAINT "DraftFile_courseId_fkey" FOREIGN KEY ("courseId") REFERENCES "Course"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DraftFile" ADD CONSTRAINT "DraftFile_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "DraftFile" ADD CONSTRAINT "DraftFile_text_or_asset" CHECK (("text" IS NULL) <> ("assetId" IS NULL));
