// After `react-router build`: writes a Brotli (.br) and a gzip (.gz) copy beside every text file of
// the client build (scripts, styles, SVG, JSON, the web manifest) of 1 KB or more, so the server
// sends learners' phones a fifth of the bytes without compressing anything per request
// (server/static.mjs picks the copy the browser accepts).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { COMPRESSED_TYPES } from "../server/static.mjs";

const MIN_BYTES = 1024;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

export function compressAssets(root) {
  let count = 0;
  let before = 0;
  let after = 0;
  for (const path of files(root)) {
    if (!COMPRESSED_TYPES.has(extname(path))) continue;
    const body = readFileSync(path);
    if (body.length < MIN_BYTES) continue;
    const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
    count++;
    before += body.length;
    after += br.length;
  }
  return { count, before, after };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] ?? new URL("../build/client", import.meta.url).pathname;
  const { count, before, after } = compressAssets(root);
  console.log(`compressed ${count} files: ${(before / 1024).toFixed(0)} KB → ${(after / 1024).toFixed(0)} KB with Brotli`);
}
