import { describe, expect, it } from "vitest";
import { PerBatch } from "./per-batch.server.ts";

describe("PerBatch", () => {
  it("passes what was written on as one chunk at each flush, and the rest at the end", async () => {
    const stream = new PerBatch();
    const chunks: string[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
    const ended = new Promise((resolve) => stream.on("end", resolve));
    for (const piece of ["<html>", "<body>", "shell"]) stream.write(Buffer.from(piece));
    expect(chunks).toEqual([]);
    stream.flush();
    stream.flush(); // nothing new: nothing sent
    stream.write(Buffer.from("late"));
    stream.write(Buffer.from("</html>"));
    stream.end();
    await ended;
    expect(chunks).toEqual(["<html><body>shell", "late</html>"]);
  });
});
