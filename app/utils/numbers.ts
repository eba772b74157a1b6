// Figures the organisers' pages show as shares of a whole.

/** `part` of `whole` as a whole percentage (0 when there is nothing to divide: no one enrolled yet). */
export function percent(part: number, whole: number) {
  return whole ? Math.round((part / whole) * 100) : 0;
}
