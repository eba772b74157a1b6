import ReactMarkdown from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";

/** Course text as Markdown: raw HTML is never rendered and the output is sanitised. */
export function Markdown({ children }: { children: string }) {
  return (
    <div className="prose-opora">
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize]} skipHtml>
        {children}
      </ReactMarkdown>
    </div>
  );
}

/** Course text already rendered and sanitised on the server (app/content/render-markdown.server.ts). */
export function RenderedMarkdown({ html }: { html: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: produced by our sanitising pipeline, never raw input
  return <div className="prose-opora" dangerouslySetInnerHTML={{ __html: html }} />;
}
