// Hostile text as trainers, organisers and learners could type it, shared by the renderers' unit
// tests and tests/e2e/xss.spec.ts. Every payload that could run sets `window.__xss` and opens a
// dialog, so a browser test sees it run; every element a payload would inject carries `__xss` in an
// attribute or the class `xss-probe`, so a test sees it injected even where the policy stopped it.

/** Text typed into a plain field (names, titles, referral entries): it must show exactly as typed. */
export const TEXT_PAYLOADS: ReadonlyArray<{ name: string; text: string }> = [
  { name: "script element", text: "<script>window.__xss=1;alert(1)</script>" },
  { name: "image with onerror", text: '<img src=x class=xss-probe onerror="window.__xss=1;alert(1)">' },
  { name: "svg with onload", text: '<svg class=xss-probe onload="window.__xss=1;alert(1)"></svg>' },
  { name: "breaking out of a double-quoted attribute", text: '"><img src=x class=xss-probe onerror=window.__xss=1;alert(1)>' },
  { name: "breaking out of a single-quoted attribute", text: "'><svg/class=xss-probe/onload=window.__xss=1;alert(1)>" },
  { name: "iframe with srcdoc", text: '<iframe class=xss-probe srcdoc="<script>parent.__xss=1;parent.alert(1)</script>"></iframe>' },
  { name: "javascript: link", text: '<a class=xss-probe href="javascript:window.__xss=1;alert(1)">klik</a>' },
  { name: "closing textarea, title and script", text: "</textarea></title></script><img src=x class=xss-probe onerror=window.__xss=1;alert(1)>" },
  { name: "details with ontoggle", text: '<details open class=xss-probe ontoggle="window.__xss=1;alert(1)">' },
  { name: "mutation through math and style", text: "<math><mtext><table><mglyph><style><img src=x class=xss-probe onerror=window.__xss=1;alert(1)>" },
  { name: "entities that decode to a tag", text: "&lt;img src=x onerror=window.__xss=1&gt; &#60;b&#62;" },
  { name: "line separator and a closing script tag", text: "\u2028\u2029</script><script>window.__xss=1</script>" },
  { name: "template expression", text: "{{constructor.constructor('window.__xss=1;alert(1)')()}} $" + "{alert(1)}" },
  { name: "harmless markup", text: '<b class="xss-probe">krepko</b>' },
];

/**
 * Markdown typed into a lesson body or any course text rendered as Markdown. Raw HTML is dropped
 * (CommonMark would pass it through), links and images keep their text but lose any address
 * that could run; `visible` lists text that must survive as text.
 */
export const MARKDOWN_PAYLOADS: ReadonlyArray<{ name: string; markdown: string; visible: string[] }> = [
  ...TEXT_PAYLOADS.filter((payload) => payload.name !== "entities that decode to a tag").map((payload) => ({ name: `raw HTML: ${payload.name}`, markdown: payload.text, visible: [] })),
  { name: "raw HTML block", markdown: '<div class="xss-probe" onmouseover="window.__xss=1">blok-html</div>', visible: [] },
  { name: "inline HTML inside a paragraph", markdown: 'pred-html <span class="xss-probe" onclick="window.__xss=1">span</span> za-html', visible: ["pred-html", "za-html"] },
  { name: "javascript: link", markdown: "[povezava-js](javascript:window.__xss=1;alert(1))", visible: ["povezava-js"] },
  { name: "javascript: link in mixed case", markdown: "[povezava-velike](JaVaScRiPt:window.__xss=1)", visible: ["povezava-velike"] },
  { name: "javascript: link written with an entity", markdown: "[povezava-entiteta](&#106;avascript:window.__xss=1)", visible: ["povezava-entiteta"] },
  { name: "javascript: link with a tab inside the scheme", markdown: "[povezava-tab](java&#9;script:window.__xss=1)", visible: ["povezava-tab"] },
  { name: "vbscript: link", markdown: "[povezava-vb](vbscript:window.__xss=1)", visible: ["povezava-vb"] },
  { name: "data: link to an HTML page", markdown: "[povezava-data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)", visible: ["povezava-data"] },
  { name: "reference link to javascript:", markdown: "[povezava-sklic][zlo]\n\n[zlo]: javascript:window.__xss=1", visible: ["povezava-sklic"] },
  { name: "autolink to javascript:", markdown: "<javascript:window.__xss=1>", visible: [] },
  { name: "javascript: image", markdown: "![slika-js](javascript:window.__xss=1)", visible: [] },
  { name: "data: image of an HTML page", markdown: "![slika-data](data:text/html,<script>window.__xss=1</script>)", visible: [] },
  { name: "link title breaking out of its attribute", markdown: '[povezava-naslov](https://example.org/ "x\\" onmouseover=\\"window.__xss=1")', visible: ["povezava-naslov"] },
  { name: "entities that decode to a script tag", markdown: "&lt;script&gt;window.__xss=1&lt;/script&gt;", visible: ["<script>window.__xss=1</script>"] },
];

/** All Markdown payloads as one document, a paragraph each, as a lesson body would hold them. */
export const MARKDOWN_DOCUMENT = MARKDOWN_PAYLOADS.map((payload) => payload.markdown).join("\n\n");

/** The text every Markdown payload must leave on the page. */
export const MARKDOWN_VISIBLE = MARKDOWN_PAYLOADS.flatMap((payload) => payload.visible);

// What the renderers may emit for Markdown: text formatting, links, images, lists, tables.
const MARKDOWN_TAGS = new Set(["p", "a", "em", "strong", "del", "code", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "hr", "br", "img", "table", "thead", "tbody", "tr", "th", "td", "sup", "section", "div", "span", "input"]);
// Attributes that hold text only: a payload may appear in them as text.
const TEXT_ATTRIBUTES = new Set(["alt", "title", "aria-label", "value", "placeholder", "content"]);
const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset", "ping"]);

const TAG = /<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/** Character references decoded, as a browser does for text and attribute values. */
export function decodeEntities(text: string) {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (match, ref: string) => {
    if (ref[0] === "#") return String.fromCodePoint(ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return named[ref.toLowerCase()] ?? match;
  });
}

/** The tags of a piece of HTML with their attributes, values decoded. */
export function tagsOf(html: string) {
  return [...html.matchAll(TAG)].map(([, name, rest]) => ({
    name: name.toLowerCase(),
    attributes: [...rest.matchAll(ATTRIBUTE)].map(([, attribute, double, single, bare]) => ({ name: attribute.toLowerCase(), value: decodeEntities(double ?? single ?? bare ?? "") })),
  }));
}

/** The visible text of a piece of HTML: tags removed, entities decoded. */
export function textOf(html: string) {
  return decodeEntities(html.replace(/<[^>]*>/g, ""));
}

/** Whether a URL, read as a browser reads it (controls and whitespace ignored), could run script or load a page. */
export function isScriptUrl(value: string, attribute: string) {
  const url = [...value].filter((c) => c.charCodeAt(0) > 0x20 && c.charCodeAt(0) !== 0x7f).join("").toLowerCase();
  if (url.startsWith("data:")) return !(attribute === "src" && /^data:image\/(png|gif|jpeg|webp|avif);/.test(url));
  return /^(javascript|vbscript|livescript):/.test(url);
}

/**
 * What in a piece of rendered Markdown could run or was injected: tags outside Markdown's
 * vocabulary, event-handler attributes, script URLs, and payload code in any attribute that is
 * not plain text. Empty when the HTML is safe.
 */
export function activeMarkdownHtml(html: string) {
  const problems: string[] = [];
  for (const tag of tagsOf(html)) {
    if (!MARKDOWN_TAGS.has(tag.name)) problems.push(`<${tag.name}> element`);
    for (const attribute of tag.attributes) {
      if (attribute.name.startsWith("on")) problems.push(`${attribute.name} on <${tag.name}>`);
      if (attribute.name === "srcdoc" || attribute.name === "style") problems.push(`${attribute.name} on <${tag.name}>`);
      if (URL_ATTRIBUTES.has(attribute.name) && isScriptUrl(attribute.value, attribute.name)) problems.push(`${attribute.name}="${attribute.value}" on <${tag.name}>`);
      if (!TEXT_ATTRIBUTES.has(attribute.name) && /__xss|xss-probe/.test(attribute.value)) problems.push(`payload in ${attribute.name} on <${tag.name}>`);
    }
  }
  return problems;
}

/** The elements and attributes of a piece of HTML, values left out: what text cannot change. */
export function skeletonOf(html: string) {
  return tagsOf(html).map((tag) => `<${tag.name} ${tag.attributes.map((attribute) => attribute.name).join(" ")}>`);
}
