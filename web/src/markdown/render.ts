import DOMPurify from "dompurify";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import csharp from "highlight.js/lib/languages/csharp";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import powershell from "highlight.js/lib/languages/powershell";
import python from "highlight.js/lib/languages/python";
import sql from "highlight.js/lib/languages/sql";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import MarkdownIt from "markdown-it";

// A handful of languages an operations or support answer uses; the rest stay plain (still escaped).
// Java's and TypeScript's grammars are left out: compiling them takes 60 to 250 ms of main thread in
// Chromium, a visible stall. TypeScript is shown with JavaScript's grammar and Java with C#'s, whose
// keywords, literals and comments are nearly the same, at a fraction of the cost.
for (const [name, language] of Object.entries({
  bash, csharp, javascript, json, powershell, python, sql, xml, yaml,
})) {
  hljs.registerLanguage(name, language);
}
hljs.registerAliases(["sh", "shell", "console"], { languageName: "bash" });
hljs.registerAliases(["html"], { languageName: "xml" });
hljs.registerAliases(["ps1"], { languageName: "powershell" });
hljs.registerAliases(["typescript", "ts", "tsx"], { languageName: "javascript" });
hljs.registerAliases(["java"], { languageName: "csharp" });

/** The only link targets an answer may have: the web and mail. Everything else stays text. */
const SAFE_URL = /^(?:https?:|mailto:)/i;

/**
 * An answer comes from a model that may repeat whatever it read, so it is untrusted: markdown-it
 * is told to treat HTML as text, links other than http(s)/mailto are not links, images are shown as
 * links (so the page loads nothing), and the HTML made is passed through DOMPurify anyway.
 */
const md = new MarkdownIt({
  html: false,
  linkify: false,
  typographer: false,
  highlight(code, lang) {
    const language = lang.trim().toLowerCase();
    if (!language || !hljs.getLanguage(language)) return "";
    try {
      return hljs.highlight(code, { language, ignoreIllegals: true }).value;
    } catch {
      return "";
    }
  },
});

md.validateLink = (url: string) => SAFE_URL.test(url.trim());

md.renderer.rules.image = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  const alt = self.renderInlineAsText(token.children ?? [], options, env) || "image";
  const src = String(token.attrGet("src") ?? "");
  const label = md.utils.escapeHtml(`Image: ${alt}`);
  if (!SAFE_URL.test(src)) return label;
  return `<a href="${md.utils.escapeHtml(src)}" class="image-link">${label}</a>`;
};

const purifier = DOMPurify();
purifier.addHook("afterSanitizeAttributes", (node) => {
  if (node.nodeName === "A") {
    const href = node.getAttribute("href");
    if (href && SAFE_URL.test(href)) {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    } else {
      node.removeAttribute("href");
    }
  }
});

const PURIFY_CONFIG = {
  USE_PROFILES: { html: true },
  ALLOWED_URI_REGEXP: SAFE_URL,
  FORBID_TAGS: ["img", "picture", "source", "video", "audio", "iframe", "frame", "object", "embed", "style", "link",
    "form", "input", "button", "textarea", "select", "svg", "math", "base", "meta"],
  FORBID_ATTR: ["style", "srcset", "src", "action", "formaction", "background", "poster"],
  ADD_ATTR: ["target"],
  ALLOW_DATA_ATTR: false,
};

/** Markdown to sanitised HTML (a string), for one block of an answer. */
export function renderMarkdownToHtml(markdown: string): string {
  return purifier.sanitize(md.render(markdown), PURIFY_CONFIG) as unknown as string;
}

/** Sanitises any HTML by the answer's rules (exported so the rules can be tested on raw HTML too). */
export function sanitizeHtml(html: string): string {
  return purifier.sanitize(html, PURIFY_CONFIG) as unknown as string;
}

/**
 * Compiles each language's grammar and warms the parser and sanitiser while the page is idle, one
 * piece per idle period: done lazily on a first code block, a grammar's compilation is a long task
 * in the middle of a streaming answer. The page's other costly first uses come along as `more`.
 */
export function warmUpWhenIdle(...more: Array<() => void>): void {
  const idle: (work: () => void) => void =
    typeof requestIdleCallback === "function" ? (work) => requestIdleCallback(() => work()) : (work) => setTimeout(work, 200);
  const pieces: Array<() => void> = [
    () => renderMarkdownToHtml("# a\n\n*b* [c](https://example.com)\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n- d\n"),
    ...hljs.listLanguages().map((language) => () => void hljs.highlight("x = 1", { language, ignoreIllegals: true })),
    ...more,
  ];
  const next = () => {
    const piece = pieces.shift();
    if (!piece) return;
    piece();
    idle(next);
  };
  idle(next);
}
