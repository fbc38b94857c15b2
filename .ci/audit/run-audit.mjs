// Runs the GraphQL-over-HTTP spec's own audit (npm graphql-http `auditServer`) against a
// running server and fails on any `error` (a MUST broken) or `warn` (a SHOULD broken).
//
// Usage: npm ci && node run-audit.mjs http://127.0.0.1:8080/graphql
// The server needs a mutation type: the audit checks that mutations are refused over GET.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node run-audit.mjs URL   (e.g. http://127.0.0.1:8080/graphql)');
  process.exit(2);
}

let results;
try {
  results = await auditServer({ url });
} catch (error) {
  // auditServer throws only when it cannot audit at all (e.g. nothing listens at URL).
  console.error(`audit could not run against ${url}: ${error?.cause?.message ?? error}`);
  process.exit(2);
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  const line = `${result.status.padEnd(6)} ${result.id} ${result.name}`;
  if (result.status === 'ok') {
    console.log(line);
  } else {
    // Show what the server actually answered, so a failure can be read without a rerun.
    let body = '';
    try {
      body = await result.response.text();
    } catch {
      body = '(body already read)';
    }
    console.log(`${line}\n       reason: ${result.reason}\n       status: ${result.response.status} ` +
      `content-type: ${result.response.headers.get('content-type')}\n       body: ${body.slice(0, 300)}`);
  }
}

console.log(
  `\n${results.length} audits: ${counts.ok} ok, ${counts.notice} notice, ${counts.warn} warn, ${counts.error} error`,
);
process.exit(counts.error + counts.warn > 0 ? 1 : 0);
