import { describe, expect, it } from "vitest";
import { DomainError } from "~/utils/errors.server.ts";
import { VIDEO_FRAME_SOURCES, videoEmbed } from "./media.server.ts";

function refusal(url: string): DomainError {
  try {
    videoEmbed(url);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("accepted, but should have been refused");
}

const YOUTUBE = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";
const VIMEO = "https://player.vimeo.com/video/76979871?dnt=1";

describe("videoEmbed", () => {
  it.each([
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE],
    ["https://youtube.com/watch?v=dQw4w9WgXcQ&list=PL123&index=2", YOUTUBE],
    ["http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", YOUTUBE],
    ["  https://youtu.be/dQw4w9WgXcQ?si=abc123  ", YOUTUBE],
    ["youtu.be/dQw4w9WgXcQ", YOUTUBE],
    ["www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE],
    ["https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0&autoplay=1", YOUTUBE],
    ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", YOUTUBE],
    ["https://www.youtube.com/shorts/dQw4w9WgXcQ", YOUTUBE],
    ["https://www.youtube.com/live/dQw4w9WgXcQ?feature=shared", YOUTUBE],
    ["HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ", YOUTUBE],
    ["https://youtu.be/dQw4w9WgXcQ?t=90", `${YOUTUBE}?start=90`],
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s", `${YOUTUBE}?start=90`],
    ["https://www.youtube.com/embed/dQw4w9WgXcQ?start=75", `${YOUTUBE}?start=75`],
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=soon", YOUTUBE],
    ["https://vimeo.com/76979871", VIMEO],
    ["https://www.vimeo.com/76979871?share=copy", VIMEO],
    ["https://vimeo.com/channels/staffpicks/76979871", VIMEO],
    ["https://vimeo.com/groups/nurses/videos/76979871", VIMEO],
    ["https://vimeo.com/showcase/1234567/video/76979871", VIMEO],
    ["https://vimeo.com/manage/videos/76979871/8a1b2c3d4e", "https://player.vimeo.com/video/76979871?h=8a1b2c3d4e&dnt=1"],
    ["https://player.vimeo.com/video/76979871", VIMEO],
    ["https://player.vimeo.com/video/76979871?autoplay=1&badge=0", VIMEO],
    ["https://vimeo.com/76979871/8a1b2c3d4e", "https://player.vimeo.com/video/76979871?h=8a1b2c3d4e&dnt=1"],
    ["https://player.vimeo.com/video/76979871?h=8a1b2c3d4e", "https://player.vimeo.com/video/76979871?h=8a1b2c3d4e&dnt=1"],
  ])("turns %s into its embed address", (url, embed) => {
    expect(videoEmbed(url)).toBe(embed);
  });

  it("only ever returns addresses the Content-Security-Policy's frame-src can allow", () => {
    for (const url of ["https://youtu.be/dQw4w9WgXcQ?t=5", "https://vimeo.com/76979871/8a1b2c3d4e"]) {
      const embed = new URL(videoEmbed(url));
      expect(embed.protocol).toBe("https:");
      expect(VIDEO_FRAME_SOURCES).toContain(embed.origin);
    }
    expect(VIDEO_FRAME_SOURCES).toEqual(["https://www.youtube-nocookie.com", "https://player.vimeo.com"]);
  });

  it.each([
    ["javascript:alert(document.cookie)", "javascript:"],
    ["JavaScript:alert(1)//https://youtu.be/dQw4w9WgXcQ", "javascript:"],
    ["data:text/html,<script>alert(1)</script>", "data:"],
    ["vbscript:msgbox", "vbscript:"],
    ["file:///etc/passwd", "file:"],
    ["ftp://youtube.com/watch?v=dQw4w9WgXcQ", "ftp:"],
    ["https://user:secret@www.youtube.com/watch?v=dQw4w9WgXcQ", "user:password@"],
    ["https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ", "user:password@"],
    ["https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ", "port 8443"],
  ])("refuses %s as unsafe", (url, detail) => {
    expect(refusal(url)).toMatchObject({ code: "INVALID", messageKey: "media.video.unsafe_url", detail });
  });

  it.each([
    ["https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "youtube.com.evil.example"],
    ["https://evil.example/www.youtube.com/watch?v=dQw4w9WgXcQ", "evil.example"],
    ["https://notyoutube.com/watch?v=dQw4w9WgXcQ", "notyoutube.com"],
    ["https://www.youtube.com./watch?v=dQw4w9WgXcQ", "www.youtube.com."],
    ["https://www.yоutube.com/watch?v=dQw4w9WgXcQ", "www.xn--yutube-wqf.com"],
    ["https://vimeo.com.evil.example/76979871", "vimeo.com.evil.example"],
    ["https://evil.example\\@www.youtube.com/watch?v=dQw4w9WgXcQ", "evil.example"],
    ["https://example.org/video.mp4", "example.org"],
    ["https://127.0.0.1/watch?v=dQw4w9WgXcQ", "127.0.0.1"],
  ])("refuses %s as another site", (url, detail) => {
    expect(refusal(url)).toMatchObject({ messageKey: "media.video.unsupported_host", detail });
  });

  it.each([
    ["https://www.youtube.com/@SomeChannel", "www.youtube.com/@SomeChannel"],
    ["https://www.youtube.com/playlist?list=PL123", "www.youtube.com/playlist"],
    ["https://www.youtube.com/watch?v=short", "www.youtube.com/watch"],
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ<script>", "www.youtube.com/watch"],
    ["https://youtu.be/", "youtu.be/"],
    ["https://vimeo.com/", "vimeo.com/"],
    ["https://vimeo.com/channels/staffpicks", "vimeo.com/channels/staffpicks"],
    ["https://vimeo.com/76979871/not-a-key", "vimeo.com/76979871/not-a-key"],
    ["https://player.vimeo.com/video/76979871?h=<script>", "player.vimeo.com/video/76979871"],
    ["https://vimeo.com/evil/76979871", "vimeo.com/evil/76979871"],
  ])("refuses %s as not one video", (url, detail) => {
    expect(refusal(url)).toMatchObject({ messageKey: "media.video.not_a_video", detail });
  });

  it.each([
    ["", "0 characters"],
    ["https://www.youtube.com/watch?v=dQw4w9WgXcQ\nhttps://evil.example", "spaces or line breaks"],
    ["java\tscript:alert(1)", "spaces or line breaks"],
    ["https://", "https://"],
    [`https://youtu.be/${"a".repeat(3000)}`, "3017 characters"],
  ])("refuses %j as not an address", (url, detail) => {
    expect(refusal(url)).toMatchObject({ messageKey: "media.video.invalid_url", detail });
  });
});
