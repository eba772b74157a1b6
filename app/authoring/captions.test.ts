import { describe, expect, it } from "vitest";
import { DomainError } from "~/utils/errors.server.ts";
import { parseTimestamp } from "./captions.ts";
import { checkCaptions, MAX_CAPTIONS_BYTES } from "./media.server.ts";

function refusal(text: string): DomainError {
  try {
    checkCaptions(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("accepted, but should have been refused");
}

describe("checkCaptions", () => {
  it("normalises a WebVTT file: one line ending, no header text, comments or styles, cues kept", () => {
    const text = [
      "\uFEFFWEBVTT - made with Subtitle Edit",
      "Kind: captions",
      "",
      "STYLE",
      "::cue { background-image: url(https://tracker.example/pixel) }",
      "",
      "REGION",
      "id:bottom width:40% lines:3",
      "",
      "NOTE exported by Jana's laptop",
      "",
      "intro",
      "00:01.000 --> 00:04.000 align:start line:90% region:bottom",
      "<v Nurse>Good morning.</v> How are <i>you</i> feeling?",
      "",
      "",
      "01:00:05.500-->01:00:07.250",
      "<c.yellow.bg_blue>Tired</c> &amp; <b>afraid</b>.<00:00:06.000> <lang sl>Hvala</lang>",
      "<ruby>漢<rt>kan</rt></ruby>",
      "",
    ].join("\r\n");
    expect(checkCaptions(text)).toBe(
      [
        "WEBVTT",
        "",
        "REGION\nid:bottom width:40% lines:3",
        "",
        "intro\n00:01.000 --> 00:04.000 align:start line:90% region:bottom\n<v Nurse>Good morning.</v> How are <i>you</i> feeling?",
        "",
        "01:00:05.500 --> 01:00:07.250\n<c.yellow.bg_blue>Tired</c> &amp; <b>afraid</b>.<00:00:06.000> <lang sl>Hvala</lang>\n<ruby>漢<rt>kan</rt></ruby>",
        "",
      ].join("\n"),
    );
    expect(checkCaptions(checkCaptions(text))).toBe(checkCaptions(text));
  });

  it.each([
    ["<script>", "WEBVTT\n\n00:01.000 --> 00:02.000\nHello <script>alert(1)</script>", /^line 4: "<script>"$/],
    ["an image", 'WEBVTT\n\n00:01.000 --> 00:02.000\n<img src=x onerror="alert(1)">', /^line 4: "<img src=x onerror="alert\(1\)">"$/],
    ["HTML formatting", 'WEBVTT\n\n00:01.000 --> 00:02.000\nok\n<font color="red">red</font>', /^line 5: "<font color="red">"$/],
    ["a tag in capitals", "WEBVTT\n\n00:01.000 --> 00:02.000\n<B>bold</B>", /^line 4: "<B>"$/],
    ["a tag inside a voice name", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v <b>x</v>", /line 4/],
    ["an unclosed <", "WEBVTT\n\n00:01.000 --> 00:02.000\n1 < 2", /^line 4: "< 2"$/],
  ])("refuses %s in a cue", (_, text, detail) => {
    const error = refusal(text);
    expect(error.messageKey).toBe("media.captions.markup");
    expect(error.detail).toMatch(detail);
  });

  it.each([
    ["SRT", "1\n00:00:01,000 --> 00:00:02,000\nHello\n", "SRT"],
    ["text", "Hello there\n", 'line 1: "Hello there"'],
    ["a signature run on", "WEBVTTX\n", 'line 1: "WEBVTTX"'],
    ["binary", "WEBVTT\n\0\0", "binary data"],
  ])("refuses %s as not WebVTT", (_, text, detail) => {
    expect(refusal(text)).toMatchObject({ messageKey: "media.captions.not_webvtt", detail });
  });

  it.each([
    ["a cue right under WEBVTT", "WEBVTT\n00:01.000 --> 00:02.000\nHi", "line 2: a blank line must follow WEBVTT"],
    ["a malformed time", "WEBVTT\n\n00:01.5 --> 00:02.000\nHi", 'line 3: "00:01.5"'],
    ["sixty seconds", "WEBVTT\n\n00:60.000 --> 01:02.000\nHi", 'line 3: "00:60.000"'],
    ["an end before the start", "WEBVTT\n\n00:05.000 --> 00:02.000\nHi", "line 3: 00:02.000 is not after 00:05.000"],
    ["an unknown setting", "WEBVTT\n\n00:01.000 --> 00:02.000 colour:red\nHi", 'line 3: "colour:red"'],
    ["cues out of order", "WEBVTT\n\n00:05.000 --> 00:06.000\nB\n\n00:01.000 --> 00:02.000\nA", "line 6: this cue starts before the one above"],
    ["a missing blank line between cues", "WEBVTT\n\n00:01.000 --> 00:02.000\nA\n00:03.000 --> 00:04.000\nB", "line 5: a blank line must come before the next cue"],
    ["text without a timing", "WEBVTT\n\nJust some text", 'line 3: no cue timing in "Just some text"'],
  ])("refuses %s", (_, text, detail) => {
    expect(refusal(text)).toMatchObject({ messageKey: "media.captions.timing", detail });
  });

  it("refuses a file without cues and one over the size limit", () => {
    expect(refusal("WEBVTT\n\nNOTE nothing yet\n")).toMatchObject({ messageKey: "media.captions.no_cues" });
    const cue = "00:01.000 --> 00:02.000\nčšž and more text to fill the file\n\n";
    const big = `WEBVTT\n\n${cue.repeat(Math.ceil(MAX_CAPTIONS_BYTES / cue.length))}`;
    expect(refusal(big)).toMatchObject({ messageKey: "media.captions.too_large", detail: expect.stringMatching(/^\d+ KB; max\. 512 KB$/) });
  });

  it("counts the size in UTF-8 bytes", () => {
    const cue = "00:01.000 --> 00:02.000\nžžžžžžžžžžžžžžžžžžžžžžžžžžžžžžžžžžžžž\n\n";
    const text = `WEBVTT\n\n${cue.repeat(Math.floor(MAX_CAPTIONS_BYTES / cue.length) - 10)}`;
    expect(text.length).toBeLessThan(MAX_CAPTIONS_BYTES);
    expect(refusal(text).messageKey).toBe("media.captions.too_large");
  });

  it("reads timestamps with and without hours", () => {
    expect(parseTimestamp("00:01.500")).toBe(1500);
    expect(parseTimestamp("01:02:03.004")).toBe(3_723_004);
    expect(parseTimestamp("100:00:00.000")).toBe(360_000_000);
    expect(parseTimestamp("1:02.000")).toBeNull();
    expect(parseTimestamp("00:01,500")).toBeNull();
  });
});
