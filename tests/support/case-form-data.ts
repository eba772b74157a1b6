import { type CaseForm, caseField } from "../../app/authoring/case-form.ts";

/** A case form as the case editor page submits it: one field per input, texts in `locales`. */
export function caseFormData(form: CaseForm, locales: readonly string[], extra: Record<string, string> = {}) {
  const data = new FormData();
  for (const [name, value] of Object.entries(extra)) data.append(name, value);
  const texts = (name: string, text: Record<string, string | undefined>) => {
    for (const locale of locales) data.append(caseField.text(name, locale), text[locale] ?? "");
  };
  texts("title", form.title);
  texts("summary", form.summary);
  for (const outcome of form.outcomes) data.append("outcomes", outcome);
  if (form.requireSafeOutcome) data.append("requireSafeOutcome", "on");
  data.append("start", form.start);
  form.nodes.forEach((node, n) => {
    data.append(caseField.node(n, "id"), node.id);
    data.append(caseField.node(n, "debrief"), String(node.debrief));
    texts(caseField.node(n, "text"), node.text);
    if (node.debrief) {
      if (node.outcome) data.append(caseField.node(n, "outcome"), node.outcome);
      node.indicators.forEach((indicator, i) => {
        texts(caseField.indicator(n, i), indicator);
      });
      texts(caseField.node(n, "betterChoices"), node.betterChoices);
    }
    node.choices.forEach((choice, c) => {
      data.append(caseField.choice(n, c, "id"), choice.id);
      texts(caseField.choice(n, c, "text"), choice.text);
      texts(caseField.choice(n, c, "consequence"), choice.consequence);
      data.append(caseField.choice(n, c, "next"), choice.next);
    });
  });
  return data;
}
