import { join } from 'node:path';

export type FormName = 'tsrun' | 'ansible' | 'plain';
export const FORMS: readonly FormName[] = ['tsrun', 'ansible', 'plain'];

export interface FormContext {
  repoDir: string;
  benchDir: string;
  /** The generated inventory / host list for this host count. */
  inventory: string;
  hostList: string;
  hostCount: number;
  user: string;
  keyFile: string;
  knownHostsFile: string;
  appRoot: string;
  appPort: number;
  /** A directory private to this one run (ansible's control sockets and temp files). */
  runDir: string;
}

export interface FormCommand {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * tsrun as `npx tsrun` and npm's bin link start it: bin/tsrun.js run as a program (its sh line
 * starts node). `nodeArgs` (a profiler's, V8's) need node named on the command line instead.
 */
export function tsrunCommand(c: FormContext, playbook = join(c.benchDir, 'playbook', 'tsrun.yml'), nodeArgs?: string[]): FormCommand {
  const bin = join(c.repoDir, 'bin', 'tsrun.js');
  return {
    argv: [...(nodeArgs ? ['node', ...nodeArgs, bin] : [bin]), '-i', c.inventory, '-f', String(c.hostCount), playbook],
    env: { NO_COLOR: '1' },
    cwd: c.repoDir,
  };
}

/** Each ansible fork is a Python process of ~40 MiB: beyond 50 a 2-core machine only thrashes. */
export const ANSIBLE_MAX_FORKS = 50;

/**
 * ansible-playbook tuned as a careful user would: pipelining, forks = hosts (at most 50), ControlPersist
 * (its default -C compression dropped: it only costs CPU on a LAN and the blob is incompressible),
 * no interpreter discovery round trip, no facts, no retry files. Control sockets live in the
 * run's own directory and are closed after the run, so no run inherits a warm connection.
 */
export function ansibleCommand(c: FormContext, playbook = join(c.benchDir, 'playbook', 'ansible.yml')): FormCommand {
  return {
    argv: ['ansible-playbook', '-i', c.inventory, '-f', String(Math.min(c.hostCount, ANSIBLE_MAX_FORKS)), playbook],
    env: {
      ANSIBLE_PIPELINING: 'True',
      ANSIBLE_SSH_ARGS: '-o ControlMaster=auto -o ControlPersist=60s',
      ANSIBLE_SSH_CONTROL_PATH_DIR: join(c.runDir, 'cp'),
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
      ANSIBLE_GATHERING: 'explicit',
      ANSIBLE_RETRY_FILES_ENABLED: 'False',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCAL_TEMP: join(c.runDir, 'tmp'),
      ANSIBLE_HOME: join(c.runDir, 'home'),
    },
    cwd: c.repoDir,
  };
}

export function plainCommand(c: FormContext): FormCommand {
  return {
    argv: ['bash', join(c.benchDir, 'plain', 'deploy.sh'), c.hostList],
    env: {
      SSH_USER: c.user,
      SSH_KEY: c.keyFile,
      KNOWN_HOSTS: c.knownHostsFile,
      APP_ROOT: c.appRoot,
      APP_PORT: String(c.appPort),
      FILES_DIR: join(c.benchDir, 'playbook', 'files'),
    },
    cwd: c.repoDir,
  };
}

export function formCommand(form: FormName, c: FormContext): FormCommand {
  if (form === 'tsrun') return tsrunCommand(c);
  if (form === 'ansible') return ansibleCommand(c);
  return plainCommand(c);
}
