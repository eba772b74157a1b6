import { expect, it } from "vitest";
import { readResponse } from "./quiz-form.ts";

const form = (entries: Array<[string, string]>) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};

it("reads each kind of answer from plain form controls", () => {
  expect(readResponse("single", form([["optionId", "b"]]))).toEqual({ response: { optionId: "b" } });
  expect(readResponse("multiple", form([["optionIds", "a"], ["optionIds", "c"]]))).toEqual({ response: { optionIds: ["a", "c"] } });
  expect(readResponse("true_false", form([["value", "false"]]))).toEqual({ response: { value: false } });
  expect(readResponse("matching", form([["match:p1", "p2"], ["match:p2", ""], ["match:p3", "p1"]]))).toEqual({ response: { pairs: { p1: "p2", p3: "p1" } } });
  expect(readResponse("ordering", form([["position:c", "1"], ["position:a", "3"], ["position:b", "2"]]))).toEqual({ response: { order: ["c", "b", "a"] } });
  expect(readResponse("short_answer", form([["text", "  CSD "]]))).toEqual({ response: { text: "CSD" } });
});

it("treats an empty answer as none, and repeated positions as an error", () => {
  expect(readResponse("single", form([]))).toEqual({ response: null });
  expect(readResponse("short_answer", form([["text", "   "]]))).toEqual({ response: null });
  expect(readResponse("ordering", form([["position:a", "1"], ["position:b", "1"]]))).toEqual({ response: null, error: "quiz.positionsUnique" });
});
