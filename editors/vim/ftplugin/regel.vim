" regel rule files: comments start with #, clauses are indented two spaces,
" and `gq` formats through `regel fmt` (the canonical layout).
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=#\ %s comments=:#
setlocal expandtab shiftwidth=2 softtabstop=2
if executable('regel')
  setlocal formatprg=regel\ fmt\ -
endif

let b:undo_ftplugin = 'setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< formatprg<'
