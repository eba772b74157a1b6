// `npm run scorm:import -- <package.zip> --course <slug> --module <key> [--title-sl …] [--title-en …] [--minutes N]`
// Puts a SCORM 1.2 / 2004 package into a course as the module <key> (replacing its package, or
// adding the module at the end): a new course version, as the trainer's upload page does. Runs
// against DATABASE_URL or the embedded database.
import { parseArgs } from "node:util";
import { connectDatabase } from "./lib/database.mjs";
import { applyMigrations } from "./lib/migrate.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { course: { type: "string" }, module: { type: "string" }, "title-sl": { type: "string" }, "title-en": { type: "string" }, minutes: { type: "string" } },
});
const zipPath = positionals[0];
if (!zipPath || !values.course || !values.module) {
  console.error("Usage: npm run scorm:import -- <package.zip> --course <slug> --module <key> [--title-sl …] [--title-en …] [--minutes N]");
  process.exit(2);
}

const database = await connectDatabase();
process.env.DATABASE_URL = database.url;
try {
  await applyMigrations(database.url);
  const { importScormPackage } = await import("../app/scorm/import-package.server.ts");
  const { DomainError } = await import("../app/utils/errors.server.ts");
  const { translator } = await import("../app/i18n/index.ts");
  const t = translator("en");
  try {
    const result = await importScormPackage({
      actor: "operator",
      courseSlug: values.course,
      moduleKey: values.module,
      zipPath,
      title: values["title-sl"] || values["title-en"] ? { sl: values["title-sl"], en: values["title-en"] } : undefined,
      minutes: values.minutes ? Number(values.minutes) : undefined,
    });
    console.log(`[scorm] ${values.course} version ${result.courseVersion}: module ${values.module} ${result.replaced ? "now plays" : "added with"} “${result.title}” (SCORM ${result.version}${result.edition ? ` ${result.edition} edition` : ""}, ${result.scos} SCO${result.scos === 1 ? "" : "s"}, ${result.files} files)`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    console.error(`[scorm] refused: ${t(error.messageKey as never)}${error.detail ? ` (${error.detail})` : ""}`);
    process.exitCode = 1;
  }
} finally {
  const { disconnect } = await import("../app/utils/db.server.ts").then((m) => ({ disconnect: () => m.db.$disconnect() }));
  await disconnect();
  await database.stop();
}
