import { describe, expect, it } from "vitest";
import { clientIp } from "./index.mjs";
import { VIDEO_FRAME_SOURCES } from "../app/authoring/video-hosts.mjs";
import { contentSecurityPolicy, isCrossSiteMutation } from "./security.mjs";

const request = (method: string, headers: Record<string, string> = {}) => ({ method, headers: { host: "localhost:3000", ...headers } });

describe("cross-site mutation check", () => {
  it("refuses a POST from another site", () => {
    expect(isCrossSiteMutation(request("POST", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }), "http://localhost:3000")).toBe(true);
    expect(isCrossSiteMutation(request("POST", { origin: "https://evil.example" }), "http://localhost:3000")).toBe(true);
    expect(isCrossSiteMutation(request("POST", { "sec-fetch-site": "same-site" }), "http://localhost:3000")).toBe(true);
    expect(isCrossSiteMutation(request("POST", { origin: "null" }), "http://localhost:3000")).toBe(true);
  });

  it("allows same-origin posts, safe methods and clients without browser headers", () => {
    expect(isCrossSiteMutation(request("POST", { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }), "http://localhost:3000")).toBe(false);
    expect(isCrossSiteMutation(request("POST", { origin: "https://opora.example.org" }), "https://opora.example.org")).toBe(false);
    expect(isCrossSiteMutation(request("GET", { origin: "https://evil.example" }), "http://localhost:3000")).toBe(false);
    expect(isCrossSiteMutation(request("POST"), "http://localhost:3000")).toBe(false);
  });
});

describe("content security policy", () => {
  it("allows only scripts with this response's nonce", () => {
    const policy = contentSecurityPolicy("abc123");
    expect(policy).toContain("script-src 'nonce-abc123' 'strict-dynamic'");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
  });

  it("frames the app, the SCORM content origin and exactly the lesson video players", () => {
    const frameSrc = (policy: string) => policy.split("; ").find((directive) => directive.startsWith("frame-src "));
    expect(frameSrc(contentSecurityPolicy("n", { frameSrc: "http://content.opora-scorm.test" }))).toBe(
      `frame-src 'self' http://content.opora-scorm.test ${VIDEO_FRAME_SOURCES.join(" ")}`,
    );
    expect(frameSrc(contentSecurityPolicy("n"))).toBe("frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com");
  });
});

describe("client address", () => {
  const req = (forwarded?: string) => ({ socket: { remoteAddress: "10.0.0.9" }, headers: forwarded ? { "x-forwarded-for": forwarded } : {} });
  it("ignores X-Forwarded-For unless proxies are trusted", () => {
    expect(clientIp(req("1.2.3.4"), 0)).toBe("10.0.0.9");
  });
  it("takes the address the trusted proxy saw, not one the client wrote", () => {
    expect(clientIp(req("6.6.6.6, 1.2.3.4"), 1)).toBe("1.2.3.4");
    expect(clientIp(req("6.6.6.6, 1.2.3.4, 10.1.1.1"), 2)).toBe("1.2.3.4");
    expect(clientIp(req(), 1)).toBe("10.0.0.9");
  });
});
