// Reads vitest's JSON report and prints `N passed, N failed, N skipped`. A type-check failure counts as
// one failed test, so a red `tsc` can never hide behind green tests. A missing report is a failure too.
import { readFileSync } from 'node:fs';

const [reportPath, typecheckFailed] = process.argv.slice(2);
let passed = 0;
let failed = typecheckFailed === '1' ? 1 : 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  // A file that failed without a failing test (it did not load, or a hook threw) counts once.
  for (const file of report.testResults ?? []) {
    const failedInFile = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
    if (file.status === 'failed' && failedInFile === 0) failed += 1;
  }
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if ((report.numTotalTests ?? 0) === 0) failed += 1; // a run that ran nothing is not green
} catch {
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
