import { describe, expect, it } from "vitest";
import { IncrementalMarkdown, type FrameScheduler } from "../src/markdown/incremental";
import { renderMarkdownToHtml, sanitizeHtml } from "../src/markdown/render";

function dom(html: string): HTMLElement {
  const element = document.createElement("div");
  element.innerHTML = html;
  return element;
}

/** Everything in the output that could run script or load something. */
function dangers(element: HTMLElement): string[] {
  const found: string[] = [];
  for (const node of element.querySelectorAll("*")) {
    const tag = node.tagName.toLowerCase();
    if (["script", "img", "iframe", "object", "embed", "style", "link", "svg", "video", "audio", "form"].includes(tag)) {
      found.push(tag);
    }
    for (const attribute of node.getAttributeNames()) {
      const value = node.getAttribute(attribute) ?? "";
      if (attribute.startsWith("on") || attribute === "style" || attribute === "src" || attribute === "srcset") {
        found.push(`${tag}[${attribute}]`);
      }
      if ((attribute === "href" || attribute === "action") && !/^(https?:|mailto:)/i.test(value)) {
        found.push(`${tag}[${attribute}=${value}]`);
      }
    }
  }
  return found;
}

describe("rendering an answer", () => {
  const hostile = [
    `<img src=x onerror="alert(1)">`,
    `<script>alert(1)</script>`,
    `[click](javascript:alert(1))`,
    `[click](JaVaScRiPt:alert(1))`,
    `[click](  javascript:alert(1))`,
    `<a href="javascript:alert(1)">click</a>`,
    `![x](http://attacker.example/pixel.png)`,
    `![x](data:image/png;base64,iVBORw0KGgo=)`,
    `<iframe src="https://attacker.example"></iframe>`,
    `[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
    `&lt;script&gt;alert(1)&lt;/script&gt; &#x3C;img src=x onerror=alert(1)&#x3E;`,
    `<svg onload=alert(1)>`,
    `<style>body{background:url(http://attacker.example)}</style>`,
    `[a](vbscript:msgbox(1)) [b](file:///etc/passwd)`,
    "```html\n<script>alert(1)</script>\n```",
    `<div style="background:url(http://x)">styled</div>`,
  ];

  for (const input of hostile) {
    it(`makes this inert: ${input}`, () => {
      const element = dom(renderMarkdownToHtml(input));
      expect(dangers(element)).toEqual([]);
    });
  }

  it("shows raw HTML as the text it is", () => {
    const element = dom(renderMarkdownToHtml(`<img src=x onerror="alert(1)"> and <b>bold</b>`));
    expect(element.textContent).toContain(`<img src=x onerror="alert(1)">`);
    expect(element.querySelector("b")).toBeNull();
  });

  it("keeps web links, opened in a new tab without an opener", () => {
    const link = dom(renderMarkdownToHtml("[docs](https://example.com/a?b=1)")).querySelector("a")!;
    expect(link.getAttribute("href")).toBe("https://example.com/a?b=1");
    expect(link.getAttribute("target")).toBe("_blank");
    expect(link.getAttribute("rel")).toBe("noopener noreferrer");
  });

  it("shows an image as a link to it, so nothing is loaded", () => {
    const element = dom(renderMarkdownToHtml("![a diagram](https://example.com/d.png)"));
    expect(element.querySelector("img")).toBeNull();
    expect(element.querySelector("a")!.getAttribute("href")).toBe("https://example.com/d.png");
    expect(element.textContent).toContain("a diagram");
  });

  it("strips script-capable HTML handed to the sanitiser directly", () => {
    const element = dom(sanitizeHtml(`<p onclick="x()">a</p><img src=x onerror=alert(1)><a href="javascript:x">b</a>`));
    expect(dangers(element)).toEqual([]);
    expect(element.textContent).toBe("ab");
  });

  it("highlights code blocks with classes, and renders tables and lists", () => {
    const element = dom(
      renderMarkdownToHtml("```python\ndef f():\n    return 1\n```\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n- one\n- two\n"),
    );
    expect(element.querySelector("pre code .hljs-keyword")?.textContent).toBe("def");
    expect(element.querySelectorAll("table td")).toHaveLength(2);
    expect(element.querySelectorAll("ul li")).toHaveLength(2);
    expect(dangers(element)).toEqual([]);
  });
});

/** Frames that run only when the test says so. */
class ManualFrames implements FrameScheduler {
  private pending = new Map<number, () => void>();
  private next = 1;
  request(callback: () => void): number {
    const handle = this.next++;
    this.pending.set(handle, callback);
    return handle;
  }
  cancel(handle: number): void {
    this.pending.delete(handle);
  }
  run(): void {
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    callbacks.forEach((callback) => callback());
  }
  get waiting(): number {
    return this.pending.size;
  }
}

describe("IncrementalMarkdown", () => {
  const ANSWER =
    "# Steps\n\nFirst check the route.\nThen the firewall.\n\n" +
    "```bash\nip route\n\nping 1.1.1.1\n```\n\n" +
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n" +
    "- one\n- two\n\nThe end.";

  function stream(text: string, pieceLength: number) {
    const container = document.createElement("div");
    const parsed: string[] = [];
    const frames = new ManualFrames();
    const renderer = new IncrementalMarkdown(
      container,
      (markdown) => {
        parsed.push(markdown);
        return renderMarkdownToHtml(markdown);
      },
      frames,
    );
    let shown = "";
    let updates = 0;
    for (let i = 0; i < text.length; i += pieceLength) {
      shown = text.slice(0, i + pieceLength);
      renderer.update(shown);
      updates++;
      if (updates % 5 === 0) frames.run(); // several tokens arrive within one frame
    }
    renderer.flush();
    return { container, parsed, updates, frames };
  }

  it("parses each finished block once, and only the tail block again", () => {
    const { parsed, updates } = stream(ANSWER, 3);
    const blocks = ["# Steps\n", "First check the route.\nThen the firewall.\n", "```bash\nip route\n\nping 1.1.1.1\n```\n",
      "| a | b |\n|---|---|\n| 1 | 2 |\n", "- one\n- two\n"];
    for (const block of blocks) {
      // A finished block is rendered once as a whole; its text may have been the tail before.
      expect(parsed.filter((p) => p === block), block).toHaveLength(1);
    }
    // No parse ever covers two blocks: each parse is a finished block or part of the open one.
    for (const markdown of parsed) {
      expect(markdown.includes("# Steps") && markdown.includes("The end")).toBe(false);
    }
    // At most one tail render per frame: far fewer parses than updates.
    expect(parsed.length).toBeLessThan(updates / 4 + blocks.length + 2);
  });

  it("renders the same HTML streamed as it does at once", () => {
    const streamed = stream(ANSWER, 2).container.innerHTML;
    const whole = stream(ANSWER, ANSWER.length).container.innerHTML;
    expect(streamed).toBe(whole);
    const container = dom(streamed);
    expect(container.querySelector("h1")!.textContent).toBe("Steps");
    expect(container.querySelectorAll("pre code")).toHaveLength(1);
    expect(container.querySelector("pre code")!.textContent).toBe("ip route\n\nping 1.1.1.1\n");
  });

  /** The blocks' HTML without their wrappers: what the whole text renders to when the blocks are cut right. */
  function unwrapped(container: HTMLElement): string {
    return [...container.children].map((block) => block.innerHTML).join("");
  }

  it.each([
    ["a loose list", "- one\n\n- two\n\n- three\n\nAfter."],
    ["a loose ordered list with continuations", "1. a\n\n   more about a\n\n2. b\n\n   ```\n   code\n\n   more code\n   ```\n\n3. c\n\nDone."],
    ["nested lists", "- outer\n\n  - inner one\n\n  - inner two\n\n    deeper text\n\n- outer two\n\nText."],
    ["a paragraph interrupted by a list", "Steps:\n- one\n\n- two\n\n# Next\n\npara"],
    ["an indented code block with a blank line", "Code:\n\n    line one\n\n    line two\n\nAfter."],
    ["a list followed by a paragraph and a list", "- a\n\nPara\n\n- b\n"],
  ])("renders %s streamed as markdown-it renders the whole text", (_, text) => {
    for (const piece of [1, 3, text.length]) {
      expect(unwrapped(stream(text, piece).container), `piece ${piece}`).toBe(renderMarkdownToHtml(text));
    }
  });

  it.each([
    ["references defined after them", "See [docs] and [the guide][g].\n\nMore text.\n\n[docs]: https://example.com/docs\n[g]: https://example.com/guide \"Guide\"\n"],
    ["a reference defined before it", "[docs]: https://example.com/docs\n\nSee [docs].\n"],
    ["a definition-like line inside code", "```\n[x]: https://example.com\n```\n\nSee [x].\n"],
  ])("renders %s streamed as markdown-it renders the whole text", (_, text) => {
    for (const piece of [1, 3, text.length]) {
      expect(unwrapped(stream(text, piece).container), `piece ${piece}`).toBe(renderMarkdownToHtml(text));
    }
  });

  it("still finishes a list's blocks once the next line cannot continue it", () => {
    const { parsed } = stream("- one\n\n- two\n\nAfter the list.\n\nThe end.", 2);
    expect(parsed.filter((p) => p === "- one\n\n- two\n")).toHaveLength(1);
    // Neither the list nor the paragraph after it is parsed again with what follows it.
    expect(parsed.filter((p) => p.includes("- one") && p.includes("After"))).toEqual([]);
    expect(parsed.filter((p) => p.includes("After") && p.includes("The end"))).toEqual([]);
  });

  it("takes a line that starts with inline code for a paragraph, not a code fence", () => {
    const text = "```x``` is inline code.\n\nSecond paragraph.\n\nThird.";
    const { parsed, container } = stream(text, 2);
    expect(parsed.filter((p) => p === "```x``` is inline code.\n")).toHaveLength(1);
    expect(parsed.filter((p) => p === "Second paragraph.\n")).toHaveLength(1);
    expect(unwrapped(container)).toBe(renderMarkdownToHtml(text));
    expect(container.querySelectorAll("pre")).toHaveLength(0);
  });

  it("waits for a frame before painting, however many tokens came", () => {
    const container = document.createElement("div");
    const frames = new ManualFrames();
    let parses = 0;
    const renderer = new IncrementalMarkdown(container, (m) => (parses++, m), frames);
    for (const token of ["Hel", "lo ", "wor", "ld"]) renderer.update(["Hel", "lo ", "wor", "ld"].slice(0, 1).join("") + token);
    expect(parses).toBe(0);
    expect(frames.waiting).toBe(1);
    frames.run();
    expect(parses).toBe(1);
  });

  it("starts over when the text is not a continuation", () => {
    const container = document.createElement("div");
    const renderer = new IncrementalMarkdown(container, renderMarkdownToHtml, new ManualFrames());
    renderer.update("first answer\n\nmore");
    renderer.flush();
    renderer.update("another");
    renderer.flush();
    expect(container.textContent!.trim()).toBe("another");
  });
});

describe("code blocks", () => {
  it.each(["java", "typescript", "python", "sql"])("highlights %s", (language) => {
    const element = dom(renderMarkdownToHtml("```" + language + "\nclass Probe { int tries = 3; } // why\n```\n"));
    expect(element.querySelectorAll("pre code [class^='hljs-']").length).toBeGreaterThan(0);
    expect(element.querySelector("pre code")?.textContent).toBe("class Probe { int tries = 3; } // why\n");
  });

  it("leaves a language it does not know as plain, escaped text", () => {
    const element = dom(renderMarkdownToHtml("```brainfuck\n<b>+-</b>\n```\n"));
    expect(element.querySelectorAll("pre code [class]").length).toBe(0);
    expect(element.querySelector("pre code")?.textContent).toBe("<b>+-</b>\n");
  });
});
