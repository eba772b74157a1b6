import { describe, expect, it } from "vitest";
import { captionsFileName, insertMarkdown, mediaFileName, mediaMarkdown } from "./lesson-media.ts";

describe("media file names", () => {
  it("makes a safe name from the trainer's file name and keeps its extension", () => {
    expect(mediaFileName("Slika ščitnice (1).PNG", new Set())).toBe("slika-scitnice-1.png");
    expect(mediaFileName("C:\\Users\\ana\\Posnetek.MP4", new Set())).toBe("posnetek.mp4");
    expect(mediaFileName(".png", new Set())).toBe("png");
    expect(mediaFileName("drawing.svg", new Set())).toBe("drawing.svg");
  });

  it("never takes a name in use, nor a video name whose captions name is in use", () => {
    expect(mediaFileName("diagram.png", new Set(["diagram.png", "diagram-2.png"]))).toBe("diagram-3.png");
    expect(mediaFileName("clip.mp4", new Set(["clip.vtt"]))).toBe("clip-2.mp4");
    expect(captionsFileName("clip-2.webm")).toBe("clip-2.vtt");
  });
});

describe("media Markdown", () => {
  it("escapes the alt text and wraps a target with spaces", () => {
    expect(mediaMarkdown("Diagram [1]\nof \\ three", "images/diagram.png")).toBe("![Diagram \\[1\\] of \\\\ three](images/diagram.png)");
    expect(mediaMarkdown("x", "images/a b.png")).toBe("![x](<images/a b.png>)");
  });

  it("is inserted at the cursor on lines of its own, or at the end", () => {
    expect(insertMarkdown("First.\n\nSecond.", [6, 6], "![a](images/a.png)")).toEqual({ body: "First.\n\n![a](images/a.png)\n\nSecond.", caret: 26 });
    expect(insertMarkdown("Text", null, "![a](images/a.png)")).toEqual({ body: "Text\n\n![a](images/a.png)\n", caret: 25 });
    expect(insertMarkdown("", null, "![a](images/a.png)").body).toBe("![a](images/a.png)\n");
  });
});
