/** Schedules work for the next animation frame (injectable so tests can step frames by hand). */
export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

export const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Renders a streaming Markdown answer without re-parsing what is finished. The text is cut into
 * blocks: a blank line outside a code fence ends one. A finished block is rendered once, into an
 * element of its own, and never again; only the open tail block is re-rendered, at most once per
 * animation frame, however many tokens arrived. A 5,000-token answer therefore costs about one
 * parse of each block plus one small tail parse per frame, instead of a parse of everything per token.
 */
export class IncrementalMarkdown {
  private text = "";
  /** Where the open tail block starts in text. */
  private tailStart = 0;
  /** The start of the first line not yet scanned for block ends. */
  private scanFrom = 0;
  private fence: { char: string; length: number } | null = null;
  private tailHasContent = false;
  private readonly finished: string[] = [];
  private tailElement: HTMLElement | null = null;
  private tailRendered: string | null = null;
  private frame: number | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly render: (markdown: string) => string,
    private readonly frames: FrameScheduler = animationFrames,
  ) {}

  /** Shows this text. A text that extends the last one only adds; any other starts over. */
  update(text: string): void {
    if (text === this.text) return;
    if (!text.startsWith(this.text)) this.reset();
    this.text = text;
    this.scan();
    if (this.frame === null) this.frame = this.frames.request(() => this.paint());
  }

  /** Paints now (the answer is complete, or is shown whole from the thread read). */
  flush(): void {
    if (this.frame !== null) {
      this.frames.cancel(this.frame);
      this.frame = null;
    }
    this.paint();
  }

  dispose(): void {
    if (this.frame !== null) this.frames.cancel(this.frame);
    this.frame = null;
  }

  private reset(): void {
    this.text = "";
    this.tailStart = 0;
    this.scanFrom = 0;
    this.fence = null;
    this.tailHasContent = false;
    this.finished.length = 0;
    this.tailElement = null;
    this.tailRendered = null;
    this.container.replaceChildren();
  }

  /** Finds the blocks that the new text finished; only complete lines not seen before are read. */
  private scan(): void {
    const text = this.text;
    for (;;) {
      const newline = text.indexOf("\n", this.scanFrom);
      if (newline < 0) return;
      const line = text.slice(this.scanFrom, newline);
      const lineStart = this.scanFrom;
      this.scanFrom = newline + 1;
      const marker = FENCE.exec(line);
      if (this.fence) {
        const closing = marker && marker[1]![0] === this.fence.char && marker[1]!.length >= this.fence.length
          && line.slice(marker[0].length).trim() === "";
        if (closing) this.fence = null;
        continue;
      }
      if (marker) {
        this.fence = { char: marker[1]![0]!, length: marker[1]!.length };
        this.tailHasContent = true;
        continue;
      }
      if (line.trim() === "") {
        if (this.tailHasContent) this.finished.push(text.slice(this.tailStart, lineStart));
        this.tailStart = this.scanFrom;
        this.tailHasContent = false;
      } else {
        this.tailHasContent = true;
      }
    }
  }

  private paint(): void {
    this.frame = null;
    for (const block of this.finished.splice(0)) {
      const element = document.createElement("div");
      element.className = "md-block";
      element.innerHTML = this.render(block);
      if (this.tailElement) this.container.insertBefore(element, this.tailElement);
      else this.container.appendChild(element);
    }
    const tail = this.text.slice(this.tailStart);
    if (tail === this.tailRendered) return;
    this.tailRendered = tail;
    if (!this.tailElement) {
      this.tailElement = document.createElement("div");
      this.tailElement.className = "md-block md-tail";
      this.container.appendChild(this.tailElement);
    }
    this.tailElement.innerHTML = tail.trim() === "" ? "" : this.render(tail);
  }
}
