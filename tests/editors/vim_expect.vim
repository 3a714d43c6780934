" Run by vim_check.sh: opens sample.regel and checks, for each line of
" expectations.tsv (LINE, TEXT, VIM GROUP, TEXTMATE SCOPE), that every
" non-blank character of the first TEXT on LINE is highlighted by VIM GROUP.
let s:failures = []
filetype on
syntax on
let s:dir = fnamemodify($REGEL_VIM_EXPECT, ':h')
execute 'silent edit' fnameescape(s:dir . '/sample.regel')
for s:row in readfile($REGEL_VIM_EXPECT)
  let [s:lnum, s:text, s:group; s:rest] = split(s:row, "\t")
  let s:start = stridx(getline(s:lnum), s:text)
  if s:start < 0
    call add(s:failures, printf('line %s: %s not found', s:lnum, s:text))
    continue
  endif
  for s:i in range(strlen(s:text))
    if s:text[s:i] =~# '\s' || and(char2nr(s:text[s:i]), 0xc0) == 0x80
      continue
    endif
    let s:got = synIDattr(synID(s:lnum, s:start + s:i + 1, 1), 'name')
    if s:got !=# s:group
      call add(s:failures, printf('line %s: %s is %s, expected %s', s:lnum, string(s:text), s:got, s:group))
      break
    endif
  endfor
endfor
call writefile(s:failures, $REGEL_VIM_REPORT)
if empty(s:failures)
  qall!
else
  cquit!
endif
