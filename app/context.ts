// What the server (server/index.mjs) hands every loader and action.
declare module "react-router" {
  interface AppLoadContext {
    cspNonce: string;
    clientIp: string;
  }
}
export {};
