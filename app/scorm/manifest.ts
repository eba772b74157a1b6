// Reads a SCORM package's imsmanifest.xml (1.2 and 2004 2nd–4th edition) into what the importer and
// the runtime need: the launchable items of the default organisation in order, their tracking
// settings, and every file the resources list. Pure: no fs, so it runs in tests and checks alike.
//
// Tools disagree on namespace prefixes (`adlcp:`, `imscp:`, a default namespace, none at all), so
// elements and attributes are matched by local name, case-insensitively (`scormtype` in 1.2,
// `scormType` in 2004). Namespaces only serve to guess the version when `schemaversion` is missing.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";

export const MANIFEST_ERROR_CODES = [
  "scorm.manifest.malformed",
  "scorm.manifest.not_manifest",
  "scorm.manifest.unsupported_version",
  "scorm.manifest.no_organization",
  "scorm.manifest.missing_resource",
  "scorm.manifest.no_sco",
  "scorm.manifest.unsafe_path",
  "scorm.manifest.invalid_value",
] as const;
export type ManifestErrorCode = (typeof MANIFEST_ERROR_CODES)[number];

/** `code` is an i18n key; `detail` (an identifier, a path, the parser's message) fills its `{detail}`. */
export class ManifestError extends Error {
  constructor(
    readonly code: ManifestErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = "ManifestError";
  }
}

export type ScormVersion = "1.2" | "2004";
export type ScormEdition = "2nd" | "3rd" | "4th";

export type ObjectiveMap = {
  targetObjectiveId: string;
  readSatisfiedStatus: boolean;
  readNormalizedMeasure: boolean;
  writeSatisfiedStatus: boolean;
  writeNormalizedMeasure: boolean;
};

export type ScormObjective = {
  /** Null for a primary objective without objectiveID: it is then not exposed in cmi.objectives. */
  id: string | null;
  primary: boolean;
  satisfiedByMeasure: boolean;
  /** -1..1; the IMS SS default is 1.0. */
  minNormalizedMeasure: number;
  maps: ObjectiveMap[];
};

export type CompletionThreshold = {
  /** 3rd edition's text form (`<adlcp:completionThreshold>0.8</…>`) is read as completedByMeasure. */
  completedByMeasure: boolean;
  minProgressMeasure: number;
  progressWeight: number;
};

export type SharedDataMap = { targetId: string; readSharedData: boolean; writeSharedData: boolean };

export type ScormItem = {
  identifier: string;
  title: string;
  /** 0 for an item directly under the organisation. */
  depth: number;
  /** Titles of the containing items, outermost first. */
  parentTitles: string[];
  resourceIdentifier: string;
  /** Assets launch but never talk to the API, so they are not tracked. */
  scormType: "sco" | "asset";
  /** Path of the launch file inside the package root, percent-decoded: what must exist on disk. */
  launchFile: string;
  /** URL relative to the package root: the encoded launch file plus the query and fragment. */
  launchUrl: string;
  parameters: string | null;
  isVisible: boolean;
  /** SCORM 1.2, 0–100. */
  masteryScore: number | null;
  /** cmi.launch_data / cmi.core.launch_data. */
  dataFromLms: string | null;
  /** 1.2 `adlcp:maxtimeallowed` (HH:MM:SS) or 2004 `attemptAbsoluteDurationLimit` (ISO 8601 duration). */
  maxTimeAllowed: string | null;
  /** Lower-case, e.g. "exit,message". */
  timeLimitAction: string | null;
  completionThreshold: CompletionThreshold | null;
  /** Initial cmi.scaled_passing_score: the primary objective's minNormalizedMeasure when satisfiedByMeasure. */
  scaledPassingScore: number | null;
  objectives: ScormObjective[];
  sharedData: SharedDataMap[];
};

/** Every item of the organisation, containers included, for a table of contents. */
export type OutlineEntry = { identifier: string; title: string; depth: number; launchable: boolean; isVisible: boolean };

export type ParsedManifest = {
  version: ScormVersion;
  /** Null for 1.2 and when only namespaces told the version. */
  edition: ScormEdition | null;
  identifier: string;
  organizationIdentifier: string;
  title: string;
  outline: OutlineEntry[];
  /** Launchable items in document order. */
  items: ScormItem[];
  /** Paths of every `<file href>` of every resource, relative to the package root, deduplicated. */
  files: string[];
};

export function parseManifest(xml: string): ParsedManifest {
  const { root, namespaces } = readXml(xml);
  if (root.name !== "manifest") throw new ManifestError("scorm.manifest.not_manifest", root.name);
  const { version, edition } = detectVersion(root, namespaces);

  const organizations = child(root, "organizations");
  const allOrganizations = organizations ? children(organizations, "organization") : [];
  const defaultId = organizations ? attr(organizations, "default") : null;
  const organization = allOrganizations.find((org) => attr(org, "identifier") === defaultId) ?? allOrganizations[0];
  if (!organization || children(organization, "item").length === 0) {
    throw new ManifestError("scorm.manifest.no_organization", defaultId ?? "");
  }

  const resourcesElement = child(root, "resources");
  const manifestBases = [xmlBase(root), resourcesElement ? xmlBase(resourcesElement) : null];
  const resources = new Map<string, XmlElement>();
  for (const resource of resourcesElement ? children(resourcesElement, "resource") : []) {
    const id = attr(resource, "identifier");
    if (id !== null && !resources.has(id)) resources.set(id, resource);
  }

  const files = new Set<string>();
  for (const resource of resources.values()) {
    for (const file of children(resource, "file")) {
      const href = attr(file, "href");
      if (href) files.add(resolvePackagePath([...manifestBases, xmlBase(resource)], href).file);
    }
  }

  const outline: OutlineEntry[] = [];
  const items: ScormItem[] = [];
  const visit = (element: XmlElement, depth: number, parentTitles: string[]) => {
    const identifier = attr(element, "identifier") ?? "";
    const title = titleOf(element) || identifier;
    const isVisible = readBoolean(element, "isvisible", true);
    const ref = attr(element, "identifierref");
    let launchable = false;
    if (ref !== null && ref !== "") {
      const resource = resources.get(ref);
      if (!resource) throw new ManifestError("scorm.manifest.missing_resource", `${identifier} → ${ref}`);
      const href = attr(resource, "href");
      if (href) {
        launchable = true;
        const parameters = attr(element, "parameters") || null;
        const launch = resolvePackagePath([...manifestBases, xmlBase(resource)], href, parameters);
        const scormType = attr(resource, "scormtype")?.trim().toLowerCase() === "sco" ? "sco" : "asset";
        items.push({
          identifier,
          title,
          depth,
          parentTitles,
          resourceIdentifier: ref,
          scormType,
          launchFile: launch.file,
          launchUrl: launch.url,
          parameters,
          isVisible,
          ...trackingSettings(element, identifier),
        });
      }
    }
    outline.push({ identifier, title, depth, launchable, isVisible });
    for (const sub of children(element, "item")) visit(sub, depth + 1, [...parentTitles, title]);
  };
  for (const item of children(organization, "item")) visit(item, 0, []);

  if (!items.some((item) => item.scormType === "sco")) {
    throw new ManifestError("scorm.manifest.no_sco", attr(organization, "identifier") ?? "");
  }
  return {
    version,
    edition,
    identifier: attr(root, "identifier") ?? "",
    organizationIdentifier: attr(organization, "identifier") ?? "",
    title: titleOf(organization),
    outline,
    items,
    files: [...files],
  };
}

/** Launch files of the manifest's items that the package does not contain (paths relative to its root). */
export function missingLaunchFiles(manifest: Pick<ParsedManifest, "items">, files: Iterable<string>): string[] {
  const present = new Set(files);
  const missing = new Set<string>();
  for (const item of manifest.items) if (!present.has(item.launchFile)) missing.add(item.launchFile);
  return [...missing];
}

// --- Version -------------------------------------------------------------------------------------

const ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2";
const ADL_2004_NAMESPACES = [
  "http://www.adlnet.org/xsd/adlcp_v1p3",
  "http://www.adlnet.org/xsd/adlseq_v1p3",
  "http://www.adlnet.org/xsd/adlnav_v1p3",
  "http://www.imsglobal.org/xsd/imsss",
];

function detectVersion(root: XmlElement, namespaces: ReadonlySet<string>): { version: ScormVersion; edition: ScormEdition | null } {
  const metadata = child(root, "metadata");
  const schemaVersion = metadata ? textOf(child(metadata, "schemaversion")) : "";
  if (schemaVersion !== "") {
    const normalised = schemaVersion.toLowerCase().replace(/\s+/g, " ");
    if (normalised === "1.2") return { version: "1.2", edition: null };
    if (normalised === "cam 1.3") return { version: "2004", edition: "2nd" };
    const edition = /^(?:scorm )?2004(?: (?<edition>2nd|3rd|4th) edition)?$/.exec(normalised)?.groups;
    if (edition) return { version: "2004", edition: (edition.edition as ScormEdition | undefined) ?? null };
    throw new ManifestError("scorm.manifest.unsupported_version", schemaVersion);
  }
  // Hand-made packages often omit schemaversion; the ADL namespaces (or the attribute's spelling) still tell.
  if (namespaces.has(ADLCP_12)) return { version: "1.2", edition: null };
  if (ADL_2004_NAMESPACES.some((ns) => namespaces.has(ns))) return { version: "2004", edition: null };
  const scormTypeSpelling = findAttributeName(root, "scormtype");
  if (scormTypeSpelling === "scormtype") return { version: "1.2", edition: null };
  if (scormTypeSpelling === "scormType") return { version: "2004", edition: null };
  throw new ManifestError("scorm.manifest.unsupported_version", "no schemaversion and no ADL namespace");
}

function findAttributeName(element: XmlElement, lowerName: string): string | null {
  const own = element.attrs.find((a) => a.name.toLowerCase() === lowerName);
  if (own) return own.name;
  for (const sub of element.children) {
    const found = findAttributeName(sub, lowerName);
    if (found) return found;
  }
  return null;
}

// --- Per-item tracking settings --------------------------------------------------------------------

const MasteryScoreSchema = z.coerce.number().min(0).max(100);
const MeasureSchema = z.coerce.number().min(-1).max(1);
const ProgressSchema = z.coerce.number().min(0).max(1);
const TIME_LIMIT_ACTIONS = ["exit,message", "exit,no message", "continue,message", "continue,no message"];

type TrackingSettings = Pick<
  ScormItem,
  | "masteryScore"
  | "dataFromLms"
  | "maxTimeAllowed"
  | "timeLimitAction"
  | "completionThreshold"
  | "scaledPassingScore"
  | "objectives"
  | "sharedData"
>;

function trackingSettings(item: XmlElement, identifier: string): TrackingSettings {
  const masteryText = textOf(child(item, "masteryscore"));
  const sequencing = child(item, "sequencing");
  const limitConditions = sequencing ? child(sequencing, "limitConditions") : null;
  const maxTime = textOf(child(item, "maxtimeallowed")) || (limitConditions && attr(limitConditions, "attemptAbsoluteDurationLimit"));
  const timeLimitText = textOf(child(item, "timelimitaction")).toLowerCase().replace(/\s*,\s*/, ",");
  if (timeLimitText !== "" && !TIME_LIMIT_ACTIONS.includes(timeLimitText)) {
    throw new ManifestError("scorm.manifest.invalid_value", `${identifier}: timeLimitAction "${timeLimitText}"`);
  }
  const objectives = sequencing ? readObjectives(sequencing, identifier) : [];
  const primary = objectives.find((objective) => objective.primary);
  const dataFromLms = child(item, "datafromlms");
  return {
    masteryScore: masteryText === "" ? null : parseNumber(MasteryScoreSchema, masteryText, identifier, "masteryscore"),
    dataFromLms: dataFromLms ? textOf(dataFromLms, { trim: false }) || null : null,
    maxTimeAllowed: maxTime || null,
    timeLimitAction: timeLimitText || null,
    completionThreshold: readCompletionThreshold(item, identifier),
    scaledPassingScore: primary?.satisfiedByMeasure ? primary.minNormalizedMeasure : null,
    objectives,
    sharedData: readSharedData(item, identifier),
  };
}

function readCompletionThreshold(item: XmlElement, identifier: string): CompletionThreshold | null {
  const element = child(item, "completionThreshold");
  if (!element) return null;
  const text = textOf(element);
  if (text !== "") {
    return {
      completedByMeasure: true,
      minProgressMeasure: parseNumber(ProgressSchema, text, identifier, "completionThreshold"),
      progressWeight: 1,
    };
  }
  const number = (name: string) => {
    const value = attr(element, name);
    return value === null ? 1 : parseNumber(ProgressSchema, value, identifier, name);
  };
  return {
    completedByMeasure: readBoolean(element, "completedByMeasure", false, identifier),
    minProgressMeasure: number("minProgressMeasure"),
    progressWeight: number("progressWeight"),
  };
}

function readObjectives(sequencing: XmlElement, identifier: string): ScormObjective[] {
  // adlseq:objectives (4th ed's extended maps) shares the local name; the IMS SS one holds primaryObjective.
  const candidates = children(sequencing, "objectives");
  const objectives = candidates.find((element) => child(element, "primaryObjective")) ?? candidates[0];
  if (!objectives) return [];
  return objectives.children
    .filter((element) => ["primaryobjective", "objective"].includes(element.name.toLowerCase()))
    .map((element) => {
      const measureText = textOf(child(element, "minNormalizedMeasure"));
      return {
        id: attr(element, "objectiveID") || null,
        primary: element.name.toLowerCase() === "primaryobjective",
        satisfiedByMeasure: readBoolean(element, "satisfiedByMeasure", false, identifier),
        minNormalizedMeasure:
          measureText === "" ? 1 : parseNumber(MeasureSchema, measureText, identifier, "minNormalizedMeasure"),
        maps: children(element, "mapInfo").map((map) => ({
          targetObjectiveId: attr(map, "targetObjectiveID") ?? "",
          readSatisfiedStatus: readBoolean(map, "readSatisfiedStatus", true, identifier),
          readNormalizedMeasure: readBoolean(map, "readNormalizedMeasure", true, identifier),
          writeSatisfiedStatus: readBoolean(map, "writeSatisfiedStatus", false, identifier),
          writeNormalizedMeasure: readBoolean(map, "writeNormalizedMeasure", false, identifier),
        })),
      };
    });
}

function readSharedData(item: XmlElement, identifier: string): SharedDataMap[] {
  const data = child(item, "data");
  if (!data) return [];
  return children(data, "map").map((map) => ({
    targetId: attr(map, "targetID") ?? "",
    readSharedData: readBoolean(map, "readSharedData", true, identifier),
    writeSharedData: readBoolean(map, "writeSharedData", true, identifier),
  }));
}

function parseNumber(schema: z.ZodType<number>, text: string, identifier: string, name: string): number {
  const result = schema.safeParse(text.trim());
  if (!result.success) throw new ManifestError("scorm.manifest.invalid_value", `${identifier}: ${name} "${text}"`);
  return result.data;
}

function readBoolean(element: XmlElement, name: string, fallback: boolean, identifier = ""): boolean {
  const value = attr(element, name)?.trim().toLowerCase();
  if (value === undefined || value === "") return fallback;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new ManifestError("scorm.manifest.invalid_value", `${identifier || attr(element, "identifier")}: ${name} "${value}"`);
}

// --- Launch paths ------------------------------------------------------------------------------------

/**
 * Joins the xml:base chain and an href into a path inside the package. Each xml:base is read as a
 * folder (authoring tools write "sco1" and "sco1/" alike). Backslashes count as separators, as in
 * the unzipper. Absolute paths, schemes and `..` leaving the root are refused: the player only
 * serves files of the package. Item parameters follow the IMS rules: a leading `#` is a fragment,
 * used only when the href has none; otherwise leading `?`/`&` are dropped and the rest joins the query.
 */
function resolvePackagePath(
  bases: ReadonlyArray<string | null>,
  href: string,
  parameters: string | null = null,
): { file: string; url: string } {
  const [beforeFragment = "", hrefFragment] = splitOnce(href.trim(), "#");
  const [hrefPath = "", hrefQuery] = splitOnce(beforeFragment, "?");
  let query = hrefQuery ?? null;
  let fragment = hrefFragment ?? null;
  if (parameters) {
    if (parameters.startsWith("#")) {
      fragment ??= parameters.slice(1);
    } else {
      const [paramQuery = "", paramFragment] = splitOnce(parameters.replace(/^[?&]+/, ""), "#");
      if (paramQuery !== "") query = query ? `${query}&${paramQuery}` : paramQuery;
      if (paramFragment !== undefined) fragment ??= paramFragment;
    }
  }

  const segments: string[] = [];
  const pieces = [...bases.filter((base): base is string => !!base?.trim()).map((base) => `${base.trim()}/`), hrefPath];
  for (const piece of pieces) {
    const slashed = piece.replaceAll("\\", "/");
    if (/^[a-z][a-z0-9+.-]*:/i.test(slashed) || slashed.startsWith("/")) {
      throw new ManifestError("scorm.manifest.unsafe_path", piece);
    }
    for (const raw of slashed.split("/")) {
      const segment = decodeSegment(raw);
      if (segment.includes("/") || segment.includes("\\") || segment.includes("\0")) {
        throw new ManifestError("scorm.manifest.unsafe_path", pieces.join(""));
      }
      if (segment === "" || segment === ".") continue;
      if (segment === "..") {
        if (segments.length === 0) throw new ManifestError("scorm.manifest.unsafe_path", pieces.join(""));
        segments.pop();
      } else {
        segments.push(segment);
      }
    }
  }
  if (segments.length === 0) throw new ManifestError("scorm.manifest.unsafe_path", pieces.join(""));

  const file = segments.join("/");
  let url = segments.map((segment) => encodeURIComponent(segment)).join("/");
  if (query !== null && query !== "") url += `?${query}`;
  if (fragment !== null && fragment !== "") url += `#${fragment}`;
  return { file, url };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a stray "%" is a literal character of the file name
  }
}

// --- XML --------------------------------------------------------------------------------------------

const XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace";

type XmlAttribute = { name: string; namespace: string | null; value: string };
type XmlElement = {
  /** Local name, prefix removed. */
  name: string;
  namespace: string | null;
  attrs: XmlAttribute[];
  children: XmlElement[];
  text: string;
};

// Entities stay unexpanded (no DTD entity can grow the document or pull in a file); the five XML
// entities and character references are decoded by `decodeEntities` instead.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: "#cdata",
  commentPropName: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** The root element, and every namespace URI declared anywhere in the document. */
function readXml(xml: string): { root: XmlElement; namespaces: Set<string> } {
  const source = xml.replace(/^\uFEFF/, "");
  // No SCORM manifest needs entity declarations; refusing them outright ends billion-laughs and XXE.
  if (/<!ENTITY/i.test(source)) throw new ManifestError("scorm.manifest.malformed", "entity declarations are not allowed");
  const validation = XMLValidator.validate(source);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new ManifestError("scorm.manifest.malformed", `${msg} (line ${line}, column ${col})`);
  }
  let nodes: unknown[];
  try {
    nodes = parser.parse(source) as unknown[];
  } catch (error) {
    throw new ManifestError("scorm.manifest.malformed", error instanceof Error ? error.message : String(error));
  }
  const namespaces = new Set<string>();
  const elements = nodes.flatMap((node) => toElement(node, new Map([["xml", XML_NAMESPACE]]), namespaces));
  const [root] = elements;
  if (!root || elements.length > 1) throw new ManifestError("scorm.manifest.malformed", "expected one root element");
  return { root, namespaces };
}

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> };

function toElement(node: unknown, scope: ReadonlyMap<string, string>, declared: Set<string>): XmlElement[] {
  const ordered = node as OrderedNode;
  const qname = Object.keys(ordered).find((key) => key !== ":@");
  if (!qname || qname === "#text" || qname === "#cdata" || qname.startsWith("!") || qname.startsWith("?")) return [];
  const rawAttributes = ordered[":@"] ?? {};
  const inner = new Map(scope);
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === "xmlns") inner.set("", value);
    else if (name.startsWith("xmlns:")) inner.set(name.slice(6), value);
    else continue;
    declared.add(value);
  }
  const attrs: XmlAttribute[] = [];
  for (const [qualified, value] of Object.entries(rawAttributes)) {
    if (qualified === "xmlns" || qualified.startsWith("xmlns:")) continue;
    const [prefix, local] = splitQualified(qualified);
    attrs.push({ name: local, namespace: prefix ? (inner.get(prefix) ?? null) : null, value: decodeEntities(value) });
  }
  const [prefix, name] = splitQualified(qname);
  const element: XmlElement = {
    name,
    namespace: inner.get(prefix ?? "") ?? null,
    attrs,
    children: [],
    text: "",
  };
  for (const content of (ordered[qname] as unknown[]) ?? []) {
    const piece = content as OrderedNode;
    if ("#text" in piece) element.text += decodeEntities(String(piece["#text"]));
    else if ("#cdata" in piece) element.text += (piece["#cdata"] as Array<{ "#text": string }>).map((t) => t["#text"]).join("");
    else element.children.push(...toElement(piece, inner, declared));
  }
  return [element];
}

function splitQualified(qualified: string): [string | null, string] {
  const at = qualified.indexOf(":");
  return at === -1 ? [null, qualified] : [qualified.slice(0, at), qualified.slice(at + 1)];
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name] ?? whole; // anything else was never declared; leave it as text
  });
}

function children(element: XmlElement, localName: string): XmlElement[] {
  const wanted = localName.toLowerCase();
  return element.children.filter((sub) => sub.name.toLowerCase() === wanted);
}

function child(element: XmlElement, localName: string): XmlElement | null {
  return children(element, localName)[0] ?? null;
}

function attr(element: XmlElement, localName: string): string | null {
  const wanted = localName.toLowerCase();
  return element.attrs.find((a) => a.name.toLowerCase() === wanted && a.namespace !== XML_NAMESPACE)?.value ?? null;
}

function xmlBase(element: XmlElement): string | null {
  return element.attrs.find((a) => a.name === "base" && a.namespace === XML_NAMESPACE)?.value ?? null;
}

function titleOf(element: XmlElement): string {
  return textOf(child(element, "title")).replace(/\s+/g, " ");
}

function textOf(element: XmlElement | null, { trim = true } = {}): string {
  if (!element) return "";
  return trim ? element.text.trim() : element.text;
}
