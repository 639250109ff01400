/**
 * parseYamlDocument hands plain double-quoted scalars to the composer as single-quoted ones
 * (for speed); whatever the text, the result must be what yaml's parseDocument gives.
 */
import { describe, expect, it } from 'vitest';
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { parseYamlDocument } from '../../src/yaml/yaml-compose.js';
import { ANSIBLE_YAML_OPTIONS } from '../../src/yaml/yaml.js';

const cases = [
  'a: "plain text"\nb: "it\'s"\nc: "tab\there"\nd: ""\n',
  'a: "line one\n  line two"\nb: "esc \\" \\n \\t \\x41 \\u00e9"\nc: "trailing  \n  ws"\n',
  '- "x"\n- {k: "v", "q": [ "1", \'2\', 3 ]}\n- ? "explicit"\n  : "value"\n',
  '"key": &anchor "anchored"\nref: *anchor\ntagged: !!str "5"\nnum: "5"\nbool: "yes"\n',
  'a: "unterminated\n',
  'a: "one"\n---\nb: "two"\n',
  '',
  '# only a comment\n',
  'msg: "{{ foo }}"\nwhen: "x == \'y\'"\n',
  'a: "\\\\"\nb: "a\\\nb"\n',
];

function describeDoc(doc: Document) {
  const nodes: unknown[] = [];
  visit(doc, (_k, node) => {
    if (isScalar(node)) nodes.push([node.value, node.range]);
  });
  return {
    js: doc.errors.length ? undefined : doc.toJS(),
    errors: doc.errors.map((e) => [e.code, e.pos, e.message]),
    warnings: doc.warnings.map((e) => [e.code, e.pos]),
    nodes,
  };
}

describe('parseYamlDocument', () => {
  it.each(cases)('%j reads as parseDocument reads it', (text) => {
    const a = parseYamlDocument(text, { ...ANSIBLE_YAML_OPTIONS, lineCounter: new LineCounter(), prettyErrors: false });
    const b = parseDocument(text, { ...ANSIBLE_YAML_OPTIONS, lineCounter: new LineCounter(), prettyErrors: false });
    expect(describeDoc(a)).toEqual(describeDoc(b));
  });

  it('takes the quick path for a plain double-quoted scalar only', () => {
    const doc = parseYamlDocument('a: "quick"\nb: "it\'s"\nc: "esc\\n"\n', { ...ANSIBLE_YAML_OPTIONS });
    const types: unknown[] = [];
    visit(doc, { Scalar: (_k, n) => void types.push(n.type) });
    expect(types).toEqual(['PLAIN', 'QUOTE_SINGLE', 'PLAIN', 'QUOTE_DOUBLE', 'PLAIN', 'QUOTE_DOUBLE']);
  });
});
