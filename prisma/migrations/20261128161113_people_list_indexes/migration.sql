-- CreateIndex
CREATE INDEX "User_name_id_idx" ON "User"("name", "id");


-- Searching people by part of a name or email (ILIKE '%nov%') uses trigram indexes; without them
-- every search reads the whole User table. pg_trgm ships with PostgreSQL.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "User_name_trgm_idx" ON "User" USING gin ("name" gin_trgm_ops);
CREATE INDEX "User_email_trgm_idx" ON "User" USING gin ("email" gin_trgm_ops);

-- Current members of an organisation, read from the index alone by the dashboard and people list.
CREATE INDEX "Membership_current_idx" ON "Membership" ("organisationId", "userId") INCLUDE ("departmentId") WHERE "endedAt" IS NULL;
