-- CreateTable
CREATE TABLE "TrainingStatus" (
    "organisationId" TEXT NOT NULL,
    "courseId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "member" BOOLEAN NOT NULL,
    "departmentId" TEXT,
    "profession" "Profession" NOT NULL,
    "enrolmentId" TEXT,
    "source" "EnrolmentSource",
    "enrolledAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3),
    "exemptedAt" TIMESTAMP(3),
    "score" DOUBLE PRECISION,
    "certificateCode" TEXT,
    "certificateIssuedAt" TIMESTAMP(3),
    "certificateExpiresOn" TEXT,

    CONSTRAINT "TrainingStatus_pkey" PRIMARY KEY ("organisationId","courseId","userId")
);

-- CreateIndex
CREATE INDEX "TrainingStatus_userId_idx" ON "TrainingStatus"("userId");


-- The table above is a summary the organisers' pages read instead of working out, for every person
-- on every request, their latest enrolment and current certificate (ADR 0010). Triggers keep it in
-- step with its sources; the app never writes it.
--
-- A row exists for (organisation, course, person) while the person has an enrolment of the course in
-- that organisation or a certificate of it issued there. Every refresh recomputes whole rows from
-- the source tables, so a row is right whatever order changes arrive in. Changes to one person are
-- serialised with transaction-level advisory locks (one of 1,024 per person, taken in order, so two
-- refreshes never deadlock): the refresh that waits reads the other's committed rows.

CREATE FUNCTION opora_lock_training_status(p_users text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- One of 1,024 locks per person (a bulk change of 100,000 people must not fill the lock table).
  PERFORM pg_advisory_xact_lock(20261128, b) FROM (SELECT DISTINCT abs(hashtext(u) % 1024) AS b FROM unnest(p_users) AS x(u) WHERE u IS NOT NULL ORDER BY b) ordered;
END $$;

CREATE FUNCTION opora_refresh_training_status(p_orgs text[], p_users text[], p_courses text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(cardinality(p_users), 0) = 0 THEN RETURN; END IF;
  PERFORM opora_lock_training_status(p_users);
  DELETE FROM "TrainingStatus" ts USING unnest(p_orgs, p_users, p_courses) AS k(o, u, c)
  WHERE ts."organisationId" = k.o AND ts."userId" = k.u AND ts."courseId" = k.c;
  INSERT INTO "TrainingStatus" ("organisationId", "courseId", "userId", "member", "departmentId", "profession", "enrolmentId", "source", "enrolledAt", "startedAt", "completedAt", "dueAt", "exemptedAt", "score", "certificateCode", "certificateIssuedAt", "certificateExpiresOn")
  SELECT k.o, k.c, k.u, m."userId" IS NOT NULL AND m."endedAt" IS NULL, CASE WHEN m."endedAt" IS NULL THEN m."departmentId" END, u.profession,
    e.id, e.source, e."createdAt", e."startedAt", e."completedAt", e."dueAt", e."exemptedAt",
    (SELECT max(qa.score) FROM "QuizAttempt" qa WHERE qa."enrolmentId" = e.id AND qa.passed),
    c.code, c."issuedAt", c."expiresOn"
  FROM (SELECT DISTINCT o, u, c FROM unnest(p_orgs, p_users, p_courses) AS x(o, u, c) WHERE o IS NOT NULL AND u IS NOT NULL AND c IS NOT NULL) k
    JOIN "User" u ON u.id = k.u
    LEFT JOIN "Membership" m ON m."userId" = k.u AND m."organisationId" = k.o
    LEFT JOIN LATERAL (
      SELECT en.id, en.source, en."createdAt", en."startedAt", en."completedAt", en."dueAt", en."exemptedAt" FROM "Enrolment" en
      WHERE en."userId" = k.u AND en."courseId" = k.c AND en."organisationId" = k.o ORDER BY en.cycle DESC LIMIT 1
    ) e ON true
    LEFT JOIN LATERAL (
      SELECT ce.code, ce."issuedAt", ce."expiresOn" FROM "Certificate" ce
      WHERE ce."userId" = k.u AND ce."courseId" = k.c AND ce."organisationId" = k.o AND ce."revokedAt" IS NULL AND ce."supersededAt" IS NULL
      ORDER BY ce."issuedAt" DESC LIMIT 1
    ) c ON true
  WHERE e.id IS NOT NULL OR c.code IS NOT NULL;
END $$;

-- Enrolments and certificates: refresh the rows of every (organisation, person, course) they touch.
CREATE FUNCTION opora_training_source_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM opora_refresh_training_status(array_agg("organisationId"), array_agg("userId"), array_agg("courseId")) FROM old_rows;
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM opora_refresh_training_status(array_agg("organisationId"), array_agg("userId"), array_agg("courseId")) FROM new_rows;
  ELSIF TG_TABLE_NAME = 'Enrolment' THEN
    -- Every lesson step updates the enrolment (last item, time spent): only what reports show counts.
    PERFORM opora_refresh_training_status(array_agg(k.o), array_agg(k.u), array_agg(k.c))
    FROM old_rows o JOIN new_rows n ON n.id = o.id,
      LATERAL (VALUES (o."organisationId", o."userId", o."courseId"), (n."organisationId", n."userId", n."courseId")) AS k(o, u, c)
    WHERE (o."organisationId", o."userId", o."courseId", o.cycle, o.source, o."createdAt", o."startedAt", o."completedAt", o."dueAt", o."exemptedAt")
      IS DISTINCT FROM (n."organisationId", n."userId", n."courseId", n.cycle, n.source, n."createdAt", n."startedAt", n."completedAt", n."dueAt", n."exemptedAt");
  ELSE
    PERFORM opora_refresh_training_status(array_agg(k.o), array_agg(k.u), array_agg(k.c))
    FROM (SELECT "organisationId", "userId", "courseId" FROM old_rows UNION SELECT "organisationId", "userId", "courseId" FROM new_rows) AS k(o, u, c);
  END IF;
  RETURN NULL;
END $$;

-- Quiz attempts: the best passed score belongs to the attempt's enrolment.
CREATE FUNCTION opora_training_attempt_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM opora_refresh_training_status(array_agg(e."organisationId"), array_agg(e."userId"), array_agg(e."courseId"))
  FROM (SELECT DISTINCT "enrolmentId" FROM new_rows WHERE passed) a JOIN "Enrolment" e ON e.id = a."enrolmentId";
  RETURN NULL;
END $$;

-- Memberships: joining, leaving or changing department updates the person's rows in place.
CREATE FUNCTION opora_training_membership_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM opora_lock_training_status(array_agg("userId")) FROM old_rows;
    UPDATE "TrainingStatus" ts SET "member" = false, "departmentId" = NULL FROM old_rows o WHERE ts."organisationId" = o."organisationId" AND ts."userId" = o."userId";
  ELSE
    PERFORM opora_lock_training_status(array_agg("userId")) FROM new_rows;
    UPDATE "TrainingStatus" ts SET "member" = n."endedAt" IS NULL, "departmentId" = CASE WHEN n."endedAt" IS NULL THEN n."departmentId" END
    FROM new_rows n WHERE ts."organisationId" = n."organisationId" AND ts."userId" = n."userId"
      AND (ts."member" IS DISTINCT FROM (n."endedAt" IS NULL) OR ts."departmentId" IS DISTINCT FROM CASE WHEN n."endedAt" IS NULL THEN n."departmentId" END);
  END IF;
  RETURN NULL;
END $$;

-- Accounts: a new profession is copied; a deleted account takes its rows with it.
CREATE FUNCTION opora_training_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "TrainingStatus" ts USING old_rows o WHERE ts."userId" = o.id;
  ELSE
    PERFORM opora_lock_training_status(array_agg(n.id)) FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.profession IS DISTINCT FROM o.profession;
    UPDATE "TrainingStatus" ts SET "profession" = n.profession FROM new_rows n WHERE ts."userId" = n.id AND ts."profession" IS DISTINCT FROM n.profession;
  END IF;
  RETURN NULL;
END $$;

-- Statement-level triggers see every changed row at once (a bulk insert of 5,000 enrolments is one
-- refresh, not 5,000). PostgreSQL allows transition tables only on single-event triggers, hence
-- one trigger per event.
CREATE TRIGGER opora_training_enrolment_insert AFTER INSERT ON "Enrolment" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_source_changed();
CREATE TRIGGER opora_training_enrolment_update AFTER UPDATE ON "Enrolment" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_source_changed();
CREATE TRIGGER opora_training_enrolment_delete AFTER DELETE ON "Enrolment" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_source_changed();
CREATE TRIGGER opora_training_certificate_insert AFTER INSERT ON "Certificate" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_source_changed();
CREATE TRIGGER opora_training_certificate_update AFTER UPDATE ON "Certificate" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_source_changed();
CREATE TRIGGER opora_training_certificate_delete AFTER DELETE ON "Certificate" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_source_changed();
CREATE TRIGGER opora_training_attempt_insert AFTER INSERT ON "QuizAttempt" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_attempt_changed();
CREATE TRIGGER opora_training_attempt_update AFTER UPDATE ON "QuizAttempt" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_attempt_changed();
CREATE TRIGGER opora_training_membership_insert AFTER INSERT ON "Membership" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_membership_changed();
CREATE TRIGGER opora_training_membership_update AFTER UPDATE ON "Membership" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_membership_changed();
CREATE TRIGGER opora_training_membership_delete AFTER DELETE ON "Membership" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_membership_changed();
CREATE TRIGGER opora_training_user_update AFTER UPDATE ON "User" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_user_changed();
CREATE TRIGGER opora_training_user_delete AFTER DELETE ON "User" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opora_training_user_changed();

-- Rows for what is already there.
SELECT opora_refresh_training_status(array_agg(o), array_agg(u), array_agg(c))
FROM (SELECT "organisationId" AS o, "userId" AS u, "courseId" AS c FROM "Enrolment" WHERE "organisationId" IS NOT NULL
      UNION SELECT "organisationId", "userId", "courseId" FROM "Certificate" WHERE "organisationId" IS NOT NULL) existing;
