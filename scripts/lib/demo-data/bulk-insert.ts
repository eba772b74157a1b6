// Bulk inserts for the demo data generator. Prisma's createMany manages about 5,000 rows a second
// here, far too slow for millions, so rows (typed as Prisma's createMany inputs, which keeps them in
// step with the schema) go in as one INSERT … SELECT per batch of 5,000: one parameter per column,
// a text array unnested on the server and cast to the column's type (JSON columns as one JSON
// array). Two connections share the work; commits are asynchronous (a crash can lose the last
// batches of demo data, never integrity: every foreign key is still checked).
import pg from "pg";
import { Prisma } from "../../../generated/prisma/client.ts";

export type Rows = {
  Organisation: Prisma.OrganisationCreateManyInput;
  Department: Prisma.DepartmentCreateManyInput;
  User: Prisma.UserCreateManyInput;
  Membership: Prisma.MembershipCreateManyInput;
  Enrolment: Prisma.EnrolmentCreateManyInput;
  ItemProgress: Prisma.ItemProgressCreateManyInput;
  QuizAttempt: Prisma.QuizAttemptCreateManyInput;
  QuizAnswer: Prisma.QuizAnswerCreateManyInput;
  CaseRun: Prisma.CaseRunCreateManyInput;
  Certificate: Prisma.CertificateCreateManyInput;
  Notification: Prisma.NotificationCreateManyInput;
  AuditEvent: Prisma.AuditEventCreateManyInput;
};
export type TableName = keyof Rows;
export const TABLES: TableName[] = ["Organisation", "Department", "User", "Membership", "Enrolment", "ItemProgress", "QuizAttempt", "QuizAnswer", "CaseRun", "Certificate", "Notification", "AuditEvent"];

/** `fallback`: the default of a NOT NULL column, used where a row leaves it out */
type Column = { type: string; kind: "array" | "json" | "time" | "plain"; fallback: string | null };

/** A value as PostgreSQL's text input for its column (the cast after unnest does the rest). */
function toText(value: unknown, column: Column): string | null {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case "json":
      return value === Prisma.JsonNull ? "null" : JSON.stringify(value);
    case "time":
      return value instanceof Date ? value.toISOString() : String(value);
    case "array":
      return `{${(value as unknown[]).map((v) => `"${String(v).replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
    default:
      return String(value);
  }
}

export class BulkWriter {
  readonly counts = new Map<TableName, number>(TABLES.map((table) => [table, 0]));
  readonly batchSize: number;
  private readonly pool: pg.Pool;
  private readonly columns = new Map<string, Map<string, Column>>();

  constructor(databaseUrl: string, { connections = 2, batchSize = 5000 }: { connections?: number; batchSize?: number } = {}) {
    this.batchSize = batchSize;
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: connections, options: "-c synchronous_commit=off" });
  }

  query(sql: string, values?: unknown[]) {
    return this.pool.query(sql, values);
  }

  /** A connection of its own, for a transaction; release() it. */
  connect() {
    return this.pool.connect();
  }

  private async columnsOf(table: string) {
    let columns = this.columns.get(table);
    if (columns) return columns;
    const { rows } = await this.pool.query<{ name: string; type: string; category: string; fallback: string | null }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typcategory AS category,
              CASE WHEN a.attnotnull THEN pg_get_expr(d.adbin, d.adrelid) END AS fallback
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
      [`"${table}"`],
    );
    columns = new Map(
      rows.map((row) => [row.name, { type: row.type, kind: row.category === "A" ? "array" : /^jsonb?$/.test(row.type) ? "json" : row.category === "D" ? "time" : "plain", fallback: row.fallback }]),
    );
    this.columns.set(table, columns);
    return columns;
  }

  /** Inserts rows in batches (parallel over the pool); resolves when all are in. */
  async insert<T extends TableName>(table: T, rows: Rows[T][]) {
    if (!rows.length) return;
    const batches: Rows[T][][] = [];
    for (let start = 0; start < rows.length; start += this.batchSize) batches.push(rows.slice(start, start + this.batchSize));
    await Promise.all(batches.map((batch) => this.insertBatch(table, batch)));
  }

  private async insertBatch(table: TableName, rows: object[]) {
    const columns = await this.columnsOf(table);
    // Only the columns these rows set: the others keep their defaults.
    const names = [...new Set(rows.flatMap((row) => Object.keys(row).filter((key) => (row as Record<string, unknown>)[key] !== undefined)))];
    const unknown = names.filter((name) => !columns.has(name));
    if (unknown.length) throw new Error(`${table} has no column ${unknown.join(", ")} (schema changed?)`);
    // JSON goes as one JSON array (no array-literal quoting of every quote inside it, much faster)
    // unless some row has SQL NULL there, which a JSON array cannot tell from JSON null.
    const asJsonArray = names.map((name) => columns.get(name)!.kind === "json" && rows.every((row) => (row as Record<string, unknown>)[name] != null));
    const values = names.map((name, i) => {
      const column = columns.get(name)!;
      if (asJsonArray[i]) return JSON.stringify(rows.map((row) => ((row as Record<string, unknown>)[name] === Prisma.JsonNull ? null : (row as Record<string, unknown>)[name])));
      return rows.map((row) => toText((row as Record<string, unknown>)[name], column));
    });
    const quoted = names.map((name) => `"${name}"`).join(", ");
    const params = names.map((_, i) => (asJsonArray[i] ? `jsonb_array_elements($${i + 1}::jsonb)` : `unnest($${i + 1}::text[])`)).join(", ");
    const casts = names
      .map((name, i) => {
        const { type, fallback } = columns.get(name)!;
        const value = asJsonArray[i] ? `c${i}` : `c${i}::${type}`;
        return fallback ? `COALESCE(${value}, ${fallback})` : value;
      })
      .join(", ");
    const aliases = names.map((_, i) => `c${i}`).join(", ");
    await this.pool.query(`INSERT INTO "${table}" (${quoted}) SELECT ${casts} FROM ROWS FROM (${params}) AS t(${aliases})`, values);
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows.length);
  }

  end() {
    return this.pool.end();
  }
}
