// Bundles the SCORM runtime (app/scorm/runtime-client.ts) into one self-contained ES module,
// build/scorm-runtime/runtime.js, served by the content origin as /scorm-content/runtime.js.
// Separate from the app build: no React Router plugin, no CSS, scorm-again inlined.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const outDir = fileURLToPath(new URL("./build/scorm-runtime", import.meta.url));

export default defineConfig({
  // No public/ copy, no index.html: only the entry below.
  publicDir: false,
  resolve: { tsconfigPaths: true },
  build: {
    outDir,
    // Empties build/scorm-runtime only (the app build owns the rest of build/).
    emptyOutDir: true,
    target: "es2022",
    minify: "oxc",
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: fileURLToPath(new URL("./app/scorm/runtime-client.ts", import.meta.url)),
      formats: ["es"],
      fileName: () => "runtime.js",
    },
    rolldownOptions: {
      output: {
        // One file even if a dependency ever uses import().
        codeSplitting: false,
        // Library mode keeps whitespace and annotations for ES output (meant for re-bundling);
        // this file is served as is, so minify it fully.
        minify: true,
        comments: { annotation: false, jsdoc: false, legal: true },
      },
    },
  },
});
