-- CreateIndex
CREATE INDEX "TrainingStatus_organisationId_courseId_certificateExpiresOn_idx" ON "TrainingStatus"("organisationId", "courseId", "certificateExpiresOn");

