// In the browser: a request the server turned away because it was busy (503 with `Opora-Busy: 1`,
// server/admission.mjs) never ran, so it is sent again, exactly as it was, after the Retry-After
// the server gave and a little jitter, until `giveUpAfterMs` have passed; then the 503 goes to the
// page like any other answer. While a request waits, `busyWaits` says so and BusyNotice shows it.

export const BUSY_HEADER = "Opora-Busy";

type Waiting = { retryInSeconds: number } | null;

/** Requests waiting to be sent again, for useSyncExternalStore. */
export function createBusyWaits() {
  let waiting = 0;
  let snapshot: Waiting = null;
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const listener of listeners) listener();
  };
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: (): Waiting => snapshot,
    /** a request was turned away and will be sent again in `seconds`; returns its end */
    wait(seconds: number) {
      waiting++;
      snapshot = { retryInSeconds: seconds };
      emit();
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        waiting--;
        if (waiting === 0) snapshot = null;
        emit();
      };
    },
  };
}

export const busyWaits = createBusyWaits();

type Options = {
  giveUpAfterMs?: number;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal | null) => Promise<void>;
  waits?: ReturnType<typeof createBusyWaits>;
};

function abortableSleep(ms: number, signal?: AbortSignal | null) {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", aborted, { once: true });
  });
}

/**
 * When to send a turned-away request again: the server's Retry-After (5 s if it gave none), and up
 * to a quarter more, so that the crowd spreads a little more than the server spread it.
 */
export function busyRetryDelay(retryAfter: string | null | undefined, random: () => number) {
  const seconds = Math.max(1, Number(retryAfter) || 5);
  return { seconds, delay: seconds * 1000 * (1 + random() * 0.25) };
}

/** `fetch` that sends a request again while the server answers "busy, nothing done". */
export function withBusyRetry(fetchImpl: typeof fetch, { giveUpAfterMs = 10 * 60_000, now = Date.now, random = Math.random, sleep = abortableSleep, waits = busyWaits }: Options = {}): typeof fetch {
  return async (input, init) => {
    // A Request's body can be read once: keep a copy for each try.
    const original = input instanceof Request ? input : null;
    const attempt = () => fetchImpl(original ? original.clone() : input, init);
    const signal = init?.signal ?? original?.signal;
    const started = now();
    for (;;) {
      const response = await attempt();
      if (response.status !== 503 || response.headers.get(BUSY_HEADER) !== "1") return response;
      const { seconds, delay } = busyRetryDelay(response.headers.get("Retry-After"), random);
      // Never past the give-up time.
      if (now() - started + delay > giveUpAfterMs) return response;
      await response.body?.cancel();
      const end = waits.wait(seconds);
      try {
        await sleep(delay, signal);
      } finally {
        end();
      }
    }
  };
}
