import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";

/**
 * The server bundle with every character above U+00FF written as an escape (č as \u010d). V8 keeps a
 * module's source for the life of the process, and one such character makes it store the whole
 * 1.5 MB bundle at two bytes a character: 1.5 MB of the server's memory for a few hundred letters.
 * An escape means the character in strings, templates, regular expressions and identifiers alike;
 * only a raw template (String.raw, a tag reading `.raw`) would see the escape itself, and none of the
 * server's templates holds such a character.
 */
function latin1ServerBundle(): Plugin {
  return {
    name: "opora:latin1-server-bundle",
    // After rendering: the bundler prints escapes in string literals back as the characters.
    generateBundle(_options, bundle) {
      if (this.environment.config.consumer !== "server") return;
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === "chunk") chunk.code = chunk.code.replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
      }
    },
  };
}

export default defineConfig({
  resolve: { tsconfigPaths: true },
  plugins: [tailwindcss(), reactRouter(), latin1ServerBundle()],
  build: { sourcemap: false },
});
