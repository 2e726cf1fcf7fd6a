// Lints in-memory sources as if they were files of the workspace, and prints the messages of each
// as JSON. Used by module-boundaries.spec.ts: Jest's VM cannot load eslint.config.mjs itself.
// stdin: [{ "file": "apps/api/src/x.ts", "code": "..." }]  stdout: [["message", ...], ...]
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const { file, code, rule } of JSON.parse(input)) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  out.push(result.messages.filter((m) => !rule || m.ruleId === rule).map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
