import { useLayoutEffect, useRef } from "preact/hooks";
import { IncrementalMarkdown } from "../markdown/incremental";
import { renderMarkdownToHtml } from "../markdown/render";

/**
 * An answer's Markdown. The element's children belong to the incremental renderer, not to preact:
 * preact renders an empty element and never touches what the renderer puts inside.
 */
export function MarkdownBody({ text, streaming }: { text: string; streaming: boolean }) {
  const element = useRef<HTMLDivElement>(null);
  const renderer = useRef<IncrementalMarkdown | null>(null);

  useLayoutEffect(() => {
    renderer.current = new IncrementalMarkdown(element.current!, renderMarkdownToHtml);
    return () => renderer.current?.dispose();
  }, []);

  useLayoutEffect(() => {
    const r = renderer.current!;
    r.update(text);
    if (!streaming) r.flush();
  }, [text, streaming]);

  return <div class="message-body markdown" ref={element} />;
}
