/** Only local paths: never an absolute URL, a protocol-relative one or a backslash trick. */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.includes("\\")) return fallback;
  try {
    const url = new URL(to, "http://opora.invalid");
    return url.host === "opora.invalid" ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
