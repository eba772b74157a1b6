import { useSyncExternalStore } from "react";
import { useT } from "~/i18n/use-t.ts";
import { busyWaits } from "~/utils/busy-retry.ts";

/**
 * Says so while a request waits because Opora was too busy to take it (app/utils/busy-retry.ts):
 * the learner is in line and need not press anything again. The live region is always there so
 * screen readers announce the message when it appears; it is a plain polite region rather than a
 * second `status` beside each page's own.
 */
export function BusyNotice() {
  const t = useT();
  const waiting = useSyncExternalStore(busyWaits.subscribe, busyWaits.getSnapshot, () => null);
  return (
    <div aria-live="polite" aria-atomic="true" className="pointer-events-none fixed inset-x-0 top-0 z-50 flex justify-center p-2">
      {waiting ? <p className="pointer-events-auto max-w-xl rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 shadow">{t("busy.waiting", { seconds: waiting.retryInSeconds })}</p> : null}
    </div>
  );
}
