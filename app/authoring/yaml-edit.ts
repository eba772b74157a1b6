import { isMap, parseDocument, stringify } from "yaml";

// Editor forms change a few values of a YAML file and leave the rest (comments, order, layout)
// as the trainer or the course files had it. Pure: the browser may use it.

export type YamlPath = ReadonlyArray<string | number>;

/** Sets (or, for undefined, removes) values at paths; keys missing on the way are created. */
export function setYamlValues(text: string, values: ReadonlyArray<readonly [YamlPath, unknown]>) {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`YAML does not parse: ${doc.errors[0]?.message}`);
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  for (const [path, value] of values) {
    if (value === undefined) doc.deleteIn(path as Array<string | number>);
    else doc.setIn(path as Array<string | number>, doc.createNode(value, { aliasDuplicateObjects: false }));
  }
  return doc.toString({ lineWidth: 0 });
}

/** The file as plain data, or null when it does not parse (the draft's problems say why). */
export function readYaml(text: string): unknown {
  const doc = parseDocument(text);
  return doc.errors.length ? null : doc.toJS();
}

/**
 * A new file's YAML. A value used twice (one empty `{ sl: "", en: "" }` for several fields) is
 * written out each time rather than as an anchor and alias, which trainers would not expect and
 * which later edits of one of the fields could not change on its own.
 */
export function toYaml(value: unknown) {
  return stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
}
