/**
 * A Server-Sent Events parser for streams read with fetch: EventSource cannot POST or send an
 * Authorization header, so the chat stream is read by hand. Follows the HTML standard's rules:
 * lines end with CR, LF or CRLF (a CR at the end of one chunk may pair with an LF at the start of
 * the next), `:` starts a comment, several `data:` lines join with "\n", and an empty line
 * dispatches the event. Chunks may split anywhere, even inside a line ending.
 */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  /** The `id:` of this frame, or undefined when the frame had none (heartbeats). */
  readonly id: string | undefined;
}

export class SseParser {
  private line = "";
  private afterCr = false;
  private data: string[] = [];
  private hasData = false;
  private eventType = "";
  private frameId: string | undefined;
  private lastId: string | undefined;

  /** The id of the last frame that carried one, as `Last-Event-ID` wants it. */
  get lastEventId(): string | undefined {
    return this.lastId;
  }

  /** Feeds a piece of decoded text; returns the events it completed, in order. */
  push(chunk: string): SseEvent[] {
    const out: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10 /* LF */) {
        if (this.afterCr) {
          // The LF of a CRLF whose CR ended the previous piece: the line was already taken.
          this.afterCr = false;
          start = i + 1;
          continue;
        }
        this.takeLine(this.line + chunk.slice(start, i), out);
        this.line = "";
        start = i + 1;
      } else if (c === 13 /* CR */) {
        this.afterCr = false;
        this.takeLine(this.line + chunk.slice(start, i), out);
        this.line = "";
        start = i + 1;
        if (i + 1 < chunk.length) {
          if (chunk.charCodeAt(i + 1) === 10) {
            i++;
            start = i + 1;
          }
        } else {
          this.afterCr = true;
        }
        continue;
      }
      this.afterCr = false;
    }
    if (start < chunk.length) {
      this.line += chunk.slice(start);
      this.afterCr = false;
    }
    return out;
  }

  private takeLine(line: string, out: SseEvent[]): void {
    if (line === "") {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        this.hasData = true;
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) {
          this.frameId = value;
          this.lastId = value;
        }
        break;
      default:
        // "retry" and unknown fields: this client schedules its own reconnects.
        break;
    }
  }

  private dispatch(out: SseEvent[]): void {
    if (this.hasData) {
      out.push({ event: this.eventType || "message", data: this.data.join("\n"), id: this.frameId });
    }
    this.data = [];
    this.hasData = false;
    this.eventType = "";
    this.frameId = undefined;
  }
}

/** Reads a response body as SSE, calling onEvent for each event; resolves when the body ends. */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: SseEvent) => void,
): Promise<void> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) onEvent(event);
    }
    for (const event of parser.push(decoder.decode())) onEvent(event);
  } finally {
    reader.releaseLock();
  }
}
