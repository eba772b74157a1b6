// `npm run bench` (second part): certificate figures. A benchmark, not a test: it prints figures and
// fails only when setup fails.
//   PDF: median and p95 time to render one certificate PDF (the download path), over --pdfs renders
//   ZIP: time to build one bulk download of --certificates certificates (the export job), and its size
//   Verify: valid look-ups per second through the public verification function (write-free reads)
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL on .data/bench-pg (port 5460);
// the database opora_bench_certificates is recreated on every run.
// Options: --certificates N (1000) --pdfs N (200)
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startEmbeddedPostgres } from "../lib/embedded-db.mjs";
import { applyMigrations } from "../lib/migrate.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const { values: opts } = parseArgs({ options: { certificates: { type: "string", default: "1000" }, pdfs: { type: "string", default: "200" } } });
const [CERTIFICATES, PDFS] = [opts.certificates, opts.pdfs].map(Number);
if (![CERTIFICATES, PDFS].every((n) => Number.isInteger(n) && n > 0)) throw new Error("--certificates and --pdfs take whole numbers above 0");
const say = (line: string) => console.log(`[bench] ${line}`);
const ms = (value: number) => `${value.toFixed(1)} ms`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: join(ROOT, ".data/bench-pg"), port: 5460, database: "postgres" });
try {
  const serverUrl = embedded?.serverUrl ?? (process.env.DATABASE_URL as string);
  const urlOf = (database: string) => Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
  const admin = new pg.Client({ connectionString: urlOf("postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "opora_bench_certificates" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "opora_bench_certificates"`);
  await admin.end();
  process.env.DATABASE_URL = urlOf("opora_bench_certificates");
  process.env.STORAGE_DIR = join(ROOT, ".data/bench-storage");
  process.env.PUBLIC_URL ??= "http://localhost:3000";
  await applyMigrations(process.env.DATABASE_URL);

  const { loadCourse } = await import("../../app/content/load-course.server.ts");
  const { importCourse } = await import("../../app/content/import-course.server.ts");
  const { issueCertificate } = await import("../../app/certificates/issue-certificate.server.ts");
  const { renderStoredCertificate, CERTIFICATE_PUBLIC_FIELDS, verifyCertificate } = await import("../../app/certificates/certificates.server.ts");
  const { requestCertificateExport, buildCertificateExport, getCertificateExport } = await import("../../app/certificates/exports.server.ts");
  const { stopJobs } = await import("../../app/jobs/queue.server.ts");
  const { db } = await import("../../app/utils/db.server.ts");

  // 1. One organisation, its organiser, and CERTIFICATES learners with a certificate each.
  const { course, problems } = await loadCourse(join(ROOT, "courses/recognising-trafficking"));
  if (!course) throw new Error(problems.map((p) => p.message).join("\n"));
  await importCourse(course);
  const version = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: course.slug } }, select: { id: true, courseId: true } });
  const organisation = await db.organisation.create({ data: { name: "Splošna bolnišnica Bench", slug: "bench" } });
  const organiser = await db.user.create({ data: { email: "organiser@bench.test", name: "Organiser", profession: "NURSE", memberships: { create: { organisationId: organisation.id, roles: ["ORGANISER"] } } } });
  const seeded = performance.now();
  const surnames = ["Čačič", "Šuštar", "Žužek", "Novak", "Horvat", "Kovačič", "Krajnc", "Zupančič"];
  for (let start = 0; start < CERTIFICATES; start += 100) {
    const batch = Array.from({ length: Math.min(100, CERTIFICATES - start) }, (_, i) => start + i);
    await db.user.createMany({ data: batch.map((n) => ({ id: `bench-user-${n}`, email: `nurse${n}@bench.test`, name: `Ana ${surnames[n % surnames.length]} ${n}`, profession: "NURSE" as const })) });
    const issuedAt = new Date(Date.UTC(2026, 0, 1));
    await db.enrolment.createMany({ data: batch.map((n) => ({ id: `bench-enrolment-${n}`, userId: `bench-user-${n}`, courseId: version.courseId, courseVersionId: version.id, organisationId: organisation.id, source: "SELF" as const, createdAt: issuedAt, completedAt: issuedAt })) });
    for (const n of batch) await db.$transaction((tx) => issueCertificate(tx, { enrolmentId: `bench-enrolment-${n}`, now: new Date(issuedAt.getTime() + n * 60_000) }));
  }
  say(`${CERTIFICATES} certificates issued in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  // 2. PDF rendering, one at a time, as a download does it (first render warms fonts and caches).
  const rows = await db.certificate.findMany({ take: PDFS, select: CERTIFICATE_PUBLIC_FIELDS });
  await renderStoredCertificate(rows[0], "sl", new Date());
  const times: number[] = [];
  let bytes = 0;
  for (const row of rows) {
    const t0 = performance.now();
    bytes += (await renderStoredCertificate(row, "sl", new Date())).byteLength;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  say(`PDF: ${times.length} renders, median ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, average size ${Math.round(bytes / times.length / 1024)} KiB`);

  // 3. The bulk download job for every certificate.
  const actor = { id: organiser.id, isAdmin: false };
  const { id } = await requestCertificateExport({ actor, organisationId: organisation.id, filter: { state: "all", locale: "sl" } });
  const t0 = performance.now();
  const rssBefore = process.memoryUsage().rss;
  await buildCertificateExport({ exportId: id });
  const zipSeconds = (performance.now() - t0) / 1000;
  const result = await getCertificateExport({ actor, organisationId: organisation.id, exportId: id });
  if (result.status !== "DONE") throw new Error(`export ended ${result.status}: ${result.error}`);
  say(`ZIP: ${result.done} certificates in ${zipSeconds.toFixed(1)} s (${(result.done / zipSeconds).toFixed(0)} per second), ${(Number(result.sizeBytes) / 1024 / 1024).toFixed(1)} MiB, RSS grew ${Math.round((process.memoryUsage().rss - rssBefore) / 1024 / 1024)} MiB`);

  // 4. Valid verification look-ups (the public page's query), sequential and 20 at a time.
  const codes = rows.map((r) => r.code);
  let t1 = performance.now();
  for (const code of codes) await verifyCertificate({ input: code, clientIp: "198.51.100.1" });
  const sequential = codes.length / ((performance.now() - t1) / 1000);
  t1 = performance.now();
  for (let i = 0; i < codes.length; i += 20) await Promise.all(codes.slice(i, i + 20).map((code) => verifyCertificate({ input: code, clientIp: "198.51.100.1" })));
  const parallel = codes.length / ((performance.now() - t1) / 1000);
  say(`verify: ${sequential.toFixed(0)} valid look-ups/s one at a time, ${parallel.toFixed(0)}/s twenty at a time`);

  await stopJobs();
  await db.$disconnect();
} finally {
  await embedded?.stop();
}
