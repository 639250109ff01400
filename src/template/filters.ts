import { FILTER_TABLE, type FilterDef } from './filter-registry.js';
// each module registers its filters when loaded
import './filters-convert.js';
import './filters-text.js';
import './filters-lists.js';
import './filters-data.js';
import './filters-time.js';
import './filters-url.js';
import './filters-sets.js';
import './filters-crypto.js';

export type { FilterDef };
export { toBool, toFloat, toInt } from './filters-convert.js';

/** Every Jinja/Ansible filter by name, called as fn(value, args, kwargs, scope). */
export const FILTERS: Readonly<Record<string, FilterDef>> = FILTER_TABLE;
