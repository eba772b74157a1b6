import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compressAssets } from "../scripts/compress-assets.mjs";
import { createStaticHandler } from "./static.mjs";

let root: string;
let server: Server;
const script = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `beseda-${i}`))};\n`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "opora-static-"));
  mkdirSync(join(root, "assets"));
  writeFileSync(join(root, "assets", "app-1234.js"), script);
  writeFileSync(join(root, "assets", "tiny-1234.js"), "export {};\n");
  writeFileSync(join(root, "assets", "logo-1234.png"), Buffer.alloc(4096, 7));
  expect(compressAssets(root).count).toBe(1);
  const serve = createStaticHandler(root);
  server = createServer(async (req, res) => {
    if (!(await serve(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

/** The raw response (no decompression), as a browser receives it. */
function get(path: string, acceptEncoding?: string, method = "GET") {
  const { port } = server.address() as AddressInfo;
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("static files", () => {
  it("sends scripts as Brotli or gzip when the browser accepts it, the same bytes once decoded", async () => {
    const br = await get("/assets/app-1234.js", "gzip, deflate, br, zstd");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toBe("Accept-Encoding");
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(script.length / 3);
    expect(brotliDecompressSync(br.body).toString()).toBe(script);

    const gzip = await get("/assets/app-1234.js", "gzip");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).toString()).toBe(script);

    const refused = await get("/assets/app-1234.js", "br;q=0, gzip;q=0.5");
    expect(refused.headers["content-encoding"]).toBe("gzip");
  });

  it("sends the file as it is to a client that accepts no coding, for small files and for images", async () => {
    for (const [path, accept] of [["/assets/app-1234.js", undefined], ["/assets/app-1234.js", "identity"], ["/assets/tiny-1234.js", "br"], ["/assets/logo-1234.png", "br"]] as const) {
      const res = await get(path, accept);
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"]).toBeUndefined();
      expect(Number(res.headers["content-length"])).toBe(res.body.length);
    }
    expect((await get("/assets/app-1234.js")).body.toString()).toBe(script);
    expect((await get("/assets/logo-1234.png", "br")).headers.vary).toBeUndefined();
  });

  it("answers HEAD with the length of what GET would send", async () => {
    const head = await get("/assets/app-1234.js", "br", "HEAD");
    const full = await get("/assets/app-1234.js", "br");
    expect(head.body.length).toBe(0);
    expect(head.headers["content-length"]).toBe(full.headers["content-length"]);
  });
});
