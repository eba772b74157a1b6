import { useEffect, useRef, useState } from "react";
import { type AnswerFields, AnswerOutbox, type AnswerOutboxEnv, type OutboxStatus, type OutboxStorage, type PendingAnswer } from "./answer-outbox.ts";

/** localStorage, or null where reading it throws (storage blocked). */
function localStorageOrNull(): OutboxStorage | null {
  try {
    window.localStorage.getItem("opora-quiz-probe");
    return window.localStorage;
  } catch {
    return null;
  }
}

function browserEnv(): AnswerOutboxEnv {
  return {
    storage: localStorageOrNull(),
    fetch: (url, init) => window.fetch(url, init),
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    random: () => Math.random(),
  };
}

/**
 * The attempt page's outbox (answer-outbox.ts) while the page is open: its status for the screen,
 * `enqueue` for each answer, and `restored`, called once with the answers an earlier page of this
 * attempt left unsent (they are sent first). Follows the browser's online and offline events.
 */
export function useAnswerOutbox({ attemptId, saveUrl, restored, onRejected, onClosed }: { attemptId: string; saveUrl: string; restored(answers: PendingAnswer[]): void; onRejected(questionKey: string, error: string): void; onClosed(): void }) {
  const [status, setStatus] = useState<OutboxStatus | null>(null);
  const outbox = useRef<AnswerOutbox | null>(null);
  // The latest callbacks, read when the outbox calls (the outbox lives as long as the attempt's page).
  const callbacks = useRef({ restored, onRejected, onClosed });
  callbacks.current = { restored, onRejected, onClosed };

  useEffect(() => {
    const box = new AnswerOutbox(
      {
        attemptId,
        saveUrl,
        onStatus: setStatus,
        onRejected: (questionKey, error) => callbacks.current.onRejected(questionKey, error),
        onClosed: () => callbacks.current.onClosed(),
      },
      browserEnv(),
    );
    outbox.current = box;
    if (box.pending.length) callbacks.current.restored(box.pending);
    const online = () => box.setOnline(true);
    const offline = () => box.setOnline(false);
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    if (navigator.onLine === false) box.setOnline(false);
    box.start();
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
      box.dispose();
      if (outbox.current === box) outbox.current = null;
    };
  }, [attemptId, saveUrl]);

  return {
    status,
    /** false before the page is interactive: the form then posts as it does without JavaScript */
    ready: status !== null,
    enqueue(questionKey: string, fields: AnswerFields) {
      outbox.current?.enqueue(questionKey, fields);
    },
  };
}
