// Closing lines for CI: every skipped test with the reason in its title, then `jest: N passed, N failed, N skipped`.
// Jest's default reporter only counts skipped tests; a skip must say why (the suites put the reason in the title).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const lines = [];
    for (const file of results.testResults) {
      const rel = file.testFilePath.slice(process.cwd().length + 1);
      const skipped = file.testResults.filter((t) => ["pending", "todo", "skipped"].includes(t.status));
      // One line per reason: a top-level skipped test names it; otherwise each skipped describe block's title does.
      const top = skipped.filter((t) => t.ancestorTitles.length === 0).map((t) => t.title);
      const reasons = top.length > 0 ? top : skipped.map((t) => t.ancestorTitles[0]);
      for (const reason of new Set(reasons)) lines.push(`skipped: ${rel} › ${reason}`);
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    lines.push(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
    process.stdout.write(lines.map((l) => `${l}\n`).join(""));
  }
}
module.exports = SummaryReporter;
