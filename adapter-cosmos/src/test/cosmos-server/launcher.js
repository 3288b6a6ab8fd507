#!/usr/bin/env node
// Starts @vercel/cosmosdb-server 1.0.1 over HTTPS on 127.0.0.1 with the few patches the
// Azure Cosmos DB Java SDK (azure-cosmos 4.79.0, gateway mode) needs.
// Usage: node launcher.js <port|0> [--exit-on-stdin-close]
//   prints "COSMOS_PORT=<port>" once listening; with the flag it exits when its stdin closes,
//   so a JVM that started it (stdin = pipe) cannot leave it orphaned.
"use strict";
const path = require("path");

const LIB = path.join(path.dirname(require.resolve("@vercel/cosmosdb-server/package.json")), "lib");
const load = name => require(path.join(LIB, name));
const { parsePartitionKey } = load("utils/get-partition-from-header");
const readItems = load("handler/_read-items").default;

// The request bodies are read by the handlers themselves; cache the parsed body so that a
// wrapper can look at it and still delegate to the original handler.
const json = load("json");
const readJson = json.default;
json.default = req => (req.parsedBody = req.parsedBody || readJson(req));

const pkHeader = req => req.headers["x-ms-documentdb-partitionkey"];
const pkValue = header => { const v = JSON.parse(header)[0]; return v && typeof v === "object" ? undefined : v; };
const isTrue = (req, h) => String(req.headers[h]).toLowerCase() === "true";

// PATCH 1 - account document: the SDK unboxes enableNRegionSynchronousCommit on every write
// (NullPointerException in RxDocumentClientImpl when the field is missing).
const readMeta = account => ({ ...account.read(), enableNRegionSynchronousCommit: false });

// PATCH 2 - queries. The SDK (a) asks for a query plan before every query (header
// x-ms-cosmos-is-query-plan-request; the stock server runs the query instead and the SDK fails),
// (b) scopes a query to one partition only through the x-ms-documentdb-partitionkey header, which
// the stock server ignores (and answers 400 "missing partition keys" if the SQL has no pk filter),
// (c) the SQL parser knows neither DISTINCT nor OFFSET/LIMIT: we strip them from the SQL and
// report them in the plan, so the SDK de-duplicates / skips / takes client-side, as it does
// against real Cosmos; (d) for SELECT VALUE the SDK wraps each scalar as {"_value": x} and
// unwraps it only if the plan says hasSelectValue. ORDER BY, TOP and aggregates stay server-side:
// there is a single partition key range, so the server sees all the rows of the query and the
// plan can leave them out. GROUP BY stays unsupported (400 from the parser).
const OFFSET_LIMIT = /\s+OFFSET\s+(@\w+|\d+)\s+LIMIT\s+(@\w+|\d+)\s*$/i;
const DISTINCT = /^(\s*SELECT\s+)DISTINCT\s+/i;
const SELECT_VALUE = /^\s*SELECT\s+(DISTINCT\s+)?(TOP\s+\S+\s+)?VALUE\s/i;
function rewrite({ query, parameters = [] }) {
  const param = t => (t.startsWith("@") ? (parameters.find(p => p.name === t) || {}).value : Number(t));
  const m = query.match(OFFSET_LIMIT);
  return {
    sql: query.replace(OFFSET_LIMIT, "").replace(DISTINCT, "$1"),
    offset: m ? param(m[1]) : null,
    limit: m ? param(m[2]) : null,
    distinct: DISTINCT.test(query)
  };
}
const queryDocuments = async (account, req, res, { dbId, collId }) => {
  const body = await json.default(req);
  const { sql, offset, limit, distinct } = rewrite(body);
  if (isTrue(req, "x-ms-cosmos-is-query-plan-request")) {
    return {
      partitionedQueryExecutionInfoVersion: 2,
      queryInfo: {
        offset, limit, distinctType: distinct ? "Unordered" : "None", hasSelectValue: SELECT_VALUE.test(body.query)
      },
      queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
    };
  }
  return readItems(req, res, "Documents", async ({ continuation, maxItemCount }) => {
    const collection = account.database(dbId).collection(collId);
    if (!collection.read()) return null; // -> 404
    const docs = collection.documents;
    let items = [...docs._data.values()].map(item => item.read());
    if (pkHeader(req)) {
      const pk = pkValue(pkHeader(req));
      items = items.filter(d => docs._getPartition(d) === pk);
    }
    try {
      // (e) the stock query engine pages before it sorts: with ORDER BY over more than one page, rows
      // came back in insertion order across page boundaries. Run the query whole, then page the
      // sorted result here, with the offset as the continuation token.
      const whole = docs._getQuery(sql).exec(items, {
        parameters: body.parameters, udf: docs._userDefinedFunctions(),
        compositeIndexes: (collection.read().indexingPolicy || {}).compositeIndexes || []
      });
      const start = continuation && Number.isInteger(continuation.offset) ? continuation.offset : 0;
      const size = maxItemCount && maxItemCount > 0 ? maxItemCount : whole.result.length;
      const end = start + size;
      return { result: whole.result.slice(start, end), continuation: end < whole.result.length ? { offset: end } : null };
    } catch (err) {
      res.statusCode = 400;
      return { code: "BadRequest", message: err.message };
    }
  });
};

// PATCH 3 - point read of a missing item threw a TypeError (-> 500) instead of answering 404.
const readDocument = orig => (account, req, res, params) => {
  const collection = account.database(params.dbId).collection(params.collId);
  const id = params.docId;
  if (collection.read() && !collection.document(id, parsePartitionKey(pkHeader(req), id)).read()) {
    res.statusCode = 404;
    return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
  }
  return orig(account, req, res, params);
};

// PATCH 4 - transactional batch: the SDK puts the partition key in the header only (the stock
// handler needs it per operation for anything but create), and the stock handler is not atomic:
// on failure we restore the container's documents and answer 207 so the SDK reports the failure.
const batchDocuments = orig => async (account, req, res, params) => {
  const ops = await json.default(req);
  if (Array.isArray(ops)) ops.forEach(op => { op.partitionKey = op.partitionKey || pkHeader(req); });
  const docs = account.database(params.dbId).collection(params.collId).documents;
  const snapshot = [new Map(docs._data), new Map(docs._index), docs._ridCount];
  const results = await orig(account, req, res, params);
  if (Array.isArray(results) && results.some(r => r.statusCode >= 400)) {
    if (isTrue(req, "x-ms-cosmos-batch-atomic")) {
      [docs._data, docs._index, docs._ridCount] = snapshot; // roll back; the others "failed dependency"
      results.forEach(r => { if (r.statusCode < 400) Object.assign(r, { statusCode: 424, resourceBody: undefined }); });
    }
    res.statusCode = 207;
  }
  return results;
};

// PATCH 5 - container.deleteAllItemsByPartitionKey: POST .../operations/partitionkeydelete has no route.
const PK_DELETE = /^\/+dbs\/([^/]+)\/colls\/([^/]+)\/operations\/partitionkeydelete\/?$/;
const deletePartition = (account, req, res, { dbId, collId }) => {
  const docs = account.database(dbId).collection(collId).documents;
  const pk = pkValue(pkHeader(req));
  [...docs._data.values()].map(i => i.read()).filter(d => docs._getPartition(d) === pk)
    .forEach(d => docs.delete(d.id, pk));
  return {};
};

// Hook: the server looks routes up through routes.default(req) on every request; wrap it.
const handlers = name => load(`handler/${name}`).default;
const overrides = new Map([
  [handlers("read-meta"), () => readMeta],
  [handlers("query-documents"), () => queryDocuments],
  [handlers("read-document"), readDocument],
  [handlers("batch-documents"), batchDocuments]
]);
const routes = load("routes");
const route = routes.default;
routes.default = req => {
  const m = req.method === "POST" && req.url.split("?")[0].match(PK_DELETE);
  if (m) return [{ dbId: decodeURIComponent(m[1]), collId: decodeURIComponent(m[2]) }, deletePartition];
  const found = route(req);
  if (found && overrides.has(found[1])) return [found[0], overrides.get(found[1])(found[1])];
  return found;
};

const { createHttpsServer } = require("@vercel/cosmosdb-server");
const port = Number(process.argv[2] || 0);
const server = createHttpsServer({ keepAlive: true }).listen(port, "127.0.0.1", () => {
  process.stdout.write(`COSMOS_PORT=${server.address().port}\n`);
});
if (process.env.COSMOS_LAUNCHER_DEBUG) {
  server.prependListener("request", req => console.error(req.method, req.url, JSON.stringify(req.headers)));
}
if (process.argv.includes("--exit-on-stdin-close")) process.stdin.on("end", () => process.exit(0)).resume();
process.on("SIGTERM", () => process.exit(0));
