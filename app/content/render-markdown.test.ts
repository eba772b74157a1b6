import { describe, expect, it } from "vitest";
import { activeMarkdownHtml, MARKDOWN_DOCUMENT, MARKDOWN_PAYLOADS, MARKDOWN_VISIBLE, textOf } from "../../tests/support/xss-payloads.ts";
import { renderCourseMarkdown } from "./render-markdown.server.ts";

const options = { assetBase: "/course-assets/v1/01-basics", locale: "sl" };

it("renders Markdown and drops raw HTML and script URLs", () => {
  const html = renderCourseMarkdown('## Naslov\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n[klik](javascript:alert(1)) **krepko**', options);
  expect(html).toContain("<h2>Naslov</h2>");
  expect(html).toContain("<strong>krepko</strong>");
  expect(html).not.toMatch(/<script|onerror|javascript:/i);
});

it("points images at the course's files and turns videos into <video> with captions", () => {
  const html = renderCourseMarkdown("![Diagram](images/diagram.png)\n\n![Posnetek pogovora](images/clip.mp4)", options);
  expect(html).toContain('<img src="/course-assets/v1/01-basics/images/diagram.png" alt="Diagram" loading="lazy">');
  expect(html).toContain('<video controls preload="metadata" width="100%" aria-label="Posnetek pogovora"><source src="/course-assets/v1/01-basics/images/clip.mp4"><track kind="captions" src="/course-assets/v1/01-basics/images/clip.vtt" srclang="sl" label="SL" default></video>');
});

it("leaves absolute links alone", () => {
  expect(renderCourseMarkdown("![x](https://example.org/a.png)", options)).toContain('src="https://example.org/a.png"');
});

it("turns a YouTube or Vimeo link written as an image into the host's player in a sandboxed, titled frame", () => {
  const html = renderCourseMarkdown("![Pogovor s pacientko](https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s)\n\n![Triage](https://vimeo.com/76979871)", options);
  expect(html).toContain(
    '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90" title="Pogovor s pacientko" sandbox="allow-scripts allow-same-origin allow-presentation allow-popups" allow="fullscreen; picture-in-picture; encrypted-media" loading="lazy" referrerpolicy="strict-origin-when-cross-origin" class="aspect-video h-auto w-full rounded-md"></iframe>',
  );
  expect(html).toContain('<iframe src="https://player.vimeo.com/video/76979871?dnt=1" title="Triage"');
});

it("frames nothing from other sites, nor a video address that is not https", () => {
  for (const markdown of ["![x](https://example.org/watch?v=dQw4w9WgXcQ)", "![x](http://www.youtube.com/watch?v=dQw4w9WgXcQ)", "![x](https://www.youtube.com/channel/abc)"]) {
    expect(renderCourseMarkdown(markdown, options)).not.toContain("<iframe");
  }
});

describe("hostile Markdown (tests/support/xss-payloads.ts)", () => {
  for (const payload of MARKDOWN_PAYLOADS) {
    it(`renders nothing that runs, and keeps the text: ${payload.name}`, () => {
      const html = renderCourseMarkdown(payload.markdown, options);
      expect(activeMarkdownHtml(html)).toEqual([]);
      for (const text of payload.visible) expect(textOf(html)).toContain(text);
    });
  }

  it("renders a lesson holding every payload at once as safe HTML with all their text", () => {
    const html = renderCourseMarkdown(`## Naslov\n\n${MARKDOWN_DOCUMENT}\n\n![Diagram](images/diagram.png)`, options);
    expect(activeMarkdownHtml(html)).toEqual([]);
    for (const text of MARKDOWN_VISIBLE) expect(textOf(html)).toContain(text);
    // The checks see what a dangerous rendering would contain.
    expect(activeMarkdownHtml('<p><a href="java&#x09;script:x">a</a><img src="x" onerror="x"><iframe srcdoc="x"></iframe></p>')).toHaveLength(4);
  });
});
