import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";
import { HydratedRouter } from "react-router/dom";
import { withBusyRetry } from "./utils/busy-retry.ts";

// React Router's data requests, form posts and the quiz's answer outbox all use fetch: when the
// server is too busy to take one, it waits in line and goes again by itself (busy-retry.ts).
window.fetch = withBusyRetry(window.fetch.bind(window));

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <HydratedRouter />
    </StrictMode>,
  );
});
