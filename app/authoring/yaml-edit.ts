import { isMap, parseDocument } from "yaml";

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
    else doc.setIn(path as Array<string | number>, doc.createNode(value));
  }
  return doc.toString({ lineWidth: 0 });
}

/** The file as plain data, or null when it does not parse (the draft's problems say why). */
export function readYaml(text: string): unknown {
  const doc = parseDocument(text);
  return doc.errors.length ? null : doc.toJS();
}
