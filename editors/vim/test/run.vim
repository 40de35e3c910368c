" Syntax assertions for editors/vim, run by editors/test.sh:
"
"   vim -Nu NONE -i NONE -Es -c 'source editors/vim/test/run.vim' -- FILE...
"
" Each FILE holds slac code with assertion comments under it, as in the
" tree-sitter highlight tests: `// ^^^ slacNumber` checks the columns of the
" carets, `// <- slacItem` the column where the comment starts, both on the
" nearest line above that is not an assertion. The result goes to stdout as
" `vim syntax: N passed, M failed`, one line per failure before it.

set nocompatible
let s:root = fnamemodify(expand('<sfile>:p'), ':h:h')
execute 'set runtimepath^=' . fnameescape(s:root)
filetype plugin indent on
syntax on

let s:passed = 0
let s:failed = 0
let s:messages = []

function! s:Check(file, lnum, col, expected, alnum) abort
  let got = synIDattr(synID(a:lnum, a:col, 1), 'name')
  if got ==# a:expected
    let s:passed += 1
  else
    let s:failed += 1
    call add(s:messages, printf('%s:%d: column %d of line %d: expected %s, got %s',
          \ a:file, a:alnum, a:col, a:lnum, a:expected, empty(got) ? '(none)' : got))
  endif
endfunction

for s:file in argv()
  execute 'edit ' . fnameescape(s:file)
  if &filetype !=# 'slac'
    let s:failed += 1
    call add(s:messages, s:file . ': filetype is "' . &filetype . '", not "slac"')
    continue
  endif
  let s:code = 0
  for s:lnum in range(1, line('$'))
    let s:line = getline(s:lnum)
    let s:arrow = matchlist(s:line, '^\(\s*\)//\s*<-\s\+\(\w\+\)\s*$')
    let s:carets = matchlist(s:line, '^\s*//\(\s*\)\(\^\+\)\s\+\(\w\+\)\s*$')
    if !empty(s:arrow) && s:code > 0
      call s:Check(s:file, s:code, len(s:arrow[1]) + 1, s:arrow[2], s:lnum)
    elseif !empty(s:carets) && s:code > 0
      let s:start = stridx(s:line, '^')
      for s:c in range(s:start, s:start + len(s:carets[2]) - 1)
        call s:Check(s:file, s:code, s:c + 1, s:carets[3], s:lnum)
      endfor
    else
      let s:code = s:lnum
    endif
  endfor
endfor

for s:m in s:messages
  call writefile([s:m], '/dev/stdout', 'a')
endfor
call writefile([printf('vim syntax: %d passed, %d failed', s:passed, s:failed)], '/dev/stdout', 'a')
execute (s:failed == 0 ? 'qall!' : 'cquit!')
