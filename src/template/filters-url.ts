/** URL filters: urldecode (unquote_plus) and urlsplit (urllib's SplitResult as a dict). */
import { EvalError } from './errors.js';
import { str } from './python.js';
import { unquotePlus, urlParts, urlSplit } from './url.js';
import { filterTable } from './filter-registry.js';

const { def, table } = filterTable();

def('urldecode', [], (v) => unquotePlus(str(v)));
def('urlsplit', ['query'], (v, query) => {
  const parts = urlParts(urlSplit(str(v)));
  if (query === undefined || query === null || query === '') return parts;
  if (!(str(query) in parts)) throw new EvalError(`urlsplit: unknown URL component: ${str(query)}`);
  return parts[str(query)];
});

/** The url filters, by name (composed into FILTERS in filters.ts). */
export const URL_FILTERS = table;
