// Checks Cypher statements with Neo4j's own parser and semantic analysis (npm
// @neo4j-cypher/language-support), offline, as Neo4j 5 would read them: so a statement the
// backend sends that a real Neo4j 5 would refuse fails CI though the test server (FalkorDB)
// accepts it. It does not check that functions or procedures exist.
//
// Usage: npm ci && node lint.mjs FILE
// FILE: a JSON array of {"name": ..., "text": ...}. Exits 0 when no statement has an error,
// 1 listing each failing statement's name and diagnostics, 2 when FILE cannot be read.
import { readFileSync } from 'node:fs';
import { lintCypherQuery, isNotParamError } from '@neo4j-cypher/language-support';

const file = process.argv[2];
if (!file) {
  console.error('usage: node lint.mjs FILE   (FILE: JSON [{"name": ..., "text": ...}, ...])');
  process.exit(2);
}

let statements;
try {
  statements = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(statements) || statements.length === 0) {
    throw new Error('expected a non-empty JSON array');
  }
} catch (error) {
  console.error(`cannot read statements from ${file}: ${error.message}`);
  process.exit(2);
}

let failed = 0;
for (const { name, text } of statements) {
  if (typeof name !== 'string' || typeof text !== 'string') {
    console.error(`${file}: every entry needs a string "name" and "text"`);
    process.exit(2);
  }
  // The second argument is the database schema; an empty one but for the language, so
  // warnings about unknown labels and types (severity 2) are expected and ignored. Parameters
  // are unknown without a schema too, hence isNotParamError.
  const { diagnostics } = lintCypherQuery(text, { defaultLanguage: 'CYPHER 5' });
  const errors = diagnostics.filter((d) => d.severity === 1 && isNotParamError(d));
  if (errors.length > 0) {
    failed += 1;
    console.log(`${name}: ${text}`);
    for (const d of errors) {
      const at = d.range?.start ? ` (line ${d.range.start.line + 1}, column ${d.range.start.character + 1})` : '';
      console.log(`  - ${d.message}${at}`);
    }
  }
}

if (failed > 0) {
  console.log(`cypher-lint: ${failed} of ${statements.length} statements rejected by the Neo4j 5 parser`);
  process.exit(1);
}
console.log(`cypher-lint: ${statements.length} statements accepted by the Neo4j 5 parser`);
