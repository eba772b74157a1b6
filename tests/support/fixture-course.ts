import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect } from "vitest";
import { loadCourse } from "../../app/content/load-course.server.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/courses/valid-minimal", import.meta.url));

/**
 * A fresh copy of tests/fixtures/courses/valid-minimal for each test, with helpers to break one
 * thing (`edit`) and read the checker's report as a trainer would (`report`, paths relative to the copy's parent).
 */
export function fixtureCourseCopy(prefix: string) {
  const state = { root: "", courseDir: "" };
  beforeEach(async () => {
    state.root = await mkdtemp(path.join(os.tmpdir(), prefix));
    state.courseDir = path.join(state.root, "valid-minimal");
    await cp(FIXTURE, state.courseDir, { recursive: true });
  });
  afterEach(async () => {
    await rm(state.root, { recursive: true, force: true });
  });
  return {
    get root() {
      return state.root;
    },
    get courseDir() {
      return state.courseDir;
    },
    /** Replaces the first occurrence of `from`; fails loudly when the fixture changed under the test. */
    async edit(file: string, from: string, to: string) {
      const target = path.join(state.courseDir, file);
      const text = await readFile(target, "utf8");
      if (!text.includes(from)) throw new Error(`fixture ${file} does not contain ${JSON.stringify(from)}`);
      await writeFile(target, text.replace(from, to));
    },
    async report(dir = state.courseDir) {
      const { course, problems } = await loadCourse(dir);
      if (problems.length > 0) expect(course).toBeNull();
      return problems.map((problem) => `${path.relative(state.root, problem.file)}:${problem.line}: ${problem.message}`);
    },
  };
}
