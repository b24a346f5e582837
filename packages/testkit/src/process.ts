// A child process whose output a test waits on, by condition and with a bound, never by fixed sleeps.
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";

export interface WatchedProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves once the output matches `pattern`; rejects after `timeoutMs` or if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal's name) once the process ends. */
  exited: Promise<number | string>;
  /** SIGKILLs it if still running (by its pid) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

export function watchProcess(command: string, args: string[], options: SpawnOptions = {}): WatchedProcess {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const wakers = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of wakers) wake();
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => {
      resolve(code ?? signal ?? "unknown");
      for (const wake of wakers) wake();
    }),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    output: () => output,
    exited,
    waitFor: async (pattern, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = output.match(pattern);
        if (match) return match;
        const code = child.exitCode ?? child.signalCode;
        if (!running()) throw new Error(`process exited (${code}) before ${pattern}:\n${output}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${pattern}:\n${output}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 250));
          wakers.add(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        wakers.clear();
      }
    },
    kill: async (signal = "SIGKILL") => {
      if (running()) child.kill(signal);
      return exited;
    },
  };
}
