// Golden-file comparison: `UPDATE_GOLDEN=1 npx vitest run test/proxy` rewrites the files from the output.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

export const goldenDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden');

export function expectGolden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(goldenDir, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`missing golden file ${file}: run with UPDATE_GOLDEN=1`);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}
