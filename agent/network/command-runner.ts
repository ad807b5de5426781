// The CommandRunner seam: the only way agent/network touches the host (`ip`, `iptables`). The real one
// runs each argv as one child process (inside a network namespace when given); the fake records argv
// lists and answers from a script, so routing and firewall logic is tested without root.
import { CommandError, runCommand } from '../proxy/index.js';

export interface CommandRunner {
  /** Runs `argv` and resolves with stdout; rejects with a CommandError (exit code, stderr) on failure. */
  run(argv: readonly string[]): Promise<string>;
}

/** Runs the real commands, in the network namespace bound at `netnsPath` when given (tests, local clusters). */
export class RealCommandRunner implements CommandRunner {
  constructor(private readonly netnsPath?: string) {}

  run(argv: readonly string[]): Promise<string> {
    return runCommand(this.netnsPath ? { netnsPath: this.netnsPath } : {}, argv);
  }
}

/** A scripted answer: stdout, or a failure with this exit code and stderr. */
export type FakeAnswer = string | { exitCode: number; stderr: string };

/** Records every argv (joined by spaces) and answers by the first matching script entry (prefix match). */
export class FakeCommandRunner implements CommandRunner {
  readonly calls: string[] = [];

  constructor(readonly script: Array<[prefix: string, answer: FakeAnswer | (() => FakeAnswer)]> = []) {}

  async run(argv: readonly string[]): Promise<string> {
    const line = argv.join(' ');
    this.calls.push(line);
    const entry = this.script.find(([prefix]) => line.startsWith(prefix));
    const raw = entry?.[1];
    const answer = typeof raw === 'function' ? raw() : raw ?? '';
    if (typeof answer === 'string') return answer;
    throw new CommandError(line, answer.exitCode, answer.stderr);
  }
}

export { CommandError };
