import type { Element, Root } from "hast";
import rehypeSanitize from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { hostedVideoEmbed } from "./lesson-file";

const VIDEO = /\.(mp4|webm)$/i;

/**
 * Points relative media links at the course's stored files, turns a video "image" into a <video>
 * with its captions track, and an "image" linking to a YouTube or Vimeo video into that host's
 * player in a sandboxed frame titled by the alt text. Runs after sanitising, on elements it builds
 * itself.
 */
function courseMedia({ assetBase, locale }: { assetBase: string; locale: string }) {
  return (tree: Root) => {
    visit(tree, "element", (node: Element) => {
      if (node.tagName !== "img") return;
      const src = String(node.properties.src ?? "");
      if (/^[a-z]+:/i.test(src) || src.startsWith("/")) {
        const hosted = hostedVideoEmbed(src);
        if ("embedUrl" in hosted) hostedVideoFrame(node, hosted.embedUrl);
        return;
      }
      const url = `${assetBase}/${src.replace(/^\.\//, "")}`;
      if (VIDEO.test(src)) {
        const label = String(node.properties.alt ?? "");
        node.tagName = "video";
        node.properties = { controls: true, preload: "metadata", width: "100%", "aria-label": label || undefined };
        node.children = [
          { type: "element", tagName: "source", properties: { src: url }, children: [] },
          { type: "element", tagName: "track", properties: { kind: "captions", src: url.replace(VIDEO, ".vtt"), srcLang: locale, label: locale.toUpperCase(), default: true }, children: [] },
        ];
      } else {
        node.properties.src = url;
        node.properties.loading = "lazy";
      }
    });
  };
}

/**
 * The player may run its own scripts on its own origin (it needs them to play) but may not navigate
 * the lesson page; fullscreen and picture-in-picture are what a learner expects of a video.
 */
function hostedVideoFrame(node: Element, embedUrl: string) {
  node.tagName = "iframe";
  node.properties = {
    src: embedUrl,
    title: String(node.properties.alt ?? "") || "Video",
    sandbox: ["allow-scripts", "allow-same-origin", "allow-presentation", "allow-popups"],
    allow: "fullscreen; picture-in-picture; encrypted-media",
    loading: "lazy",
    referrerPolicy: "strict-origin-when-cross-origin",
    className: ["aspect-video", "h-auto", "w-full", "rounded-md"],
  };
  node.children = [];
}

/** Course Markdown to safe HTML: raw HTML in the source is dropped, the output is sanitised. */
export function renderCourseMarkdown(markdown: string, options: { assetBase: string; locale: string }) {
  return String(
    unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkRehype)
      .use(rehypeSanitize)
      .use(courseMedia, options)
      .use(rehypeStringify)
      .processSync(markdown),
  );
}

// Published content never changes, so a rendering is kept for as long as the process lives.
const rendered = new Map<string, string>();

export function cachedCourseMarkdown(cacheKey: string, markdown: string, options: { assetBase: string; locale: string }) {
  const key = `${cacheKey}:${options.locale}`;
  let html = rendered.get(key);
  if (html === undefined) {
    html = renderCourseMarkdown(markdown, options);
    rendered.set(key, html);
  }
  return html;
}

/**
 * A published version's "if this affects you" text (beside every lesson and case), rendered once
 * per version and locale: parsing it on every page cost about an eighth of a lesson page's CPU.
 */
export function cachedSupportHtml(courseVersionId: string, markdown: string, locale: string) {
  // Item keys never hold "#", so this cannot meet a lesson body's key.
  return cachedCourseMarkdown(`${courseVersionId}:#support`, markdown, { assetBase: `/course-assets/${courseVersionId}`, locale });
}
