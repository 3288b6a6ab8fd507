export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "cost not known";
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(2)}`;
}

export function formatTokens(n: number | undefined): string {
  return n === undefined ? "?" : n.toLocaleString("en-US");
}

export function formatLatency(ms: number | undefined): string {
  if (ms === undefined) return "";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Shows JSON arguments and outputs readably when they are JSON; as they are otherwise. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

let dateTime: Intl.DateTimeFormat | undefined;

/**
 * When a thread was last active, in the reader's locale. One formatter serves every call: making one
 * (which `toLocaleString` does on each call) loads the locale's data, and the first took over 50 ms of
 * main thread in Chromium, in the middle of a streaming answer when its new thread joined the list.
 */
export function formatWhen(iso: string): string {
  dateTime ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  return dateTime.format(new Date(iso));
}

let timeOfDay: Intl.DateTimeFormat | undefined;

/** When something due soon happens: the time of day if it is today, the date and time otherwise. */
export function formatDue(iso: string, now: Date = new Date()): string {
  const when = new Date(iso);
  if (when.toDateString() !== now.toDateString()) return formatWhen(iso);
  timeOfDay ??= new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
  return timeOfDay.format(when);
}
