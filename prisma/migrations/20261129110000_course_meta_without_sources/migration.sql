-- A course version's source files are stored in "sourceFiles". Imports until now also copied them
-- into "meta", which every page reading a course's title or pass mark loads: about 534 KB of
-- 545 KB for the bundled course. The hourly reminder sweep read it once per assigned learner and
-- ran out of memory at 3,000 assignments. The copy in "meta" is never read; remove it.
UPDATE "CourseVersion" SET "meta" = "meta" - 'sourceFiles' WHERE "meta" ? 'sourceFiles';
