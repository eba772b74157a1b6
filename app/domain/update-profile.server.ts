import type { Locale } from "~/i18n/index.ts";
import { db } from "~/utils/db.server.ts";
import type { ProfessionValue } from "~/utils/roles.ts";

/** A user changes their own name, profession, language and licence number. */
export async function updateProfile({ userId, name, profession, locale, licenceNumber }: { userId: string; name: string; profession: ProfessionValue; locale: Locale; licenceNumber?: string }) {
  await db.user.update({ where: { id: userId }, data: { name, profession, locale, licenceNumber: licenceNumber || null } });
}
