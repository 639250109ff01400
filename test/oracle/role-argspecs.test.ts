import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';
import { parseJson, summary, type JsonDoc } from './json-summary.js';

/**
 * Issue 11: role argument validation (argument_specs) against ansible-playbook 2.14. The
 * fixture's roles declare every option type, required, defaults, choices, aliases, elements,
 * nested options with their checks, a tasks_from entry point and a spec in meta/main.yml; each
 * case includes a role in a block with a rescue. Both tools must agree on every task's status,
 * the recap, the exit code, and on each validation task's whole result.
 */
const DIR = join(REPO, 'test/fixtures/argspecs');
const INV = join(DIR, 'hosts.ini');

/** Python lists its valid booleans in hash order, different in every run; the role path is the checkout's. */
const normalise = (v: unknown): unknown => JSON.parse(JSON.stringify(v).replace(/Valid booleans include: [^"\\]*/g, 'Valid booleans include: ...').replaceAll(DIR, '<fixtures>'));

/** The validate_argument_spec results, in run order: what argument validation returned. */
function validations(doc: JsonDoc): unknown[] {
  return doc.plays.flatMap((p) =>
    p.tasks
      .filter((t) => t.task.name.includes('Validating arguments against arg spec'))
      .map((t) => {
        const { argument_errors, argument_spec_data, validate_args_context, msg, failed, changed } = t.hosts.localhost ?? {};
        return normalise({ task: t.task.name, argument_errors, argument_spec_data, validate_args_context, msg, failed: failed ?? false, changed });
      }),
  );
}

describe.runIf(ansibleAvailable())('role argument validation matches ansible-playbook', () => {
  it.each([[[]], [['--tags', 'bar']], [['--skip-tags', 'always']]])('argspecs.yml %j', async (extra: string[]) => {
    const args = ['-i', INV, join(DIR, 'argspecs.yml'), ...extra];
    const [ours, theirs] = await Promise.all([tsrun([...args, '--json'], { cwd: DIR }), ansiblePlaybook(args, { cwd: DIR })]);
    const a = parseJson(theirs.stdout, `ansible-playbook (stderr: ${theirs.stderr})`);
    const b = parseJson(ours.stdout, `tsrun (stderr: ${ours.stderr})`);
    expect(validations(b)).toEqual(validations(a));
    expect(normalise(summary(b).tasks)).toEqual(normalise(summary(a).tasks));
    expect(summary(b).stats).toEqual(summary(a).stats);
    expect(ours.code).toBe(theirs.code);
  }, 300_000);
});
