import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseIni } from '../../src/config/ini.js';

/**
 * ansible.cfg parsing against Python's own configparser (as Ansible configures it:
 * inline_comment_prefixes=(';',), values read raw), on texts with every rule that matters.
 */
const CASES: Record<string, string> = {
  basic: '[defaults]\ninventory = hosts.ini\nforks: 7\nRemote_User=deploy\n',
  comments: '# top\n[defaults]\n; full line\nhost_key_checking = False ; inline\nlog_path = /tmp/a;b\nx = a # not a comment\n  # indented comment\n',
  multiline: '[defaults]\nansible_managed = first\n  second\n\n    third\n\nnext = 1\n',
  trailingBlank: '[defaults]\nkey = v\n   continued\n\n\n[other]\nk=  spaced value  \n',
  defaultSection: '[DEFAULT]\nshared = s\n[defaults]\nown = o\n[privilege_escalation]\nbecome = true\n',
  percent: '[ssh_connection]\ncontrol_path = %(directory)s/%%h-%%r\nssh_args = -o ControlMaster=auto -o ControlPersist=60s\n',
  emptyValue: '[defaults]\nempty =\ncolon_eq = a:b=c\n',
  crlf: '[defaults]\r\nforks = 3\r\nuser = x\r\n',
  indentedKey: '[defaults]\n  indented = 1\nafter = 2\n',
  repeatedSection: '[a]\nx = 1\n[b]\ny = 2\n[a]\nz = 3\n',
  duplicateKey: '[a]\nx = 1\nX = 2\n',
  noSection: 'x = 1\n[a]\n',
  badLine: '[a]\njust words\n',
};

const PY = `
import configparser, json, sys
out = {}
for name, text in json.load(sys.stdin).items():
    p = configparser.ConfigParser(inline_comment_prefixes=(';',))
    try:
        p.read_string(text)
        out[name] = {s: {k: p.get(s, k, raw=True) for k in p.options(s)} for s in p.sections()}
    except configparser.Error as e:
        out[name] = 'error'
print(json.dumps(out))
`;

const python = spawnSync('/usr/bin/python3', ['--version']).status === 0;

describe.runIf(python || process.env.CI === 'true')('ansible.cfg parser matches Python configparser', () => {
  const expected = JSON.parse(spawnSync('/usr/bin/python3', ['-c', PY], { input: JSON.stringify(CASES), encoding: 'utf8' }).stdout) as Record<string, unknown>;
  it.each(Object.keys(CASES))('%s', (name) => {
    let actual: unknown;
    try {
      const ini = parseIni(CASES[name], 'ansible.cfg');
      const sections = [...CASES[name].matchAll(/^\s*\[([^\]]+)\]/gm)].map((m) => m[1]).filter((s, i, a) => s !== 'DEFAULT' && a.indexOf(s) === i);
      const keys = () => [...CASES[name].matchAll(/^[ \t]*([^\s#;[][^=:\n]*?)[ \t]*[=:]/gm)].map((m) => m[1].toLowerCase());
      actual = Object.fromEntries(
        sections.map((s) => [s, Object.fromEntries([...new Set(keys())].flatMap((k) => (ini.get(s, k) !== undefined ? [[k, ini.get(s, k)]] : [])))]),
      );
    } catch {
      actual = 'error';
    }
    expect(actual).toEqual(expected[name]);
  });

  it('names file and line in errors', () => {
    expect(() => parseIni('[a]\nx = 1\nx = 2\n', '/etc/ansible/ansible.cfg')).toThrow(/\/etc\/ansible\/ansible\.cfg:3: option 'x' in section 'a' already exists/);
    expect(() => parseIni('[a]\n\nwhat\n', 'ansible.cfg')).toThrow(/ansible\.cfg:3: Source contains parsing errors/);
  });
});
