import { createWriteStream, rmSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { MaxFileSizeExceededError, MaxFilesExceededError, MultipartParseError, parseFormData } from "@remix-run/form-data-parser";
import { DomainError } from "~/utils/errors.server.ts";
import { scratchPath } from "~/utils/storage.server.ts";

/**
 * Largest package the browser upload accepts (SCORM_MAX_UPLOAD_MB, default 200). The multipart
 * parser holds the file part in memory while it arrives, so this bounds the server's memory per
 * upload; bigger packages go through npm run scorm:import, which reads the zip from disk.
 */
export function maxUploadMb() {
  const configured = Number(process.env.SCORM_MAX_UPLOAD_MB ?? 200);
  return Number.isFinite(configured) && configured > 0 ? configured : 200;
}

// Each upload holds its zip in memory while it arrives: two at a time per process at most.
const MAX_PARALLEL_UPLOADS = 2;
let uploading = 0;

/** Reads the upload form and writes the package to a scratch file; the caller imports it and calls `discard()`. */
export async function readPackageUpload(request: Request) {
  if (uploading >= MAX_PARALLEL_UPLOADS) throw new DomainError("TOO_MANY_REQUESTS", "author.busy", "package");
  uploading++;
  try {
    return await receive(request);
  } finally {
    uploading--;
  }
}

async function receive(request: Request) {
  const mb = maxUploadMb();
  let zipPath: string | null = null;
  const discard = () => {
    if (zipPath) rmSync(zipPath, { force: true });
  };
  try {
    const form = await parseFormData(request, { maxFiles: 1, maxFileSize: mb * 1024 * 1024, maxHeaderSize: 8 * 1024 }, async (upload) => {
      if (upload.fieldName !== "package") return null;
      zipPath = scratchPath("upload.zip");
      await pipeline(Readable.fromWeb(upload.stream() as import("node:stream/web").ReadableStream), createWriteStream(zipPath));
      return upload.size ? "uploaded" : null;
    });
    return { form, zipPath: form.get("package") === "uploaded" ? zipPath : null, discard };
  } catch (error) {
    discard();
    if (error instanceof MaxFileSizeExceededError) throw new DomainError("INVALID", "author.tooLarge", "package", String(mb));
    if (error instanceof MaxFilesExceededError || error instanceof MultipartParseError) throw new DomainError("INVALID", "author.fileMissing", "package");
    throw error;
  }
}
