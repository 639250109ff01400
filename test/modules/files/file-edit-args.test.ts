import { describe, expect, it } from 'vitest';
import { editPathArg, editResult, editTarget, validateArg } from '../../../src/modules/lib/file-edit.js';

describe('arguments lineinfile / blockinfile / replace share', () => {
  it('takes path or its first given alias, and requires one', () => {
    expect(editPathArg({ dest: '/etc/a' })).toBe('/etc/a');
    expect(editPathArg({ name: '/n', path: '/p' })).toBe('/p');
    expect(() => editPathArg({})).toThrow('missing required arguments: path');
  });
  it('requires %s in validate', () => {
    expect(validateArg({ validate: 'visudo -cf %s' })).toBe('visudo -cf %s');
    expect(validateArg({})).toBeUndefined();
    expect(() => validateArg({ validate: 'true' })).toThrow('validate must contain %s: true');
  });
  it('builds the edit target; create also makes parents', () => {
    expect(editTarget({ owner: 'root', backup: 'yes' }, '/f', undefined)).toEqual({ path: '/f', mode: undefined, owner: 'root', group: undefined, backup: true, validate: undefined });
    expect(editTarget({}, '/f', 'v %s', true).makeParents).toBe(true);
  });
  it('adds Ansible\'s attributes suffix to the message', () => {
    expect(editResult('line added', { changed: true, attrChanged: true })).toEqual({ changed: true, msg: 'line added and ownership, perms or SE linux context changed' });
    expect(editResult('', { changed: false, attrChanged: false })).toEqual({ changed: false, msg: '' });
  });
});
