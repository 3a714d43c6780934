// Run by vscode_compare.sh: tokenizes rule files with the regel TextMate
// grammar and VS Code's own engine, and prints per line the scopes of every
// character as JSON, to compare with the tokenizer of textmate_check.py.
const fs = require('fs');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
const onigLib = oniguruma.loadWASM(wasm).then(() => ({
  createOnigScanner: (p) => new oniguruma.OnigScanner(p),
  createOnigString: (s) => new oniguruma.OnigString(s),
}));
const grammarPath = process.argv[2];
const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async (scope) => scope === 'source.regel'
    ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
});
registry.loadGrammar('source.regel').then((grammar) => {
  const out = [];
  for (const file of process.argv.slice(3)) {
    let state = vsctm.INITIAL;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const r = grammar.tokenizeLine(line, state);
      const chars = [];
      for (const t of r.tokens)
        for (let i = t.startIndex; i < Math.min(t.endIndex, line.length); i++)
          chars.push(t.scopes.slice(1));
      out.push({file, line, scopes: chars, open: r.ruleStack.depth > 1});
      state = r.ruleStack;
    }
  }
  console.log(JSON.stringify(out));
});
