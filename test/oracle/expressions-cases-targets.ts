import type { OracleCase } from './expressions-cases.js';

/** Issue 11: filters and tests where Ansible's own integration targets found tsrun different. */
export const TARGET_CASES: OracleCase[] = [
  // unique: Jinja's version fails on unhashable items; Ansible falls back to its own unless
  // case_sensitive=False or attribute= were given
  { t: '{{ [{"a": 1}, {"a": 1}, {"b": 2}] | unique }}' },
  { t: '{{ [{"a": 1}] | unique(case_sensitive=False) }}' },
  { t: '{{ [{"a": [1]}, {"a": [1]}] | unique(attribute="a") }}' },
  { t: '{{ [[1], [1], [2]] | unique(case_sensitive=True) }}' },
  { t: '{{ ["a", "A", "b"] | unique }}' },
  { t: '{{ {"x": 1, "y": 2} | unique }}' },
  // a rendered "{...}" or "[...]" is read back as data, JSON's true/false/null included
  { t: '{{ "" }}{"n": null, "t": true, "f": false, "l": [true, null]}' },
  { t: '{{ "" }}[null, "null", true]' },
  { t: '{{ "true" }}' },
  // ...except the output of a string-type filter when it is the whole template
  { t: '{{ [1, true] | to_json }}' },
  { t: '{{ {"a": 1} | string }}' },
  { t: 'x{{ [true] | to_json }}' },
  { t: '{{ "" }}{{ [true, null] | to_json }}' },
  // an undefined value's repr names the variable (or the object lacking the attribute); using it
  // fails, in a list or dict too, but its repr does not
  { t: '{{ "%r" | format(missing_var) }}' },
  { t: '{{ "%r" | format(d.nokey) }}' },
  { t: '{{ "%r" | format(missing_var.deeper) }}' },
  { t: '{{ "%r" | format([] | first) }}' },
  { t: '{{ [missing_var] | string }}' },
  { t: '{{ ("%r" | format(missing_var)).startswith("AnsibleUndefined") }}' },
  { t: '{{ "%s" | format(missing_var) }}' },
  { t: '{{ [missing_var] }}' },
  { t: 'x {{ {"k": [missing_var]} }}' },
  { t: '{{ [missing_var] | length }}' },
  // *args and **kwargs in a call, *args after keyword arguments too (the loops target's lookup("list", wantlist=True, *phrases))
  { t: '{{ lookup("list", wantlist=True, *["a", "b"]) }}' },
  { t: '{{ query("items", *[[1, 2], [3]]) }}' },
  { t: '{{ dict(z=2, **{"k": 1}) | dictsort }}' },
  { t: '{{ dict(**{"k": 1}, z=2) }}' },
  { t: '{{ query("items", *[1], 2) }}' },
  { t: '{{ "%s-%s" | format(*["x", "y"]) }}' },
  // now(): a datetime, or text with fmt (glibc's %s among the directives)
  { t: '{{ now().year > 2000 }} {{ now(utc=True).year > 2000 }} {{ now(fmt="%Y") | length }} {{ now(fmt="%s") | int > 1700000000 }}' },
  // lookup() of nothing is an empty list, not ''; query and wantlist always lists
  { t: '{{ lookup("items", []) }}' },
  { t: '{{ lookup("sequence", "count=0") }} {{ lookup("sequence", "3", "5-6") }}' },
  // math filters take real numbers only (text fails, bool counts), log(x, 10) is log10, and
  // Python's math errors fail the template instead of giving nan/inf
  { t: '{{ "yo" | log }}' },
  { t: '{{ "8" | root }}' },
  { t: '{{ "2" | pow(3) }}' },
  { t: '{{ [1] | log }}' },
  { t: '{{ 100 | log("10") }}' },
  { t: '{{ 1000 | log(10) }} {{ 1000 | log(10.0) }} {{ 8 | log(2) }} {{ true | log }} {{ 27 | root(3) }}' },
  { t: '{{ 8 | root("3") }} {{ 8 | root(true) }} {{ 2 | pow(true) }} {{ 4 | pow(0.5) }} {{ 2.5 | pow(2) }}' },
  { t: '{{ 0 | log }}' },
  { t: '{{ -1 | log }}' },
  { t: '{{ 1 | log(1) }}' },
  { t: '{{ (-4) | root }}' },
  { t: '{{ (-8) | root(3) }}' },
  { t: '{{ 4 | root(0) }}' },
  { t: '{{ 8 | root("x") }}' },
  { t: '{{ (-8) | pow(0.5) }}' },
  { t: '{{ 10 | pow(400) }}' },
  // human_readable: Ansible's units ("Bytes", "KB", "bits", "Gb"), unit=, and failures on non-numbers
  { t: '{{ 1 | human_readable }} {{ 1 | human_readable(isbits=True) }} {{ 10240 | human_readable }} {{ 102400000 | human_readable }} {{ -5 | human_readable }} {{ true | human_readable }}' },
  { t: '{{ 102400000 | human_readable(unit="G") }} {{ 102400000 | human_readable(isbits=True, unit="G") }} {{ 2048 | human_readable(unit="x") }} {{ 1536 | human_readable(unit="k") }}' },
  { t: '{{ "monkeys" | human_readable }}' },
  { t: '{{ "1024" | human_readable(unit="K") }}' },
];
