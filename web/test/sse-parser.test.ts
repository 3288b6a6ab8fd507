// @vitest-environment node
import { describe, expect, it } from "vitest";
import { readSse, SseParser, type SseEvent } from "../src/sse/parser";

const STREAM =
  ": a comment the service may send\n" +
  "id:1\ndata: {\"type\":\"token\",\"content\":\"Hel\"}\n\n" +
  "data: {\"type\":\"heartbeat\"}\r\n\r\n" +
  "id: 2\r\ndata: first line\r\ndata: second line\r\n\r\n" +
  "event: custom\rid:3\rdata\rdata:  two spaces\r\r" +
  "id:4\ndata:{\"type\":\"done\",\"text\":\"é ✓ 😀\"}\n\n";

const EXPECTED: SseEvent[] = [
  { event: "message", id: "1", data: "{\"type\":\"token\",\"content\":\"Hel\"}" },
  { event: "message", id: undefined, data: "{\"type\":\"heartbeat\"}" },
  { event: "message", id: "2", data: "first line\nsecond line" },
  { event: "custom", id: "3", data: "\n two spaces" },
  { event: "message", id: "4", data: "{\"type\":\"done\",\"text\":\"é ✓ 😀\"}" },
];

describe("SseParser", () => {
  it("reads frames with LF, CRLF and CR line ends, comments, multi-line data and ids", () => {
    const parser = new SseParser();
    expect(parser.push(STREAM)).toEqual(EXPECTED);
    expect(parser.lastEventId).toBe("4");
  });

  it("gives the same frames however the text is split in two", () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(STREAM.slice(0, cut)), ...parser.push(STREAM.slice(cut))];
      expect(events, `split at ${cut}`).toEqual(EXPECTED);
    }
  });

  it("gives the same frames when fed one character at a time", () => {
    const parser = new SseParser();
    const events = [...STREAM].flatMap((c) => parser.push(c));
    expect(events).toEqual(EXPECTED);
  });

  it("keeps a frame that has not ended with a blank line until it does", () => {
    const parser = new SseParser();
    expect(parser.push("id:7\ndata: x\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ event: "message", id: "7", data: "x" }]);
  });

  it("decodes bytes split inside a multi-byte character", async () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const events: SseEvent[] = [];
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, cut));
          controller.enqueue(bytes.slice(cut));
          controller.close();
        },
      });
      await readSse(body, (e) => events.push(e));
      expect(events, `split at byte ${cut}`).toEqual(EXPECTED);
    }
  });
});
