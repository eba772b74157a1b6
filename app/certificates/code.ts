// Certificate codes: 80 random bits in Crockford's base32 (no I, L, O, U), shown as four groups of
// four. Guessing one valid code among a million issued takes about 2^60 tries.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function encodeCrockford(bytes: Uint8Array) {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** A new code: 10 random bytes = 80 bits = 16 characters. */
export function newCertificateCode(random: (size: number) => Uint8Array = (size) => crypto.getRandomValues(new Uint8Array(size))) {
  return encodeCrockford(random(10));
}

export function formatCertificateCode(code: string) {
  return code.match(/.{1,4}/g)!.join("-");
}

/**
 * What a person typed, as a stored code: case, spaces and dashes ignored, and the letters people
 * confuse read as Crockford intends (O → 0, I and L → 1). Null when it cannot be a code.
 */
export function parseCertificateCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(code) ? code : null;
}
