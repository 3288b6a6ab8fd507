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
