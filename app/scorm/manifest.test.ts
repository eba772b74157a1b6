import { describe, expect, test } from "vitest";
import { MANIFEST_ERROR_CODES, ManifestError, type ManifestErrorCode, missingLaunchFiles, parseManifest } from "./manifest";

const NS_12 = `xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"`;
const NS_2004 = [
  `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"`,
  `xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"`,
  `xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"`,
  `xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"`,
  `xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`,
].join(" ");

/** A SCORM 1.2 manifest with one organisation; `items` and `resources` are inner XML. */
function manifest12(items: string, resources: string, { base = "", schema = "1.2" } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="course" version="1" ${NS_12}${base ? ` xml:base="${base}"` : ""}>
  <metadata><schema>ADL SCORM</schema><schemaversion>${schema}</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Course</title>${items}</organization>
  </organizations>
  <resources>${resources}</resources>
</manifest>`;
}

const SCO_12 = `<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource>`;
const ITEM_12 = `<item identifier="i1" identifierref="r1"><title>Lesson</title></item>`;

function errorOf(xml: string): ManifestError {
  try {
    parseManifest(xml);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error("expected a ManifestError");
}

describe("SCORM 1.2", () => {
  test("reads a single-SCO package with its tracking settings", () => {
    const manifest = parseManifest(
      manifest12(
        `<item identifier="i1" identifierref="r1" isvisible="true" parameters="?lang=en">
           <title>  Recognising
             signs </title>
           <adlcp:masteryscore>80</adlcp:masteryscore>
           <adlcp:datafromlms>mode=review;x=1</adlcp:datafromlms>
           <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
           <adlcp:timelimitaction>exit, message</adlcp:timelimitaction>
         </item>`,
        `<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="sco/index.html">
           <file href="sco/index.html"/><file href="sco/app.js"/><file href="sco/index.html"/>
         </resource>`,
      ),
    );
    expect(manifest).toMatchObject({ version: "1.2", edition: null, identifier: "course", organizationIdentifier: "org", title: "Course" });
    expect(manifest.items).toEqual([
      {
        identifier: "i1",
        title: "Recognising signs",
        depth: 0,
        parentTitles: [],
        resourceIdentifier: "r1",
        scormType: "sco",
        launchFile: "sco/index.html",
        launchUrl: "sco/index.html?lang=en",
        parameters: "?lang=en",
        isVisible: true,
        masteryScore: 80,
        dataFromLms: "mode=review;x=1",
        maxTimeAllowed: "00:30:00",
        timeLimitAction: "exit,message",
        completionThreshold: null,
        scaledPassingScore: null,
        objectives: [],
        sharedData: [],
      },
    ]);
    expect(manifest.files).toEqual(["sco/index.html", "sco/app.js"]);
  });

  test("an item pointing at an asset with href launches untracked; resources without href do not launch", () => {
    const manifest = parseManifest(
      manifest12(
        `${ITEM_12}
         <item identifier="i2" identifierref="pdf"><title>Handout</title></item>
         <item identifier="i3" identifierref="bundle"><title>Nothing to launch</title></item>`,
        `${SCO_12}
         <resource identifier="pdf" type="webcontent" adlcp:scormtype="asset" href="handout.pdf"/>
         <resource identifier="bundle" type="webcontent" adlcp:scormtype="asset"><file href="lib.js"/></resource>`,
      ),
    );
    expect(manifest.items.map(({ identifier, scormType }) => ({ identifier, scormType }))).toEqual([
      { identifier: "i1", scormType: "sco" },
      { identifier: "i2", scormType: "asset" },
    ]);
    expect(manifest.outline.map(({ identifier, launchable }) => [identifier, launchable])).toEqual([
      ["i1", true],
      ["i2", true],
      ["i3", false],
    ]);
  });

  test("a resource without scormtype is an asset, as the spec's default says", () => {
    const xml = manifest12(
      `${ITEM_12}<item identifier="i2" identifierref="r2"><title>Plain</title></item>`,
      `${SCO_12}<resource identifier="r2" type="webcontent" href="plain.html"/>`,
    );
    expect(parseManifest(xml).items[1]?.scormType).toBe("asset");
  });

  test("isvisible=false is kept on the item and in the outline", () => {
    const manifest = parseManifest(manifest12(`<item identifier="i1" identifierref="r1" isvisible="false"><title>Hidden</title></item>`, SCO_12));
    expect(manifest.items[0]?.isVisible).toBe(false);
    expect(manifest.outline[0]?.isVisible).toBe(false);
  });
});

describe("namespaces and prefixes", () => {
  test("reads a manifest whose every element carries the imscp: prefix", () => {
    const manifest = parseManifest(`<?xml version="1.0"?>
<imscp:manifest identifier="prefixed" xmlns:imscp="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <imscp:metadata><imscp:schema>ADL SCORM</imscp:schema><imscp:schemaversion>2004 3rd Edition</imscp:schemaversion></imscp:metadata>
  <imscp:organizations default="o">
    <imscp:organization identifier="o">
      <imscp:title>Prefixed</imscp:title>
      <imscp:item identifier="i1" identifierref="r1">
        <imscp:title>Only lesson</imscp:title>
        <adlcp:completionThreshold>0.75</adlcp:completionThreshold>
        <adlcp:dataFromLMS>hello</adlcp:dataFromLMS>
        <adlcp:timeLimitAction>continue,no message</adlcp:timeLimitAction>
        <imsss:sequencing>
          <imsss:limitConditions attemptAbsoluteDurationLimit="PT1H30M"/>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="main" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </imscp:item>
    </imscp:organization>
  </imscp:organizations>
  <imscp:resources>
    <imscp:resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="index.html"><imscp:file href="index.html"/></imscp:resource>
  </imscp:resources>
</imscp:manifest>`);
    expect(manifest).toMatchObject({ version: "2004", edition: "3rd", title: "Prefixed" });
    expect(manifest.items[0]).toMatchObject({
      title: "Only lesson",
      scormType: "sco",
      dataFromLms: "hello",
      maxTimeAllowed: "PT1H30M",
      timeLimitAction: "continue,no message",
      completionThreshold: { completedByMeasure: true, minProgressMeasure: 0.75, progressWeight: 1 },
      scaledPassingScore: 0.6,
    });
  });

  test("prefixes are irrelevant: odd prefixes and unprefixed ADL attributes still read", () => {
    const manifest = parseManifest(`<cp:manifest identifier="odd" xmlns:cp="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
        xmlns:x="http://www.adlnet.org/xsd/adlcp_rootv1p2">
      <cp:organizations><cp:organization identifier="o"><cp:title>Odd</cp:title>
        <cp:item identifier="i1" identifierref="r1"><cp:title>L</cp:title><x:masteryscore>70</x:masteryscore></cp:item>
      </cp:organization></cp:organizations>
      <cp:resources><cp:resource identifier="r1" type="webcontent" scormtype="sco" href="a.html"/></cp:resources>
    </cp:manifest>`);
    expect(manifest).toMatchObject({ version: "1.2", edition: null });
    expect(manifest.items[0]).toMatchObject({ scormType: "sco", masteryScore: 70 });
  });

  test("decodes the XML entities and character references, and CDATA literally", () => {
    const manifest = parseManifest(
      manifest12(
        `<item identifier="i1" identifierref="r1" parameters="a=1&amp;b=&#50;"><title>Tom &amp; Jerry &#x2013; <![CDATA[<b>&amp;</b>]]></title></item>`,
        SCO_12,
      ),
    );
    expect(manifest.items[0]).toMatchObject({ title: "Tom & Jerry – <b>&amp;</b>", launchUrl: "index.html?a=1&b=2" });
  });
});

describe("version detection", () => {
  test.each([
    ["1.2", "1.2", null],
    ["CAM 1.3", "2004", "2nd"],
    ["2004 3rd Edition", "2004", "3rd"],
    ["2004 4th Edition", "2004", "4th"],
    ["  2004   4th   edition ", "2004", "4th"],
  ])("schemaversion %j is %s %s", (schema, version, edition) => {
    expect(parseManifest(manifest12(ITEM_12, SCO_12, { schema }))).toMatchObject({ version, edition });
  });

  test("without schemaversion the ADL namespaces decide", () => {
    const without12 = manifest12(ITEM_12, SCO_12).replace(/<metadata>.*<\/metadata>/, "");
    expect(parseManifest(without12)).toMatchObject({ version: "1.2", edition: null });
    const without2004 = `<manifest identifier="m" ${NS_2004}>
      <organizations><organization identifier="o"><title>T</title><item identifier="i" identifierref="r"><title>L</title></item></organization></organizations>
      <resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="a.html"/></resources></manifest>`;
    expect(parseManifest(without2004)).toMatchObject({ version: "2004", edition: null });
  });

  test("with neither, the spelling of scormType decides", () => {
    const bare = (attribute: string) => `<manifest identifier="m">
      <organizations><organization identifier="o"><item identifier="i" identifierref="r"><title>L</title></item></organization></organizations>
      <resources><resource identifier="r" type="webcontent" ${attribute}="sco" href="a.html"/></resources></manifest>`;
    expect(parseManifest(bare("scormtype")).version).toBe("1.2");
    expect(parseManifest(bare("scormType")).version).toBe("2004");
  });
});

describe("SCORM 2004 4th edition, several SCOs", () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="golf" version="1" ${NS_2004}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="golf-org">
    <organization identifier="golf-org" adlseq:objectivesGlobalToSystem="false">
      <title>Golf explained</title>
      <item identifier="playing" identifierref="r-playing">
        <title>Playing</title>
        <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8" progressWeight="0.5"/>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="playing-primary" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure>
              <imsss:mapInfo targetObjectiveID="g.playing" writeSatisfiedStatus="true" writeNormalizedMeasure="true"/>
            </imsss:primaryObjective>
            <imsss:objective objectiveID="rules">
              <imsss:mapInfo targetObjectiveID="g.rules" readSatisfiedStatus="false"/>
            </imsss:objective>
            <imsss:objective objectiveID="etiquette"/>
          </imsss:objectives>
          <adlseq:objectives>
            <adlseq:objective objectiveID="rules"><adlseq:mapInfo targetObjectiveID="g.rules" readRawScore="true"/></adlseq:objective>
          </adlseq:objectives>
        </imsss:sequencing>
        <adlcp:data>
          <adlcp:map targetID="golf.notes" readSharedData="true" writeSharedData="false"/>
          <adlcp:map targetID="golf.scores"/>
        </adlcp:data>
      </item>
      <item identifier="etiquette" identifierref="r-etiquette">
        <title>Etiquette</title>
        <adlcp:completionThreshold minProgressMeasure="0.5"/>
        <imsss:sequencing>
          <imsss:objectives><imsss:primaryObjective satisfiedByMeasure="false"><imsss:minNormalizedMeasure>0.9</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives>
        </imsss:sequencing>
      </item>
      <item identifier="quiz" identifierref="r-quiz">
        <title>Quiz</title>
        <imsss:sequencing>
          <imsss:objectives><imsss:primaryObjective objectiveID="quiz" satisfiedByMeasure="true"/></imsss:objectives>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r-playing" type="webcontent" adlcp:scormType="sco" href="playing/index.html">
      <file href="playing/index.html"/><dependency identifierref="shared"/>
    </resource>
    <resource identifier="r-etiquette" type="webcontent" adlcp:scormType="sco" href="etiquette/index.html"><file href="etiquette/index.html"/></resource>
    <resource identifier="r-quiz" type="webcontent" adlcp:scormType="sco" href="quiz/index.html"><file href="quiz/index.html"/></resource>
    <resource identifier="shared" type="webcontent" adlcp:scormType="asset"><file href="shared/scorm.js"/></resource>
  </resources>
</manifest>`;

  test("lists the three SCOs in order with objectives, thresholds and shared data", () => {
    const manifest = parseManifest(xml);
    expect(manifest).toMatchObject({ version: "2004", edition: "4th", title: "Golf explained" });
    expect(manifest.items.map((item) => item.identifier)).toEqual(["playing", "etiquette", "quiz"]);
    const [playing, etiquette, quiz] = manifest.items;
    expect(playing).toMatchObject({
      completionThreshold: { completedByMeasure: true, minProgressMeasure: 0.8, progressWeight: 0.5 },
      scaledPassingScore: 0.7,
      sharedData: [
        { targetId: "golf.notes", readSharedData: true, writeSharedData: false },
        { targetId: "golf.scores", readSharedData: true, writeSharedData: true },
      ],
    });
    expect(playing?.objectives).toEqual([
      {
        id: "playing-primary",
        primary: true,
        satisfiedByMeasure: true,
        minNormalizedMeasure: 0.7,
        maps: [
          {
            targetObjectiveId: "g.playing",
            readSatisfiedStatus: true,
            readNormalizedMeasure: true,
            writeSatisfiedStatus: true,
            writeNormalizedMeasure: true,
          },
        ],
      },
      {
        id: "rules",
        primary: false,
        satisfiedByMeasure: false,
        minNormalizedMeasure: 1,
        maps: [
          {
            targetObjectiveId: "g.rules",
            readSatisfiedStatus: false,
            readNormalizedMeasure: true,
            writeSatisfiedStatus: false,
            writeNormalizedMeasure: false,
          },
        ],
      },
      { id: "etiquette", primary: false, satisfiedByMeasure: false, minNormalizedMeasure: 1, maps: [] },
    ]);
    // Not satisfied by measure: no passing score, and a primary objective without an id.
    expect(etiquette).toMatchObject({
      completionThreshold: { completedByMeasure: false, minProgressMeasure: 0.5, progressWeight: 1 },
      scaledPassingScore: null,
      objectives: [{ id: null, primary: true, minNormalizedMeasure: 0.9 }],
      sharedData: [],
    });
    // satisfiedByMeasure without minNormalizedMeasure takes the IMS SS default of 1.0.
    expect(quiz).toMatchObject({ completionThreshold: null, scaledPassingScore: 1 });
    expect(manifest.files).toEqual(["playing/index.html", "etiquette/index.html", "quiz/index.html", "shared/scorm.js"]);
  });
});

describe("organisations and nested items", () => {
  const nested = `<manifest identifier="m" ${NS_12}>
  <metadata><schemaversion>1.2</schemaversion></metadata>
  <organizations default="second">
    <organization identifier="first"><title>First</title><item identifier="f1" identifierref="r1"><title>F</title></item></organization>
    <organization identifier="second"><title>Second</title>
      <item identifier="part1"><title>Part 1</title>
        <item identifier="chapter1"><title>Chapter 1</title>
          <item identifier="lesson1" identifierref="r1"><title>Lesson 1</title></item>
          <item identifier="lesson2" identifierref="r1" parameters="page=2"><title>Lesson 2</title></item>
        </item>
        <item identifier="lesson3" identifierref="r1"><title>Lesson 3</title></item>
      </item>
      <item identifier="part2"><title>Part 2</title>
        <item identifier="lesson4" identifierref="r1"><title>Lesson 4</title></item>
      </item>
    </organization>
  </organizations>
  <resources>${SCO_12}</resources>
</manifest>`;

  test("the default organisation is used and its items flatten in document order", () => {
    const manifest = parseManifest(nested);
    expect(manifest).toMatchObject({ organizationIdentifier: "second", title: "Second" });
    expect(manifest.items.map(({ identifier, depth, parentTitles, launchUrl }) => ({ identifier, depth, parentTitles, launchUrl }))).toEqual([
      { identifier: "lesson1", depth: 2, parentTitles: ["Part 1", "Chapter 1"], launchUrl: "index.html" },
      { identifier: "lesson2", depth: 2, parentTitles: ["Part 1", "Chapter 1"], launchUrl: "index.html?page=2" },
      { identifier: "lesson3", depth: 1, parentTitles: ["Part 1"], launchUrl: "index.html" },
      { identifier: "lesson4", depth: 1, parentTitles: ["Part 2"], launchUrl: "index.html" },
    ]);
    expect(manifest.outline.map(({ title, depth, launchable }) => `${"  ".repeat(depth)}${title}${launchable ? "" : " /"}`)).toEqual([
      "Part 1 /",
      "  Chapter 1 /",
      "    Lesson 1",
      "    Lesson 2",
      "  Lesson 3",
      "Part 2 /",
      "  Lesson 4",
    ]);
  });

  test("without a default, or with a default naming nothing, the first organisation is used", () => {
    expect(parseManifest(nested.replace(' default="second"', "")).organizationIdentifier).toBe("first");
    expect(parseManifest(nested.replace('default="second"', 'default="gone"')).organizationIdentifier).toBe("first");
  });
});

describe("launch paths", () => {
  /** The launch URL of a one-item manifest with these bases, href and parameters. */
  function launch({
    manifestBase = "",
    resourcesBase = "",
    resourceBase = "",
    href = "index.html",
    parameters = "",
  }): { file: string; url: string } {
    const attribute = (name: string, value: string) => (value ? ` ${name}="${value}"` : "");
    const xml = `<manifest identifier="m" ${NS_12}${attribute("xml:base", manifestBase)}>
      <metadata><schemaversion>1.2</schemaversion></metadata>
      <organizations><organization identifier="o"><item identifier="i" identifierref="r"${attribute("parameters", parameters)}><title>L</title></item></organization></organizations>
      <resources${attribute("xml:base", resourcesBase)}>
        <resource identifier="r" type="webcontent" adlcp:scormtype="sco"${attribute("xml:base", resourceBase)} href="${href}"/>
      </resources></manifest>`;
    const [item] = parseManifest(xml).items;
    if (!item) throw new Error("expected an item");
    return { file: item.launchFile, url: item.launchUrl };
  }

  test.each([
    [{ manifestBase: "course/", resourcesBase: "content/", resourceBase: "sco1/" }, "course/content/sco1/index.html"],
    [{ manifestBase: "course", resourcesBase: "content", resourceBase: "sco1" }, "course/content/sco1/index.html"],
    [{ resourceBase: "sco1/", href: "./pages/../start.html" }, "sco1/start.html"],
    [{ resourcesBase: "a/b/", resourceBase: "../c/", href: "d.html" }, "a/c/d.html"],
    [{ resourceBase: "sco\\one\\", href: "start.html" }, "sco/one/start.html"],
    [{ href: "my%20lesson/index.html" }, "my lesson/index.html"],
  ])("xml:base chain %j resolves to %s", (parts, file) => {
    expect(launch(parts).file).toBe(file);
  });

  test.each([
    [{ href: "index.html" }, "index.html"],
    [{ href: "index.html", parameters: "?a=1" }, "index.html?a=1"],
    [{ href: "index.html", parameters: "&a=1" }, "index.html?a=1"],
    [{ href: "index.html", parameters: "a=1" }, "index.html?a=1"],
    [{ href: "index.html?x=0", parameters: "?a=1" }, "index.html?x=0&a=1"],
    [{ href: "index.html?x=0", parameters: "a=1" }, "index.html?x=0&a=1"],
    [{ href: "index.html", parameters: "#part2" }, "index.html#part2"],
    [{ href: "index.html#top", parameters: "#part2" }, "index.html#top"],
    [{ href: "index.html#top", parameters: "a=1" }, "index.html?a=1#top"],
    [{ href: "index.html", parameters: "a=1#part2" }, "index.html?a=1#part2"],
    [{ href: "my lesson/index.html", parameters: "a=1" }, "my%20lesson/index.html?a=1"],
  ])("href and parameters %j launch %s", (parts, url) => {
    expect(launch(parts).url).toBe(url);
  });

  test.each([
    { href: "../outside.html" },
    { resourceBase: "sco1/", href: "../../outside.html" },
    { manifestBase: "../", href: "index.html" },
    { href: "%2e%2e/outside.html" },
    { href: "a%2F..%2F..%2Fb.html" },
    { href: "/etc/passwd" },
    { href: "\\\\server\\share\\x.html" },
    { href: "C:\\course\\index.html" },
    { href: "https://example.com/sco.html" },
    { href: "javascript:alert(1)" },
    { resourceBase: "file:///tmp/" },
    { manifestBase: "/srv/" },
  ])("refuses %j", (parts) => {
    expect(() => launch(parts)).toThrow(expect.objectContaining({ code: "scorm.manifest.unsafe_path" }));
  });

  test("file hrefs resolve through the same chain and are refused the same way", () => {
    const withFiles = (fileHref: string) =>
      manifest12(
        ITEM_12,
        `<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" xml:base="sco/" href="index.html"><file href="index.html"/><file href="${fileHref}"/></resource>`,
        { base: "pkg/" },
      );
    expect(parseManifest(withFiles("../shared/x.js")).files).toEqual(["pkg/sco/index.html", "pkg/shared/x.js"]);
    expect(errorOf(withFiles("../../../x.js")).code).toBe("scorm.manifest.unsafe_path");
  });
});

describe("missingLaunchFiles", () => {
  test("names each launch file the package lacks, once", () => {
    const manifest = parseManifest(
      manifest12(
        `${ITEM_12}<item identifier="i2" identifierref="r1"><title>Again</title></item><item identifier="i3" identifierref="r3"><title>Other</title></item>`,
        `${SCO_12}<resource identifier="r3" type="webcontent" adlcp:scormtype="sco" href="other/start.html"/>`,
      ),
    );
    expect(missingLaunchFiles(manifest, ["other/start.html"])).toEqual(["index.html"]);
    expect(missingLaunchFiles(manifest, new Set(["index.html", "other/start.html"]))).toEqual([]);
    // Paths are compared exactly: the server's disk is case-sensitive.
    expect(missingLaunchFiles(manifest, ["INDEX.html", "other/start.html"])).toEqual(["index.html"]);
  });
});

describe("errors", () => {
  const cases: Array<[ManifestErrorCode, string, string]> = [
    ["scorm.manifest.malformed", "unclosed tag", manifest12(ITEM_12, SCO_12).replace("</organizations>", "")],
    ["scorm.manifest.malformed", "not XML at all", "just some text"],
    ["scorm.manifest.malformed", "two root elements", `${manifest12(ITEM_12, SCO_12)}<manifest/>`],
    ["scorm.manifest.not_manifest", "another root", `<html><body>Hello</body></html>`],
    ["scorm.manifest.unsupported_version", "SCORM 1.1", manifest12(ITEM_12, SCO_12, { schema: "1.1" })],
    ["scorm.manifest.unsupported_version", "no version clue", `<manifest identifier="m"><organizations/></manifest>`],
    ["scorm.manifest.no_organization", "no organizations", manifest12(ITEM_12, SCO_12).replace(/<organizations[\s\S]*<\/organizations>/, "")],
    ["scorm.manifest.no_organization", "an organisation without items", manifest12("", SCO_12)],
    ["scorm.manifest.missing_resource", "identifierref to nothing", manifest12(`<item identifier="i1" identifierref="gone"><title>L</title></item>`, SCO_12)],
    [
      "scorm.manifest.no_sco",
      "only an asset",
      manifest12(ITEM_12, `<resource identifier="r1" type="webcontent" adlcp:scormtype="asset" href="index.html"/>`),
    ],
    ["scorm.manifest.no_sco", "a SCO resource without href", manifest12(ITEM_12, `<resource identifier="r1" type="webcontent" adlcp:scormtype="sco"/>`)],
    [
      "scorm.manifest.unsafe_path",
      "a launch path leaving the package",
      manifest12(ITEM_12, `<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="../index.html"/>`),
    ],
    ["scorm.manifest.invalid_value", "masteryscore over 100", manifest12(`<item identifier="i1" identifierref="r1"><title>L</title><adlcp:masteryscore>150</adlcp:masteryscore></item>`, SCO_12)],
    ["scorm.manifest.invalid_value", "masteryscore not a number", manifest12(`<item identifier="i1" identifierref="r1"><title>L</title><adlcp:masteryscore>high</adlcp:masteryscore></item>`, SCO_12)],
    ["scorm.manifest.invalid_value", "isvisible not a boolean", manifest12(`<item identifier="i1" identifierref="r1" isvisible="yes"><title>L</title></item>`, SCO_12)],
    ["scorm.manifest.invalid_value", "unknown timelimitaction", manifest12(`<item identifier="i1" identifierref="r1"><title>L</title><adlcp:timelimitaction>explode</adlcp:timelimitaction></item>`, SCO_12)],
  ];

  test.each(cases)("%s: %s", (code, _name, xml) => {
    const error = errorOf(xml);
    expect(error.code).toBe(code);
    expect(error.detail).not.toBe(undefined);
  });

  test("every error code has a case above", () => {
    expect(new Set(cases.map(([code]) => code))).toEqual(new Set(MANIFEST_ERROR_CODES));
  });

  test("details name what is wrong", () => {
    expect(errorOf(manifest12(`<item identifier="i1" identifierref="gone"><title>L</title></item>`, SCO_12)).detail).toBe("i1 → gone");
    expect(errorOf(manifest12(ITEM_12, SCO_12, { schema: "1.1" })).detail).toBe("1.1");
    expect(errorOf(manifest12(ITEM_12, SCO_12).replace("</organizations>", "")).detail).toMatch(/line \d+/);
  });
});

describe("hostile XML", () => {
  test("a billion-laughs manifest is refused at once", () => {
    const entities = Array.from({ length: 9 }, (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`).join("");
    const xml = `<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY lol0 "lol">${entities}]>${manifest12(ITEM_12, SCO_12).replace(
      "<title>Course</title>",
      "<title>&lol9;</title>",
    ).replace(/^<\?xml[^>]*>/, "")}`;
    const started = performance.now();
    expect(errorOf(xml)).toMatchObject({ code: "scorm.manifest.malformed", detail: "entity declarations are not allowed" });
    expect(performance.now() - started).toBeLessThan(100);
  });

  test("an external entity (XXE) is refused", () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY secret SYSTEM "file:///etc/passwd">]>${manifest12(ITEM_12, SCO_12)
      .replace("<title>Course</title>", "<title>&secret;</title>")
      .replace(/^<\?xml[^>]*>/, "")}`;
    expect(errorOf(xml).code).toBe("scorm.manifest.malformed");
  });

  test("references to undeclared entities stay literal text, and many of them stay fast", () => {
    const manyReferences = "&lol;".repeat(100_000);
    const started = performance.now();
    const manifest = parseManifest(manifest12(ITEM_12, SCO_12).replace("<title>Course</title>", `<title>&nbsp;${manyReferences}</title>`));
    expect(manifest.title.startsWith("&nbsp;&lol;")).toBe(true);
    expect(manifest.title).toHaveLength("&nbsp;".length + manyReferences.length);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("a doctype without entity declarations is accepted", () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE manifest SYSTEM "imscp.dtd">\n${manifest12(ITEM_12, SCO_12).replace(/^<\?xml[^>]*>/, "")}`;
    expect(parseManifest(xml).items).toHaveLength(1);
  });

  test("a byte order mark is ignored", () => {
    expect(parseManifest(`\uFEFF${manifest12(ITEM_12, SCO_12)}`).items).toHaveLength(1);
  });
});
