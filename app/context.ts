// What the server (server/index.mjs) hands every loader and action.
declare module "react-router" {
  interface AppLoadContext {
    cspNonce: string;
    clientIp: string;
    /** which listener answered: the app's origin, or the SCORM content origin (CONTENT_ORIGIN) */
    site: "app" | "content";
  }
}
export {};
