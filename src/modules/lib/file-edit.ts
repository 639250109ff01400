/**
 * The arguments and result that lineinfile, blockinfile and replace share: which file
 * (path or its aliases), its attributes, backup and validate, and Ansible's changed/msg.
 */
import type { ModuleResult } from '../types.js';
import { argBool, argStr, argStrAlias, ArgError } from './file-args.js';
import { parseMode } from './file-mode.js';
import { str } from './file-schema.js';
import type { EditOutcome, EditTarget } from './remote-edit.js';
import { withAttrMsg } from './remote-edit.js';

/** The file argument and its aliases, in Ansible's order; one of them is required. */
export const EDIT_PATH_ALIASES = ['path', 'dest', 'destfile', 'name'];
export const editPathProps = { path: str, dest: str, destfile: str, name: str } as const;

/** `path`, or its aliases dest/destfile/name; required. */
export function editPathArg(a: Record<string, unknown>): string {
  const path = argStrAlias(a, EDIT_PATH_ALIASES);
  if (!path) throw new ArgError('missing required arguments: path');
  return path;
}

/** `validate`, which must name the new file as %s. */
export function validateArg(a: Record<string, unknown>): string | undefined {
  const validate = argStr(a, 'validate');
  if (validate !== undefined && !validate.includes('%s')) throw new ArgError(`validate must contain %s: ${validate}`);
  return validate;
}

/** The file to edit with mode/owner/group/backup from the arguments; `create` also makes parents. */
export function editTarget(a: Record<string, unknown>, path: string, validate: string | undefined, create?: boolean): EditTarget {
  const t: EditTarget = {
    path,
    mode: parseMode(a.mode),
    owner: argStr(a, 'owner'),
    group: argStr(a, 'group'),
    backup: argBool(a, 'backup', false),
    validate,
  };
  if (create !== undefined) t.makeParents = create;
  return t;
}

/** changed, and the edit's message with Ansible's suffix when attributes changed too. */
export function editResult(msg: string, o: EditOutcome): ModuleResult {
  return { changed: o.changed, msg: withAttrMsg(msg, o.attrChanged) };
}
