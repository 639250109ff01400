import { describe, expect, it } from 'vitest';
import { editPath, editResult, editTarget } from '../../../src/modules/lib/file-edit.js';

describe('arguments lineinfile / blockinfile / replace share', () => {
  it('takes path or its first given alias, and requires one', () => {
    expect(editPath({ dest: '/etc/a' })).toBe('/etc/a');
    expect(editPath({ name: '/n', path: '/p' })).toBe('/p');
    expect(() => editPath({})).toThrow('missing required arguments: path');
  });
  it('requires %s in validate', () => {
    expect(editTarget({ validate: 'visudo -cf %s' }, '/f').validate).toBe('visudo -cf %s');
    expect(editTarget({}, '/f').validate).toBeUndefined();
    expect(() => editTarget({ validate: 'true' }, '/f')).toThrow('validate must contain %s: true');
  });
  it('builds the edit target; create also makes parents', () => {
    expect(editTarget({ owner: 'root', backup: true }, '/f')).toEqual({ path: '/f', mode: undefined, owner: 'root', group: undefined, backup: true, validate: undefined });
    expect(editTarget({ validate: 'v %s' }, '/f', true).makeParents).toBe(true);
  });
  it('adds Ansible\'s attributes suffix to the message', () => {
    expect(editResult('line added', { changed: true, attrChanged: true })).toEqual({ changed: true, msg: 'line added and ownership, perms or SE linux context changed' });
    expect(editResult('', { changed: false, attrChanged: false })).toEqual({ changed: false, msg: '' });
  });
});
