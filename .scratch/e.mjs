const { renderEjs } = await import('/work/wt/defects/dist/template/ejs.js');
const { plainVars } = await import('/work/wt/defects/dist/vars/types.js');
const env = { vars: plainVars({ x: null, k: { a: 1 } }) };
for (const t of ['a\n<% if (true) { %>\nb\n', 'a\nb <%= x.y %>\n', 'a\n<%= foo( %>\n', '<%= "it\'s <&>" %> <%= to_json(k) %>', 'a\n<% } %>\n']) {
  try { console.log(JSON.stringify(renderEjs(t, '/tmp/t.ejs', env))); } catch (e) { console.log('ERR', e.constructor.name, JSON.stringify(e.message)); }
}
