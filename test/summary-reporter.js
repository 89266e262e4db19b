// Closing lines for CI: every skipped test with the reason in its title, then `jest: N passed, N failed, N skipped`.
// Jest's default reporter only counts skipped tests; a skip must say why (the suites put the reason in the title).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const lines = new Set();
    for (const file of results.testResults) {
      const rel = file.testFilePath.slice(process.cwd().length + 1);
      for (const t of file.testResults) {
        if (t.status !== "pending" && t.status !== "todo" && t.status !== "skipped") continue;
        // One line per skipped describe block (the reason is in its title), or per test outside any block.
        lines.add(`skipped: ${rel} › ${t.ancestorTitles[0] ?? t.title}`);
      }
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      [...lines, `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`]
        .map((l) => `${l}\n`)
        .join(""),
    );
  }
}
module.exports = SummaryReporter;
