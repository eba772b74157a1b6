import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSigningJwk, loadCredentialKeys, rotateCredentialKey } from "./keys.server.ts";
import { RetiredKeysEnvSchema, SigningKeyEnvSchema } from "./open-badges-jwk.ts";

const keysDir = () => join(mkdtempSync(join(tmpdir(), "opora-keys-")), "keys");

describe("signing keys without configuration", () => {
  it("generates one key into the directory, readable by its owner only, and reuses it on the next start", async () => {
    const dir = keysDir();
    const first = await loadCredentialKeys({ dir });
    expect(statSync(join(dir, "signing-key.json")).mode & 0o777).toBe(0o600);
    const second = await loadCredentialKeys({ dir });
    expect(second.kid).toBe(first.kid);
    expect(second.publicKeys).toEqual(first.publicKeys);
    expect(first.publicKeys).toEqual([{ kty: "OKP", crv: "Ed25519", x: expect.any(String), kid: first.kid, alg: "EdDSA", use: "sig" }]);
  });

  it("gives every process starting at once the same key", async () => {
    const dir = keysDir();
    const sets = await Promise.all([1, 2, 3, 4].map(() => loadCredentialKeys({ dir })));
    expect(new Set(sets.map((keys) => keys.kid)).size).toBe(1);
  });

  it("keeps a rotated key published, without its private part", async () => {
    const dir = keysDir();
    const before = await loadCredentialKeys({ dir });
    const { retiredKid, kid } = await rotateCredentialKey({ dir });
    expect(retiredKid).toBe(before.kid);
    const after = await loadCredentialKeys({ dir });
    expect(after.kid).toBe(kid);
    expect(after.publicKeys.map((key) => key.kid)).toEqual([kid, before.kid]);
    expect(readFileSync(join(dir, "retired-keys.json"), "utf8")).not.toContain('"d"');
    expect(statSync(join(dir, "signing-key.json")).mode & 0o777).toBe(0o600);
  });

  it("refuses a damaged key file rather than replacing it", async () => {
    const dir = keysDir();
    await loadCredentialKeys({ dir });
    writeFileSync(join(dir, "signing-key.json"), JSON.stringify({ kty: "OKP", crv: "Ed25519", x: "short" }));
    await expect(loadCredentialKeys({ dir })).rejects.toThrow(/must be a private Ed25519 JWK with a kid/);
  });
});

describe("signing keys from the environment", () => {
  it("uses the configured key and publishes the retired ones once each, public parts only", async () => {
    const active = await generateSigningJwk();
    const old = await generateSigningJwk();
    const keys = await loadCredentialKeys({
      signingKey: SigningKeyEnvSchema.parse(JSON.stringify({ ...active, kid: "2026-09" })),
      retiredKeys: RetiredKeysEnvSchema.parse(JSON.stringify([{ ...old, kid: "2025-01" }, { ...old, kid: "2025-01" }, { ...active, kid: "2026-09" }])),
      dir: keysDir(),
    });
    expect(keys.kid).toBe("2026-09");
    expect(keys.publicKeys.map((key) => key.kid)).toEqual(["2026-09", "2025-01"]);
    expect(JSON.stringify(keys.publicKeys)).not.toContain(active.d);
    expect(JSON.stringify(keys.publicKeys)).not.toContain(old.d);
  });

  it("explains a bad value without repeating it", async () => {
    const { d: _d, ...publicOnly } = await generateSigningJwk();
    const noKid = await generateSigningJwk();
    for (const value of ["not json", JSON.stringify(publicOnly), JSON.stringify({ ...noKid, kid: "" }), JSON.stringify({ ...noKid, crv: "P-256" })]) {
      const result = SigningKeyEnvSchema.safeParse(value);
      expect(result.success, value).toBe(false);
      expect(JSON.stringify(result.error?.issues)).not.toContain(noKid.d);
    }
    expect(RetiredKeysEnvSchema.safeParse("{}").success).toBe(false);
    expect(RetiredKeysEnvSchema.parse("[]")).toEqual([]);
  });
});
