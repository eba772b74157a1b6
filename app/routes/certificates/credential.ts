import { certificateCredential } from "~/certificates/open-badges.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/credential";

// The certificate as an Open Badges 3.0 credential: a JSON file with the signed token (`jwt`, what
// verifiers check) and the credential it contains, decoded for people and wallets that want to read it.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const { jwt, credential, filename } = await orErrorPage(() => certificateCredential({ actor: user, code: params.code }));
  return new Response(`${JSON.stringify({ jwt, credential }, null, 2)}\n`, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "private, no-store" },
  });
}
