import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import achievementCredentialSchema from "./ob3-schema/achievementcredential.json";

// The official OB 3.0 AchievementCredential schema (draft 2019-09), vendored unmodified in
// ob3-schema/. Compiled on first use; the verification page and the tests use this one validator.

type Validator = ReturnType<Ajv2019["compile"]>;
let validator: Validator | undefined;

function compile(): Validator {
  const ajv = new Ajv2019({ allErrors: true });
  addFormats(ajv);
  return ajv.compile(achievementCredentialSchema);
}

/** Whether a decoded credential is a valid AchievementCredential; the first problems, readable, if not. */
export function validateAchievementCredential(credential: unknown): { valid: true } | { valid: false; problems: string[] } {
  validator ??= compile();
  if (validator(credential)) return { valid: true };
  const problems = (validator.errors ?? []).slice(0, 3).map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`);
  return { valid: false, problems };
}
