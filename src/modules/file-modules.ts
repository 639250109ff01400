import find from './find.js';
import tempfile from './tempfile.js';
import type { ModuleDef } from './types.js';
import blockinfile from './blockinfile.js';
import copy from './copy.js';
import fetch from './fetch.js';
import file from './file.js';
import lineinfile from './lineinfile.js';
import replace from './replace.js';
import slurp from './slurp.js';
import stat from './stat.js';
import template from './template.js';
import unarchive from './unarchive.js';

export const fileModules: ModuleDef[] = [copy, template, file, lineinfile, blockinfile, replace, stat, fetch, unarchive, slurp, tempfile, find];
