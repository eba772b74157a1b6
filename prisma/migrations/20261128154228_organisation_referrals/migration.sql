-- CreateTable
CREATE TABLE "OrganisationReferral" (
    "id" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT,
    "hours" TEXT,
    "helpsWith" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrganisationReferral_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrganisationReferral_organisationId_position_idx" ON "OrganisationReferral"("organisationId", "position");

