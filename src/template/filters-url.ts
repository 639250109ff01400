/** URL filters: urldecode (unquote_plus) and urlsplit (urllib's SplitResult as a dict). */
import { EvalError } from './errors.js';
import { str } from './python.js';
import { unquotePlus, urlParts, urlSplit } from './url.js';
import { def } from './filter-registry.js';

def('urldecode', [], (v) => unquotePlus(str(v)));
def('urlsplit', ['query'], (v, query) => {
  const parts = urlParts(urlSplit(str(v)));
  if (query === undefined || query === null || query === '') return parts;
  if (!(str(query) in parts)) throw new EvalError(`urlsplit: unknown URL component: ${str(query)}`);
  return parts[str(query)];
});
