// `npm run credentials:rotate-key`: retires the generated credential signing key in
// CREDENTIAL_KEYS_DIR (default .data/keys) and makes a new one active. Restart the app afterwards.
// With CREDENTIAL_SIGNING_KEY set, rotate by changing the environment instead (see README.md).
import { rotateCredentialKey } from "../app/certificates/keys.server.ts";

if (process.env.CREDENTIAL_SIGNING_KEY) {
  console.error("CREDENTIAL_SIGNING_KEY is set: rotate by moving its public part to CREDENTIAL_RETIRED_KEYS and setting a new key.");
  process.exit(1);
}
const result = await rotateCredentialKey({ dir: process.env.CREDENTIAL_KEYS_DIR ?? ".data/keys" });
console.log(`retired key ${result.retiredKid}; new signing key ${result.kid}. Restart Opora to sign with it.`);
