import { Command, CommanderError } from 'commander';
import { KdwError } from '../errors';
import { registerEsInfo } from './commands/esInfo';
import { registerGenerate } from './commands/generate';
import { registerKql } from './commands/kql';
import { registerPreview } from './commands/preview';
import { registerRules } from './commands/rules';
import { registerReplay } from './commands/replay';
import { registerRun } from './commands/run';
import { registerRunOnce } from './commands/runOnce';
import { registerTest } from './commands/test';
import { registerValidate } from './commands/validate';
import { EXIT } from './exitCodes';
import type { CliIo } from './io';
import { kdwVersion } from './version';

export interface CommandContext {
  readonly io: CliIo;
  /** where rules/, config/ and .kdw/ are looked up by default */
  readonly repoRoot: string;
  setExit(code: number): void;
}

/** Each command module adds itself here; main.ts only runs the program. */
const COMMANDS: ReadonlyArray<(program: Command, ctx: CommandContext) => void> = [
  registerEsInfo,
  registerValidate,
  registerRunOnce,
  registerRun,
  registerRules,
  registerReplay,
  registerKql,
  registerGenerate,
  registerPreview,
  registerTest,
];

export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('kdw')
    .description(
      'kdw (Kubernetes detection worker) runs Elastic Security detection rules (elastic/detection-rules TOML)\n' +
        'on a schedule against Elasticsearch and writes Kibana-compatible alerts.',
    )
    .version(kdwVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(run kdw --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) })
    .exitOverride()
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.ok} ok, ${EXIT.findings} findings or failures, ${EXIT.usage} usage, configuration or connection error.`,
    );
  for (const register of COMMANDS) register(program, ctx);
  return program;
}

/** Runs kdw with argv (without node and script) and returns the exit code; never calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIo, repoRoot: string): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram({ io, repoRoot, setExit: (c) => (code = c) });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof KdwError) {
      io.err(`kdw: ${err.message}`);
      return err.code === 'rule_invalid' ? EXIT.findings : EXIT.usage;
    }
    io.err(`kdw: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT.usage;
  }
}
