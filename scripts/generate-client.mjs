// Generates the Prisma client into generated/prisma. Runs after `npm install`; `prisma generate`
// needs DATABASE_URL to be set although it does not connect, so give it a placeholder.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL || "postgresql://placeholder@127.0.0.1:5432/placeholder",
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const result = spawnSync("npx", ["prisma", "generate"], { stdio: ["ignore", "pipe", "inherit"], env });
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? "");
  process.exit(result.status ?? 1);
}

// The client loads its query compiler by importing a module that is one 2.6 MB base64 string: V8
// then keeps the module's source and the string, 5 MB of heap for the life of the server (measured
// in a heap snapshot). Reading the file as text and decoding it keeps neither.
const CLASS_FILE = new URL("../generated/prisma/internal/class.ts", import.meta.url);
const IMPORTED = `    const { wasm } = await import("@prisma/client/runtime/query_compiler_bg.postgresql.wasm-base64.mjs")
    return await decodeBase64AsWasm(wasm)`;
const READ = `    // Read as text rather than imported (scripts/generate-client.mjs says why).
    const { readFile } = await import("node:fs/promises")
    const { createRequire } = await import("node:module")
    const text = await readFile(createRequire(import.meta.url).resolve("@prisma/client/runtime/query_compiler_bg.postgresql.wasm-base64.mjs"), "latin1")
    return await decodeBase64AsWasm(text.slice(text.indexOf('"') + 1, text.lastIndexOf('"')))`;
const client = readFileSync(CLASS_FILE, "utf8");
if (!client.includes(IMPORTED)) {
  console.error("generated/prisma/internal/class.ts no longer loads the query compiler as expected: update scripts/generate-client.mjs");
  process.exit(1);
}
writeFileSync(CLASS_FILE, client.replace(IMPORTED, READ));
console.log("Prisma client generated (generated/prisma)");
