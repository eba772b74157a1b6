-- An organiser membership may be limited to some departments of its organisation (ADR 0014).
-- Empty, the default, keeps every existing organiser's view of the whole organisation.
ALTER TABLE "Membership" ADD COLUMN "organiserDepartmentIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- A certificate ZIP asked for by a department organiser holds their departments' people only,
-- whenever the job builds it, and only organisers who see all of those departments may fetch it.
ALTER TABLE "CertificateExport" ADD COLUMN "departmentIds" TEXT[] DEFAULT ARRAY[]::TEXT[];
