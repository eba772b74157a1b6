-- DropIndex
DROP INDEX "User_email_trgm_idx";

-- DropIndex
DROP INDEX "User_name_trgm_idx";

-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "licenceNumber" TEXT,
ADD COLUMN     "profession" "Profession";

