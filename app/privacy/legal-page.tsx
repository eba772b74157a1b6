import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Markdown } from "~/components/markdown.tsx";

/** The privacy notice or the terms: a heading, a plain-language lead and the document. */
export function LegalPage({ title, lead, markdown }: { title: string; lead: string; markdown: string }) {
  return (
    <div className="max-w-3xl">
      <PageHeading lead={lead}>{title}</PageHeading>
      <Card>
        <Markdown>{markdown}</Markdown>
      </Card>
    </div>
  );
}
