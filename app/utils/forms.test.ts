import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseForm, withoutEmptyFields } from "./forms.ts";

describe("withoutEmptyFields", () => {
  const FilterSchema = z.object({ courseId: z.string().min(1), departmentId: z.string().min(1).optional(), from: z.iso.date().optional(), roles: z.array(z.string()).optional() });

  it("leaves out empty selects and dates so they read as 'any'", () => {
    const form = new FormData();
    form.append("courseId", "c1");
    form.append("departmentId", "");
    form.append("from", "");
    expect(parseForm(FilterSchema, form).success).toBe(false);
    expect(parseForm(FilterSchema, withoutEmptyFields(form))).toEqual({ success: true, data: { courseId: "c1" } });
  });

  it("keeps filled fields, repeated ones and files, and leaves the original form alone", () => {
    const form = new FormData();
    form.append("roles", "LEARNER");
    form.append("roles", "");
    form.append("roles", "ORGANISER");
    form.append("upload", new File(["x"], "people.csv"));
    const filled = withoutEmptyFields(form);
    expect(filled.getAll("roles")).toEqual(["LEARNER", "ORGANISER"]);
    expect((filled.get("upload") as File).name).toBe("people.csv");
    expect(form.getAll("roles")).toHaveLength(3);
  });
});
