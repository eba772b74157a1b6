import { credentialJwks } from "~/certificates/open-badges.server.ts";

// The keys that sign Opora's credentials, retired ones included, for anyone verifying a credential.
export async function loader() {
  return Response.json(await credentialJwks(), {
    headers: { "Content-Type": "application/jwk-set+json", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
