import type { Translate } from "~/i18n/index.ts";

/** An action in words; `toSubject` words it for the person it concerns ("Opened your page") where the dictionaries have that. */
export function actionLabel(t: Translate, action: string, toSubject = false) {
  for (const key of [...(toSubject ? [`access.action.${action}`] : []), `audit.action.${action}`]) {
    const label = t(key);
    if (label !== key) return label;
  }
  return action;
}
