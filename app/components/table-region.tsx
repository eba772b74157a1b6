/**
 * A wide table's scrolling box: on a phone it scrolls sideways, and keyboard users can focus it to
 * scroll (WCAG 2.1.1); it is a named region, so screen readers announce what it holds.
 */
export function TableRegion({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className="overflow-x-auto focus:outline-2 focus:outline-brand-700" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
