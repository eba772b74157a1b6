import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { activeMarkdownHtml, MARKDOWN_DOCUMENT, MARKDOWN_PAYLOADS, MARKDOWN_VISIBLE, textOf } from "../../tests/support/xss-payloads.ts";
import { Markdown } from "./markdown.tsx";

// Course texts shown with <Markdown> (descriptions, content notes, support text, quiz prompts and
// explanations, case nodes) against the shared hostile corpus.
const render = (markdown: string) => renderToStaticMarkup(createElement(Markdown, null, markdown));

describe("<Markdown> with hostile text", () => {
  for (const payload of MARKDOWN_PAYLOADS) {
    it(`renders nothing that runs, and keeps the text: ${payload.name}`, () => {
      const html = render(payload.markdown);
      expect(activeMarkdownHtml(html)).toEqual([]);
      for (const text of payload.visible) expect(textOf(html)).toContain(text);
    });
  }

  it("renders every payload at once as safe HTML with all their text, and ordinary Markdown as before", () => {
    const html = render(`**krepko** in [vir](https://example.org/)\n\n${MARKDOWN_DOCUMENT}`);
    expect(html).toContain('<strong>krepko</strong> in <a href="https://example.org/">vir</a>');
    expect(activeMarkdownHtml(html)).toEqual([]);
    for (const text of MARKDOWN_VISIBLE) expect(textOf(html)).toContain(text);
  });
});
