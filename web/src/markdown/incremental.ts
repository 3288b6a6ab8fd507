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
/** A list item's marker: a bullet, or a number with `.` or `)`, then a space or the line's end. */
const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
/** A link reference definition's first line: `[label]: destination`. */
const DEFINITION = /^ {0,3}\[[^\]]+\]:[ \t]*\S/;

/**
 * Renders a streaming Markdown answer without re-parsing what is finished. The text is cut into
 * blocks at blank lines outside a code fence, but only where the next line shows the block cannot
 * go on: an indented line (a list item's continuation, an indented code block) or, after a list, another
 * list item keeps it open, so a loose list stays one list. Cutting too little costs only a bigger
 * tail; cutting too much would render differently from the whole text. A finished block is rendered once, into an
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
  /** The open block has a list item, so a blank line then another item continues it. */
  private tailIsList = false;
  /** Where the open block's text ended when blank lines followed it; null while none has. */
  private blankFrom: number | null = null;
  private readonly finished: string[] = [];
  /**
   * The link reference definitions seen so far (`[docs]: https://...`). A reference resolves against a definition
   * anywhere in the text, often one written after it: every block is rendered with them, and a finished block with a
   * reference is rendered again when a new one arrives (rare: models write them at the end, if at all).
   */
  private definitions = "";
  /** The open block holds nothing but definitions so far, so a definition line there is one. */
  private tailOnlyDefinitions = true;
  private definitionsPainted = "";
  private readonly painted: Array<{ element: HTMLElement; block: string }> = [];
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
    this.tailIsList = false;
    this.blankFrom = null;
    this.finished.length = 0;
    this.definitions = "";
    this.tailOnlyDefinitions = true;
    this.definitionsPainted = "";
    this.painted.length = 0;
    this.tailElement = null;
    this.tailRendered = null;
    this.container.replaceChildren();
  }

  /** Finds the blocks that the new text finished; only complete lines not seen before are read. */
  private scan(): void {
    const text = this.text;
    for (;;) {
      const newline = text.indexOf("\n", this.scanFrom);
      if (newline < 0) {
        // The line being written may already show that the block before the blank line is over.
        if (this.blankFrom !== null && !this.fence && endsBlock(text.slice(this.scanFrom), this.tailIsList)) {
          this.finishBlock(this.scanFrom);
        }
        return;
      }
      const line = text.slice(this.scanFrom, newline);
      const lineStart = this.scanFrom;
      this.scanFrom = newline + 1;
      if (this.fence) {
        const marker = FENCE.exec(line);
        const closing = marker && marker[1]![0] === this.fence.char && marker[1]!.length >= this.fence.length
          && line.slice(marker[0].length).trim() === "";
        if (closing) this.fence = null;
        continue;
      }
      if (line.trim() === "") {
        if (!this.tailHasContent) this.tailStart = this.scanFrom;
        else if (this.blankFrom === null) this.blankFrom = lineStart;
        continue;
      }
      if (this.blankFrom !== null) {
        const continues = /^[ \t]/.test(line) || (this.tailIsList && LIST_ITEM.test(line));
        if (continues) this.blankFrom = null;
        else this.finishBlock(lineStart);
      }
      this.tailHasContent = true;
      if (this.tailOnlyDefinitions && DEFINITION.test(line)) this.definitions += line + "\n";
      else this.tailOnlyDefinitions = false;
      if (LIST_ITEM.test(line)) this.tailIsList = true;
      const opening = openingFence(line);
      if (opening) this.fence = opening;
    }
  }

  /** Ends the open block where blank lines began; the next starts at nextStart. */
  private finishBlock(nextStart: number): void {
    this.finished.push(this.text.slice(this.tailStart, this.blankFrom!));
    this.tailStart = nextStart;
    this.tailIsList = false;
    this.tailOnlyDefinitions = true;
    this.blankFrom = null;
  }

  /** A block's HTML, its references resolved against the definitions seen so far. */
  private renderBlock(block: string): string {
    return this.render(this.definitions === "" ? block : block + "\n\n" + this.definitions);
  }

  private paint(): void {
    this.frame = null;
    if (this.definitions !== this.definitionsPainted) {
      this.definitionsPainted = this.definitions;
      for (const { element, block } of this.painted) if (block.includes("]")) element.innerHTML = this.renderBlock(block);
    }
    for (const block of this.finished.splice(0)) {
      const element = document.createElement("div");
      element.className = "md-block";
      element.innerHTML = this.renderBlock(block);
      this.painted.push({ element, block });
      if (this.tailElement) this.container.insertBefore(element, this.tailElement);
      else this.container.appendChild(element);
    }
    const tail = this.text.slice(this.tailStart);
    // Inside a code fence still open, appended definitions would read as code.
    const withDefinitions = this.fence ? tail : tail + this.definitions;
    if (withDefinitions === this.tailRendered) return;
    this.tailRendered = withDefinitions;
    if (!this.tailElement) {
      this.tailElement = document.createElement("div");
      this.tailElement.className = "md-block md-tail";
      this.container.appendChild(this.tailElement);
    }
    this.tailElement.innerHTML = tail.trim() === "" ? "" : this.fence ? this.render(tail) : this.renderBlock(tail);
  }
}

/**
 * Whether a line still being written, after blank lines, already shows the block before cannot go on:
 * it starts in the first column with something that is not (and cannot yet become) a list item.
 */
function endsBlock(partialLine: string, afterList: boolean): boolean {
  if (partialLine === "" || /^[ \t]/.test(partialLine)) return false;
  if (!afterList) return true;
  return !LIST_ITEM.test(partialLine) && !/^(?:[-+*]|\d{1,9}[.)]?)$/.test(partialLine);
}

/**
 * A code fence's opening line, as CommonMark has it: a backtick fence's info string has no
 * backtick, so a line such as "```x``` and more" is inline code in a paragraph, not a fence.
 */
function openingFence(line: string): { char: string; length: number } | null {
  const marker = FENCE.exec(line);
  if (!marker) return null;
  const char = marker[1]![0]!;
  if (char === "`" && line.slice(marker[0].length).includes("`")) return null;
  return { char, length: marker[1]!.length };
}
