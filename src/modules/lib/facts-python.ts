/**
 * setup's `python` collector (ansible_python) and the platform collector's ansible_python_version.
 * In Ansible both describe the interpreter that runs the setup module; tsrun asks that interpreter
 * (python-discovery.ts says which) with one short command inside the facts script. A host with no
 * Python, or whose configured interpreter does not run, has neither fact.
 */
import { joinShell, rawShell, sh, type ShellText } from '../../connection/shell-text.js';
import { discoveryScript, readDiscovery, type Discovery, type InterpreterPlan } from './python-discovery.js';

// The facts as Ansible's collectors compute them; Python 2 and 3 alike (sys.subversion is Python 2's).
const PROBE = `import sys, json, platform
try:
    from ssl import create_default_context, SSLContext
    s = True
except ImportError:
    s = False
try:
    t = sys.subversion[0]
except AttributeError:
    t = getattr(getattr(sys, 'implementation', None), 'name', None)
v = sys.version_info
sys.stdout.write(json.dumps({'executable': sys.executable, 'has_sslcontext': s, 'type': t, 'version_info': list(v), 'python_version': platform.python_version()}))`;

/** The script part: discovery when planned, then the interpreter's answer (only when `ask`) as the `python` section. */
export function pythonScript(plan: InterpreterPlan, ask: boolean): ShellText {
  const run = plan.kind === 'use' ? sh`_pyuse=1; set -- ${plan.words}` : rawShell('set -- "$_pyuse"');
  return joinShell([
    plan.kind === 'discover' && discoveryScript(plan),
    // stdin is the host's long-lived shell: the probe must never read it.
    ask && joinShell([run, sh`if [ -n "$_pyuse" ]; then sec python; "$@" -c ${PROBE} </dev/null 2>/dev/null; fi`]),
  ]);
}

export interface PythonFacts {
  facts: Record<string, unknown>;
  discovery?: Discovery;
}

/** Facts from the `python` section (ansible_python when `python`, ansible_python_version when `platform`) and the discovery. */
export function readPython(sections: Record<string, string | undefined>, plan: InterpreterPlan, host: string, collectors: ReadonlySet<string>): PythonFacts {
  const discovery = plan.kind === 'discover' ? readDiscovery(sections.pydisc ?? '', plan, host) : undefined;
  const facts: Record<string, unknown> = {};
  let probe: { executable: string; has_sslcontext: boolean; type: string | null; version_info: [number, number, number, string, number]; python_version: string } | undefined;
  try {
    probe = sections.python ? JSON.parse(sections.python) : undefined;
  } catch {
    probe = undefined; // the interpreter did not run (a missing path, a broken install): no python facts
  }
  if (probe && Array.isArray(probe.version_info)) {
    const [major, minor, micro, releaselevel, serial] = probe.version_info;
    if (collectors.has('python'))
      facts.ansible_python = { version: { major, minor, micro, releaselevel, serial }, version_info: probe.version_info, executable: probe.executable, has_sslcontext: probe.has_sslcontext, type: probe.type };
    if (collectors.has('platform')) facts.ansible_python_version = probe.python_version;
  }
  return { facts, ...(discovery ? { discovery } : {}) };
}
