// Entry point for the scheduler child process of the benchmark (`skiff scheduler` before skiff.ts wires it).
import { main } from '../../control-plane/cmd/scheduler.js';

await main(process.argv.slice(2));
