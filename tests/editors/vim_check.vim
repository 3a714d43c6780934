" Run by vim_check.sh: opens every file of the argument list with the regel
" syntax, and checks that the file type is detected, the syntax loads without
" an error, and every non-blank character of every line is highlighted by
" some regel group other than regelError. Failures go to $REGEL_VIM_REPORT;
" the exit status is 1 if there were any.
let s:failures = []
filetype on
syntax on
for s:file in argv()
  try
    execute 'silent edit' fnameescape(s:file)
  catch
    call add(s:failures, s:file . ': ' . v:exception)
    continue
  endtry
  if &filetype !=# 'regel' || get(b:, 'current_syntax', '') !=# 'regel'
    call add(s:failures, s:file . ': filetype "' . &filetype . '", syntax "' . get(b:, 'current_syntax', '') . '"')
    continue
  endif
  for s:lnum in range(1, line('$'))
    let s:text = getline(s:lnum)
    let s:col = 1
    while s:col <= strlen(s:text)
      let s:char = matchstr(s:text, '\%' . s:col . 'c.')
      if s:char !~# '^\s$'
        let s:group = synIDattr(synID(s:lnum, s:col, 1), 'name')
        if s:group ==# '' || s:group ==# 'regelError'
          call add(s:failures, printf('%s:%d:%d: %s at %s', s:file, s:lnum, s:col,
                \ s:group ==# '' ? 'no highlighting' : 'error highlighting', string(s:char)))
        endif
      endif
      let s:col += max([strlen(s:char), 1])
    endwhile
  endfor
endfor
call writefile(s:failures, $REGEL_VIM_REPORT)
if empty(s:failures)
  qall!
else
  cquit!
endif
