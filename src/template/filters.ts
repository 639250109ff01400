import type { FilterDef } from './filter-registry.js';
import { CONVERT_FILTERS } from './filters-convert.js';
import { TEXT_FILTERS } from './filters-text.js';
import { LIST_FILTERS } from './filters-lists.js';
import { DATA_FILTERS } from './filters-data.js';
import { TIME_FILTERS } from './filters-time.js';
import { URL_FILTERS } from './filters-url.js';
import { SET_FILTERS } from './filters-sets.js';
import { CRYPTO_FILTERS } from './filters-crypto.js';

export type { FilterDef };

/** Every Jinja/Ansible filter by name, called as fn(value, args, kwargs, scope, callFilter). A later table wins a name. */
export const FILTERS: Readonly<Record<string, FilterDef>> = {
  ...CONVERT_FILTERS,
  ...TEXT_FILTERS,
  ...LIST_FILTERS,
  ...DATA_FILTERS,
  ...TIME_FILTERS,
  ...URL_FILTERS,
  ...SET_FILTERS,
  ...CRYPTO_FILTERS,
};
